"""Install lines and GitHub workflows in the docs: what can run here runs, the rest is resolved.

An install line must work today: from a checkout (a path), from the wheel `python -m build` makes, or
from an index for the other packages. pip resolves each path requirement to this package with
`--dry-run` (no index, no network); the journey test (tests/test_journey.py) installs the wheel for
real into a fresh venv. Each line names what it becomes after the first release in a comment.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tests.docs_examples.workspace import REPO

if TYPE_CHECKING:
    from tests.docs_examples.workspace import Workspace

CHECKOUT = "/path/to/mkdocs-kommune"  # how the docs name a checkout of the repository
VERSION = metadata.version("mkdocs-kommune")
WHEEL = f"mkdocs_kommune-{VERSION}-py3-none-any.whl"


def check_install_lines(workspace: Workspace, text: str) -> None:
    if workspace.wheel is not None:
        _install_for_real(workspace, text)
    lines = [line for line in text.replace("\\\n", " ").splitlines() if "pip install" in line]
    assert lines, f"no pip install line in:\n{text}"
    for line in lines:
        command, _, comment = line.partition("#")
        words = shlex.split(command)
        requirements = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
        ours = [r for r in requirements if _is_ours(r)]
        for requirement in requirements:
            if requirement in ours:
                _resolve_ours(requirement)
            else:
                # Another package from the index (mkdocs-material, zensical): the test venv has it.
                name = re.match(r"[A-Za-z0-9._-]+", requirement)
                assert name and metadata.version(name.group()), requirement
        if ours:
            assert "release" in comment, (
                f"`{line.strip()}`: say in a comment what this line becomes after the first release"
            )


def _install_for_real(workspace: Workspace, text: str) -> None:
    """The journey: each line runs, the wheel the docs name replaced by the one just built."""
    for line in text.replace("\\\n", " ").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        command = re.sub(r"\S*mkdocs_kommune-[^\s/]*\.whl", str(workspace.wheel), line)
        result = workspace.shell(command, timeout=600)
        assert result.returncode == 0, f"`{command}` failed:\n{result.stdout[-3000:]}"


def _is_ours(requirement: str) -> bool:
    return "mkdocs-kommune" in requirement or "mkdocs_kommune" in requirement


def _resolve_ours(requirement: str) -> None:
    assert requirement != "mkdocs-kommune", (
        "`pip install mkdocs-kommune` fails until the first release: install from a checkout or a wheel"
    )
    if requirement.endswith(".whl"):
        # The wheel's file name is the one `python -m build` writes for this version; the journey
        # test builds and installs that wheel for real.
        assert Path(requirement).name == WHEEL, f"{requirement}: the built wheel is {WHEEL}"
        return
    path = REPO if requirement.replace("\\", "/").rstrip("/").endswith(CHECKOUT) else None
    assert path is not None, f"{requirement}: name a checkout as {CHECKOUT}, or the built wheel"
    report = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps", "--no-cache-dir",
         "--ignore-installed", "--report", "-", str(path)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    installs = json.loads(report.stdout)["install"]
    assert [i["metadata"]["name"] for i in installs] == ["mkdocs-kommune"], installs


def run_workflow(workspace: Workspace, text: str) -> None:
    """Run a workflow's `run:` steps in the current site, a git checkout; check its `uses:`."""
    workflow: dict[Any, Any] = yaml.safe_load(text)
    assert True in workflow or "on" in workflow, "no `on:` trigger"  # YAML 1.1 reads on: as True
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                # Actions run only on GitHub; here the site is already a checkout with Python.
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]
                continue
            script = step["run"]
            if "pip install" in script:
                # The line as written: YAML drops its comment, which says what it becomes.
                lines = [line for line in text.splitlines() if script.strip() in line]
                check_install_lines(workspace, "\n".join(lines))
                continue
            result = workspace.shell(script)
            assert result.returncode == 0, f"step `{script.strip()}` failed:\n{result.stdout}"
