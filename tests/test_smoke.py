from collections.abc import Callable

from tests.sitebuilder import Site


def test_table_renders_with_bundled_dataset(new_site: Callable[..., Site]) -> None:
    site = new_site({"docs/index.md": "# Hi\n\n{{ kommune_table() }}\n"}).build()
    table = site.soup("index.html").select_one("table.kommune-table")
    assert table is not None
    assert [th.get_text() for th in table.select("tbody th")][:2] == ["Oslo", "Bergen"]
