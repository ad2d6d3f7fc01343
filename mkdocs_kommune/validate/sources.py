"""The `sources:` list: the table's columns, their url templates and catalogue APIs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..model import Source
from ..safetext import plain
from ..urls import PLACEHOLDER, check_url
from ..yamlsource import LineDict, LineList
from .fields import optional_text, unknown_keys, visible_text
from .problems import Problems, line_of

PLACEHOLDERS = ("name", "organization", "orgnr", "kommunenummer")
SOURCE_KEYS = ("id", "name", "link_text", "url", "api")
API_KEYS = ("kind", "url", "query")
# The catalogues `mkdocs-kommune refresh` can ask (mkdocs_kommune/refresh/catalogues.py).
API_KINDS = ("geonorge", "felles-datakatalog", "ckan", "arcgis-hub")
_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")


@dataclass
class SourceIndex:
    """The accepted sources by id, and what links to the others must not report again."""

    by_id: dict[str, Source] = field(default_factory=dict)
    # Ids of sources that were declared but rejected: links to them are not reported again.
    rejected_ids: set[str] = field(default_factory=set)
    # False once a source without a usable id was seen: links cannot be told from typos any more.
    known: bool = True

    @property
    def sources(self) -> list[Source]:
        return list(self.by_id.values())


# A table of more columns than this cannot be read; a longer list is generated or repeated.
MAX_SOURCES = 200


def check_sources(problems: Problems, top: LineDict) -> SourceIndex | None:
    """The sources in order, or None (reported) when the list is missing or empty."""
    raw = top.get("sources")
    if not isinstance(raw, LineList) or not raw:
        problems.add(
            top.line_of("sources") if "sources" in top else top.line,
            "top level",
            "sources",
            "required: a non-empty list of sources, each with at least `id` and `name`",
        )
        return None
    index = SourceIndex()
    seen: dict[str, int] = {}
    if len(raw) > MAX_SOURCES:
        problems.add(
            raw.line,
            "top level",
            "sources",
            f"{len(raw):,} sources, each a column of the table; only the first {MAX_SOURCES} "
            "are checked: remove the repeated or generated ones",
        )
    for position, item in enumerate(raw[:MAX_SOURCES]):
        source = _source(problems, index, item, raw.line_of(position), position)
        if source is None:
            continue
        if source.id in seen:
            problems.add(
                line_of(item),
                f"sources[{position}]",
                "id",
                f"'{source.id}' is already used by sources[{seen[source.id]}]; ids must be unique",
            )
            continue
        seen[source.id] = position
        index.by_id[source.id] = source
    return index


def _source(
    problems: Problems, index: SourceIndex, item: Any, line: int, position: int
) -> Source | None:
    entry = f"sources[{position}]"
    if not isinstance(item, LineDict):
        problems.add(line, entry, "", "each source must be a mapping with `id` and `name`")
        return None
    if isinstance(item.get("id"), str):
        entry = f"sources[{position}] ({plain(item['id'])})"
    unknown_keys(problems, item, SOURCE_KEYS, entry)
    source_id = item.get("id")
    name = item.get("name")
    ok = True
    if not isinstance(source_id, str) or not _SOURCE_ID.match(source_id):
        problems.add(
            item.line_of("id"),
            entry,
            "id",
            "required: lower-case letters, digits, '-' or '_' (at most 64), e.g. `geonorge`",
        )
        ok = False
    if not isinstance(name, str) or not name.strip():
        problems.add(
            item.line_of("name"),
            entry,
            "name",
            "required: the column header text, e.g. `Geonorge`",
        )
        ok = False
    elif visible_text(problems, name, item.line_of("name"), entry, "name") is None:
        ok = False
    link_text = optional_text(problems, item, "link_text", entry)
    url = item.get("url")
    if url is not None and not _check_template(problems, url, item.line_of("url"), entry):
        url = None
        ok = False
    api_kind, api_url, api_query = _api(problems, item, entry)
    if not ok:
        if isinstance(source_id, str):
            index.rejected_ids.add(source_id)
        else:
            index.known = False
        return None
    assert isinstance(source_id, str) and isinstance(name, str)
    return Source(
        source_id,
        unicodedata.normalize("NFC", name),
        link_text,
        url,
        api_kind,
        api_url,
        api_query,
    )


def _check_template(problems: Problems, url: Any, line: int, entry: str) -> bool:
    problem = check_url(url, template=True)
    if problem is None:
        unknown = [p for p in PLACEHOLDER.findall(url) if p not in PLACEHOLDERS]
        if unknown:
            problem = (
                f"unknown placeholder {{{unknown[0]}}}; the url template may use "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
    if problem:
        problems.add(line, entry, "url", problem)
    return problem is None


def _api(
    problems: Problems, item: LineDict, entry: str
) -> tuple[str | None, str | None, str | None]:
    api = item.get("api")
    if api is None:
        return None, None, None
    if not isinstance(api, LineDict):
        problems.add(
            item.line_of("api"),
            entry,
            "api",
            "must be a mapping with `kind` and optional `url` and `query`",
        )
        return None, None, None
    unknown_keys(problems, api, API_KEYS, f"{entry} api")
    kind = api.get("kind")
    if not isinstance(kind, str):
        problems.add(
            api.line_of("kind"),
            entry,
            "api.kind",
            "required: the catalogue kind, one of " + ", ".join(API_KINDS),
        )
        kind = None
    elif kind not in API_KINDS:
        problems.add(
            api.line_of("kind"),
            entry,
            "api.kind",
            f"unknown catalogue kind '{kind}'; known kinds are " + ", ".join(API_KINDS),
        )
        kind = None
    url = api.get("url")
    if url is not None and (problem := check_url(url)):
        problems.add(api.line_of("url"), entry, "api.url", problem)
        url = None
    query = api.get("query")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        problems.add(
            api.line_of("query"),
            entry,
            "api.query",
            "must be a search text, e.g. `skolerute`: the column then counts only matching datasets",
        )
        query = None
    return kind, url, query
