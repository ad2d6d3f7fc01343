"""The bundled register of Norway's municipalities (357 as of 1 January 2024)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

REGISTERS = ("norway-2024",)


@dataclass(frozen=True)
class RegisterEntry:
    kommunenummer: str
    name: str
    county_number: str
    county_name: str
    orgnr: str
    other_name: str

    def answers_to(self, name: str) -> bool:
        """True for the plain name or any part of the official multilingual name."""
        wanted = name.casefold()
        forms = {self.name, self.other_name, *self.other_name.split(" - ")}
        return any(form.casefold() == wanted for form in forms if form)


class Register:
    """A frozen list of municipalities with lookups by number and by name."""

    def __init__(
        self, register_id: str, entries: tuple[RegisterEntry, ...], renumbered: dict[str, str]
    ) -> None:
        self.id = register_id
        self.entries = entries
        self.renumbered = renumbered  # pre-2024 kommunenummer -> current one
        self._by_number = {entry.kommunenummer: entry for entry in entries}

    def by_number(self, kommunenummer: str) -> RegisterEntry | None:
        return self._by_number.get(kommunenummer)

    def by_name(self, name: str) -> list[RegisterEntry]:
        return [entry for entry in self.entries if entry.answers_to(name)]

    def counties(self) -> dict[str, str]:
        """County number -> county name, in register order."""
        return {entry.county_number: entry.county_name for entry in self.entries}


@functools.cache
def load_register(register_id: str = "norway-2024") -> Register:
    """Read a bundled register; ``register_id`` must be one of ``REGISTERS``."""
    if register_id not in REGISTERS:
        raise ValueError(f"unknown register {register_id!r}; known: {', '.join(REGISTERS)}")
    folder = resources.files("mkdocs_kommune") / "datasets"
    with (folder / f"{register_id}.csv").open(encoding="utf-8") as stream:
        entries = tuple(
            RegisterEntry(
                kommunenummer=row["kommunenummer"],
                name=row["name"],
                county_number=row["county_number"],
                county_name=row["county_name"],
                orgnr=row["orgnr"],
                other_name=row["name_sami_or_other"],
            )
            for row in csv.DictReader(stream)
        )
    with (folder / f"{register_id}-renumbered.csv").open(encoding="utf-8") as stream:
        renumbered = {
            row["kommunenummer_2020_2023"]: row["kommunenummer_2024"]
            for row in csv.DictReader(stream)
        }
    return Register(register_id, entries, renumbered)
