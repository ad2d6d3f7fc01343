"""Property tests of the answer parser and the body reader: any JSON, any bytes, any headers give
a count or a reported failure (``LookupFailed`` / ``FetchError``), never another exception."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_kommune.refresh.answers import MAX_DEPTH, BadAnswer, nests_within, parse_json
from mkdocs_kommune.refresh.body import BodyRefused, read_body
from mkdocs_kommune.refresh.catalogues import (
    ARCGIS_HUB,
    CKAN,
    FELLES_DATAKATALOG,
    GEONORGE,
    Catalogues,
    LookupFailed,
    Target,
)
from mkdocs_kommune.refresh.http import Fetcher, FetchError, HttpSettings

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "NumFound",
                    "Facets",
                    "page",
                    "totalElements",
                    "aggregations",
                    "orgPath",
                    "key",
                    "count",
                    "success",
                    "result",
                    "numberMatched",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)
COUNT = st.integers(min_value=-5, max_value=10**8) | JSON
# Answers in each catalogue's shape with any values, so the counting paths run too.
SHAPED = (
    st.fixed_dictionaries({"numberMatched": COUNT})
    | st.fixed_dictionaries({"NumFound": COUNT, "Facets": st.lists(JSON, max_size=2)})
    | st.fixed_dictionaries(
        {"success": st.booleans(), "result": st.fixed_dictionaries({"count": COUNT})}
    )
    | st.fixed_dictionaries(
        {
            "page": st.fixed_dictionaries({"totalElements": COUNT}),
            "aggregations": st.fixed_dictionaries(
                {
                    "orgPath": st.lists(
                        st.fixed_dictionaries(
                            {
                                "key": st.sampled_from(["/KOMMUNE", "/KOMMUNE/958935420", 5]),
                                "count": COUNT,
                            }
                        ),
                        max_size=3,
                    )
                }
            ),
        }
    )
)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=40)
ENCODINGS = st.sampled_from(
    ["", "gzip", "deflate", "gzip, gzip", "br", "identity", "x-gzip, identity"]
)
KINDS = st.sampled_from([GEONORGE, FELLES_DATAKATALOG, CKAN, ARCGIS_HUB])
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_parse_or_are_refused(body: bytes) -> None:
    try:
        parse_json(body, "application/json")
    except BadAnswer as error:
        assert str(error)


@EXAMPLES
@given(st.integers(min_value=0, max_value=80), st.sampled_from("[{"))
def test_depth_is_found_without_parsing(depth: int, bracket: str) -> None:
    closing = "]" if bracket == "[" else "}"
    body = (bracket if bracket == "[" else '{"a":') * depth + "1" + closing * depth
    assert nests_within(body.encode()) == (depth <= MAX_DEPTH)
    if depth > MAX_DEPTH:
        with pytest.raises(BadAnswer, match="nests deeper"):
            parse_json(body.encode())


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding.startswith("gzip"):
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    return data


@EXAMPLES
@given(
    st.binary(max_size=2000), ENCODINGS, st.integers(1, 700), st.integers(0, 3000), st.booleans()
)
def test_the_body_reader_decodes_or_refuses(
    data: bytes, encoding: str, chunk: int, limit: int, garble: bool
) -> None:
    wire = _encode(data, encoding)
    if garble:
        wire = wire[: len(wire) // 2] + b"\x00" + wire[len(wire) // 2 :]
    try:
        body = asyncio.run(read_body(_chunks(wire, chunk), encoding or None, limit))
    except BodyRefused as error:
        assert str(error)
        return
    if body is not None:
        assert len(body) <= limit
        if not garble and encoding in ("", "gzip", "deflate", "identity"):
            assert body == data


class _Stream(httpx.AsyncByteStream):
    """A body httpx has not read yet, so refresh reads it raw, as from a socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data


@EXAMPLES
@given(
    KINDS,
    JSON | SHAPED,
    st.integers(min_value=100, max_value=599) | st.just(200),
    ENCODINGS,
    st.dictionaries(st.sampled_from(["Retry-After", "Location", "Content-Type", "X-Any"]), HEADER_TEXT, max_size=3),
)  # fmt: skip
def test_any_answer_is_a_count_or_a_reported_failure(
    kind: str, answer: Any, status: int, encoding: str, headers: dict[str, str]
) -> None:
    body = _encode(json.dumps(answer).encode(), encoding)

    def respond(request: httpx.Request) -> httpx.Response:
        sent = {**headers, "Content-Encoding": encoding} if encoding else headers
        return httpx.Response(status, headers=sent, stream=_Stream(body))

    async def ask() -> int:
        settings = HttpSettings(timeout=2, attempts=1, backoff=0, rate=10_000, max_retry_after=0)
        async with Fetcher(settings, transport=httpx.MockTransport(respond)) as fetcher:
            target = Target(kind, "http://catalogue.test/api", "958935420")
            return await Catalogues(fetcher).count(target)

    try:
        count = asyncio.run(ask())
    except (LookupFailed, FetchError) as error:
        assert str(error) and "\x1b" not in str(error)
        return
    assert isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= 10_000_000
