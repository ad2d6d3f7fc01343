"""The macros in real builds: placement, plugin order, errors, escaping, locale, styling, overrides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.support.sites import Site

ORDERS = {
    "kommune-first": ["search", "kommune", "macros"],
    "macros-first": ["search", "macros", "kommune"],
}

PLACEMENTS = {
    "top-level": "Intro.\n\n{{ kommune_table() }}\n\nOutro.\n",
    "admonition": '!!! note "Coverage"\n    {{ kommune_table() }}\n',
    "list-item": "- First\n\n    {{ kommune_table() }}\n\n- Second\n",
    "content-tab": '=== "Table"\n\n    {{ kommune_table() }}\n\n=== "Other"\n\n    Nothing.\n',
}
EXTENSIONS = ["admonition", "pymdownx.superfences", "pymdownx.tabbed"]


def table_of(site: Site, page: str = "index.html") -> Any:
    tables = site.soup(page).select("table.kommune-table")
    assert len(tables) == 1
    return tables[0]


def assert_intact(table: Any) -> None:
    """The whole table arrived as HTML: not in <p>, not in <pre>/<code>, all rows present."""
    assert table.find_parent("p") is None
    assert table.find_parent("pre") is None and table.find_parent("code") is None
    wrapper = table.parent
    assert "kommune-table-wrapper" in wrapper["class"]
    assert wrapper.parent.name != "p"
    assert len(table.select("tbody tr")) == 10
    assert [th.get_text() for th in table.select("thead th")] == [
        "Municipality", "Geonorge", "Felles datakatalog", "Other portals",
    ]  # fmt: skip


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("placement", PLACEMENTS)
def test_table_is_intact_in_every_placement_and_order(
    new_site: Callable[..., Site], order: str, placement: str
) -> None:
    site = new_site(
        {"docs/index.md": PLACEMENTS[placement]},
        plugins=ORDERS[order],
        markdown_extensions=EXTENSIONS,
    ).build()
    table = table_of(site)
    assert_intact(table)
    if placement == "admonition":
        assert table.find_parent("div", class_="admonition") is not None
    if placement == "list-item":
        assert table.find_parent("li") is not None
    if placement == "content-tab":
        assert table.find_parent("div", class_="tabbed-content") is not None
    assert "<!-- kommune-" not in site.html("index.html")  # every marker was swapped


def test_several_builds_in_one_process_in_both_orders(new_site: Callable[..., Site]) -> None:
    """As under `mkdocs serve`: mkdocs-macros keeps class-level buffers between builds."""
    for plugins in [*ORDERS.values(), *ORDERS.values()]:
        site = new_site({"docs/index.md": "{{ kommune_table() }}\n"}, plugins=plugins).build()
        assert_intact(table_of(site))


def test_kommune_data_variable_for_own_loops(new_site: Callable[..., Site]) -> None:
    page = (
        "{% for m in kommune_data.municipalities if m.covered_by('felles-datakatalog') %}"
        "- {{ m.name }} {{ m.orgnr }}\n{% endfor %}"
        "\nSources: {{ kommune_data.sources | map(attribute='id') | join(', ') }}\n"
    )
    site = new_site({"docs/index.md": page}).build()
    items = [li.get_text() for li in site.soup("index.html").select("[role=main] li")]
    assert items == [
        "Oslo 958935420", "Bergen 964338531", "Trondheim 942110464",
        "Stavanger 964965226", "Tromsø 940101808",
    ]  # fmt: skip
    assert "Sources: geonorge, felles-datakatalog, other" in site.html("index.html")


def test_coverage_summary_inline(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"docs/index.md": "In short: {{ kommune_coverage(sources=['geonorge']) }}.\n"}
    ).build()
    paragraph = site.soup("index.html").select_one("[role=main] p")
    assert paragraph is not None
    assert paragraph.get_text() == "In short: Geonorge: 8 of 10."


BAD_CALLS = [
    ("{{ kommune_table(sources=['nope']) }}", "kommune_table(): sources: unknown source id 'nope'"),
    ("{{ kommune_table(municipalities=['Atlantis']) }}", "unknown municipality 'Atlantis'"),
    ("{{ kommune_table(limit='ten') }}", "limit must be a whole number of 0 or more; got 'ten'"),
    ("{{ kommune_table(sort='size') }}", "sort 'size' is not one of"),
    ("{{ kommune_table(colour='red') }}", "unknown argument 'colour'"),
    ("{{ kommune_table('Oslo') }}", "takes keyword arguments only"),
    ("{{ kommune_table(counts='yes') }}", "counts must be true or false"),
    ("{{ kommune_table(locale='sv') }}", "locale 'sv' is not supported; use one of: en, nb, nn"),
    ("{{ kommune_table(municipalities='all') }}", 'municipalities="all" needs a register'),
    ("{{ kommune_table(county='Narnia') }}", "county: unknown county 'Narnia'"),
    ("{{ kommune_coverage(caption='x') }}", "kommune_coverage(): unknown argument 'caption'"),
    ("---\nkommune_locale: de\n---\n{{ kommune_table() }}", "front matter kommune_locale 'de'"),
]


@pytest.mark.parametrize(("page", "message"), BAD_CALLS, ids=[m for _, m in BAD_CALLS])
def test_bad_argument_fails_the_build_without_strict(
    new_site: Callable[..., Site], page: str, message: str
) -> None:
    site = new_site({"docs/index.md": "# Home\n", "docs/sub/page.md": page + "\n"})
    result = site.run("build")  # no --strict
    assert result.returncode == 1, result.stderr
    assert "sub/page.md: bad kommune macro call:" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_strings_are_escaped(new_site: Callable[..., Site]) -> None:
    data = """\
