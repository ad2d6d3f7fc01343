"""Write the benchmark's sites and data files; every site has the same 200 pages.

- ``plain``: MkDocs with search; ``macros``: plus mkdocs-macros.
- ``kommune``: plus the plugin, 1,000 ``redirect_from`` aliases and a 357-row table from a
  block-style YAML data file; ``kommune-option``: the same aliases in the ``redirects`` option.
- ``floor``: the kommune site's pages (front matter included) built with macros and a hook
  that writes the kommune site's stubs and table (see ``floor_hook``) instead of the plugin.
- ``peers``: mkdocs-redirects (the same number of aliases) + mkdocs-table-reader-plugin + macros.
- ``floor-option``: the floor of ``kommune-option``: its mkdocs.yml holds the same 1,000 aliases
  under a key MkDocs reads and ignores (``kommune_redirects``), so both pay for parsing them.
- ``kommune-10k`` / ``floor-10k``: 10,000 aliases, to show the cost grows linearly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

SECTIONS = 10
PAGES_PER_SECTION = 20  # 200 pages
FLOOR_MARKER = "<!-- floor-table -->"
GEONORGE = "https://kartkatalog.geonorge.no/search?Facets%5B0%5D.name=organization&Facets%5B0%5D.value={organization}"
FDK = "https://fellesdatakatalog.brreg.no/?orgPath=%2FKOMMUNE%2F{orgnr}"
_TABLE_HTML = re.compile(r'<div class="kommune-table-wrapper[" ].*?</table>\s*</div>', re.DOTALL)


@dataclass(frozen=True)
class Page:
    section: int
    number: int

    @property
    def src(self) -> str:
        return f"s{self.section:02d}/p{self.number:03d}.md"


def pages() -> list[Page]:
    return [Page(s, p) for s in range(SECTIONS) for p in range(PAGES_PER_SECTION)]


def aliases_of(page: Page, count: int) -> list[str]:
    """``count`` distinct aliases in the forms people use: folders, ``.html``, none, non-ASCII."""
    s, p = page.section, page.number
    forms = (
        "/arkiv/{s}/{p}-{k}/",
        "/old/{s}-{p}-{k}",
        "/gammel/{s}/{p}/{k}.html",
        "/bærum/{s}-{p}-{k}/",
        "/legacy/{s}/{p}/v{k}/",
    )
    return [forms[k % len(forms)].format(s=s, p=p, k=k) for k in range(count)]


def page_markdown(page: Page) -> str:
    """A realistic page: headings, paragraphs, a list, a code block and a link."""
    other = Page((page.section + 1) % SECTIONS, page.number)
    body = [f"# Section {page.section} page {page.number}", ""]
    for part in range(3):
        body += [
            f"## Part {part}",
            "",
            "Municipalities publish open data in national catalogues and local portals. "
            "This paragraph stands for the prose of a real documentation page, with *emphasis*, "
            f"`code` and a [link to another page](../{other.src}).",
            "",
            "- first point of the list",
            "- second point, a little longer than the first one",
            "- third point",
            "",
            "```python",
            f"print({part} + {page.number})",
            "```",
            "",
        ]
    return "\n".join(body)


def front_matter(values: dict[str, Any]) -> str:
    if not values:
        return ""
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"


# -- data files ------------------------------------------------------------------------------


def register_rows() -> list[dict[str, str]]:
    text = (resources.files("mkdocs_kommune") / "datasets" / "norway-2024.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def kommune_data(rows: list[dict[str, str]]) -> str:
    """A block-style data file: three sources, one entry per municipality."""
    municipalities = []
    for i, row in enumerate(rows):
        links: dict[str, Any] = {"geonorge": True}
        if i % 3:
            links["felles-datakatalog"] = True
        if i % 5 == 0:
            links["other"] = {
                "url": f"https://data.example.org/{row['kommunenummer']}",
                "text": "Portal",
            }
        municipalities.append(
            {
                "name": row["name"],
                "kommunenummer": row["kommunenummer"],
                "orgnr": row["orgnr"],
                "links": links,
            }
        )
    sources = [
        {"id": "geonorge", "name": "Geonorge", "link_text": "Map data", "url": GEONORGE},
        {
            "id": "felles-datakatalog",
            "name": "Felles datakatalog",
            "link_text": "Felles datakatalog",
            "url": FDK,
        },
        {"id": "other", "name": "Other portals"},
    ]
    document = {"sources": sources, "municipalities": municipalities}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False)


def peer_table(rows: list[dict[str, str]]) -> str:
    """The same table for mkdocs-table-reader-plugin: one flat record per row, links as Markdown."""
    records = []
    for i, row in enumerate(rows):
        organization = quote(f"{row['name']} kommune", safe="")
        record = {
            "Municipality": row["name"],
            "Geonorge": f"[Map data]({GEONORGE.format(organization=organization)})",
        }
        record["Felles datakatalog"] = (
            f"[Felles datakatalog]({FDK.format(orgnr=row['orgnr'])})" if i % 3 else "–"
        )
        record["Other portals"] = (
            f"[Portal](https://data.example.org/{row['kommunenummer']})" if i % 5 == 0 else "–"
        )
        records.append(record)
    return yaml.safe_dump(records, allow_unicode=True, sort_keys=False)


def large_data(municipalities: int = 2000, sources: int = 20) -> str:
    """A synthetic data file of ``municipalities`` × ``sources``, in every link form.

    2,000 × 20 (1.8 MB) is about the largest file validation accepts (at most 2,000 entries and
    2 MB: ``validate/municipalities.py``, ``data.py``).
    """
    source_list = [
        {
            "id": f"source-{j}",
            "name": f"Source {j}",
            "link_text": "Data",
            "url": f"https://s{j}.example.org/{{orgnr}}",
        }
        for j in range(sources)
    ]
    numbers = _valid_orgnrs()
    entries = []
    for i in range(municipalities):
        links: dict[str, Any] = {}
        for j in range(sources):
            form = (i + j) % 4
            if form == 0:
                links[f"source-{j}"] = True
            elif form == 1:
                links[f"source-{j}"] = f"https://portal{j}.example.org/{i}"
            elif form == 2:
                links[f"source-{j}"] = {
                    "url": f"https://p{j}.example.org/{i}",
                    "text": "Data",
                    "datasets": i % 50,
                }
        entries.append(
            {
                "name": f"Testkommune {i} Bø",
                "kommunenummer": f"{i:04d}",
                "orgnr": next(numbers),
                "population": 1000 + i,
                "links": links,
            }
        )
    document = {"sources": source_list, "municipalities": entries}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _valid_orgnrs() -> Iterator[str]:
    """Organisation numbers that pass the mod-11 check, as real ones do."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 90000000
    while True:
        digits = [int(d) for d in str(base)]
        check = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            yield f"{base}{check}"
        base += 1


