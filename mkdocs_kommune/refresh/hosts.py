"""Which catalogue hosts ``refresh`` can still reach.

With no network, every lookup would fail its name lookup or connection again and again, each
after its retries: minutes of waiting and one identical line per cell. A host that failed to
connect ``GIVE_UP_AFTER`` times with no success between is given up: its remaining lookups fail
at once with one reason, which the report then prints once for all of them. ``Fetcher`` asks
``blocked`` before each attempt and tells ``failed``/``reached`` what came of it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ..safetext import plain

# Three: one failure can be a blip, and with the default 4 requests in flight the first
# round of failures tells the story before the retries start.
GIVE_UP_AFTER = 3
# A connection that could not be made at all: no name lookup, refused, no route, no answer to
# the connection attempt. A timeout once connected or an HTTP error says the host is there.
CONNECTION_FAILURES = (httpx.ConnectError, httpx.ConnectTimeout)


def given_up_reason(host: str, cause: str) -> str:
    """The one reason every lookup of a given-up host shows (the report groups them by it)."""
    return f"{plain(host)} cannot be reached ({plain(cause)}); its lookups were not made"


@dataclass
class HostHealth:
    """Counts connection failures per host; ``blocked`` names a host that was given up."""

    give_up_after: int = GIVE_UP_AFTER
    _failures: dict[str, int] = field(default_factory=dict)
    _given_up: dict[str, str] = field(default_factory=dict)  # host -> reason

    def blocked(self, url: str) -> str | None:
        """The reason the host of ``url`` was given up, or None while it is tried."""
        return self._given_up.get(_host(url))

    def reached(self, url: str) -> None:
        self._failures.pop(_host(url), None)

    def failed(self, url: str, error: Exception) -> str | None:
        """Count a connection failure; the give-up reason when it was one too many."""
        host = _host(url)
        self._failures[host] = self._failures.get(host, 0) + 1
        if self._failures[host] >= self.give_up_after:
            cause = _cause(error)
            return self._given_up.setdefault(host, given_up_reason(host, cause))
        return None

    @property
    def given_up(self) -> dict[str, str]:
        return dict(self._given_up)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _cause(error: BaseException) -> str:
    """What the system said, from the innermost error: httpx says "All connection attempts
    failed" over a refused connection, whose errno says which."""
    found = str(error) or type(error).__name__
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, socket.gaierror) and link.strerror:
            found = link.strerror  # "Name or service not known"
        elif isinstance(link, OSError) and link.errno and link.errno > 0:
            found = os.strerror(link.errno)  # "Connection refused"
        link = link.__cause__ or link.__context__
    return found
