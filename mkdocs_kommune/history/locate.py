"""Where a site's history is: the ``history`` option, or beside the data file when it is there."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Literal

from .model import History, load_history
from .read import history_beside

# What the option says, resolved: a file it names (which must exist), False (`history: false`),
# or None (the default: `<data file stem>.history.csv` beside the data file, when present).
HistoryOption = Path | Literal[False] | None


def resolve_option(value: str | bool | None, root: Path) -> HistoryOption:
    """The ``history`` option's value, a path taken relative to the configuration's folder."""
    if value is False:
        return False
    if isinstance(value, str):
        return Path(os.path.normpath(root / value))
    return None  # unset, or `true`: the default place


def history_path(option: HistoryOption, data: Path | None) -> Path | None:
    """The file to read or write; None when there is none to use."""
    if option is False:
        return None
    if option is not None:
        return option
    return history_beside(data) if data is not None else None


def site_history(option: HistoryOption, data: Path | None) -> History | None:
    """The history the site shows, checked (``HistoryError``); None when it has none.

    A file the option names must exist; the default one is used only when it does.
    """
    from ..settings import shown  # settings reads the options this module resolves

    path = history_path(option, data)
    if path is None or (option is None and not path.is_file()):
        return None
    try:
        stat = path.stat()
    except OSError:
        return load_history(path, shown(path))  # says what is wrong with it
    return _loaded(str(path), shown(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@functools.lru_cache(maxsize=4)
def _loaded(path: str, shown: str, mtime: int, size: int, inode: int) -> History:
    """Read once while the file stays the same: a `mkdocs serve` rebuild after an edit of a
    page does not read 170,000 rows again (refresh replaces the file: a new inode and time)."""
    return load_history(path, shown)
