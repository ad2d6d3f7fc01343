"""Long tables in the built HTML: row data, the interactive threshold, empty=False, the script
asset, and kommune_coverage(by="county"). The browser side is in test_long_tables_browser.py."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from mkdocs_kommune.model import norwegian_sort_key
from mkdocs_kommune.register import load_register
from mkdocs_kommune.selection import LONG_TABLE_ROWS
from tests.support.sites import Site

REGISTER = load_register()

DATA = """\
register: norway-2024
sources:
  - id: geo
    name: Geonorge
    url: "https://geo.example/{kommunenummer}"
  - id: fdk
    name: Felles datakatalog
    url: "https://fdk.example/{orgnr}"
municipalities:
  - {name: Oslo, links: {geo: {datasets: 41}, fdk: true}}
  - {name: Stavanger, links: {geo: true}}
  - {name: Sandnes, links: {fdk: {datasets: 0}}}
  - {name: Tromsø, links: {fdk: {datasets: 3}}}
  - {name: Bodø}
"""

NO_REGISTER = """\
sources:
  - {id: geo, name: Geonorge, url: "https://geo.example/{name}"}
municipalities:
  - {name: Oslo, kommunenummer: "0301", links: {geo: true}}
  - {name: Nowhere}
"""


def build(new_site: Callable[..., Site], page: str, data: str = DATA) -> Any:
    """The built page's soup (typed Any: bs4's Optional results are checked by the asserts)."""
    site = new_site(
        {"docs/index.md": page, "data.yml": data},
        plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
    ).build()
    return site.soup("index.html")


def test_every_body_row_carries_number_and_county_when_known(
    new_site: Callable[..., Site],
) -> None:
    soup = build(new_site, "{{ kommune_table(municipalities='all') }}\n")
    rows = soup.select("table.kommune-table tbody tr")
    assert [(r["data-kommunenummer"], r["data-county"]) for r in rows] == [
        (e.kommunenummer, e.county_name) for e in REGISTER.entries
    ]
    soup = build(new_site, "{{ kommune_table() }}\n", NO_REGISTER)
    oslo, nowhere = soup.select("table.kommune-table tbody tr")
    assert oslo["data-kommunenummer"] == "0301"
    assert not oslo.has_attr("data-county")  # no register: the county is not known
    assert not nowhere.has_attr("data-kommunenummer") and not nowhere.has_attr("data-county")


def _tables(soup: Any) -> list[Any]:
    return list(soup.select("div.kommune-table-wrapper"))


@pytest.mark.parametrize(
    ("arguments", "rows", "interactive"),
    [
        (f"limit={LONG_TABLE_ROWS}", LONG_TABLE_ROWS, False),
        (f"limit={LONG_TABLE_ROWS + 1}", LONG_TABLE_ROWS + 1, True),
        ("limit=3, interactive=true", 3, True),
        ("interactive=false", 357, False),
        ("interactive=none, limit=2", 2, False),
    ],
)
def test_interactive_threshold_and_forcing(
    new_site: Callable[..., Site], arguments: str, rows: int, interactive: bool
) -> None:
    soup = build(new_site, f"{{{{ kommune_table(municipalities='all', {arguments}) }}}}\n")
    (wrapper,) = _tables(soup)
    assert len(wrapper.select("tbody tr")) == rows
    assert wrapper.has_attr("data-kommune-interactive") is interactive
    # The scroll box that keeps the header in view goes by length alone, script or not.
    assert ("kommune-long" in wrapper["class"]) is (rows > LONG_TABLE_ROWS)
    headers = wrapper.select("thead th")
    sortable = [th.get("data-kommune-sort") for th in headers]
    assert sortable == (["name", "number", "number"] if interactive else [None, None, None])
    if interactive:
        assert all(th["data-sort-method"] == "none" for th in headers)  # tablesort keeps off
        values = [td.get("data-kommune-value") for td in wrapper.select("tbody td")]
        assert None not in values
    # No control is in the HTML: the script makes them, so without it none is dead.
    assert not soup.select_one('[role="main"]').select("input, button, .kommune-table-controls")


def test_interactive_words_come_from_the_locale(new_site: Callable[..., Site]) -> None:
    page = (
        "{{ kommune_table(interactive=true, limit=1) }}\n\n"
        "{{ kommune_table(interactive=true, limit=1, locale='nb') }}\n\n"
        "{{ kommune_table(interactive=true, limit=1, locale='nn') }}\n"
    )
    words = [
        (w["data-kommune-filter"], w["data-kommune-filter-hint"], w["data-kommune-shown"])
        for w in _tables(build(new_site, page))
    ]
    assert words == [
        ("Filter", "Name, number or county", "{shown} of {total} shown"),
        ("Filtrer", "Navn, nummer eller fylke", "Viser {shown} av {total}"),
        ("Filtrer", "Namn, nummer eller fylke", "Viser {shown} av {total}"),
    ]


def test_sort_values_are_dataset_counts_when_shown_else_link_counts(
    new_site: Callable[..., Site],
) -> None:
    page = (
        "{{ kommune_table(interactive=true, counts=true) }}\n\n"
        "{{ kommune_table(interactive=true) }}\n"
    )
    with_counts, without = _tables(build(new_site, page))

    def values(wrapper: Any) -> list[list[str]]:
        return [
            [td["data-kommune-value"] for td in tr.select("td")]
            for tr in wrapper.select("tbody tr")
        ]

    # Oslo 41 + a link without a figure; Stavanger a link without one; Sandnes asked, 0.
    assert values(with_counts) == [["41", "1"], ["1", "0"], ["0", "0"], ["0", "3"], ["0", "0"]]
    assert values(without) == [["1", "1"], ["1", "0"], ["0", "0"], ["0", "1"], ["0", "0"]]


def test_empty_false_leaves_out_rows_with_nothing_found(new_site: Callable[..., Site]) -> None:
    page = (
        "{{ kommune_table(empty=false) }}\n\n"
        "{{ kommune_table(empty=false, sources=['geo']) }}\n\n"
        "{{ kommune_table(municipalities='all', empty=false, unchecked=false, sort='name', "
        "limit=2) }}\n\n"
        "{{ kommune_table(municipalities='all', empty=false, sort='-coverage') }}\n"
    )
    every, geo_only, limited, register = (
        [tr.th.get_text() for tr in w.select("tbody tr")] for w in _tables(build(new_site, page))
    )
    assert every == ["Oslo", "Stavanger", "Tromsø"]  # Sandnes' 0 is nothing found, Bodø none
    assert geo_only == ["Oslo", "Stavanger"]  # only the shown sources count
    assert limited == ["Oslo", "Stavanger"]  # before limit: two rows that show something
    # An unchecked row is not "nothing found": empty=false keeps the register's rows (last,
    # after every checked one, when sorted by coverage); unchecked=false is what drops them.
    assert register[:3] == ["Oslo", "Stavanger", "Tromsø"]
    assert len(register) == len(REGISTER.entries) - 2 and "Bodø" not in register


def test_unchecked_false_leaves_out_rows_nobody_checked(new_site: Callable[..., Site]) -> None:
    data = DATA.replace("{name: Bodø}", "{name: Bodø, links: {geo: ~, fdk: ~}}").replace(
        "{name: Tromsø, links: {fdk: {datasets: 3}}}", "{name: Tromsø, links: {geo: ~}}"
    )
    page = (
        "{{ kommune_table(municipalities='all', unchecked=false) }}\n\n"
        "{{ kommune_table(unchecked=false, sources=['geo']) }}\n"
    )
    every, geo_only = (
        [tr.th.get_text() for tr in w.select("tbody tr")]
        for w in _tables(build(new_site, page, data))
    )
    # Bodø's cells are all `~`; Tromsø's fdk has no key, so it was checked (nothing found).
    assert sorted(every) == ["Oslo", "Sandnes", "Stavanger", "Tromsø"]
    assert geo_only == ["Oslo", "Stavanger", "Sandnes"]  # Tromsø's only shown cell is `~`


def test_coverage_by_county(new_site: Callable[..., Site]) -> None:
    soup = build(
        new_site,
        "# Coverage\n\n{{ kommune_coverage(by='county', municipalities='all') }}\n\n"
        "{{ kommune_coverage(by='county', locale='nb', county=['Rogaland']) }}\n",
    )
    whole, rogaland = soup.select("div.kommune-coverage-by-county")
    assert whole.parent.name != "p"
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.select("td")]
        for tr in whole.select("tbody tr")
    }
    sizes: dict[str, int] = {}
    for entry in REGISTER.entries:
        sizes[entry.county_name] = sizes.get(entry.county_name, 0) + 1
    # By name, in Norwegian order (Østfold after Vestland).
    assert list(rows) == sorted(REGISTER.counties().values(), key=norwegian_sort_key)
    assert list(rows)[-2:] == ["Vestland", "Østfold"]
    assert rows["Oslo"] == ["1 of 1", "1 of 1"]
    # Stavanger and Sandnes were checked; the rest of Rogaland comes from the register alone.
    rest = sizes["Rogaland"] - 2
    assert rows["Rogaland"] == [
        f"1 of 2 checked, {rest} not checked",
        f"0 of 2 checked, {rest} not checked",
    ]
    assert rows["Troms"][1] == f"1 of 1 checked, {sizes['Troms'] - 1} not checked"
    # Nothing in Vestland was checked: never "0 of 43".
    assert rows["Vestland"] == [f"none of {sizes['Vestland']} checked"] * 2
    total = [td.get_text() for td in whole.select("tfoot td")]
    assert total == ["2 of 5 checked, 352 not checked"] * 2
    assert [th.get_text() for th in whole.select("thead th")] == [
        "County", "Geonorge", "Felles datakatalog",
    ]  # fmt: skip
    assert rogaland.select_one("thead th").get_text() == "Fylke"
    assert [th.get_text() for th in rogaland.select("tbody th")] == ["Rogaland"]
    assert rogaland.select_one("tfoot th").get_text() == "Alle"


def test_coverage_by_county_groups_rows_without_a_county_last(
    new_site: Callable[..., Site],
) -> None:
    data = NO_REGISTER.replace('kommunenummer: "0301", ', "")
    (table,) = build(new_site, "{{ kommune_coverage(by='county') }}\n", data).select(
        ".kommune-coverage-by-county"
    )
    assert [tr.th.get_text() for tr in table.select("tbody tr")] == ["No county"]
    assert [td.get_text() for td in table.select("tbody td")] == ["1 of 2"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("kommune_table(interactive='yes')", "interactive must be true or false; got 'yes'"),
        ("kommune_table(empty=0)", "empty must be true or false; got 0"),
        ("kommune_coverage(by='fylke')", "by 'fylke' is not one of \"county\""),
        ("kommune_coverage(empty=false)", "unknown argument 'empty'"),
        ("kommune_table(by='county')", "unknown argument 'by'"),
    ],
)
def test_bad_arguments_fail_the_build(
    new_site: Callable[..., Site], call: str, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    site = new_site({"docs/index.md": f"{{{{ {call} }}}}\n"})
    with pytest.raises(Abort):
        site.build()
    assert f"index.md: bad kommune macro call:\n  {call.split('(')[0]}(): {message}" in caplog.text


def test_script_is_packaged_and_added_to_every_page(new_site: Callable[..., Site]) -> None:
    packaged = resources.files("mkdocs_kommune") / "assets" / "kommune" / "kommune.js"
    site = new_site(
        {"docs/index.md": "{{ kommune_table() }}\n", "docs/other.md": "# No table\n"}
    ).build()
    assert (site.site_dir / "assets/kommune/kommune.js").read_bytes() == packaged.read_bytes()
    for page in ("index.html", "other/index.html"):
        sources = [str(s.get("src", "")) for s in site.soup(page).select("script")]
        assert any(src.endswith("assets/kommune/kommune.js") for src in sources), sources
    off = new_site(
        {"docs/index.md": "{{ kommune_table() }}\n"},
        plugins=["search", {"kommune": {"script": False}}, "macros"],
    ).build()
    assert not (off.site_dir / "assets/kommune/kommune.js").exists()
    assert "kommune.js" not in off.html("index.html")
