"""`refresh` writes only counts the catalogue stands behind, asks the national answers first,
and waits as the services ask (the fakes answer as the real services do, see
tests/fixtures/catalogues/README.md)."""

from __future__ import annotations

import asyncio
import csv
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from mkdocs_kommune.cli import main
from mkdocs_kommune.refresh.catalogues import Catalogues, LookupFailed, Target
from mkdocs_kommune.refresh.http import Fetcher, HttpSettings
from tests.support.catalogues import (
    CKAN_ORGANIZATIONS,
    FAST,
    FDK,
    FDK_NATIONAL,
    GEONORGE,
    GEONORGE_NATIONAL,
    GEONORGE_REGISTER,
    NATIONAL_SOURCES,
    RECORDED,
    Fake,
    cells,
    counts,
    write_data,
)

REGISTER = Path(__file__).parents[1] / "mkdocs_kommune" / "datasets" / "norway-2024.csv"

TWO_SOURCES = (
    """\
sources:
"""
    + NATIONAL_SOURCES
    + """  - id: portal
    name: Local portal
    api: {kind: ckan, url: "CKAN"}
municipalities:
"""
)


def refresh(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["refresh", str(path), *FAST, *args])


def with_entries(entries: str) -> str:
    return TWO_SOURCES + entries


def test_a_name_geonorge_does_not_know_is_reported_with_the_closest_names(
    tmp_path: Path, fake: Fake
) -> None:
    """Geonorge answers an unknown name with 200 and NumFound 0; its organisations list tells."""
    fake.geonorge.update({"Bodø kommune": 12, "Bø kommune": 3})
    path = write_data(
        tmp_path,
        fake,
        with_entries("  - name: Bodo\n    links: {geonorge: true}\n"
                     "  - name: Bø\n    links: {geonorge: true}\n"),
    )  # fmt: skip
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 2, result.output
    assert (
        "Bodo / geonorge: unknown to Geonorge: no organisation named 'Bodo kommune'; "
        "closest names it knows: 'Bodø kommune'" in result.stderr
    )
    links = cells(path)
    assert links["Bodo"]["geonorge"] is True  # left as it was: never a silent 0
    assert links["Bø"]["geonorge"]["datasets"] == 3
    assert len(fake.requests_to(GEONORGE)) == 1  # the list answered for both


def test_a_listed_organisation_with_nothing_is_a_true_zero(tmp_path: Path, fake: Fake) -> None:
    fake.geonorge.update({"Bø kommune": 0})  # listed with 0: MinCount 0
    path = write_data(tmp_path, fake, with_entries("  - name: Bø\n    links: {geonorge: true}\n"))
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 0, result.output
    assert cells(path)["Bø"]["geonorge"]["datasets"] == 0


def test_an_orgnr_in_geonorges_register_finds_the_name_it_uses(tmp_path: Path, fake: Fake) -> None:
    fake.geonorge.update({"Tromsø kommune": 31})
    fake.geonorge_register.update({"940101808": "Tromsø kommune"})
    path = write_data(
        tmp_path,
        fake,
        with_entries(
            '  - name: Tromsø\n    organization: Tromso kommune\n    orgnr: "940101808"\n'
            "    links: {geonorge: true}\n"
        ),
    )
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 0, result.output
    assert cells(path)["Tromsø"]["geonorge"]["datasets"] == 31
    assert (
        "Geonorge knows orgnr 940101808 as 'Tromsø kommune', not 'Tromso kommune'" in result.stderr
    )
    assert "set `organization: Tromsø kommune`" in result.stderr
    assert len(fake.requests_to(GEONORGE_REGISTER)) == 1


def test_past_the_cut_a_zero_needs_the_register(tmp_path: Path, fake: Fake) -> None:
    """Names after the 550th are asked one by one; a 0 there is written only when the register
    names the organisation by orgnr exactly so."""
    fake.cut_the_list()
    fake.geonorge.update({"Ål kommune": 0, "Ås kommune": 0, "Åmli kommune": 4})
    fake.geonorge_register.update({"964950202": "Ål kommune"})
    path = write_data(
        tmp_path,
        fake,
        with_entries(
            '  - name: Ål\n    orgnr: "964950202"\n    links: {geonorge: true}\n'
            "  - name: Ås\n    links: {geonorge: true}\n"
            "  - name: Åmli\n    links: {geonorge: true}\n"
        ),
    )
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 2, result.output
    links = cells(path)
    assert links["Ål"]["geonorge"]["datasets"] == 0
    assert links["Åmli"]["geonorge"]["datasets"] == 4
    assert links["Ås"]["geonorge"] is True
    assert "Ås / geonorge: unknown to Geonorge: no organisation named 'Ås kommune'" in result.stderr
    asked = sorted(e[2]["facets[0]value"] for e in fake.requests_to(GEONORGE) if "facets[1]name" in e[2])  # fmt: skip
    assert asked == ["Ål kommune", "Åmli kommune", "Ås kommune"]


