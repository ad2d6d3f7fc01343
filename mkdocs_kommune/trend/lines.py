"""What a trend shows: per source, the selection's total datasets on each refresh date."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from ..history import History
from ..model import Municipality, Source


@dataclass(frozen=True)
class Line:
    source: Source
    start: int  # index into ``Trend.dates`` of the first value
    values: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.values[0]

    @property
    def last(self) -> int:
        return self.values[-1]

    def at(self, index: int) -> int | None:
        offset = index - self.start
        return self.values[offset] if 0 <= offset < len(self.values) else None


@dataclass(frozen=True)
class Trend:
    dates: tuple[datetime.date, ...]
    lines: tuple[Line, ...]


def trend_of(
    history: History,
    municipalities: Sequence[Municipality],
    sources: Sequence[Source],
    since: datetime.date | None = None,
) -> Trend:
    """The lines of the sources the history has counts of, from ``since`` (a refresh date or not)."""
    first = 0
    if since is not None:
        before = history.index_on_or_before(since - datetime.timedelta(days=1))
        first = 0 if before is None else before + 1
    dates = history.dates[first:]
    lines = []
    for source in sources:
        totals = history.totals(source.id, municipalities)
        if totals is None:
            continue
        start = max(totals.start, first)
        values = totals.values[start - totals.start :]
        if values:
            lines.append(Line(source, start - first, values))
    return Trend(dates, tuple(lines))
