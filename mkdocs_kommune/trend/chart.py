"""The chart's geometry in drawing units: axes, ticks, one path and its markers per line.

The drawing is 360 units wide with 12-unit text: on a 375 px phone the content column is about
335 px, so the text shows at 11 px or more; on a wide screen the stylesheet caps the width so
the text stays near the page's own size. Positions along x follow the calendar, so uneven gaps
between refreshes look uneven.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

from .lines import Trend

WIDTH = 360
HEIGHT = 216
FONT = 12
CHAR = 7.0  # a digit's width at 12 units, a little generous
TOP, RIGHT, BOTTOM = 10, 14, 24
MAX_MARKERS = 12  # markers on a long line: evenly spaced, the last always
STYLES = 6  # colour, dash and marker shape come round again after six lines
DASHES = ("", "6 3", "2 3", "9 3 2 3", "4 2", "1 3")


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class DrawnLine:
    style: int  # 1..STYLES: the CSS class kommune-trend-sN, dash and marker shape
    d: str
    dash: str
    markers: str  # one path of small shapes
    sample: str  # the marker in the legend's 30 x 12 swatch


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    font: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[DrawnLine, ...]


def draw(trend: Trend) -> Chart:
    high = max((max(line.values) for line in trend.lines), default=0)
    steps = _nice_ticks(high)
    labels = [f"{value:,}".replace(",", "\u2009") for value in steps]  # thin space: 12 000
    days, day_labels = _date_candidates(trend.dates[0], trend.dates[-1])
    half = CHAR * max(map(len, day_labels), default=0) / 2  # date labels are centred on their tick
    left = max(6 + CHAR * max(len(label) for label in labels), half + 2)
    right, top, bottom = WIDTH - max(RIGHT, half + 2), TOP, HEIGHT - BOTTOM
    top_value = steps[-1] or 1
    first, last = trend.dates[0].toordinal(), trend.dates[-1].toordinal()
    span = max(last - first, 1)

    def x(date: datetime.date) -> float:
        return left + (right - left) * (date.toordinal() - first) / span

    def y(value: int) -> float:
        return bottom - (bottom - top) * value / top_value

    y_ticks = tuple(Tick(y(value), label) for value, label in zip(steps, labels, strict=True))
    drawn = []
    for number, line in enumerate(trend.lines):
        style = number % STYLES + 1
        points = [(x(trend.dates[line.start + k]), y(value)) for k, value in enumerate(line.values)]
        d = "M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in points)
        markers = _markers(points, style)
        drawn.append(DrawnLine(style, d, DASHES[style - 1], markers, _shape(style, 15, 6)))
    return Chart(
        WIDTH,
        HEIGHT,
        FONT,
        left,
        right,
        top,
        bottom,
        _date_ticks(days, day_labels, x),
        y_ticks,
        tuple(drawn),
    )


def _nice_ticks(high: int) -> list[int]:
    """0 and up to four more round steps (1, 2 or 5 times a power of ten) reaching ``high``."""
    if high <= 0:
        return [0, 1]
    raw = high / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return list(range(0, math.ceil(high / step) * step + 1, step))


def _date_candidates(
    first: datetime.date, last: datetime.date
) -> tuple[list[datetime.date], list[str]]:
    """Where x labels may go: new years for a long span, new months for a shorter one, the
    first and last dates for a short one."""
    days = (last - first).days
    if days >= 3 * 365:
        candidates = [datetime.date(year, 1, 1) for year in range(first.year, last.year + 1)]
        candidates = [day for day in candidates if day >= first]
        return candidates, [str(day.year) for day in candidates]
    if days >= 120:
        candidates = []
        year, month = first.year, first.month
        while (day := datetime.date(year, month, 1)) <= last:
            if day >= first:
                candidates.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return candidates, [day.strftime("%Y-%m") for day in candidates]
    candidates = [first, last] if days else [first]
    return candidates, [day.isoformat() for day in candidates]


def _date_ticks(
    candidates: list[datetime.date], labels: list[str], x: Callable[[datetime.date], float]
) -> tuple[Tick, ...]:
    """As many labels as fit side by side, evenly spaced among the candidates."""
    if not candidates:
        return ()
    room = CHAR * max(len(label) for label in labels) + 10
    spacing = (x(candidates[-1]) - x(candidates[0])) / max(len(candidates) - 1, 1)
    step = max(1, math.ceil(room / spacing)) if spacing > 0 else 1
    return tuple(Tick(x(candidates[k]), labels[k]) for k in range(0, len(candidates), step))


def _markers(points: list[tuple[float, float]], style: int) -> str:
    if len(points) > MAX_MARKERS:
        every = (len(points) - 1) / (MAX_MARKERS - 1)
        chosen = sorted({round(k * every) for k in range(MAX_MARKERS)})
        points = [points[k] for k in chosen]
    return "".join(_shape(style, px, py) for px, py in points)


def _shape(style: int, x: float, y: float) -> str:
    """A small filled shape, one kind per style, so lines differ without colour too."""
    if style == 1:  # circle
        return f"M{x - 3:.1f},{y:.1f}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0"
    if style == 2:  # square
        return f"M{x - 3:.1f},{y - 3:.1f}h6v6h-6z"
    if style == 3:  # triangle
        return f"M{x:.1f},{y - 4:.1f}l4,7h-8z"
    if style == 4:  # diamond
        return f"M{x:.1f},{y - 4:.1f}l4,4l-4,4l-4,-4z"
    if style == 5:  # triangle pointing down
        return f"M{x:.1f},{y + 4:.1f}l4,-7h-8z"
    return f"M{x - 3.5:.1f},{y - 1.2:.1f}h7v2.4h-7z"  # bar
