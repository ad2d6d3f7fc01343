"""The coverage map in real builds: shapes, links to rows, zoom, escaping, errors, size, golden."""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from mkdocs_kommune.map import geometry as mapgeometry
from mkdocs_kommune.map import svg as mapsvg
from mkdocs_kommune.register import load_register
from tests.support.sites import Site, make_site

GOLDEN = Path(__file__).parent / "golden" / "map-vestfold.svg"
REGISTER = {"kommune": {"register": "norway-2024"}}
SMALLEST = {"1144": "Kvitsøy", "1151": "Utsira", "1835": "Træna", "1856": "Røst", "4633": "Fedje"}
SITE_PAGES = {
    "docs/index.md": '{{ kommune_map(municipalities="all") }}\n',
    "docs/with-table.md": "{{ kommune_table() }}\n\n{{ kommune_map() }}\n",
    "docs/county.md": '{{ kommune_map(municipalities="all", county="Rogaland") }}\n',
    "docs/vestfold.md": (
        '{{ kommune_map(municipalities=["Sandefjord", "Larvik", "Tønsberg", "Horten"], '
        'county="Vestfold", caption="Vestfold") }}\n'
    ),
    "docs/counts.md": '{{ kommune_map(source="geonorge", locale="nb") }}\n',
}
VESTFOLD_DATA = """\
sources:
  - id: geonorge
    name: Geonorge
  - id: other
    name: Other portals
municipalities:
  - name: Sandefjord
    kommunenummer: "3907"
    links:
      geonorge: {url: "https://example.org/sandefjord", datasets: 12}
      other: https://example.org/sandefjord-portal
  - name: Larvik
    kommunenummer: "3909"
    links:
      geonorge: {url: "https://example.org/larvik", datasets: 0}
  - name: Tønsberg
    kommunenummer: "3905"
    links:
      geonorge: https://example.org/tonsberg
  - name: Bergen
    kommunenummer: "4601"
    links:
      geonorge: {url: "https://example.org/bergen", datasets: 250}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """One build with a register and the example data, every kind of map on its own page."""
    root = tmp_path_factory.mktemp("map") / "project"
    files = {**SITE_PAGES, "data.yml": VESTFOLD_DATA}
    plugins: list[Any] = [
        "search",
        {"kommune": {"register": "norway-2024", "data": "data.yml"}},
        "macros",
    ]
    return make_site(root, files, plugins=plugins).build()


def the_map(site: Site, page: str) -> Tag:
    svgs = site.soup(page).select("figure.kommune-map > svg")
    assert len(svgs) == 1
    return svgs[0]


def one(tag: Tag, selector: str) -> Tag:
    found = tag.select_one(selector)
    assert found is not None, selector
    return found


def text(tag: Tag, selector: str) -> str:
    return one(tag, selector).get_text()


def numbered(svg: Tag) -> list[str]:
    return [str(e["data-kommunenummer"]) for e in svg.select("[data-kommunenummer]")]


def svg_text(site: Site, page: str) -> str:
    found = re.findall(r"<figure class=\"kommune-map\">.*?</figure>", site.html(page), re.DOTALL)
    assert len(found) == 1
    return str(found[0])


def test_national_map_has_one_shape_per_register_municipality(site: Site) -> None:
    svg = the_map(site, "index.html")
    numbers = numbered(svg)
    assert len(numbers) == 357
    assert set(numbers) == {e.kommunenummer for e in load_register().entries}
    assert svg["role"] == "img"
    assert text(svg, ":scope > title") == "Open data by municipality"
    desc = text(svg, ":scope > desc")
    assert "357 municipalities" in desc and "Not checked: 353" in desc, desc
    # The Oslo inset repeats some shapes, without numbers; context is left out when all are chosen.
    assert svg.select(".kommune-map-inset .kommune-map-areas > *")
    assert not svg.select(".kommune-map-inset [data-kommunenummer]")
    assert one(svg, "[data-kommunenummer='3907']")["class"] == ["kommune-map-s5"]
    assert one(svg, "[data-kommunenummer='4601']")["class"] == ["kommune-map-s1"]


def test_attribution_and_legend_are_in_the_drawing(site: Site) -> None:
    svg = the_map(site, "index.html")
    attribution = svg.select_one("text.kommune-map-attribution")
    assert attribution is not None and "© Kartverket (CC BY 4.0)" in attribution.get_text()
    legend = [t.get_text() for t in svg.select(".kommune-map-legend text")]
    assert legend == [
        "2 of 2 sources",
        "1 of 2 sources",
        "Nothing found",
        "Not checked",
    ]


def test_national_map_is_small_and_compact(site: Site) -> None:
    text = svg_text(site, "index.html")
    size, packed = len(text.encode()), len(gzip.compress(text.encode(), 9))
    print(f"national map: {size} bytes of SVG, {packed} gzipped")
    assert size < 250_000
    svg = BeautifulSoup(text, "html.parser")
    paths = [str(p["d"]) for p in svg.select("path") if not p.find_parent("pattern")]
    assert len(paths) > 357
    # Whole units and relative steps only: one absolute M per ring, nothing else absolute.
    bad = [d for d in paths if not re.fullmatch(r"(M\d+[ -]\d+([hvl][\d -]+)*z)+", d)]
    assert not bad, bad[:3]


def test_smallest_municipalities_get_a_marker(site: Site) -> None:
    svg = the_map(site, "index.html")
    for number, name in SMALLEST.items():
        shape = one(svg, f"[data-kommunenummer='{number}']")
        assert text(shape, "title").startswith(name)
        assert float(str(one(shape, "circle")["r"])) >= 2, name


def test_shapes_link_to_the_rows_of_a_table_on_the_page(site: Site) -> None:
    page = site.soup("with-table/index.html")
    rows = {str(tr["id"]) for tr in page.select("table.kommune-table tbody tr")}
    svg = the_map(site, "with-table/index.html")
    shapes = svg.select("[data-kommunenummer]")
    assert len(shapes) == 4  # the data file's municipalities; the others are context
    for shape in shapes:
        assert shape.name == "a", shape
        assert str(shape["xlink:href"]).removeprefix("#") in rows
    assert one(svg, "[data-kommunenummer='4601']")["xlink:href"] == "#bergen"
    assert len(svg.select(".kommune-map-context > g")) == 357 - 4
    assert "Not selected" in [t.get_text() for t in svg.select(".kommune-map-legend text")]


def test_shapes_without_a_row_are_focusable(site: Site) -> None:
    svg = the_map(site, "index.html")
    shapes = svg.select("[data-kommunenummer]")
    assert all(s.name == "g" and s["tabindex"] == "0" for s in shapes)


def test_a_county_is_drawn_zoomed_with_only_its_shapes_numbered(site: Site) -> None:
    national, county = the_map(site, "index.html"), the_map(site, "county/index.html")
    assert county["viewbox"] != national["viewbox"]  # html.parser lowercases names
    rogaland = {e.kommunenummer for e in load_register().entries if e.county_number == "11"}
    assert set(numbered(county)) == rogaland
    assert county.select_one(".kommune-map-inset") is None
    assert "Map of Rogaland, 23 municipalities" in text(county, "desc")
    # Zoomed: Stavanger is drawn far larger than on the national map.
    assert len(_path_of(county, "1103")) > 2 * len(_path_of(national, "1103"))


def _path_of(svg: Tag, number: str) -> str:
    return str(one(svg, f"[data-kommunenummer='{number}'] path")["d"])


def test_golden_vestfold(site: Site) -> None:
    """Vestfold: six municipalities, an exclave of Sandefjord inside Larvik, every state."""
    produced = svg_text(site, "vestfold/index.html") + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")


def test_dataset_counts_shade_one_source(site: Site) -> None:
    svg = the_map(site, "counts/index.html")
    classes = {
        str(s["data-kommunenummer"]): s["class"][0] for s in svg.select("[data-kommunenummer]")
    }
    assert classes == {
        "3907": "kommune-map-s3",  # 12 datasets: 10-49
        "3909": "kommune-map-none",  # a count of 0 is nothing found
        "3905": "kommune-map-s1",  # linked, not counted
        "4601": "kommune-map-s5",  # 250: 200 or more
    }
    assert text(svg, ":scope > title") == "Datasett i Geonorge per kommune"
    bergen = text(svg, "[data-kommunenummer='4601'] title")
    assert bergen == "Bergen: 250 datasett i Geonorge"
    assert "200 eller flere datasett" in [
        t.get_text() for t in svg.select(".kommune-map-legend text")
    ]


HOSTILE = '<img src=x onerror="alert(1)"> & "Kvitsøy" </title><script>x()</script>'


def test_names_are_escaped_in_tooltips(new_site: Callable[..., Site]) -> None:
    data = (
        "sources:\n  - id: geonorge\n    name: Geonorge\n"
        f"municipalities:\n  - name: {HOSTILE!r}\n    kommunenummer: '1144'\n"
    )
    site = new_site(
        {"docs/index.md": "{{ kommune_map() }}\n", "data.yml": data},
        plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
    ).build()
    html = site.html("index.html")
    assert "<script>x()" not in html and "<img src=x" not in html
    page = BeautifulSoup(html, "html.parser")
    assert text(page, "[data-kommunenummer='1144'] title") == f"{HOSTILE}: nothing found"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "kommune_map()",
            "the map places municipalities by kommunenummer, and Oslo, Bergen, Trondheim and 7 "
            "more in <bundled dataset> have none: add `register: norway-2024`",
        ),
        (
            'kommune_map(county="Rogaland")',
            "Oslo, Bergen, Trondheim and 7 more in <bundled dataset>",
        ),
        (
            'kommune_map(source="nope")',
            "source: 'nope' is not a source id; the sources are: geonorge",
        ),
        (
            'kommune_map(sort="name")',
            "unknown argument 'sort'; the arguments are: municipalities, county, source",
        ),
    ],
)
def test_bad_calls_fail_the_build(new_site: Callable[..., Site], call: str, message: str) -> None:
    site = new_site({"docs/index.md": f"{{{{ {call} }}}}\n"})  # the bundled data: no numbers
    result = site.run("build")
    assert result.returncode == 1, result.stderr
    assert "index.md: bad kommune macro call:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_old_kommunenummer_names_the_new_one(new_site: Callable[..., Site]) -> None:
    data = "sources:\n  - id: g\n    name: G\nmunicipalities:\n  - name: Bærum\n    kommunenummer: '3024'\n"
    site = new_site(
        {"docs/index.md": "{{ kommune_map() }}\n", "data.yml": data},
        plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "Bærum: kommunenummer 3024 (since 2024: 3201) is not one of the 357" in result.stderr


def test_geometry_loads_only_for_a_map_and_each_map_is_drawn_once(
    new_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    mapgeometry.boundaries.cache_clear()
    new_site({"docs/index.md": "{{ kommune_table() }}\n"}).build()
    assert mapgeometry.boundaries.cache_info().currsize == 0

    drawn = []
    real = mapsvg._drawing

    def counting(*args: Any) -> Any:
        drawn.append(args[0].key)
        return real(*args)

    monkeypatch.setattr(mapsvg, "_drawing", counting)
    pages = {f"docs/p{i}.md": '{{ kommune_map(county="Vestfold") }}\n' for i in range(3)}
    site = new_site(pages, plugins=["search", REGISTER, "macros"]).build()
    assert len(drawn) == 1
    assert all(
        the_map(site, f"p{i}/index.html").select(".kommune-map-context > g") for i in range(3)
    )


def test_two_maps_on_a_page_keep_their_ids_apart_and_each_shape_once(
    new_site: Callable[..., Site],
) -> None:
    page = '{{ kommune_map(municipalities=["Oslo", "Bergen", "0301"]) }}\n\n' * 2
    site = new_site({"docs/index.md": page}, plugins=["search", REGISTER, "macros"]).build()
    svgs = site.soup("index.html").select("figure.kommune-map > svg")
    assert len(svgs) == 2
    patterns = [str(one(svg, "pattern")["id"]) for svg in svgs]
    assert patterns == ["kommune-map-hatch", "kommune-map-hatch-2"]
    for svg in svgs:
        assert numbered(svg) == ["0301", "4601"]
