"""The bad-input catalogue, part two: what a hostile catalogue server can send to `refresh`.

Each case is one answer (any status, header, encoding, body or timing, down to malformed bytes)
from ``tests/support/hostile_server.py``; `refresh` runs in-process against it and must end with the
expected exit status and message, no traceback, no escape sequence reaching the terminal, a
bounded output and time, and the data file unchanged unless the count was good.
"""

from __future__ import annotations

import gzip
import hashlib
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_kommune.cli import main
from tests.support.hostile_server import (
    HostileServer,
    Part,
    bomb,
    double_bomb,
    json_answer,
    response,
)

FAST = ["--timeout", "1", "--retries", "1", "--backoff", "0.01", "--rate", "500"]
DATA = """\
# yaml-language-server: $schema=kommune-data.schema.json
sources:
  - id: hub
    name: Oslo Smart by
    api: {kind: arcgis-hub, url: "URL"}
municipalities:
  - name: Oslo
    links:
      hub: {url: "https://oslo.example/", datasets: 3, checked: 2020-01-01}
"""
SECONDS = 10  # per case, the bound
GOOD = b'{"type": "FeatureCollection", "numberMatched": 42, "features": []}'
# Characters that must never reach the terminal raw: ESC, CSI, BEL, CR, bidi override.
RAW = ("\x1b", "\x9b", "\x07", "\r", "\u202e")


def lazy(make: Callable[[], list[Part]]) -> Callable[[str], list[Part]]:
    return lambda path: make()


def deflate(data: bytes, raw: bool = False) -> bytes:
    engine = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return engine.compress(data) + engine.flush()


def endless(path: str) -> Iterable[Part]:
    yield b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"[" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    for _ in range(400):  # 26 MB, more than the cap, less than forever
        yield frame


def drip(path: str) -> Iterable[Part]:
    yield b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    for _ in range(40):
        yield 0.1
        yield b" "


def redirect(location: str) -> Callable[[str], list[Part]]:
    return lambda path: response("302 Found", [("Location", location)])


def fixed(parts: list[Part]) -> Callable[[str], list[Part]]:
    return lambda path: parts


def answer(body: bytes | str, *headers: tuple[str, str]) -> Callable[[str], list[Part]]:
    return fixed(json_answer(body, *headers))


@dataclass(frozen=True)
class ServerCase:
    name: str
    script: Callable[[str], Iterable[Part]]
    expect: tuple[str, ...]  # fragments of the output
    exit_code: int = 2  # 2: the lookup failed and was reported; 0: the count was written
    count: int | None = None  # the count written, for exit 0
    args: tuple[str, ...] = ()  # after FAST: the timing cases wait less and try once


