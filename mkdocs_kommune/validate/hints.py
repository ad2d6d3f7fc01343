"""What to try when the data file is wrong in a way its author did not mean: a YAML syntax
error, a misspelt id or key. Pure functions of the text, so each hint is tested on its own."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..safetext import plain

_INDENT = "check the indentation: spaces only, each level 2 more than its parent"
_QUOTE = 'put a value holding `: ` or ` #` in quotes, e.g. `text: "Data: maps"`'


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " did you mean 'geonorge'?" for a close match (difflib), else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" did you mean {plain(close[0])!r}?" if close else ""


def yaml_hint(problem: str, char: str, context_line: int) -> str:
    """A likely fix for a YAML syntax error: ``problem`` is what PyYAML says, ``char`` the
    character where it stopped, ``context_line`` the line where the construct began (or 0)."""
    if char == "\t" or "tab" in problem:
        return "YAML indents with spaces, not tabs: replace the tab at that column with spaces"
    if "cannot start any token" in problem:
        return (
            f'a value starting with {char!r} must be in quotes, e.g. "{char}value"'
            if char.strip()
            else _INDENT
        )
    if "quoted scalar" in problem:
        where = f" on line {context_line}" if context_line else ""
        return f"the quote opened{where} is never closed: end the value with the same quote"
    if "flow" in problem:  # an unclosed [ or {
        # PyYAML marks where a flow list or mapping began, not where a flow node did.
        opened = "flow sequence" in problem or "flow mapping" in problem
        where = f" on line {context_line}" if context_line and opened else ""
        return (
            f"the [ or {{ opened{where} is never closed; a text starting with [ or {{ "
            "must be in quotes"
        )
    if "mapping values are not allowed" in problem:
        return f"{_QUOTE}; or {_INDENT}"
    if "expected '-' indicator" in problem or "expected key" in problem or "block end" in problem:
        return f"{_INDENT}: line this one up with the keys (or `- ` items) above it"
    if "could not find expected ':'" in problem:
        return "a key needs `: ` after it, or the line above needs quotes around its value"
    return f"{_INDENT}, and {_QUOTE}"
