"""Headless Chromium (Debian's ``chromium``) for the browser tests, and the served example site.

The example site is built into a temporary folder and served on 127.0.0.1 by a thread running
``http.server``. Requests to any other host are answered by the test itself (``open_page``), so
nothing leaves the machine. Screenshots go to ``test-artifacts/``.

Without a browser these tests skip with the reason; with ``CI=true`` a missing browser fails them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from tests.support.sites import Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route


REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "example-site"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("KOMMUNE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE = "/news/municipalities/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
EXTERNAL_PAGE = "<!doctype html><title>External page (stub)</title><p>Left the site.</p>"


def unavailable(reason: str) -> NoReturn:
    """Skip with the reason locally; fail under CI, where the browser is part of the setup."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run; install Debian's chromium)")
    pytest.skip(reason)


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(
            f"no Chromium at {CHROMIUM} (apt-get install chromium, or set KOMMUNE_CHROMIUM)"
        )
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        unavailable(f"the playwright package is not installed: {error}")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield chromium
        chromium.close()


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("site", "__pycache__"))
    return target


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built strictly; returns its ``site`` folder."""
    site = Site(copy_example(tmp_path_factory.mktemp("browser") / "example-site")).build()
    return site.site_dir


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path, port: int = 0) -> Iterator[str]:
    """``folder`` served by http.server on 127.0.0.1 (``port`` 0: a free one); yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def base_url(example_site: Path) -> Iterator[str]:
    """The built example site served on a free port of 127.0.0.1."""
    with served(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextmanager
def open_page(browser: Browser, base: str, **options: Any) -> Iterator[Page]:
    """A page in a fresh context; requests to other hosts get a local stub page."""
    context = browser.new_context(**options)

    def route(route: Route) -> None:
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=EXTERNAL_PAGE)

    context.route("**/*", route)
    try:
        yield context.new_page()
    finally:
        context.close()