sources:
  - id: s
    name: "<script>alert('col')</script>"
    link_text: "<b>x</b>"
    url: "https://example.org/?q={name}"
municipalities:
  - name: "<script>alert(1)</script>"
    links:
      s: true
  - name: "Quote\\" town"
    links:
      s: {url: "https://example.org/a?b=1&c=2", text: "\\"><img src=x onerror=alert(2)>"}
"""
    site = new_site(
        {
            "docs/index.md": "{{ kommune_table(caption='</table><script>x</script>') }}\n",
            "d.yml": data,
        },
        plugins=[{"kommune": {"data": "d.yml"}}, "macros"],
    ).build()
    html = site.html("index.html")
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"' in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    soup = BeautifulSoup(html, "html.parser")
    names = [th.get_text() for th in soup.select("table.kommune-table tbody th")]
    assert names == ["<script>alert(1)</script>", 'Quote" town']
    assert soup.select_one("table.kommune-table caption").get_text() == "</table><script>x</script>"  # type: ignore[union-attr]


def test_locale_from_option_page_and_argument(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {
            "docs/index.md": "{{ kommune_table() }}\n\n{{ kommune_table(locale='en') }}\n",
            "docs/nn.md": "---\nkommune_locale: nn\n---\n{{ kommune_table() }}\n",
        },
        plugins=[{"kommune": {"locale": "nb"}}, "macros"],
    ).build()
    first, second = site.soup("index.html").select("table.kommune-table")
    assert first.select_one("thead th").get_text() == "Kommune"  # type: ignore[union-attr]
    assert "Ingenting funnet" in first.get_text()
    assert second.select_one("thead th").get_text() == "Municipality"  # type: ignore[union-attr]
    assert "Ingenting funne" in table_of(site, "nn/index.html").get_text()
    # Two tables on one page keep their row ids unique.
    assert second.select_one("tbody tr")["id"] == "oslo-2"  # type: ignore[index]


def test_stylesheet_comes_before_user_css_and_can_be_turned_off(
    new_site: Callable[..., Site],
) -> None:
    files = {"docs/index.md": "{{ kommune_table() }}\n", "docs/mine.css": "tr { border: 0 }\n"}
    site = new_site(files, extra_css=["mine.css"]).build()
    links = [link["href"] for link in site.soup("index.html").select("link[rel=stylesheet]")]
    ours, mine = links.index("assets/kommune/kommune.css"), links.index("mine.css")
    assert ours < mine
    css = (site.site_dir / "assets/kommune/kommune.css").read_text(encoding="utf-8")
    assert "border-bottom: 1px solid currentColor" in css
    assert "overflow-x: auto" in css

    plain = new_site(files, plugins=[{"kommune": {"stylesheet": False}}, "macros"]).build()
    assert not (plain.site_dir / "assets/kommune/kommune.css").exists()
    assert "kommune.css" not in plain.html("index.html")


def test_templates_can_be_overridden_from_custom_dir(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {
            "docs/index.md": "{{ kommune_table() }}\n",
            "overrides/kommune/table.html": (
                '<ol class="mine">{% for row in rows %}<li>{{ row.municipality.name }}</li>'
                "{% endfor %}</ol>\n"
            ),
        },
        theme={"name": "mkdocs", "custom_dir": "overrides"},
    ).build()
    items = [li.get_text() for li in site.soup("index.html").select("ol.mine li")]
    assert items[:3] == ["Oslo", "Bergen", "Trondheim"]
    assert "kommune-table" not in site.html("index.html")


def test_warns_when_macros_plugin_is_missing(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "{{ kommune_table() }}\n"}, plugins=["kommune"])
    result = site.run("build", "--strict")
    assert result.returncode == 1
    assert "index.md calls a kommune macro, but mkdocs-macros is not enabled" in result.stderr


def test_macro_name_clash_is_a_clear_error(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {
            "docs/index.md": "x\n",
            "main.py": "def define_env(env):\n    env.macro(lambda: 1, 'kommune_table')\n",
        }
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "cannot register the macros" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["mkdocs", "properdocs"])
def test_builds_under_mkdocs_and_properdocs(new_site: Callable[..., Site], command: str) -> None:
    site = new_site({"docs/index.md": "{{ kommune_table() }}\n"})
    result = site.run("build", "--strict", command=command)
    assert result.returncode == 0, result.stderr
    assert_intact(table_of(site))


def test_row_ids_avoid_ids_the_page_already_has(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "## Bergen\n\n{{ kommune_table() }}\n"}).build()
    soup = site.soup("index.html")
    assert soup.select_one("h2")["id"] == "bergen"  # type: ignore[index]
    assert soup.select_one("table.kommune-table tr#bergen-2") is not None
    assert len(soup.select("#bergen")) == 1


def test_coverage_works_in_headings_and_keeps_markdown_characters(
    new_site: Callable[..., Site],
) -> None:
    data = "sources:\n  - {id: a, name: 'Open *data* [portal]_x_'}\nmunicipalities:\n  - {name: Oslo}\n"
    site = new_site(
        {"docs/index.md": "## Coverage: {{ kommune_coverage() }}\n", "d.yml": data},
        plugins=[{"kommune": {"data": "d.yml"}}, "macros"],
    ).build()
    heading = site.soup("index.html").select_one("[role=main] h2")
    assert heading is not None
    assert heading.get_text() == "Coverage: Open *data* [portal]_x_: 0 of 1"
    assert heading.find("em") is None


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("```\n{{ kommune_table() }}\n```\n", "calls kommune_table() inside code"),
        ("{{ kommune_table() | upper }}\n", "calls kommune_table() but its output was changed"),
    ],
)
def test_a_table_that_cannot_reach_the_page_is_a_warning(
    new_site: Callable[..., Site], page: str, message: str
) -> None:
    result = new_site({"docs/index.md": page}).run("build", "--strict")
    assert result.returncode == 1
    assert f"index.md {message}" in result.stderr


def test_a_call_shown_in_code_needs_no_macros_plugin(new_site: Callable[..., Site]) -> None:
    page = (
        "Write `{{ kommune_table() }}` or ``{{ kommune_table() }}``:\n\n"
        "```\n{{ kommune_coverage() }}\n```\n\nIndented:\n\n    {{ kommune_table() }}\n"
    )
    result = new_site({"docs/index.md": page}, plugins=["kommune"]).run("build", "--strict")
    assert result.returncode == 0, result.stderr


def test_none_means_the_default(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "{{ kommune_table(locale=None, counts=None, sort=None) }}\n"})
    assert_intact(table_of(site.build()))


def test_an_override_added_between_builds_is_used(new_site: Callable[..., Site]) -> None:
    """As under `mkdocs serve`: the template cache must notice a new file in custom_dir."""
    site = new_site(
        {"docs/index.md": "{{ kommune_table() }}\n"},
        theme={"name": "mkdocs", "custom_dir": "overrides"},
    )
    (site.root / "overrides").mkdir()
    assert "kommune-table" in site.build().html("index.html")
    (site.root / "overrides/kommune").mkdir()
    (site.root / "overrides/kommune/table.html").write_text(
        "<p class=mine>{{ rows | length }}</p>\n"
    )
    html = site.build().html("index.html")
    assert '<p class="mine">10</p>' in html or "<p class=mine>10</p>" in html


def test_each_lost_table_gets_its_own_reason(new_site: Callable[..., Site]) -> None:
    page = "```\n{{ kommune_table() }}\n```\n\n{{ kommune_table() | upper }}\n"
    result = new_site({"docs/index.md": page}).run("build")
    assert result.stderr.count("calls kommune_table() inside code") == 1, result.stderr
    assert result.stderr.count("but its output was changed") == 1, result.stderr


def test_municipality_arguments_are_nfc_and_trimmed(new_site: Callable[..., Site]) -> None:
    decomposed = "A\u030asnes"  # Å as A + combining ring, as macOS may write it
    page = f"{{{{ kommune_table(municipalities=['{decomposed}', ' Bærum ']) }}}}\n"
    site = new_site(
        {"docs/index.md": page}, plugins=[{"kommune": {"register": "norway-2024"}}, "macros"]
    ).build()
    assert [th.get_text() for th in table_of(site).select("tbody th")] == ["Åsnes", "Bærum"]
