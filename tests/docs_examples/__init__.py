"""The docs are executable: every fenced example of README.md and docs/ runs in the suite (Sybil).

A fence is exercised by the role the comment above it names, ``<!-- docs-test: ROLE ARGS -->``,
invisible in the rendered page; a comment with a body is a hidden step (setup or a check the page
does not show). The roles are listed in ``roles.py``. The examples of one page share a workspace
and run in page order, so a page reads as a story: write mkdocs.yml, write the data file, build.
Collected through the ``conftest.py`` at the top of the repository.
"""

from __future__ import annotations

from typing import Any

from sybil import Sybil

from tests.docs_examples.parser import parse
from tests.docs_examples.workspace import REPO, Workspace


def _setup(namespace: dict[str, Any]) -> None:
    namespace["workspace"] = Workspace()


def _teardown(namespace: dict[str, Any]) -> None:
    namespace["workspace"].close()


DOCS = Sybil(
    parsers=[parse],
    path=str(REPO),  # absolute: Sybil compares it with the collected paths as they are
    patterns=["README.md", "docs/*.md", "docs/**/*.md"],
    # The guide's examples run in tests/test_journey.py, in a fresh venv with the built wheel.
    excludes=["docs/getting-started.md"],
    setup=_setup,
    teardown=_teardown,
    name="docs",
)
