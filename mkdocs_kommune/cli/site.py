"""What ``redirects`` and ``schema`` do, as plain functions returning an exit code."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from ..redirects.aliases import RedirectError
from ..redirects.site import write_assets, write_redirects
from ..safetext import for_terminal
from ..settings import SettingsError, read_settings
from .common import EXIT_BAD_INPUT, EXIT_OK, site_config


def run_redirects(site_dir: Path, config_file: Path | None) -> int:
    """Finish a site an engine without plugins built: stubs, redirects.json, stylesheet, script."""
    try:
        settings = read_settings(site_config(config_file))
        # Stubs first: a refusal then leaves the site as it was, packaged files included.
        redirects = write_redirects(settings, site_dir)
        assets = write_assets(settings, site_dir)
    except SettingsError as error:
        click.echo(f"Error: {error}", err=True)
        return EXIT_BAD_INPUT
    except RedirectError as error:
        click.echo(f"Error: refused redirects:\n{error}", err=True)
        return EXIT_BAD_INPUT
    except OSError as error:
        click.echo(
            f"Error: {for_terminal(str(error.filename))}: cannot be written ({error.strerror})",
            err=True,
        )
        return EXIT_BAD_INPUT
    click.echo(
        f"Wrote {len(redirects)} redirect stub(s) and {len(assets)} packaged file(s) into "
        f"{for_terminal(str(site_dir))}",
        err=True,
    )
    return EXIT_OK


def schema_text() -> str:
    return (resources.files("mkdocs_kommune") / "schema" / "kommune-data.schema.json").read_text(
        encoding="utf-8"
    )


def run_schema() -> int:
    sys.stdout.write(schema_text())
    return EXIT_OK
