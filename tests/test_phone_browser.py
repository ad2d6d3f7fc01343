"""The table and the map on a phone and a desktop, in headless Chromium, with Material (light and
dark) and MkDocs' own theme: legend and attribution sizes, one alignment, the caption above the
filter box, sort marks, no scroll trap, row rules in line. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.browser import DESKTOP, PHONE, open_page, served
from tests.support.sites import make_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PAGE = """\
# Coverage

{{ kommune_map(caption="Where the data is") }}

{{ kommune_map(county="Vestland") }}

{{ kommune_table(municipalities="all", caption="Every municipality") }}
"""
PALETTE = [
    {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
    {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
]
THEMES: dict[str, dict[str, Any]] = {
    "material": {"name": "material", "palette": PALETTE},
    "mkdocs": {"name": "mkdocs"},
}

# For each map: the on-screen size of the legend's and the attribution's text (font size in
# drawing units times every scale on the way to the screen: the viewBox and the CSS transform),
# and the left edges of the drawing, its legend, its attribution and its caption.
KEY_TEXT = """() => [...document.querySelectorAll("figure.kommune-map")].map(figure => {
  const svg = figure.querySelector("svg");
  const texts = [...svg.querySelectorAll(".kommune-map-legend text, .kommune-map-attribution")];
  const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const box = svg.getBoundingClientRect();
  const inside = texts.every(t => {
    const r = t.getBoundingClientRect();
    return r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
  });
  const left = e => e ? e.getBoundingClientRect().left : null;
  return {
    smallest: Math.min(...sizes), inside,
    svg: box.left, attribution: left(svg.querySelector(".kommune-map-attribution")),
    legend: left(svg.querySelector(".kommune-map-legend")),
    caption: left(figure.querySelector("figcaption")), national: !!svg.querySelector(".kommune-map-inset"),
  };
})"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The page built with each theme, served on 127.0.0.1: theme -> base URL (no slash)."""
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for name, theme in THEMES.items():
            root = tmp_path_factory.mktemp("phone") / name
            plugins: list[Any] = ["search", {"kommune": {"register": "norway-2024"}}, "macros"]
            site = make_site(root, {"docs/index.md": PAGE}, plugins=plugins, theme=theme).build()
            urls[name] = stack.enter_context(served(site.site_dir))
        yield urls


def _scheme(page: Page, scheme: str) -> None:
    page.evaluate(f"() => document.body.setAttribute('data-md-color-scheme', '{scheme}')")


@pytest.mark.parametrize(
    ("theme", "scheme"), [("material", "default"), ("material", "slate"), ("mkdocs", "light")]
)
def test_legend_and_attribution_are_readable_and_aligned(
    browser: Browser, sites: dict[str, str], artifacts: Path, theme: str, scheme: str
) -> None:
    for name, viewport in (("1280", DESKTOP), ("375", PHONE)):
        with open_page(browser, sites[theme], viewport=viewport) as page:
            page.goto(sites[theme] + "/")
            if theme == "material":
                _scheme(page, scheme)
            maps = page.evaluate(KEY_TEXT)
            assert len(maps) == 2
            for found in maps:
                assert found["smallest"] >= 11, (name, found)
                assert found["inside"], (name, found)  # nothing grows out of the drawing
                # One alignment: the attribution starts where the legend of a county map does,
                # and the caption where the drawing does.
                if not found["national"]:
                    assert abs(found["attribution"] - found["legend"]) < 1, (name, found)
                if found["caption"] is not None:
                    assert abs(found["caption"] - found["svg"]) < 1, (name, found)
            for index, kind in enumerate(("national", "county")):
                page.locator("figure.kommune-map").nth(index).screenshot(
                    path=artifacts / f"map-key-{kind}-{theme}-{scheme}-{name}px.png"
                )


def test_a_long_table_on_a_phone_is_no_scroll_trap(browser: Browser, sites: dict[str, str]) -> None:
    boxes = """() => { const w = document.querySelector(".kommune-table-wrapper.kommune-long");
      return [w.clientHeight, w.scrollHeight, getComputedStyle(w).maxHeight]; }"""
    for theme, url in sites.items():
        with open_page(browser, url, viewport=PHONE) as page:
            page.goto(url + "/")
            client, scroll, max_height = page.evaluate(boxes)
            assert max_height == "none" and scroll <= client + 1, (theme, client, scroll)
        with open_page(browser, url, viewport=DESKTOP) as page:
            page.goto(url + "/")
            client, scroll, max_height = page.evaluate(boxes)
            assert max_height != "none" and scroll > client, (theme, client, scroll)


