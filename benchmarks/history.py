"""The history's scale benchmark: ten years of monthly refreshes of all 357 municipalities and
four sources (171,360 rows), loaded once, then charts and a table with changes drawn from it.

    .venv/bin/python -m benchmarks.history [--rounds N]

Prints a Markdown table (docs/benchmark.md, "History"). Times are the median and the best
processor time of N rounds of the plugin's own functions, in one process; the file is made fresh in a temporary
folder (a seeded random walk, so every run draws the same numbers).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs_kommune.history import load_history
from mkdocs_kommune.model import Dataset, Link, Municipality, Source
from mkdocs_kommune.register import load_register
from mkdocs_kommune.render import Renderer
from mkdocs_kommune.selection import select
from mkdocs_kommune.trend import render_trend, trend_request

SOURCES = ("geonorge", "felles-datakatalog", "portal", "hub")
CHARTS: dict[str, dict[str, Any]] = {
    "national (357 municipalities, 4 sources)": {},
    "one county (Vestland, 43)": {"county": "Vestland"},
    "one municipality": {"municipalities": ["Oslo"]},
    "national, since 2024-01-01": {"since": "2024-01-01"},
}


def write_history(path: Path) -> tuple[Dataset, int]:
    """The file, and a dataset whose counts are the last month's (as after a refresh)."""
    randomness = random.Random(2016)
    entries = load_register("norway-2024").entries
    counts = {(e.kommunenummer, s): randomness.randint(0, 20) for e in entries for s in SOURCES}
    lines = ["date,kommunenummer,municipality,source,datasets"]
    for month in range(120):
        day = datetime.date(2016 + month // 12, month % 12 + 1, 1).isoformat()
        for entry in sorted(entries, key=lambda e: e.name):
            for source in SOURCES:
                key = (entry.kommunenummer, source)
                counts[key] = max(0, counts[key] + randomness.choice((-1, 0, 0, 1, 1, 2)))
                lines.append(f"{day},{entry.kommunenummer},{entry.name},{source},{counts[key]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = tuple(Source(s, s.title(), api_kind="ckan") for s in SOURCES)
    municipalities = tuple(
        Municipality(
            e.name,
            e.kommunenummer,
            e.orgnr,
            f"{e.name} kommune",
            county_number=e.county_number,
            county_name=e.county_name,
            links={
                s: (Link("https://example.org/", "data", counts[(e.kommunenummer, s)]),)
                for s in SOURCES
            },
        )
        for e in entries
    )
    return Dataset(sources, municipalities, register="norway-2024"), len(lines) - 1


def timed(function: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median and best processor time: on a busy machine, wall time mostly measures the others."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kommuner.history.csv"
        dataset, rows = write_history(path)
        size = path.stat().st_size
        load = timed(lambda: load_history(path), rounds)
        history = load_history(path)
    renderer = Renderer(history=history)
    print(f"History: {rows:,} rows, {size / 1e6:.1f} MB, {len(history.dates)} refresh dates\n")
    print("| what | median | best | SVG |")
    print("| --- | --- | --- | --- |")
    print(f"| load and check the history | {load[0] * 1000:.0f} ms | {load[1] * 1000:.0f} ms | |")
    render_trend(renderer.env, history, trend_request(dataset, history, (), {}, "en"))  # compile
    for label, arguments in CHARTS.items():
        request = trend_request(dataset, history, (), arguments, "en")
        html = render_trend(renderer.env, history, request)
        svg = html[html.index("<svg") : html.index("</svg>") + 6].encode()
        chart = timed(functools.partial(render_trend, renderer.env, history, request), rounds)
        print(
            f"| `kommune_trend()`, {label} | {chart[0] * 1000:.1f} ms | {chart[1] * 1000:.1f} ms "
            f"| {len(svg) / 1024:.1f} KB |"
        )
    allowed = ("municipalities", "since", "counts", "by")
    table = select(dataset, (), {"municipalities": "all", "since": "first"}, allowed=allowed, default_locale="en")  # fmt: skip
    plain = select(dataset, (), {"municipalities": "all", "counts": True}, allowed=allowed, default_locale="en")  # fmt: skip
    for label, selection in (('since="first"', table), ("counts=True (no change)", plain)):
        spent = timed(functools.partial(renderer.table, selection), rounds)
        print(f"| `kommune_table({label})`, 357 rows | {spent[0] * 1000:.1f} ms | {spent[1] * 1000:.1f} ms | |")  # fmt: skip


if __name__ == "__main__":
    main()
