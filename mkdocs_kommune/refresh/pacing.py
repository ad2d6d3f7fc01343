"""How fast each host is asked, how long to wait when it says "slow down", and what its refusals
mean. The clock and the sleep are passed in, so the tests wait in virtual time.

Rates as published:
- Felles datakatalog: "10 requests per minute", "burst limit of 20 requests", "HTTP 429"
  (Informasjonsforvaltning/fdk-frontend @ 02d9160f3333ad68dfc7bbe402d82243288a235c,
  apps/data-norge/public/content/technical/api/search/search.en.mdx, added in ebf564e5, 2025-11).
  Its deploy configuration says 10 a second (fdk-search-service deploy/prod/ingress.yaml,
  `limit-rps: '10'`), where ingress-nginx refuses with 503 and no Retry-After; the published
  figure is the one a client is held to, and the national answer needs one request anyway.
- ArcGIS Hub sends `x-ratelimit-limit-portal_search_throttler: 10` and
  `x-ratelimit-remaining-portal_search_throttler` (seen in recorded answers; the window is not
  published): at 0 remaining the host is left alone for ``THROTTLE_PAUSE`` seconds.
- Others publish nothing: a polite ``DEFAULT_RATE``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HOST_RATES = {"search.api.fellesdatakatalog.digdir.no": 10 / 60}
DEFAULT_RATE = 5.0
THROTTLE_PAUSE = 1.0
MAX_BACKOFF = 30.0
SLOW_DOWN = frozenset({429, 503})

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Pace:
    """The clock and sleep every wait goes through (real ones unless a test passes its own)."""

    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep


@dataclass
class HostClock:
    """Spaces the requests to one host by at least ``interval`` seconds; ``hold`` keeps every
    request to it back for a while (after a 429/503 or an exhausted throttle)."""

    interval: float
    pace: Pace
    next_start: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def wait_turn(self) -> None:
        async with self.lock:
            now = self.pace.clock()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        if start > now:
            await self.pace.sleep(start - now)

    def hold(self, seconds: float) -> None:
        self.next_start = max(self.next_start, self.pace.clock() + seconds)


class HostClocks:
    """One ``HostClock`` per host, each at the host's rate (``override``: one rate for all)."""

    def __init__(self, override: float | None, pace: Pace) -> None:
        self.override, self.pace = override, pace
        self._clocks: dict[str, HostClock] = {}

    def of(self, url: str) -> HostClock:
        host = urlsplit(url).hostname or ""
        if host not in self._clocks:
            self._clocks[host] = HostClock(1.0 / host_rate(host, self.override), self.pace)
        return self._clocks[host]


def host_rate(host: str, override: float | None) -> float:
    return override or HOST_RATES.get(host, DEFAULT_RATE)


def backoff(attempt: int, first: float) -> float:
    """Exponential backoff with jitter: ``first`` doubling per attempt (from 1), up to 30 s."""
    wait: float = min(first * 2 ** (attempt - 1), max(first, MAX_BACKOFF))
    return wait + random.uniform(0, first / 2)


def wait_before_retry(
    status: int | None, retry_after: float | None, attempt: int, first: float, interval: float
) -> float:
    """The wait before the next try: the server's Retry-After when it gave one; after a 429 or
    503 without one (FDK's nginx and Hub's throttler send none), the backoff but never less
    than the host's own interval, so a host held to 10 a minute gets its 6 s back."""
    if retry_after is not None:
        return retry_after
    wait = backoff(attempt, first)
    return max(wait, interval) if status in SLOW_DOWN else wait


def throttle_pause(headers: Mapping[str, str]) -> float:
    """Seconds to leave a host alone after this answer: an `x-ratelimit-remaining*` of 0."""
    for name, value in headers.items():
        if name.lower().startswith("x-ratelimit-remaining") and value.strip() == "0":
            return THROTTLE_PAUSE
    return 0.0


def cloudflare_challenge(status: int, headers: Mapping[str, str]) -> bool:
    """Cloudflare's 403 "checking your browser" page (`cf-mitigated: challenge`, or a 403 HTML
    page from a server that says cloudflare): a refusal of scripts, not an error of the site."""
    if status != 403:
        return False
    lowered = {name.lower(): value.lower() for name, value in headers.items()}
    if lowered.get("cf-mitigated") == "challenge":
        return True
    html = lowered.get("content-type", "").startswith("text/html")
    return html and "cloudflare" in lowered.get("server", "")
