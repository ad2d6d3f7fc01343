"""A municipality's `links:` and the cells in them: URLs, {url, text} mappings, lists, templates."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator
from typing import Any
from urllib.parse import urlsplit

from ..model import Link, Municipality, Source
from ..safetext import plain
from ..urls import PLACEHOLDER, check_url, fill_template
from ..yamlsource import LineDict, LineList
from .fields import count, optional_text, unknown_keys
from .hints import did_you_mean
from .problems import Problems, short_repr
from .sources import SourceIndex

LINK_KEYS = ("url", "text", "datasets", "checked")


def check_links(
    problems: Problems,
    item: LineDict,
    entry: str,
    municipality: Municipality,
    sources: SourceIndex,
    refused: Collection[str] = (),
) -> tuple[dict[str, tuple[Link, ...]], frozenset[str]]:
    """The entry's links by source id, and the ids whose cell is `null` (not checked).

    Every problem in them is reported. ``refused`` names the entry's fields that were given but
    refused (reported already).
    """
    raw = item.get("links")
    if raw is None:
        return {}, frozenset()
    if not isinstance(raw, LineDict):
        problems.add(
            item.line_of("links"), entry, "links", "must be a mapping of source id to link"
        )
        return {}, frozenset()
    links: dict[str, tuple[Link, ...]] = {}
    unchecked: set[str] = set()
    for source_id, value in raw.items():
        line = raw.line_of(source_id)
        source = sources.by_id.get(source_id)
        if source is None and (source_id in sources.rejected_ids or not sources.known):
            continue  # the source itself has been reported
        if source is None:
            problems.add(
                line, entry, f"links.{plain(source_id)}", _not_a_source(source_id, raw, sources)
            )
            continue
        if value is None:  # `~`: nobody has looked; `false` or no key: looked, nothing found
            unchecked.add(source.id)
            continue
        cell = list(_cell(problems, value, line, entry, source, municipality, refused))
        if cell:
            links[source.id] = tuple(cell)
    return links, frozenset(unchecked)


def _cell(
    problems: Problems,
    value: Any,
    line: int,
    entry: str,
    source: Source,
    municipality: Municipality,
    refused: Collection[str],
) -> Iterator[Link]:
    field = f"links.{source.id}"
    if value is None or value is False:
        return
    if isinstance(value, LineList):
        for index, part in enumerate(value):
            if isinstance(part, LineList | bool):
                problems.add(
                    value.line_of(index),
                    entry,
                    f"{field}[{index}]",
                    "a list item must be a URL or a mapping with `url` and `text`",
                )
                continue
            yield from _cell(
                problems, part, value.line_of(index), entry, source, municipality, refused
            )
        return
    if value is True:
        # A link from the source's template, as an empty mapping would give, minus the checks
        # of keys it does not have: the commonest cell of all.
        url = _template_url(problems, line, entry, field, source, municipality, refused)
        if url is not None:
            yield Link(url, source.link_text or source.name)
        return
    if isinstance(value, str):
        url_problem = check_url(value)
        if url_problem:
            problems.add(line, entry, field, url_problem)
            return
        yield Link(value, source.link_text or urlsplit(value).netloc)
        return
    if not isinstance(value, LineDict):
        problems.add(
            line,
            entry,
            field,
            "must be true, a URL, a mapping with `url` and `text`, or a list of them",
        )
        return
    link = _link_mapping(problems, value, entry, field, source, municipality, refused)
    if link is not None:
        yield link


def _link_mapping(
    problems: Problems,
    value: LineDict,
    entry: str,
    field: str,
    source: Source,
    municipality: Municipality,
    refused: Collection[str],
) -> Link | None:
    unknown_keys(problems, value, LINK_KEYS, f"{entry} {field}")
    before = len(problems)
    url = value.get("url")
    if url is None:
        url = _template_url(problems, value.line, entry, field, source, municipality, refused)
    elif problem := check_url(url):
        problems.add(value.line_of("url"), entry, f"{field}.url", problem)
    text = optional_text(problems, value, "text", entry, prefix=f"{field}.")
    datasets = count(problems, value, "datasets", entry, prefix=f"{field}.")
    checked = _date(problems, value, entry, field)
    if url is None or len(problems) > before:
        return None
    from_template = value.get("url") is None
    default_text = source.link_text or (source.name if from_template else urlsplit(url).netloc)
    return Link(url, text or default_text, datasets, checked)


def _template_url(
    problems: Problems,
    line: int,
    entry: str,
    field: str,
    source: Source,
    municipality: Municipality,
    refused: Collection[str],
) -> str | None:
    if source.url is None:
        problems.add(
            line,
            entry,
            field,
            f"source '{source.id}' has no url template, so give a URL here, e.g. "
            f"`{source.id}: https://example.org/` or `{{url: ..., text: ...}}`",
        )
        return None
    missing = [p for p in PLACEHOLDER.findall(source.url) if not getattr(municipality, p)]
    if missing and missing[0] in refused:
        return None  # the entry's own field has been reported
    if missing:
        problems.add(
            line,
            entry,
            field,
            f"the url template of source '{source.id}' needs {{{missing[0]}}}, which this "
            f"municipality lacks; add `{missing[0]}:` to the entry (or use `register: norway-2024`)",
        )
        return None
    return fill_template(source.url, municipality)


def _date(problems: Problems, value: LineDict, entry: str, field: str) -> datetime.date | None:
    checked = value.get("checked")
    if checked is None or (
        isinstance(checked, datetime.date) and not isinstance(checked, datetime.datetime)
    ):
        return checked
    if isinstance(checked, datetime.datetime):
        return checked.date()
    problems.add(
        value.line_of("checked"),
        entry,
        f"{field}.checked",
        f"{short_repr(checked)} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-25",
    )
    return None


def _not_a_source(key: str, links: LineDict, sources: SourceIndex) -> str:
    """Why ``key`` under `links:` is no source: a typo, or a link's own key indented too little
    (`url:` below an empty `other:` instead of under it)."""
    if key not in LINK_KEYS:
        close = did_you_mean(str(key), sources.by_id)
        return f"unknown source id;{close} the sources are: {_listed(sources.by_id)}"
    owner = None
    for other in links:  # the empty source just above is the one it belongs to
        if other == key:
            break
        if other in sources.by_id and links[other] is None:
            owner = other
    if owner is not None:
        return (
            f"`{key}` is a key of a link, not a source id: indent it under `{plain(owner)}:` "
            f"(2 spaces more than `{plain(owner)}:`)"
        )
    return (
        f"`{key}` is a key of a link, not a source id: put it under the source it belongs to, "
        "e.g. `other: {url: https://..., text: ...}`"
    )


def _listed(names: dict[str, Source], limit: int = 10) -> str:
    """The first few source ids, so a long sources list does not repeat in every message."""
    ids = list(names)
    if not ids:
        return "(none defined)"
    return ", ".join(ids[:limit]) + (f", ... ({len(ids)} in all)" if len(ids) > limit else "")
