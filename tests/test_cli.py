"""The command line through click's runner and as a real subprocess: `validate`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_kommune.cli.main import main
from tests.support.sites import Site

GOOD = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
municipalities:
  - name: Oslo
    links: {geonorge: true}
"""

BAD = """\
sources:
  - id: geonorge
    name: Geonorge
municipalities:
  - name: Oslo
    orgnr: "123"
    links: {nowhere: true}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    exe = Path(sys.executable).parent / "mkdocs-kommune"
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def site(new_site: Callable[..., Site]) -> Site:
    return new_site(
        {"data/kommuner.yml": GOOD, "docs/index.md": "# Hi\n"},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
    )


def test_validate_reads_the_data_option_of_mkdocs_yml(site: Site) -> None:
    result = CliRunner().invoke(main, ["validate", "--config", str(site.root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "no problems (1 municipalities, 1 sources)" in result.stderr
    assert result.stdout == ""


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(BAD, encoding="utf-8")
    result = run("validate", "bad.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.yml: 2 problems in the data file:" in result.stderr
    assert "bad.yml:6: municipalities[0] (Oslo), field 'orgnr'" in result.stderr
    assert "bad.yml:7: municipalities[0] (Oslo), field 'links.nowhere'" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_json_lists_problems_on_stdout(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "bad.yml"), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [p["line"] for p in problems] == [6, 7]
    assert {tuple(p) for p in problems} == {("file", "line", "entry", "field", "message")}
    assert all(p["file"].endswith("bad.yml") for p in problems)
    assert [p["field"] for p in problems] == ["orgnr", "links.nowhere"]


def test_validate_json_is_an_empty_list_when_clean(site: Site) -> None:
    result = run("validate", "--format", "json", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_validate_without_mkdocs_yml_says_what_to_do(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert "no zensical.toml, mkdocs.yml, mkdocs.yaml, properdocs.yml in ." in result.stderr
    assert "give the data file as an argument" in result.stderr


def test_bundled_dataset_needs_no_check(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "# Hi\n"})
    result = run("validate", cwd=site.root)
    assert result.returncode == 0
    assert "uses the bundled dataset" in result.stderr


def test_usage_errors_exit_1_not_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--no-such-option"])
    assert result.exit_code == 1
    assert "No such option" in result.stderr


def test_python_dash_m_runs_the_same_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_kommune", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "Usage: mkdocs-kommune" in result.stdout
    assert "validate" in result.stdout
