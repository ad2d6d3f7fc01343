"""`mkdocs-kommune init --locale` and the schema file `init` writes beside the data file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from mkdocs_kommune.cli import main
from mkdocs_kommune.cli.datafile import SCHEMA_FILE
from mkdocs_kommune.cli.site import schema_text
from mkdocs_kommune.data import load_dataset
from tests.support.sites import Site


@pytest.mark.parametrize(
    ("locale", "headers", "map_data", "other"),
    [
        ("nb", ["Kommune", "Geonorge", "Felles datakatalog", "Andre portaler"], "Kartdata", "Annen portal"),
        ("nn", ["Kommune", "Geonorge", "Felles datakatalog", "Andre portalar"], "Kartdata", "Anna portal"),
        ("en", ["Municipality", "Geonorge", "Felles datakatalog", "Other portals"], "Map data", "Other"),
    ],
)  # fmt: skip
def test_a_norwegian_site_gets_norwegian_headers_and_link_texts(
    new_site: Callable[..., Site],
    locale: str,
    headers: list[str],
    map_data: str,
    other: str,
) -> None:
    site = new_site(
        {"docs/index.md": "# Data\n\n{{ kommune_table() }}\n"},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml", "locale": locale}}, "macros"],
    )
    target = site.root / "data" / "kommuner.yml"
    result = CliRunner().invoke(main, ["init", str(target), "--locale", locale])
    assert result.exit_code == 0, result.output
    table = site.build().soup("index.html").select_one("table")
    assert table is not None
    assert [th.get_text(strip=True) for th in table.select("thead th")] == headers
    oslo = table.select("tbody tr")[0]
    assert oslo.select("a")[0].get_text(strip=True) == map_data
    trondheim = load_dataset(target).municipalities[2]
    assert [link.text for link in trondheim.links["other"]] == [other]
    # Only the words change: the links and municipalities are the bundled ones.
    assert [m.name for m in load_dataset(target).municipalities] == [
        m.name for m in load_dataset(None).municipalities
    ]


def test_init_writes_the_schema_its_header_names(tmp_path: Path) -> None:
    target = tmp_path / "data" / "kommuner.yml"
    result = CliRunner().invoke(main, ["init", str(target), "--locale", "nb"])
    assert result.exit_code == 0, result.output
    header = [line for line in target.read_text("utf-8").splitlines() if "$schema=" in line]
    assert header == [f"# yaml-language-server: $schema={SCHEMA_FILE}"]
    schema_file = target.parent / SCHEMA_FILE
    assert schema_file.read_text("utf-8") == schema_text()
    assert f"{SCHEMA_FILE}: written" in result.stderr
    # The written data file passes the schema it names.
    data = yaml.safe_load(target.read_text("utf-8"))
    jsonschema.validate(data, json.loads(schema_file.read_text("utf-8")))


def test_a_schema_file_of_ones_own_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "kommuner.yml"
    mine = tmp_path / SCHEMA_FILE
    mine.write_text('{"title": "mine"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert mine.read_text("utf-8") == '{"title": "mine"}\n'
    assert "kept as it was" in result.stderr


def test_an_unknown_locale_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "k.yml"), "--locale", "de"])
    assert result.exit_code == 1
    assert "'de' is not one of 'en', 'nb', 'nn'" in result.output
    assert not (tmp_path / "k.yml").exists()


def test_without_locale_init_follows_the_sites_locale(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: T\nplugins:\n  - kommune:\n      data: data/k.yml\n      locale: nn\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["init", "--config", str(config)])
    assert result.exit_code == 0, result.output
    names = [source.name for source in load_dataset(tmp_path / "data" / "k.yml").sources]
    assert names[-1] == "Andre portalar"