# -- sites -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSpec:
    name: str
    plugins: list[Any]
    aliases: int = 0  # per page
    aliases_in: str = "none"  # "front matter", "option", "peers", "floor"
    table: str = "none"  # "kommune", "peers", "floor"
    hooks: bool = False
    table_pages: int = 1  # pages calling the table (the data file must be parsed once anyway)


def specs() -> list[SiteSpec]:
    macros = {"macros": {"on_error_fail": True}}
    kommune = {"kommune": {"data": "data/kommuner.yml"}}
    return [
        SiteSpec("plain", ["search"]),
        SiteSpec("macros", ["search", macros]),
        SiteSpec("floor", ["search", macros], 5, "floor", "floor", hooks=True),
        SiteSpec("floor-option", ["search", macros], 5, "floor-option", "floor", hooks=True),
        SiteSpec("kommune", ["search", kommune, macros], 5, "front matter", "kommune"),
        SiteSpec("kommune-option", ["search", kommune, macros], 5, "option", "kommune"),
        SiteSpec("peers", ["search", "PEERS", macros, "table-reader"], 5, "peers", "peers"),
        SiteSpec("floor-10k", ["search", macros], 50, "floor", "floor", hooks=True),
        SiteSpec("kommune-10k", ["search", kommune, macros], 50, "front matter", "kommune"),
        SiteSpec(
            "kommune-20-tables",
            ["search", kommune, macros],
            5,
            "front matter",
            "kommune",
            table_pages=20,
        ),
    ]


