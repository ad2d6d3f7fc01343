"""The HTTP layer of ``refresh``: one client, bounded concurrency, per-host rate limits, retries.

Every request goes through ``Fetcher.json``: it waits for a free slot (at most ``concurrency``
requests in flight) and for its host's next turn (at most ``rate`` requests per second per
host), then retries with exponential backoff on timeouts, connection errors, 429 and 5xx.
A 429's ``Retry-After`` (seconds or an HTTP date) is honoured, through stamina's backoff hook.
Whatever still fails becomes a ``FetchError`` whose message says what happened, for the report.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import stamina

from .. import __version__
from ..safetext import short_repr
from .hosts import CONNECTION_FAILURES, HostHealth

# Felles datakatalog's search API allows 10 requests/s per client (nginx `limit-rps: '10'` in
# Informasjonsforvaltning/fdk-search-service deploy/prod/ingress.yaml). Other hosts publish no
# limit: stay polite.
HOST_RATES = {"search.api.fellesdatakatalog.digdir.no": 10.0}
DEFAULT_RATE = 5.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A count is a few hundred bytes; Felles datakatalog's answer for every municipality a few
# dozen KB. A bigger (or endless, or gzip-bomb) body is not a catalogue's answer: stop reading.
MAX_BODY = 8 * 1024 * 1024
USER_AGENT = f"mkdocs-kommune/{__version__} (refresh; +https://pypi.org/project/mkdocs-kommune/)"


@dataclass(frozen=True)
class HttpSettings:
    """What the user can tune; the tests shorten every wait."""

    timeout: float = 20.0  # seconds per attempt
    attempts: int = 4
    backoff: float = 1.0  # first wait between attempts, doubling up to 30 s
    concurrency: int = 4
    rate: float | None = None  # requests/s for every host; None: HOST_RATES or DEFAULT_RATE
    max_retry_after: float = 120.0  # a longer Retry-After fails the lookup instead of waiting


class FetchError(Exception):
    """A request that failed for good; ``str()`` is the reason shown in the report."""


class _Retryable(Exception):
    """An answer worth another try; ``retry_after`` is the server's wish, in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class _HostClock:
    """Spaces the requests to one host by at least ``interval`` seconds."""

    interval: float
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def wait_turn(self) -> None:
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        await asyncio.sleep(start - now)


class Fetcher:
    """Use as ``async with Fetcher(settings) as fetcher: await fetcher.json("GET", url, ...)``."""

    def __init__(self, settings: HttpSettings, transport: httpx.AsyncBaseTransport | None = None):
        self.settings = settings
        self.requests_sent = 0
        self.retries = 0
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._clocks: dict[str, _HostClock] = {}
        self.hosts = HostHealth()  # gives up a host that cannot be connected to
        self._client = httpx.AsyncClient(
            timeout=settings.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
            transport=transport,
            event_hooks={"response": [_refuse_redirect_elsewhere]},
        )
        self._retrying = stamina.AsyncRetryingCaller(
            attempts=settings.attempts,
            timeout=None,  # the attempts bound it; each attempt has its own timeout
            wait_initial=settings.backoff,
            wait_max=max(settings.backoff, 30.0),
            wait_jitter=settings.backoff / 2,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()

    async def json(self, method: str, url: str, *, params: Any = None, body: Any = None) -> Any:
        """The decoded JSON answer, or ``FetchError`` saying why there is none."""
        try:
            return await self._retrying(self._retry_hook, self._attempt, method, url, params, body)
        except _Retryable as error:
            tries = self.settings.attempts
            raise FetchError(f"{error} (gave up after {tries} tries)") from None

    def _retry_hook(self, error: Exception) -> bool | float:
        if not isinstance(error, _Retryable):
            return False
        self.retries += 1
        return error.retry_after if error.retry_after is not None else True

    async def _attempt(self, method: str, url: str, params: Any, body: Any) -> Any:
        self._refuse_given_up(url)  # before the slot and the host's turn: it costs no wait
        async with self._slots:
            self._refuse_given_up(url)
            await self._clock(url).wait_turn()
            self.requests_sent += 1
            try:
                # The whole attempt is bounded: httpx's timeout is per read, which a server
                # dripping a byte at a time never trips.
                response, content = await asyncio.wait_for(
                    self._request(method, url, params, body), self.settings.timeout
                )
            except CONNECTION_FAILURES as error:
                if (given_up := self.hosts.failed(url, error)) is not None:
                    raise FetchError(given_up) from None
                raise _Retryable(f"cannot connect: {error or type(error).__name__}") from None
            except (httpx.TimeoutException, asyncio.TimeoutError):
                raise _Retryable(f"no answer within {self.settings.timeout:g} s") from None
            except httpx.TransportError as error:
                raise _Retryable(f"cannot connect: {error or type(error).__name__}") from None
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except httpx.DecodingError:
                kind = "undecodable answer (its Content-Encoding does not match the body)"
                raise FetchError(kind) from None
        self.hosts.reached(url)
        return self._decode(response, content)

    def _refuse_given_up(self, url: str) -> None:
        if (given_up := self.hosts.blocked(url)) is not None:
            raise FetchError(given_up)

    async def _request(
        self, method: str, url: str, params: Any, body: Any
    ) -> tuple[httpx.Response, bytes | None]:
        """The response and its body, or None for a body over ``MAX_BODY`` (decoded bytes)."""
        async with self._client.stream(method, url, params=params, json=body) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BODY:
                    return response, None
                chunks.append(chunk)
            return response, b"".join(chunks)

    def _decode(self, response: httpx.Response, content: bytes | None) -> Any:
        status = response.status_code
        if status in RETRY_STATUSES:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.settings.max_retry_after:
                raise FetchError(f"HTTP {status}: the server asks to wait {retry_after:.0f} s")
            raise _Retryable(f"HTTP {status} {response.reason_phrase}".strip(), retry_after)
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
        if content is None:
            raise FetchError(f"the answer is over {MAX_BODY // 1024 // 1024} MB, not a count")
        try:
            return json.loads(content)
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise FetchError(f"malformed JSON in the answer ({kind})") from None

    def _clock(self, url: str) -> _HostClock:
        host = urlsplit(url).hostname or ""
        if host not in self._clocks:
            rate = self.settings.rate or HOST_RATES.get(host, DEFAULT_RATE)
            self._clocks[host] = _HostClock(1.0 / rate)
        return self._clocks[host]


async def _refuse_redirect_elsewhere(response: httpx.Response) -> None:
    """A redirect is followed only on the same host and never from https to http.

    A catalogue that sends the client to another host (an internal address, a plain-http
    mirror) would bypass that host's rate limit and put a stranger's number in the file.
    """
    if not response.is_redirect:
        return
    origin = response.request.url
    target = origin.join(response.headers.get("Location", ""))
    if target.host != origin.host or (origin.scheme == "https" and target.scheme != "https"):
        shown = short_repr(str(target))
        raise FetchError(
            f"the catalogue redirects to another host or to plain http ({shown}); not followed"
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
