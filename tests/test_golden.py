"""Golden files: each tests/golden/*.yml holds plugin options, a data file, a page and the HTML
the plugin must produce for it. Run with UPDATE_GOLDEN=1 to rewrite ``expected`` after a
deliberate change, then review the diff."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.sites import Site

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.yml"))


FRAGMENT = re.compile(
    r'<div class="kommune-table-wrapper[" ].*?</table>\n</div>|<span class="kommune-coverage">.*?</span>',
    re.DOTALL,
)


def produced_fragments(site: Site) -> str:
    """The plugin's own output on the page, byte for byte: every table and summary, in order."""
    return "\n".join(FRAGMENT.findall(site.html("index.html"))) + "\n"


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_golden(case_path: Path, new_site: Callable[..., Site]) -> None:
    case: dict[str, Any] = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    options = dict(case.get("options") or {})
    files = {"docs/index.md": case["markdown"]}
    if case.get("data"):
        files["data.yml"] = case["data"]
        options["data"] = "data.yml"
    site = new_site(files, plugins=["search", {"kommune": options}, "macros"]).build()
    produced = produced_fragments(site)
    if os.environ.get("UPDATE_GOLDEN"):
        case["expected"] = produced
        case_path.write_text(_dump_keeping_comment(case_path, case), encoding="utf-8")
    assert produced == case["expected"]


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as YAML block literals, so golden HTML reads as HTML."""


_LiteralDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _dump_keeping_comment(path: Path, case: dict[str, Any]) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(True)
    comment = "".join(line for line in lines if line.startswith("#"))
    dumped = yaml.dump(case, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=1000)
    return comment + dumped
