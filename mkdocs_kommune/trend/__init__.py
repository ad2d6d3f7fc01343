"""``kommune_trend()``: an inline SVG line chart of the history, drawn at build time, no script.

``lines`` turns the history into one line per source, ``chart`` places them, the template
``kommune/trend.html`` (a theme's custom_dir may override it) writes the figure, its legend and
the numbers as a table.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import jinja2
from markupsafe import Markup

from ..arguments import MacroArgumentError, check_since
from ..history import History
from ..i18n import strings
from ..model import Dataset
from ..selection import Selection, select
from .chart import draw
from .lines import Trend, trend_of
from .words import TREND_STRINGS

TREND_ARGUMENTS = ("municipalities", "county", "sources", "since", "caption", "locale")
TREND_TEMPLATE = "kommune/trend.html"
# The kinds refresh can count (refresh.plan.DEFAULT_KINDS), without importing refresh.
_COUNTED_BY_DEFAULT = ("geonorge", "felles-datakatalog")

__all__ = ["TREND_ARGUMENTS", "TrendRequest", "render_trend", "trend_request"]


class TrendRequest:
    """A checked ``kommune_trend()`` call: the selection and the date it starts from."""

    def __init__(self, selection: Selection, since: datetime.date | None) -> None:
        self.selection = selection
        self.since = since


def trend_request(
    dataset: Dataset,
    history: History | None,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    default_locale: str,
) -> TrendRequest:
    """Check the arguments; ``MacroArgumentError`` says what is wrong (the build names the page)."""
    if history is None:
        raise MacroArgumentError(
            "there is no history to draw: run `mkdocs-kommune refresh` (it writes "
            "<data file stem>.history.csv beside the data file), or name the file with the "
            "plugin's `history` option"
        )
    rest = {key: value for key, value in kwargs.items() if key != "since"}
    selection = select(dataset, args, rest, allowed=TREND_ARGUMENTS, default_locale=default_locale)
    since = check_since(kwargs.get("since"))
    if since == "first":
        since = history.dates[0] if history.dates else None
    if kwargs.get("sources") is None:
        selection = _counted_sources(selection)
    return TrendRequest(selection, since if isinstance(since, datetime.date) else None)


def render_trend(env: jinja2.Environment, history: History, request: TrendRequest) -> Markup:
    selection = request.selection
    trend = trend_of(history, selection.municipalities, selection.sources, request.since)
    t = {**strings(selection.locale), **TREND_STRINGS[selection.locale]}
    return Markup(
        env.get_template(TREND_TEMPLATE).render(
            selection=selection,
            trend=trend,
            chart=draw(trend) if len(trend.dates) > 1 and trend.lines else None,
            title=selection.caption or t["trend_title"],
            desc=_desc(trend, t),
            sentence=_sentence(trend, t),
            t=t,
        )
    )


def _counted_sources(selection: Selection) -> Selection:
    """By default, the sources refresh can count: those with an `api` or a known id."""
    sources = tuple(s for s in selection.sources if s.api_kind or s.id in _COUNTED_BY_DEFAULT)
    return dataclasses.replace(selection, sources=sources)


def _desc(trend: Trend, t: dict[str, str]) -> str:
    parts = [
        t["trend_part"].format(
            source=line.source.name,
            first=line.first,
            first_date=trend.dates[line.start].isoformat(),
            last=line.last,
            last_date=trend.dates[-1].isoformat(),
        )
        for line in trend.lines
    ]
    return t["trend_desc"].format(parts="; ".join(parts))


def _sentence(trend: Trend, t: dict[str, str]) -> str | None:
    """What stands instead of a chart: nothing counted yet, or a single date."""
    if not trend.lines or not trend.dates:
        return t["trend_nothing"]
    if len(trend.dates) > 1:
        return None
    parts = [
        t["trend_one_part"].format(source=line.source.name, count=line.last) for line in trend.lines
    ]
    return t["trend_one_date"].format(date=trend.dates[0].isoformat(), parts=", ".join(parts))