def test_a_ckan_slug_the_portal_does_not_have_is_not_a_zero(tmp_path: Path, fake: Fake) -> None:
    fake.ckan.update({"trondheim-kommune": 0})
    fake.ckan_others.append("baerum-kommune")
    path = write_data(
        tmp_path,
        fake,
        with_entries(
            "  - name: Trondheim\n    links:\n"
            "      portal: https://opencom.no/organization/trondheim-kommune\n"
            "  - name: Bærum\n    links:\n"
            "      portal: https://opencom.no/organization/barum-kommune\n"
        ),
    )
    result = refresh(path, "--source", "portal")
    assert result.exit_code == 2, result.output
    links = cells(path)
    assert links["Trondheim"]["portal"]["datasets"] == 0  # the portal lists it: a true 0
    assert links["Bærum"]["portal"] == "https://opencom.no/organization/barum-kommune"
    assert (
        "Bærum / portal: unknown to the CKAN portal 127.0.0.1: no organisation 'barum-kommune'; "
        "closest names it knows: 'baerum-kommune'" in result.stderr
    )
    assert len(fake.requests_to(CKAN_ORGANIZATIONS)) == 1


def test_a_portal_that_moved_is_reported_with_where_it_went(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    fake.failures["trondheim-kommune"] = "moved"
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "portal")
    assert result.exit_code == 2
    assert (
        "Trondheim / portal: moved to https://opencom.no/ckan/api/3/action/package_search "
        "(another host or port): not followed" in result.stderr
    )
    assert "update the source's `api.url`" in result.stderr


@pytest.mark.parametrize("failure", ["429-bare", "503-nginx"])
def test_felles_datakatalog_refusals_without_retry_after_are_waited_out(
    tmp_path: Path, fake: Fake, failure: str
) -> None:
    counts(fake)
    fake.failures[FDK_NATIONAL] = failure
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "felles-datakatalog")
    assert result.exit_code == 0, result.output
    assert len(fake.requests_to(FDK)) == 2  # refused once, then answered
    assert cells(path)["Oslo"]["felles-datakatalog"]["datasets"] == 12


def test_the_whole_country_costs_a_handful_of_requests(tmp_path: Path, fake: Fake) -> None:
    """All 357 municipalities in Geonorge and Felles datakatalog, at the published rates (no
    --rate): the national answers, the few names past Geonorge's 550 asked one by one."""
    with REGISTER.open(encoding="utf-8") as register:
        rows = list(csv.DictReader(register))
    assert len(rows) == 357
    for row in rows:
        count = int(row["kommunenummer"]) % 7  # some have nothing: 0 must be written too
        fake.geonorge[f"{row['name']} kommune"] = count
        fake.geonorge_register[row["orgnr"]] = f"{row['name']} kommune"
        fake.fdk[row["orgnr"]] = count * 2
    fake.geonorge_others.update({f"Etat {n:03}": 1 for n in range(200)})  # 559 in all: cut
    entries = "".join(f'  - kommunenummer: "{row["kommunenummer"]}"\n' for row in rows)
    text = TWO_SOURCES.replace("  - id: portal\n    name: Local portal\n    api: {kind: ckan, url: \"CKAN\"}\n", "")  # fmt: skip
    path = write_data(tmp_path, fake, f"register: norway-2024\n{text}{entries}")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["refresh", str(path)])
    seconds = time.monotonic() - started
    assert result.exit_code == 0, result.output
    links = cells_by_number(path)
    # Two Herøy and two Våler share a name: Geonorge's list cannot tell them apart.
    assert all(links[row["kommunenummer"]]["geonorge"]["datasets"] == fake.geonorge[f"{row['name']} kommune"] for row in rows)  # fmt: skip
    assert all("felles-datakatalog" in links[row["kommunenummer"]] for row in rows)
    requests = len(fake.log)
    print(f"\nwhole country: {requests} requests, {seconds:.1f} s")  # for docs/benchmark.md
    assert requests <= 20, [entry[1:] for entry in fake.log]
    assert seconds < 30


