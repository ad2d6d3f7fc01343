"""Inline macro output (the coverage summary) that Markdown never reads.

The macro hands Markdown a token of lower-case letters and digits, which no Markdown extension
treats as markup and which survives inside paragraphs, headings, list items and table cells.
Once Markdown is done, the token is swapped for the rendered HTML, so no data string is ever
read as Markdown. Where the token landed inside a tag or comment (a heading's ``id``, a
permalink's ``href``, an attribute), it becomes plain escaped text, or a slug in an id; the
table of contents and the page title get the plain text too.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown.extensions.toc import slugify as markdown_slugify
from markupsafe import Markup, escape

Slugify = Callable[[str, str], str]

# Tags and comments of the rendered page; everything between them is text.
_MARKUP = re.compile(r"<!--.*?-->|<[^<>]*>", re.DOTALL)
# Attributes whose value names an id: the token there becomes a slug, as the heading's id.
_ID_ATTRIBUTE = re.compile(r'\b(id|for|href|aria-[a-z]+)="([^"]*)"')


@dataclass(frozen=True)
class Inline:
    """One macro call's output: HTML for text, escaped plain text elsewhere, a slug in ids."""

    html: Markup
    text: str  # HTML-escaped text, as MkDocs keeps titles and table-of-contents entries

    @classmethod
    def of(cls, markup: Markup) -> Inline:
        return cls(markup, str(escape(" ".join(markup.striptags().split()))))

    def slug(self, slugify: Slugify, separator: str) -> str:
        return slugify(html_lib.unescape(self.text), separator)


def new_token(prefix: str, number: int) -> str:
    """``kommune3fa9…c0x``: letters and digits only; the closing ``x`` keeps c1x out of c10x."""
    return f"{prefix}c{number}x"


def swap(
    html: str, inline: Mapping[str, Inline], slugify: Slugify | None, separator: str = "-"
) -> str:
    """Put each token's HTML into the page's text, and plain text or a slug inside tags."""
    tokens = [token for token in inline if token in html]
    if not tokens:
        return html
    slug = slugify or markdown_slugify

    def in_tag(match: re.Match[str]) -> str:
        tag = match.group()
        if not any(token in tag for token in tokens):
            return tag
        tag = _ID_ATTRIBUTE.sub(lambda m: _in_id(m, tokens, inline, slug, separator), tag)
        return _replace(tag, tokens, lambda token: inline[token].text)

    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(html):
        parts.append(_replace(html[position : match.start()], tokens, lambda t: inline[t].html))
        parts.append(in_tag(match))
        position = match.end()
    parts.append(_replace(html[position:], tokens, lambda t: inline[t].html))
    return "".join(parts)


def swap_in_toc(
    items: Iterable[Any],
    inline: Mapping[str, Inline],
    slugify: Slugify | None,
    separator: str = "-",
) -> None:
    """Table-of-contents entries (MkDocs' ``AnchorLink``): titles get text, ids get the slug."""
    slug = slugify or markdown_slugify
    for item in items:
        for token, result in inline.items():
            item.title = item.title.replace(token, result.text)
            item.id = item.id.replace(token, result.slug(slug, separator))
        swap_in_toc(item.children, inline, slugify, separator)


def swap_in_text(text: str, inline: Mapping[str, Inline]) -> str:
    """A page title (HTML-escaped text, as MkDocs gives it) with each token as plain text."""
    for token, result in inline.items():
        text = text.replace(token, result.text)
    return text


def _in_id(
    match: re.Match[str],
    tokens: list[str],
    inline: Mapping[str, Inline],
    slugify: Slugify,
    separator: str,
) -> str:
    name, value = match.groups()
    if name == "href" and not value.startswith("#"):
        return match.group()
    value = _replace(value, tokens, lambda token: inline[token].slug(slugify, separator))
    return f'{name}="{value}"'


def _replace(text: str, tokens: list[str], value: Callable[[str], str]) -> str:
    for token in tokens:
        if token in text:
            text = text.replace(token, value(token))
    return text


def finish_page(page: Any, html: str, inline: Mapping[str, Inline], toc_config: Any) -> str:
    """Swap the tokens in the page's HTML, table of contents and title (a MkDocs ``Page``).

    ``toc_config`` is the site's ``markdown_extensions`` options of ``toc``, whose ``slugify``
    and ``separator`` made the headings' ids.
    """
    options = toc_config if isinstance(toc_config, dict) else {}
    slugify, separator = options.get("slugify"), str(options.get("separator", "-"))
    html = swap(html, inline, slugify, separator)
    swap_in_toc(page.toc, inline, slugify, separator)
    title = page.title
    if isinstance(title, str) and any(token in title for token in inline):
        page.title = swap_in_text(title, inline)
    return html


def lost(html: str, inline: Mapping[str, Inline], title: str = "") -> list[str]:
    """Tokens that did not reach the page unchanged (a Jinja filter such as ``| upper``).

    mkdocs-macros also renders a page title that calls a macro: that token is in ``title``.
    """
    return [token for token in inline if token not in html and token not in title]
