"""HTML for the macros, through autoescaping Jinja templates a theme ``custom_dir`` may override."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .i18n import strings
from .model import CellState, Link, Municipality, norwegian_sort_key
from .selection import Selection

TABLE_TEMPLATE = "kommune/table.html"
_MARKDOWN_ACTIVE = frozenset("\\`*_[]|~")
COVERAGE_TEMPLATE = "kommune/coverage.html"
COUNTY_COVERAGE_TEMPLATE = "kommune/coverage-county.html"


@dataclass(frozen=True)
class Row:
    id: str
    municipality: Municipality
    cells: tuple[tuple[Link, ...], ...]
    values: tuple[int, ...] = ()  # per cell, what the sort buttons of kommune.js order by
    states: tuple[CellState, ...] = ()  # per cell: data, none (nothing found) or unchecked


@dataclass(frozen=True)
class CoverageItem:
    """One source's figures: ``covered`` of the ``checked`` have data; ``total`` were selected."""

    source: str
    covered: int
    total: int
    checked: int

    def words(self, t: dict[str, str], key: str) -> str:
        """``t[key]`` ("3 of 23"), or its ``_partial`` / ``_unchecked`` form when some or all of
        the municipalities were not checked, so an unchecked one is never counted as nothing."""
        if self.checked < self.total:
            key += "_partial" if self.checked else "_unchecked"
        return t[key].format(
            source=self.source,
            covered=self.covered,
            checked=self.checked,
            unchecked=self.total - self.checked,
            total=self.total,
        )


@dataclass(frozen=True)
class CountyCoverage:
    """One row of ``kommune_coverage(by="county")``; ``name`` None: municipalities of no county."""

    name: str | None
    number: str | None
    items: tuple[CoverageItem, ...]


class Renderer:
    """Renders tables and summaries; templates in ``theme_dirs/kommune/`` win over the packaged ones."""

    def __init__(self, theme_dirs: Iterable[str] = ()) -> None:
        self.env = template_environment(theme_dirs)

    def table(
        self,
        selection: Selection,
        used_ids: set[str] | None = None,
        row_ids: dict[str, str] | None = None,
    ) -> Markup:
        """The table; ``row_ids`` (kommunenummer -> row id) is filled for maps on the page."""
        used = used_ids if used_ids is not None else set()
        next_number: dict[str, int] = {}
        rows = []
        for municipality in selection.municipalities:
            cells = tuple(municipality.links_for(s.id) for s in selection.sources)
            rows.append(
                Row(
                    id=_unique_id(municipality.slug, used, next_number),
                    municipality=municipality,
                    cells=cells,
                    values=tuple(_sort_value(links, selection.counts) for links in cells),
                    states=tuple(
                        "data" if links else municipality.state(source.id)
                        for links, source in zip(cells, selection.sources, strict=True)
                    ),
                )
            )
        if row_ids is not None:
            for row in rows:
                if row.municipality.kommunenummer:
                    row_ids.setdefault(row.municipality.kommunenummer, row.id)
        template = self.env.get_template(TABLE_TEMPLATE)
        return Markup(
            template.render(
                selection=selection,
                rows=rows,
                checked=newest_check(rows) if selection.counts else None,
                t=strings(selection.locale),
            )
        )

    def block(
        self, selection: Selection, used_ids: set[str], row_ids: dict[str, str] | None = None
    ) -> Markup:
        """What a marker stands for: a table, or the per-county coverage table."""
        if selection.by == "county":
            return self.coverage_by_county(selection)
        return self.table(selection, used_ids, row_ids)

    def coverage(self, selection: Selection) -> Markup:
        items = _coverage_items(selection, selection.municipalities)
        template = self.env.get_template(COVERAGE_TEMPLATE)
        return Markup(
            template.render(selection=selection, items=items, t=strings(selection.locale))
        )

    def coverage_by_county(self, selection: Selection) -> Markup:
        """A block table: one row per county, by name in Norwegian order (Østfold last, as a
        reader looks a county up), those of no county after them, then all together."""
        groups: dict[str | None, list[Municipality]] = {}
        for municipality in selection.municipalities:
            groups.setdefault(municipality.county_number, []).append(municipality)
        counties = [
            CountyCoverage(
                name=members[0].county_name,
                number=number,
                items=tuple(_coverage_items(selection, members)),
            )
            for number, members in sorted(groups.items(), key=_by_county_name)
        ]
        total = tuple(_coverage_items(selection, selection.municipalities))
        template = self.env.get_template(COUNTY_COVERAGE_TEMPLATE)
        return Markup(
            template.render(
                selection=selection, counties=counties, total=total, t=strings(selection.locale)
            )
        )


def _by_county_name(group: tuple[str | None, list[Municipality]]) -> tuple[bool, Any]:
    number, members = group
    return (number is None, norwegian_sort_key(members[0].county_name or ""))


def newest_check(rows: Iterable[Row]) -> datetime.date | None:
    """The newest `checked` date among the links shown: when the counts were last asked for."""
    dates = [link.checked for row in rows for links in row.cells for link in links if link.checked]
    return max(dates, default=None)


def _coverage_items(
    selection: Selection, municipalities: Iterable[Municipality]
) -> list[CoverageItem]:
    members = tuple(municipalities)
    return [
        CoverageItem(
            source.name,
            covered=sum(m.covered_by(source.id) for m in members),
            total=len(members),
            checked=sum(m.checked(source.id) for m in members),
        )
        for source in selection.sources
    ]


def _sort_value(links: tuple[Link, ...], counts: bool) -> int:
    """Dataset count where shown (links without a figure count none), else how many links."""
    if counts and any(link.datasets is not None for link in links):
        return sum(link.datasets or 0 for link in links)
    return len(links)


def markdown_inert(value: object) -> Markup:
    """HTML-escaped text that Markdown will not read as emphasis, code, links or table cells.

    For output that goes back through Markdown (the inline coverage summary).
    """
    return Markup(
        "".join(f"&#{ord(c)};" if c in _MARKDOWN_ACTIVE else str(escape(c)) for c in str(value))
    )


def template_environment(theme_dirs: Iterable[str] = ()) -> jinja2.Environment:
    """Autoescaping templates; ``kommune/*.html`` in a theme's custom_dir wins over the packaged.

    Kept across builds (``mkdocs serve`` rebuilds) so templates compile once. Jinja's
    ``auto_reload`` picks up an edited override; a new or deleted one changes the cache key.
    """
    dirs = tuple(theme_dirs)
    overrides = tuple(sorted(str(p) for d in dirs for p in Path(d).glob("kommune/*.html")))
    return _environment(dirs, overrides)


@functools.lru_cache(maxsize=8)
def _environment(theme_dirs: tuple[str, ...], overrides: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(list(theme_dirs)),
                jinja2.PackageLoader("mkdocs_kommune", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown_inert"] = markdown_inert
    return env


def _unique_id(slug: str, used: set[str], next_number: dict[str, int]) -> str:
    """The slug, or slug-2, slug-3 … when the page already has it (two tables on one page).

    ``next_number`` remembers where the search for each slug stopped, so a thousand rows of
    one slug (names without Latin letters are all ``kommune``) take linear time, not quadratic.
    """
    candidate, number = slug, next_number.get(slug, 1)
    if number > 1:
        candidate = f"{slug}-{number}"
    while candidate in used:
        number += 1
        candidate = f"{slug}-{number}"
    next_number[slug] = number
    used.add(candidate)
    return candidate
