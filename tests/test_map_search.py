"""The map's drawing stays out of the search index; the page keeps it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.sites import Site

PAGE = """\
# Coverage

{{ kommune_map(caption="Where the data is") }}

{{ kommune_table() }}
"""
TOOLTIP = "Bergen: 2 of 3 sources"


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_tooltips_stay_out_of_the_search_index(new_site: Callable[..., Site], theme: str) -> None:
    plugins: list[Any] = ["search", {"kommune": {"register": "norway-2024"}}, "macros"]
    site = new_site({"docs/index.md": PAGE}, plugins=plugins, theme={"name": theme}).build()
    html = site.html("index.html")
    assert TOOLTIP in html and 'class="kommune-map-svg"' in html  # the page keeps its map
    assert "<!--kommune-map-" not in html
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text("utf-8"))
    text = json.dumps(index, ensure_ascii=False)
    assert "Bergen" in text  # the table's rows are still found
    assert TOOLTIP not in text
    assert "Boundaries © Kartverket" not in text  # nor the legend and attribution
    assert "Where the data is" in text  # the caption is page text


ZENSICAL_TOML = """\
[project]
site_name = "Search"
[project.extra.kommune]
register = "norway-2024"
[project.markdown_extensions."mkdocs_kommune.zensical"]
[project.plugins.macros]
modules = ["mkdocs_kommune.zensical"]
"""


def test_zensical_leaves_the_drawing_out_of_its_search_too(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": PAGE})
    (site.root / "mkdocs.yml").unlink()
    (site.root / "zensical.toml").write_text(ZENSICAL_TOML, encoding="utf-8")
    result = site.run("build", command="zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    assert TOOLTIP in site.html("index.html")
    text = (site.site_dir / "search.json").read_text(encoding="utf-8")
    assert "Bergen" in text and TOOLTIP not in text
