"""A hostile catalogue on 127.0.0.1: it answers with whatever bytes a test gives, when it likes.

pytest-httpserver speaks correct HTTP; this one can send a malformed status line, a header no
parser accepts, a body that never ends, or one byte every second. A test gives ``script``: a
function of the request's path that returns the answer as parts, each ``bytes`` (sent as is) or
a ``float`` (seconds to wait before the next part). A ``Close`` part ends the connection early.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest

Part = bytes | float
Script = Callable[[str], Iterable[Part]]


@dataclass
class HostileServer:
    server: socketserver.ThreadingTCPServer
    script: Script = lambda path: [b"HTTP/1.1 204 No Content\r\n\r\n"]
    paths: list[str] = field(default_factory=list)  # every request's path, in order

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/items") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def response(
    status: str = "200 OK", headers: Iterable[tuple[str, str]] = (), body: bytes = b""
) -> list[Part]:
    """A well-formed answer's bytes, as one part (header values may still be hostile)."""
    lines = [f"HTTP/1.1 {status}".encode("utf-8", "surrogateescape")]
    names = {name.lower() for name, _ in headers}
    for name, value in headers:
        lines.append(f"{name}: {value}".encode("utf-8", "surrogateescape"))
    if "content-length" not in names and "transfer-encoding" not in names:
        lines.append(f"Content-Length: {len(body)}".encode())
    lines.append(b"Connection: close")
    return [b"\r\n".join(lines) + b"\r\n\r\n" + body]


def json_answer(body: bytes | str, *headers: tuple[str, str]) -> list[Part]:
    data = body.encode() if isinstance(body, str) else body
    return response(headers=[("Content-Type", "application/json"), *headers], body=data)


@functools.cache
def bomb(wbits: int, megabytes: int) -> bytes:
    """``megabytes`` of zeros compressed (gzip, zlib or raw deflate by ``wbits``), fast.

    After a full flush, deflate forgets what came before, so one compressed megabyte of zeros
    can be repeated instead of compressing them all. The trailer (CRC or Adler-32, size) is
    zeros: no reader that stops at the size cap gets that far.
    """
    engine = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * (1 << 20)
    first = engine.compress(block) + engine.flush(zlib.Z_FULL_FLUSH)
    repeated = engine.compress(block) + engine.flush(zlib.Z_FULL_FLUSH)
    tail = engine.flush()
    trailer = b"\0" * (8 if wbits > zlib.MAX_WBITS else 4 if wbits > 0 else 0)
    return first + repeated * (megabytes - 1) + tail[: len(tail) - len(trailer)] + trailer


@functools.cache
def double_bomb() -> bytes:
    """Two levels of gzip over 2 GB of zeros: about 5 KB on the wire (the issue's case)."""
    return gzip.compress(bomb(zlib.MAX_WBITS | 16, 2048), 9)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        owner: HostileServer = self.server.owner  # type: ignore[attr-defined]
        connection: socket.socket = self.request
        connection.settimeout(5)
        path = _read_request(connection)
        if path is None:
            return
        owner.paths.append(path)
        with contextlib.suppress(OSError):
            for part in owner.script(path):
                if isinstance(part, float):
                    time.sleep(part)
                else:
                    connection.sendall(part)


def _read_request(connection: socket.socket) -> str | None:
    """The request's path; its headers and body are read and dropped."""
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = connection.recv(4096)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = connection.recv(4096)
            if not chunk:
                break
            body += chunk
        return head.split(b" ")[1].decode("latin-1")
    return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(name="hostile", scope="module")
def hostile_fixture() -> Iterator[HostileServer]:
    """One server for a test module; each test sets its own ``script``."""
    server = _Server(("127.0.0.1", 0), _Handler)
    owner = HostileServer(server)
    server.owner = owner  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield owner
    finally:
        server.shutdown()
        server.server_close()
