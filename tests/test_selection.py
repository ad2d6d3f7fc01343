"""Macro arguments as plain function calls: choosing, filtering and ordering rows and columns."""

from __future__ import annotations

from typing import Any

import pytest

from mkdocs_kommune.arguments import MacroArgumentError
from mkdocs_kommune.data import load_dataset, parse_dataset
from mkdocs_kommune.model import Dataset, norwegian_sort_key
from mkdocs_kommune.selection import TABLE_ARGUMENTS, Selection, select

POPULATIONS = """\
sources:
  - id: a
    name: A
    url: "https://a.example/{kommunenummer}"
  - id: b
    name: B
municipalities:
  - {name: Ås, kommunenummer: "3218", population: 21000, links: {a: true}}
  - {name: Aurland, kommunenummer: "4641", links: {a: true, b: "https://b.example/"}}
  - {name: Zelda, population: 5}
  - {name: Øksnes, kommunenummer: "1868", population: 4500}
  - {name: Ærø, population: 7000}
  - {name: Bø, kommunenummer: "1867", population: 2600, links: {b: {url: "https://b.example/bo", datasets: 0}}}
"""


def pick(dataset: Dataset, **kwargs: Any) -> Selection:
    return select(dataset, (), kwargs, allowed=TABLE_ARGUMENTS, default_locale="en")


def names(selection: Selection) -> list[str]:
    return [m.name for m in selection.municipalities]


@pytest.fixture
def dataset() -> Dataset:
    return parse_dataset(POPULATIONS)


def test_norwegian_order_puts_ae_oe_aa_last() -> None:
    words = ["Ås", "Aurland", "Zelda", "Øksnes", "Ærø", "Bø", "Éa"]
    assert sorted(words, key=norwegian_sort_key) == [
        "Aurland",
        "Bø",
        "Éa",
        "Zelda",
        "Ærø",
        "Øksnes",
        "Ås",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Aurland", "Bø", "Zelda", "Ærø", "Øksnes", "Ås"]),
        ("-name", ["Ås", "Øksnes", "Ærø", "Zelda", "Bø", "Aurland"]),
        ("population", ["Zelda", "Bø", "Øksnes", "Ærø", "Ås", "Aurland"]),  # unknown last
        ("-population", ["Ås", "Ærø", "Øksnes", "Bø", "Zelda", "Aurland"]),
        (
            "coverage",
            ["Zelda", "Øksnes", "Ærø", "Bø", "Ås", "Aurland"],
        ),  # stable; a 0 count is no coverage
        ("-coverage", ["Aurland", "Ås", "Zelda", "Øksnes", "Ærø", "Bø"]),
    ],
)
def test_sort(dataset: Dataset, sort: str, expected: list[str]) -> None:
    assert names(pick(dataset, sort=sort)) == expected


def test_municipalities_by_name_or_number_in_the_order_given(dataset: Dataset) -> None:
    assert names(pick(dataset, municipalities=["1868", "ås", 4641])) == ["Øksnes", "Ås", "Aurland"]
    assert names(pick(dataset, municipalities="Bø")) == ["Bø"]


def test_limit_and_sources(dataset: Dataset) -> None:
    chosen = pick(dataset, sort="name", limit=2, sources=["b"])
    assert names(chosen) == ["Aurland", "Bø"]
    assert [s.id for s in chosen.sources] == ["b"]
    assert names(pick(dataset, limit=0)) == []


def test_county_by_number_and_name(dataset: Dataset) -> None:
    assert names(pick(dataset, county=18)) == ["Øksnes", "Bø"]
    assert names(pick(dataset, county=["akershus", "46"])) == ["Ås", "Aurland"]


def test_all_with_register_keeps_data_rows_and_fills_the_rest() -> None:
    dataset = load_dataset(None, "norway-2024")
    everything = pick(dataset, municipalities="all")
    assert len(everything.municipalities) == 357
    oslo = everything.municipalities[0]
    assert oslo.name == "Oslo" and oslo.covered_by("geonorge")
    vestland = pick(dataset, municipalities="all", county="Vestland", sort="-coverage", limit=2)
    assert names(vestland)[0] == "Bergen"
    assert len(names(pick(dataset, municipalities="all", county="Vestland"))) == 43


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"municipalities": ["Nowhere"]}, "unknown municipality 'Nowhere'"),
        ({"municipalities": {"a": 1}}, "must be a list of names or numbers"),
        ({"sources": ["c"]}, "unknown source id 'c'; the sources are: a, b"),
        ({"sources": 3}, "sources must be a list of source ids"),
        ({"sort": "-size"}, "sort '-size' is not one of"),
        ({"limit": -1}, "limit must be a whole number of 0 or more"),
        ({"limit": True}, "limit must be a whole number"),
        ({"caption": 5}, "caption must be text"),
        ({"county": "Narnia"}, "unknown county 'Narnia'"),
        ({"county": 1.5}, "neither a county name nor a number"),
        ({"municipalities": "all"}, 'municipalities="all" needs a register'),
    ],
)
def test_bad_arguments(dataset: Dataset, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(MacroArgumentError, match=None) as caught:
        pick(dataset, **kwargs)
    assert message in str(caught.value)


def test_ambiguous_name_asks_for_the_number() -> None:
    dataset = parse_dataset(
        "sources: [{id: a, name: A}]\nmunicipalities:\n"
        "  - {name: Herøy, kommunenummer: '1515'}\n  - {name: Herøy, kommunenummer: '1818'}\n"
    )
    with pytest.raises(
        MacroArgumentError, match='ambiguous; use its kommunenummer: "1515" or "1818"'
    ):
        pick(dataset, municipalities=["Herøy"])
    assert [m.kommunenummer for m in pick(dataset, municipalities=["1818"]).municipalities] == [
        "1818"
    ]


def test_accents_only_break_ties() -> None:
    assert sorted(["Eb", "Éa", "Ea"], key=norwegian_sort_key) == ["Ea", "Éa", "Eb"]


@pytest.mark.parametrize("sort", ["coverage", "-coverage"])
def test_coverage_sort_puts_rows_nobody_checked_last(sort: str) -> None:
    data = POPULATIONS.replace("{name: Zelda, population: 5}", "{name: Zelda, links: {a: ~, b: ~}}")
    chosen = pick(parse_dataset(data), sort=sort, sources=["a", "b"])
    # Zelda's cells are both `~`: no figure to compare, so last in either direction.
    assert names(chosen)[-1] == "Zelda"
    assert names(chosen)[0] == ("Øksnes" if sort == "coverage" else "Aurland")
