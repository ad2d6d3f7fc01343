"""Checks of single macro arguments; ``selection`` combines them into rows and columns.

Every check raises ``MacroArgumentError`` with what was given and what would be valid.
"""

from __future__ import annotations

import datetime
from typing import Any

from .history.since import Since
from .i18n import LOCALES
from .validate import short_repr


class MacroArgumentError(ValueError):
    """A macro was called with an argument that cannot be honoured."""


def check_locale(value: Any, what: str) -> str:
    if value not in LOCALES:
        raise MacroArgumentError(
            f"{what} {short_repr(value)} is not supported; use one of: {', '.join(LOCALES)}"
        )
    return str(value)


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
    raise MacroArgumentError(
        f'since {short_repr(value)} is not a date; write since="2025-01-01" (YYYY-MM-DD) or '
        'since="first" for the history\'s first date'
    )


def default(value: Any, default: Any) -> Any:
    return default if value is None else value


def limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MacroArgumentError(
            f"limit must be a whole number of 0 or more; got {short_repr(value)}"
        )
    return value


def optional_text(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise MacroArgumentError(f"{name} must be text; got {short_repr(value)}")


def flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    raise MacroArgumentError(f"{name} must be true or false; got {short_repr(value)}")
