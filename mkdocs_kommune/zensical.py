"""Zensical: the kommune macros and the Markdown extension that puts the tables in place.

Zensical runs no MkDocs plugins, but it runs mkdocs-macros-style modules (``define_env``) and
Python-Markdown extensions. This one module is both; enable it twice in ``zensical.toml``::

    [project.markdown_extensions."mkdocs_kommune.zensical"]
    [project.plugins.macros]
    modules = ["mkdocs_kommune.zensical"]

and give the plugin's options under ``[project.extra.kommune]`` (``extra: kommune:`` in a
``mkdocs.yml``), the one block of the site's settings Zensical hands to macros as it is.

Per page, Zensical makes a new Markdown instance: the extension's preprocessor (before the macros)
makes the page's state current in this thread, the macros record their tables in it, and the
postprocessor finishes the page with the same code as the plugin (``macros``), so both engines
write the same bytes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .inline import Inline, swap, swap_in_text
from .macros import DATA_VARIABLE, MACRO_NAMES, MacroCallError, PageMacros
from .markers import calls_a_macro
from .zensical_setup import KommuneError, site_setup

log = logging.getLogger(__name__)

MODULE = "mkdocs_kommune.zensical"
_MACROS_PRIORITY = 35  # Zensical's macros preprocessor
_current = threading.local()


@dataclass
class PageState:
    """One page: set up by the preprocessor, given its macros by ``define_env``."""

    path: str = "<page>"
    macros: PageMacros | None = None  # set once the macros module ran for this page
    tree_done: bool = False  # the next postprocessor run is the whole page, not a heading


# -- the macros module -----------------------------------------------------------------------


def define_env(env: Any) -> None:
    """Zensical's macros call this for every page: register the macros and ``kommune_data``."""
    state: PageState | None = getattr(_current, "state", None)
    if state is None:
        raise KommuneError(
            f"kommune: the macros module {MODULE} needs its Markdown extension too: add "
            f'[project.markdown_extensions."{MODULE}"] to zensical.toml '
            f"(or `- {MODULE}` under markdown_extensions in mkdocs.yml)"
        )
    site = site_setup(env.conf)
    meta: Mapping[str, Any] = {}
    if env.page is not None:
        state.path, meta = str(env.page.path), env.page.meta
    taken = [name for name in MACRO_NAMES if name in env.macros]
    if taken or DATA_VARIABLE in env.variables:
        raise KommuneError(
            f"kommune: cannot register the macros ({(taken or [DATA_VARIABLE])[0]}); another "
            "macro or variable already uses that name: rename it in your macros module or `extra`"
        )
    state.macros = site.page(state.path, lambda: meta)
    for name, function in state.macros.functions().items():
        env.macro(function, name)
    env.variables[DATA_VARIABLE] = site.dataset


# -- the Markdown extension ------------------------------------------------------------------


class _BeginPage(Preprocessor):
    """Runs just before the macros: this page's state becomes the thread's current one."""

    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        _current.state = self.state
        return lines


class _EndTree(Treeprocessor):
    """Runs after every other treeprocessor; toc runs the postprocessors on headings before."""

    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: Element) -> None:
        self.state.tree_done = True


class _PlaceTables(Postprocessor):
    """Runs on the page's final HTML, as the plugin's ``on_page_content`` does."""

    def __init__(self, md: Markdown, state: PageState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        state = self.state
        if not state.tree_done:
            return text  # a heading's text for the table of contents
        if getattr(_current, "state", None) is state:
            _current.state = None
        macros = state.macros
        if macros is None:
            if calls_a_macro(text):
                log.warning(
                    "kommune: %s calls a kommune macro, but the macros do not run: add "
                    '[project.plugins.macros] with modules = ["%s"] to zensical.toml',
                    state.path,
                    MODULE,
                )
            return text
        try:
            html, warnings = macros.finish(text, _page_title(self.md))
        except MacroCallError as error:
            raise KommuneError(str(error)) from None
        for warning in warnings:
            log.warning("kommune: %s", warning)
        if not macros.inline:
            return html
        toc = _toc_options(self.md)
        _swap_in_toc_tokens(getattr(self.md, "toc_tokens", []), macros.inline)
        _swap_in_title(self.md, macros.inline)
        return swap(html, macros.inline, toc.get("slugify"), str(toc.get("separator", "-")))


def _toc_options(md: Markdown) -> dict[str, Any]:
    """The toc extension's slugify and separator, which made the headings' ids."""
    try:
        toc = md.treeprocessors["toc"]
    except KeyError:
        return {}
    return {"slugify": getattr(toc, "slugify", None), "separator": getattr(toc, "sep", "-")}


def _swap_in_toc_tokens(items: list[dict[str, Any]], inline: Mapping[str, Inline]) -> None:
    """Zensical reads the table of contents from ``toc_tokens``: their names get plain text."""
    for item in items:
        for key in ("name", "html"):
            if isinstance(item.get(key), str):
                item[key] = swap_in_text(item[key], inline)
        _swap_in_toc_tokens(item.get("children", []), inline)


def _context_page(md: Markdown) -> Any:
    """Zensical's page of this render (``zensical.extensions.context``), if there is one."""
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor":
            return getattr(processor, "page", None)
    return None


def _page_title(md: Markdown) -> str:
    page = _context_page(md)
    title = getattr(page, "title", None) if page is not None else None
    return title if isinstance(title, str) else ""


def _swap_in_title(md: Markdown, inline: Mapping[str, Inline]) -> None:
    """A title the macros rendered from front matter (``title: Covered {{ … }}``) gets text."""
    page = _context_page(md)
    if page is None:
        return
    for attribute in ("title_override", "rendered_metadata_title"):
        value = getattr(page, attribute, None)
        if isinstance(value, str) and any(token in value for token in inline):
            setter = "title" if attribute == "title_override" else attribute
            setattr(page, setter, swap_in_text(value, inline))


class KommuneExtension(Extension):
    """Markdown extension ``mkdocs_kommune.zensical``; its options live in ``extra: kommune``."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs:
            raise KommuneError(
                f"kommune: the Markdown extension {MODULE} takes no options "
                f"(got {', '.join(sorted(kwargs))}): put them under [project.extra.kommune]"
            )
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:
        state = PageState()
        md.preprocessors.register(_BeginPage(md, state), "kommune_page", _MACROS_PRIORITY + 1)
        md.treeprocessors.register(_EndTree(md, state), "kommune_tree_done", -100)
        # Lowest priority: after raw_html has put the marker comments back.
        md.postprocessors.register(_PlaceTables(md, state), "kommune_tables", 0)


def makeExtension(**kwargs: Any) -> KommuneExtension:
    return KommuneExtension(**kwargs)
