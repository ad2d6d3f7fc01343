"""Two refreshes on two dates, then the site: the trend chart and the changes in the tables,
built by MkDocs and by Zensical; and what a missing or broken history says."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from mkdocs.exceptions import Abort, PluginError
from pytest_httpserver import HTTPServer

from mkdocs_kommune.cli import main
from mkdocs_kommune.cli.refresh import RefreshOptions, run_refresh
from mkdocs_kommune.refresh.http import HttpSettings
from tests.support.catalogues import FDK, GEONORGE, NATIONAL_SOURCES, Fake
from tests.support.sites import Site, make_site

DAY1, DAY2 = datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)
DATA = (
    """\
register: norway-2024
sources:
"""
    + NATIONAL_SOURCES
    + """  - id: other
    name: Other portals
municipalities:
  - name: Oslo
  - name: Bergen
  - name: Trondheim
"""
)
PAGE = """\
# Trend

{{ kommune_trend(caption="Datasets by source") }}

{{ kommune_trend(municipalities=["Oslo"], sources=["geonorge"], since="2026-11-15") }}

{{ kommune_table(since="first", sources=["geonorge", "felles-datakatalog"], interactive=true) }}

{{ kommune_coverage(by="county", since="2026-11-01", sources=["geonorge"]) }}
"""
Sites = tuple[BeautifulSoup, BeautifulSoup, Site]
OPTIONS = {"data": "data/kommuner.yml", "register": "norway-2024"}
FAST = HttpSettings(timeout=2, attempts=1, backoff=0.01, rate=500)


def refresh_twice(data: Path, fake: Fake) -> None:
    """Trondheim's Geonorge lookup fails on the first date: no history there."""
    fake.failures["Trondheim kommune"] = "404"
    fake.geonorge.update({"Oslo kommune": 29, "Bergen kommune": 10})
    fake.fdk.update({"958935420": 5, "964338531": 2, "942110464": 3})
    with contextlib.redirect_stderr(io.StringIO()):
        assert (
            run_refresh(RefreshOptions(data, data.parent / "none.yml", http=FAST, today=DAY1)) == 2
        )
        fake.failures.clear()
        fake.geonorge.update({"Oslo kommune": 41, "Bergen kommune": 17, "Trondheim kommune": 12})
        fake.fdk.update({"958935420": 9, "964338531": 2, "942110464": 4})
        assert run_refresh(RefreshOptions(data, data.parent / "none.yml", http=FAST, today=DAY2)) == 0  # fmt: skip


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, fake_server: HTTPServer) -> Iterator[Sites]:
    root = tmp_path_factory.mktemp("trend")
    fake = Fake(fake_server)
    for path in (GEONORGE, FDK):
        fake_server.expect_request(path).respond_with_handler(fake.handle)
    text = DATA.replace('"GEONORGE"', f'"{fake.url(GEONORGE)}"').replace('"FDK"', f'"{fake.url(FDK)}"')  # fmt: skip
    files = {"docs/index.md": PAGE, "data/kommuner.yml": text}
    mkdocs = make_site(root / "mkdocs", files, plugins=["search", {"kommune": OPTIONS}, "macros"])
    refresh_twice(mkdocs.root / "data" / "kommuner.yml", fake)
    fake_server.clear()
    mkdocs.build()
    zensical = make_site(root / "zensical", {"docs/index.md": PAGE})
    for name in ("kommuner.yml", "kommuner.history.csv"):
        (zensical.root / "data").mkdir(exist_ok=True)
        (zensical.root / "data" / name).write_bytes((mkdocs.root / "data" / name).read_bytes())
    (zensical.root / "zensical.toml").write_text(
        '[project]\nsite_name = "T"\n'
        '[project.markdown_extensions."mkdocs_kommune.zensical"]\n'
        '[project.plugins.macros]\nmodules = ["mkdocs_kommune.zensical"]\n'
        '[project.extra.kommune]\ndata = "data/kommuner.yml"\nregister = "norway-2024"\n',
        encoding="utf-8",
    )
    run = zensical.run("build", "-f", "zensical.toml", "--clean", command="zensical")
    assert (zensical.site_dir / "index.html").is_file(), run.stdout + run.stderr
    yield mkdocs.soup("index.html"), zensical.soup("index.html"), mkdocs


def _blocks(soup: BeautifulSoup) -> list[str]:
    found = soup.select("figure.kommune-trend, p.kommune-trend-sentence, .kommune-table-wrapper")
    return [str(tag) for tag in found if not tag.find_parent(class_="kommune-trend")]


def test_the_chart_draws_each_source_with_its_totals(sites: Sites) -> None:
    soup = sites[0]
    figure = soup.select_one("figure.kommune-trend")
    assert isinstance(figure, Tag)
    svg = figure.select_one("svg")
    assert isinstance(svg, Tag) and svg["role"] == "img"
    assert svg.select_one("title").get_text() == "Datasets by source"  # type: ignore[union-attr]
    desc = svg.select_one("desc").get_text()  # type: ignore[union-attr]
    # Trondheim has no Geonorge count on the first date: the total is Oslo's and Bergen's.
    assert "Geonorge: 39 datasets on 2026-11-01, 70 on 2026-12-01" in desc, desc
    assert "Felles datakatalog: 10 datasets on 2026-11-01, 15 on 2026-12-01" in desc, desc
    assert len(svg.select("path.kommune-trend-line")) == 2  # "Other portals" has no count API
    assert [li.get_text() for li in figure.select(".kommune-trend-legend li")] == [
        "Geonorge",
        "Felles datakatalog",
    ]
    numbers = figure.select("details.kommune-trend-numbers tbody tr")
    assert [[c.get_text() for c in row.select("th, td")] for row in numbers] == [
        ["2026-11-01", "39", "10"],
        ["2026-12-01", "70", "15"],
    ]
    assert not soup.select("script:not([src])") or "kommune-trend" not in str(soup.select("script"))


