"""What colour each municipality of a map gets, its tooltip, the legend and the text summary.

Two ways to shade: by how many sources have data (the default), or by one source's dataset
counts (``source=``). Either way the three states of a table cell stay apart: a municipality
checked where nothing was found gets its own colour, and one nobody checked (not in the data
file, or `null` there) is hatched and called "Not checked", as its table cells are.
The classes name steps of a five-step sequential scale (``kommune-map-s1`` … ``s5``); the
colours themselves are CSS custom properties in ``kommune.css``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Municipality, Source

STEPS = 5
NONE_CLASS = "kommune-map-none"
UNCHECKED_CLASS = "kommune-map-unchecked"
CONTEXT_CLASS = "kommune-map-context"
UNCHECKED = -1  # the step of a municipality with no data where some source was not checked
# Dataset counts from `refresh`, grouped as a reader compares them: a few, dozens, hundreds.
COUNT_BINS = (1, 10, 50, 200)


@dataclass(frozen=True)
class Shade:
    """One entry of the legend: a CSS class and its words."""

    css_class: str
    label: str


@dataclass(frozen=True)
class Shaded:
    """One municipality's class and tooltip."""

    municipality: Municipality
    shade: Shade
    tooltip: str


@dataclass(frozen=True)
class Shading:
    items: tuple[Shaded, ...]
    legend: tuple[Shade, ...]  # the scale from most to least, then the special states


def shade(
    municipalities: Sequence[Municipality],
    sources: Sequence[Source],
    source: Source | None,
    words: dict[str, str],
) -> Shading:
    """Classify each municipality by the states of its cells."""
    scale = _count_scale(source, words) if source else _source_scale(len(sources), words)
    nothing = Shade(NONE_CLASS, words["nothing_found"])
    unchecked = Shade(UNCHECKED_CLASS, words["unchecked"])
    items = []
    for municipality in municipalities:
        if source is None:
            step, figures = _by_sources(municipality, sources, words)
        else:
            step, figures = _by_datasets(municipality, source, words)
        chosen = unchecked if step == UNCHECKED else nothing if step is None else scale[step]
        items.append(Shaded(municipality, chosen, f"{municipality.name}: {figures}"))
    legend = [*reversed(list(dict.fromkeys(scale.values()))), nothing]
    if any(item.shade is unchecked for item in items):
        legend.append(unchecked)
    return Shading(tuple(items), tuple(legend))


def summary(shading: Shading, words: dict[str, str]) -> str:
    """How many municipalities fall in each legend entry, e.g. "3 of 3 sources: 4; …"."""
    counts = {shade: 0 for shade in shading.legend}
    for item in shading.items:
        counts[item.shade] += 1
    return "; ".join(
        words["map_part"].format(label=shade.label, count=count)
        for shade, count in counts.items()
        if count
    )


def _source_scale(total: int, words: dict[str, str]) -> dict[int, Shade]:
    """Steps for 1 … total sources, spread over the five colours (shared when more than five)."""
    key = "map_sources_one" if total == 1 else "map_sources"
    by_step: dict[int, list[int]] = {}
    for count in range(1, total + 1):
        step = STEPS if total == 1 else 1 + round((count - 1) * (STEPS - 1) / (total - 1))
        by_step.setdefault(step, []).append(count)
    scale = {}
    for step, counts in by_step.items():
        low, high = counts[0], counts[-1]
        text = str(low) if low == high else f"{low}\u2013{high}"
        shade = Shade(f"kommune-map-s{step}", words[key].format(count=text, total=total))
        scale.update(dict.fromkeys(counts, shade))
    return scale


def _count_scale(source: Source, words: dict[str, str]) -> dict[int, Shade]:
    """Step 1: linked without a count; steps 2-5: the count bins."""
    scale = {1: Shade("kommune-map-s1", words["map_linked"])}
    for index, low in enumerate(COUNT_BINS):
        if index + 1 < len(COUNT_BINS):
            label = words["map_count_range"].format(low=low, high=COUNT_BINS[index + 1] - 1)
        else:
            label = words["map_count_min"].format(low=low)
        scale[index + 2] = Shade(f"kommune-map-s{index + 2}", label)
    return scale


def _by_sources(
    municipality: Municipality, sources: Sequence[Source], words: dict[str, str]
) -> tuple[int | None, str]:
    """How many sources have data. With none, "nothing found" only when every source was
    checked: a source nobody has looked at might have data, so the shade is "Not checked"."""
    states = {s.name: municipality.state(s.id) for s in sources}
    found = [name for name, state in states.items() if state == "data"]
    unknown = [name for name, state in states.items() if state == "unchecked"]
    not_checked = f"{words['unchecked'].lower()} ({', '.join(unknown)})" if unknown else ""
    if not found:
        if not unknown:
            return None, words["nothing_found"].lower()
        if len(unknown) == len(sources):
            return UNCHECKED, words["unchecked"].lower()
        return UNCHECKED, f"{not_checked}; {words['nothing_found'].lower()} ({_rest(states)})"
    key = "map_sources_one" if len(sources) == 1 else "map_sources"
    figures = f"{words[key].format(count=len(found), total=len(sources))} ({', '.join(found)})"
    return len(found), f"{figures}; {not_checked}" if unknown else figures


def _rest(states: Mapping[str, str]) -> str:
    return ", ".join(name for name, state in states.items() if state == "none")


def _by_datasets(
    municipality: Municipality, source: Source, words: dict[str, str]
) -> tuple[int | None, str]:
    links = municipality.links_for(source.id)
    if not municipality.checked(source.id):
        return UNCHECKED, words["map_unchecked_in"].format(source=source.name)
    if not links:
        return None, words["map_nothing_in"].format(source=source.name)
    counts = [link.datasets for link in links if link.datasets is not None]
    if not counts:
        return 1, words["map_linked_in"].format(source=source.name)
    total = sum(counts)
    step = 2 + max(i for i, low in enumerate(COUNT_BINS) if total >= low)
    datasets = words["dataset" if total == 1 else "datasets"].format(count=total)
    return step, words["map_datasets_in"].format(datasets=datasets, source=source.name)
