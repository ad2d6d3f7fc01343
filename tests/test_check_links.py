"""`mkdocs-kommune check-links`: every published link checked, against a local server and a
retired host; nothing written."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_kommune.cli import main
from mkdocs_kommune.cli.checklinks import CheckLinksOptions, run_check_links
from mkdocs_kommune.refresh.http import HttpSettings

FAST = ["--timeout", "0.5", "--retries", "1", "--backoff", "0.01", "--rate", "200"]
RETIRED = "fellesdatakatalog.brreg.no"


@pytest.fixture(name="site")
def site_fixture(fake_server: HTTPServer) -> Iterator[HTTPServer]:
    def slow(request: Request) -> Response:
        time.sleep(0.8)
        return Response("late")

    fake_server.expect_request("/ok").respond_with_data("<html>fine</html>", content_type="text/html")  # fmt: skip
    fake_server.expect_request("/old").respond_with_response(Response("", status=301, headers={"Location": "/new"}))  # fmt: skip
    fake_server.expect_request("/new").respond_with_data("moved here")
    fake_server.expect_request("/missing").respond_with_data("no", status=404)
    fake_server.expect_request("/removed").respond_with_data("no", status=410)
    fake_server.expect_request("/broken").respond_with_data("oops", status=500)
    fake_server.expect_request("/slow").respond_with_handler(slow)
    try:
        yield fake_server
    finally:
        fake_server.clear()


def data_file(tmp_path: Path, site: HTTPServer) -> Path:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    text = f"""\
sources:
  - id: catalogue
    name: Catalogue
    url: "{site.url_for("/ok")}?org={{organization}}"
  - id: other
    name: Other portals
municipalities:
  - name: Oslo
    links:
      catalogue: true
      other:
        - {site.url_for("/old")}
        - {site.url_for("/missing")}
  - name: Bergen
    links:
      catalogue: {{datasets: 0, checked: 2026-12-01}}   # shows no link: not checked
      other: [{site.url_for("/removed")}, {site.url_for("/broken")}]
  - name: Trondheim
    links:
      other: [{site.url_for("/slow")}, "http://127.0.0.1:{dead_port}/portal"]
"""
    path = tmp_path / "kommuner.yml"
    path.write_text(text, encoding="utf-8")
    return path


def check(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check-links", str(path), *FAST, *args])


def test_every_published_link_gets_a_status_and_nothing_is_written(
    tmp_path: Path, site: HTTPServer
) -> None:
    path = data_file(tmp_path, site)
    before = path.read_bytes()
    result = check(path, "--format", "json")
    assert result.exit_code == 2, result.output
    records = json.loads(result.stdout)
    by_url = {record["url"].split("/", 3)[-1]: record for record in records}
    assert {url: r["status"] for url, r in by_url.items()} == {
        "ok?org=Oslo%20kommune": "ok",
        "old": "redirected",
        "missing": "gone",
        "removed": "gone",
        "broken": "error",
        "slow": "timeout",
        "portal": "unreachable",
    }
    assert by_url["old"]["location"] == site.url_for("/new")
    assert by_url["missing"]["http_status"] == 404
    assert {r["municipality"] for r in records} == {"Oslo", "Bergen", "Trondheim"}
    assert all(set(r) >= {"url", "status", "municipality", "source"} for r in records)
    assert [r for r in records if r["municipality"] == "Bergen" and r["source"] == "catalogue"] == []  # fmt: skip
    assert f"Oslo / other: redirected: {site.url_for('/old')} -> {site.url_for('/new')}" in result.stderr  # fmt: skip
    assert "Bergen / other: gone (HTTP 410 GONE)" in result.stderr
    assert "7 links (7 distinct) checked: 1 ok, 1 redirected, 2 gone, 1 unreachable, 1 timeout, 1 error" in result.stderr  # fmt: skip
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["kommuner.yml"]  # fmt: skip


def test_source_and_municipality_narrow_it(tmp_path: Path, site: HTTPServer) -> None:
    path = data_file(tmp_path, site)
    result = check(path, "--source", "catalogue", "--municipality", "oslo", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["municipality"], r["source"], r["status"]) for r in json.loads(result.stdout)] == [
        ("Oslo", "catalogue", "ok")
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--source", "nowhere"],
            "--source nowhere: no such source; the sources are: catalogue, other",
        ),
        (
            ["--municipality", "Osloo"],
            "--municipality Osloo: not in the data file; did you mean Oslo?",
        ),
    ],
)
def test_bad_arguments_exit_1(
    tmp_path: Path, site: HTTPServer, args: list[str], message: str
) -> None:
    result = check(data_file(tmp_path, site), *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_the_seeds_retired_felles_datakatalog_links_are_reported_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 2018 dataset links Felles datakatalog at fellesdatakatalog.brreg.no, a host that is
    gone (Felles datakatalog moved to data.norge.no): its name no longer resolves, which is
    what this transport answers for it; every other host answers 200."""
    path = tmp_path / "kommuner.yml"
    assert CliRunner().invoke(main, ["init", str(path)]).exit_code == 0  # the 2018 links

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == RETIRED:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from socket.gaierror(-2, "Name or service not known")  # fmt: skip
        return httpx.Response(200, text="<html></html>")

    options = CheckLinksOptions(path, None, output_format="json", http=HttpSettings(rate=200))
    code = run_check_links(options, transport=httpx.MockTransport(answer))
    captured = capsys.readouterr()
    records, stderr = json.loads(captured.out), captured.err
    assert code == 2
    retired = [r for r in records if RETIRED in r["url"]]
    assert {r["municipality"] for r in retired} == {"Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø"}  # fmt: skip
    assert {r["status"] for r in retired} == {"gone"}
    assert {r["reason"] for r in retired} == {f"host unknown: {RETIRED} does not resolve"}
    assert {r["status"] for r in records if RETIRED not in r["url"]} == {"ok"}
    assert f"Oslo / felles-datakatalog: gone (host unknown: {RETIRED} does not resolve)" in stderr


def test_a_host_that_cannot_be_reached_is_given_up_after_three_failures(tmp_path: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    links = "".join(f"        - http://127.0.0.1:{port}/{n}\n" for n in range(6))
    path = tmp_path / "kommuner.yml"
    path.write_text(
        "sources:\n  - id: other\n    name: Other portals\nmunicipalities:\n"
        f"  - name: Oslo\n    links:\n      other:\n{links}",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["check-links", str(path), "--format", "json", "--retries", "0", "--concurrency", "1"],
    )
    assert result.exit_code == 2, result.output
    records = json.loads(result.stdout)
    assert [r["status"] for r in records] == ["unreachable"] * 6
    given_up = [r for r in records if "cannot be reached" in r["reason"]]
    assert len(given_up) == 4  # the third failure gives the host up; three are never asked
