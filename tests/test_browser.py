"""What readers of the example site see, checked in headless Chromium (Debian's ``chromium``).

The example site is built into a temporary folder and served on 127.0.0.1: by a thread running
``http.server`` for the static checks, by a real ``mkdocs serve`` for live reload. Requests to any
other host are answered by the test itself, so nothing leaves the machine. Screenshots go to
``test-artifacts/``.

Without a browser these tests skip with the reason; with ``CI=true`` a missing browser fails them.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.support.browser import (
    DESKTOP,
    PAGE,
    PHONE,
    copy_example,
    open_page,
)
from tests.support.sites import Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


# -- redirects ----------------------------------------------------------------------------------


def test_alias_keeps_query_and_hash(browser: Browser, base_url: str) -> None:
    with open_page(browser, base_url) as page:
        page.goto(f"{base_url}/kommuner/?from=old#bergen")
        page.wait_for_url(lambda url: urlsplit(url).path == PAGE, timeout=5000)
        assert page.url == f"{base_url}{PAGE}?from=old#bergen"
        assert page.locator("table.kommune-table tr#bergen").is_visible()


def test_alias_without_javascript_follows_meta_refresh(browser: Browser, base_url: str) -> None:
    with open_page(browser, base_url, java_script_enabled=False) as page:
        page.goto(f"{base_url}/kommuner/?from=old#bergen")
        page.wait_for_url(lambda url: urlsplit(url).path == PAGE, timeout=5000)
        assert page.locator("table.kommune-table").is_visible()


# -- the table ----------------------------------------------------------------------------------

# The rule under each row is drawn by its cells (so it moves with the sticky first column):
# each row reports its weakest cell.
ROW_RULES = """() => [...document.querySelectorAll("table.kommune-table tbody tr")].map(tr => {
  const rules = [...tr.cells].map(cell => getComputedStyle(cell)).map(style => ({
    id: tr.id, style: style.borderBottomStyle, width: parseFloat(style.borderBottomWidth),
    color: style.borderBottomColor}));
  return rules.find(r => r.style !== "solid" || r.width < 1) || rules[0];
})"""

LINK_HITS = """() => [...document.querySelectorAll("table.kommune-table a")].map(a => {
  a.scrollIntoView({block: "center", inline: "center"});
  const box = a.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {text: a.textContent, row: a.closest("tr").id, width: box.width, height: box.height,
          hit: hit === a || a.contains(hit), on: hit ? hit.outerHTML.slice(0, 80) : null};
})"""


def test_table_is_visible_ruled_clickable_and_accessible(
    browser: Browser, base_url: str, artifacts: Path
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        page.goto(base_url + PAGE)
        table = page.locator("table.kommune-table")
        assert table.is_visible()
        page.screenshot(path=artifacts / "example-page-light.png")
        assert table.locator("tbody tr").count() == 10

        rules = page.evaluate(ROW_RULES)
        unruled = [r for r in rules if r["style"] != "solid" or r["width"] < 1]
        assert not unruled, f"rows without a bottom rule: {unruled}"
        transparent = [r for r in rules if r["color"] in ("transparent", "rgba(0, 0, 0, 0)")]
        assert not transparent, f"invisible row rules: {transparent}"

        hits = page.evaluate(LINK_HITS)
        assert len(hits) == 19  # the seed's links: Geonorge 8, Felles datakatalog 5, other 6
        covered = [h for h in hits if not h["hit"] or h["width"] == 0 or h["height"] == 0]
        assert not covered, f"links another element covers (or of no size): {covered}"

        link = page.locator("tr#bergen a", has_text="Map data")
        href = link.evaluate("a => a.href")
        link.click()
        page.wait_for_url(href, timeout=5000)
        assert page.title() == "External page (stub)"

        page.goto(base_url + PAGE)
        snapshot = page.locator("table.kommune-table").aria_snapshot()
        empty_cells = page.locator("table.kommune-table td.kommune-empty").count()
        assert empty_cells == 11
        assert snapshot.count('- cell "Nothing found"') == empty_cells, snapshot
        assert "\u2013" not in snapshot  # the visible en dash is hidden from screen readers
        kristiansand = page.locator("tr#kristiansand").aria_snapshot()
        assert kristiansand.splitlines()[0] == (
            '- row "Kristiansand Nothing found Nothing found Nothing found":'
        ), kristiansand
        # The scroll region is named by the caption, which says the links are the 2018 ones.
        region = page.get_by_role("region", name="The 2018 snapshot of the links")
        assert region.locator("table").count() == 1


SIDEWAYS = """() => {
  const root = document.documentElement;
  const wrapper = document.querySelector(".kommune-table-wrapper");
  const before = {scrollWidth: wrapper.scrollWidth, clientWidth: wrapper.clientWidth};
  wrapper.scrollLeft = 80;
  window.scrollTo(80, window.scrollY);
  return {page: {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
                 scrollX: window.scrollX},
          wrapper: {...before, scrollLeft: wrapper.scrollLeft,
                    overflowX: getComputedStyle(wrapper).overflowX}};
}"""


def test_phone_width_scrolls_the_table_not_the_page(
    browser: Browser, base_url: str, artifacts: Path
) -> None:
    with open_page(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(base_url + PAGE)
        page.locator("table.kommune-table").scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "example-page-375px.png")
        measured = page.evaluate(SIDEWAYS)
        assert measured["page"]["scrollWidth"] <= measured["page"]["clientWidth"], measured
        assert measured["page"]["scrollX"] == 0, measured
        assert measured["wrapper"]["scrollWidth"] > measured["wrapper"]["clientWidth"], measured
        assert measured["wrapper"]["scrollLeft"] > 0, measured
        page.screenshot(path=artifacts / "example-page-375px-scrolled.png")


# WCAG 2 contrast of every text in the table against the background it is drawn on: the first
# opaque background up the tree, with semi-transparent layers and text colour blended over it.
# Colours are normalised by painting them on a canvas, whatever syntax getComputedStyle uses.
CONTRAST = """() => {
  const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  const rgba = colour => {
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = "#000"; ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return a === 0 ? [0, 0, 0, 0] : [r * 255 / a, g * 255 / a, b * 255 / a, a / 255];
  };
  const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3]));
  const background = element => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255];  // the canvas behind everything
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = rgb => {
    const [r, g, b] = rgb.map(c => { c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const selector = "table.kommune-table :is(caption, th, td, a, span:not(.kommune-sr-only))";
  return [...document.querySelectorAll(selector)]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => {
      const bg = background(e);
      const fg = over(rgba(getComputedStyle(e).color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      return {text: e.textContent.trim(), tag: e.tagName, ratio: (hi + 0.05) / (lo + 0.05),
              fg: fg.map(Math.round), bg: bg.map(Math.round)};
    });
}"""


@pytest.mark.parametrize("scheme", ["slate", "default"])
def test_table_text_contrast_in_material_schemes(
    browser: Browser, base_url: str, artifacts: Path, scheme: str
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        page.goto(base_url + PAGE)
        if scheme == "slate":  # the example site opens light; switch the way a reader does
            page.locator("label[for='__palette_1']").click()
        page.wait_for_function(
            "s => document.body.getAttribute('data-md-color-scheme') === s", arg=scheme
        )
        page.locator("table.kommune-table").scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"example-page-{scheme}.png")
        measured = page.evaluate(CONTRAST)
        assert len(measured) > 40
        low = [m for m in measured if m["ratio"] < 4.5]
        assert not low, f"{len(low)} texts below 4.5:1 in {scheme}: {low[:5]}"


# -- live reload ----------------------------------------------------------------------------------


def _wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


NEW_ROW = """  - name: Ålesund
    links:
      other:
        url: https://example.org/alesund
        text: Ålesund test portal
"""


def test_live_reload_shows_a_data_file_edit(
    browser: Browser, tmp_path: Path, artifacts: Path
) -> None:
    project = copy_example(tmp_path / "example-site")
    with Site(project).serve() as base:
        _wait_until(lambda: _answers(base + PAGE), 30, f"mkdocs serve at {base}")
        with open_page(browser, base, viewport=DESKTOP) as page:
            page.goto(base + PAGE)
            assert page.locator("table.kommune-table tbody tr").count() == 10
            page.evaluate("() => { window.kommuneNotReloaded = true; }")

            data = project / "data" / "kommuner.yml"
            data.write_text(data.read_text(encoding="utf-8") + NEW_ROW, encoding="utf-8")
            edited = time.monotonic()
            # No page.reload(): only the livereload script of mkdocs serve may bring the row.
            page.locator("tr#alesund").wait_for(state="visible", timeout=10_000)
            elapsed = time.monotonic() - edited

            assert page.locator("table.kommune-table tbody tr").count() == 11
            assert page.locator("tr#alesund a").get_attribute("href") == (
                "https://example.org/alesund"
            )
            assert page.evaluate("() => window.kommuneNotReloaded") is None  # reloaded itself
            page.locator("tr#alesund").scroll_into_view_if_needed()
            page.screenshot(path=artifacts / "live-reload-new-row.png")
        assert elapsed < 10
        print(f"live reload: new row visible {elapsed:.2f} s after the data file was saved")