def test_one_date_is_a_sentence(sites: Sites) -> None:
    sentence = sites[0].select_one("p.kommune-trend-sentence")
    assert sentence is not None
    assert sentence.get_text() == "On 2026-12-01: Geonorge 41 datasets."


def test_the_table_shows_each_count_with_its_change(sites: Sites) -> None:
    tables = [t for t in sites[0].select("table.kommune-table") if not t.find_parent("details")]
    table = tables[0]
    cells = {
        row.th.get_text(): [td.select_one(".kommune-count").get_text() for td in row.select("td")]  # type: ignore[union-attr]
        for row in table.select("tbody tr")
    }
    assert cells == {
        "Oslo": ["41 (+12)", "9 (+4)"],
        "Bergen": ["17 (+7)", "2 (\u00b10)"],
        "Trondheim": ["12", "4 (+1)"],  # no Geonorge history on the first date: the count alone
    }
    assert "change since 2026-11-01" in table.caption.get_text()  # type: ignore[union-attr]
    # The sort buttons order by the count, not by the change.
    values = [td["data-kommune-value"] for td in table.select("tbody tr td:first-of-type")]
    assert values == ["41", "17", "12"]
    county = tables[1]
    rows = {
        r.th.get_text(): " ".join(r.td.get_text(" ").split())  # type: ignore[union-attr]
        for r in county.select("tbody tr, tfoot tr")
    }
    assert rows["Oslo"] == "1 of 1 41 datasets (+12)"
    assert rows["Trøndelag"] == "1 of 1 12 datasets"
    assert rows["All"] == "3 of 3 70 datasets (+19)"


def test_both_engines_give_the_same_html(sites: Sites) -> None:
    mkdocs, zensical, _ = sites
    blocks = _blocks(mkdocs)
    assert len(blocks) == 4
    assert _blocks(zensical) == blocks


def test_validate_checks_the_history(sites: Sites, tmp_path: Path) -> None:
    site = sites[2]
    ok = CliRunner().invoke(main, ["validate", "--config", str(site.root / "mkdocs.yml")])
    assert ok.exit_code == 0, ok.output
    assert "kommuner.history.csv: no problems (11 counts on 2 dates)" in ok.stderr
    broken = make_site(
        tmp_path,
        {
            "data/kommuner.yml": (site.root / "data" / "kommuner.yml").read_text(),
            "data/kommuner.history.csv": "date,kommunenummer,municipality,source,datasets\n"
            "2026-11-01,0301,Oslo,geonorge,many\n",
        },
        plugins=[{"kommune": OPTIONS}],
    )
    result = CliRunner().invoke(
        main, ["validate", "--config", str(broken.root / "mkdocs.yml"), "--format", "json"]
    )
    assert result.exit_code == 1
    assert "kommuner.history.csv:2: row 2, field 'datasets': 'many' is not a count" in result.stderr
    records = json.loads(result.stdout)
    assert records[0]["line"] == 2 and records[0]["field"] == "datasets"


BROKEN = "date,kommunenummer,municipality,source,datasets\n2026-11-01,0301,Oslo,geonorge,4\n2026-11-01,0301,Oslo,geonorge,5\n"  # fmt: skip


@pytest.mark.parametrize(
    ("page", "history", "options", "expected"),
    [
        (
            "{{ kommune_trend() }}",
            None,
            {},
            "index.md: bad kommune macro call:\n  kommune_trend(): there is no history to draw",
        ),
        (
            '{{ kommune_table(since="first") }}',
            None,
            {},
            "kommune_table(): since= needs the refresh history",
        ),
        (
            "{{ kommune_trend() }}",
            BROKEN,
            {"history": False},
            "kommune_trend(): there is no history to draw",
        ),
        (
            '{{ kommune_trend(since="last week") }}',
            BROKEN.rsplit("\n", 2)[0] + "\n",
            {},
            "since 'last week' is not a date",
        ),
        (
            "{{ kommune_trend(colour=1) }}",
            BROKEN.rsplit("\n", 2)[0] + "\n",
            {},
            "unknown argument 'colour'",
        ),
        (
            "# T",
            BROKEN,
            {},
            "kommuner.history.csv:3: row 3: Oslo in geonorge on 2026-11-01 is already counted on line 2",
        ),
        (
            "# T",
            None,
            {"history": "data/elsewhere.csv"},
            "elsewhere.csv: 1 problem in the history file:\n  data/elsewhere.csv: the history file does not exist",
        ),
    ],
)
def test_what_fails_the_build_says_why(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    page: str,
    history: str | None,
    options: dict[str, object],
    expected: str,
) -> None:
    files = {"docs/index.md": page, "data/kommuner.yml": DATA.replace('"GEONORGE"', '"https://x.test/"').replace('"FDK"', '"https://x.test/"')}  # fmt: skip
    if history is not None:
        files["data/kommuner.history.csv"] = history
    site = make_site(tmp_path, files, plugins=[{"kommune": {**OPTIONS, **options}}, "macros"])
    with pytest.raises((PluginError, Abort)) as caught:  # Abort: MkDocs logged the page's error
        site.build()
    message = re.sub(r"/\S*/(data/)", r"\1", str(caught.value) + caplog.text)
    assert expected in message, message