def test_the_caption_comes_before_the_filter_box(browser: Browser, sites: dict[str, str]) -> None:
    with open_page(browser, sites["material"], viewport=PHONE) as page:
        page.goto(sites["material"] + "/")
        title = page.locator(".kommune-table-title")
        assert title.text_content() == "Every municipality"
        above, box = (
            page.locator(selector).bounding_box()
            for selector in (".kommune-table-title", ".kommune-table-controls input[type=search]")
        )
        assert above is not None and box is not None and above["y"] < box["y"]
        # Screen readers still hear the table's own caption as its name.
        assert page.get_by_role("table", name="Every municipality").count() == 1


def test_sort_marks_are_as_large_and_nearly_as_strong_as_the_header(
    browser: Browser, sites: dict[str, str]
) -> None:
    marks = """() => [...document.querySelectorAll(".kommune-sort")].map(button => {
      const mark = getComputedStyle(button, "::after");
      return [parseFloat(mark.fontSize) / parseFloat(getComputedStyle(button).fontSize),
              parseFloat(mark.opacity)]; })"""
    for url in sites.values():
        with open_page(browser, url, viewport=DESKTOP) as page:
            page.goto(url + "/")
            found = page.evaluate(marks)
            assert found and all(size >= 0.99 and opacity >= 0.75 for size, opacity in found), found


def test_row_rules_stay_in_line_with_the_sticky_column(
    browser: Browser, sites: dict[str, str]
) -> None:
    steps = """() => { const t = document.querySelector("table.kommune-table");
      const rows = [t.tHead.rows[0], ...[...t.tBodies[0].rows].slice(0, 30)];
      return Math.max(...rows.map(tr => { const b = [...tr.cells].map(c => c.getBoundingClientRect().bottom);
        return Math.max(...b) - Math.min(...b); })); }"""
    for url in sites.values():
        for viewport in (DESKTOP, PHONE):
            with open_page(browser, url, viewport=viewport) as page:
                page.goto(url + "/")
                page.locator(".kommune-table-wrapper.kommune-long").evaluate(
                    "w => { w.scrollLeft = 80; w.scrollTop = 150; }"
                )
                assert page.evaluate(steps) < 0.5


# The rows of dark pixels under a header cell, read from a screenshot of the rule in the page
# itself (a canvas), at device pixels: the rule's place as painted, not as laid out.
PAINTED_RULES = """async ([src, xs]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + src;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width;
  canvas.height = img.height;
  const g = canvas.getContext("2d");
  g.drawImage(img, 0, 0);
  return xs.map(x => {
    const dark = [];
    for (let y = 0; y < img.height; y++) {
      const [r, gr, b] = g.getImageData(x, y, 1, 1).data;
      if (r + gr + b < 250) dark.push(y);
    }
    return dark;
  });
}"""


@pytest.mark.parametrize("scale", [1.5, 2.625, 3])
def test_the_sticky_corner_cells_rule_is_painted_in_line(
    browser: Browser, sites: dict[str, str], scale: float
) -> None:
    """On a phone's fractional pixels the sticky corner cell's header rule was painted a pixel
    off the other header cells' (the "1 px step")."""
    row = "thead tr"
    url = sites["material"]
    with open_page(browser, url, viewport=PHONE, device_scale_factor=scale) as page:
        page.goto(url + "/")
        cells = page.evaluate(
            """row => { const tr = document.querySelector(`table.kommune-table ${row}`);
                 tr.scrollIntoView({block: "center"});
                 return [...tr.cells].slice(0, 3).map(c => {
                   const r = c.getBoundingClientRect(); return [r.right - 4, r.bottom]; }); }""",
            row,
        )
        bottom = cells[0][1]
        png = page.screenshot(clip={"x": 0, "y": bottom - 8, "width": 375, "height": 12})
        xs = [round(x * scale) for x, _ in cells if x < 375]
        rules = page.evaluate(PAINTED_RULES, [base64.b64encode(png).decode(), xs])
        assert rules[0] and all(rule == rules[0] for rule in rules), rules
