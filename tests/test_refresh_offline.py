"""`refresh` with no network: hosts given up after a few connection failures, one line for
their remaining lookups, and a plain progress line when stderr is piped."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mkdocs_kommune.refresh.hosts import GIVE_UP_AFTER, HostHealth
from mkdocs_kommune.refresh.progress import PipedProgress
from mkdocs_kommune.refresh.report import FAILED, Outcome, failure_lines
from mkdocs_kommune.register import load_register

EXE = str(Path(sys.executable).parent / "mkdocs-kommune")
NO_SUCH_HOST = "kartkatalog.invalid"  # .invalid never resolves (RFC 6761), offline or not


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def every_municipality(port: int) -> str:
    lines = [
        "register: norway-2024",
        "sources:",
        "  - id: geonorge",
        "    name: Geonorge",
        '    url: "https://kartkatalog.geonorge.no/?organizations={organization}"',
        f'    api: {{kind: geonorge, url: "http://{NO_SUCH_HOST}/api/search"}}',
        "  - id: felles-datakatalog",
        "    name: Felles datakatalog",
        '    url: "https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F{orgnr}"',
        f'    api: {{kind: felles-datakatalog, url: "http://127.0.0.1:{port}/search/datasets"}}',
        "municipalities:",
    ]
    for entry in load_register().entries:
        lines += [f'  - kommunenummer: "{entry.kommunenummer}"', "    links: {geonorge: true}"]
    return "\n".join(lines) + "\n"


def test_all_357_municipalities_offline_in_under_a_minute(tmp_path: Path) -> None:
    path = tmp_path / "kommuner.yml"
    text = every_municipality(closed_port())
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    # Default options, stderr piped as in CI.
    result = subprocess.run(
        [EXE, "refresh", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert elapsed < 60, f"{elapsed:.0f} s"
    err = result.stderr
    assert "714 lookup(s) failed and were left as they were:" in err
    # Each host is said once, with its lookups, not once per municipality.
    geonorge = [line for line in err.splitlines() if f"{NO_SUCH_HOST} cannot be reached" in line]
    refused = [line for line in err.splitlines() if "127.0.0.1" in line]
    assert len(geonorge) == 1 and len(refused) == 1, err
    assert geonorge[0].startswith(f"  357 lookups: {NO_SUCH_HOST} cannot be reached (")
    assert "; its lookups were not made: Oslo / geonorge, " in geonorge[0]
    assert geonorge[0].endswith(" and 352 more")
    assert refused[0].startswith("  357 lookups: 127.0.0.1:")
    assert " cannot be reached (Connection refused); " in refused[0]
    assert len(err.splitlines()) < 20, err
    assert path.read_text(encoding="utf-8") == text  # nothing counted, nothing written


def test_a_host_is_given_up_after_a_few_connection_failures_in_a_row() -> None:
    hosts = HostHealth()
    url = "https://kartkatalog.invalid/api/search"
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    for _ in range(GIVE_UP_AFTER - 1):
        assert hosts.failed(url, refused) is None
        hosts.reached(url)  # an answer between failures starts the count again
    for _ in range(GIVE_UP_AFTER - 1):
        assert hosts.failed(url, refused) is None
    assert hosts.blocked(url) is None
    reason = hosts.failed(url, refused)
    assert reason == (
        "kartkatalog.invalid cannot be reached ([Errno 111] Connection refused); "
        "its lookups were not made"
    )
    assert hosts.blocked(url + "?page=2") == reason
    assert hosts.blocked("https://data.norge.invalid/") is None  # other hosts are still tried


def test_a_reason_many_cells_share_is_said_once() -> None:
    outcomes = [Outcome(f"M{n}", "geonorge", FAILED, reason="down") for n in range(8)]
    outcomes.insert(2, Outcome("Oslo", "other", FAILED, reason="HTTP 404"))
    assert failure_lines(outcomes) == [
        "8 lookups: down: M0 / geonorge, M1 / geonorge, M2 / geonorge, M3 / geonorge, "
        "M4 / geonorge and 3 more",
        "Oslo / other: HTTP 404",
    ]
    few = outcomes[:4]  # three of a reason are still listed one by one
    assert failure_lines(few) == [
        "M0 / geonorge: down",
        "M1 / geonorge: down",
        "Oslo / other: HTTP 404",
        "M2 / geonorge: down",
    ]


@pytest.mark.parametrize(
    ("ticks", "expected"),
    [
        # (seconds since the start, lookups just finished) for each update
        ([(1, 1), (5, 1), (9.9, 1)], []),
        (
            [(3, 1), (10, 1), (12, 1), (19, 1), (20.5, 1)],
            [
                "Asking the catalogues: 2 of 10 lookups done (10 s)",
                "Asking the catalogues: 5 of 10 lookups done (20 s)",
            ],
        ),
        ([(30, 10)], []),  # the last lookup: the report follows at once
    ],
)
def test_a_piped_progress_line_at_most_every_ten_seconds(
    ticks: list[tuple[float, int]], expected: list[str]
) -> None:
    now = [0.0]
    lines: list[str] = []
    progress = PipedProgress(10, clock=lambda: now[0], echo=lines.append)
    for at, steps in ticks:
        now[0] = at
        progress.update(steps)
    assert lines == expected
