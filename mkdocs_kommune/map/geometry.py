"""Municipal boundaries: load the packaged file, fit it to a frame, write compact SVG paths.

The boundaries are Kartverket's *Administrative enheter kommuner* of 1 January 2024 (CC BY 4.0),
simplified and pre-projected to ETRS89 / UTM 33N in whole metres (``datasets/
kommuner-2024-utm33.geojson.gz``, the project's ``shared/data/map`` file gzipped). Drawing needs
no projection, only a scale and a y-flip. Nothing here is read until a map is drawn.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

BOUNDARIES_FILE = "kommuner-2024-utm33.geojson.gz"

Point = tuple[int, int]
Ring = tuple[Point, ...]


@dataclass(frozen=True)
class Box:
    """An axis-aligned extent, in metres (UTM 33N) or in frame units."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def width(self) -> float:
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        return self.ymax - self.ymin

    def intersects(self, other: Box) -> bool:
        return not (
            other.xmin > self.xmax
            or other.xmax < self.xmin
            or other.ymin > self.ymax
            or other.ymax < self.ymin
        )

    @staticmethod
    def around(boxes: Iterable[Box]) -> Box:
        boxes = list(boxes)
        return Box(
            min(b.xmin for b in boxes),
            min(b.ymin for b in boxes),
            max(b.xmax for b in boxes),
            max(b.ymax for b in boxes),
        )


@dataclass(frozen=True)
class Boundary:
    """One municipality: its rings (outer and holes alike; drawn with fill-rule evenodd)."""

    kommunenummer: str
    name: str
    rings: tuple[Ring, ...]
    box: Box
    area: float  # square metres, holes subtracted


@dataclass(frozen=True)
class Frame:
    """Maps metres to drawing units: ``scale`` units per metre, y pointing down."""

    box: Box  # the part of the country shown, in metres
    scale: float
    left: float = 0.0  # where box.xmin lands, in units
    top: float = 0.0  # where box.ymax lands

    @staticmethod
    def fit(box: Box, width: float, height: float, *, left: float = 0, top: float = 0) -> Frame:
        """The largest scale that shows all of ``box`` inside ``width`` x ``height`` units."""
        return Frame(box, min(width / box.width, height / box.height), left, top)

    @property
    def width(self) -> float:
        return self.box.width * self.scale

    @property
    def height(self) -> float:
        return self.box.height * self.scale

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.left + (x - self.box.xmin) * self.scale,
            self.top + (self.box.ymax - y) * self.scale,
        )

    def grid(self, x: float, y: float) -> Point:
        """A point rounded to whole units: shared borders round alike, so they stay shared."""
        px, py = self.point(x, y)
        return round(px), round(py)


@functools.cache
def boundaries() -> dict[str, Boundary]:
    """All 357 municipalities by kommunenummer, read once per process on first use."""
    packed = resources.files("mkdocs_kommune") / "datasets" / BOUNDARIES_FILE
    collection = json.loads(gzip.decompress(packed.read_bytes()))
    return {
        feature["properties"]["kommunenummer"]: _boundary(feature)
        for feature in collection["features"]
    }


def _boundary(feature: dict[str, object]) -> Boundary:
    geometry = feature["geometry"]
    properties = feature["properties"]
    assert isinstance(geometry, dict) and isinstance(properties, dict)
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    rings = tuple(
        tuple((int(x), int(y)) for x, y in ring) for polygon in polygons for ring in polygon
    )
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return Boundary(
        kommunenummer=properties["kommunenummer"],
        name=properties["name"],
        rings=rings,
        box=Box(min(xs), min(ys), max(xs), max(ys)),
        # Outer rings run counter-clockwise (positive), holes clockwise (negative).
        area=sum(_signed_area(ring) for ring in rings),
    )


def path_data(rings: Iterable[Sequence[Point]], frame: Frame) -> str:
    """SVG path data for rings in metres: whole units, relative commands, no redundant points.

    Rings that shrink to less than a triangle at this scale are left out (a municipality that
    vanishes entirely gets a marker from the caller).
    """
    return "".join(
        _ring_path(points) for ring in rings if len(points := _on_grid(ring, frame)) >= 3
    )


def clip(ring: Sequence[Point], box: Box) -> Ring:
    """The part of a ring inside ``box`` (Sutherland-Hodgman; fine for filling concave rings)."""
    points: list[tuple[float, float]] = [(float(x), float(y)) for x, y in ring]
    for axis, limit, above in (
        (0, box.xmin, True),
        (0, box.xmax, False),
        (1, box.ymin, True),
        (1, box.ymax, False),
    ):
        kept: list[tuple[float, float]] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            current_in = (current[axis] >= limit) if above else (current[axis] <= limit)
            previous_in = (previous[axis] >= limit) if above else (previous[axis] <= limit)
            if current_in != previous_in:
                kept.append(_crossing(previous, current, axis, limit))
            if current_in:
                kept.append(current)
        points = kept
    return tuple((round(x), round(y)) for x, y in points)


def _crossing(
    a: tuple[float, float], b: tuple[float, float], axis: int, limit: float
) -> tuple[float, float]:
    """Where the segment a-b crosses the line ``coordinate[axis] == limit``."""
    t = (limit - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
    return (limit, y) if axis == 0 else (x, limit)


def _on_grid(ring: Sequence[Point], frame: Frame) -> list[Point]:
    """The ring's corners in whole units: repeats and points on a straight line dropped."""
    points: list[Point] = []
    for x, y in ring:
        point = frame.grid(x, y)
        if not points or points[-1] != point:
            points.append(point)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    # A point exactly on the line through its neighbours adds nothing (spikes go too). Exact
    # integer arithmetic, so both neighbours of a shared border drop the same points.
    return [
        b
        for i, b in enumerate(points)
        if _cross(points[i - 1], b, points[(i + 1) % len(points)]) != 0
    ]


def _cross(a: Point, b: Point, c: Point) -> int:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _ring_path(points: Sequence[Point]) -> str:
    """``M x y`` then relative steps: ``h``/``v`` for straight ones, implicit repeats, ``z``."""
    x, y = points[0]
    out = [f"M{x}{_number(y)}"]
    command = ""
    for nx, ny in points[1:]:
        dx, dy = nx - x, ny - y
        step, numbers = ("h", (dx,)) if dy == 0 else ("v", (dy,)) if dx == 0 else ("l", (dx, dy))
        if step != command:
            out.append(step + str(numbers[0]) + "".join(_number(n) for n in numbers[1:]))
            command = step
        else:
            out.append("".join(_number(n) for n in numbers))
        x, y = nx, ny
    out.append("z")
    return "".join(out)


def _number(value: int) -> str:
    """A number after another: a minus sign separates it by itself, else a space does."""
    return str(value) if value < 0 else f" {value}"


def _signed_area(ring: Sequence[Point]) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, (*ring[1:], ring[0]), strict=True)
    )
