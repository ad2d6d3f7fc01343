"""Keep the map's drawing out of the search index.

MkDocs' search (and Material's) index every piece of text in ``page.content`` when their
``on_page_context`` runs: a national map would put 357 tooltips ("Bergen: 2 of 3 sources …"),
its legend and its description into the page's search text. Just before the search plugins
read the page, each map's ``<svg>`` is swapped for a comment; just after, it is put back. What
other plugins do to the page in between is kept: only the comments are replaced.
"""

from __future__ import annotations

import re
import secrets

_EXCLUDE = ' data-search-exclude="true"'  # in templates/kommune/map.html
_MAP_SVG = re.compile(r'<svg [^>]*class="kommune-map-svg".*?</svg>', re.DOTALL)


class SearchText:
    """One build's swapped-out drawings, by the comment that holds their place."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(8)  # no page can hold the comment by chance
        self._hidden: dict[str, str] = {}

    def hide(self, html: str) -> str:
        """``html`` with each map drawing replaced by a comment the search index skips."""

        def swap(match: re.Match[str]) -> str:
            key = f"<!--kommune-map-{self._token}-{len(self._hidden)}-->"
            self._hidden[key] = match.group(0)
            return key

        return _MAP_SVG.sub(swap, html) if "kommune-map-svg" in html else html

    def restore(self, html: str) -> str:
        """The drawings back in place of their comments, without ``data-search-exclude``: it is
        for the search plugins, which strip it (Material, Zensical), so every theme and engine
        publishes the same map."""
        for key in [key for key in self._hidden if key in html]:
            drawing = self._hidden.pop(key).replace(_EXCLUDE, "", 1)
            html = html.replace(key, drawing)
        return html
