"""A 357-row table in headless Chromium: filter, sort, keyboard, sticky header and first column,
no JavaScript, and Material's instant navigation; in the material, mkdocs and readthedocs themes.

One site per theme, built once for the module and served together on 127.0.0.1. Screenshots go
to ``test-artifacts/long-table-*.png``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mkdocs_kommune.model import norwegian_sort_key
from mkdocs_kommune.register import load_register
from tests.support.browser import DESKTOP, PHONE, open_page
from tests.support.browser import served as serve_folder
from tests.support.sites import free_port, make_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

THEMES = ("material", "mkdocs", "readthedocs")
REGISTER = load_register()
TOTAL = len(REGISTER.entries)

DATA = """\
register: norway-2024
sources:
  - id: geonorge
    name: Geonorge
    link_text: Map data
    url: "https://kartkatalog.geonorge.no/search?organization={organization}"
  - id: fdk
    name: Felles datakatalog
    url: "https://fellesdatakatalog.brreg.no/?orgPath=%2FKOMMUNE%2F{orgnr}"
municipalities:
  - {name: Oslo, links: {geonorge: {datasets: 41}, fdk: {datasets: 12}}}
  - {name: Bergen, links: {geonorge: {datasets: 30}, fdk: {datasets: 20}}}
  - {name: Bærum, links: {geonorge: {datasets: 15}, fdk: {datasets: 3}}}
  - {name: Ås, links: {geonorge: {datasets: 9}}}
  - {name: Tromsø, links: {geonorge: {datasets: 7}}}
  - {name: Ålesund, links: {geonorge: {datasets: 2}}}
  - {name: Øygarden, links: {fdk: {datasets: 1}}}
  - {name: Aremark, links: {geonorge: {datasets: 0}}}
"""

PAGES = {
    "docs/index.md": "# Home\n\nSee [all municipalities](all.md).\n",
    "docs/all.md": "# All municipalities\n\n{{ kommune_table(municipalities='all', counts=true) }}\n",
    "docs/mixed.md": (
        "# A Markdown table and ours\n\n| Word |\n| --- |\n| beta |\n| alfa |\n| gamma |\n\n"
        "{{ kommune_table(municipalities=['Bergen', 'Ås', 'Oslo', 'Ørland'], interactive=true) }}\n"
    ),
}

# Material's tablesort recipe (Tablesort 5, MIT, vendored in tests/fixtures), with a selector
# wider than the recipe's `article table:not([class])`, so it reaches our table too.
TABLESORT = (Path(__file__).parent / "fixtures" / "tablesort.min.js").read_text(encoding="utf-8")
TABLESORT_INIT = """document$.subscribe(function () {
  document.querySelectorAll("article table").forEach(function (table) { new Tablesort(table); });
});
"""

THEME_CONFIG: dict[str, dict[str, Any]] = {
    "material": {
        "name": "material",
        "features": ["navigation.instant"],
        "palette": [
            {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
            {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
        ],
    },
    "mkdocs": {"name": "mkdocs"},
    "readthedocs": {"name": "readthedocs"},
}


def fold(text: str) -> str:
    """The matching rule the filter documents, written again here: no accents, æ → ae, ø → o."""
    text = text.casefold().replace("æ", "ae").replace("ø", "o")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("aa", "a")


def expected_matches(query: str) -> list[str]:
    wanted = fold(query)
    return [
        e.name
        for e in REGISTER.entries
        if wanted in fold(f"{e.name} {e.kommunenummer} {e.county_name}")
    ]


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``/<theme>/all/`` for each theme, from one http.server on a free port."""
    root = tmp_path_factory.mktemp("long-tables")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    served = root / "served"
    for theme in THEMES:
        material = theme == "material"
        scripts = {"docs/js/tablesort.min.js": TABLESORT, "docs/js/init.js": TABLESORT_INIT}
        make_site(
            root / theme,
            {**PAGES, "data.yml": DATA, **(scripts if material else {})},
            plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
            theme=THEME_CONFIG[theme],
            extra_javascript=["js/tablesort.min.js", "js/init.js"] if material else [],
            site_url=f"{base}/{theme}/",  # Material's instant navigation needs it
            site_dir=str(served / theme),
        ).build()
    with serve_folder(served, port):
        yield base


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(".kommune-table-controls input[type=search]").wait_for()


