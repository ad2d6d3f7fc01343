"""Attacks on what the newest features put on the page or in the terminal, each a defect once."""

from __future__ import annotations

import os
from collections.abc import Callable

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.sitebuilder import QUIET_ENV, Site

HOSTILE = "==x=={: onmouseover=alert(1) } **b** <i>x</i>"
BROKEN = f"""\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={{organization}}"
municipalities:
  - name: Oslo
    population: "{HOSTILE}"
    links: {{geonorge: {{datasets: 41, checked: 2026-11-25}}}}
"""
MARKDOWN_EXTENSIONS = ["attr_list", "pymdownx.mark", "pymdownx.caret", "md_in_html"]


def build_as_serve(site: Site) -> None:
    """Build in-process as ``mkdocs serve`` does: plugins told the command is serve."""
    os.environ.update(QUIET_ENV)
    config = load_config(config_file=str(site.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)


def test_serve_problems_are_never_read_as_markdown(new_site: Callable[..., Site]) -> None:
    # Inside a paragraph and a list item, where Markdown reads what raw HTML holds.
    page = "# Data\n\nSee {{ kommune_table() }} here\n\n- item {{ kommune_coverage() }}\n"
    site = new_site(
        {"data/kommuner.yml": BROKEN, "docs/index.md": page},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
        markdown_extensions=MARKDOWN_EXTENSIONS,
    )
    build_as_serve(site)
    soup = BeautifulSoup(site.html("index.html"), "html.parser")
    blocks = soup.select(".kommune-problems")
    assert len(blocks) == 2
    for block in blocks:
        assert HOSTILE in block.get_text()
        assert block.find_all(["mark", "strong", "em", "i", "code"]) == block.select(
            "p > strong, p > code"
        )
        assert not any(tag.has_attr("onmouseover") for tag in block.find_all(True))