def cells_by_number(path: Path) -> dict[str, dict[str, dict[str, int]]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {m["kommunenummer"]: m.get("links", {}) for m in data["municipalities"]}


def hub_file(tmp_path: Path, fake: Fake) -> Path:
    text = (
        "sources:\n"
        "  - id: hub\n"
        "    name: Smart city\n"
        f'    api: {{kind: arcgis-hub, url: "{fake.url("/hub")}"}}\n'
        "municipalities:\n"
        "  - name: Oslo\n"
        "    links:\n"
        "      hub: {url: https://oslokommune-bym.opendata.arcgis.com, text: Oslo Smart by}\n"
    )
    path = tmp_path / "hub.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_hub_site_behind_cloudflares_challenge_is_reported_as_such(
    tmp_path: Path, fake: Fake
) -> None:
    fake.failures["hub"] = "cloudflare"
    path = hub_file(tmp_path, fake)
    result = refresh(path)
    assert result.exit_code == 2
    assert "Oslo / hub: HTTP 403: a Cloudflare challenge page" in result.stderr
    assert cells(path)["Oslo"]["hub"] == {"url": "https://oslokommune-bym.opendata.arcgis.com", "text": "Oslo Smart by"}  # fmt: skip


def test_a_hub_answer_as_the_real_ones_come_is_read(tmp_path: Path, fake: Fake) -> None:
    """application/geo+json, throttle headers, `links` with `next`: still just a count."""
    fake.hub = 14
    path = hub_file(tmp_path, fake)
    result = refresh(path)
    assert result.exit_code == 0, result.output
    assert cells(path)["Oslo"]["hub"]["datasets"] == 14


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (
            "solr-failure",
            "the answer has no facets, which Geonorge sends only when its search failed",
        ),
        ("problem", "HTTP 400 BAD REQUEST"),
        ("error-json", "HTTP 500 INTERNAL SERVER ERROR (gave up after 3 tries)"),
    ],
)
def test_geonorge_failures_as_its_code_answers_are_reported_never_a_zero(
    tmp_path: Path, fake: Fake, failure: str, reason: str
) -> None:
    counts(fake)
    fake.failures[GEONORGE_NATIONAL] = failure
    path = write_data(tmp_path, fake)
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 2, result.output
    assert f"Kristiansand / geonorge: {reason}" in result.stderr
    links = cells(path)
    assert "geonorge" not in links["Kristiansand"] and links["Oslo"]["geonorge"] is True


def test_the_recorded_geonorge_answer_verbatim_is_refused_for_its_missing_facets() -> None:
    """Kartverket's recorded 2026 answer has no `Facets` (trimmed for their mock, it seems): were
    the live service to answer so, every cell would be reported, none written."""
    recorded = (RECORDED / "geonorge-search.json").read_bytes()

    async def ask() -> str:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, content=recorded))
        async with Fetcher(HttpSettings(rate=100), transport) as fetcher:
            target = Target("geonorge", "https://kartkatalog.geonorge.no/api/search", "Kartverket")
            try:
                return str(await Catalogues(fetcher).count(target))
            except LookupFailed as error:
                return str(error)

    message = asyncio.run(ask())
    assert message.startswith("unexpected answer") and "`Facets`" in message, message


def test_a_zero_from_felles_datakatalog_needs_a_municipalitys_orgnr(
    tmp_path: Path, fake: Fake
) -> None:
    """Its aggregation lists only organisations with datasets: a 0 is trusted for an orgnr that
    is a municipality's (the 2024 register), not for another that merely passes the check digit."""
    fake.fdk.update({"958935420": 12})
    entries = (
        '  - name: Bergen\n    orgnr: "964338531"\n    links: {felles-datakatalog: true}\n'
        '  - name: Brreg\n    orgnr: "974760673"\n    links: {felles-datakatalog: true}\n'
    )
    path = write_data(tmp_path, fake, with_entries(entries))
    result = refresh(path, "--source", "felles-datakatalog")
    assert result.exit_code == 2, result.output
    links = cells(path)
    assert links["Bergen"]["felles-datakatalog"]["datasets"] == 0
    assert links["Brreg"]["felles-datakatalog"] is True
    assert (
        "Brreg / felles-datakatalog: unknown to Felles datakatalog: orgnr 974760673 is no "
        "municipality's in the 2024 register" in result.stderr
    )


def test_a_name_two_municipalities_share_is_asked_once(tmp_path: Path, fake: Fake) -> None:
    fake.cut_the_list()  # both are past the cut, asked on their own
    fake.geonorge.update({"Herøy kommune": 6})
    entries = '  - kommunenummer: "1515"\n    links: {geonorge: true}\n  - kommunenummer: "1818"\n    links: {geonorge: true}\n'  # fmt: skip
    path = write_data(tmp_path, fake, "register: norway-2024\n" + with_entries(entries))
    result = refresh(path, "--source", "geonorge")
    assert result.exit_code == 0, result.output
    asked = [e for e in fake.requests_to(GEONORGE) if "facets[1]name" in e[2]]
    assert len(asked) == 1
