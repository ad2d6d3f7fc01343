"""Zensical (no MkDocs plugins): the example site gives the plugin's table, stubs and assets."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.support.sites import Site

REPO = Path(__file__).resolve().parent.parent
PAGE = "news/municipalities/index.html"
SAME_FILES = [
    "kommune/index.html",
    "kommuner/index.html",
    "municipalities/index.html",
    "redirects.json",
    "assets/kommune/kommune.css",
    "assets/kommune/kommune.js",
]


def table_element(html: str) -> str:
    match = re.search(r'<div class="kommune-table-wrapper".*?</table>', html, re.DOTALL)
    assert match is not None, "no kommune table on the page"
    return match.group(0)


def zensical(site: Site, *args: str) -> str:
    result = site.run("build", "-f", "zensical.toml", "--clean", *args, command="zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def finish(site: Site, *args: str) -> None:
    result = site.run("redirects", "site", *args, command="mkdocs-kommune")
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    """The example site built by Zensical (then `redirects`) and by MkDocs, side by side."""
    built = []
    for engine in ("zensical", "mkdocs"):
        root = tmp_path_factory.mktemp(engine) / "example-site"
        shutil.copytree(REPO / "example-site", root, ignore=shutil.ignore_patterns("site"))
        site = Site(root)
        if engine == "zensical":
            zensical(site)
            finish(site)
        else:
            result = site.run("build", "--strict")
            assert result.returncode == 0, result.stderr
        built.append(site)
    return built[0], built[1]


def test_zensical_gives_the_plugins_table(both: tuple[Site, Site]) -> None:
    z, m = both
    assert table_element(z.html(PAGE)) == table_element(m.html(PAGE))
    assert "kommune_table" not in z.html(PAGE)


def test_zensical_gives_the_plugins_map(both: tuple[Site, Site]) -> None:
    z, m = both
    svg = re.compile(r'<figure class="kommune-map">.*?</figure>', re.DOTALL)
    assert svg.findall(z.html(PAGE)) == svg.findall(m.html(PAGE)) != []


def test_zensical_gives_the_plugins_coverage_line(both: tuple[Site, Site]) -> None:
    z, m = both
    coverage = re.compile(r'<span class="kommune-coverage".*?</span>', re.DOTALL)
    assert coverage.findall(z.html("index.html")) == coverage.findall(m.html("index.html")) != []


@pytest.mark.parametrize("path", SAME_FILES)
def test_redirects_command_writes_what_the_plugin_writes(
    both: tuple[Site, Site], path: str
) -> None:
    z, m = both
    assert (z.site_dir / path).read_bytes() == (m.site_dir / path).read_bytes()


def test_stylesheet_is_linked_from_the_page(both: tuple[Site, Site]) -> None:
    z, _ = both
    assert '<link rel="stylesheet" href="../../assets/kommune/kommune.css">' in z.html(PAGE)


def test_a_second_run_replaces_its_own_stubs(both: tuple[Site, Site]) -> None:
    z, _ = both
    before = z.html("redirects.json")
    finish(z)
    assert z.html("redirects.json") == before
    assert set(json.loads(before)) == {"/kommune/", "/kommuner/", "/municipalities/"}


def zensical_site(root: Path, page: str, extra: str = "") -> Site:
    root.mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "zensical.toml").write_text(
        '[project]\nsite_name = "T"\n'
        '[project.markdown_extensions."mkdocs_kommune.zensical"]\n'
        '[project.plugins.macros]\nmodules = ["mkdocs_kommune.zensical"]\n' + extra,
        encoding="utf-8",
    )
    return Site(root)


def test_a_bad_macro_argument_fails_the_zensical_build(tmp_path: Path) -> None:
    site = zensical_site(tmp_path / "s", '{{ kommune_table(sources=["nope"]) }}\n')
    result = site.run("build", "-f", "zensical.toml", command="zensical")
    assert result.returncode != 0
    assert "index.md: bad kommune macro call:" in result.stderr
    assert "kommune_table(): sources: unknown source id 'nope'" in result.stderr


def test_a_colliding_alias_is_refused_as_the_plugin_refuses_it(tmp_path: Path) -> None:
    site = zensical_site(
        tmp_path / "s",
        "---\nredirect_from: /about/\n---\n# Home\n",
        '[project.extra.kommune]\nredirects = { "old/" = "about.md" }\n',
    )
    zensical(site)
    result = site.run("redirects", "site", command="mkdocs-kommune")
    assert result.returncode == 1
    assert (
        "index.md: redirect_from `/about/`: its stub `about/index.html` would overwrite"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (site.site_dir / "old" / "index.html").exists()
    assert not (site.site_dir / "redirects.json").exists()


def test_redirect_to_and_the_option_under_zensical(tmp_path: Path) -> None:
    site = zensical_site(
        tmp_path / "s",
        "# Home\n",
        '[project.extra.kommune]\nredirects = { "old/" = "about.md" }\n',
    )
    (site.root / "docs" / "gone.md").write_text(
        "---\nredirect_to: https://example.org/x\n---\n# Gone\n", encoding="utf-8"
    )
    zensical(site)
    finish(site)
    assert 'href="../about/"' in site.html("old/index.html")
    assert "https://example.org/x" in site.html("gone/index.html")
    assert json.loads(site.html("redirects.json")) == {
        "/gone/": "https://example.org/x",
        "/old/": "/about/",
    }


def test_bad_options_name_the_block(tmp_path: Path) -> None:
    site = zensical_site(
        tmp_path / "s", "{{ kommune_coverage() }}\n", "[project.extra.kommune]\nlocal = 'nb'\n"
    )
    build = site.run("build", "-f", "zensical.toml", command="zensical")
    assert build.returncode != 0
    assert "kommune: extra: kommune: bad options" in build.stderr
    site.site_dir.mkdir(exist_ok=True)
    result = site.run("redirects", "site", command="mkdocs-kommune")
    assert result.returncode == 1
    assert "zensical.toml (extra: kommune): bad options" in result.stderr
    assert "local" in result.stderr


def test_the_sites_own_stylesheet_is_left_alone(tmp_path: Path) -> None:
    site = zensical_site(tmp_path / "s", "# Home\n")
    own = site.root / "docs" / "assets" / "kommune" / "kommune.css"
    own.parent.mkdir(parents=True)
    own.write_text("/* mine */\n", encoding="utf-8")
    zensical(site)
    finish(site)
    assert site.html("assets/kommune/kommune.css") == "/* mine */\n"
    packaged = REPO / "mkdocs_kommune" / "assets" / "kommune" / "kommune.js"
    assert site.html("assets/kommune/kommune.js") == packaged.read_text("utf-8")


def test_redirects_over_an_mkdocs_build_rewrites_the_same_stubs(both: tuple[Site, Site]) -> None:
    """Read from mkdocs.yml's plugin block, the command agrees with the plugin's own output."""
    _, m = both
    before = {path: (m.site_dir / path).read_bytes() for path in SAME_FILES}
    result = m.run("redirects", "site", "--config", "mkdocs.yml", command="mkdocs-kommune")
    assert result.returncode == 0, result.stderr
    assert {path: (m.site_dir / path).read_bytes() for path in SAME_FILES} == before


def test_zensical_reads_the_same_from_a_mkdocs_yml(tmp_path: Path) -> None:
    root = tmp_path / "s"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(
        "---\nredirect_from: /home/\n---\n# Home\n\n{{ kommune_table(limit=2) }}\n\n"
        "Rows: {{ kommune_data.municipalities | length }}\n",
        encoding="utf-8",
    )
    (root / "mkdocs.yml").write_text(
        "site_name: T\n"
        "extra:\n  kommune:\n    locale: nb\n"
        "markdown_extensions:\n  - mkdocs_kommune.zensical\n"
        "plugins:\n  - macros:\n      modules: [mkdocs_kommune.zensical]\n",
        encoding="utf-8",
    )
    site = Site(root)
    result = site.run("build", command="zensical")
    assert result.returncode == 0, result.stderr
    finish(site)
    page = site.soup("index.html")
    assert len(page.select("table.kommune-table tbody tr")) == 2
    header = page.select_one("table.kommune-table thead th")
    assert header is not None and header.get_text(strip=True) == "Kommune"
    assert "Rows: 10" in page.get_text()  # kommune_data, the bundled dataset
    assert json.loads(site.html("redirects.json")) == {"/home/": "/"}
