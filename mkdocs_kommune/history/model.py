"""The history as the macros ask it: a cell's count on a date, a selection's totals per date.

A refresh may count only some cells (``--source``, ``--municipality``, failed lookups), so a
cell's count on a date is its newest count on or before that date: a partial refresh does not
make the totals dip.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from ..model import Municipality
from ..validate import Problem
from .read import HistoryError, Row, parse_rows, read_text

_DAY = itemgetter(0)
_DATASETS = itemgetter(4)


@dataclass(frozen=True)
class Series:
    """One cell's counts: ``indices`` into ``History.dates``, ascending, and the counts."""

    indices: tuple[int, ...]
    counts: tuple[int, ...]

    def at(self, index: int) -> int | None:
        """The newest count on or before date ``index``; None before the first."""
        position = bisect.bisect_right(self.indices, index)
        return self.counts[position - 1] if position else None


@dataclass(frozen=True)
class Totals:
    """One source's line: the first date index it has a value for, then one total per date."""

    start: int
    values: tuple[int, ...]  # values[k] belongs to date index start + k


@dataclass
class History:
    path: str
    dates: tuple[datetime.date, ...]
    rows: Sequence[Row]
    _cells: dict[tuple[str, str], Series] = field(repr=False)  # (source, key) -> series

    @classmethod
    def of(cls, rows: Sequence[Row], path: str) -> History:
        """Group the rows by cell: 170,000 rows on every build, so all but one loop runs in C
        (``map``, ``itemgetter``)."""
        days = sorted(set(map(_DAY, rows)))
        cells = _grouped(rows, days)
        dates = tuple(datetime.date.fromisoformat(day) for day in days)
        return cls(path, dates, rows, cells)

    @property
    def sources(self) -> set[str]:
        return {source for source, _ in self._cells}

    def index_on_or_before(self, date: datetime.date) -> int | None:
        """The newest refresh date on or before ``date``, as an index; None if none is."""
        position = bisect.bisect_right(self.dates, date)
        return position - 1 if position else None

    def series(self, source: str, municipality: Municipality) -> Series | None:
        """By kommunenummer; rows written before the data file had numbers match by name."""
        by_number = (
            self._cells.get((source, municipality.kommunenummer))
            if municipality.kommunenummer
            else None
        )
        by_name = self._cells.get((source, _name_key(municipality.name)))
        if by_number is None or by_name is None:
            return by_number or by_name
        return _merged(by_name, by_number)

    def count_at(self, source: str, municipality: Municipality, index: int) -> int | None:
        found = self.series(source, municipality)
        return found.at(index) if found is not None else None

    def totals(self, source: str, municipalities: Iterable[Municipality]) -> Totals | None:
        """The selection's total per date from the first date any of them was counted on."""
        chosen = [s for m in municipalities if (s := self.series(source, m)) is not None]
        if not chosen:
            return None
        # Cells counted on the same dates (the usual case: every refresh counts every cell) are
        # summed column by column in C; each group then adds its changes date by date.
        groups: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
        for series in chosen:
            groups.setdefault(series.indices, []).append(series.counts)
        change = [0] * len(self.dates)  # the selection's change on each date
        for indices, counts in groups.items():
            before = 0
            for index, total in zip(indices, map(sum, zip(*counts, strict=True)), strict=True):
                change[index] += total - before
                before = total
        start = min(series.indices[0] for series in chosen)
        values, running = [], 0
        for delta in change:
            running += delta
            values.append(running)
        return Totals(start, tuple(values[start:]))


def _grouped(rows: Sequence[Row], days: list[str]) -> dict[tuple[str, str], Series]:
    """One plain loop over the rows, then C-level ``map``s per cell."""
    position = {day: index for index, day in enumerate(days)}
    grouped: dict[tuple[str, str], list[Row]] = {}
    get = grouped.get
    for row in rows:
        key = (row[3], row[1] or _name_key(row[2]))
        points = get(key)
        if points is None:
            grouped[key] = [row]
        else:
            points.append(row)
    cells: dict[tuple[str, str], Series] = {}
    for key, points in grouped.items():
        points.sort()  # by date
        if len(set(map(_DAY, points))) != len(points):
            raise _CountedTwice
        cells[key] = Series(
            tuple(map(position.__getitem__, map(_DAY, points))),
            tuple(map(int, map(_DATASETS, points))),
        )
    return cells


class _CountedTwice(Exception):
    """A cell has two rows of one date; the careful reading says which lines."""


def load_history(path: str | Path, shown_as: str | None = None) -> History:
    """Read and check the file (``HistoryError`` lists what is wrong)."""
    shown = shown_as or str(path)
    text = read_text(path, shown)
    return history_of(text, shown)


def history_of(text: str, shown: str) -> History:
    try:
        return History.of(parse_rows(text, shown), shown)
    except _CountedTwice:
        parse_rows(text, shown, careful=True)  # raises, naming the lines
        problem = Problem(0, "", "", "a cell is counted twice on one date")
        raise HistoryError(shown, [problem]) from None


@functools.lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return "name:" + name.strip().casefold()


def _merged(first: Series, second: Series) -> Series:
    """Both series in date order; on a date both have, the one by number wins."""
    points = dict(zip(first.indices, first.counts, strict=True))
    points.update(zip(second.indices, second.counts, strict=True))
    ordered = sorted(points.items())
    return Series(tuple(p[0] for p in ordered), tuple(p[1] for p in ordered))
