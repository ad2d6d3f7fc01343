"""The documentation site builds strictly with the plugin, and its live examples really rendered."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.support.sites import QUIET_ENV

REPO = Path(__file__).resolve().parent.parent
PAGES = [
    "index.html",
    "getting-started/index.html",
    "reference/data-file/index.html",
    "reference/macros/index.html",
    "reference/options/index.html",
    "deploying/index.html",
    "troubleshooting/index.html",
    "redirects/index.html",
    "benchmark/index.html",
    "long-tables/index.html",
]


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's mkdocs.yml and docs/, copied and built with --strict; the site folder."""
    root = tmp_path_factory.mktemp("docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    os.environ.update(QUIET_ENV)
    config = load_config(
        config_file=str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")
    )
    build(config)
    return root / "site"


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _tables(soup: BeautifulSoup) -> list[Tag]:
    return soup.select("article table.kommune-table")


def _rows(table: Tag) -> list[str]:
    return [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]


def _headers(table: Tag) -> list[str]:
    return [th.get_text(strip=True) for th in table.select("thead th")]


def _after_code(soup: BeautifulSoup, source: str) -> Tag:
    """The first table after the code block that shows ``source``: the example's live result."""
    for block in soup.select("article div.highlight"):
        if block.get_text().strip() == source:
            table = block.find_next("table", class_="kommune-table")
            assert isinstance(table, Tag), source
            return table
    raise AssertionError(f"no code block shows {source!r}")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_built_without_leftovers(docs_site: Path, page: str) -> None:
    html = (docs_site / page).read_text(encoding="utf-8")
    assert "<!-- kommune-" not in html  # every macro marker was replaced by its HTML
    heading = BeautifulSoup(html, "html.parser").select_one("article h1")
    assert heading is not None
    assert "Error" not in heading.get_text()  # mkdocs-macros replaces a failed page by its error


def test_home_page_shows_the_table_and_coverage(docs_site: Path) -> None:
    soup = _soup(docs_site, "index.html")
    (table,) = _tables(soup)
    assert _rows(table)[:2] == ["Oslo", "Bergen"]
    assert len(_rows(table)) == 10
    caption = table.caption
    assert caption is not None and "ten largest" in caption.get_text()
    coverage = soup.select_one("span.kommune-coverage")
    assert coverage is not None
    assert (
        coverage.get_text()
        == "Geonorge: 8 of 10; Felles datakatalog: 5 of 10; Other portals: 6 of 10"
    )


def test_macros_page_renders_every_live_example(docs_site: Path) -> None:
    soup = _soup(docs_site, "reference/macros/index.html")
    assert len(_tables(soup)) == 16

    full = _after_code(soup, "{{ kommune_table() }}")
    assert _headers(full) == ["Municipality", "Geonorge", "Felles datakatalog", "Other portals"]
    assert len(_rows(full)) == 10

    admonition = soup.select_one("article div.admonition.note")
    assert admonition is not None
    inside = admonition.select_one("table.kommune-table")
    assert inside is not None and _rows(inside) == ["Stavanger", "Sandnes"]
    assert admonition.find("p", string=lambda text: bool(text and "<table" in text)) is None

    chosen = _after_code(soup, '{{ kommune_table(municipalities=["Tromsø", "Bergen", "0301"]) }}')
    assert _rows(chosen) == ["Tromsø", "Bergen", "Oslo"]

    everything = _after_code(
        soup, '{{ kommune_table(municipalities="all", county="Rogaland", limit=6) }}'
    )
    assert len(_rows(everything)) == 6
    assert "Stavanger" in _rows(everything) and "Eigersund" in _rows(everything)

    county = _after_code(soup, '{{ kommune_table(county=["Vestland", "50"]) }}')
    assert _rows(county) == ["Bergen", "Trondheim"]

    columns = _after_code(soup, '{{ kommune_table(sources=["other", "geonorge"], limit=4) }}')
    assert _headers(columns) == ["Municipality", "Other portals", "Geonorge"]
    assert len(_rows(columns)) == 4

    by_name = _after_code(soup, '{{ kommune_table(sort="name", sources=["geonorge"]) }}')
    assert _rows(by_name) == [
        "Bergen",
        "Bærum",  # æ after every other letter
        "Drammen",
        "Fredrikstad",
        "Kristiansand",
        "Oslo",
        "Sandnes",
        "Stavanger",
        "Tromsø",
        "Trondheim",
    ]

    by_population = _after_code(soup, '{{ kommune_table(sort="-population", limit=2) }}')
    assert _rows(by_population) == ["Oslo", "Bergen"]
    smallest = _after_code(
        soup, '{{ kommune_table(sort="population", limit=3, sources=["geonorge"]) }}'
    )
    assert _rows(smallest) == ["Drammen", "Tromsø", "Sandnes"]

    captioned = _after_code(
        soup,
        '{{ kommune_table(caption="Where Bergen\'s data was, 2018", municipalities=["Bergen"]) }}',
    )
    assert captioned.caption is not None
    assert captioned.caption.get_text() == "Where Bergen's data was, 2018"

    norsk = _after_code(
        soup, '{{ kommune_table(locale="nb", municipalities=["Kristiansand", "Drammen"]) }}'
    )
    assert _headers(norsk)[0] == "Kommune"
    assert "Ingenting funnet" in norsk.get_text()

    counted = _after_code(
        soup,
        '{{ kommune_table(counts=true, municipalities=["Oslo", "Bergen", "Bærum", "Sandnes"], '
        'sources=["geonorge"]) }}',
    )
    counts = [span.get_text() for span in counted.select(".kommune-count")]
    assert counts == ["(41 datasets)", "(17 datasets)", "(1 dataset)"]
    sandnes = counted.select_one("tr[id^=sandnes] td")
    assert sandnes is not None and "kommune-empty" in (sandnes.get("class") or [])

    summaries = [span.get_text() for span in soup.select("span.kommune-coverage")]
    assert summaries == [
        "Geonorge: 8 of 10; Felles datakatalog: 5 of 10; Other portals: 6 of 10",
        "Geonorge: 1 of 2; Other portals: 1 of 2",
        "Felles datakatalog: 5 av 10",
        "Geonorge: 1 of 1 checked, 42 of the 43 not checked; "
        "Felles datakatalog: 1 of 1 checked, 42 of the 43 not checked; "
        "Other portals: 0 of 1 checked, 42 of the 43 not checked",
    ]
    listed = [li.get_text(" ", strip=True) for li in soup.select("article li")]
    assert any(item.startswith("Stavanger (1103), 133000 inhabitants") for item in listed)


def test_macro_calls_are_shown_as_code_not_run(docs_site: Path) -> None:
    shown = {"reference/macros/index.html": "{{ kommune_table() }}",
             "getting-started/index.html": "{{ kommune_coverage() }}"}  # fmt: skip
    for page, call in shown.items():
        code = " ".join(c.get_text() for c in _soup(docs_site, page).select("article code"))
        assert call in code, page
    troubleshooting = _soup(docs_site, "troubleshooting/index.html").get_text()
    assert "{% raw %}" in troubleshooting and "{{ kommune_table() }}" in troubleshooting


def test_data_file_page_shows_counts_and_nothing_found(docs_site: Path) -> None:
    soup = _soup(docs_site, "reference/data-file/index.html")
    (table,) = _tables(soup)
    assert _rows(table) == ["Oslo", "Sandnes", "Kristiansand"]
    assert [span.get_text() for span in table.select(".kommune-count")] == ["(41 datasets)"]
    assert len(table.select("td.kommune-empty")) == 3 + 3  # Sandnes' count of 0 is nothing found


def test_docs_aliases_are_written(docs_site: Path) -> None:
    redirects = json.loads((docs_site / "redirects.json").read_text(encoding="utf-8"))
    assert redirects["/macros/"].endswith("/reference/macros/")
    assert redirects["/quickstart/"].endswith("/getting-started/")
    stub = (docs_site / "macros" / "index.html").read_text(encoding="utf-8")
    assert 'href="../reference/macros/"' in stub


def test_long_table_examples(docs_site: Path) -> None:
    soup = _soup(docs_site, "long-tables/index.html")
    (table,) = _tables(soup)
    assert len(_rows(table)) == 357
    wrapper = table.parent
    assert wrapper is not None and wrapper.has_attr("data-kommune-interactive")
    assert "kommune-long" in wrapper.get_attribute_list("class")
    assert (docs_site / "assets" / "long-table.png").stat().st_size > 10_000

    macros = _soup(docs_site, "reference/macros/index.html")
    forced = _after_code(
        macros,
        '{{ kommune_table(interactive=true, sort="name", counts=true, sources=["geonorge"]) }}',
    )
    assert forced.parent is not None and forced.parent.has_attr("data-kommune-interactive")
    assert len(_rows(forced)) == 10
    found = _after_code(
        macros,
        '{{ kommune_table(municipalities="all", county=["Rogaland", "Vestland", "Trøndelag"], '
        "empty=false, unchecked=false) }}",
    )
    # In register order; Sandnes found nothing (a count of 0), nobody checked the others.
    assert _rows(found) == ["Stavanger", "Bergen", "Trondheim"]
    by_county = _after_code(
        macros,
        '{{ kommune_coverage(by="county", municipalities="all", '
        'county=["Oslo", "Rogaland", "Vestland", "Trøndelag"]) }}',
    )
    assert _rows(by_county)[:2] == ["Oslo", "Rogaland"]
    assert [td.get_text() for td in by_county.select("tbody tr")[0].select("td")] == [
        "1 of 1", "1 of 1", "1 of 1",
    ]  # fmt: skip


def test_macros_page_shows_register_rows_as_not_checked(docs_site: Path) -> None:
    soup = _soup(docs_site, "reference/macros/index.html")
    rogaland = _after_code(
        soup, '{{ kommune_table(municipalities="all", county="Rogaland", limit=6) }}'
    )
    eigersund = rogaland.select_one("tr#eigersund")
    assert eigersund is not None
    assert {td["data-state"] for td in eigersund.select("td")} == {"unchecked"}