VISIBLE_NAMES = """() => [...document.querySelectorAll("table.kommune-table tbody tr")]
  .filter(tr => !tr.hidden && tr.getClientRects().length > 0)
  .map(tr => tr.querySelector("th").textContent)"""

COLUMN = """column => [...document.querySelectorAll("table.kommune-table tbody tr")]
  .map(tr => column === 0 ? tr.cells[0].textContent
                          : Number(tr.cells[column].getAttribute("data-kommune-value")))"""

STATES = """column => [...document.querySelectorAll("table.kommune-table tbody tr")]
  .map(tr => tr.cells[column].getAttribute("data-state"))"""


def _count_text(page: Page) -> str:
    return page.locator(".kommune-table-count").inner_text()


# -- filter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "finds"),
    [("tromso", "Tromsø"), ("BAERUM", "Bærum"), ("aalesund", "Ålesund"), ("5501", "Tromsø")],
)
def test_filter_is_case_and_accent_insensitive(
    browser: Browser, base_url: str, query: str, finds: str
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/all/")
        page.locator(".kommune-table-controls input").fill(query)
        assert page.evaluate(VISIBLE_NAMES) == expected_matches(query)
        assert finds in page.evaluate(VISIBLE_NAMES)


def test_typing_filters_rows_and_updates_the_live_count(
    browser: Browser, base_url: str, artifacts: Path
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/all/")
        box = page.get_by_label("Filter")  # the visible label names the box
        assert box.get_attribute("type") == "search"
        count = page.locator(".kommune-table-count")
        assert count.get_attribute("aria-live") == "polite"
        assert _count_text(page) == f"{TOTAL} of {TOTAL} shown"

        box.press_sequentially("Troms")
        troms = expected_matches("Troms")
        assert len(troms) > 10  # the county Troms and Tromsø itself
        assert page.evaluate(VISIBLE_NAMES) == troms
        assert _count_text(page) == f"{len(troms)} of {TOTAL} shown"
        page.screenshot(path=artifacts / "long-table-filtered.png")

        box.fill("")
        assert len(page.evaluate(VISIBLE_NAMES)) == TOTAL


# -- sort -----------------------------------------------------------------------------------------


def test_sort_names_in_norwegian_order_and_counts_numerically(
    browser: Browser, base_url: str
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/all/")
        names = sorted((e.name for e in REGISTER.entries), key=norwegian_sort_key)
        name_header = page.locator("thead th").nth(0)
        name_header.get_by_role("button").click()
        assert name_header.get_attribute("aria-sort") == "ascending"
        assert page.evaluate(COLUMN, 0) == names
        initials = [n[0] for n in names if n[0] in "VØÅ"]  # no municipality starts with Z or Æ
        assert initials == sorted(initials, key="VØÅ".index) and initials[-1] == "Å"
        name_header.get_by_role("button").click()
        assert name_header.get_attribute("aria-sort") == "descending"
        assert page.evaluate(COLUMN, 0) == names[::-1]

        geonorge = page.locator("thead th").nth(1)
        geonorge.get_by_role("button").click()
        assert geonorge.get_attribute("aria-sort") == "descending"
        assert name_header.get_attribute("aria-sort") is None  # one sorted header at a time
        values = page.evaluate(COLUMN, 1)
        assert values[:6] == [41, 30, 15, 9, 7, 2]
        assert values == sorted(values, reverse=True)
        # Nothing found (Aremark's 0, Øygarden without a key) before the register's rows that
        # nobody checked, in either direction: an unknown is not a 0.
        states = page.evaluate(STATES, 1)
        assert states == ["data"] * 6 + ["none"] * 2 + ["unchecked"] * (TOTAL - 8)
        geonorge.get_by_role("button").click()
        assert page.evaluate(STATES, 1) == ["none"] * 2 + ["data"] * 6 + ["unchecked"] * (TOTAL - 8)
        assert page.evaluate(COLUMN, 1)[:8] == sorted(values[:8])

        # Sorting keeps the filter: hidden rows stay hidden.
        page.locator(".kommune-table-controls input").fill("berg")
        name_header.get_by_role("button").click()
        assert page.evaluate(VISIBLE_NAMES) == sorted(
            expected_matches("berg"), key=norwegian_sort_key
        )


def test_screen_readers_hear_not_checked_apart_from_nothing_found(
    browser: Browser, base_url: str
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/all/")
        utsira = page.locator("tr#utsira").aria_snapshot()  # a register row: nobody checked
        assert utsira.splitlines()[0] == '- row "Utsira Not checked Not checked":', utsira
        aremark = page.locator("tr#aremark").aria_snapshot()  # checked: a count of 0, no key
        assert aremark.splitlines()[0] == '- row "Aremark Nothing found Nothing found":', aremark


def test_keyboard_reaches_the_box_and_every_header_and_sorts(
    browser: Browser, base_url: str
) -> None:
    active = "() => document.activeElement.closest('th, .kommune-table-controls, [role=region]') ?.outerHTML.slice(0, 60) + '|' + document.activeElement.tagName"
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/all/")
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.type === 'search'"):
                break
        else:
            raise AssertionError("Tab never reached the filter box")
        page.keyboard.type("oslo")
        assert _count_text(page) == f"1 of {TOTAL} shown"
        page.keyboard.press("Tab")  # the scrolling region (tabindex=0, so keys can scroll it)
        assert page.evaluate("() => document.activeElement.getAttribute('role')") == "region"
        reached = []
        for _ in range(3):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("() => document.activeElement.textContent"))
            assert page.evaluate("() => document.activeElement.tagName") == "BUTTON", page.evaluate(
                active
            )
        assert reached == ["Municipality", "Geonorge", "Felles datakatalog"]
        page.keyboard.press("Space")  # on Felles datakatalog
        assert page.locator("thead th").nth(2).get_attribute("aria-sort") == "descending"
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")  # on Municipality
        assert page.locator("thead th").nth(0).get_attribute("aria-sort") == "ascending"


def test_without_javascript_every_row_shows_and_no_control(
    browser: Browser, base_url: str, artifacts: Path
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP, java_script_enabled=False) as page:
        page.goto(f"{base_url}/material/all/")
        rows = page.locator("table.kommune-table tbody tr")
        assert rows.count() == TOTAL
        assert rows.nth(TOTAL - 1).is_visible()
        assert (
            page.locator(".kommune-table-controls, .kommune-sort, .md-content input").count() == 0
        )
        assert page.locator("table.kommune-table button").count() == 0
        before = page.locator(".kommune-table-wrapper").evaluate(
            "w => w.previousElementSibling.tagName"
        )
        assert before == "H1"  # nothing between the heading and the table
        page.screenshot(path=artifacts / "long-table-no-javascript.png")


# -- sticky header and first column, in each theme -------------------------------------------------

HEADER_AFTER_SCROLL = """() => {
  const wrapper = document.querySelector(".kommune-table-wrapper");
  wrapper.scrollIntoView({block: "start"});
  wrapper.scrollTop = 4000;
  const box = wrapper.getBoundingClientRect();
  const th = wrapper.querySelector("thead th:nth-child(2)");
  const cell = th.getBoundingClientRect();
  const hit = document.elementFromPoint(cell.left + 5, cell.top + cell.height / 2);
  return {scrolled: wrapper.scrollTop, offset: cell.top - box.top, wrapperTop: box.top,
          onHeader: th.contains(hit), hit: hit && hit.outerHTML.slice(0, 80)};
}"""

COLUMN_AFTER_SCROLL = """() => {
  const wrapper = document.querySelector(".kommune-table-wrapper");
  wrapper.scrollIntoView({block: "start"});
  wrapper.scrollLeft = 200;
  const box = wrapper.getBoundingClientRect();
  const th = wrapper.querySelector("tbody tr:nth-child(3) th");
  const cell = th.getBoundingClientRect();
  const hit = document.elementFromPoint(cell.left + 5, cell.top + cell.height / 2);
  return {scrolled: wrapper.scrollLeft, offset: cell.left - box.left,
          onName: th.contains(hit), hit: hit && hit.outerHTML.slice(0, 80),
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("theme", THEMES)
def test_header_row_stays_in_view_after_scrolling(
    browser: Browser, base_url: str, artifacts: Path, theme: str
) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/{theme}/all/")
        measured = page.evaluate(HEADER_AFTER_SCROLL)
        assert measured["scrolled"] > 2000, measured
        assert abs(measured["offset"]) < 2, measured
        assert measured["onHeader"], measured  # drawn over the rows, not under them
        page.screenshot(path=artifacts / f"long-table-{theme}-scrolled.png")


@pytest.mark.parametrize("theme", THEMES)
def test_first_column_stays_in_view_at_375px(
    browser: Browser, base_url: str, artifacts: Path, theme: str
) -> None:
    with open_page(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        _open(page, f"{base_url}/{theme}/all/")
        page.locator(".kommune-table-wrapper").scroll_into_view_if_needed()
        page.screenshot(path=artifacts / f"long-table-{theme}-375px.png")
        measured = page.evaluate(COLUMN_AFTER_SCROLL)
        assert measured["scrolled"] > 100, measured
        assert abs(measured["offset"]) < 2, measured
        assert measured["onName"], measured
        assert measured["page"] <= 0, measured  # the table scrolls, not the page
        page.wait_for_function(
            "() => document.querySelector('.kommune-table-wrapper.kommune-scrolled')"
        )
        page.screenshot(path=artifacts / f"long-table-{theme}-375px-scrolled.png")


def test_material_dark_scheme(browser: Browser, base_url: str, artifacts: Path) -> None:
    with open_page(browser, base_url, viewport=DESKTOP, color_scheme="dark") as page:
        _open(page, f"{base_url}/material/all/")
        page.locator("label[for='__palette_1']").click()
        page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
        page.evaluate(HEADER_AFTER_SCROLL)
        header_bg = page.evaluate(
            "() => getComputedStyle(document.querySelector('thead th')).backgroundColor"
        )
        page_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert header_bg == page_bg  # opaque, and the scheme's own colour
        page.screenshot(path=artifacts / "long-table-material-slate.png")


# -- Material's instant navigation ----------------------------------------------------------------


def test_instant_navigation_sets_up_the_table(browser: Browser, base_url: str) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        # Material intercepts only links it knows from sitemap.xml, which it fetches after load.
        with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
            page.goto(f"{base_url}/material/")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => { window.notReloaded = true; }")
        page.locator("a.md-nav__link", has_text="All municipalities").first.click()
        page.wait_for_url(f"{base_url}/material/all/")
        page.locator(".kommune-table-controls input").fill("tromso")
        assert page.evaluate(VISIBLE_NAMES) == ["Tromsø"]
        assert page.evaluate("() => window.notReloaded") is True  # an instant load, no reload
        # Back and forth again: one set of controls, however often the page arrives.
        page.go_back()
        page.wait_for_url(f"{base_url}/material/")
        page.locator("a.md-nav__link", has_text="All municipalities").first.click()
        page.locator(".kommune-table-controls input").wait_for()
        assert page.locator(".kommune-table-controls").count() == 1
        assert page.locator("thead .kommune-sort").count() == 3


def test_coexists_with_materials_tablesort_recipe(browser: Browser, base_url: str) -> None:
    with open_page(browser, base_url, viewport=DESKTOP) as page:
        _open(page, f"{base_url}/material/mixed/")
        markdown_table = page.locator("article table:not(.kommune-table)")
        markdown_table.locator("th").click()  # the recipe is live on the Markdown table
        words = markdown_table.locator("tbody td").all_inner_texts()
        assert words == ["alfa", "beta", "gamma"]

        name = page.locator("table.kommune-table thead th").nth(0)
        for order, names in [
            ("ascending", ["Bergen", "Oslo", "Ørland", "Ås"]),
            ("descending", ["Ås", "Ørland", "Oslo", "Bergen"]),
        ]:
            name.get_by_role("button").click()  # sorted once per press, by our script alone
            assert name.get_attribute("aria-sort") == order
            assert page.evaluate(VISIBLE_NAMES) == names


@pytest.mark.parametrize("theme", THEMES)
def test_a_row_link_shows_the_row_below_the_sticky_header(
    browser: Browser, base_url: str, artifacts: Path, theme: str
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with open_page(browser, base_url, viewport=DESKTOP) as page:
        page.goto(f"{base_url}/{theme}/all/#tromso")
        page.locator(".kommune-table-controls input").wait_for()
        # Material scrolls to the target after its own setup: wait for it, then look.
        in_view = """() => {
          const th = document.querySelector("tr#tromso th");
          const box = th.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
          return th.contains(hit) && box.top > 0 && box.bottom < innerHeight;
        }"""
        try:
            page.wait_for_function(in_view, timeout=5000)
            hit = True
        except PlaywrightTimeout:
            hit = False
        page.screenshot(path=artifacts / f"long-table-{theme}-row-link.png")
        assert hit, "the linked row is hidden under the header (or out of view)"
