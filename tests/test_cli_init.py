"""`mkdocs-kommune init`: the bundled dataset as a starting file."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from mkdocs_kommune.cli.datafile import CURRENT_URLS
from mkdocs_kommune.cli.main import main
from mkdocs_kommune.data import load_dataset


def test_init_writes_a_valid_file_with_a_header(tmp_path: Path) -> None:
    target = tmp_path / "data" / "kommuner.yml"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Started on ")
    assert "by `mkdocs-kommune init`" in text.splitlines()[0]
    assert "the 2018 catalogue pages" in text
    dataset = load_dataset(target)
    assert len(dataset.municipalities) == 10
    assert dataset.sources[0].url == next(iter(CURRENT_URLS))
    assert "10 municipalities, 3 sources" in result.stderr
    assert f"data: {target}" in result.stderr


def test_current_links_todays_catalogue_pages(tmp_path: Path) -> None:
    target = tmp_path / "kommuner.yml"
    assert CliRunner().invoke(main, ["init", str(target), "--current"]).exit_code == 0
    urls = [source.url for source in load_dataset(target).sources]
    assert urls == [*CURRENT_URLS.values(), None]
    oslo = load_dataset(target).municipalities[0].links["felles-datakatalog"][0]
    assert oslo.url == "https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F958935420"


def test_current_links_todays_local_portals_and_leaves_unconfirmed_ones_unchecked(
    tmp_path: Path,
) -> None:
    target = tmp_path / "kommuner.yml"
    assert CliRunner().invoke(main, ["init", str(target), "--current"]).exit_code == 0
    portals = {m.name: [link.url for link in m.links.get("other", ())] for m in load_dataset(target).municipalities}  # fmt: skip
    assert portals["Stavanger"] == ["https://opencom.no"]
    assert portals["Trondheim"] == ["https://opendata.trondheim.kommune.no"]
    assert portals["Tromsø"] == ["https://data-tromso.opendata.arcgis.com/"]
    assert portals["Oslo"] == ["https://oslokommune-bym.opendata.arcgis.com"]
    assert portals["Bærum"] == portals["Fredrikstad"] == []
    text = target.read_text(encoding="utf-8")
    assert "open.stavanger.kommune.no" not in text and "http://" not in text
    assert text.count("other: ~   # not checked") == 2  # `~`: not checked, not "nothing found"


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "kommuner.yml"
    target.write_text("# mine\n", encoding="utf-8")
    os.chmod(target, 0o640)
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 1
    assert "already exists; pass --force to overwrite it" in result.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert CliRunner().invoke(main, ["init", str(target), "--force"]).exit_code == 0
    assert "# Started on" in target.read_text(encoding="utf-8")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # permissions kept


def test_init_defaults_to_the_data_option_of_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\nplugins:\n  - kommune:\n      data: k/data.yml\n", "utf-8")
    result = CliRunner().invoke(main, ["init", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "k" / "data.yml").is_file()
    assert "Use it in mkdocs.yml" not in result.stderr


def test_init_names_the_schema_for_editors(tmp_path: Path) -> None:
    from mkdocs_kommune.cli.datafile import starting_file

    lines = starting_file(False, "2026-12-03").splitlines()
    assert "# yaml-language-server: $schema=kommune-data.schema.json" in lines[:6]


def test_current_portals_in_a_norwegian_starting_file(tmp_path: Path) -> None:
    target = tmp_path / "kommuner.yml"
    result = CliRunner().invoke(main, ["init", str(target), "--current", "--locale", "nb"])
    assert result.exit_code == 0, result.output
    dataset = load_dataset(target)
    stavanger = next(m for m in dataset.municipalities if m.name == "Stavanger")
    assert [link.url for link in stavanger.links["other"]] == ["https://opencom.no"]
    assert dataset.sources[-1].name == "Andre portaler"
