"""How far ``refresh`` has got: click's bar on a terminal, a plain line now and then in a log.

A CI log (stderr piped or a file) would otherwise show nothing for minutes and then everything
at once; a bar's carriage-return frames would fill it with noise.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import click

# At most one line per this many seconds: enough to see a run is alive, few enough to read.
PIPED_INTERVAL = 10.0


class Progress(Protocol):
    def update(self, n_steps: int) -> None: ...


@contextlib.contextmanager
def progress_for(length: int) -> Iterator[Progress]:
    """The bar on a terminal; otherwise a ``PipedProgress`` writing to stderr."""
    if length == 0:
        yield PipedProgress(0)
        return
    if not sys.stderr.isatty():
        yield PipedProgress(length)
        return
    bar: Any = click.progressbar(length=length, label="Asking the catalogues", file=sys.stderr)
    with bar:
        yield bar


class PipedProgress:
    """ "Asking the catalogues: 120 of 714 lookups done (10 s)", at most every ``interval`` s."""

    def __init__(
        self,
        total: int,
        interval: float = PIPED_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.total = total
        self.done = 0
        self._interval = interval
        self._clock = clock
        self._echo = echo or (lambda line: click.echo(line, err=True))
        self._start = self._last = clock()

    def update(self, n_steps: int) -> None:
        self.done += n_steps
        now = self._clock()
        # The last lookup needs no line: the report follows at once.
        if now - self._last >= self._interval and self.done < self.total:
            self._last = now
            self._echo(
                f"Asking the catalogues: {self.done} of {self.total} lookups done "
                f"({now - self._start:.0f} s)"
            )
