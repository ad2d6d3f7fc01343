"""Options more than one command takes: the data file, the site's configuration, HTTP tuning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

FILE = click.Path(dir_okay=False, path_type=Path)


def config_option(function: Any) -> Any:
    return click.option(
        "--config",
        "-f",
        "config_file",
        type=FILE,
        default=None,
        help="The site's configuration, read for the kommune options' `data` when FILE is not "
        "given (default: ./zensical.toml, ./mkdocs.yml, ./mkdocs.yaml or ./properdocs.yml).",
    )(function)


def http_options(function: Any) -> Any:
    """The HTTP tuning `refresh` and `check-links` share."""
    for option in reversed(
        [
            click.option(
                "--timeout",
                type=click.FloatRange(min=0.01),
                default=20.0,
                show_default=True,
                help="Seconds to wait for each answer.",
            ),
            click.option(
                "--retries",
                type=click.IntRange(min=0),
                default=3,
                show_default=True,
                help="Tries after the first, on timeouts, 429 and 5xx.",
            ),
            click.option(
                "--backoff",
                type=click.FloatRange(min=0.0),
                default=1.0,
                show_default=True,
                help=(
                    "Seconds before the first retry; doubles each time. A 429's or 503's "
                    "Retry-After of up to 120 s is waited out instead; a longer one fails that "
                    "lookup. Without one, a 429 or 503 waits at least the host's interval."
                ),
            ),
            click.option(
                "--concurrency",
                type=click.IntRange(min=1, max=32),
                default=4,
                show_default=True,
                help="Requests in flight at once.",
            ),
            click.option(
                "--rate",
                type=click.FloatRange(min=0.01),
                default=None,
                help="Requests per second per host [default: as published: Felles datakatalog 10 a minute, 5 a second elsewhere].",
            ),
        ]
    ):
        function = option(function)
    return function
