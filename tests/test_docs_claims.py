"""What the docs promise about the tools around the plugin, checked against the real tools."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.sites import QUIET_ENV, Site

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PAGE = "# Data\n\n{{ kommune_table() }}\n"


def _zensical(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "zensical"), "build", "--clean"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _engines_yaml_block(marker: str) -> str:
    """The ```yaml block of docs/engines.md that holds ``marker``."""
    text = (DOCS / "engines.md").read_text(encoding="utf-8")
    blocks: list[str] = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"docs/engines.md has no single yaml block with {marker!r}"
    return found[0]


def test_zensical_with_an_unchanged_mkdocs_yml_fails_loudly_as_the_docs_say(
    new_site: Callable[..., Site],
) -> None:
    plugins = _engines_yaml_block("on_error_fail: true")
    quiet = new_site({"docs/index.md": PAGE})
    quiet.root.joinpath("mkdocs.yml").write_text(
        "site_name: Test\nplugins:\n  - search\n  - kommune\n  - macros\n", "utf-8"
    )
    result = _zensical(quiet.root)
    assert result.returncode == 0, result.stderr  # the failure the docs warn about: silent
    assert "kommune-table" not in (quiet.root / "site" / "index.html").read_text("utf-8")

    loud = new_site({"docs/index.md": PAGE})
    loud.root.joinpath("mkdocs.yml").write_text(plugins, "utf-8")
    result = _zensical(loud.root)
    assert result.returncode == 1
    assert "'kommune_table' is undefined" in result.stdout + result.stderr


@pytest.mark.parametrize(("quiet", "shown"), [(False, True), (True, False)])
def test_materials_end_of_life_notice_is_quieted_as_the_docs_say(
    new_site: Callable[..., Site], quiet: bool, shown: bool
) -> None:
    troubleshooting = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    assert "export NO_MKDOCS_2_WARNING=1" in troubleshooting
    site = new_site({"docs/index.md": "# Hello\n"}, theme={"name": "material"})
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENV}
    if quiet:
        env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build"],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert ("reaches end of life" in result.stderr) is shown


def test_no_page_calls_refresh_planned() -> None:
    pages = [*DOCS.rglob("*.md"), REPO / "README.md"]
    stale = re.compile(r"planned `refresh`|`refresh` command that a later release", re.IGNORECASE)
    found = [str(page.relative_to(REPO)) for page in pages if stale.search(page.read_text("utf-8"))]
    assert found == []
