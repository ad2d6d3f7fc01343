# The two commands of the README: `make serve` and `make test`. Both set up .venv on first use.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve test lint typecheck unit install bench wheel-check

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Build the example site strictly, then serve it at http://127.0.0.1:8000/news/municipalities/
serve: $(STAMP)
	cd example-site && $(abspath $(BIN))/mkdocs build --strict --quiet
	@echo "Open http://127.0.0.1:8000/news/municipalities/"
	cd example-site && $(abspath $(BIN))/mkdocs serve --dev-addr 127.0.0.1:8000

## Lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

## The speed benchmark (minutes; not part of `make test`): docs/benchmark.md explains it
BENCH_VENV := benchmarks/.venv
BENCH_STAMP := $(BENCH_VENV)/.installed-stamp
ROUNDS ?= 10

$(BENCH_STAMP): pyproject.toml
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet . mkdocs-redirects mkdocs-table-reader-plugin pyinstrument
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@# As users install it (a wheel, bytecode compiled), and as this work tree has it now.
	$(BENCH_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	$(BENCH_VENV)/bin/python -m benchmarks.run --rounds $(ROUNDS) --markdown benchmarks/work/results.md

## Build sdist and wheel, twine-check them, and build the example site from the wheel alone
wheel-check: $(STAMP)
	PYTHON=$(abspath $(BIN))/python bash .ci/wheel-check
