"""`mkdocs-kommune refresh` against a fake catalogue server on 127.0.0.1."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_kommune.data import load_dataset
from tests.support.catalogues import (
    DATA,
    FDK,
    GEONORGE,
    GEONORGE_NATIONAL,
    HUB,
    Fake,
    cells,
    counts,
    refresh,
    write_data,
)
from tests.support.sites import Site

TODAY = datetime.date.today().isoformat()


def test_full_refresh_writes_every_count_and_keeps_the_rest(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    before = path.read_text(encoding="utf-8")
    result = refresh(path)
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    checked = datetime.date.today()
    links = cells(path)
    assert links["Oslo"]["geonorge"] == {"datasets": 41, "checked": checked}
    assert links["Oslo"]["felles-datakatalog"] == {"datasets": 12, "checked": checked}
    assert links["Trondheim"]["portal"] == {
        "url": "https://open.stavanger.kommune.no/organization/trondheim-kommune",
        "datasets": 7,
        "checked": checked,
    }
    assert links["Kristiansand"]["geonorge"] == {"datasets": 0, "checked": checked}
    assert "other" not in links["Kristiansand"] and "url" in links["Oslo"]["other"]
    # Only counted lines change: every comment and blank line of the file is still there.
    removed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("- ")]  # fmt: skip
    assert removed == [
        "-       geonorge: true     # counted below",
        "-       felles-datakatalog: {datasets: 3, checked: 2020-01-01}",
        "-       geonorge: true",
        "-       portal: https://open.stavanger.kommune.no/organization/trondheim-kommune",
    ]
    assert f"      geonorge: {{datasets: 41, checked: {TODAY}}} # counted below" in after
    assert "  - id: felles-datakatalog   # the national catalogue" in after
    assert "'https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F{orgnr}'" in after
    load_dataset(path)  # the plugin accepts what refresh wrote
    assert "other: no catalogue to ask" in result.stderr
    rows = {line.split()[0]: line.split()[1:] for line in result.stderr.splitlines()[1:-1]}
    assert rows["source"] == ["counted", "unchanged", "failed", "skipped"]
    assert rows["geonorge"] == ["3", "0", "0", "0"]
    assert rows["felles-datakatalog"] == ["2", "0", "0", "0"]  # Oslo 3 -> 12, Trondheim new
    assert rows["portal"] == ["1", "0", "0", "0"]
    again = refresh(path)
    assert again.exit_code == 0 and "already up to date" in again.stderr
    assert path.read_text(encoding="utf-8") == after


def test_query_narrows_a_column_to_matching_datasets(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    refresh(path, "--source", "skolerute")
    texts = {entry[2].get("text") for entry in fake.requests_to(GEONORGE)}
    assert texts == {"skolerute"}
    assert cells(path)["Oslo"]["skolerute"]["datasets"] == 41


def test_felles_datakatalog_asks_once_for_all_municipalities(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    refresh(path, "--source", "felles-datakatalog")
    bodies = [entry[2] for entry in fake.requests_to(FDK)]
    assert bodies == [{"filters": {"orgPath": {"value": "/KOMMUNE"}}, "pagination": {"page": 0, "size": 1}}]  # fmt: skip
    assert cells(path)["Trondheim"]["felles-datakatalog"]["datasets"] == 5


def test_an_aggregation_that_does_not_add_up_falls_back_to_one_request_each(
    tmp_path: Path, fake: Fake
) -> None:
    counts(fake)
    fake.fdk_aggregation_ok = False
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "felles-datakatalog")
    assert result.exit_code == 0, result.output
    values = {str((e[2].get("filters") or {}).get("orgPath")) for e in fake.requests_to(FDK)}
    assert "{'value': '/KOMMUNE/958935420'}" in values and "None" in values
    assert cells(path)["Oslo"]["felles-datakatalog"]["datasets"] == 12


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        ("timeout", "no answer within 0.5 s (gave up after 3 tries)"),
        ("500", "HTTP 500 INTERNAL SERVER ERROR (gave up after 3 tries)"),
        ("404", "HTTP 404 NOT FOUND"),
        ("malformed", "malformed JSON in the answer (text/html)"),
        ("shape", "unexpected answer: no `NumFound` in it"),
        ("429-long", "HTTP 429: the server asks to wait 3600 s"),
    ],
)
def test_a_failed_cell_is_reported_and_left_alone(
    tmp_path: Path, fake: Fake, failure: str, reason: str
) -> None:
    """Geonorge's national answer fails: every Geonorge cell is reported with its reason, left
    as it was, and never asked again one by one; the other source is written."""
    counts(fake)
    fake.failures[GEONORGE_NATIONAL] = failure
    fake.timeout_sleep = 0.7
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "geonorge", "--source", "felles-datakatalog")
    assert result.exit_code == 2, result.output
    assert f"Oslo / geonorge: {reason}" in result.stderr
    assert f"Trondheim / geonorge: {reason}" in result.stderr
    links = cells(path)
    assert links["Oslo"]["geonorge"] is True  # as it was
    assert links["Oslo"]["felles-datakatalog"]["datasets"] == 12  # the others are written
    assert not [e for e in fake.requests_to(GEONORGE) if "facets[1]name" in e[2]]


def test_an_ignored_filter_is_reported_not_written(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    fake.cut_the_list()  # the municipalities are asked one by one
    fake.geonorge_ignores_organizations = True
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 2
    total = sum(fake.geonorge.values()) + sum(fake.geonorge_others.values())
    assert f"Oslo / geonorge: the catalogue seems to ignore the organizations facet: it counts {total} with and without it; not written" in result.stderr  # fmt: skip
    assert cells(path)["Oslo"]["geonorge"] is True


def test_429_then_success_waits_for_retry_after(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    fake.cut_the_list()  # Trondheim is asked on its own
    fake.failures["Trondheim kommune"] = "429"
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "geonorge", "--municipality", "Trondheim")
    assert result.exit_code == 0, result.output
    asked = [t for t, _, args in fake.requests_to(GEONORGE) if "Trondheim kommune" in args.values()]
    assert len(asked) == 2 and asked[1] - asked[0] >= 0.95  # Retry-After: 1
    assert cells(path)["Trondheim"]["geonorge"]["datasets"] == 17


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    before = path.read_text(encoding="utf-8")
    result = refresh(path, "--dry-run", "--municipality", "oslo")
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == before
    assert result.stdout.startswith(f"--- {path} (now)\n+++ {path} (refreshed)\n")
    assert f"+      geonorge: {{datasets: 41, checked: {TODAY}}} # counted below" in result.stdout
    assert "Trondheim" not in result.stdout.split("@@", 2)[-1].split("\n", 1)[0]
    assert "dry run, nothing written" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nope"], "--source nope: no such source; the sources are: geonorge, "),
        (["--source", "other"], "--source other: this source has no catalogue to ask"),
        (
            ["--municipality", "Osloo"],
            "--municipality Osloo: not in the data file; did you mean Oslo?",
        ),
        (["--rate", "0"], "Invalid value for '--rate'"),
    ],
)
def test_bad_arguments_exit_1(tmp_path: Path, fake: Fake, args: list[str], message: str) -> None:
    path = write_data(tmp_path, fake)
    result = refresh(path, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert fake.log == []


def test_an_invalid_file_is_not_asked_about(tmp_path: Path, fake: Fake) -> None:
    path = write_data(tmp_path, fake, DATA.replace('orgnr: "958935420"', 'orgnr: "123"'))
    result = refresh(path)
    assert result.exit_code == 1
    assert "the data file has problems; fix them first" in result.stderr
    assert "field 'orgnr'" in result.stderr
    assert fake.log == []


def test_the_page_shows_what_refresh_wrote(
    tmp_path: Path, fake: Fake, new_site: Callable[..., Site]
) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    assert refresh(path, "--source", "geonorge").exit_code == 0
    page = (
        '{{ kommune_table(sources=["geonorge"], counts=true, caption="Map data") }}\n\n'
        'In short: {{ kommune_coverage(sources=["geonorge"]) }}.\n'
    )
    site = new_site(
        {"data/kommuner.yml": path.read_text(encoding="utf-8"), "docs/index.md": page},
        plugins=["search", {"kommune": {"data": "data/kommuner.yml"}}, "macros"],
    ).build()
    soup = site.soup("index.html")
    assert [c.get_text() for c in soup.select("caption")] == [f"Map data (checked {TODAY})"]
    rows = {
        row.select("th")[0].get_text(): row.select("td")[0]
        for row in soup.select("table.kommune-table tbody tr")
    }
    assert "(41 datasets)" in rows["Oslo"].get_text()
    assert [s.get_text() for s in rows["Kristiansand"].select(".kommune-sr-only")] == [
        "Nothing found"  # a count of 0
    ]
    assert "Geonorge: 2 of 3" in soup.get_text()


def test_arcgis_hub_counts_a_site(tmp_path: Path, fake: Fake) -> None:
    fake.hub = 9
    text = (
        "sources:\n"
        "  - id: hub\n"
        "    name: Smart city\n"
        '    api: {kind: arcgis-hub, url: "HUB_SITE", query: bysykkel}\n'
        "municipalities:\n"
        "  - name: Oslo\n"
        "    links:\n"
        "      hub: {url: https://oslokommune-bym.opendata.arcgis.com, text: Oslo Smart by}\n"
    ).replace("HUB_SITE", fake.url("/hub"))
    path = tmp_path / "hub.yml"
    path.write_text(text, encoding="utf-8")
    result = refresh(path)
    assert result.exit_code == 0, result.output
    assert [entry[2] for entry in fake.requests_to(HUB)] == [{"limit": "1", "q": "bysykkel"}]
    hub = cells(path)["Oslo"]["hub"]
    assert hub["datasets"] == 9 and hub["text"] == "Oslo Smart by"
    assert f"{{url: https://oslokommune-bym.opendata.arcgis.com, text: Oslo Smart by, datasets: 9, checked: {TODAY}}}" in path.read_text(encoding="utf-8")  # fmt: skip
