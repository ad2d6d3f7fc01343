"""A map and a table on one page under the themes' instant navigation, in headless Chromium.

Material's ``navigation.instant`` (and Zensical's theme, which has the same loader) makes every
relative ``[href]`` absolute with ``el.href = el.href``; on an SVG ``<a href>`` that property is
read-only, the loader throws, and a click in the nav changes the address but leaves the old page
on screen. The map's links are written so the loader leaves them alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.browser import DESKTOP, open_page, served
from tests.support.sites import Site, free_port, make_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

MAP_AND_TABLE = """\
# Map and table

{{ kommune_map() }}

{{ kommune_table() }}
"""
OTHER = "# Another page\n\nNothing but words here.\n"

ZENSICAL_TOML = """\
[project]
site_name = "Instant"
site_url = "SITE_URL"
nav = [{ "Map and table" = "index.md" }, { "Another page" = "other.md" }]
extra_css = ["assets/kommune/kommune.css"]
extra_javascript = ["assets/kommune/kommune.js"]

[project.theme]
features = ["navigation.instant"]

[project.extra.kommune]
register = "norway-2024"

[project.markdown_extensions."mkdocs_kommune.zensical"]

[project.plugins.macros]
modules = ["mkdocs_kommune.zensical"]
"""


def _material(root: Path, site_url: str) -> Path:
    plugins: list[Any] = ["search", {"kommune": {"register": "norway-2024"}}, "macros"]
    site = make_site(
        root,
        {"docs/index.md": MAP_AND_TABLE, "docs/other.md": OTHER},
        plugins=plugins,
        site_url=site_url,
        nav=[{"Map and table": "index.md"}, {"Another page": "other.md"}],
        theme={"name": "material", "features": ["navigation.instant"]},
    )
    return site.build().site_dir


def _zensical(root: Path, site_url: str) -> Path:
    make_site(root, {"docs/index.md": MAP_AND_TABLE, "docs/other.md": OTHER})
    (root / "mkdocs.yml").unlink()
    (root / "zensical.toml").write_text(ZENSICAL_TOML.replace("SITE_URL", site_url), "utf-8")
    for args, command in ((("build", "-f", "zensical.toml"), "zensical"), (("redirects", "site"), "mkdocs-kommune")):  # fmt: skip
        result = Site(root).run(*args, command=command)
        assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.mark.parametrize("engine", ["material", "zensical"])
def test_a_click_in_the_nav_shows_the_next_page(
    browser: Browser, tmp_path: Path, artifacts: Path, engine: str
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    port = free_port()
    site_url = f"http://127.0.0.1:{port}/"
    build = _material if engine == "material" else _zensical
    folder = build(tmp_path / engine, site_url)
    with served(folder, port) as base, open_page(browser, base, viewport=DESKTOP) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/")
        shape = page.locator("figure.kommune-map a[data-kommunenummer='0301']")
        assert shape.count() == 1, "the map no longer links Oslo to its row"
        # The shape still links to its row once the loader has run.
        shape.click()
        page.wait_for_url("**/#oslo", timeout=5000)
        assert page.locator("tr#oslo").is_visible()
        page.get_by_role("link", name="Another page").first.click()
        page.wait_for_url("**/other/", timeout=5000)
        # The address changes before the loader swaps the content: wait for the new heading.
        heading = page.locator("article h1, .md-content h1").filter(has_text="Another page")
        try:
            heading.wait_for(timeout=5000)
        except PlaywrightTimeout:
            pytest.fail(f"the new page never showed; page errors: {errors}")
        assert page.locator("table.kommune-table").count() == 0, "the old page is still shown"
        page.screenshot(path=artifacts / f"instant-navigation-{engine}.png")
        assert errors == []
