"""Both engines run the same macro code: one page, built by MkDocs and by Zensical, compared.

Every macro's HTML (tables, the coverage line in a heading and in text, the per-county table, the
map, a ``kommune_data`` loop), the headings and their ids, the page title, the navigation entry,
the build errors and the lost-marker warnings must be the same on both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.support.sites import Site, make_site

PAGE = """\
---
kommune_locale: nb
---
# Covered {{ kommune_coverage() }}

## The table

{{ kommune_table(caption="Alle", counts=true, sort="name") }}

In short: {{ kommune_coverage(sources=["geonorge"]) }}.

{{ kommune_table(municipalities=["Bergen", "Asker"]) }}

Not all checked: {{ kommune_coverage(municipalities=["Bergen", "Asker"]) }}.

## By county

{{ kommune_coverage(by="county") }}

{{ kommune_map(caption="Kart") }}

{% for m in kommune_data.municipalities[:3] %}- {{ m.name }}
{% endfor %}
"""
TOKEN = re.compile(r"kommune[0-9a-f]{12}c\d+x")
PATH = "covered/index.html"
OPTIONS = 'register = "norway-2024"\nlocale = "en"\n'


def _zensical_toml(extra: str = OPTIONS) -> str:
    return (
        '[project]\nsite_name = "T"\nnav = ["index.md", "covered.md", { "About" = "about.md" }]\n'
        '[project.markdown_extensions."mkdocs_kommune.zensical"]\n'
        "[project.markdown_extensions.toc]\n"
        '[project.plugins.macros]\nmodules = ["mkdocs_kommune.zensical"]\n'
        "[project.extra.kommune]\n" + extra
    )


def build_both(root: Path, page: str) -> tuple[Site, Site, str, str]:
    """The page built by MkDocs and by Zensical; each build's messages."""
    files = {"docs/index.md": "# Home\n", "docs/covered.md": page, "docs/about.md": "# About\n"}
    mkdocs = make_site(
        root / "mkdocs",
        files,
        plugins=["search", {"kommune": {"register": "norway-2024", "locale": "en"}}, "macros"],
        markdown_extensions=["toc"],
        nav=["index.md", "covered.md", {"About": "about.md"}],
    )
    mkdocs_run = mkdocs.run("build")
    zensical = make_site(root / "zensical", files)
    (zensical.root / "zensical.toml").write_text(_zensical_toml(), encoding="utf-8")
    zensical_run = zensical.run("build", "-f", "zensical.toml", "--clean", command="zensical")
    return (
        mkdocs,
        zensical,
        mkdocs_run.stdout + mkdocs_run.stderr,
        zensical_run.stdout + zensical_run.stderr,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BeautifulSoup, BeautifulSoup]:
    mkdocs, zensical, m_log, z_log = build_both(tmp_path_factory.mktemp("engines"), PAGE)
    assert (mkdocs.site_dir / PATH).is_file(), m_log
    assert (zensical.site_dir / PATH).is_file(), z_log
    return (
        BeautifulSoup(mkdocs.html(PATH), "html.parser"),
        BeautifulSoup(zensical.html(PATH), "html.parser"),
    )


def _blocks(soup: BeautifulSoup) -> list[str]:
    """Every element a kommune macro made, in page order, as HTML."""
    found = soup.select(
        ".kommune-table-wrapper, .kommune-coverage, figure.kommune-map, .kommune-county-table"
    )
    return [str(tag) for tag in found if not tag.find_parent(class_=re.compile("^kommune-"))]


def _headings(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    found = soup.find(["article", "main"])
    content = found if isinstance(found, Tag) else soup
    result = []
    for heading in content.find_all(re.compile("^h[1-3]$")):
        assert isinstance(heading, Tag)
        for permalink in heading.select(".headerlink"):
            permalink.decompose()
        result.append((heading.name, str(heading.get("id", "")), heading.get_text(" ", strip=True)))
    return result


def test_every_macro_gives_the_same_html(built: tuple[BeautifulSoup, BeautifulSoup]) -> None:
    mkdocs, zensical = built
    blocks = _blocks(mkdocs)
    assert len(blocks) >= 5, blocks  # two coverage lines, table, county table, map
    assert _blocks(zensical) == blocks
    # Asker is not in the bundled data: the register's row says so on both engines.
    assert [td["data-state"] for td in zensical.select("#asker td")] == ["unchecked"] * 3
    assert "1 av 1 undersøkte, 1 av de 2 ikke undersøkte" in str(zensical)


def test_headings_and_their_ids_are_the_same(built: tuple[BeautifulSoup, BeautifulSoup]) -> None:
    mkdocs, zensical = built
    headings = _headings(mkdocs)
    assert headings[0][0] == "h1" and "Geonorge:" in headings[0][2], headings
    assert _headings(zensical)[: len(headings)] == headings


def test_no_token_reaches_the_title_or_the_navigation(
    built: tuple[BeautifulSoup, BeautifulSoup],
) -> None:
    for soup in built:
        title = soup.title.get_text() if soup.title else ""
        assert TOKEN.search(str(soup)) is None
        assert "Covered Geonorge:" in title, title
        nav = [a.get_text(" ", strip=True) for a in soup.select("nav a, .md-nav a, .navbar a")]
        assert any(text.startswith("Covered Geonorge:") for text in nav), nav


def test_the_data_loop_is_the_same(built: tuple[BeautifulSoup, BeautifulSoup]) -> None:
    mkdocs, zensical = built

    def items(soup: BeautifulSoup) -> list[str]:
        return [li.get_text(strip=True) for li in soup.select("ul > li") if not li.find("a")][:3]

    assert items(mkdocs) == items(zensical) != []


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ('{{ kommune_table(sources=["nope"]) }}\n', "kommune_table(): sources: unknown source id"),
        ("{{ kommune_map(source=1) }}\n", "kommune_map(): source: 1 is not a source id"),
        ('{{ kommune_coverage(by="town") }}\n', "kommune_coverage(): by 'town' is not one of"),
        ("---\nkommune_locale: de\n---\n{{ kommune_table() }}\n", "kommune_locale 'de'"),
    ],
)
def test_a_bad_call_fails_both_builds_alike(tmp_path: Path, page: str, expected: str) -> None:
    mkdocs, _, m_log, z_log = build_both(tmp_path, page)
    for log in (m_log, z_log):
        assert "covered.md: bad kommune macro call:" in log, log
        assert expected in log, log
    assert not (mkdocs.site_dir / PATH).exists()


def test_a_lost_table_warns_alike_on_both(tmp_path: Path) -> None:
    page = "# T\n\n{{ kommune_table() | upper }}\n\n{{ kommune_coverage() | upper }}\n"
    _, _, m_log, z_log = build_both(tmp_path, page)
    for log in (m_log, z_log):
        assert "covered.md calls kommune_table() but its output was changed" in log, log
        assert "covered.md calls kommune_coverage(), but its output was changed" in log, log
