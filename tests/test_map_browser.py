"""The coverage map as readers see it in headless Chromium: tooltips, keyboard, sizes, speed.

Uses the browser fixtures of ``tests.support.browser`` (Debian's chromium, requests to other hosts
answered locally). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.browser import DESKTOP, EXAMPLE, PAGE, PHONE, open_page, served
from tests.support.sites import make_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SMALLEST = {"1144": "Kvitsøy", "1151": "Utsira", "1835": "Træna", "1856": "Røst", "4633": "Fedje"}
PALETTE = [
    {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
    {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
]


@pytest.fixture(scope="module")
def national_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Material site whose page shows all 357 municipalities, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("map-browser") / "site"
    data = (EXAMPLE / "data" / "kommuner.yml").read_text(encoding="utf-8")
    plugins: list[Any] = [
        "search",
        {"kommune": {"data": "data.yml", "register": "norway-2024"}},
        "macros",
    ]
    site = make_site(
        root,
        {"data.yml": data, "docs/index.md": '# Map\n\n{{ kommune_map(municipalities="all") }}\n'},
        plugins=plugins,
        theme={"name": "material", "palette": PALETTE},
    ).build()
    with served(site.site_dir) as url:
        yield url


def _stroke_width(page: Any, selector: str) -> float:
    return float(
        page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)")
    )


def test_hover_and_keyboard_reach_a_municipality(
    browser: Browser, base_url: str, artifacts: Path
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        page.goto(base_url + PAGE)
        bergen = page.locator("figure [data-kommunenummer='4601']")
        assert bergen.locator("title").text_content() == (
            "Bergen: 2 of 3 sources (Geonorge, Felles datakatalog)"
        )
        resting = _stroke_width(page, "figure [data-kommunenummer='4601'] path")
        bergen.hover()
        assert _stroke_width(page, "figure [data-kommunenummer='4601'] path") > resting

        # From the table, Tab walks its links and then into the map.
        page.locator(".kommune-table-wrapper").focus()
        for _ in range(60):
            page.keyboard.press("Tab")
            number = page.evaluate("() => document.activeElement.dataset?.kommunenummer ?? null")
            if number:
                break
        assert number == "0301", "Tab never reached the map"  # Oslo, the first shape
        focused = "figure [data-kommunenummer='0301'] path"
        assert _stroke_width(page, focused) == 2
        tooltip = page.evaluate("() => document.activeElement.querySelector('title').textContent")
        assert tooltip == "Oslo: 3 of 3 sources (Geonorge, Felles datakatalog, Other portals)"
        page.locator("figure.kommune-map").screenshot(path=artifacts / "map-focus-oslo.png")
        page.keyboard.press("Enter")  # the shape links to its row
        page.wait_for_url("**#oslo", timeout=5000)
        assert page.locator("tr#oslo").is_visible()


def test_smallest_municipalities_stay_visible(
    browser: Browser, national_url: str, artifacts: Path
) -> None:
    for viewport, least in ((DESKTOP, 5), (PHONE, 3)):
        with open_page(browser, national_url, viewport=viewport) as page:
            page.goto(national_url + "/")
            sizes = page.evaluate(
                """numbers => numbers.map(n => {
                     const box = document.querySelector(`figure [data-kommunenummer="${n}"]`)
                       .getBoundingClientRect();
                     return [n, box.width, box.height];
                   })""",
                list(SMALLEST),
            )
            small = [s for s in sizes if min(s[1], s[2]) < least]
            assert not small, f"under {least} px at {viewport['width']} px: {small}"
            if viewport is PHONE:
                page.locator("figure.kommune-map").screenshot(path=artifacts / "map-375px.png")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_national_map_renders_in_both_schemes(
    browser: Browser, national_url: str, artifacts: Path, scheme: str
) -> None:
    with open_page(browser, national_url, viewport=DESKTOP) as page:
        page.goto(national_url + "/")
        if scheme == "slate":
            page.locator("label[for='__palette_1']").click()
        page.wait_for_function(
            "s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme
        )
        figure = page.locator("figure.kommune-map")
        figure.screenshot(path=artifacts / f"map-national-{scheme}.png")
        fills = page.evaluate(
            """() => [...new Set([...document.querySelectorAll('.kommune-map-areas > *')]
                 .map(e => getComputedStyle(e).fill))]"""
        )
        assert len(fills) >= 4, fills  # the steps, nothing found and the hatch all differ
