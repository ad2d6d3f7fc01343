"""Rates, waits and refusals of the HTTP layer, in virtual time (no test sleeps for real)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable

import httpx
import pytest

from mkdocs_kommune.refresh.http import Fetcher, FetchError, HttpSettings
from mkdocs_kommune.refresh.pacing import THROTTLE_PAUSE, Pace

FDK_HOST = "search.api.fellesdatakatalog.digdir.no"


class VirtualTime:
    """A clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[tuple[float, str]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def run(
    answer: Callable[[httpx.Request], httpx.Response],
    urls: list[str],
    settings: HttpSettings | None = None,
) -> tuple[VirtualTime, list[object], Fetcher]:
    time = VirtualTime()

    def transport(request: httpx.Request) -> httpx.Response:
        time.sent.append((time.now, str(request.url)))
        return answer(request)

    async def ask() -> tuple[list[object], Fetcher]:
        pace = Pace(clock=time.clock, sleep=time.sleep)
        chosen = settings or HttpSettings(concurrency=1, backoff=1.0)
        async with Fetcher(chosen, httpx.MockTransport(transport), pace) as fetcher:
            results: list[object] = []
            for url in urls:
                try:
                    results.append(await fetcher.json("GET", url))
                except FetchError as error:
                    results.append(str(error))
            return results, fetcher

    results, fetcher = asyncio.run(ask())
    return time, results, fetcher


def test_felles_datakatalog_is_asked_at_its_published_ten_a_minute() -> None:
    time, results, _ = run(lambda r: httpx.Response(200, json={}), [f"https://{FDK_HOST}/s"] * 4)
    starts = [t for t, _ in time.sent]
    assert starts == pytest.approx([0, 6, 12, 18])  # 10 a minute: one every 6 s
    assert results == [{}] * 4


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (429, "Too Many Requests", {}),  # as the published docs say, no Retry-After
        (503, "<html><center>nginx</center></html>", {"Content-Type": "text/html"}),  # as nginx
    ],
)
def test_a_refusal_without_retry_after_waits_at_least_the_hosts_interval(
    status: int, body: str, headers: dict[str, str]
) -> None:
    calls = iter([httpx.Response(status, text=body, headers=headers)])

    def answer(request: httpx.Request) -> httpx.Response:
        return next(calls, httpx.Response(200, json={"ok": 1}))

    time, results, fetcher = run(answer, [f"https://{FDK_HOST}/s"])
    assert results == [{"ok": 1}]
    assert len(fetcher.waits) == 1 and fetcher.waits[0] >= 6.0  # not the 1 s backoff
    assert time.sent[1][0] - time.sent[0][0] >= 6.0


def test_retry_after_is_honoured_and_backoff_grows() -> None:
    calls = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(500),
            httpx.Response(500),
        ]
    )

    def answer(request: httpx.Request) -> httpx.Response:
        return next(calls, httpx.Response(200, json={"n": 1}))

    settings = HttpSettings(concurrency=1, backoff=1.0, rate=100.0, attempts=4)
    _, results, fetcher = run(answer, ["https://portal.example/x"], settings)
    assert results == [{"n": 1}]
    assert fetcher.waits[0] == 7.0
    assert 2.0 <= fetcher.waits[1] <= 2.5 and 4.0 <= fetcher.waits[2] <= 4.5  # 1 s doubling


def test_an_exhausted_hub_throttle_leaves_the_site_alone_for_a_while() -> None:
    remaining = iter(["1", "0", "9"])

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"x-ratelimit-remaining-portal_search_throttler": next(remaining)}
        return httpx.Response(200, json={"numberMatched": 1}, headers=headers)

    settings = HttpSettings(concurrency=1, rate=100.0)
    time, _, _ = run(answer, ["https://hub.example/items"] * 3, settings)
    gaps = [b[0] - a[0] for a, b in zip(time.sent, time.sent[1:], strict=False)]
    assert gaps[0] == pytest.approx(0.01) and gaps[1] >= THROTTLE_PAUSE


def test_cloudflares_challenge_page_is_named() -> None:
    page = httpx.Response(
        403,
        text="<!DOCTYPE html><title>Just a moment...</title>",
        headers={"Content-Type": "text/html", "cf-mitigated": "challenge"},
    )
    _, results, _ = run(lambda r: page, ["https://hub.example/items"])
    assert results == [
        "HTTP 403: a Cloudflare challenge page (the site's firewall asks for a browser), "
        "not the catalogue's answer"
    ]


def test_a_redirect_to_another_host_says_where_it_moved() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://opencom.no/api/3/action/x?q=1"})

    _, results, _ = run(answer, ["https://open.stavanger.kommune.no/api/3/action/x?q=1"])
    assert results == [
        "moved to https://opencom.no/api/3/action/x (another host or port): not followed; "
        "update the source's `api.url`"
    ]


class ConcurrentVirtualTime:
    """Virtual time for many tasks at once: a sleeper wakes when the clock reaches its time, and
    the clock jumps to the earliest sleeper only once every task is waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), woken))
        await woken

    async def run(self, work: asyncio.Future[object]) -> None:
        while not work.done():
            for _ in range(100):  # let every runnable task reach its next wait
                await asyncio.sleep(0)
            if self._sleepers and not work.done():
                wake_at, _, woken = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake_at)
                woken.set_result(None)


def test_requests_to_one_host_keep_its_rate_with_many_at_once() -> None:
    """At 20 a second with 8 requests under way at once, the requests to one host leave 0.05 s
    apart; another host keeps its own clock. (Virtual time: a loaded machine cannot blur it.)"""
    time = ConcurrentVirtualTime()
    sent: dict[str, list[float]] = {"a.example": [], "b.example": []}

    def answer(request: httpx.Request) -> httpx.Response:
        sent[request.url.host].append(time.now)
        return httpx.Response(200, json={"numberMatched": 1})

    async def ask_many() -> None:
        settings = HttpSettings(rate=20, concurrency=8, attempts=1)
        pace = Pace(clock=time.clock, sleep=time.sleep)
        async with Fetcher(settings, httpx.MockTransport(answer), pace) as fetcher:
            urls = [f"http://{host}/items" for host in sent for _ in range(10)]
            work = asyncio.ensure_future(
                asyncio.gather(*(fetcher.json("GET", url) for url in urls))
            )
            await time.run(work)
            await work

    asyncio.run(ask_many())
    for times in sent.values():
        assert len(times) == 10
        gaps = [round(b - a, 9) for a, b in itertools.pairwise(times)]
        assert gaps == [0.05] * 9, gaps
    # b's first request waits for a free slot (8 at once), not behind a's ten on a's clock.
    assert sent["a.example"][0] == 0.0
    assert sent["b.example"][0] < 9 * 0.05
