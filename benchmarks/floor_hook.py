"""The floor's MkDocs hook: the kommune site's output written with no plugin logic at all.

``floor-pack.json`` beside this file (made by ``benchmarks.generate`` from a kommune build) holds
the redirect stubs, ``redirects.json``, the stylesheet, the script and the table's HTML; the hook adds the
files as MkDocs generated files and puts the table where the page has its marker, as the plugin
does. What is left is the least any plugin doing the same job must cost.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

PACK = Path(__file__).with_name("floor-pack.json")
MARKER = "<!-- floor-table -->"
_table: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    pack = json.loads(PACK.read_text(encoding="utf-8"))
    _table["html"] = pack["table"]
    for uri, content in pack["files"].items():
        files.append(
            File.generated(config, uri, content=content, inclusion=InclusionLevel.INCLUDED)
        )
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in html:
        return html
    table = _table["html"]
    return html.replace(f"<p>{MARKER}</p>", table).replace(MARKER, table)
