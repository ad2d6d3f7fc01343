"""Tables travel through Markdown as marker comments and are rendered once the page is HTML.

Shared by the MkDocs plugin (``on_page_content``) and the Zensical extension (a Markdown
postprocessor), so both engines put the same bytes on the page.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from markupsafe import Markup

from .selection import Selection

if TYPE_CHECKING:  # the map modules load only for a page that draws a map
    from .map.svg import MapRequest

Block: TypeAlias = "Selection | MapRequest"  # a table (or per-county summary), or a map
# What a marker stands for: a block to render, or markup already made (the serve problems
# list), which must reach the page after Markdown too, so no text in it is read as Markdown.
Marked: TypeAlias = "Block | Markup"

_HTML_ID = re.compile(r'\bid="([^"]+)"')
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
_MACRO_CALL = re.compile(r"\{\{[^}]*\bkommune_(?:table|coverage|map)\s*\(")


@dataclass
class PageTables:
    """The tables one page asked for, by marker; cleared for every page."""

    prefix: str = field(default_factory=lambda: f"kommune-{secrets.token_hex(6)}")
    tables: dict[str, Marked] = field(default_factory=dict)

    def add(self, selection: Marked) -> str:
        """Hand Markdown a marker comment in the table's place.

        Markdown leaves a one-line HTML comment alone at top level, in admonitions, list items
        and tabs, where raw table HTML would be wrapped in <p> or turned into a code block.
        """
        marker = f"<!-- {self.prefix}:{len(self.tables)} -->"
        self.tables[marker] = selection
        return marker

    def swap(self, html: str, render: Callable[[Block, set[str]], Markup]) -> tuple[str, list[str]]:
        """The page with each marker replaced by its table, and the reasons tables were lost."""
        # Rendered only now, so row ids can avoid every id the page already has (headings…).
        used_ids = set(_HTML_ID.findall(html)) if self.tables else set()
        lost: list[str] = []
        # Maps last, so they can link to the rows the page's tables got (a stable sort).
        blocks = sorted(self.tables.items(), key=lambda item: not isinstance(item[1], Selection))
        for marker, selection in blocks:
            if marker not in html:
                lost.append(_lost_reason(html, marker))
                continue
            markup = selection if isinstance(selection, Markup) else render(selection, used_ids)
            html = html.replace(f"<p>{marker}</p>", markup).replace(marker, markup)
        self.tables.clear()
        return html, lost


def _lost_reason(html: str, marker: str) -> str:
    if marker.replace("<", "&lt;").replace(">", "&gt;") in html:
        return "inside code, where it shows as a comment; to show the call itself, wrap it in {% raw %}…{% endraw %}"
    return "but its output was changed before it reached the page (a Jinja filter such as | upper?)"


def calls_a_macro(html: str) -> bool:
    """Whether the rendered page still holds a kommune macro call outside code.

    Read from the HTML, so every kind of code (fenced, indented, inline) is told apart by
    Markdown itself.
    """
    return _MACRO_CALL.search(_CODE.sub("", html)) is not None
