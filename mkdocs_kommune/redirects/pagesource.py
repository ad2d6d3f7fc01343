"""A page's front matter and title read from its Markdown source, as MkDocs reads them.

Used where no engine has read the page for us: pages ``mkdocs build --dirty`` skipped, and every
page when ``mkdocs-kommune redirects`` finishes a site another engine built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data


def read_source(text: str) -> tuple[str, dict[str, Any]]:
    """Markdown and front matter of a page's text (``{}`` when it has none)."""
    return get_data(text)


def read_file(path: Path) -> tuple[str, dict[str, Any]]:
    """Markdown and front matter of a page file; an unreadable page has neither."""
    try:
        return read_source(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return "", {}


def title_from_source(
    markdown: str, meta: dict[str, Any], file_name: str, *, is_homepage: bool
) -> str:
    """Front matter ``title``, first ``# `` heading, then ``Home`` or the file name."""
    title = meta.get("title") or first_heading(markdown)
    if title:
        return str(title)
    return title_from_name(file_name, is_homepage=is_homepage)


def first_heading(markdown: str) -> str | None:
    """A first line ``# Title``, as MkDocs reads a title from Markdown."""
    for line in markdown.splitlines():
        if line.strip():
            return line.strip().lstrip("# ") if line.strip().startswith("# ") else None
    return None


def title_from_name(file_name: str, *, is_homepage: bool) -> str:
    """MkDocs' last resort: ``Home``, or the file name (``plain-page`` → ``Plain page``)."""
    if is_homepage:
        return "Home"
    title = file_name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title
