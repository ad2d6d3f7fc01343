"""The coverage map (``kommune_map``): an inline SVG drawn at build time, through a template.

``map_request`` checks a call when the macro runs; ``MapDrawer.draw`` turns it into markup in
``on_page_content``, once the page's tables have their row ids, so each municipality can link to
its row. Municipalities outside the selection are drawn grey as context on the national map;
a county map shows that county alone, its unselected municipalities grey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import jinja2
from markupsafe import Markup

from ..arguments import MacroArgumentError
from ..i18n import map_strings
from ..model import Dataset, Municipality, Source
from ..register import load_register
from ..selection import Selection
from .geometry import Point, boundaries
from .shades import CONTEXT_CLASS, Shade, Shaded, Shading, shade, summary
from .view import MARKER_RADIUS, PAD, View, view

MAP_TEMPLATE = "kommune/map.html"
LEGEND_ROW = 20
# kommune.css scales the legend and the attribution up to this much on a narrow map (a phone
# draws the 600-unit map about 340 px wide), so their 13-unit text stays 11 px or more on
# screen; the drawing keeps room for them at that size.
KEY_SCALE_MAX = 1.5
KEY_TEXT = 13  # the font size of the legend and the attribution, in drawing units
KEY_GAP = 6  # between the map (or the legend) and the attribution
# On the national map the legend sits in the empty corner over Sweden, with room to grow.
NATIONAL_LEGEND = (300, 450)


@dataclass(frozen=True)
class MapRequest:
    """A checked ``kommune_map()`` call."""

    selection: Selection
    source: Source | None
    counties: tuple[str, ...]  # () for the national map

    @property
    def key(self) -> tuple[Any, ...]:
        return (
            tuple(m.kommunenummer for m in self.selection.municipalities),
            self.source.id if self.source else None,
            self.counties,
            self.selection.caption,
            self.selection.locale,
        )


@dataclass(frozen=True)
class Area:
    """A selected municipality as drawn: the one element carrying its ``data-kommunenummer``."""

    kommunenummer: str
    shade: Shade
    tooltip: str
    href: str | None
    d: str
    marker: Point | None


@dataclass(frozen=True)
class ContextShape:
    name: str
    d: str
    marker: Point | None


@dataclass(frozen=True)
class LegendItem:
    shade: Shade
    x: int
    y: int


@dataclass(frozen=True)
class Drawing:
    """Everything the template needs; coordinates in drawing units."""

    view: View
    height: int
    title: str
    desc: str
    caption: str | None
    areas: tuple[Area, ...]
    context: tuple[ContextShape, ...]
    inset_areas: tuple[Area, ...]  # copies: no kommunenummer in the markup
    inset_context: tuple[str, ...]
    legend: tuple[LegendItem, ...]
    attribution_y: int
    hatch_id: str
    marker_radius: int = MARKER_RADIUS


def map_request(dataset: Dataset, selection: Selection) -> MapRequest:
    """Check what only the map needs: a 2024 kommunenummer for everyone."""
    source, counties = selection.source, selection.counties
    # With county=, entries without a number were dropped before we see them: check all.
    candidates = dataset.municipalities if counties else selection.municipalities
    unnumbered = [m.name for m in candidates if not m.kommunenummer]
    if unnumbered:
        shown = ", ".join(unnumbered[:3]) + (
            f" and {len(unnumbered) - 3} more" if len(unnumbered) > 3 else ""
        )
        where = f" in {dataset.path}" if dataset.path else ""
        raise MacroArgumentError(
            f"the map places municipalities by kommunenummer, and {shown}{where} have none: "
            "add `register: norway-2024` under the kommune plugin in mkdocs.yml (or at the top "
            'of the data file) to fill them in, or give each entry a `kommunenummer: "4601"`'
        )
    known = boundaries()
    for municipality in selection.municipalities:
        number = municipality.kommunenummer
        if number not in known:
            renumbered = load_register().renumbered.get(number or "")
            hint = f" (since 2024: {renumbered})" if renumbered else ""
            raise MacroArgumentError(
                f"{municipality.name}: kommunenummer {number}{hint} is not one of the 357 "
                "municipalities of 1 January 2024, whose boundaries the map draws"
            )
    # A municipality named twice is still one shape: one element per kommunenummer.
    unique: dict[str | None, Municipality] = {}
    for municipality in selection.municipalities:
        unique.setdefault(municipality.kommunenummer, municipality)
    chosen = replace(selection, municipalities=tuple(unique.values()))
    return MapRequest(chosen, source, counties)


class MapDrawer:
    """Draws maps for one build; the same call on another page reuses the markup."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._cache: dict[tuple[Any, ...], Markup] = {}

    def draw(self, request: MapRequest, row_ids: Mapping[str, str], used_ids: set[str]) -> Markup:
        hatch_id = _free_id("kommune-map-hatch", used_ids)
        numbers = {m.kommunenummer for m in request.selection.municipalities}
        links = tuple(sorted((k, v) for k, v in row_ids.items() if k in numbers))
        key = (*request.key, links, hatch_id)
        if key not in self._cache:
            drawing = _drawing(request, dict(links), hatch_id)
            template = self.env.get_template(MAP_TEMPLATE)
            self._cache[key] = Markup(
                template.render(drawing=drawing, t=map_strings(request.selection.locale))
            )
        return self._cache[key]


