"""The trend chart in headless Chromium (Material, light and dark): text size on a phone, colours.

Uses the browser fixtures of ``tests.support.browser``. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.browser import DESKTOP, PHONE, open_page, served
from tests.support.sites import make_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
PALETTE = [
    {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
    {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
]
# The on-screen size of each label: its font size in drawing units times the drawing's scale.
TEXT_PIXELS = """() => [...document.querySelectorAll('.kommune-trend-svg text')].map(t =>
  parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
STROKES = """() => [...document.querySelectorAll('.kommune-trend-svg .kommune-trend-line')].map(
  p => getComputedStyle(p).stroke)"""


@pytest.fixture(scope="module")
def trend_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The docs' data file and illustrative history in a Material site, served on 127.0.0.1."""
    examples = REPO / "docs" / "examples"
    site = make_site(
        tmp_path_factory.mktemp("trend-browser"),
        {
            "data/kommuner.yml": (examples / "kommuner.yml").read_text(encoding="utf-8"),
            "data/kommuner.history.csv": (examples / "kommuner.history.csv").read_text("utf-8"),
            "docs/index.md": "# Trend\n\n{{ kommune_trend() }}\n",
        },
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
        theme={"name": "material", "palette": PALETTE},
    ).build()
    with served(site.site_dir) as url:
        yield url


def test_labels_stay_readable_and_the_colours_follow_the_scheme(
    browser: Browser, trend_url: str, artifacts: Path
) -> None:
    strokes: dict[str, list[str]] = {}
    for viewport in (PHONE, DESKTOP):
        for scheme in ("default", "slate"):
            with open_page(browser, trend_url, viewport=viewport) as page:
                page.goto(trend_url + "/")
                if scheme == "slate":
                    page.locator("label[for='__palette_1']").click()
                page.wait_for_function(
                    "s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme
                )
                figure = page.locator("figure.kommune-trend")
                figure.screenshot(path=artifacts / f"trend-{viewport['width']}-{scheme}.png")
                sizes: list[Any] = page.evaluate(TEXT_PIXELS)
                assert len(sizes) >= 6 and min(sizes) >= 11, (viewport, sizes)
                assert max(sizes) <= 20, (viewport, sizes)  # not shouting on a wide screen
                box = figure.bounding_box()
                assert box is not None and box["width"] <= viewport["width"]
                strokes[scheme] = page.evaluate(STROKES)
    assert len(set(strokes["default"])) == 2  # two lines, two colours
    assert strokes["default"] != strokes["slate"]  # a dark set for the dark scheme
