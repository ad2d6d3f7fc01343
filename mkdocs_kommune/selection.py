"""Turn macro arguments into the rows and columns to show, or a clear ``MacroArgumentError``."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .arguments import (
    MacroArgumentError,
    check_locale,
    check_since,
    default,
    flag,
    limit,
    optional_text,
)
from .history.since import Since
from .model import Dataset, Municipality, Source, norwegian_sort_key
from .register import Register, load_register
from .validate import short_repr

SORT_KEYS = ("name", "coverage", "population")
COVERAGE_GROUPS = ("county",)
# Tables of more rows than this get filter and sort controls (interactive=None) and a
# scroll box of their own, so the header row can stay in view.
LONG_TABLE_ROWS = 25
TABLE_ARGUMENTS = (
    "municipalities",
    "county",
    "sources",
    "sort",
    "limit",
    "caption",
    "locale",
    "counts",
    "interactive",
    "empty",
    "unchecked",
    "since",
)
COVERAGE_ARGUMENTS = (
    "municipalities",
    "county",
    "sources",
    "sort",
    "limit",
    "locale",
    "by",
    "since",
)
MAP_ARGUMENTS = ("municipalities", "county", "source", "caption", "locale")


@dataclass(frozen=True)
class Selection:
    municipalities: tuple[Municipality, ...]
    sources: tuple[Source, ...]
    locale: str
    caption: str | None = None
    counts: bool = False
    interactive: bool = False  # filter box, live count and sort buttons (kommune.js)
    by: str | None = None  # kommune_coverage(by="county"): one summary row per county
    counties: tuple[str, ...] = ()  # the `county` argument's numbers, sorted; () for none
    source: Source | None = None  # kommune_map(source=...): shade by that source's datasets
    since: Since | None = None  # each count beside its change since then (history/change.py)

    @property
    def long(self) -> bool:
        return len(self.municipalities) > LONG_TABLE_ROWS


def select(
    dataset: Dataset,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    *,
    allowed: tuple[str, ...],
    default_locale: str,
) -> Selection:
    """Validate macro arguments against the dataset and pick rows and columns."""
    if args:
        raise MacroArgumentError(
            f'takes keyword arguments only, e.g. municipalities=["Oslo"]; got {len(args)} positional'
        )
    unknown = [name for name in kwargs if name not in allowed]
    if unknown:
        raise MacroArgumentError(
            f"unknown argument '{unknown[0]}'; the arguments are: {', '.join(allowed)}"
        )
    register = load_register(dataset.register) if dataset.register else None
    rows = _municipalities(dataset, kwargs.get("municipalities"), register)
    counties: tuple[str, ...] = ()
    if kwargs.get("county") is not None:
        counties = tuple(sorted(county_numbers(kwargs["county"])))
        rows = [m for m in rows if m.county_number in counties]
    sources = _sources(dataset, kwargs.get("sources"))
    # Before sort and limit, so limit=10 still gives ten rows that show something.
    if not flag(default(kwargs.get("empty"), True), "empty"):
        # Only rows where every cell was checked and nothing found: an unchecked row is not empty.
        rows = [m for m in rows if any(m.state(s.id) != "none" for s in sources)]
    if not flag(default(kwargs.get("unchecked"), True), "unchecked"):
        rows = [m for m in rows if any(m.checked(s.id) for s in sources)]
    if kwargs.get("sort") is not None:
        rows = _sorted(rows, kwargs["sort"], sources)
    if kwargs.get("limit") is not None:
        rows = rows[: limit(kwargs["limit"])]
    interactive = kwargs.get("interactive")
    since = check_since(kwargs.get("since"))
    return Selection(
        municipalities=tuple(rows),
        sources=sources,
        locale=check_locale(default(kwargs.get("locale"), default_locale), "locale"),
        caption=optional_text(kwargs.get("caption"), "caption"),
        counts=flag(default(kwargs.get("counts"), False), "counts") or since is not None,
        interactive=(
            len(rows) > LONG_TABLE_ROWS if interactive is None else flag(interactive, "interactive")
        ),
        by=_group(kwargs.get("by")),
        counties=counties,
        source=pick_source(dataset, kwargs.get("source")),
        since=since,
    )


def _municipalities(dataset: Dataset, wanted: Any, register: Register | None) -> list[Municipality]:
    if wanted is None:
        return list(dataset.municipalities)
    if wanted == "all":
        if register is None:
            raise MacroArgumentError(
                'municipalities="all" needs a register: set `register: norway-2024` in mkdocs.yml'
            )
        return [_find(dataset, entry.kommunenummer, register) for entry in register.entries]
    if isinstance(wanted, str | int):
        wanted = [wanted]
    if not isinstance(wanted, list | tuple):
        raise MacroArgumentError(
            f'municipalities must be a list of names or numbers, or "all"; got {type(wanted).__name__}'
        )
    return [_find(dataset, item, register) for item in wanted]


def _find(dataset: Dataset, key: Any, register: Register | None) -> Municipality:
    """A municipality of the data file by name or kommunenummer, else an empty row from the register."""
    if isinstance(key, int) and not isinstance(key, bool):
        key = f"{key:04d}"
    if not isinstance(key, str):
        raise MacroArgumentError(
            f"municipalities: {short_repr(key)} is neither a name nor a kommunenummer"
        )
    key = unicodedata.normalize("NFC", key.strip())  # as names in the data file are
    is_number = key.isdigit()
    matches = [
        m
        for m in dataset.municipalities
        if (m.kommunenummer == key if is_number else m.name.casefold() == key.casefold())
    ]
    if len(matches) > 1:
        numbers = " or ".join(f'"{m.kommunenummer}"' for m in matches)
        raise MacroArgumentError(
            f"municipalities: {short_repr(key)} is ambiguous; use its kommunenummer: {numbers}"
        )
    if matches:
        return matches[0]
    if register is not None:
        entries = [register.by_number(key)] if is_number else register.by_name(key)
        found = [entry for entry in entries if entry is not None]
        if len(found) == 1:
            entry = found[0]
            return Municipality(
                name=entry.name,
                kommunenummer=entry.kommunenummer,
                orgnr=entry.orgnr,
                organization=f"{entry.name} kommune",
                county_number=entry.county_number,
                county_name=entry.county_name,
                listed=False,  # nobody has checked it: its cells say "Not checked"
            )
    known = ", ".join(m.name for m in dataset.municipalities[:5])
    raise MacroArgumentError(
        f"municipalities: unknown municipality {short_repr(key)}; the data file has {known}"
        + (", ..." if len(dataset.municipalities) > 5 else "")
    )


def county_numbers(county: Any) -> set[str]:
    """The two-digit numbers of a ``county`` argument: a name or number, or a list of them."""
    counties = load_register().counties()
    wanted = county if isinstance(county, list | tuple) else [county]
    numbers: set[str] = set()
    for item in wanted:
        text = f"{item:02d}" if isinstance(item, int) and not isinstance(item, bool) else item
        if not isinstance(text, str):
            raise MacroArgumentError(
                f"county: {short_repr(item)} is neither a county name nor a number"
            )
        text = unicodedata.normalize("NFC", text.strip())
        number = next(
            (
                n
                for n, name in counties.items()
                if text in (n, name) or text.casefold() == name.casefold()
            ),
            None,
        )
        if number is None:
            names = ", ".join(f"{name} ({n})" for n, name in counties.items())
            raise MacroArgumentError(
                f"county: unknown county {short_repr(item)}; the counties are {names}"
            )
        numbers.add(number)
    return numbers


def pick_source(dataset: Dataset, wanted: Any) -> Source | None:
    """The map's ``source`` argument: one source id, or None."""
    if wanted is None:
        return None
    source = dataset.source(wanted) if isinstance(wanted, str) else None
    if source is None:
        known = ", ".join(s.id for s in dataset.sources)
        raise MacroArgumentError(
            f"source: {short_repr(wanted)} is not a source id; the sources are: {known}"
        )
    return source


