"""What the ``validate`` and ``init`` commands do, as plain functions returning an exit code.

``main`` only declares the options; the tests call these functions or the real command line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from ..data import DataError, bundled_text, load_dataset
from ..i18n import DATASET_WORDS
from ..safetext import for_terminal
from ..settings import read_settings
from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    SettingsError,
    resolve_target,
    shown,
    site_config,
)


def run_validate(file: Path | None, config_file: Path | None, output_format: str) -> int:
    try:
        target = resolve_target(file, config_file)
    except SettingsError as error:
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


# Today's catalogue pages, for `init --current`; the bundled dataset keeps the 2018 links of
# the page it reproduces. Geonorge's React front end links an organisation's entries as
# "/?organizations=<name>" (kartverket/Geonorge.Kartkatalog.React
# src/components/partials/SearchResults/parts/MetadataOwnership.jsx); data.norge.no's search
# page is /{lang}/search/{tab} and reads `orgPath` from the query string
# (Informasjonsforvaltning/fdk-frontend apps/data-norge/src/app/[lang]/search/[tab]/page.tsx,
# apps/data-norge/src/app/components/search-page/search-page-client.tsx).
CURRENT_URLS = {
    "https://kartkatalog.geonorge.no/search?Facets%5B0%5D.name=organization&Facets%5B0%5D.value={organization}": (
        "https://kartkatalog.geonorge.no/?organizations={organization}"
    ),
    "https://fellesdatakatalog.brreg.no/?orgPath=%2FKOMMUNE%2F{orgnr}": (
        "https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F{orgnr}"
    ),
}
DEFAULT_NEW_FILE = Path("data/kommuner.yml")


SCHEMA_FILE = "kommune-data.schema.json"  # the name docs/engines.md gives it, beside the data file
# The keys whose values `init --locale` translates: a source's name and link text, a link's text.
_WORDED_KEYS = re.compile(r"^(\s*(?:- )?(?:name|link_text|text): )(.+)$", re.MULTILINE)


def starting_file(current: bool, today: str, locale: str = "en") -> str:
    """The bundled dataset as a data file of one's own, with a header saying where it came from."""

    from .. import __version__
    from .current import todays_portals

    text = bundled_text()
    if current:
        for old, new in CURRENT_URLS.items():
            if f'"{old}"' not in text:
                raise AssertionError(f"the bundled dataset no longer has {old}")
            text = text.replace(f'"{old}"', f'"{new}"')
    text = _in_locale(text, locale)
    if current:
        text = todays_portals(text)
    links = "today's catalogue pages" if current else "the 2018 catalogue pages"
    header = (
        f"# Started on {today} by `mkdocs-kommune init` (mkdocs-kommune {__version__}), linking\n"
        f"# {links}. Check it with `mkdocs-kommune validate`, count the datasets with\n"
        "# `mkdocs-kommune refresh`.\n"
        # init writes the schema beside the file; an editor with yaml-language-server then
        # checks the file as it is typed (docs/engines.md, Editors).
        f"# Editor checks: {SCHEMA_FILE} beside this file (mkdocs-kommune schema prints it)\n"
        f"# yaml-language-server: $schema={SCHEMA_FILE}\n"
    )
    return header + text


def _in_locale(text: str, locale: str) -> str:
    words = DATASET_WORDS[locale]
    missing = set(words)

    def translate(match: re.Match[str]) -> str:
        value = match.group(2)
        if value not in words:
            return match.group(0)
        missing.discard(value)
        return match.group(1) + words[value]

    text = _WORDED_KEYS.sub(translate, text)
    if missing:  # the bundled dataset changed under the word list: fail loudly in the tests
        raise AssertionError(f"the bundled dataset no longer has {sorted(missing)}")
    return text


def run_init(
    file: Path | None,
    config_file: Path | None,
    force: bool,
    current: bool,
    locale: str | None = None,
) -> int:
    import datetime

    # A site that set `locale: nb` wants Norwegian headers without saying it twice.
    locale = locale or _configured_locale(config_file) or "en"

    from ..atomic import write_atomically
    from .site import schema_text

    target = file or _configured_data(config_file) or DEFAULT_NEW_FILE
    # A link counts as there even when its target is not: writing through a dangling link
    # would create a file wherever it points, outside the project.
    if (target.exists() or target.is_symlink()) and not force:
        link = for_terminal(os.readlink(target)) if target.is_symlink() else ""
        what = f"is a link to {link}" if link else "already exists"
        click.echo(
            f"Error: {for_terminal(str(target))} {what}; pass --force to overwrite it, or name another file",
            err=True,
        )
        return EXIT_BAD_INPUT
    schema = target.parent / SCHEMA_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        text = starting_file(current, datetime.date.today().isoformat(), locale)
        write_atomically(target, text)
        # The file the header names, so the editor check works at once; one the author has
        # (or a link of that name) is theirs and is kept.
        schema_written = not (schema.exists() or schema.is_symlink())
        if schema_written:
            write_atomically(schema, schema_text())
    except OSError as error:
        failed = for_terminal(str(error.filename or target))
        click.echo(f"Error: cannot write {failed}: {error.strerror or error}", err=True)
        return EXIT_BAD_INPUT
    dataset = load_dataset(target)
    click.echo(
        f"{shown(target)}: written ({len(dataset.municipalities)} municipalities, "
        f"{len(dataset.sources)} sources)",
        err=True,
    )
    if schema_written:
        click.echo(f"{shown(schema)}: written (the JSON Schema the file's header names)", err=True)
    else:
        click.echo(f"{shown(schema)}: kept as it was", err=True)
    if file is not None or _configured_data(config_file) is None:
        click.echo(
            f"Use it in mkdocs.yml with:\n  plugins:\n    - kommune:\n        data: {for_terminal(str(target))}",
            err=True,
        )
    return EXIT_OK


def _configured_locale(config_file: Path | None) -> str | None:
    try:
        settings = read_settings(site_config(config_file))
    except SettingsError:
        return None
    return str(settings.options.locale) if settings.enabled else None


def _configured_data(config_file: Path | None) -> Path | None:
    try:
        settings = read_settings(site_config(config_file))
    except SettingsError:
        return None
    return settings.data_path if settings.enabled else None
