"""The shared core of the data file's rules: one problem, the collector, and values cut short."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..safetext import plain, short_repr

__all__ = ["Problem", "Problems", "line_of", "locate", "short_repr", "shown"]


@dataclass(frozen=True)
class Problem:
    """One problem of the data file: where it is (line, entry, field) and what to do."""

    line: int
    entry: str
    field: str
    message: str
    column: int = 0  # known for YAML syntax errors only; 0: not known

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        if self.line and self.column:
            where += f":{self.column}"  # file:line:column, which editors and terminals open
        what = ", ".join(
            part for part in (self.entry, self.field and f"field '{self.field}'") if part
        )
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"

    def record(self, path: str) -> dict[str, str | int]:
        """The problem as a plain record (for ``validate --format json``)."""
        record: dict[str, str | int] = {
            "file": path,
            "line": self.line,
            "entry": self.entry,
            "field": self.field,
            "message": self.message,
        }
        if self.column:
            record["column"] = self.column
        return record


# A file can hold a problem per byte or two (`- *m` rows repeat one entry 200,000 times a MB):
# at most this many are kept (the rest only counted), and of one kind only a few are shown.
MAX_KEPT = 10_000
SHOWN_PER_KIND = 10
SHOWN_IN_ALL = 200
_INDEX = re.compile(r"\[\d+\]")


class Problems:
    """Collects every problem of one pass; no problem is fatal alone."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.dropped = 0  # found beyond MAX_KEPT: counted, not kept

    def add(self, line: int, entry: str, field: str, message: str) -> None:
        if len(self.items) >= MAX_KEPT:
            self.dropped += 1
            return
        self.items.append(Problem(line, entry, field, message))

    def __len__(self) -> int:
        return len(self.items) + self.dropped

    def sorted(self) -> list[Problem]:
        """By line; problems of one line keep the order they were found in."""
        return sorted(self.items, key=lambda p: p.line)


def shown(problems: list[Problem], dropped: int = 0) -> tuple[list[Problem], list[Problem]]:
    """The problems to show, and one summary per kind cut short ("and 12,345 more like this").

    A kind is a field (list positions left out) and a message: the same mistake in every entry.
    Past SHOWN_IN_ALL the rest is one line, so the output stays small whatever the file holds.
    """
    seen: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Problem] = {}
    kept: list[Problem] = []
    rest = dropped
    for problem in problems:
        kind = (_INDEX.sub("[]", problem.field), problem.message)
        seen[kind] += 1
        first.setdefault(kind, problem)
        if seen[kind] > SHOWN_PER_KIND:
            continue
        if len(kept) >= SHOWN_IN_ALL:
            rest += 1
            continue
        kept.append(problem)
    summaries: list[Problem] = []
    for kind, count in seen.items():
        if count <= SHOWN_PER_KIND:
            continue
        if len(summaries) < SHOWN_PER_KIND:
            more = f"and {count - SHOWN_PER_KIND:,} more like this"
            summaries.append(Problem(0, "", first[kind].field, more))
        else:
            rest += count - SHOWN_PER_KIND
    if rest:
        summaries.append(
            Problem(0, "", "", f"and {rest:,} more problems; fix these, then check again")
        )
    return kept, summaries


def line_of(value: Any) -> int:
    """The line a parsed value starts on, or 0 for a scalar (which does not know it)."""
    return getattr(value, "line", 0)


def locate(path: tuple[Any, ...], top: Any) -> tuple[str, str]:
    """Entry and field of a value found at ``path`` (keys and indices from the top).

    ``("municipalities", 3, "links", "fdk", "checked")`` is entry ``municipalities[3] (Oslo)``,
    field ``links.fdk.checked``, as the rules name them.
    """
    if not path:
        return "", ""
    head, rest = path[0], list(path[1:])
    entry = "top level"
    if head in ("sources", "municipalities") and rest and isinstance(rest[0], int):
        position = rest.pop(0)
        entry = f"{head}[{position}]"
        label = _label(top, head, position)
        if label:
            entry += f" ({label})"
    elif rest or not isinstance(head, str):
        rest.insert(0, head)
    else:
        return entry, plain(head)
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{plain(p)}" for p in rest)
    return entry, field.lstrip(".")


def _label(top: Any, head: str, position: int) -> str:
    """An entry's name (municipalities) or id (sources), as its other messages show it."""
    try:
        value = top[head][position].get("name" if head == "municipalities" else "id")
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""
    return plain(value.strip()) if isinstance(value, str) and value.strip() else ""
