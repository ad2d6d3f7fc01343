"""The author's journey: docs/getting-started.md walked as written, then clicked through in Chromium.

The guide's examples run in page order through the same roles as every other docs example
(tests/docs_examples), with two differences: the wheel is built from this checkout and the
guide's install lines really install it, with mkdocs-material and Zensical from the package index,
into the fresh `.venv` the guide creates; and nothing of the test venv is on PATH. Where the guide
reaches the network (`refresh`), the data file's catalogues are the fake server on 127.0.0.1
(a hidden step of the guide says so). `mkdocs gh-deploy` pushes to a bare repository on disk.
After the walk, the built site is served with the guide's `mkdocs serve` and clicked through
with Material's instant navigation, light and dark, at 1280 and 375 px; the screenshots are the
ones in docs/assets/journey-*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from sybil import Example

from tests.docs_examples import DOCS
from tests.docs_examples.workspace import REPO, Workspace
from tests.support.browser import ARTIFACTS, DESKTOP, PHONE, open_page
from tests.support.sites import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

GUIDE = REPO / "docs" / "getting-started.md"
ASSETS = REPO / "docs" / "assets"
STEPS = list(DOCS.parse(GUIDE).examples())


@dataclass
class Walk:
    workspace: Workspace
    examples: list[Example]
    timings: list[tuple[str, float]] = field(default_factory=list)
    done: set[int] = field(default_factory=set)

    def run_until(self, last: int) -> None:
        """Evaluate the guide's examples up to ``last``, each once, in page order."""
        for index in range(last + 1):
            if index in self.done:
                continue
            self.done.add(index)
            example = self.examples[index]
            started = time.monotonic()
            try:
                example.evaluate()
            finally:
                self.timings.append((_step_id(example), time.monotonic() - started))


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    root = tmp_path_factory.mktemp("journey")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PIP_CACHE_DIR": str(root / "pip-cache")},
    )
    (wheel,) = (root / "dist").glob("mkdocs_kommune-*.whl")
    document = DOCS.parse(GUIDE)
    workspace = Workspace(root=root, wheel=wheel)
    document.namespace["workspace"] = workspace
    journey = Walk(workspace, list(document.examples()))
    journey.timings.append(("python -m build --wheel", time.monotonic() - started))
    yield journey
    workspace.close()
    print("\nJourney timings:")
    for what, seconds in journey.timings:
        print(f"  {seconds:6.1f} s  {what}")


def _step_id(example: Example) -> str:
    return f"line{example.line}-{example.parsed.role}"


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[_step_id(e) for e in STEPS])
def test_guide_step(walk: Walk, index: int) -> None:
    """One example of the guide, in page order (each builds on the ones before it)."""
    walk.run_until(index)


# -- the served site in Chromium ------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(walk: Walk) -> Iterator[str]:
    """The guide's `.venv/bin/mkdocs serve`, on a free port; its base URL."""
    walk.run_until(len(walk.examples) - 1)  # the whole guide first, also when run alone
    port = free_port()
    process = subprocess.Popen(
        [".venv/bin/mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=walk.workspace.site,
        env=walk.workspace.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "serve failed"
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _heading(page: Page) -> str:
    return page.locator("article h1").first.inner_text().strip()


def _nav(page: Page, title: str) -> None:
    """Follow the navigation entry, as a reader does: a tab on a desktop, the drawer on a phone."""
    link = page.locator("nav.md-nav--primary a.md-nav__link", has_text=title).first
    if page.viewport_size and page.viewport_size["width"] < 1220:
        _open_drawer(page, link)
        # Playwright counts the sliding drawer's links as outside the viewport; a reader's tap
        # at the link's centre reaches it (checked here), so tap there without that check.
        reached = link.evaluate(
            "a => { const r = a.getBoundingClientRect();"
            " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('a') === a; }"
        )
        assert reached, f"the drawer's {title!r} link is covered"
        link.click(force=True)
    else:
        link.click()
    page.wait_for_function(
        "t => document.querySelector('article h1')?.textContent.includes(t)",
        arg=title,
        timeout=10_000,
    )
    if page.viewport_size and page.viewport_size["width"] < 1220:
        # The next page is shown: the drawer closes (instant navigation unchecks it), then slides.
        page.wait_for_function("!document.getElementById('__drawer').checked", timeout=5_000)
        page.wait_for_timeout(400)


def _open_drawer(page: Page, link: Locator) -> None:
    """Tap the menu button until the drawer has slid in (a tap during a scroll can be lost)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        if not page.locator("#__drawer").is_checked():
            page.locator("label.md-header__button[for=__drawer]").click()
        try:
            page.wait_for_function(
                "a => a.getBoundingClientRect().x >= 0", arg=link.element_handle(), timeout=4_000
            )
        except PlaywrightTimeout:
            page.locator("#__drawer").evaluate("box => { box.checked = false; }")
            continue
        page.wait_for_timeout(300)
        return
    raise AssertionError("the navigation drawer does not open")


def _shot(page: Page, name: str) -> None:
    """Screenshots land in test-artifacts/; UPDATE_SCREENSHOTS=1 writes the docs' own copies."""
    folder = ASSETS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else ARTIFACTS
    folder.mkdir(exist_ok=True)
    page.screenshot(path=folder / f"journey-{name}.png")


def _dark(page: Page) -> None:
    page.locator("label[title='Bytt til mørk modus']").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_click_through_with_instant_navigation(
    browser: Browser, served: str, viewport: dict[str, int]
) -> None:
    errors: list[str] = []
    width = viewport["width"]
    with open_page(browser, served, viewport=viewport) as page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(served + "/")
        assert _heading(page) == "Åpne data i kommunene"
        assert page.locator("article table.kommune-table").count() == 1  # the county summary
        _nav(page, "Kart og tabell")
        assert page.url == served + "/kommuner/"
        assert page.locator("article figure.kommune-map svg").count() == 1
        assert page.locator("article table.kommune-table").count() == 1
        _shot(page, f"map-{width}-light")
        # The map's shape leads to the row of the table below it.
        page.locator("article .kommune-map a[data-kommunenummer='4601']").click()
        page.wait_for_function("location.hash === '#bergen'")
        assert page.locator("tr#bergen").evaluate("row => row.matches(':target')")
        # From a page with a map and a table, instant navigation must still show the next page.
        _nav(page, "Rogaland")
        assert page.url == served + "/rogaland/"
        assert page.locator("article table.kommune-table tbody tr").count() == 23
        _dark(page)
        _shot(page, f"rogaland-{width}-dark")
        _nav(page, "Kart og tabell")
        _shot(page, f"map-{width}-dark")
        # An old address leads to the page.
        page.goto(served + "/kommune/")
        page.wait_for_url(served + "/kommuner/")
    assert errors == [], errors
