"""The ``check-links`` command: is every link the table publishes still alive? Writes nothing.

The links are those a page would show: each source's template filled in for the municipality,
and the URLs given in the file, leaving out cells whose count is 0 (they show no link).
"""

from __future__ import annotations

import asyncio
import difflib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click
import httpx

from ..data import DataError, load_dataset
from ..model import Dataset
from ..refresh.http import HttpSettings
from ..refresh.linkcheck import BROKEN, OK, STATUSES, LinkChecker, Probe
from ..safetext import for_terminal, plain
from .common import EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED, SettingsError, resolve_target, shown


@dataclass(frozen=True)
class CheckLinksOptions:
    file: Path | None
    config_file: Path | None
    sources: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    output_format: str = "text"
    http: HttpSettings = field(default_factory=HttpSettings)


@dataclass(frozen=True)
class PublishedLink:
    municipality: str
    source: str
    url: str


class _BadInput(Exception):
    pass


def run_check_links(
    options: CheckLinksOptions, transport: httpx.AsyncBaseTransport | None = None
) -> int:
    try:
        links = _published_links(options)
    except _BadInput as error:
        click.echo(f"Error: {error}", err=True)
        return EXIT_BAD_INPUT
    probes = asyncio.run(_check(links, options.http, transport))
    results = [(link, probes[link.url]) for link in links]
    if options.output_format == "json":
        click.echo(json.dumps([_record(link, probe) for link, probe in results], ensure_ascii=False, indent=2))  # fmt: skip
    _report(results)
    return EXIT_SOME_FAILED if any(p.status in BROKEN for _, p in results) else EXIT_OK


async def _check(
    links: list[PublishedLink], settings: HttpSettings, transport: httpx.AsyncBaseTransport | None
) -> dict[str, Probe]:
    async with LinkChecker(settings, transport) as checker:
        return await checker.check_all(link.url for link in links)


def _published_links(options: CheckLinksOptions) -> list[PublishedLink]:
    try:
        target = resolve_target(options.file, options.config_file)
    except SettingsError as error:
        raise _BadInput(str(error)) from None
    try:  # no data file: the bundled dataset, which the site publishes then
        name = shown(target.path) if target.path else None
        dataset = load_dataset(target.path, target.register, shown_as=name)
    except DataError as error:
        raise _BadInput(f"the data file has problems; fix them first\n{error}") from None
    sources = _sources(dataset, options.sources)
    chosen = _municipalities(dataset, options.municipalities)
    return [
        PublishedLink(municipality.name, source, link.url)
        for municipality in dataset.municipalities
        if municipality.name in chosen or municipality.kommunenummer in chosen
        for source in sources
        for link in municipality.links_for(source)
    ]


def _sources(dataset: Dataset, wanted: tuple[str, ...]) -> list[str]:
    known = [source.id for source in dataset.sources]
    for source_id in wanted:
        if source_id not in known:
            raise _BadInput(f"--source {plain(source_id)}: no such source; the sources are: {', '.join(known)}")  # fmt: skip
    return [s for s in known if s in wanted] if wanted else known


def _municipalities(dataset: Dataset, wanted: tuple[str, ...]) -> set[str]:
    everyone = dataset.municipalities
    if not wanted:
        return {m.name for m in everyone}
    chosen: set[str] = set()
    for name in wanted:
        found = {
            m.name
            for m in everyone
            if _folded(m.name) == _folded(name) or m.kommunenummer == name.strip()
        }
        if not found:
            close = difflib.get_close_matches(name, [m.name for m in everyone], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise _BadInput(f"--municipality {plain(name)}: not in the data file{hint}")
        chosen |= found
    return chosen


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _record(link: PublishedLink, probe: Probe) -> dict[str, object]:
    record: dict[str, object] = {
        "url": link.url,
        "status": probe.status,
        "municipality": link.municipality,
        "source": link.source,
    }
    if probe.location is not None:
        record["location"] = probe.location
    if probe.http_status is not None:
        record["http_status"] = probe.http_status
    if probe.reason:
        record["reason"] = probe.reason
    return record


def _report(results: list[tuple[PublishedLink, Probe]]) -> None:
    for link, probe in results:
        if probe.status == OK:
            continue
        where = f" -> {plain(probe.location, 200)}" if probe.location else ""
        why = f" ({probe.reason})" if probe.reason else ""
        line = f"{plain(link.municipality)} / {link.source}: {probe.status}{why}: "
        click.echo(for_terminal(line + f"{plain(link.url, 200)}{where}"), err=True)
    tally = Counter(probe.status for _, probe in results)
    distinct = len({link.url for link, _ in results})
    summary = ", ".join(f"{tally[s]} {s}" for s in STATUSES if tally[s])
    click.echo(f"{len(results)} links ({distinct} distinct) checked: {summary or 'none'}", err=True)
