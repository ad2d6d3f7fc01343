"""The shared core of the data file's rules: one problem, the collector, and values cut short."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from typing import Any

from ..yamlsource import LineDict, LineList


@dataclass(frozen=True)
class Problem:
    """One problem of the data file: where it is (line, entry, field) and what to do."""

    line: int
    entry: str
    field: str
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        what = ", ".join(
            part for part in (self.entry, self.field and f"field '{self.field}'") if part
        )
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"

    def record(self, path: str) -> dict[str, str | int]:
        """The problem as a plain record (for ``validate --format json``)."""
        return {
            "file": path,
            "line": self.line,
            "entry": self.entry,
            "field": self.field,
            "message": self.message,
        }


class Problems:
    """Collects every problem of one pass; no problem is fatal alone."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, line: int, entry: str, field: str, message: str) -> None:
        self.items.append(Problem(line, entry, field, message))

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """By line; problems of one line keep the order they were found in."""
        return sorted(self.items, key=lambda p: p.line)


class _ShortRepr(reprlib.Repr):
    """``reprlib`` that also cuts LineDict and LineList short (it only knows built-in types)."""

    def __init__(self) -> None:
        super().__init__()  # Python 3.11's Repr takes no arguments; set the limits one by one
        self.maxlevel, self.maxdict, self.maxlist, self.maxstring, self.maxother = 2, 3, 3, 60, 60

    def repr_LineDict(self, value: LineDict, level: int) -> str:  # reprlib dispatches by type name
        return self.repr_dict(value, level)

    def repr_LineList(self, value: LineList, level: int) -> str:
        return self.repr_list(value, level)


_REPR = _ShortRepr()


def short_repr(value: Any) -> str:
    """A value for a message, cut short: YAML aliases can make a small file hold a huge value."""
    return _REPR.repr(value)


def line_of(value: Any) -> int:
    """The line a parsed value starts on, or 0 for a scalar (which does not know it)."""
    return getattr(value, "line", 0)
