"""Whether a published link still leads anywhere: one GET per distinct URL, redirects followed by
hand (so each hop is seen), with ``refresh``'s settings, rates, waits and user agent.

Statuses: ``ok`` (2xx), ``redirected`` (2xx after one or more redirects; ``location`` is where
it ended), ``gone`` (404 or 410, or a host name that no longer resolves), ``unreachable`` (the
host does not answer: refused, reset, TLS failure), ``timeout`` (no answer within the timeout),
``error`` (anything else: another 4xx/5xx, too many redirects, a Cloudflare challenge).
A host that cannot be connected to three times running is given up, as ``refresh`` does: its
other links are reported unreachable at once.
The body is never read: the status line and headers say it all.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ..safetext import plain
from . import pacing
from .hosts import CONNECTION_FAILURES, HostHealth
from .http import USER_AGENT, HttpSettings
from .http import _retry_after as retry_after
from .pacing import HostClocks, Pace

OK, REDIRECTED, GONE, UNREACHABLE, TIMEOUT, ERROR = (
    "ok",
    "redirected",
    "gone",
    "unreachable",
    "timeout",
    "error",
)
STATUSES = (OK, REDIRECTED, GONE, UNREACHABLE, TIMEOUT, ERROR)
BROKEN = frozenset({GONE, UNREACHABLE, TIMEOUT, ERROR})
MAX_HOPS = 5


@dataclass(frozen=True)
class Probe:
    """What became of one URL."""

    status: str
    reason: str = ""
    location: str | None = None  # where a redirect ended (or where a gone link was sent)
    http_status: int | None = None


class _Retry(Exception):
    def __init__(self, probe: Probe, retry_after: float | None, status: int | None) -> None:
        super().__init__(probe.reason)
        self.probe, self.retry_after, self.status = probe, retry_after, status


class LinkChecker:
    """Use as ``async with LinkChecker(settings) as checker: await checker.check_all(urls)``."""

    def __init__(
        self,
        settings: HttpSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        pace: Pace | None = None,
    ) -> None:
        self.settings = settings
        self.pace = pace or Pace()
        self.requests_sent = 0
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._clocks = HostClocks(settings.rate, self.pace)
        self.hosts = HostHealth()  # a host that cannot be connected to is given up, as refresh does
        self._client = httpx.AsyncClient(
            timeout=settings.timeout,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/json;q=0.9,*/*;q=0.8",
            },
            follow_redirects=False,
            transport=transport,
        )

    async def __aenter__(self) -> LinkChecker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()

    async def check_all(self, urls: Iterable[str]) -> dict[str, Probe]:
        """Each distinct URL checked once, the answers by URL."""
        distinct = list(dict.fromkeys(urls))
        probes = await asyncio.gather(*(self.check(url) for url in distinct))
        return dict(zip(distinct, probes, strict=True))

    async def check(self, url: str) -> Probe:
        attempt = 1
        while True:
            try:
                return await self._follow(url)
            except _Final as final:
                return final.probe
            except _Retry as retry:
                if attempt >= self.settings.attempts:
                    return retry.probe
                clock = self._clocks.of(url)
                wait = pacing.wait_before_retry(
                    retry.status, retry.retry_after, attempt, self.settings.backoff, clock.interval
                )
                if retry.retry_after is not None and wait > self.settings.max_retry_after:
                    return retry.probe
                if retry.status in pacing.SLOW_DOWN:
                    clock.hold(wait)
                attempt += 1
                await self.pace.sleep(wait)

    async def _follow(self, url: str) -> Probe:
        current = url
        for _ in range(MAX_HOPS + 1):
            response = await self._get(current)
            status = response.status_code
            if response.is_redirect and response.headers.get("Location"):
                try:
                    current = str(response.url.join(response.headers["Location"]))
                except (httpx.InvalidURL, ValueError):
                    shown = plain(response.headers["Location"], 100)
                    return Probe(ERROR, f"a redirect to an invalid address ({shown})", None, status)
                continue
            moved = current if current != url else None
            if 200 <= status < 300:
                return Probe(REDIRECTED if moved else OK, location=moved, http_status=status)
            reason = f"HTTP {status} {plain(response.reason_phrase, 100)}".strip()
            if status in (404, 410):
                return Probe(GONE, reason, moved, status)
            if pacing.cloudflare_challenge(status, response.headers):
                reason = "HTTP 403: a Cloudflare challenge page (the site asks for a browser)"
                return Probe(ERROR, reason, moved, status)
            probe = Probe(ERROR, reason, moved, status)
            if status in pacing.SLOW_DOWN or status >= 500:
                raise _Retry(probe, retry_after(response.headers.get("Retry-After")), status)
            return probe
        return Probe(ERROR, f"more than {MAX_HOPS} redirects", current)

    async def _get(self, url: str) -> httpx.Response:
        self._refuse_given_up(url)
        async with self._slots:
            self._refuse_given_up(url)
            await self._clocks.of(url).wait_turn()
            self.requests_sent += 1
            try:
                response = await asyncio.wait_for(self._head_of(url), self.settings.timeout)
            except CONNECTION_FAILURES as error:
                if _host_unknown(error):
                    host = plain(urlsplit(url).hostname or url)
                    raise _Final(Probe(GONE, f"host unknown: {host} does not resolve")) from None
                if (given_up := self.hosts.failed(url, error)) is not None:
                    raise _Final(Probe(UNREACHABLE, given_up)) from None
                reason = f"cannot connect: {plain(str(error) or type(error).__name__, 120)}"
                raise _Retry(Probe(UNREACHABLE, reason), None, None) from None
            except (httpx.TimeoutException, asyncio.TimeoutError):
                timeout = Probe(TIMEOUT, f"no answer within {self.settings.timeout:g} s")
                raise _Retry(timeout, None, None) from None
            except httpx.TransportError as error:
                reason = f"cannot connect: {plain(str(error) or type(error).__name__, 120)}"
                raise _Retry(Probe(UNREACHABLE, reason), None, None) from None
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as error:
                what = plain(str(error) or type(error).__name__, 100)
                raise _Final(Probe(ERROR, f"the answer cannot be read: {what}")) from None
        self.hosts.reached(url)
        return response

    def _refuse_given_up(self, url: str) -> None:
        """A host given up after repeated connection failures: its other links at once."""
        if (given_up := self.hosts.blocked(url)) is not None:
            raise _Final(Probe(UNREACHABLE, given_up))

    async def _head_of(self, url: str) -> httpx.Response:
        """The status line and headers; the body is left unread."""
        async with self._client.stream("GET", url) as response:
            return response


class _Final(_Retry):
    """A probe no retry can change (a host name that does not resolve)."""

    def __init__(self, probe: Probe) -> None:
        super().__init__(probe, None, None)


def _host_unknown(error: BaseException) -> bool:
    """A name resolution failure, somewhere in the chain httpx and httpcore wrap it in."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