def write_site(root: Path, spec: SiteSpec, rows: list[dict[str, str]]) -> Path:
    site = root / spec.name
    if site.exists():
        shutil.rmtree(site)
    docs = site / "docs"
    (docs / "data").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nThe benchmark site.\n", encoding="utf-8")
    option: dict[str, str] = {}
    for page in pages():
        aliases = aliases_of(page, spec.aliases)
        # The floor's pages are the kommune site's, front matter included: MkDocs reads it for
        # both, so the difference between them is the plugin's work alone.
        in_front_matter = spec.aliases_in in ("front matter", "floor")
        meta = {"redirect_from": aliases} if in_front_matter and aliases else {}
        if spec.aliases_in in ("option", "peers", "floor-option"):
            option.update((alias, page.src) for alias in aliases)
        path = docs / page.src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(meta) + page_markdown(page), encoding="utf-8")
    (docs / "table.md").write_text(_table_page(spec), encoding="utf-8")
    for number in range(2, spec.table_pages + 1):
        (docs / f"table-{number}.md").write_text(_table_page(spec), encoding="utf-8")
    (site / "data").mkdir()
    if spec.table == "kommune":
        (site / "data" / "kommuner.yml").write_text(kommune_data(rows), encoding="utf-8")
    if spec.table == "peers":
        (site / "data" / "table.yml").write_text(peer_table(rows), encoding="utf-8")
    config = _config(spec, option)
    (site / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    if spec.hooks:
        shutil.copy(Path(__file__).with_name("floor_hook.py"), site / "floor_hook.py")
    return site


def _table_page(spec: SiteSpec) -> str:
    call = {
        "kommune": "{{ kommune_table() }}",
        "peers": "{{ read_yaml('data/table.yml') }}",
        "floor": FLOOR_MARKER,
    }.get(spec.table, "")
    return f"# Open data of every municipality\n\nThe whole table:\n\n{call}\n\nThe end.\n"


def _config(spec: SiteSpec, option: dict[str, str]) -> dict[str, Any]:
    plugins: list[Any] = []
    for plugin in spec.plugins:
        if plugin == "PEERS":
            plugin = {"redirects": {"redirect_maps": {_peer_key(a): t for a, t in option.items()}}}
        elif spec.aliases_in == "option" and isinstance(plugin, dict) and "kommune" in plugin:
            plugin = {"kommune": {**plugin["kommune"], "redirects": option}}
        plugins.append(plugin)
    config: dict[str, Any] = {
        "site_name": "Benchmark",
        "theme": {"name": "mkdocs"},
        "plugins": plugins,
    }
    if spec.hooks:
        config["hooks"] = ["floor_hook.py"]
        if spec.aliases_in == "floor-option":
            config["kommune_redirects"] = option
        config["extra_css"] = ["assets/kommune/kommune.css"]
        config["extra_javascript"] = ["assets/kommune/kommune.js"]
    return config


def _peer_key(alias: str) -> str:
    """mkdocs-redirects maps source-like paths: ``old/x/`` as ``old/x.md`` (→ old/x/index.html)."""
    path = alias.strip("/")
    return path if path.endswith(".html") else path + ".md"


def jekyll_output(alias: str) -> str:
    """Where a kommune stub for ``alias`` is written (the plugin's rule, documented in DESIGN.md)."""
    path = alias.lstrip("/")
    if alias.endswith("/"):
        return path + "index.html"
    return path if path.endswith(".html") else path + ".html"


def write_floor_pack(floor: Path, kommune_site_dir: Path, aliases_per_page: int) -> None:
    """The floor's pack, from a build of the kommune site: its stubs, map, CSS, JS and table."""
    outputs = [jekyll_output(a) for page in pages() for a in aliases_of(page, aliases_per_page)]
    outputs += ["redirects.json", "assets/kommune/kommune.css", "assets/kommune/kommune.js"]
    files = {uri: (kommune_site_dir / uri).read_text(encoding="utf-8") for uri in outputs}
    page = (kommune_site_dir / "table" / "index.html").read_text(encoding="utf-8")
    match = _TABLE_HTML.search(page)
    if match is None:
        raise SystemExit(f"no table found in {kommune_site_dir}/table/index.html")
    pack = {"files": files, "table": match.group()}
    (floor / "floor-pack.json").write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
