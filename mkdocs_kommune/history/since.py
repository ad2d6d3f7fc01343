"""The ``since`` argument of the macros: a date, or "first" (the history's first date)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ..validate import short_repr

Since = datetime.date | Literal["first"]


def check_since(value: Any) -> Since | None:
    """A date (YAML and front matter give ``datetime.date``), "YYYY-MM-DD" or "first"."""
    if value is None or value == "first":
        return value  # type: ignore[no-any-return]
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    from ..selection import MacroArgumentError  # selection imports this module

    raise MacroArgumentError(
        f'since {short_repr(value)} is not a date; write since="2025-01-01" (YYYY-MM-DD) or '
        'since="first" for the history\'s first date'
    )
