"""Under `mkdocs serve`, a broken data file shows its problems where the table would be."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.browser import ARTIFACTS
from tests.support.sites import Site

GOOD = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
municipalities:
  - name: Oslo
    links: {geonorge: {datasets: 41, checked: 2026-11-25}}
"""
BROKEN = GOOD.replace(
    "  - name: Oslo\n", '  - name: Oslo\n    orgnr: "123"\n    population: many\n'
)
PAGE = "# Data\n\n{{ kommune_table(counts=true) }}\n"


def broken_site(new_site: Callable[..., Site]) -> Site:
    return new_site(
        {"data/kommuner.yml": BROKEN, "docs/index.md": PAGE},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
    )


def test_build_still_fails_on_a_broken_file(new_site: Callable[..., Site]) -> None:
    result = broken_site(new_site).run("build")
    assert result.returncode == 1
    assert "data/kommuner.yml: 2 problems in the data file:" in result.stderr


def wait_for(url: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body: str = response.read().decode()
            if text in body:
                return body
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never showed {text!r}")
        time.sleep(0.3)


@pytest.mark.browser
def test_serve_shows_every_problem_and_reloads_the_table_when_fixed(
    new_site: Callable[..., Site], request: pytest.FixtureRequest
) -> None:
    chromium = request.getfixturevalue("browser")
    site = broken_site(new_site)
    with site.serve() as base:
        wait_for(base + "/", "kommune-problems")
        page = chromium.new_page()
        page.goto(base + "/")
        block = page.locator(".kommune-problems")
        assert block.get_attribute("role") == "alert"
        items = block.locator("li").all_inner_texts()
        assert len(items) == 2
        assert any("field 'orgnr'" in item for item in items)
        assert any("field 'population'" in item for item in items)
        assert page.locator("table.kommune-table").count() == 0
        assert block.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve-problems.png"))
        (site.root / "data" / "kommuner.yml").write_text(GOOD, encoding="utf-8")
        page.wait_for_selector("table.kommune-table", timeout=30_000)  # the live reload
        assert page.locator(".kommune-problems").count() == 0
        assert "41 datasets" in page.locator("table.kommune-table").inner_text()
        page.close()


def test_serve_log_names_the_problems(new_site: Callable[..., Site]) -> None:
    site = broken_site(new_site)
    with site.serve() as base:
        wait_for(base + "/", "kommune-problems")
    log = Path(site.root / "serve.log").read_text(encoding="utf-8")
    assert "2 problems in the data file" in log
    assert "The pages show these problems until the file is fixed." in log
