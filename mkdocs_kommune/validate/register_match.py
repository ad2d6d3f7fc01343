"""Matching municipalities against a bundled register: `register:`, numbers, names and orgnr."""

from __future__ import annotations

import difflib
from typing import Any

from ..register import REGISTERS, Register, load_register
from ..yamlsource import LineDict
from .problems import Problems, short_repr


def check_register(problems: Problems, top: LineDict, option: str | None) -> Register | None:
    """The register in use: the plugin option wins over the file's `register:` key."""
    register_id = option if option is not None else top.get("register")
    if register_id is None:
        return None
    if register_id not in REGISTERS:
        problems.add(
            top.line_of("register"),
            "top level",
            "register",
            f"{short_repr(register_id)} is not a bundled register; use one of: {', '.join(REGISTERS)}",
        )
        return None
    return load_register(register_id)


def fill_from_register(
    problems: Problems, fields: dict[str, Any], item: LineDict, entry: str, register: Register
) -> None:
    """Check the entry's number, name and orgnr against the register and fill in the rest."""
    number, name = fields["kommunenummer"], fields["name"]
    if number is not None:
        found = register.by_number(number)
        if found is None:
            problems.add(
                item.line_of("kommunenummer"),
                entry,
                "kommunenummer",
                _unknown_number(number, register),
            )
            return
        if name and not found.answers_to(name):
            problems.add(
                item.line_of("name"),
                entry,
                "name",
                f"{register.id} names {number} {found.name!r}, not {short_repr(name)}; fix the name or the number",
            )
            return
    elif name:
        matches = register.by_name(name)
        if len(matches) != 1:
            problems.add(
                item.line_of("name"), entry, "name", _name_problem(name, matches, register)
            )
            return
        found = matches[0]
    else:
        return
    if fields["orgnr"] and fields["orgnr"] != found.orgnr:
        problems.add(
            item.line_of("orgnr"),
            entry,
            "orgnr",
            f"{register.id} gives {found.name} the organisation number {found.orgnr}; "
            "fix it or remove the field",
        )
    fields.update(
        name=name or found.name,
        kommunenummer=found.kommunenummer,
        orgnr=fields["orgnr"] or found.orgnr,
        county_number=found.county_number,
        county_name=found.county_name,
    )


def _unknown_number(number: str, register: Register) -> str:
    current = register.renumbered.get(number)
    if current is not None:
        found = register.by_number(current)
        name = found.name if found else "it"
        return (
            f"{number} is a pre-2024 number; {name} has been {current} since 1 January 2024: "
            f'write "{current}"'
        )
    return f"{number} is not a municipality in {register.id}; check the number"


def _name_problem(name: str, matches: list[Any], register: Register) -> str:
    if matches:
        options = " or ".join(f'"{m.kommunenummer}" ({m.county_name})' for m in matches)
        return f"{short_repr(name)} names {len(matches)} municipalities; add `kommunenummer:` {options}"
    names = [e.name for e in register.entries]
    close = difflib.get_close_matches(name, names, n=1) if len(name) <= 100 else []
    hint = (
        f"; did you mean {close[0]!r}?" if close else "; check the spelling or give `kommunenummer`"
    )
    return f"{short_repr(name)} is not a municipality in {register.id}{hint}"
