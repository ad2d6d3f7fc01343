"""The filter box's label belongs to the box even when the page has its would-be id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.sites import Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SCRIPT = Path(__file__).parent.parent / "mkdocs_kommune" / "assets" / "kommune" / "kommune.js"
DATA = """\
sources:
  - id: geonorge
    name: Geonorge
municipalities:
  - name: Oslo
    links: {geonorge: https://example.org/oslo}
  - name: Bergen
"""


@pytest.mark.browser
def test_filter_ids_avoid_ids_the_page_has(
    new_site: Callable[..., Site],
    browser: Browser,
) -> None:
    page_text = "# Kommune filter 1\n\n{{ kommune_table(interactive=true) }}\n"
    site = new_site(
        {"data.yml": DATA, "docs/index.md": page_text},
        plugins=["search", {"kommune": {"data": "data.yml"}}, "macros"],
    ).build()
    html = site.html("index.html")
    assert 'id="kommune-filter-1"' in html  # the heading's
    page = browser.new_page()
    try:
        # No base URL: the page's own links go nowhere; the script is put in by hand.
        page.set_content(html)
        page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
        box = page.locator(".kommune-table-controls input[type=search]")
        assert page.locator("h1").get_attribute("id") == "kommune-filter-1"
        assert box.get_attribute("id") != "kommune-filter-1"
        labelled = page.evaluate(
            "document.querySelector('.kommune-table-controls label').control.type"
        )
        assert labelled == "search"
    finally:
        page.close()
