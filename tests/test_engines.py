"""The compatibility matrix of docs/engines.md: every cell there is a test here (or test_zensical)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

from tests.support.sites import Site, make_site

THEMES = ["mkdocs", "readthedocs", "material"]
ENGINES = ["mkdocs", "properdocs"]
PAGE = "---\nredirect_from: /kommune/\n---\n# Data\n\n{{ kommune_table() }}\n"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("engine", ENGINES)
def test_engine_and_theme(new_site: Callable[..., Site], engine: str, theme: str) -> None:
    site = new_site({"docs/index.md": "# Home\n", "docs/data.md": PAGE}, theme={"name": theme})
    result = site.run("build", "--strict", command=engine)
    assert result.returncode == 0, result.stderr
    page = site.soup("data/index.html")
    assert len(page.select("table.kommune-table tbody tr")) == 10
    assert page.select_one('link[href$="assets/kommune/kommune.css"]') is not None
    assert (site.site_dir / "assets/kommune/kommune.css").is_file()
    assert 'href="../data/"' in site.html("kommune/index.html")
    assert json.loads(site.html("redirects.json")) == {"/kommune/": "/data/"}


def test_properdocs_yml_is_read_by_properdocs(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"docs/index.md": PAGE})
    (site.root / "mkdocs.yml").rename(site.root / "properdocs.yml")
    result = site.run("build", "--strict", command="properdocs")
    assert result.returncode == 0, result.stderr
    assert site.soup("index.html").select_one("table.kommune-table") is not None
    assert (site.site_dir / "kommune" / "index.html").is_file()


@pytest.mark.parametrize("group", ["mkdocs.plugins", "properdocs.plugins"])
def test_plugin_is_registered_for_both_engines(group: str) -> None:
    (entry,) = [e for e in metadata.entry_points(group=group) if e.name == "kommune"]
    assert entry.value == "mkdocs_kommune.plugin:KommunePlugin"
    assert entry.dist is not None and entry.dist.name == "mkdocs-kommune"


def test_mkdocs_2_is_excluded() -> None:
    """MkDocs 2 has no plugin system; the declared range keeps pip from installing it."""
    assert "mkdocs<2,>=1.6" in (metadata.requires("mkdocs-kommune") or [])
