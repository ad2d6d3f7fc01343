"""kommune_coverage(by="county"): a caption, and the counties by name in Norwegian order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.sites import Site

PAGE = '# Counties\n\n{{ kommune_coverage(by="county", municipalities="all", county=COUNTIES) }}\n'


@pytest.mark.parametrize(
    ("locale", "caption"),
    [("en", "Open data by county"), ("nb", "Åpne data per fylke"), ("nn", "Opne data per fylke")],
)
def test_the_county_table_has_a_caption_and_counties_by_name(
    new_site: Callable[..., Site], locale: str, caption: str
) -> None:
    # Given in number order (03 Oslo, 11 Rogaland, 31 Østfold, 46 Vestland, 50 Trøndelag).
    counties = '["Oslo", "Rogaland", "Østfold", "Vestland", "Trøndelag"]'
    plugins: list[Any] = [
        "search",
        {"kommune": {"register": "norway-2024", "locale": locale}},
        "macros",
    ]
    site = new_site({"docs/index.md": PAGE.replace("COUNTIES", counties)}, plugins=plugins).build()
    table = site.soup("index.html").select_one(".kommune-coverage-by-county table")
    assert table is not None
    found = table.find("caption")
    assert found is not None and found.get_text(strip=True) == caption
    rows = [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
    assert rows == ["Oslo", "Rogaland", "Trøndelag", "Vestland", "Østfold"]  # Ø after V
