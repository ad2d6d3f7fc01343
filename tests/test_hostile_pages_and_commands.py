"""Hostile data and files against the serve problems block, the new blocks, init, refresh and redirects."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_kommune.cli.main import main
from tests.support.sites import QUIET_ENV, Site

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
    try:
        build(config)
    finally:
        # MkDocs keeps plugin instances across load_config calls in one process (as serve does
        # between rebuilds): tell this one the serve is over, or later in-process builds would
        # show a broken data file on the page instead of failing.
        config.plugins.on_startup(command="build", dirty=False)


def test_serve_problems_are_never_read_as_markdown(new_site: Callable[..., Site]) -> None:
    # Inside a paragraph and a list item, where Markdown reads what raw HTML holds; the block
    # goes on a page once, however many macros it calls.
    pages = {
        "index.md": "# Data\n\nSee {{ kommune_table() }} here\n\n{{ kommune_map() }}\n",
        "list.md": "# List\n\n- item {{ kommune_coverage() }}\n- and {{ kommune_table() }}\n",
    }
    site = new_site(
        {"data/kommuner.yml": BROKEN, **{f"docs/{name}": text for name, text in pages.items()}},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
        markdown_extensions=MARKDOWN_EXTENSIONS,
    )
    build_as_serve(site)
    blocks: list[Tag] = []
    for html in ("index.html", "list/index.html"):
        soup = BeautifulSoup(site.html(html), "html.parser")
        assert len(soup.select(".kommune-problems")) == 1, html
        blocks += soup.select(".kommune-problems")
    assert blocks[1].find_parent("li") is not None
    for block in blocks:
        assert HOSTILE in block.get_text()
        assert block.find_all(["mark", "strong", "em", "i", "code"]) == block.select(
            "p > strong, p > code"
        )
        assert not any(tag.has_attr("onmouseover") for tag in block.find_all(True))


# -- refresh against a hostile catalogue on 127.0.0.1 --------------------------------------

REFRESH_DATA = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
    api: {kind: geonorge, url: "URL"}
municipalities:
  - name: Oslo
    orgnr: "958935420"
    links: {geonorge: true}
"""
COUNT = {"NumFound": 5, "Facets": [{"FacetField": "organizations"}]}


def _loop(request: Request) -> Response:
    return Response("", status=302, headers={"Location": request.url})


def _elsewhere(request: Request) -> Response:
    # The same local server under its other name: a different host, still on this machine.
    url = request.url
    other = (
        url.replace("localhost", "127.0.0.1")
        if "localhost" in url
        else url.replace("127.0.0.1", "localhost")
    )
    return Response("", status=302, headers={"Location": other})


def _bad_gzip(request: Request) -> Response:
    return Response(b"not gzip", headers={"Content-Encoding": "gzip"})


def _huge_body(request: Request) -> Response:
    chunk = b" " * (1024 * 1024)
    return Response((chunk for _ in range(12)), content_type="application/json")


def _count(value: object) -> Callable[[Request], Response]:
    return lambda request: Response(json.dumps({**COUNT, "NumFound": value}))


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (_loop, "too many redirects"),
        (_elsewhere, "moved to http://localhost:"),
        (_bad_gzip, "the answer is not valid gzip data"),
        (_huge_body, "the answer is over 8 MB"),
        (
            _count(10**4000),
            "unexpected answer: `NumFound` is <a number of about 4001 digits>, not a count",
        ),
        (_count(-3), "unexpected answer: `NumFound` is -3, not a count"),
        (_count("\x1b[2J" + "9" * 100_000), "unexpected answer: `NumFound` is '\\x1b[2J999"),
    ],
)
def test_a_hostile_catalogue_answer_is_a_reported_failure(
    tmp_path: Path, fake_server: HTTPServer, handler: Callable[[Request], Response], reason: str
) -> None:
    fake_server.expect_request("/api").respond_with_handler(handler)
    path = tmp_path / "kommuner.yml"
    path.write_text(REFRESH_DATA.replace('"URL"', f'"{fake_server.url_for("/api")}"'))
    before = path.read_bytes()
    args = ["refresh", str(path), "--timeout", "5", "--retries", "1", "--rate", "200"]
    try:
        result = CliRunner().invoke(main, args)
    finally:
        fake_server.clear()
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Oslo / geonorge: {reason}" in result.stderr
    assert "\x1b" not in result.output and len(result.output) < 5000
    assert path.read_bytes() == before