ESC = "\x1b"
QUICK = ("--timeout", "0.5", "--retries", "0")
CASES = [
    # -- Content-Encoding: decoded size is counted while decoding; one encoding at most --------
    ServerCase("gzip-gzip-bomb", lazy(lambda: json_answer(double_bomb(), ("Content-Encoding", "gzip, gzip"))), ("Oslo / hub", "encoded more than once")),
    ServerCase("gzip-bomb-100mb", lazy(lambda: json_answer(bomb(zlib.MAX_WBITS | 16, 100), ("Content-Encoding", "gzip"))), ("over 8 MB",)),
    ServerCase("deflate-bomb", lazy(lambda: json_answer(bomb(zlib.MAX_WBITS, 100), ("Content-Encoding", "deflate"))), ("over 8 MB",)),
    ServerCase("raw-deflate-bomb", lazy(lambda: json_answer(bomb(-zlib.MAX_WBITS, 100), ("Content-Encoding", "deflate"))), ("over 8 MB",)),
    ServerCase("gzip-twice-one-header", fixed(json_answer(gzip.compress(gzip.compress(GOOD)), ("Content-Encoding", "gzip"), ("Content-Encoding", "gzip"))), ("encoded more than once",)),
    ServerCase("encoding-br", answer(GOOD, ("Content-Encoding", "br")), ("Content-Encoding is not one of gzip, deflate",)),
    ServerCase("encoding-zstd", answer(GOOD, ("Content-Encoding", "zstd")), ("Content-Encoding is not one of",)),
    ServerCase("encoding-compress", answer(GOOD, ("Content-Encoding", "compress")), ("Content-Encoding is not one of",)),
    ServerCase("encoding-with-escape", answer(GOOD, ("Content-Encoding", "x\x1b[2J")), ("Oslo / hub",)),
    ServerCase("gzip-header-plain-body", answer(GOOD, ("Content-Encoding", "gzip")), ("not valid gzip data",)),
    ServerCase("gzip-cut-short", answer(gzip.compress(GOOD)[:-12], ("Content-Encoding", "gzip")), ("gzip answer is cut short",)),
    ServerCase("deflate-garbage", answer(b"\x00\x01garbage", ("Content-Encoding", "deflate")), ("not valid deflate data",)),
    ServerCase("gzip-good", answer(gzip.compress(GOOD), ("Content-Encoding", "gzip")), ("written",), 0, 42),
    ServerCase("gzip-uppercase-good", answer(gzip.compress(GOOD), ("Content-Encoding", "GZIP")), ("written",), 0, 42),
    ServerCase("identity-then-gzip-good", answer(gzip.compress(GOOD), ("Content-Encoding", "identity, gzip")), ("written",), 0, 42),
    ServerCase("deflate-zlib-good", answer(deflate(GOOD), ("Content-Encoding", "deflate")), ("written",), 0, 42),
    ServerCase("deflate-raw-good", answer(deflate(GOOD, raw=True), ("Content-Encoding", "deflate")), ("written",), 0, 42),
    # -- the body: size, depth, JSON, types ------------------------------------------------------
    ServerCase("json-100000-deep", answer(b"[" * 100_000 + b"]" * 100_000), ("nests deeper than 32 levels",)),
    ServerCase("json-100000-deep-objects", answer(b'{"a":' * 100_000 + b"1" + b"}" * 100_000), ("nests deeper",)),
    ServerCase("json-unclosed-brackets", answer(b"[" * 1_000_000), ("malformed JSON",)),
    ServerCase("body-9-mb", answer(b" " * 9_000_000 + GOOD), ("over 8 MB",)),
    ServerCase("body-endless-chunked", endless, ("over 8 MB",)),
    ServerCase("json-nan", answer(b'{"numberMatched": NaN}'), ("holds NaN, which is not JSON",)),
    ServerCase("json-infinity", answer(b'{"numberMatched": -Infinity}'), ("holds -Infinity",)),
    ServerCase("count-5000-digits", answer(b'{"numberMatched": ' + b"9" * 5000 + b"}"), ("malformed JSON",)),
    ServerCase("count-float", answer(b'{"numberMatched": 1e3}'), ("`numberMatched` is 1000.0, not a count",)),
    ServerCase("count-1e999", answer(b'{"numberMatched": 1e999}'), ("is inf, not a count",)),
    ServerCase("count-negative", answer(b'{"numberMatched": -1}'), ("is -1, not a count",)),
    ServerCase("count-true", answer(b'{"numberMatched": true}'), ("is True, not a count",)),
    ServerCase("count-string", answer(b'{"numberMatched": "12"}'), ("is '12', not a count",)),
    ServerCase("count-trillion", answer(b'{"numberMatched": 1000000000000}'), ("not a count",)),
    ServerCase("count-null", answer(b'{"numberMatched": null}'), ("is None, not a count",)),
    ServerCase("count-missing", answer(b'{"total": 3}'), ("no `numberMatched` in it",)),
    ServerCase("answer-a-list", answer(b"[1, 2, 3]"), ("no `numberMatched` in it",)),
    ServerCase("answer-a-string-with-escape", answer(b'"\\u001b[2J all good"'), ("no `numberMatched`",)),
    ServerCase("key-with-escape", answer(b'{"numberMatched\\u001b": 1}'), ("no `numberMatched`",)),
    ServerCase("body-empty", answer(b""), ("malformed JSON in the answer",)),
    ServerCase("body-not-utf8", answer(b"\xff\xfe\xfa{"), ("malformed JSON",)),
    ServerCase("body-html", fixed(response(headers=[("Content-Type", "text/html")], body=b"<html>Maintenance</html>")), ("malformed JSON in the answer (text/html)",)),
    ServerCase("body-duplicate-keys", answer(b'{"numberMatched": 1, "numberMatched": 5}'), ("written",), 0, 5),
    # -- status and Retry-After ---------------------------------------------------------------------
    ServerCase("status-404", fixed(response("404 Not Found")), ("HTTP 404 Not Found",)),
    ServerCase("status-500", fixed(response("500 Internal Server Error")), ("HTTP 500", "gave up after 2 tries")),
    ServerCase("status-999", fixed(response("999 Whatever")), ("HTTP 999",)),
    ServerCase("status-204-no-body", fixed(response("204 No Content")), ("malformed JSON",)),
    ServerCase("retry-after-superscript", fixed(response("429 Too Many", [("Retry-After", "²")])), ("HTTP 429", "gave up after 2 tries")),
    ServerCase("retry-after-arabic-digit", fixed(response("503 Busy", [("Retry-After", "٣")])), ("HTTP 503", "gave up")),
    ServerCase("retry-after-a-day", fixed(response("429 Slow down", [("Retry-After", "86400")])), ("asks to wait 86400 s, over the 120 s",)),
    ServerCase("retry-after-huge", fixed(response("429 Slow down", [("Retry-After", "9" * 400)])), ("more than 30 years",)),
    ServerCase("retry-after-negative", fixed(response("503 Busy", [("Retry-After", "-5")])), ("HTTP 503", "gave up")),
    ServerCase("retry-after-year-9999", fixed(response("503 Busy", [("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")])), ("asks to wait",)),
    ServerCase("retry-after-bad-date", fixed(response("503 Busy", [("Retry-After", "Sun, 99 Foo 2026 99:99:99 GMT")])), ("HTTP 503", "gave up")),
    ServerCase("retry-after-past-date", fixed(response("503 Busy", [("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT")])), ("HTTP 503", "gave up")),
    # -- what the server says reaches the terminal only escaped -----------------------------------
    ServerCase("reason-clears-screen", fixed(response(f"404 {ESC}[2J{ESC}[H")), ("HTTP 404 \\x1b[2J\\x1b[H",)),
    ServerCase("reason-forges-a-line", fixed(response("500 \rAll lookups succeeded")), ("Oslo / hub",)),
    ServerCase("reason-bidi", fixed(response("404 \u202eyeknom")), ("HTTP 404",)),
    ServerCase("reason-huge", fixed(response("404 " + "x" * 20_000)), ("HTTP 404 xxx",)),
    ServerCase("content-type-clipboard", fixed(response(headers=[("Content-Type", f"{ESC}]52;c;ZXZpbA==\x07")], body=b"<")), ("malformed JSON", "\\x1b]52")),
    ServerCase("content-type-escape", fixed(response(headers=[("Content-Type", f"text/html{ESC}[31m")], body=b"<")), ("malformed JSON", "\\x1b[31m")),
    # -- redirects ----------------------------------------------------------------------------------
    ServerCase("redirect-port-99999", redirect("http://127.0.0.1:99999/x"), ("not followed",)),
    ServerCase("redirect-bad-idna", redirect("http://xn--/x"), ("redirects to an invalid address", "Malformed A-label")),
    ServerCase("redirect-other-port", redirect("http://127.0.0.1:9/items"), ("moved to http://127.0.0.1:9/items (another host or port)", "not followed")),
    ServerCase("redirect-other-host", redirect("http://catalogue.invalid/items"), ("moved to http://catalogue.invalid/items (another host or port)",)),
    ServerCase("redirect-file-scheme", redirect("file:///etc/passwd"), ("redirects to a file: address", "not followed")),
    ServerCase("redirect-loop", redirect("/items"), ("too many redirects",)),
    ServerCase("redirect-escape-in-location", redirect(f"/{ESC}[2J"), ("Oslo / hub",)),
    ServerCase("redirect-without-location", fixed(response("302 Found")), ("malformed JSON",)),
    # -- malformed HTTP ---------------------------------------------------------------------------
    ServerCase("not-http", fixed([b"HELLO THERE\r\n\r\n"]), ("cannot connect", "gave up")),
    ServerCase("closed-at-once", fixed([]), ("cannot connect", "gave up")),
    ServerCase("header-without-colon", fixed([b"HTTP/1.1 200 OK\r\nnot a header\r\n\r\n"]), ("cannot connect",)),
    ServerCase("header-of-a-megabyte", fixed([b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n"]), ("cannot connect",)),
    ServerCase("content-length-short", fixed([b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + GOOD]), ("cannot connect",)),
    ServerCase("content-length-twice", fixed([b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345"]), ("cannot connect",)),
    ServerCase("content-length-negative", fixed([b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"]), ("cannot connect",)),
    ServerCase("chunk-size-garbage", fixed([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]), ("cannot connect",)),
    ServerCase("status-line-escape", fixed([b"HTTP/1.1 200 \x1b[2J\r\nContent-Length: 0\r\n\r\n"]), ("Oslo / hub",)),
    # -- timing -------------------------------------------------------------------------------------
    ServerCase("never-answers", fixed([3.0]), ("no answer within 0.5 s",), args=QUICK),
    ServerCase("drips-a-byte-at-a-time", drip, ("no answer within 0.5 s",), args=QUICK),
    ServerCase("headers-then-silence", fixed([b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", 3.0]), ("no answer within 0.5 s",), args=QUICK),
]  # fmt: skip


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_answer_is_one_reported_failure(
    case: ServerCase, tmp_path: Path, hostile: HostileServer
) -> None:
    hostile.script = case.script
    data = tmp_path / "kommuner.yml"
    data.write_text(DATA.replace("URL", hostile.url()), encoding="utf-8")
    before = _files(tmp_path)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["refresh", str(data), *FAST, *case.args])
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == case.exit_code, output
    assert "Traceback" not in output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output[:3000]}"
    assert not [char for char in RAW if char in output], output[:3000]
    assert len(output) < 5_000, "the output is not cut short"
    assert seconds < SECONDS
    after = _files(tmp_path)
    if case.count is None:
        assert after == before, "the data file changed although the lookup failed"
        assert "1 lookup(s) failed" in output
    else:
        assert set(after) == set(before), "a file was left beside the data file"
        assert f"datasets: {case.count}" in data.read_text(encoding="utf-8")


def test_the_double_gzip_bomb_is_small_on_the_wire() -> None:
    """The issue's case: 3.5 KB that httpx alone decodes to 2 GB (the bound is proved by the
    subprocess measurement in test_hostile_cli)."""
    outer = zlib.decompressobj(zlib.MAX_WBITS | 16)
    inner = outer.decompress(double_bomb())
    second = zlib.decompressobj(zlib.MAX_WBITS | 16)
    assert len(double_bomb()) < 5_000 and len(inner) < 3_000_000
    assert len(second.decompress(inner, 10_000_000)) == 10_000_000  # and it goes on


def test_this_part_of_the_catalogue_is_large_enough() -> None:
    """The catalogue: site builds (test_hostile_catalogue, 90+), these answers (75+) and the
    command line (test_hostile_cli, 35+): 200 cases at least."""
    assert len(CASES) >= 75
    assert len({case.name for case in CASES}) == len(CASES)
