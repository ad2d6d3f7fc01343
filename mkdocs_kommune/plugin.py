"""MkDocs events of the ``kommune`` plugin; each hands its work to a plain function of another module."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .aliases import RedirectError
from .config import KommuneConfig
from .data import DataError, load_dataset
from .inline import Inline, finish_page, lost, new_token
from .markers import PageTables, calls_a_macro
from .model import Dataset
from .redirects_mkdocs import generate as generate_redirects
from .render import Renderer
from .selection import (
    COVERAGE_ARGUMENTS,
    MAP_ARGUMENTS,
    TABLE_ARGUMENTS,
    MacroArgumentError,
    Selection,
    check_locale,
    select,
)
from .serveproblems import problems_block

if TYPE_CHECKING:  # mkdocs.livereload pulls in watchdog and http.server: only `serve` needs them
    from mkdocs.livereload import LiveReloadServer

    from .mapsvg import MapDrawer, MapRequest  # imported on a site's first map

log = get_plugin_logger(__name__)

CSS_URI = "assets/kommune/kommune.css"
# On every page, as Material's own scripts are: under navigation.instant a page arrives without
# a reload, so a per-page <script> could miss it. It does nothing on pages without a long table.
JS_URI = "assets/kommune/kommune.js"


@dataclass
class BuildState:
    """Everything one build needs; made anew in ``on_config`` so serve rebuilds start clean."""

    dataset: Dataset
    renderer: Renderer
    data_path: str | None
    macros_enabled: bool
    page: Page | None = None
    tables: PageTables = field(default_factory=PageTables)  # what to render where
    map_drawer: MapDrawer | None = None  # made on the first map, so pages without one pay nothing
    inline: dict[str, Inline] = field(default_factory=dict)  # token -> the coverage summary
    page_errors: list[str] = field(default_factory=list)
    data_error: DataError | None = None  # under serve: shown where the macros would be


class KommunePlugin(BasePlugin[KommuneConfig]):
    """Coverage tables of Norwegian municipalities' open data, and redirect_from aliases."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self._state: BuildState | None = None
        self._serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Under `serve`, a broken data file is shown on the pages (serveproblems.py).
        self._serving = command == "serve"

    @property
    def state(self) -> BuildState:
        if self._state is None:
            raise PluginError("kommune: the plugin was used before MkDocs configured it")
        return self._state

    # Runs after mkdocs-macros' own on_config (priority 0), in either plugin order, so the
    # macros register straight into its environment instead of its class-level buffer.
    @event_priority(-50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        data_path = self._data_path(config)
        data_error = None
        try:
            dataset = load_dataset(data_path, self.config.register, shown_as=_shown(data_path))
        except DataError as error:
            if not self._serving:
                raise PluginError(str(error)) from None
            log.info("%s\nThe pages show these problems until the file is fixed.", error)
            dataset, data_error = Dataset((), ()), error
        macros = _macros_plugin(config)
        self._state = BuildState(
            dataset=dataset,
            renderer=Renderer(config.theme.dirs),
            data_path=data_path,
            macros_enabled=macros is not None,
            data_error=data_error,
        )
        if macros is not None:
            self._register_macros(macros, dataset)
        if self.config.stylesheet and CSS_URI not in config.extra_css:
            config.extra_css.insert(0, CSS_URI)
        if self.config.script and JS_URI not in map(str, config.extra_javascript):
            config.extra_javascript.insert(0, JS_URI)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> None:
        if self._state is not None and self._state.data_path is not None:
            server.watch(self._state.data_path)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.config.stylesheet and files.get_file_from_path(CSS_URI) is None:
            css = resources.files("mkdocs_kommune") / "assets" / "kommune.css"
            files.append(File.generated(config, CSS_URI, content=css.read_bytes()))
        if self.config.script and files.get_file_from_path(JS_URI) is None:
            script = resources.files("mkdocs_kommune") / "assets" / "kommune" / "kommune.js"
            files.append(File.generated(config, JS_URI, content=script.read_bytes()))
        return files

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        state = self.state
        state.page = page
        state.tables.tables.clear()
        state.inline.clear()
        state.page_errors.clear()
        return page

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        state = self.state
        if state.page_errors:
            problems = "\n".join(f"  {message}" for message in state.page_errors)
            raise PluginError(f"{page.file.src_uri}: bad kommune macro call:\n{problems}")
        if not state.macros_enabled and calls_a_macro(html):
            log.warning(
                "%s calls a kommune macro, but mkdocs-macros is not enabled: add `- macros` "
                "under `plugins` in mkdocs.yml",
                page.file.src_uri,
            )
        html, lost_tables = state.tables.swap(html, self._block_renderer())
        for reason in lost_tables:
            log.warning("%s calls kommune_table() %s", page.file.src_uri, reason)
        if state.inline:
            for _ in lost(html, state.inline, page.title or ""):
                log.warning(
                    "%s calls kommune_coverage(), but its output was changed before it reached "
                    "the page (a Jinja filter such as | upper?)",
                    page.file.src_uri,
                )
            html = finish_page(page, html, state.inline, config.mdx_configs.get("toc"))
        return html

    # Front matter (redirect_from, redirect_to) is only known once pages are read; MkDocs copies
    # static and generated files after on_env, so stubs added here are written, served and
    # deployed like any other file.
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        try:
            generate_redirects(
                config,
                files,
                self.config.redirects,
                self.config.locale,
                env=self.state.renderer.env,
            )
        except RedirectError as error:
            raise PluginError(f"kommune: refused redirects:\n{error}") from None
        return env

    # -- macros ------------------------------------------------------------------------------

    def _register_macros(self, macros: Any, dataset: Dataset) -> None:
        try:
            macros.register_macros(
                {
                    "kommune_table": self._kommune_table,
                    "kommune_coverage": self._kommune_coverage,
                    "kommune_map": self._kommune_map,
                }
            )
            macros.register_variables({"kommune_data": dataset})
        except KeyError as error:
            raise PluginError(
                f"kommune: cannot register the macros ({error.args[0]}); another macro or variable "
                "already uses that name: rename it in your macros module or `extra`"
            ) from None

    def _kommune_table(self, *args: Any, **kwargs: Any) -> str:
        """A marker comment; ``on_page_content`` puts the table in its place."""
        if self.state.data_error is not None:
            return self.state.tables.add(problems_block(self.state.data_error))
        selection = self._select("kommune_table", TABLE_ARGUMENTS, args, kwargs)
        if selection is None:
            return "`kommune_table(): see the build error`"
        return self.state.tables.add(selection)

    def _kommune_coverage(self, *args: Any, **kwargs: Any) -> str:
        """Hand Markdown an inert token; ``on_page_content`` swaps in the summary (``inline``).

        The summary holds data (source names), which must never be read as Markdown.
        """
        if self.state.data_error is not None:
            return self.state.tables.add(problems_block(self.state.data_error))
        selection = self._select("kommune_coverage", COVERAGE_ARGUMENTS, args, kwargs)
        if selection is None:
            return "`kommune_coverage(): see the build error`"
        if selection.by is not None:  # a block (a table), put in after Markdown like the table
            return self.state.tables.add(selection)
        state = self.state
        token = new_token(state.tables.prefix.replace("-", ""), len(state.inline))
        state.inline[token] = Inline.of(state.renderer.coverage(selection))
        return token

    def _kommune_map(self, *args: Any, **kwargs: Any) -> str:
        """A marker, as for the table: the map is drawn once the page's row ids are known."""
        if self.state.data_error is not None:
            return self.state.tables.add(problems_block(self.state.data_error))
        selection = self._select("kommune_map", MAP_ARGUMENTS, args, kwargs)
        from .mapsvg import map_request  # the map modules cost every build ~9 ms to import

        try:
            request = map_request(self.state.dataset, selection, kwargs) if selection else None
        except MacroArgumentError as error:
            self.state.page_errors.append(f"kommune_map(): {error}")
            request = None
        if request is None:
            return "`kommune_map(): see the build error`"
        return self.state.tables.add(request)

    def _block_renderer(self) -> Callable[[Selection | MapRequest, set[str]], Markup]:
        """Renders one page's markers; maps (swapped last) link to the rows its tables got."""
        state = self.state
        row_ids: dict[str, str] = {}  # kommunenummer -> row id

        def render(block: Selection | MapRequest, used_ids: set[str]) -> Markup:
            if isinstance(block, Selection):
                return state.renderer.block(block, used_ids, row_ids)
            if state.map_drawer is None:
                from .mapsvg import MapDrawer

                state.map_drawer = MapDrawer(state.renderer.env)
            return state.map_drawer.draw(block, row_ids, used_ids)

        return render

    def _select(
        self, name: str, allowed: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Selection | None:
        """The validated arguments, or None after recording the problem.

        The problem fails the build from ``on_page_content``: raised here, mkdocs-macros would
        swallow it, show an error page and exit 0.
        """
        try:
            return select(
                self.state.dataset,
                args,
                kwargs,
                allowed=allowed,
                default_locale=self._page_locale(),
            )
        except MacroArgumentError as error:
            self.state.page_errors.append(f"{name}(): {error}")
            return None

    def _page_locale(self) -> str:
        page = self.state.page
        locale = page.meta.get("kommune_locale") if page is not None else None
        if locale is None:
            return self.config.locale
        return check_locale(locale, "front matter kommune_locale")

    def _data_path(self, config: MkDocsConfig) -> str | None:
        if self.config.data_ is None:
            return None
        base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        return os.path.normpath(os.path.join(base, self.config.data_))


def _shown(path: str | None) -> str | None:
    """A path as the user can click it: relative to the working directory when inside it."""
    if path is None:
        return None
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def _macros_plugin(config: MkDocsConfig) -> Any:
    """The enabled mkdocs-macros plugin instance, whatever name it was enabled under."""
    from mkdocs_macros.plugin import MacrosPlugin

    return next((p for p in config.plugins.values() if isinstance(p, MacrosPlugin)), None)
