"""The ``mkdocs-kommune`` command line: each command is a thin wrapper around a module.

Commands import their module only when they run, so ``--help`` stays fast. Messages go to
stderr; machine-readable output (``--format json``) goes to stdout. Exit codes: 0 success,
1 bad input (an invalid file or arguments), 2 some lookups of ``refresh`` failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .common import EXIT_BAD_INPUT
from .options import FILE, config_option, http_options


class _BadUsage(click.UsageError):
    exit_code = EXIT_BAD_INPUT


class _Group(click.Group):
    """A group whose usage errors exit 1 ("bad input"), since 2 means "some lookups failed"."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except _BadUsage:
            raise
        except click.UsageError as error:
            raise _BadUsage(error.format_message(), error.ctx) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _BadUsage:
            raise
        except click.UsageError as error:
            raise _BadUsage(error.format_message(), error.ctx) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mkdocs-kommune")
def main() -> None:
    """Check, start and refresh the data file of the mkdocs-kommune plugin."""


@main.command()
@click.argument("file", type=FILE, required=False)
@config_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print the problems to stdout as a list of {file, line, entry, field, message}.",
)
def validate(file: Path | None, config_file: Path | None, output_format: str) -> None:
    """Check a data file and list every problem in it.

    FILE defaults to the `data` option of the kommune plugin in ./mkdocs.yml. Exits 1 when
    there are problems, 0 when the file is clean.

    \b
    Examples:
      mkdocs-kommune validate
      mkdocs-kommune validate data/kommuner.yml
      mkdocs-kommune validate --format json > problems.json
    """
    from .datafile import run_validate

    raise SystemExit(run_validate(file, config_file, output_format))


@main.command()
@click.argument("file", type=FILE, required=False)
@config_option
@click.option(
    "--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable)."
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="NAME",
    help="Only this municipality, by name or kommunenummer (repeatable).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the change as a diff to stdout; write nothing."
)
@click.option(
    "--no-history",
    is_flag=True,
    help="Do not add the counts to <data file stem>.history.csv beside the data file.",
)
@http_options
def refresh(
    file: Path | None,
    config_file: Path | None,
    sources: tuple[str, ...],
    municipalities: tuple[str, ...],
    dry_run: bool,
    no_history: bool,
    timeout: float,
    retries: int,
    backoff: float,
    concurrency: int,
    rate: float | None,
) -> None:
    """Ask the catalogues how many datasets each municipality has, and write the counts.

    Each cell it can count gets `datasets: N` and `checked: YYYY-MM-DD`; comments, order and
    formatting stay as they were, and the file is replaced atomically. A lookup that fails is
    reported and its cell left alone. Every count is also added to the history,
    <data file stem>.history.csv beside the data file (--no-history skips it). Exits 0
    when every lookup succeeded, 2 when some failed, 1 when the file or the arguments are
    wrong. Only this command and check-links use the network.

    \b
    Examples:
      mkdocs-kommune refresh --dry-run
      mkdocs-kommune refresh data/kommuner.yml --source geonorge
      mkdocs-kommune refresh --municipality Oslo --municipality 4601
    """
    from ..refresh.http import HttpSettings
    from .refresh import RefreshOptions, run_refresh

    settings = HttpSettings(
        timeout=timeout,
        attempts=retries + 1,
        backoff=backoff,
        concurrency=concurrency,
        rate=rate,
    )
    options = RefreshOptions(
        file, config_file, sources, municipalities, dry_run, settings, history=not no_history
    )
    raise SystemExit(run_refresh(options))


@main.command("check-links")
@click.argument("file", type=FILE, required=False)
@config_option
@click.option(
    "--source", "sources", multiple=True, metavar="ID", help="Only this source (repeatable)."
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="NAME",
    help="Only this municipality, by name or kommunenummer (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print every link checked to stdout as {url, status, municipality, source, ...}.",
)
@http_options
def check_links(
    file: Path | None,
    config_file: Path | None,
    sources: tuple[str, ...],
    municipalities: tuple[str, ...],
    output_format: str,
    timeout: float,
    retries: int,
    backoff: float,
    concurrency: int,
    rate: float | None,
) -> None:
    """Check that every link the table publishes still leads somewhere. Writes nothing.

    Each link (templates filled in, and the URLs given) is fetched once: ok, redirected (to
    where), gone (404/410, or a host that no longer resolves), unreachable, timeout or error.
    Exits 0 when none is broken (redirected is not broken), 2 when some are, 1 when the file
    or the arguments are wrong.

    \b
    Examples:
      mkdocs-kommune check-links
      mkdocs-kommune check-links data/kommuner.yml --source felles-datakatalog
      mkdocs-kommune check-links --format json > links.json
    """
    from ..refresh.http import HttpSettings
    from .checklinks import CheckLinksOptions, run_check_links

    settings = HttpSettings(
        timeout=timeout,
        attempts=retries + 1,
        backoff=backoff,
        concurrency=concurrency,
        rate=rate,
    )
    options = CheckLinksOptions(file, config_file, sources, municipalities, output_format, settings)
    raise SystemExit(run_check_links(options))


@main.command()
@click.argument("file", type=FILE, required=False)
@config_option
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--current",
    is_flag=True,
    help="Link today's Geonorge and data.norge.no pages instead of the 2018 ones.",
)
@click.option(
    "--locale",
    type=click.Choice(["en", "nb", "nn"]),
    default=None,
    help="The language of the source names and link texts written (the column headers) "
    "[default: the kommune plugin's `locale` in ./mkdocs.yml, else en].",
)
def init(
    file: Path | None, config_file: Path | None, force: bool, current: bool, locale: str | None
) -> None:
    """Write the bundled dataset as a starting data file.

    FILE defaults to the kommune plugin's `data` in ./mkdocs.yml, else data/kommuner.yml.
    An existing file is never overwritten without --force. The JSON Schema the file's header
    names (kommune-data.schema.json) is written beside it unless that file exists.

    \b
    Examples:
      mkdocs-kommune init
      mkdocs-kommune init --locale nb
      mkdocs-kommune init data/kommuner.yml --current
    """
    from .datafile import run_init

    raise SystemExit(run_init(file, config_file, force, current, locale))


@main.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--config",
    "-f",
    "config_file",
    type=FILE,
    default=None,
    help="The site's configuration (default: ./zensical.toml, else ./mkdocs.yml).",
)
def redirects(site_dir: Path, config_file: Path | None) -> None:
    """Write redirect stubs, redirects.json and the packaged CSS and script into a built site.

    For engines that run no MkDocs plugins (Zensical): run it after the build, with the same
    rules and refusals as the plugin. The options come from `plugins: kommune:` when mkdocs.yml
    enables the plugin, else from `extra: kommune:` ([project.extra.kommune]).

    \b
    Example:
      zensical build && mkdocs-kommune redirects site
    """
    from .site import run_redirects

    raise SystemExit(run_redirects(site_dir, config_file))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the data file, for editors (yaml-language-server) and CI."""
    from .site import run_schema

    raise SystemExit(run_schema())
