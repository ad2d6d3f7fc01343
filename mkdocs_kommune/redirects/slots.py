"""Render one template for thousands of values: once per shape with a marker per value, then fill in.

A redirect stub is the same page for every alias of a build but for a few printed values (title,
links); rendering it through Jinja a thousand times was most of the plugin's cost per build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import escape

_SLOT = re.compile("\x00([a-z_]+)\x00")


class SlotTemplate:
    """Fills ``template``'s output rendered with markers in place of the values.

    Only for templates that do nothing with their values but print them (autoescaped), such as
    the packaged ``kommune/redirect.html``; one that also tests a value for None (its
    ``{% if canonical %}``) gets a shape per set of None values. Each shape is checked once
    against a real render and falls back to rendering every time if the two differ.
    """

    def __init__(self, template: jinja2.Template) -> None:
        self.template = template
        # Per shape, the skeleton cut at its markers: text, name, text, name, …, text.
        # None: that shape is rendered every time.
        self.shapes: dict[frozenset[str], list[str] | None] = {}

    def render(self, values: Mapping[str, Any]) -> str:
        shape = frozenset(name for name, value in values.items() if value is None)
        if shape not in self.shapes:
            self.shapes[shape] = self._skeleton(values)
        pieces = self.shapes[shape]
        if pieces is None:
            return self.template.render(values)
        return _fill(pieces, values)

    def _skeleton(self, values: Mapping[str, Any]) -> list[str] | None:
        markers = {
            name: None if value is None else f"\x00{name}\x00" for name, value in values.items()
        }
        pieces = _SLOT.split(self.template.render(markers))
        return pieces if _fill(pieces, values) == self.template.render(values) else None


def _fill(pieces: list[str], values: Mapping[str, Any]) -> str:
    """Odd pieces are value names: each becomes its value, escaped as autoescape would."""
    filled = pieces.copy()
    for index in range(1, len(pieces), 2):
        filled[index] = escape(values[pieces[index]])
    return "".join(filled)
