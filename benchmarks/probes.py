"""Measurements made inside one process, each run as ``python -m benchmarks.probes KIND ...``.

Each prints one JSON object on stdout, so ``run`` can start it in a fresh process and read it.

- ``serve SITE DATA N``: a first build as ``mkdocs serve`` makes it, then N rebuilds, each after an
  edit of the file DATA, timed as serve's builder runs them (config reloaded, full build).
- ``table DATA N``: render the whole table N times after one warm-up render.
- ``load DATA``: load and validate a data file: time and growth of peak memory.
- ``parses SITE``: build once and count how often a data file was parsed.
- ``phases SITE``: build once and time the plugin's import and each of its events.

``run`` starts them so that the installed mkdocs_kommune is imported, not the work tree's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.measure import QUIET_ENV


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_rebuilds(site: Path, data: Path, count: int) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tempfile.mkdtemp(prefix="kommune-bench-serve-")
    serve_url = "http://127.0.0.1:8000/"

    def builder() -> None:  # what mkdocs.commands.serve's builder does on every change
        config = load_config(config_file=str(site / "mkdocs.yml"), site_dir=site_dir)
        config.site_url = serve_url
        build(config, serve_url=serve_url)

    first = load_config(config_file=str(site / "mkdocs.yml"), site_dir=site_dir)
    first.plugins.on_startup(command="serve", dirty=False)
    first.site_url = serve_url
    build(first, serve_url=serve_url)
    original = data.read_bytes()
    cpu: list[float] = []
    wall: list[float] = []
    try:
        for number in range(count):
            # An edit a person makes: the data file changes, so everything must be read again.
            data.write_bytes(original + _edit(data, number))
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            builder()
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
    finally:
        data.write_bytes(original)
    return {"cpu": cpu, "wall": wall}


def _edit(data: Path, number: int) -> bytes:
    """A change to append: a YAML comment, or blank lines where comments are not allowed (JSON)."""
    return b"\n" * (number + 1) if data.suffix == ".json" else f"\n# edit {number}\n".encode()


def table_renders(data: Path, count: int) -> dict[str, Any]:
    from mkdocs_kommune.data import load_dataset
    from mkdocs_kommune.render import Renderer
    from mkdocs_kommune.selection import TABLE_ARGUMENTS, select

    dataset = load_dataset(data)
    selection = select(dataset, (), {}, allowed=TABLE_ARGUMENTS, default_locale="en")
    renderer = Renderer()
    first_start = time.perf_counter()
    renderer.table(selection, set())
    first = time.perf_counter() - first_start
    times = []
    for _ in range(count):
        start = time.perf_counter()
        renderer.table(selection, set())
        times.append(time.perf_counter() - start)
    return {"first": first, "warm": times, "rows": len(selection.municipalities)}


def load(data: Path) -> dict[str, Any]:
    from mkdocs_kommune.data import load_dataset

    before = _peak_mib()
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    dataset = load_dataset(data)
    cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
    return {
        "cpu": cpu,
        "wall": wall,
        "peak_growth_mib": _peak_mib() - before,
        "rows": len(dataset.municipalities),
        "sources": len(dataset.sources),
        "bytes": data.stat().st_size,
    }


def parses(site: Path) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs_kommune import yamlsource

    calls = []
    original = yamlsource.load

    def counting(text: str) -> Any:
        calls.append(len(text))
        return original(text)

    yamlsource.load = counting
    with tempfile.TemporaryDirectory(prefix="kommune-bench-parses-") as out:
        build(load_config(config_file=str(site / "mkdocs.yml"), site_dir=out))
    return {"parses": len(calls)}


def phases(site: Path) -> dict[str, Any]:
    """Where the plugin's own time goes in one build: import, then each MkDocs event."""
    # What a build imports anyway, so that only the plugin's own modules are timed.
    import mkdocs.config.defaults  # noqa: F401
    import mkdocs_macros.plugin  # noqa: F401
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.process_time()
    from mkdocs_kommune.plugin import KommunePlugin

    spent: dict[str, float] = {"import": time.process_time() - start}
    for event in ("on_config", "on_files", "on_pre_page", "on_page_content", "on_env"):
        setattr(KommunePlugin, event, _timed(getattr(KommunePlugin, event), event, spent))
    with tempfile.TemporaryDirectory(prefix="kommune-bench-phases-") as out:
        build(load_config(config_file=str(site / "mkdocs.yml"), site_dir=out))
    return spent


def _timed(method: Any, name: str, spent: dict[str, float]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()  # CPU: other jobs on the machine do not count
        try:
            return method(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start

    return timed


def main(argv: list[str]) -> int:
    os.environ.update(QUIET_ENV)
    import mkdocs_kommune

    print(f"measuring {mkdocs_kommune.__file__}", file=sys.stderr)
    kind, *args = argv
    if kind == "serve":
        result = serve_rebuilds(Path(args[0]), Path(args[1]), int(args[2]))
    elif kind == "table":
        result = table_renders(Path(args[0]), int(args[1]))
    elif kind == "load":
        result = load(Path(args[0]))
    elif kind == "parses":
        result = parses(Path(args[0]))
    elif kind == "phases":
        result = phases(Path(args[0]))
    else:
        raise SystemExit(f"unknown probe {kind!r}")
    print("\n" + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
