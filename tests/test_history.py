"""The history file: what refresh adds to it, and what reading it checks."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mkdocs_kommune.cli.refresh import RefreshOptions, run_refresh
from mkdocs_kommune.history import HistoryError, history_of, load_history, parse_rows
from mkdocs_kommune.model import Municipality
from mkdocs_kommune.refresh.http import HttpSettings
from tests.support.catalogues import Fake, counts, refresh, write_data

HEADER = "date,kommunenummer,municipality,source,datasets\n"
FAST = HttpSettings(timeout=0.5, attempts=2, backoff=0.01, rate=200)
DAY1, DAY2 = datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)


def run(path: Path, day: datetime.date, **options: object) -> int:
    settings = RefreshOptions(path, path.parent / "mkdocs.yml", http=FAST, today=day)
    for name, value in options.items():
        object.__setattr__(settings, name, value)
    return run_refresh(settings)


def lines_of(path: Path) -> list[str]:
    return path.with_name("kommuner.history.csv").read_text(encoding="utf-8").splitlines()


# -- refresh adds to it ------------------------------------------------------------------------


def test_two_refreshes_on_two_dates_keep_both_counts(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    assert run(path, DAY1) == 0
    fake.geonorge["Oslo kommune"] = 50
    assert run(path, DAY2) == 0
    lines = lines_of(path)
    assert lines[0] == HEADER.strip()
    assert "2026-11-01,,Oslo,geonorge,41" in lines
    assert "2026-12-01,,Oslo,geonorge,50" in lines
    assert "2026-12-01,,Kristiansand,geonorge,0" in lines  # a count of 0 is a count
    assert "2026-12-01,,Trondheim,portal,7" in lines
    # Sorted by date, municipality (Norwegian order), source; one row per counted cell.
    body = [line.split(",") for line in lines[1:]]
    assert body == sorted(body, key=lambda r: (r[0], r[2], r[3]))
    assert len([r for r in body if r[0] == "2026-11-01"]) == 9  # 3+3 Geonorge, 2 FDK, 1 CKAN
    history = load_history(path.with_name("kommuner.history.csv"))
    assert history.dates == (DAY1, DAY2)


def test_the_same_date_replaces_only_the_cells_it_counted(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    assert run(path, DAY1) == 0
    fake.geonorge["Oslo kommune"] = 99
    assert run(path, DAY1, municipalities=("Oslo",), sources=("geonorge",)) == 0
    lines = lines_of(path)
    assert [line for line in lines if ",Oslo,geonorge," in line] == ["2026-11-01,,Oslo,geonorge,99"]
    assert "2026-11-01,,Trondheim,geonorge,17" in lines  # not counted again: kept


def test_failed_lookups_add_nothing(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    del fake.geonorge["Oslo kommune"]  # unknown to Geonorge: reported, never a count
    fake.failures["trondheim-kommune"] = "404"  # the local portal's lookup fails
    path = write_data(tmp_path, fake)
    assert run(path, DAY1, sources=("geonorge", "portal")) == 2
    lines = lines_of(path)
    assert not any(",Oslo,geonorge," in line or ",portal," in line for line in lines), lines
    assert "2026-11-01,,Trondheim,geonorge,17" in lines


def test_dry_run_and_no_history_write_no_history(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    assert refresh(path, "--dry-run").exit_code == 0
    assert not path.with_name("kommuner.history.csv").exists()
    result = refresh(path, "--no-history")
    assert result.exit_code == 0, result.output
    assert not path.with_name("kommuner.history.csv").exists()
    result = refresh(path)
    assert "kommuner.history.csv: 9 count(s) of" in result.stderr
    assert len(lines_of(path)) == 10


def test_a_broken_history_stops_refresh_before_asking(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    history = path.with_name("kommuner.history.csv")
    history.write_text(HEADER + "2026-13-01,,Oslo,geonorge,4\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = refresh(path)
    assert result.exit_code == 1
    assert (
        "kommuner.history.csv:2: row 2, field 'date': '2026-13-01' is not a date" in result.stderr
    )
    assert "Traceback" not in result.output
    assert fake.log == [] and path.read_text(encoding="utf-8") == before


def test_a_kill_while_writing_leaves_the_old_or_the_new_history(tmp_path: Path) -> None:
    """Kill a process that rewrites a large history over and over: every state is whole."""
    history = tmp_path / "kommuner.history.csv"
    old = HEADER + "".join(f"2020-01-01,{n:04d},K{n},geonorge,{n}\n" for n in range(2000))
    history.write_text(old, encoding="utf-8")
    script = (
        "import datetime, sys\n"
        "from pathlib import Path\n"
        "from mkdocs_kommune.model import Dataset, Municipality\n"
        "from mkdocs_kommune.refresh.history import HistoryFile, record\n"
        "from mkdocs_kommune.refresh.yamledit import Count\n"
        "from mkdocs_kommune.history import load_history\n"
        "path = Path(sys.argv[1])\n"
        "people = tuple(Municipality(f'K{n}', f'{n:04d}') for n in range(2000))\n"
        "dataset = Dataset((), people)\n"
        "print('ready', flush=True)\n"
        "for day in range(1, 400):\n"
        "    rows = load_history(path).rows\n"
        "    when = datetime.date(2021, 1, 1) + datetime.timedelta(days=day)\n"
        "    done = [Count(n, 'geonorge', day, when) for n in range(2000)]\n"
        "    record(HistoryFile(path, 'h', rows), dataset, done, when)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(history)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    with process, contextlib.closing(process.stdout):
        assert process.stdout.readline() == "ready\n"
        sizes = set()
        for _ in range(5):  # read it while it is being replaced: always whole
            time.sleep(0.1)
            rows = load_history(history).rows
            assert rows[0][0] == "2020-01-01" and len(rows) % 2000 == 0
            sizes.add(len(rows))
        assert process.poll() is None, "the writer finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    rows = load_history(history).rows
    assert len(rows) % 2000 == 0 and len(sizes) > 1  # it did write, and what is left is whole


# -- reading it checks it --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2026-02-30,0301,Oslo,geonorge,4", "row 2, field 'date': '2026-02-30' is not a date"),
        ("26-11-01,0301,Oslo,geonorge,4", "row 2, field 'date': '26-11-01' is not a date"),
        ("2026-11-01,301,Oslo,geonorge,4", "field 'kommunenummer': '301' is not 4 digits"),
        ("2026-11-01,0301,,geonorge,4", "field 'municipality': required"),
        ("2026-11-01,0301,Os\u202elo,geonorge,4", "invisible or control character (\\u202e"),
        ("2026-11-01,0301,Oslo,Geo Norge,4", "field 'source': 'Geo Norge' is not a source id"),
        ("2026-11-01,0301,Oslo,geonorge,-4", "field 'datasets': '-4' is not a count"),
        ("2026-11-01,0301,Oslo,geonorge,4.5", "field 'datasets': '4.5' is not a count"),
        ("2026-11-01,0301,Oslo,geonorge", "row 2: has 4 fields; a row has 5"),
        ("2026-11-01,0301,Oslo,geonorge,4,extra", "row 2: has 6 fields"),
        (
            "2026-11-01,0301,Oslo,geonorge,4\n2026-11-01,0301,Oslo,geonorge,5",
            "history.csv:3: row 3: Oslo in geonorge on 2026-11-01 is already counted on line 2",
        ),
    ],
)
def test_each_bad_row_is_named_by_line_and_field(body: str, message: str) -> None:
    with pytest.raises(HistoryError) as caught:
        history_of(HEADER + body + "\n", "history.csv")
    assert message in str(caught.value), str(caught.value)
    assert str(caught.value).startswith("history.csv: 1 problem in the history file:")


def test_duplicates_are_found_on_the_quick_path_too(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(HEADER + "2026-11-01,0301,Oslo,geonorge,4\n" * 2, encoding="utf-8")
    with pytest.raises(HistoryError, match=r"h\.csv:3: row 3: Oslo in geonorge"):
        load_history(path, "h.csv")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty; its first line must be the header"),
        (b"date,municipality,datasets\n", "h.csv:1: the first line must be the header"),
        (b"\xff\xfe" + HEADER.encode(), "not UTF-8 text (byte 1)"),
    ],
)
def test_a_broken_file_says_what_is_wrong(tmp_path: Path, raw: bytes, message: str) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(raw)
    with pytest.raises(HistoryError, match=r"h\.csv") as caught:
        load_history(path, "h.csv")
    assert message in str(caught.value)


def test_many_problems_are_cut_short(tmp_path: Path) -> None:
    text = HEADER + "".join(f"2026-11-01,0301,Oslo,geonorge,x{n}\n" for n in range(500))
    with pytest.raises(HistoryError) as caught:
        parse_rows(text, "h.csv")
    assert len(caught.value.problems) == 51
    assert "and more problems after line 51" in str(caught.value)


def test_quoted_names_crlf_and_a_bom_read_as_plain_rows() -> None:
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + '2026-11-01,,"Name, with comma",fdk,3\r\n'
    rows = parse_rows(text.removeprefix("\ufeff"), "h.csv")
    assert rows == [("2026-11-01", "", "Name, with comma", "fdk", "3")]


def test_counts_carry_forward_and_match_by_number_or_name(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        HEADER
        + "2026-01-01,,Oslo,geonorge,10\n"  # before the data file had numbers
        + "2026-02-01,0301,Oslo,geonorge,12\n"
        + "2026-02-01,4601,Bergen,geonorge,5\n"
        + "2026-03-01,4601,Bergen,geonorge,6\n",  # Oslo not counted on 03-01: still 12
        encoding="utf-8",
    )
    history = load_history(path)
    oslo, bergen = Municipality("Oslo", "0301"), Municipality("Bergen", "4601")
    assert history.count_at("geonorge", oslo, 0) == 10
    assert history.count_at("geonorge", bergen, 0) is None
    totals = history.totals("geonorge", [oslo, bergen])
    assert totals is not None and totals.start == 0 and totals.values == (10, 17, 18)
    assert history.totals("fdk", [oslo]) is None


def test_the_docs_history_is_what_the_script_makes(tmp_path: Path) -> None:
    """docs/examples/kommuner.history.csv is made by refresh against the fake catalogues."""
    repo = Path(__file__).resolve().parent.parent
    output = tmp_path / "kommuner.history.csv"
    script = runpy.run_path(str(repo / "scripts" / "illustrative_history.py"), run_name="script")
    with contextlib.redirect_stdout(io.StringIO()):
        script["main"](output)
    committed = repo / "docs" / "examples" / "kommuner.history.csv"
    assert output.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_the_history_option_says_what_it_takes() -> None:
    from mkdocs_kommune.config import KommuneConfig

    options = KommuneConfig()
    options.load_dict({"history": 3})
    errors, _ = options.validate()
    assert [key for key, _ in errors] == ["history"]
    assert "expected the path of the history file (e.g. data/kommuner.history.csv) or false" in str(errors[0][1])  # fmt: skip


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_kommune.history import read

    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    path = tmp_path / "h.csv"
    path.write_text(HEADER + "2026-11-01,0301,Oslo,geonorge,4\n" * 40, encoding="utf-8")
    with pytest.raises(HistoryError, match="larger than 0 MB, far more than any history"):
        load_history(path, "h.csv")
    monkeypatch.setattr(read, "MAX_ROWS", 10)
    monkeypatch.setattr(read, "MAX_BYTES", 10_000)
    with pytest.raises(HistoryError, match="more than 10 rows"):
        load_history(path, "h.csv")


def test_a_history_edited_meanwhile_is_kept_as_it_is(tmp_path: Path) -> None:
    from mkdocs_kommune.atomic import ChangedMeanwhile
    from mkdocs_kommune.model import Dataset
    from mkdocs_kommune.refresh.history import open_history, record
    from mkdocs_kommune.refresh.yamledit import Count

    data = tmp_path / "kommuner.yml"
    history_file = tmp_path / "kommuner.history.csv"
    history_file.write_text(HEADER + "2026-11-01,0301,Oslo,geonorge,4\n", encoding="utf-8")
    history = open_history(data)
    assert history is not None and len(history.rows) == 1
    edited = HEADER + "2026-11-01,0301,Oslo,geonorge,5\n"  # someone fixed a count meanwhile
    history_file.write_text(edited, encoding="utf-8")
    dataset = Dataset((), (Municipality("Oslo", "0301"),))
    with pytest.raises(ChangedMeanwhile):
        record(history, dataset, [Count(0, "geonorge", 9, DAY2)], DAY2)
    assert history_file.read_text(encoding="utf-8") == edited


def test_an_unchanged_history_is_read_once(tmp_path: Path) -> None:
    from mkdocs_kommune.history import site_history

    data = tmp_path / "kommuner.yml"
    path = tmp_path / "kommuner.history.csv"
    path.write_text(HEADER + "2026-11-01,0301,Oslo,geonorge,4\n", encoding="utf-8")
    first = site_history(None, data)
    assert first is not None and site_history(None, data) is first  # a serve rebuild
    path.write_text(HEADER + "2026-11-01,0301,Oslo,geonorge,5\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even an edit within the same clock tick changes the key
    second = site_history(None, data)
    assert second is not None and second is not first
    assert second.count_at("geonorge", Municipality("Oslo", "0301"), 0) == 5
