"""Stubs travel with ``mkdocs gh-deploy`` and are answered by ``mkdocs serve``."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.sites import Site

PAGE = "---\nredirect_from:\n  - /kommune/\n  - /bærum/\n---\n# Municipalities\n"
FILES = {"docs/index.md": "# Home\n", "docs/news/municipalities.md": PAGE}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_gh_deploy_pushes_the_stubs(
    new_site: Callable[..., Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    bare = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    site = new_site(FILES, plugins=["search", "kommune"], remote_name="pages")
    git("init", "--quiet", cwd=site.root)
    git("remote", "add", "pages", str(bare), cwd=site.root)
    git("add", ".", cwd=site.root)
    git("commit", "--quiet", "-m", "docs", cwd=site.root)
    result = site.run("gh-deploy", "--force", "--no-history")
    assert result.returncode == 0, result.stderr
    tree = git("ls-tree", "-r", "--name-only", "-z", "gh-pages", cwd=bare).split("\0")
    assert {"kommune/index.html", "bærum/index.html", "redirects.json", ".nojekyll"} <= set(tree)
    stub = git("show", "gh-pages:kommune/index.html", cwd=bare)
    assert 'href="../news/municipalities/"' in stub


def fetch(url: str, timeout: float = 60) -> str:
    """The body once the URL answers 200; serve builds first and rebuilds after edits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError) as error:
            if isinstance(error, urllib.error.HTTPError):
                error.close()  # a 404 until the build is done; closed, or pytest warns
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def served(new_site: Callable[..., Site]) -> Iterator[tuple[Site, str]]:
    site = new_site(FILES, plugins=["search", "kommune"])
    with site.serve() as base:
        yield site, base


def test_serve_answers_aliases_and_rebuilds_them(served: tuple[Site, str]) -> None:
    site, base = served
    assert 'href="../news/municipalities/"' in fetch(f"{base}/kommune/")
    assert 'href="../news/municipalities/"' in fetch(f"{base}/b%C3%A6rum/")
    page = site.root / "docs/news/municipalities.md"
    page.write_text(PAGE.replace("/kommune/", "/kommuner/"), encoding="utf-8")
    assert 'href="../news/municipalities/"' in fetch(f"{base}/kommuner/")
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{base}/kommune/", timeout=5)
    gone.value.close()
    assert gone.value.code == 404
