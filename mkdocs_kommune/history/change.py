"""``since=`` in the tables: each count beside its change since a date, from the history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Link, Municipality
from .model import History
from .since import Since


@dataclass(frozen=True)
class Change:
    """A count and how much it grew (None: no history at that date, the count stands alone)."""

    count: int
    change: int | None

    @property
    def signed(self) -> str:
        """+12, -3 (written with a minus sign, U+2212), or ±0."""
        if self.change is None:
            return ""
        if self.change == 0:
            return "\u00b10"
        return f"+{self.change}" if self.change > 0 else f"\u2212{-self.change}"


def since_index(history: History, since: Since) -> int | None:
    """The history's date to compare with: "first", or the newest on or before ``since``."""
    if since == "first":
        return 0 if history.dates else None
    assert isinstance(since, datetime.date)
    return history.index_on_or_before(since)


def since_date(history: History, since: Since) -> datetime.date | None:
    index = since_index(history, since)
    return history.dates[index] if index is not None else None


def cell_change(
    history: History,
    source_id: str,
    municipality: Municipality,
    links: Sequence[Link],
    at: int | None,
) -> Change | None:
    """The cell's count (what its links say) and its change; None when the cell has no count."""
    known = [link.datasets for link in links if link.datasets is not None]
    if not known:
        return None
    count = sum(known)
    before = history.count_at(source_id, municipality, at) if at is not None else None
    return Change(count, None if before is None else count - before)


def group_change(
    history: History, source_id: str, members: Iterable[Municipality], at: int | None
) -> Change | None:
    """A county's total count in one source and its change, over the members that have both
    a count now and one in the history at that date (the others add to the count alone)."""
    count, change, counted, compared = 0, 0, False, False
    for municipality in members:
        known = [
            link.datasets
            for link in municipality.links.get(source_id, ())
            if link.datasets is not None
        ]
        if not known:
            continue
        now = sum(known)
        count, counted = count + now, True
        before = history.count_at(source_id, municipality, at) if at is not None else None
        if before is not None:
            change, compared = change + now - before, True
    if not counted:
        return None
    return Change(count, change if compared else None)