# -- init -----------------------------------------------------------------------------------


def test_init_does_not_write_through_a_dangling_link(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "planted.yml"
    outside.parent.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    link = project / "kommuner.yml"
    link.symlink_to(outside)
    result = CliRunner().invoke(main, ["init", str(link)])
    assert result.exit_code == 1
    assert f"{link} is a link to {outside}; pass --force" in result.stderr
    assert not outside.exists()


# -- data and arguments in the new blocks: interactive table, per-county summary, map -------

EVIL = '"><img src=x onerror=alert(1)>==m=={: onclick=x }'
PAGE_DATA = f"""\
sources:
  - id: geonorge
    name: '{EVIL.replace("'", "''")}'
municipalities:
  - name: '{EVIL.replace("'", "''")} Oslo'
    kommunenummer: "0301"
    links:
      geonorge: {{url: "https://example.org/oslo", datasets: 3, checked: 2026-11-25}}
  - name: Bergen
    kommunenummer: "4601"
"""
PAGE = (
    "# Page\n\n{{ kommune_table(interactive=true, counts=true, caption=evil) }}\n\n"
    '{{ kommune_coverage(by="county") }}\n\n'
    '{{ kommune_map(source="geonorge", caption=evil) }}\n'
)


def test_data_and_captions_stay_text_in_the_new_blocks(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"data/kommuner.yml": PAGE_DATA, "docs/index.md": PAGE},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
        markdown_extensions=MARKDOWN_EXTENSIONS,
        extra={"evil": EVIL},
    ).build()
    soup = BeautifulSoup(site.html("index.html"), "html.parser")
    content = soup.select_one("[role=main], .col-md-9") or soup
    assert not content.find_all(["img", "mark", "script"])
    for tag in content.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on")], tag
    for where in (
        ".kommune-table caption",
        ".kommune-coverage-by-county thead",
        ".kommune-map-svg title",
        ".kommune-map figcaption",
        "tr[data-kommunenummer='0301'] th",
    ):
        assert EVIL in "".join(tag.get_text() for tag in soup.select(where)), where


# -- redirects SITE_DIR ---------------------------------------------------------------------


def test_a_page_where_an_earlier_run_put_a_stub_is_not_overwritten(tmp_path: Path) -> None:
    """Run 1 writes the alias `a/` as a stub; then docs/a.md is written and the engine builds
    its page there. The old redirects.json lists `a/`, but the file is a page now."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - kommune\n")
    (tmp_path / "docs" / "index.md").write_text("---\nredirect_from: [a/]\n---\n# Home\n")
    (tmp_path / "site" / "index.html").write_text("<html>home</html>")
    args = ["redirects", str(tmp_path / "site"), "--config", str(tmp_path / "mkdocs.yml")]
    assert CliRunner().invoke(main, args).exit_code == 0
    page = tmp_path / "site" / "a" / "index.html"
    assert "Redirecting" in page.read_text()
    (tmp_path / "docs" / "a.md").write_text("# A page\n")
    page.write_text("<html>the real page A</html>")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "would overwrite `a/index.html`" in result.stderr
    assert page.read_text() == "<html>the real page A</html>"


def test_a_refused_run_writes_nothing(tmp_path: Path) -> None:
    """One alias under a link that leads out of the site: nothing at all is written."""
    outside = tmp_path / "outside"
    site = tmp_path / "site"
    for folder in (tmp_path / "docs", site, outside):
        folder.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - kommune\n")
    page = "---\nredirect_from: [aaa-first, zzz/page]\n---\n# Home\n"
    (tmp_path / "docs" / "index.md").write_text(page)
    (site / "index.html").write_text("<html>home</html>")
    (site / "zzz").symlink_to(outside)
    config = str(tmp_path / "mkdocs.yml")
    result = CliRunner().invoke(main, ["redirects", str(site), "--config", config])
    assert result.exit_code == 1
    assert "zzz/page.html: a folder on its way leads out of" in result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "zzz"]
    assert list(outside.iterdir()) == []
