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
postprocessor renders them with the plugin's own code (``markers``, ``render``), so both engines
write the same bytes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .inline import Inline, lost, new_token, swap, swap_in_text
from .mapsvg import MapRequest, map_request
from .markers import PageTables, calls_a_macro
from .selection import (
    COVERAGE_ARGUMENTS,
    MAP_ARGUMENTS,
    TABLE_ARGUMENTS,
    MacroArgumentError,
    Selection,
    check_locale,
    select,
)
from .zensical_setup import KommuneError, SiteSetup, site_setup

log = logging.getLogger(__name__)

MODULE = "mkdocs_kommune.zensical"
MACROS = ("kommune_table", "kommune_coverage", "kommune_map")
_MACROS_PRIORITY = 35  # Zensical's macros preprocessor
_current = threading.local()


@dataclass
class PageState:
    """One page: its tables by marker, the problems of its macro calls."""

    path: str = "<page>"
    meta: Mapping[str, Any] = field(default_factory=dict)
    setup: SiteSetup | None = None  # set once the macros module ran for this page
    tables: PageTables = field(default_factory=PageTables)
    inline: dict[str, Inline] = field(default_factory=dict)  # token -> the coverage summary
    errors: list[str] = field(default_factory=list)
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
    state.setup = site_setup(env.conf)
    if env.page is not None:
        state.path, state.meta = str(env.page.path), env.page.meta
    taken = [name for name in MACROS if name in env.macros]
    if taken or "kommune_data" in env.variables:
        raise KommuneError(
            f"kommune: cannot register the macros ({(taken or ['kommune_data'])[0]}); another "
            "macro or variable already uses that name: rename it in your macros module or `extra`"
        )
    env.macro(lambda *args, **kwargs: _table(state, args, kwargs), "kommune_table")
    env.macro(lambda *args, **kwargs: _coverage(state, args, kwargs), "kommune_coverage")
    env.macro(lambda *args, **kwargs: _map(state, args, kwargs), "kommune_map")
    env.variables["kommune_data"] = state.setup.dataset


def _table(state: PageState, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    selection = _select(state, "kommune_table", TABLE_ARGUMENTS, args, kwargs)
    if selection is None:
        return "`kommune_table(): see the build error`"
    return state.tables.add(selection)


def _coverage(state: PageState, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    selection = _select(state, "kommune_coverage", COVERAGE_ARGUMENTS, args, kwargs)
    if selection is None or state.setup is None:
        return "`kommune_coverage(): see the build error`"
    if selection.by is not None:  # a block (a table), put in after Markdown like the table
        return state.tables.add(selection)
    # An inert token, swapped for the summary once Markdown is done (as in the plugin).
    token = new_token(state.tables.prefix.replace("-", ""), len(state.inline))
    state.inline[token] = Inline.of(state.setup.renderer.coverage(selection))
    return token


def _map(state: PageState, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    selection = _select(state, "kommune_map", MAP_ARGUMENTS, args, kwargs)
    try:
        request = (
            map_request(state.setup.dataset, selection, kwargs)
            if state.setup and selection
            else None
        )
    except MacroArgumentError as error:
        state.errors.append(f"kommune_map(): {error}")
        request = None
    if request is None:
        return "`kommune_map(): see the build error`"
    return state.tables.add(request)


def _select(
    state: PageState,
    name: str,
    allowed: tuple[str, ...],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Selection | None:
    """The validated arguments, or None after recording the problem for the postprocessor.

    Raised here, Zensical's macros would turn it into a warning and an error block on the page.
    """
    assert state.setup is not None
    try:
        locale = state.meta.get("kommune_locale")
        default = (
            state.setup.locale
            if locale is None
            else check_locale(locale, "front matter kommune_locale")
        )
        return select(state.setup.dataset, args, kwargs, allowed=allowed, default_locale=default)
    except MacroArgumentError as error:
        state.errors.append(f"{name}(): {error}")
        return None


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
        if state.errors:
            problems = "\n".join(f"  {message}" for message in state.errors)
            raise KommuneError(f"{state.path}: bad kommune macro call:\n{problems}")
        if state.setup is None:
            if calls_a_macro(text):
                log.warning(
                    "kommune: %s calls a kommune macro, but the macros do not run: add "
                    '[project.plugins.macros] with modules = ["%s"] to zensical.toml',
                    state.path,
                    MODULE,
                )
            return text
        html, lost_tables = state.tables.swap(text, _block_renderer(state.setup))
        for reason in lost_tables:
            log.warning("kommune: %s calls kommune_table() %s", state.path, reason)
        for _ in lost(html, state.inline):
            log.warning(
                "kommune: %s calls kommune_coverage(), but its output was changed before it "
                "reached the page (a Jinja filter such as | upper?)",
                state.path,
            )
        toc = _toc_options(self.md)
        _swap_in_toc_tokens(getattr(self.md, "toc_tokens", []), state.inline)
        return swap(html, state.inline, toc.get("slugify"), str(toc.get("separator", "-")))


def _block_renderer(setup: SiteSetup) -> Callable[[Selection | MapRequest, set[str]], Markup]:
    """As the plugin's: maps (swapped last) link to the rows the page's tables got."""
    row_ids: dict[str, str] = {}  # kommunenummer -> row id

    def render(block: Selection | MapRequest, used_ids: set[str]) -> Markup:
        if isinstance(block, MapRequest):
            return setup.drawer.draw(block, row_ids, used_ids)
        return setup.renderer.block(block, used_ids, row_ids)

    return render


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
