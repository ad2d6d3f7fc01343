"""The geometry of one view of the map (all of Norway, or some counties), computed once.

A view is the same for every page and build of a process: paths depend only on the packaged
boundaries and the counties shown, so they are cached by the counties alone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..register import load_register
from .geometry import Boundary, Box, Frame, Point, boundaries, clip, path_data

WIDTH = 600  # drawing units; the SVG is this many CSS pixels wide unless its column is narrower
PAD = 10
NATIONAL_HEIGHT = 750
COUNTY_HEIGHT = 560
# A municipality smaller than this (square units) also gets a round marker, so it stays
# visible and can be pointed at: at 2 km a unit, Kvitsøy, Røst, Træna, Utsira and Fedje.
MARKER_AREA = 12.0
MARKER_RADIUS = 3
# The Oslo inset: Oslo and its neighbours, drawn larger in the empty sea off Trøndelag.
OSLO_AREA = Box(232_000, 6_614_000, 304_000, 6_686_000)
INSET_SIZE = 180


@dataclass(frozen=True)
class Outline:
    """One municipality in a view: its path and, when it is tiny, a marker's centre."""

    d: str
    marker: Point | None


@dataclass(frozen=True)
class Inset:
    x: int
    y: int
    size: int
    outlines: dict[str, str]  # kommunenummer -> path, clipped to the inset
    area: tuple[int, int, int, int]  # where the inset's area lies on the main map: x, y, w, h


@dataclass(frozen=True)
class View:
    width: int
    map_height: int  # the legend of a county map goes below this
    outlines: dict[str, Outline]  # every municipality drawn, by kommunenummer
    inset: Inset | None
    national: bool


@functools.lru_cache(maxsize=32)
def view(counties: tuple[str, ...] = ()) -> View:
    """All of Norway for ``()``, else the given counties zoomed to their extent."""
    shown = _boundaries_of(counties)
    box = Box.around(b.box for b in shown)
    if not counties:
        frame = Frame.fit(box, WIDTH - 2 * PAD, NATIONAL_HEIGHT - 2 * PAD, left=PAD, top=PAD)
    else:
        fitted = Frame.fit(box, WIDTH - 2 * PAD, COUNTY_HEIGHT - 2 * PAD)
        frame = Frame(box, fitted.scale, left=(WIDTH - fitted.width) / 2, top=PAD)
    return View(
        width=WIDTH,
        map_height=round(frame.height) + 2 * PAD,
        outlines={b.kommunenummer: _outline(b, frame) for b in shown},
        inset=None if counties else _oslo_inset(frame),
        national=not counties,
    )


def _boundaries_of(counties: tuple[str, ...]) -> list[Boundary]:
    every = boundaries()
    if not counties:
        return list(every.values())
    register = load_register()
    return [
        every[entry.kommunenummer]
        for entry in register.entries
        if entry.county_number in counties and entry.kommunenummer in every
    ]


def _outline(boundary: Boundary, frame: Frame) -> Outline:
    d = path_data(boundary.rings, frame)
    if d and boundary.area * frame.scale**2 >= MARKER_AREA:
        return Outline(d, None)
    box = boundary.box
    return Outline(d, frame.grid((box.xmin + box.xmax) / 2, (box.ymin + box.ymax) / 2))


def _oslo_inset(main: Frame) -> Inset:
    x = y = PAD
    frame = Frame.fit(OSLO_AREA, INSET_SIZE, INSET_SIZE, left=x, top=y)
    outlines = {}
    for number, boundary in boundaries().items():
        if not boundary.box.intersects(OSLO_AREA):
            continue
        rings = [clipped for ring in boundary.rings if len(clipped := clip(ring, OSLO_AREA)) >= 3]
        d = path_data(rings, frame)
        if d:
            outlines[number] = d
    left, top = main.grid(OSLO_AREA.xmin, OSLO_AREA.ymax)
    right, bottom = main.grid(OSLO_AREA.xmax, OSLO_AREA.ymin)
    return Inset(x, y, INSET_SIZE, outlines, (left, top, right - left, bottom - top))
