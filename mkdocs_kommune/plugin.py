"""MkDocs events of the ``kommune`` plugin; each hands its work to a plain function of another module.

The macros themselves live in ``macros.py``, which the Zensical glue runs too: here a page
starts in ``on_pre_page`` and ends in ``on_page_content``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .config import KommuneConfig
from .data import DataError, load_dataset
from .inline import finish_page
from .macros import DATA_VARIABLE, MACRO_NAMES, MacroCallError, PageMacros, SiteMacros
from .markers import calls_a_macro
from .model import Dataset
from .redirects.aliases import RedirectError
from .redirects.build import generate as generate_redirects
from .render import Renderer
from .searchtext import SearchText
from .settings import data_path, shown
from .staticfiles import CSS_URI, JS_URI, packaged

if TYPE_CHECKING:  # mkdocs.livereload pulls in watchdog and http.server: only `serve` needs them
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)


@dataclass
class BuildState:
    """Everything one build needs; made anew in ``on_config`` so serve rebuilds start clean."""

    macros: SiteMacros
    data_path: str | None
    macros_enabled: bool
    page: PageMacros | None = None  # the page being rendered
    search_text: SearchText = field(default_factory=SearchText)


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
        path = self._data_path(config)
        data_error = None
        try:
            dataset = load_dataset(
                path, self.config.register, shown_as=shown(path) if path else None
            )
        except DataError as error:
            if not self._serving:
                raise PluginError(str(error)) from None
            log.info("%s\nThe pages show these problems until the file is fixed.", error)
            dataset, data_error = Dataset((), ()), error
        macros = _macros_plugin(config)
        site = SiteMacros(dataset, Renderer(config.theme.dirs), self.config.locale, data_error)
        self._state = BuildState(site, path, macros_enabled=macros is not None)
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
        for uri, enabled in ((CSS_URI, self.config.stylesheet), (JS_URI, self.config.script)):
            if enabled and files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=packaged(uri)))
        return files

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        self.state.page = self.state.macros.page(page.file.src_uri, lambda: page.meta)
        return page

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        state = self.state
        macros = state.page or state.macros.page(page.file.src_uri, lambda: page.meta)
        state.page = None
        if not state.macros_enabled and calls_a_macro(html):
            log.warning(
                "%s calls a kommune macro, but mkdocs-macros is not enabled: add `- macros` "
                "under `plugins` in mkdocs.yml",
                page.file.src_uri,
            )
        try:
            html, warnings = macros.finish(html, page.title or "")
        except MacroCallError as error:
            raise PluginError(str(error)) from None
        for warning in warnings:
            log.warning("%s", warning)
        if macros.inline:
            html = finish_page(page, html, macros.inline, config.mdx_configs.get("toc"))
        return html

    # The search plugins read page.content in their on_page_context (priority 0): the maps'
    # drawings are out of it just then, so their tooltips do not become the page's search text.
    @event_priority(100)
    def _maps_out_of_search(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        page.content = self.state.search_text.hide(page.content or "")
        return context

    @event_priority(-100)
    def _maps_back(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        page.content = self.state.search_text.restore(page.content or "")
        return context

    on_page_context = CombinedEvent(_maps_out_of_search, _maps_back)

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
                env=self.state.macros.renderer.env,
            )
        except RedirectError as error:
            raise PluginError(f"kommune: refused redirects:\n{error}") from None
        return env

    # -- macros ------------------------------------------------------------------------------

    def _register_macros(self, macros: Any, dataset: Dataset) -> None:
        """Each macro calls the current page's (``macros.PageMacros``), made in ``on_pre_page``."""
        try:
            macros.register_macros({name: self._bound(name) for name in MACRO_NAMES})
            macros.register_variables({DATA_VARIABLE: dataset})
        except KeyError as error:
            raise PluginError(
                f"kommune: cannot register the macros ({error.args[0]}); another macro or variable "
                "already uses that name: rename it in your macros module or `extra`"
            ) from None

    def _bound(self, name: str) -> Callable[..., str]:
        def call(*args: Any, **kwargs: Any) -> str:
            state = self.state
            if state.page is None:  # rendered outside a page's Markdown
                state.page = state.macros.page("<page>", dict)
            result: str = getattr(state.page, name)(*args, **kwargs)
            return result

        call.__name__ = name
        return call

    def _data_path(self, config: MkDocsConfig) -> str | None:
        root = Path(config.config_file_path or "mkdocs.yml").absolute().parent
        path = data_path(self.config.data_, root)
        return str(path) if path is not None else None


def _macros_plugin(config: MkDocsConfig) -> Any:
    """The enabled mkdocs-macros plugin instance, whatever name it was enabled under."""
    from mkdocs_macros.plugin import MacrosPlugin

    return next((p for p in config.plugins.values() if isinstance(p, MacrosPlugin)), None)
