"""The whole built site, byte for byte: a SHA-256 of every file against tests/golden/site-digest.json.

Speed work must not change a single output byte. The site holds what the plugin writes: front-matter
aliases (folders, ``.html``, no suffix, non-ASCII, percent-escaped), ``redirects`` option aliases,
a ``redirect_to`` page, external and fragment targets, two tables (one on a page whose headings
take row ids), a coverage summary and ``redirects.json`` under a ``site_url``. A tiny theme of its
own keeps MkDocs' theme files and version comment out of the digest. After a deliberate change of
output, ``UPDATE_GOLDEN=1 make unit`` rewrites the digest; review which files changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.support.sites import Site, make_site

DIGEST = Path(__file__).parent / "golden" / "site-digest.json"
# gzip stores a time in its header (sitemap.xml holds the same URLs in plain text); the search
# plugin's scripts are MkDocs' own files, not output of the build.
UNSTABLE = {"sitemap.xml.gz", "search/lunr.js", "search/main.js", "search/worker.js"}

THEME = """<!doctype html>
<html><head><title>{{ page.title }} - {{ config.site_name }}</title>
{% for path in config.extra_css %}<link rel="stylesheet" href="{{ path | url }}">
{% endfor %}</head>
<body>{{ page.content }}</body></html>
"""

DATA = """\
sources:
  - id: geonorge
    name: Geonorge
    link_text: Map data
    url: "https://kartkatalog.geonorge.no/search?organization={organization}"
  - id: fdk
    name: Felles datakatalog
    link_text: Felles datakatalog
    url: "https://fellesdatakatalog.brreg.no/?orgPath=%2FKOMMUNE%2F{orgnr}"
  - id: other
    name: Other portals
municipalities:
  - name: Oslo
    orgnr: "958935420"
    links:
      geonorge: true
      fdk: true
      other:
        - url: https://oslokommune-bym.opendata.arcgis.com
          text: Oslo kommune <Smart> by
        - {url: "https://example.org/a?b=1&c=2", text: "Second", datasets: 3}
  - name: Bergen
    orgnr: "964338531"
    links:
      geonorge: {datasets: 41, checked: 2026-11-25}
      fdk: true
  - name: Bærum
    links:
      other: https://baerum.example.org/data
  - name: Tromsø
    links:
      geonorge: {datasets: 0}
  - name: Kristiansand
"""


def _pages() -> dict[str, str]:
    pages = {
        "docs/index.md": "---\nredirect_from: [/start/, /home.html]\n---\n# Home\n\nSee [the table](news/table.md).\n",
        "docs/news/table.md": (
            "---\nredirect_from:\n  - /kommune/\n  - /kommuner\n  - /b%C3%A6rum/\n  - /tromsø/data/\n"
            "kommune_locale: nb\n---\n# Oslo\n\n## Bergen\n\n"
            '{{ kommune_table(caption="Alle", counts=true) }}\n\n'
            "In short: {{ kommune_coverage() }}.\n\n"
            '{{ kommune_table(municipalities=["Tromsø", "Oslo"], sort="-name", locale="en") }}\n'
        ),
        "docs/old.md": "---\nredirect_to: news/table.md#bergen\n---\n# Old\n",
        "docs/away.md": "---\nredirect_to: https://example.org/elsewhere/?a=1&b=2\n---\n# Away\n",
    }
    for number in range(8):
        aliases = [f"/arkiv/{number}/", f"/gammel-{number}", f"/p/{number}/side.html"]
        pages[f"docs/section/page-{number}.md"] = (
            f"---\nredirect_from: {json.dumps(aliases)}\n---\n# Page {number}\n\nText *{number}*.\n"
        )
    return pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {**_pages(), "data.yml": DATA, "theme/main.html": THEME}
    options = {
        "data": "data.yml",
        "redirects": {"option/": "section/page-1.md", "option-two.html": "news/table.md#oslo"},
    }
    site = make_site(
        tmp_path_factory.mktemp("digest"),
        files,
        plugins=["search", {"kommune": options}, "macros"],
        site_url="https://example.org/docs/",
        theme={"name": None, "custom_dir": "theme"},
    )
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # sitemap.xml's dates
    try:
        Site.build(site)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return site.site_dir


def digest(site_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(site_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and path.relative_to(site_dir).as_posix() not in UNSTABLE
    }


def test_the_built_site_is_byte_identical(built: Path) -> None:
    produced = digest(built)
    if os.environ.get("UPDATE_GOLDEN"):
        DIGEST.write_text(json.dumps(produced, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(DIGEST.read_text(encoding="utf-8"))
    changed = sorted(p for p in expected.keys() & produced.keys() if expected[p] != produced[p])
    added, missing = produced.keys() - expected.keys(), expected.keys() - produced.keys()
    assert (changed, sorted(added), sorted(missing)) == ([], [], [])


def test_the_site_has_what_the_digest_is_for(built: Path) -> None:
    """The digest guards stubs, tables and the map only if the build really made them."""
    table = (built / "news" / "table" / "index.html").read_text(encoding="utf-8")
    assert table.count('<table class="kommune-table">') == 2
    assert 'id="bergen-2"' in table  # the heading took "bergen"
    assert (built / "bærum" / "index.html").is_file()
    assert (built / "old" / "index.html").read_text(encoding="utf-8").count("#bergen") >= 1
    aliases = json.loads((built / "redirects.json").read_text(encoding="utf-8"))
    assert len(aliases) == 8 * 3 + 6 + 2 + 2
