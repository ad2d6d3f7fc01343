"""The HTTP layer of ``refresh``: one client, bounded concurrency, per-host rate limits, retries.

Every request goes through ``Fetcher.json``: it waits for a free slot (at most ``concurrency``
requests in flight) and for its host's next turn (the rates in ``pacing``), then retries with
exponential backoff on timeouts, connection errors, 429 and 5xx. A ``Retry-After`` (seconds or
an HTTP date) is honoured; a 429 or 503 without one waits at least the host's interval.
Whatever still fails becomes a ``FetchError`` whose message says what happened, for the report.
The body is read by ``body.read_body`` (decoded size capped as it decodes) and parsed by
``answers.parse_json`` (depth, size and types bounded); nothing a server sends raises anything
but ``FetchError`` from here.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from .. import __version__
from ..safetext import plain, short_repr
from . import pacing
from .answers import BadAnswer, parse_json
from .body import ACCEPTED_ENCODINGS, BodyRefused, read_body
from .hosts import CONNECTION_FAILURES, HostHealth
from .pacing import HostClocks, Pace

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A count is a few hundred bytes; Felles datakatalog's answer for every municipality a few
# dozen KB. A bigger (or endless, or gzip-bomb) body is not a catalogue's answer: stop reading.
MAX_BODY = 8 * 1024 * 1024
USER_AGENT = f"mkdocs-kommune/{__version__} (refresh; +https://pypi.org/project/mkdocs-kommune/)"
# How long a 429's or 503's Retry-After is waited out; a longer wish fails the lookup (--help says so).
MAX_RETRY_AFTER = 120.0
_DELTA_SECONDS = re.compile(r"[0-9]{1,9}", re.ASCII)  # "²" and "٣" are digits to str.isdigit


@dataclass(frozen=True)
class HttpSettings:
    """What the user can tune; the tests shorten every wait."""

    timeout: float = 20.0  # seconds per attempt
    attempts: int = 4
    backoff: float = 1.0  # first wait between attempts, doubling up to 30 s
    concurrency: int = 4
    rate: float | None = None  # requests/s for every host; None: pacing.HOST_RATES or DEFAULT_RATE
    max_retry_after: float = MAX_RETRY_AFTER  # a longer Retry-After fails the lookup


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
        self._clocks = HostClocks(settings.rate, self.pace)
        self.hosts = HostHealth()  # gives up a host that cannot be connected to
        self._client = httpx.AsyncClient(
            timeout=settings.timeout,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPTED_ENCODINGS,  # what body.read_body decodes
            },
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
                clock = self._clocks.of(url)
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
            await self._clocks.of(url).wait_turn()
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
                reason = plain(str(error) or type(error).__name__, 100)
                raise _Retryable(f"cannot connect: {reason}") from None
            except (httpx.TimeoutException, asyncio.TimeoutError):
                raise _Retryable(f"no answer within {self.settings.timeout:g} s") from None
            except httpx.TransportError as error:
                reason = plain(str(error) or type(error).__name__, 100)
                raise _Retryable(f"cannot connect: {reason}") from None
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except BodyRefused as error:
                raise FetchError(str(error)) from None
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
                # A malformed header or redirect target (a port over 65535, an invalid IDNA
                # host) is this lookup's failure, never the end of the run.
                what = plain(str(error) or type(error).__name__, 100)
                raise FetchError(f"the server's answer cannot be read: {what}") from None
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
            if response.status_code in RETRY_STATUSES or response.status_code >= 400:
                return response, b""  # the status says it all; the body is not read
            if response.is_stream_consumed:  # a response made in memory (tests' MockTransport)
                return response, await read_body(_one(response.content), None, MAX_BODY)
            encoding = response.headers.get("Content-Encoding")
            return response, await read_body(response.aiter_raw(), encoding, MAX_BODY)

    def _decode(self, response: httpx.Response, content: bytes | None) -> Any:
        status = response.status_code
        phrase = _phrase(response)
        if pause := pacing.throttle_pause(response.headers):
            self._clocks.of(str(response.url)).hold(pause)
        if status in RETRY_STATUSES:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.settings.max_retry_after:
                raise FetchError(
                    f"HTTP {status}: the server asks to wait {_seconds(retry_after)}, over the "
                    f"{self.settings.max_retry_after:.0f} s refresh waits"
                )
            raise _Retryable(f"HTTP {status} {phrase}".strip(), retry_after, status)
        if pacing.cloudflare_challenge(status, response.headers):
            raise FetchError(
                "HTTP 403: a Cloudflare challenge page (the site's firewall asks for a browser), "
                "not the catalogue's answer"
            )
        if status >= 400:
            raise FetchError(f"HTTP {status} {phrase}".strip())
        if content is None:
            raise FetchError(f"the answer is over {MAX_BODY // 1024 // 1024} MB, not a count")
        try:
            return parse_json(content, response.headers.get("Content-Type"))
        except BadAnswer as error:
            raise FetchError(str(error)) from None


async def _one(content: bytes) -> AsyncIterator[bytes]:
    yield content


def _phrase(response: httpx.Response) -> str:
    """The reason phrase, escaped and cut short: it is the server's text, not ours."""
    try:
        phrase = response.reason_phrase
    except (UnicodeDecodeError, ValueError):
        return ""
    return plain(phrase, 100)


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value < 10**9 else "more than 30 years"


async def _refuse_redirect_elsewhere(response: httpx.Response) -> None:
    """A redirect is followed only to the same host and port, and never from https to http.

    A catalogue that sends the client to another host or port (an internal address, another
    service on the same machine, a plain-http mirror) would bypass that host's rate limit and
    put a stranger's number in the file. A target that is not a URL at all (a port over 65535,
    an invalid IDNA name) is refused here too, before httpx tries to follow it.
    """
    if not response.is_redirect:
        return
    origin = response.request.url
    location = response.headers.get("Location", "")
    shown = short_repr(location)
    try:
        target = origin.join(location)
        same_place = target.host == origin.host and target.port == origin.port
    except (httpx.InvalidURL, ValueError) as error:  # idna's errors are ValueErrors
        raise FetchError(
            f"the catalogue redirects to an invalid address ({shown}): {plain(error, 100)}"
        ) from None
    if target.scheme not in ("http", "https"):
        raise FetchError(
            f"the catalogue redirects to a {plain(target.scheme, 20)}: address ({shown}); not followed"
        )
    if not same_place:
        # A portal that moved (Stavanger's CKAN, a Hub site on its own domain): say where to,
        # in full but for the query, so the author can copy it into `api.url`.
        where = plain(str(target.copy_with(query=None, fragment=None)), limit=200)
        raise FetchError(
            f"moved to {where} (another host or port): not followed; update the source's `api.url`"
        )
    if origin.scheme == "https" and target.scheme != "https":
        raise FetchError(f"the catalogue redirects to plain http ({shown}); not followed")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Anything else (a negative number, "²", a date that does not exist) is as if there were
    none: the backoff decides.
    """
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    if value.isdigit() or len(value) > 64:  # a huge number or a wall of text: wait the longest
        return float("inf") if value.isascii() and value.isdigit() else None
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, OverflowError, IndexError, OSError):
        return None
