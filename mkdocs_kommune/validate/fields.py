"""Rules every part of the data file shares: known keys, non-empty text, whole numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from ..safetext import first_refused, plain
from ..yamlsource import LineDict
from .hints import did_you_mean
from .problems import Problems, short_repr


def unknown_keys(
    problems: Problems,
    mapping: LineDict,
    allowed: tuple[str, ...],
    entry: str,
    hint: Callable[[str], str | None] | None = None,
) -> None:
    """Report each key not in ``allowed``; ``hint(key)`` may say better what it is."""
    for key in mapping:
        if key not in allowed:
            better = hint(str(key)) if hint is not None else None
            problems.add(
                mapping.line_of(key),
                entry,
                plain(key),
                better
                or f"unknown key;{did_you_mean(str(key), allowed)} allowed keys are "
                f"{', '.join(allowed)}",
            )


def optional_text(
    problems: Problems, mapping: LineDict, key: str, entry: str, prefix: str = ""
) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return visible_text(problems, value, mapping.line_of(key), entry, prefix + key)
    problems.add(mapping.line_of(key), entry, prefix + key, "must be non-empty text")
    return None


def visible_text(problems: Problems, value: str, line: int, entry: str, field: str) -> str | None:
    """Text a reader will see (a name, a link text), or None (reported) if it hides something.

    Control, format (bidi overrides, zero-width) and separator characters are refused rather
    than shown: they can reorder or hide what a reader sees, and would make "Os\u200blo" a
    second Oslo.
    """
    refused = first_refused(value)
    if refused is not None:
        problems.add(
            line,
            entry,
            field,
            f"{short_repr(value)} holds the invisible or control character {refused}; "
            "remove it (retype the text if you cannot see it)",
        )
        return None
    # NFC, so "Åsnes" typed on macOS (NFD) and elsewhere is one name and one URL.
    return unicodedata.normalize("NFC", value.strip())


def count(
    problems: Problems, mapping: LineDict, key: str, entry: str, prefix: str = ""
) -> int | None:
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    problems.add(
        mapping.line_of(key),
        entry,
        prefix + key,
        f"{short_repr(value)} is not a whole number of 0 or more",
    )
    return None