def _sources(dataset: Dataset, wanted: Any) -> tuple[Source, ...]:
    if wanted is None:
        return dataset.sources
    if isinstance(wanted, str):
        wanted = [wanted]
    if not isinstance(wanted, list | tuple):
        raise MacroArgumentError(
            f"sources must be a list of source ids; got {type(wanted).__name__}"
        )
    chosen = []
    for source_id in wanted:
        source = dataset.source(source_id) if isinstance(source_id, str) else None
        if source is None:
            known = ", ".join(s.id for s in dataset.sources)
            raise MacroArgumentError(
                f"sources: unknown source id {short_repr(source_id)}; the sources are: {known}"
            )
        chosen.append(source)
    return tuple(chosen)


def _sorted(rows: list[Municipality], sort: Any, sources: tuple[Source, ...]) -> list[Municipality]:
    if not isinstance(sort, str) or sort.lstrip("-") not in SORT_KEYS:
        options = ", ".join(f'"{k}"' for k in SORT_KEYS)
        raise MacroArgumentError(
            f"sort {short_repr(sort)} is not one of {options} (prefix - for descending)"
        )
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "name":
        return sorted(rows, key=lambda m: norwegian_sort_key(m.name), reverse=descending)
    # What is not known goes last in either direction.
    values = [(m, _sort_figure(m, key, sources)) for m in rows]
    known = [(m, v) for m, v in values if v is not None]
    unknown = [m for m, v in values if v is None]
    ordered = sorted(known, key=lambda pair: pair[1] or 0, reverse=descending)
    return [m for m, _ in ordered] + unknown


def _sort_figure(municipality: Municipality, key: str, sources: tuple[Source, ...]) -> int | None:
    """Population, or how many sources have data; None when it is not known (no population
    figure; no source checked, where a 0 would claim that nothing was found)."""
    if key == "population":
        return municipality.population
    if not any(municipality.checked(s.id) for s in sources):
        return None
    return sum(municipality.covered_by(s.id) for s in sources)


def _group(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in COVERAGE_GROUPS):
        return value
    options = ", ".join(f'"{g}"' for g in COVERAGE_GROUPS)
    raise MacroArgumentError(f"by {short_repr(value)} is not one of {options}")
