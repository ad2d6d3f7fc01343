"""The kommune macros, once for both engines.

The MkDocs plugin (``plugin.py``) and the Zensical glue (``zensical.py``) only decide when a page
starts and ends; everything a macro does happens here: checking its arguments, handing Markdown
a marker or an inert token, the serve problems block, and, once the page is HTML, rendering the
blocks in place and reporting what got lost on the way. So a macro behaves the same on both.

A macro never raises: mkdocs-macros (and Zensical's port of it) would turn the exception into an
error block on the page and exit 0. Problems are collected and raised by ``PageMacros.finish``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .arguments import MacroArgumentError, check_locale
from .data import DataError
from .history import History
from .inline import Inline, lost, new_token
from .markers import PageTables
from .model import Dataset
from .render import Renderer
from .safetext import for_terminal
from .selection import (
    COVERAGE_ARGUMENTS,
    MAP_ARGUMENTS,
    TABLE_ARGUMENTS,
    Selection,
    select,
)
from .serveproblems import problems_block

if TYPE_CHECKING:  # the map modules load on a site's first map (about 9 ms of import)
    from .map.svg import MapDrawer, MapRequest

MACRO_NAMES = ("kommune_table", "kommune_coverage", "kommune_map", "kommune_trend")
DATA_VARIABLE = "kommune_data"


class MacroCallError(Exception):
    """A page called a kommune macro with arguments that cannot be honoured."""


@dataclass
class SiteMacros:
    """What every page of one build shares; made anew for each build."""

    dataset: Dataset
    renderer: Renderer
    locale: str  # the site's default; a page's front matter `kommune_locale` wins
    data_error: DataError | None = None  # under serve: shown where the macros would be
    history: History | None = None  # the refresh history: kommune_trend() and since=
    _drawer: MapDrawer | None = None

    @property
    def drawer(self) -> MapDrawer:
        """The map drawer, made on the first map, so pages without one pay nothing."""
        if self._drawer is None:
            from .map.svg import MapDrawer

            self._drawer = MapDrawer(self.renderer.env)
        return self._drawer

    def page(self, path: str, front_matter: Callable[[], Mapping[str, Any]]) -> PageMacros:
        return PageMacros(self, path, front_matter)


@dataclass
class PageMacros:
    """One page's macro calls: what to put where once Markdown is done, and what went wrong."""

    site: SiteMacros
    path: str
    # Read when a macro runs: MkDocs reads a page's front matter after its page begins.
    front_matter: Callable[[], Mapping[str, Any]]
    tables: PageTables = field(default_factory=PageTables)
    inline: dict[str, Inline] = field(default_factory=dict)  # token -> the coverage summary
    errors: list[str] = field(default_factory=list)
    problems_shown: bool = False  # the serve problems block goes on a page once

    # -- the macros ------------------------------------------------------------------------

    def kommune_table(self, *args: Any, **kwargs: Any) -> str:
        """A marker comment; ``finish`` puts the table in its place."""
        if self.site.data_error is not None:
            return self._problems()
        selection = self._select("kommune_table", TABLE_ARGUMENTS, args, kwargs)
        if selection is None:
            return "`kommune_table(): see the build error`"
        return self.tables.add(selection)

    def kommune_coverage(self, *args: Any, **kwargs: Any) -> str:
        """An inert token that ``finish`` swaps for the summary (``inline``).

        The summary holds data (source names), which must never be read as Markdown.
        """
        if self.site.data_error is not None:
            return self._problems()
        selection = self._select("kommune_coverage", COVERAGE_ARGUMENTS, args, kwargs)
        if selection is None:
            return "`kommune_coverage(): see the build error`"
        if selection.by is not None:  # a block (a table), put in after Markdown like the table
            return self.tables.add(selection)
        token = new_token(self.tables.prefix.replace("-", ""), len(self.inline))
        self.inline[token] = Inline.of(self.site.renderer.coverage(selection))
        return token

    def kommune_map(self, *args: Any, **kwargs: Any) -> str:
        """A marker, as for the table: the map is drawn once the page's row ids are known."""
        if self.site.data_error is not None:
            return self._problems()
        selection = self._select("kommune_map", MAP_ARGUMENTS, args, kwargs)
        if selection is None:
            return "`kommune_map(): see the build error`"
        from .map.svg import map_request

        try:
            request = map_request(self.site.dataset, selection)
        except MacroArgumentError as error:
            self.errors.append(f"kommune_map(): {error}")
            return "`kommune_map(): see the build error`"
        return self.tables.add(request)

    def kommune_trend(self, *args: Any, **kwargs: Any) -> str:
        """The chart, drawn now (it links to nothing) and put in after Markdown as a marker."""
        if self.site.data_error is not None:
            return self._problems()
        from .trend import render_trend, trend_request

        history = self.site.history
        try:
            request = trend_request(self.site.dataset, history, args, kwargs, self._locale())
        except MacroArgumentError as error:
            self.errors.append(f"kommune_trend(): {error}")
            return "`kommune_trend(): see the build error`"
        assert history is not None  # trend_request refuses a site without one
        return self.tables.add(render_trend(self.site.renderer.env, history, request))

    @property
    def shown(self) -> str:
        """The page's file name for a message: a name may hold ESC or a bidi override."""
        return for_terminal(str(self.path))

    def functions(self) -> dict[str, Callable[..., str]]:
        """The macros by name, as the engines register them."""
        return {name: getattr(self, name) for name in MACRO_NAMES}

    # -- the page's end --------------------------------------------------------------------

    def finish(self, html: str, title: str = "") -> tuple[str, list[str]]:
        """The page with its blocks rendered in place, and the warnings to log.

        Raises ``MacroCallError`` listing every bad call. The inline tokens are left for the
        engine to swap, since each keeps its title and table of contents its own way.
        """
        if self.errors:
            problems = "\n".join(f"  {message}" for message in self.errors)
            raise MacroCallError(f"{self.shown}: bad kommune macro call:\n{problems}")
        html, lost_tables = self.tables.swap(html, self._block_renderer())
        warnings = [f"{self.shown} calls kommune_table() {reason}" for reason in lost_tables]
        warnings += [
            f"{self.shown} calls kommune_coverage(), but its output was changed before it "
            "reached the page (a Jinja filter such as | upper?)"
            for _ in lost(html, self.inline, title)
        ]
        return html, warnings

    def _block_renderer(self) -> Callable[[Selection | MapRequest, set[str]], Markup]:
        """Renders one page's markers; maps (swapped last) link to the rows its tables got."""
        row_ids: dict[str, str] = {}  # kommunenummer -> row id

        def render(block: Selection | MapRequest, used_ids: set[str]) -> Markup:
            if isinstance(block, Selection):
                return self.site.renderer.block(block, used_ids, row_ids)
            return self.site.drawer.draw(block, row_ids, used_ids)

        return render

    # -- helpers ---------------------------------------------------------------------------

    def _problems(self) -> str:
        """The data file's problems, once per page; later calls leave nothing."""
        assert self.site.data_error is not None
        if self.problems_shown:
            return ""
        self.problems_shown = True
        return self.tables.add(problems_block(self.site.data_error))

    def _select(
        self, name: str, allowed: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Selection | None:
        """The validated arguments, or None after recording the problem for ``finish``."""
        try:
            selection = select(
                self.site.dataset, args, kwargs, allowed=allowed, default_locale=self._locale()
            )
            if selection.since is not None and self.site.history is None:
                raise MacroArgumentError(
                    "since= needs the refresh history: run `mkdocs-kommune refresh` (it writes "
                    "<data file stem>.history.csv beside the data file), or name the file with "
                    "the plugin's `history` option"
                )
            return selection
        except MacroArgumentError as error:
            self.errors.append(f"{name}(): {error}")
            return None

    def _locale(self) -> str:
        """The page's front matter `kommune_locale`, else the site's (``MacroArgumentError``)."""
        locale = self.front_matter().get("kommune_locale")
        if locale is None:
            return self.site.locale
        return check_locale(locale, "front matter kommune_locale")
