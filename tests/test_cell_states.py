"""What a cell says: data, none (checked, nothing found) or unchecked, on every surface.

Pages built from a register selection (``municipalities="all"``, ``county=``) hold hundreds of
municipalities the data file never mentions; none of the table, coverage line, county table or
map may call one of them "nothing found". One site, built once for the module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from mkdocs_kommune.cli import main
from mkdocs_kommune.cli.site import schema_text
from mkdocs_kommune.register import load_register
from tests.support.sites import Site, make_site

REGISTER = load_register()
VESTLAND = [e for e in REGISTER.entries if e.county_name == "Vestland"]
DATA = """\
register: norway-2024
sources:
  - id: geonorge
    name: Geonorge
    url: "https://geo.example/{kommunenummer}"
  - id: fdk
    name: Felles datakatalog
    url: "https://fdk.example/{orgnr}"
  - id: other
    name: Other portals
municipalities:
  - name: Bergen          # data, not checked (~), nothing found (no key)
    links: {geonorge: {datasets: 41}, fdk: ~}
  - name: Voss            # checked everywhere, nothing found
  - name: Stord           # a count of 0 is nothing found; `false` too
    links: {geonorge: {datasets: 0}, fdk: false, other: ~}
  - name: Oslo
    links: {geonorge: true, fdk: true, other: https://oslo.example/}
"""
# Per municipality of the file, per source: what its cell must say.
IN_FILE = {
    "4601": {"geonorge": "data", "fdk": "unchecked", "other": "none"},
    "4621": {"geonorge": "none", "fdk": "none", "other": "none"},
    "4614": {"geonorge": "none", "fdk": "none", "other": "unchecked"},
    "0301": {"geonorge": "data", "fdk": "data", "other": "data"},
}
SOURCES = ("geonorge", "fdk", "other")
BLOCKS = (
    "{{ kommune_table(ARGS) }}\n\n"
    "In short: {{ kommune_coverage(ARGS) }}.\n\n"
    "{{ kommune_coverage(ARGS, by='county') }}\n\n"
    "{{ kommune_map(ARGS) }}\n"
)
PAGES = {
    "docs/all.md": "# All\n\n" + BLOCKS.replace("ARGS", "municipalities='all'"),
    "docs/vestland.md": "# Vestland\n\n"
    + BLOCKS.replace("ARGS", "municipalities='all', county='Vestland'"),
    "docs/vestland-nb.md": "---\nkommune_locale: nb\n---\n# Vestland\n\n"
    + BLOCKS.replace("ARGS", "municipalities='all', county='Vestland'"),
    "docs/sources.md": "# One source\n\n{{ kommune_map(municipalities='all', county='Vestland', "
    "source='fdk') }}\n",
    "docs/loop.md": (
        "# Loop\n\n{% for m in kommune_data.municipalities %}"
        "{{ m.name }}:{% for s in kommune_data.sources %} {{ m.state(s.id) }}{% endfor %}.\n"
        "{% endfor %}\n"
    ),
    "docs/index.md": "# Home\n",
}
NOTHING = ("nothing found", "ingenting funnet")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(
        tmp_path_factory.mktemp("states"),
        {**PAGES, "data.yml": DATA},
        plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
    ).build()


def page(site: Site, name: str) -> Any:
    return BeautifulSoup(site.html(f"{name}/index.html"), "html.parser")


@pytest.mark.parametrize(
    ("name", "entries"),
    [("all", REGISTER.entries), ("vestland", VESTLAND)],
    ids=["all", "vestland"],
)
def test_table_cells_carry_their_state(site: Site, name: str, entries: Any) -> None:
    rows = page(site, name).select(
        ".kommune-table-wrapper:not(.kommune-coverage-by-county) tbody tr"
    )
    assert [r["data-kommunenummer"] for r in rows] == [e.kommunenummer for e in entries]
    for row in rows:
        cells = row.select("td")
        states = [td["data-state"] for td in cells]
        expected = IN_FILE.get(row["data-kommunenummer"], dict.fromkeys(SOURCES, "unchecked"))
        assert states == [expected[s] for s in SOURCES], row
        for td, state in zip(cells, states, strict=True):
            text = td.get_text()
            if state == "unchecked":
                assert td["class"] == ["kommune-unchecked"] and text == "Not checked"
            elif state == "none":
                assert td["class"] == ["kommune-empty"] and text == "\u2013Nothing found"
            else:
                assert td.select("a") and "Not checked" not in text


def test_coverage_line_counts_over_the_checked(site: Site) -> None:
    everything = page(site, "all").select_one("span.kommune-coverage").get_text()
    assert everything == (
        "Geonorge: 2 of 4 checked, 353 of the 357 not checked; "
        "Felles datakatalog: 1 of 3 checked, 354 of the 357 not checked; "
        "Other portals: 1 of 3 checked, 354 of the 357 not checked"
    )
    vestland = page(site, "vestland").select_one("span.kommune-coverage").get_text()
    rest = len(VESTLAND)
    assert vestland == (
        f"Geonorge: 1 of 3 checked, {rest - 3} of the {rest} not checked; "
        f"Felles datakatalog: 0 of 2 checked, {rest - 2} of the {rest} not checked; "
        f"Other portals: 0 of 2 checked, {rest - 2} of the {rest} not checked"
    )


def test_county_table_says_how_many_were_checked(site: Site) -> None:
    table = page(site, "all").select_one(".kommune-coverage-by-county")
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.select("td")]
        for tr in table.select("tbody tr")
    }
    size = {n: sum(e.county_name == n for e in REGISTER.entries) for n in rows}
    assert rows["Oslo"] == ["1 of 1", "1 of 1", "1 of 1"]
    rest = size["Vestland"]
    assert rows["Vestland"] == [
        f"1 of 3 checked, {rest - 3} not checked",
        f"0 of 2 checked, {rest - 2} not checked",
        f"0 of 2 checked, {rest - 2} not checked",
    ]
    for county in set(rows) - {"Oslo", "Vestland"}:  # nobody checked anything there
        assert rows[county] == [f"none of {size[county]} checked"] * 3, county
    nb = page(site, "vestland-nb").select_one(".kommune-coverage-by-county tbody td")
    assert nb.get_text() == f"1 av 3 undersøkte, {rest - 3} ikke undersøkte"


def test_map_calls_unchecked_not_checked(site: Site) -> None:
    for name in ("all", "vestland"):
        svg = page(site, name).select_one("svg.kommune-map-svg")
        legend = [t.get_text() for t in svg.select(".kommune-map-legend text")]
        assert legend[-2:] == ["Nothing found", "Not checked"], legend
        for area in svg.select(".kommune-map-areas > [data-kommunenummer]"):
            number, tooltip = area["data-kommunenummer"], area.title.get_text()
            if number not in IN_FILE:
                assert area["class"] == ["kommune-map-unchecked"], tooltip
                assert tooltip.endswith(": not checked"), tooltip
        shade = {
            a["data-kommunenummer"]: (a["class"][0], a.title.get_text())
            for a in svg.select(".kommune-map-areas > [data-kommunenummer]")
        }
        # Voss was checked everywhere; Stord's `other` is `~`, so it is not "nothing found".
        assert shade["4621"] == ("kommune-map-none", "Voss: nothing found")
        assert shade["4614"] == (
            "kommune-map-unchecked",
            "Stord: not checked (Other portals); nothing found (Geonorge, Felles datakatalog)",
        )
        assert (
            shade["4601"][1]
            == "Bergen: 1 of 3 sources (Geonorge); not checked (Felles datakatalog)"
        )
    one_source = page(site, "sources").select_one("svg.kommune-map-svg")
    bergen = one_source.select_one("[data-kommunenummer='4601']")
    assert bergen["class"] == ["kommune-map-unchecked"]
    assert bergen.title.get_text() == "Bergen: not checked in Felles datakatalog"


@pytest.mark.parametrize("name", ["all", "vestland", "vestland-nb"])
def test_no_unchecked_municipality_is_said_to_have_nothing(site: Site, name: str) -> None:
    soup = page(site, name)
    for element in soup.select("[data-kommunenummer]"):
        if element["data-kommunenummer"] not in IN_FILE:
            assert not any(word in element.get_text().casefold() for word in NOTHING), element
    for td in soup.select(".kommune-coverage-by-county td"):
        # "0 of 46" for a county where nobody checked anything
        assert not re.fullmatch(r"0 of \d+", td.get_text()), td


def test_kommune_data_exposes_each_cell_state(site: Site) -> None:
    text = page(site, "loop").select_one("article, body").get_text()
    assert "Bergen: data unchecked none." in text
    assert "Voss: none none none." in text
    assert "Stord: none none unchecked." in text
    assert "Oslo: data data data." in text


def test_validate_and_the_schema_accept_null_as_not_checked(tmp_path: Path) -> None:
    (tmp_path / "data.yml").write_text(DATA, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "data.yml")])
    assert result.exit_code == 0, result.output
    schema = jsonschema.Draft202012Validator(json.loads(schema_text()))
    assert [e.message for e in schema.iter_errors(yaml.safe_load(DATA))] == []
    assert "null (~): not checked" in schema_text()
