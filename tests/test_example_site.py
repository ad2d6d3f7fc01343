"""The example site reproduces the seed page's table, link for link."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from tests.support.sites import Site

REPO = Path(__file__).resolve().parent.parent
SEED_TABLE = Path(__file__).parent / "fixtures" / "seed-table.html"


def table_facts(table: Any) -> tuple[list[str], list[tuple[str, list[list[tuple[str, str]]]]]]:
    """Header texts, then per row: the municipality and, per cell, its (href, text) links."""
    rows = table.select("tr")
    headers = [cell.get_text(strip=True) for cell in rows[0].find_all("th")]
    body = []
    for row in rows[1:]:
        name, *cells = row.find_all(["th", "td"])
        links = [[(a["href"], a.get_text()) for a in cell.find_all("a")] for cell in cells]
        body.append((name.get_text(strip=True), links))
    return headers, body


def build_example(tmp_path: Path) -> Site:
    root = tmp_path / "example-site"
    shutil.copytree(REPO / "example-site", root, ignore=shutil.ignore_patterns("site"))
    site = Site(root)
    result = site.run("build", "--strict")
    assert result.returncode == 0, result.stderr
    return site


def test_example_site_reproduces_the_seed_table(tmp_path: Path) -> None:
    site = build_example(tmp_path)
    page = site.soup("news/municipalities/index.html")
    seed = BeautifulSoup(SEED_TABLE.read_text(encoding="utf-8"), "html.parser").table
    produced = page.select_one("table.kommune-table")
    assert produced is not None
    seed_headers, seed_rows = table_facts(seed)
    headers, rows = table_facts(produced)
    assert (
        headers
        == seed_headers
        == ["Municipality", "Geonorge", "Felles datakatalog", "Other portals"]
    )
    assert [name for name, _ in rows] == [name for name, _ in seed_rows]
    for (name, cells), (_, seed_cells) in zip(rows, seed_rows, strict=True):
        assert cells == seed_cells, name
    # Empty cells: no link, and the words for screen readers.
    empty = produced.select("td.kommune-empty")
    assert len(empty) == sum(1 for _, cells in seed_rows for cell in cells if not cell) == 11
    assert all(cell.find("a") is None and "Nothing found" in cell.get_text() for cell in empty)
    h1 = page.select_one("h1")
    assert h1 is not None and h1.get_text() == "Data from Norwegian Municipalities"