def _drawing(request: MapRequest, row_ids: Mapping[str, str], hatch_id: str) -> Drawing:
    selection = request.selection
    words = map_strings(selection.locale)
    shown = view(request.counties)
    shading = shade(selection.municipalities, selection.sources, request.source, words)
    areas = tuple(_area(item, shown, row_ids) for item in shading.items)
    selected = {area.kommunenummer for area in areas}
    names = {b.kommunenummer: b.name for b in boundaries().values()}
    context = tuple(
        ContextShape(names[number], outline.d, outline.marker)
        for number, outline in shown.outlines.items()
        if number not in selected
    )
    legend_shades = [
        *shading.legend,
        *([Shade(CONTEXT_CLASS, words["map_context"])] if context else []),
    ]
    legend, bottom = _legend(legend_shades, shown)
    # The attribution's baseline, under the map (and a county map's legend), at the left edge
    # like the legend and the caption; the room below it is for its text at KEY_SCALE_MAX.
    attribution_y = (shown.map_height if shown.national else bottom) + KEY_GAP + KEY_TEXT
    inset_areas: tuple[Area, ...] = ()
    inset_context: tuple[str, ...] = ()
    if shown.inset is not None:
        outlines = shown.inset.outlines
        inset_areas = tuple(
            Area("", a.shade, a.tooltip, a.href, outlines[a.kommunenummer], None)
            for a in areas
            if a.kommunenummer in outlines
        )
        inset_context = tuple(d for number, d in outlines.items() if number not in selected)
    return Drawing(
        view=shown,
        height=attribution_y + round(KEY_TEXT * (KEY_SCALE_MAX - 1)) + PAD,
        title=selection.caption or _title(request, words),
        desc=_desc(request, shading, bool(context), words),
        caption=selection.caption,
        areas=areas,
        context=context,
        inset_areas=inset_areas,
        inset_context=inset_context,
        legend=legend,
        attribution_y=attribution_y,
        hatch_id=hatch_id,
    )


def _area(item: Shaded, shown: View, row_ids: Mapping[str, str]) -> Area:
    number = item.municipality.kommunenummer or ""
    outline = shown.outlines[number]
    href = f"#{row_ids[number]}" if number in row_ids else None
    return Area(number, item.shade, item.tooltip, href, outline.d, outline.marker)


def _legend(shades: list[Shade], shown: View) -> tuple[tuple[LegendItem, ...], int]:
    """Legend entries in one column, read top down like the scale; returns them and the y below
    them at their largest (KEY_SCALE_MAX). A county map has it under the map, at the left."""
    x, y = NATIONAL_LEGEND if shown.national else (PAD, shown.map_height)
    items = tuple(LegendItem(s, x, y + i * LEGEND_ROW) for i, s in enumerate(shades))
    return items, y + round(len(shades) * LEGEND_ROW * KEY_SCALE_MAX)


def _title(request: MapRequest, words: dict[str, str]) -> str:
    if request.source is None:
        return words["map_title"]
    return words["map_title_source"].format(source=request.source.name)


def _desc(request: MapRequest, shading: Shading, context: bool, words: dict[str, str]) -> str:
    counties = load_register().counties()
    where = ", ".join(counties[n] for n in request.counties) or words["map_norway"]
    text = words["map_desc"].format(
        where=where, count=len(shading.items), parts=summary(shading, words) or "0"
    )
    return f"{text} {words['map_desc_context']}" if context else text


def _free_id(base: str, used: set[str]) -> str:
    """``base``, or base-2, base-3 … when the page already has it (two maps on one page)."""
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate
