"""``refresh``'s side of the history: add today's counts to ``<stem>.history.csv``.

The file is checked before anything is asked (a broken history stops the run, as a broken data
file does) and replaced atomically after the data file, so a kill leaves the old history or the
new one. A second refresh on one date replaces that date's rows of the cells it counted.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomically
from ..history import (
    HEADER,
    HistoryError,
    HistoryOption,
    Row,
    history_of,
    history_path,
)
from ..history.read import decode, read_bytes
from ..model import Dataset, norwegian_sort_key
from ..settings import shown as shown_path
from ..validate import Problem
from .yamledit import Count


@dataclass(frozen=True)
class HistoryFile:
    path: Path
    shown: str
    rows: Sequence[Row]  # what the file holds now (empty when it does not exist yet)
    original: bytes | None = None  # its bytes: replaced only if still these (None: a new file)


def open_history(data_path: Path, option: HistoryOption = None) -> HistoryFile | None:
    """The history as it is (None for `history: false`); ``HistoryError`` when it is broken.

    ``option`` is the site's `history` option when FILE is the site's data file: a file it
    names is written there (and made when missing), as the site will read it.
    """
    path = history_path(option, data_path)
    if path is None:
        return None
    shown = shown_path(path)
    if not path.exists() and not path.is_symlink():
        return HistoryFile(path, shown, ())
    if path.is_dir():
        raise HistoryError(shown, [Problem(0, "", "", "is a folder; the history must be a file")])
    raw = read_bytes(path, shown)
    return HistoryFile(path, shown, history_of(decode(raw, shown), shown).rows, raw)


def record(
    history: HistoryFile, dataset: Dataset, counted: Iterable[Count], today: datetime.date
) -> int:
    """Write the rows with today's counts added; returns how many rows today added or replaced.

    Sorted by date, municipality (Norwegian order), kommunenummer, source. Raises what
    ``write_atomically`` raises: ``OSError``, or ``ChangedMeanwhile`` when the file is no longer
    the one read before the catalogues were asked (it is then left as it is).
    """
    day = today.isoformat()
    new: dict[tuple[str, str, str], Row] = {}
    for count in counted:
        municipality = dataset.municipalities[count.index]
        row = (
            day,
            municipality.kommunenummer or "",
            municipality.name,
            count.source_id,
            str(count.datasets),
        )
        new[_cell(row)] = row
    if not new:
        return 0
    kept = [row for row in history.rows if _cell(row) not in new]
    names = {row[2] for row in kept} | {row[2] for row in new.values()}
    name_keys = {name: norwegian_sort_key(name) for name in names}  # once per name, not per row
    rows = sorted([*kept, *new.values()], key=lambda r: (r[0], name_keys[r[2]], r[1], r[3]))
    write_atomically(history.path, _csv(rows), expected=history.original)
    return len(new)


def _cell(row: Row) -> tuple[str, str, str]:
    """A cell on a date: rows of one date, source and municipality replace each other."""
    return (row[0], row[3], row[1] or "name:" + row[2].strip().casefold())


def _csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()
