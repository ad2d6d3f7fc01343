"""Every catalogue answer is parsed here: bounded in size, depth and types, or refused.

A catalogue's answer is a few levels of objects holding a count. Whatever else a server sends
(JSON nested 100,000 deep, which would end ``json.loads`` in a ``RecursionError``; a number of
5,000 digits; ``NaN``; a string where a count should be) becomes ``BadAnswer``, which the cell's
report shows; nothing a server sends raises anything else.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..safetext import plain, short_repr

# The deepest answer read is {aggregations: {orgPath: [{key, count}]}}: 4 levels. A margin for
# wrappers (CKAN's {result: ...}) and the catalogues' other fields.
MAX_DEPTH = 32
# Felles datakatalog holds about 10^4 datasets in all; a count beyond this is a broken or
# hostile answer, and written to the data file it would print as a wall of digits.
MAX_COUNT = 10_000_000
# Strings hold brackets that do not nest; possessive matching keeps the scan linear.
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_OTHERS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


class BadAnswer(Exception):
    """An answer that holds no count this program can trust; ``str()`` says why."""


def nests_within(content: bytes, depth: int = MAX_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest at most ``depth`` deep.

    Found without parsing: strings out, brackets kept, then each round removes the innermost
    pairs ("[]"), so a text of that depth is empty after ``depth`` rounds (each a C-speed pass).
    """
    brackets = _STRING.sub(b"", content).translate(_ONE_KIND, _OTHERS)
    for _ in range(depth):
        if not brackets:
            return True
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            return True  # unbalanced: not JSON, which json.loads says (at its first stray bracket)
        brackets = shorter
    return not brackets


def parse_json(content: bytes, content_type: str | None = None) -> Any:
    """The JSON value of an answer's body, or ``BadAnswer`` saying why there is none."""
    kind = plain(content_type) if content_type else "no content type"
    if not nests_within(content):
        raise BadAnswer(
            f"the answer nests deeper than {MAX_DEPTH} levels; not a catalogue's answer"
        )
    try:
        return json.loads(content, parse_constant=_refuse_constant)
    except BadAnswer:
        raise
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadAnswer(f"malformed JSON in the answer ({kind})") from None


def _refuse_constant(name: str) -> Any:
    raise BadAnswer(f"the answer holds {name}, which is not JSON")


def member(answer: Any, *path: str) -> Any:
    """The value at ``path`` (object keys) in an answer, or ``BadAnswer`` naming what is missing."""
    value = answer
    for key in path:
        if not isinstance(value, dict) or key not in value:
            raise BadAnswer(f"unexpected answer: no `{'.'.join(path)}` in it")
        value = value[key]
    return value


def whole_number(answer: Any, *path: str) -> int:
    """The count at ``path`` in an answer, checked to be a whole number from 0 to MAX_COUNT."""
    value = member(answer, *path)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise BadAnswer(
            f"unexpected answer: `{'.'.join(path)}` is {short_repr(value)}, not a count of datasets"
        )
    return value


def list_of_objects(answer: Any, *path: str) -> list[dict[str, Any]]:
    """The list of objects at ``path``; anything else in it is ``BadAnswer``."""
    value = member(answer, *path)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadAnswer(f"unexpected answer: `{'.'.join(path)}` is not a list of objects")
    return value


def text(answer: Any, *path: str) -> str:
    """The string at ``path``; a number or anything else is ``BadAnswer``."""
    value = member(answer, *path)
    if not isinstance(value, str):
        raise BadAnswer(f"unexpected answer: `{'.'.join(path)}` is {short_repr(value)}, not text")
    return value
