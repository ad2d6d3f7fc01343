"""What the ``validate`` and ``init`` commands do, as plain functions returning an exit code.

``cli`` only declares the options; the tests call these functions or the real command line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from .data import DataError, load_dataset
from .siteconfig import SiteConfigError, read_options

EXIT_OK = 0
EXIT_BAD_INPUT = 1


@dataclass(frozen=True)
class Target:
    """The data file a command works on, and the register the site applies to it."""

    path: Path | None  # None: the site uses the bundled dataset
    register: str | None
    config_file: Path | None


def resolve_target(file: Path | None, config_file: Path) -> Target:
    """FILE as given, or the kommune plugin's `data` in mkdocs.yml.

    A FILE that is the site's own data file keeps the site's `register` option, so it is
    checked the way the build checks it.
    """
    if file is None:
        options = read_options(config_file)
        return Target(options.data, options.register, options.config_file)
    try:
        options = read_options(config_file)
    except SiteConfigError:
        return Target(file, None, None)
    same = options.data is not None and _same_file(options.data, file)
    return Target(file, options.register if same else None, options.config_file)


def shown(path: Path) -> str:
    """A path as the user typed it or can click it: relative when under the working directory."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def run_validate(file: Path | None, config_file: Path, output_format: str) -> int:
    try:
        target = resolve_target(file, config_file)
    except SiteConfigError as error:
        click.echo(f"Error: {error}", err=True)
        return EXIT_BAD_INPUT
    if target.path is None:
        click.echo(
            f"{target.config_file}: the kommune plugin uses the bundled dataset (no `data` "
            "option), which is always valid; nothing to check",
            err=True,
        )
        _print_json_problems([], output_format)
        return EXIT_OK
    try:
        dataset = load_dataset(target.path, target.register, shown_as=shown(target.path))
    except DataError as error:
        if output_format == "json":
            _print_json_problems(error.records(), output_format)
        click.echo(str(error), err=True)
        return EXIT_BAD_INPUT
    click.echo(
        f"{shown(target.path)}: no problems ({len(dataset.municipalities)} municipalities, "
        f"{len(dataset.sources)} sources)",
        err=True,
    )
    _print_json_problems([], output_format)
    return EXIT_OK


def _print_json_problems(problems: Sequence[Mapping[str, object]], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(problems, ensure_ascii=False, indent=2))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
