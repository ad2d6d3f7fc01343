"""Values from a data file or a page, made safe to print: escaped, cut short, invisibles shown.

A message may reach a terminal (where ESC starts a colour or moves the cursor, and a newline can
forge a log line) or a CI log viewer (where a bidi override reorders text). So every value a
message quotes goes through ``short_repr`` or ``plain``: control, format (bidi, zero-width) and
separator characters come out as ``\\u202e``-style escapes, and a long value is cut.
"""

from __future__ import annotations

import reprlib
import unicodedata
from typing import Any

from .yamlsource import LineDict, LineList

LIMIT = 60
# Unicode categories refused in what a reader sees (names, texts, ids, URLs): controls (Cc),
# format characters such as bidi overrides, zero-width spaces, soft hyphens and the BOM (Cf),
# lone surrogates (Cs, which cannot even be written as UTF-8), line and paragraph separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class _ShortRepr(reprlib.Repr):
    """``reprlib`` that also cuts LineDict and LineList short (it only knows built-in types)."""

    def __init__(self) -> None:
        super().__init__()  # Python 3.11's Repr takes no arguments; set the limits one by one
        self.maxlevel, self.maxdict, self.maxlist = 2, 3, 3
        self.maxstring, self.maxother, self.maxlong = LIMIT, LIMIT, 40

    def repr_LineDict(self, value: LineDict, level: int) -> str:  # reprlib dispatches by type name
        return self.repr_dict(value, level)

    def repr_LineList(self, value: LineList, level: int) -> str:
        return self.repr_list(value, level)

    def repr_int(self, value: int, level: int) -> str:
        # str() of an int of more than 4,300 digits raises; the bit length tells its size.
        if value.bit_length() > 128:
            return f"<a number of about {int(value.bit_length() * 0.30103) + 1} digits>"
        return super().repr_int(value, level)


_REPR = _ShortRepr()


def short_repr(value: Any) -> str:
    """A value for a message, quoted as Python would, escaped and cut short.

    YAML aliases can make a small file hold a huge value; ``repr`` escapes every character
    that is not printable (controls, ESC, bidi overrides, zero-width spaces).
    """
    return _REPR.repr(value)


def plain(value: object, limit: int = LIMIT) -> str:
    """Text for a message without quotes: unprintable characters escaped, cut to ``limit``."""
    text = str(value) if not isinstance(value, int) else short_repr(value)
    head = text[: limit + 1]
    shown = (
        head if head.isprintable() else "".join(c if c.isprintable() else _escape(c) for c in head)
    )
    return shown if len(shown) <= limit and len(text) <= limit else shown[: limit - 3] + "..."


def for_terminal(text: str) -> str:
    """Text from outside (a server's answer, a file's comment, a path name) made safe to print.

    The one gate to the terminal for strings this program did not write: C0 and C1 controls
    (ESC starts a sequence that can clear the screen or write the clipboard; a newline or a
    carriage return can forge a line), bidi and other format characters (which reorder what a
    reader sees), surrogates and line separators come out as ``\\x1b``-style escapes. Tabs and
    every letter of every script stay as they are.
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        _escape(char) if char != "\t" and unicodedata.category(char) in REFUSED_CATEGORIES else char
        for char in text
    )


def first_refused(text: str) -> str | None:
    """The first control, format or separator character of ``text``, escaped, or None."""
    if text.isascii() and text.isprintable():
        return None  # in ASCII, only the controls (unprintable) are among those refused
    for char in text:
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            name = unicodedata.name(char, "")
            return f"{_escape(char)}{f' ({name.lower()})' if name else ''}"
    return None


def _escape(char: str) -> str:
    if char.isascii():
        return repr(char)[1:-1]
    return f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"
