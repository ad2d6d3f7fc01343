"""The validated dataset: what templates, macros and the ``kommune_data`` variable see."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

# What a cell says (DESIGN.md): links to data, checked and nothing found, or nobody has looked.
CellState = Literal["data", "none", "unchecked"]
CELL_STATES: Final = ("data", "none", "unchecked")

NORWEGIAN_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


@dataclass(frozen=True)
class Source:
    """A column of the table: a catalogue or a group of portals."""

    id: str
    name: str
    link_text: str | None = None
    url: str | None = None
    api_kind: str | None = None
    api_url: str | None = None
    api_query: str | None = None  # refresh counts only the datasets matching this text


@dataclass(frozen=True)
class Link:
    """One link in a cell. ``datasets == 0`` means the catalogue was asked and had nothing."""

    url: str
    text: str
    datasets: int | None = None
    checked: datetime.date | None = None

    @property
    def found(self) -> bool:
        return self.datasets != 0


@dataclass(frozen=True)
class Municipality:
    name: str
    kommunenummer: str | None = None
    orgnr: str | None = None
    organization: str = ""
    population: int | None = None
    county_number: str | None = None
    county_name: str | None = None
    links: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    # Source ids whose key is `null` (`~`) in the data file: nobody has looked there yet.
    unchecked: frozenset[str] = frozenset()
    # False for a row the register made up (municipalities="all", county=): nothing was checked.
    listed: bool = True

    def links_for(self, source_id: str) -> tuple[Link, ...]:
        """The links that show something; empty: nothing found, or not checked (see ``state``)."""
        return tuple(link for link in self.links.get(source_id, ()) if link.found)

    def covered_by(self, source_id: str) -> bool:
        return bool(self.links_for(source_id))

    def state(self, source_id: str) -> CellState:
        """``data``, ``none`` (checked, nothing found) or ``unchecked`` (nobody has looked)."""
        if self.links_for(source_id):
            return "data"
        if not self.listed or source_id in self.unchecked:
            return "unchecked"
        return "none"

    def checked(self, source_id: str) -> bool:
        return self.state(source_id) != "unchecked"

    @property
    def slug(self) -> str:
        """An HTML id for the row, e.g. ``bergen``, ``baerum``, ``tromso``."""
        text = self.name.casefold().translate(_TRANSLITERATION)
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        words = "".join(c if c.isalnum() else " " for c in ascii_text).split()
        return "-".join(words) or "kommune"


@dataclass(frozen=True)
class Dataset:
    sources: tuple[Source, ...]
    municipalities: tuple[Municipality, ...]
    register: str | None = None
    path: str | None = None

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


def norwegian_sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Collation key that puts æ, ø, å after z, as Norwegian dictionaries do.

    Other accented letters sort with their base letter (é with e); accents only break ties
    (a secondary difference), so "Éa" < "Eb".
    """
    folded = text.casefold()
    primary = tuple(_letter_rank(char) for char in folded)
    return primary, folded


def _letter_rank(char: str) -> int:
    if char in "æøå":
        return NORWEGIAN_ALPHABET.index(char)
    base = unicodedata.normalize("NFKD", char)[0]
    return NORWEGIAN_ALPHABET.index(base) if base in NORWEGIAN_ALPHABET else -1
