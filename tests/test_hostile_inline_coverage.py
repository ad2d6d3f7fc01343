"""Hostile data in the coverage summary (never read as Markdown) and in row ids (linear time)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from mkdocs_kommune.model import Municipality, Source
from mkdocs_kommune.render import Renderer
from mkdocs_kommune.selection import Selection
from tests.support.sites import make_site

DATA = """\
sources:
  - id: a
    name: "==Geonorge=={: onmouseover=alert(1) }"
  - id: b
    name: "^^up^^ ~~x~~ *em* `code` [link](https://evil.example/) | cell"
municipalities:
  - name: Oslo
    links: {a: "https://a.example/"}
"""
PAGE = """\
# Summary {{ kommune_coverage(sources=["a"]) }}

Text {{ kommune_coverage() }} end.

| what | summary |
| --- | --- |
| all | {{ kommune_coverage() }} |

- item {{ kommune_coverage() }}
"""
TOKEN = re.compile(r"kommune[0-9a-f]{12}c\d+x")


def test_coverage_summary_is_never_read_as_markdown(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {"data.yml": DATA, "docs/index.md": PAGE},
        plugins=[{"kommune": {"data": "data.yml"}}, "macros"],
        markdown_extensions=[
            "attr_list",
            "pymdownx.mark",
            "pymdownx.caret",
            "pymdownx.tilde",
            "tables",
            {"toc": {"permalink": True}},
        ],
    ).build()
    html = site.html("index.html")
    content = BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})
    assert isinstance(content, Tag)
    summaries = content.select("span.kommune-coverage")
    assert len(summaries) == 4
    for summary in summaries:  # only text inside: no <mark>, <sup>, <del>, <em>, <code>, <a>
        assert summary.find(True) is None
        assert "==Geonorge=={: onmouseover=alert(1) }: 1 of 1" in summary.get_text()
    assert content.find(attrs={"onmouseover": True}) is None
    assert content.select_one("td span.kommune-coverage") is not None  # the cell stayed a cell
    assert not TOKEN.search(html), "a placeholder token reached the page"
    heading = content.find("h1")
    assert isinstance(heading, Tag) and heading["id"] == "summary-geonorge-onmouseoveralert1-1-of-1"
    toc_link = BeautifulSoup(html, "html.parser").find("a", href="#" + str(heading["id"]))
    assert toc_link is not None


def test_title_from_a_heading_with_the_summary_is_plain_text(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {"docs/index.md": "# Home\n", "docs/other.md": "# Covered {{ kommune_coverage() }}\n"},
        plugins=["kommune", "macros"],
    ).build()
    title = site.soup("other/index.html").find("title")
    assert title is not None
    assert title.get_text().startswith("Covered Geonorge: 8 of 10; ")
    assert not TOKEN.search(site.html("other/index.html"))


def test_row_ids_of_many_rows_with_one_slug_take_linear_time() -> None:
    rows = tuple(Municipality(name="Αθήνα") for _ in range(20_000))  # no Latin letters: `kommune`
    selection = Selection(rows, (Source("a", "A"),), "en")
    started = time.monotonic()
    html = Renderer().table(selection, {"kommune"})
    assert time.monotonic() - started < 10  # quadratic: 44 s
    ids = re.findall(r'<tr id="([^"]+)"', html)
    assert len(set(ids)) == 20_000 and ids[0] == "kommune-2" and ids[-1] == "kommune-20001"
