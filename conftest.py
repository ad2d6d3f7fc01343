"""Collect the examples of README.md and docs/ as tests (see tests/docs_examples)."""

from tests.docs_examples import DOCS

pytest_collect_file = DOCS.pytest()
