"""Medians, paired ratios with their range, and the tables: plain text for the terminal,
Markdown for docs/benchmark.md (the two are the same rows)."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.measure import Sample


@dataclass(frozen=True)
class Spread:
    """A median with the smallest and largest value seen."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
        m, lo, hi = (f"{v * scale:.{digits}f}" for v in (self.median, self.low, self.high))
        return f"{m}{unit} ({lo}–{hi})"


def metric(samples: Sequence[Sample], pick: Callable[[Sample], float]) -> Spread:
    return Spread.of([pick(s) for s in samples])


def paired_ratio(
    top: Sequence[Sample], bottom: Sequence[Sample], pick: Callable[[Sample], float]
) -> Spread:
    """Round-by-round ratios: both builds of a round ran side by side on the shared machine."""
    return Spread.of([pick(a) / pick(b) for a, b in zip(top, bottom, strict=True)])


def cpu(sample: Sample) -> float:
    return sample.cpu


def wall(sample: Sample) -> float:
    return sample.wall


def peak(sample: Sample) -> float:
    return sample.peak_mib


Table = tuple[list[str], list[list[str]]]  # header, rows


def builds_table(samples: dict[str, list[Sample]], floor: str, peers: str) -> Table:
    header = ["site", "CPU s", "wall s", "peak MiB", "CPU / floor", "CPU / peers", "wall / floor"]
    rows = []
    for name, runs in samples.items():
        rows.append(
            [
                name,
                metric(runs, cpu).show(),
                metric(runs, wall).show(),
                metric(runs, peak).show(digits=1),
                paired_ratio(runs, samples[floor], cpu).show(),
                paired_ratio(runs, samples[peers], cpu).show() if peers in samples else "",
                paired_ratio(runs, samples[floor], wall).show(),
            ]
        )
    return header, rows


def text(table: Table) -> str:
    header, rows = table
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
        for line in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(table: Table) -> str:
    header, rows = table
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"
