"""Which cells ``refresh`` asks about, and what each one counts.

A cell is one municipality in one source. It is counted when the source has a catalogue to
ask (its `api`, or a default for the known ids `geonorge` and `felles-datakatalog`) and the
cell is one link: `true`, a URL, a mapping, or empty under a url template (then `refresh`
writes a mapping that links through the template). A list of links is left alone: one count
cannot say which of them it belongs to.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..model import Dataset, Municipality, Source
from ..urls import PLACEHOLDER, fill_template
from .catalogues import ARCGIS_HUB, CKAN, DEFAULT_ENDPOINTS, FELLES_DATAKATALOG, Target

DEFAULT_KINDS = {"geonorge": "geonorge", "felles-datakatalog": FELLES_DATAKATALOG}
CKAN_ACTION = "/api/3/action/package_search"
HUB_ITEMS = "/api/search/v1/collections/dataset/items"
_CKAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o"})  # NFKD takes care of å, é, ü …
_CKAN_ORGANIZATION = re.compile(r"/organization/([a-z0-9_-]+)/?\Z")


class PlanError(Exception):
    """A --source or --municipality that names nothing countable (exit 1)."""


@dataclass(frozen=True)
class Cell:
    """One lookup to make; ``problem`` says why it cannot be made (then it fails)."""

    index: int  # position in the file's `municipalities` list
    municipality: str
    source_id: str
    target: Target | None
    old_count: int | None
    problem: str | None = None


@dataclass(frozen=True)
class Plan:
    cells: list[Cell]
    skipped: dict[str, int]  # source id -> cells left alone (lists of links)
    not_counted: list[str]  # ids of sources without a catalogue to ask


def kind_of(source: Source) -> str | None:
    return source.api_kind or DEFAULT_KINDS.get(source.id)


def make_plan(
    dataset: Dataset,
    raw_links: Sequence[Any],
    source_ids: Sequence[str] = (),
    municipality_names: Sequence[str] = (),
) -> Plan:
    """``raw_links[i]`` is the `links` mapping of the file's i-th municipality (or None)."""
    sources = _sources(dataset, source_ids)
    chosen = _municipalities(dataset, municipality_names)
    cells: list[Cell] = []
    skipped = {source.id: 0 for source in sources}
    for index, municipality in enumerate(dataset.municipalities):
        if index not in chosen:
            continue
        links = raw_links[index] if isinstance(raw_links[index], dict) else {}
        for source in sources:
            raw = links.get(source.id)
            if isinstance(raw, list):
                skipped[source.id] += 1
            elif (cell := _cell(index, municipality, source, raw)) is not None:
                cells.append(cell)
    not_counted = [s.id for s in dataset.sources if kind_of(s) is None and not source_ids]
    return Plan(cells, {k: v for k, v in skipped.items() if v}, not_counted)


def _sources(dataset: Dataset, source_ids: Sequence[str]) -> list[Source]:
    if not source_ids:
        return [source for source in dataset.sources if kind_of(source) is not None]
    chosen = []
    for source_id in source_ids:
        source = dataset.source(source_id)
        if source is None:
            known = ", ".join(s.id for s in dataset.sources)
            raise PlanError(f"--source {source_id}: no such source; the sources are: {known}")
        if kind_of(source) is None:
            raise PlanError(
                f"--source {source_id}: this source has no catalogue to ask; give it "
                "`api: {kind: ..., url: ...}` (kinds: geonorge, felles-datakatalog, ckan, arcgis-hub)"
            )
        chosen.append(source)
    return chosen


def _municipalities(dataset: Dataset, names: Sequence[str]) -> set[int]:
    everyone = dataset.municipalities
    if not names:
        return set(range(len(everyone)))
    chosen: set[int] = set()
    for name in names:
        wanted = _folded(name)
        found = {
            index
            for index, m in enumerate(everyone)
            if _folded(m.name) == wanted or m.kommunenummer == name.strip()
        }
        if not found:
            close = difflib.get_close_matches(name, [m.name for m in everyone], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise PlanError(f"--municipality {name}: not in the data file{hint}")
        chosen |= found
    return chosen


def _cell(index: int, municipality: Municipality, source: Source, raw: Any) -> Cell | None:
    kind = kind_of(source)
    assert kind is not None
    if raw is None or raw is False:
        if source.url is None or any(
            not getattr(municipality, p) for p in PLACEHOLDER.findall(source.url)
        ):
            return None  # nothing to link to, so nothing a count could be written into
        link_url = fill_template(source.url, municipality)
    elif raw is True or (isinstance(raw, dict) and raw.get("url") is None):
        link_url = fill_template(source.url, municipality) if source.url else ""
    else:
        link_url = raw if isinstance(raw, str) else str(raw["url"])
    old = raw.get("datasets") if isinstance(raw, dict) else None
    target, problem = _target(kind, source, municipality, link_url)
    return Cell(
        index, municipality.name, source.id, target, old if isinstance(old, int) else None, problem
    )


def _target(
    kind: str, source: Source, municipality: Municipality, link_url: str
) -> tuple[Target | None, str | None]:
    query = source.api_query
    if kind == FELLES_DATAKATALOG and not municipality.orgnr:
        return None, (
            "no orgnr to ask Felles datakatalog with; add `orgnr:` to the entry "
            "(or use `register: norway-2024`)"
        )
    if kind in DEFAULT_ENDPOINTS:
        subject = municipality.orgnr if kind == FELLES_DATAKATALOG else municipality.organization
        endpoint = source.api_url or DEFAULT_ENDPOINTS[kind]
        return Target(kind, endpoint, subject or "", query, municipality.orgnr), None
    base = source.api_url or _origin(link_url)
    if not base:
        return None, f"no portal to ask: give the source `api: {{kind: {kind}, url: ...}}`"
    if kind == CKAN:
        endpoint = base if base.rstrip("/").endswith("package_search") else _join(base, CKAN_ACTION)
        return Target(kind, endpoint, _ckan_slug(link_url, municipality), query), None
    assert kind == ARCGIS_HUB
    endpoint = base if "/api/search/" in base else _join(base, HUB_ITEMS)
    return Target(kind, endpoint, "", query), None


def _ckan_slug(link_url: str, municipality: Municipality) -> str:
    """The CKAN organisation: from a link to `<portal>/organization/<slug>`, else made from the
    organisation name as CKAN makes its slugs ("Bærum kommune" -> "baerum-kommune")."""
    match = _CKAN_ORGANIZATION.search(urlsplit(link_url).path)
    if match:
        return match.group(1)
    name = municipality.organization.casefold().translate(_CKAN_LETTERS)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + path


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()
