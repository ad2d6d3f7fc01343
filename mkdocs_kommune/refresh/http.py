"""The HTTP layer of ``refresh``: one client, bounded concurrency, per-host rate limits, retries.

Every request goes through ``Fetcher.json``: it waits for a free slot (at most ``concurrency``
requests in flight) and for its host's next turn (the rates in ``pacing``), then retries with
exponential backoff on timeouts, connection errors, 429 and 5xx. A ``Retry-After`` (seconds or
an HTTP date) is honoured; a 429 or 503 without one waits at least the host's interval.
Whatever still fails becomes a ``FetchError`` whose message says what happened, for the report.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..safetext import plain, short_repr
from . import pacing
from .hosts import CONNECTION_FAILURES, HostHealth
from .pacing import HostClock, Pace

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
    rate: float | None = None  # requests/s for every host; None: pacing.HOST_RATES or DEFAULT_RATE
    max_retry_after: float = 120.0  # a longer Retry-After fails the lookup instead of waiting


class FetchError(Exception):
    """A request that failed for good; ``str()`` is the reason shown in the report."""


class _Retryable(Exception):
    """An answer worth another try; ``retry_after`` is the server's wish, in seconds."""

    def __init__(
        self, reason: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.status = status


class Fetcher:
    """Use as ``async with Fetcher(settings) as fetcher: await fetcher.json("GET", url, ...)``."""

    def __init__(
        self,
        settings: HttpSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        pace: Pace | None = None,
    ):
        self.settings = settings
        self.requests_sent = 0
        self.retries = 0
        self.waits: list[float] = []  # each wait before a retry, in seconds
        self.pace = pace or Pace()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._clocks: dict[str, HostClock] = {}
        self.hosts = HostHealth()  # gives up a host that cannot be connected to
        self._client = httpx.AsyncClient(
            timeout=settings.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
            transport=transport,
            event_hooks={"response": [_refuse_redirect_elsewhere]},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()

    async def json(self, method: str, url: str, *, params: Any = None, body: Any = None) -> Any:
        """The decoded JSON answer, or ``FetchError`` saying why there is none."""
        attempt = 1
        while True:
            try:
                return await self._attempt(method, url, params, body)
            except _Retryable as error:
                if attempt >= self.settings.attempts:
                    tries = self.settings.attempts
                    raise FetchError(f"{error} (gave up after {tries} tries)") from None
                clock = self._clock(url)
                wait = pacing.wait_before_retry(
                    error.status, error.retry_after, attempt, self.settings.backoff, clock.interval
                )
                if error.status in pacing.SLOW_DOWN:
                    clock.hold(wait)  # the host asked everyone to slow down, not one request
                self.retries += 1
                self.waits.append(wait)
                attempt += 1
                await self.pace.sleep(wait)

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
        if pause := pacing.throttle_pause(response.headers):
            self._clock(str(response.url)).hold(pause)
        if status in RETRY_STATUSES:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.settings.max_retry_after:
                raise FetchError(f"HTTP {status}: the server asks to wait {retry_after:.0f} s")
            reason = f"HTTP {status} {response.reason_phrase}".strip()
            raise _Retryable(reason, retry_after, status)
        if pacing.cloudflare_challenge(status, response.headers):
            raise FetchError(
                "HTTP 403: a Cloudflare challenge page (the site's firewall asks for a browser), "
                "not the catalogue's answer"
            )
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
        if content is None:
            raise FetchError(f"the answer is over {MAX_BODY // 1024 // 1024} MB, not a count")
        try:
            return json.loads(content)
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise FetchError(f"malformed JSON in the answer ({kind})") from None

    def _clock(self, url: str) -> HostClock:
        host = urlsplit(url).hostname or ""
        if host not in self._clocks:
            rate = pacing.host_rate(host, self.settings.rate)
            self._clocks[host] = HostClock(1.0 / rate, self.pace)
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
    shown = short_repr(str(target))
    if target.host != origin.host:
        # A portal that moved (Stavanger's CKAN, a Hub site on its own domain): say where to,
        # in full but for the query, so the author can copy it into `api.url`.
        where = plain(str(target.copy_with(query=None, fragment=None)), limit=200)
        raise FetchError(f"moved to {where}: not followed; update the source's `api.url`")
    if origin.scheme == "https" and target.scheme != "https":
        raise FetchError(f"the catalogue redirects to plain http ({shown}); not followed")


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
