"""The `municipalities:` list: each entry's own fields, and no municipality listed twice."""

from __future__ import annotations

import re
from typing import Any

from ..model import Municipality
from ..register import Register
from ..safetext import plain
from ..yamlsource import LineDict, LineList
from .fields import count, optional_text, unknown_keys
from .links import check_links
from .problems import Problems, short_repr
from .register_match import fill_from_register
from .sources import SourceIndex

MUNICIPALITY_KEYS = ("name", "kommunenummer", "orgnr", "organization", "population", "links")
_KOMMUNENUMMER = re.compile(r"[0-9]{4}\Z")
# Norway has 357 municipalities (428 before 2020). A longer list is generated or repeated
# (`- *m` rows: 200,000 a megabyte); checking each would make the time grow with it.
MAX_ENTRIES = 2_000


def check_municipalities(
    problems: Problems, top: LineDict, sources: SourceIndex | None, register: Register | None
) -> list[Municipality] | None:
    """The accepted municipalities in file order, or None (reported) when the list is missing."""
    raw = top.get("municipalities")
    if not isinstance(raw, LineList):
        problems.add(
            top.line_of("municipalities") if "municipalities" in top else top.line,
            "top level",
            "municipalities",
            "required: a list of municipalities (it may be empty: `municipalities: []`)",
        )
        return None
    # Without a sources list, no link can be told from a typo: none is reported.
    index = sources if sources is not None else SourceIndex(known=False)
    result: list[tuple[int, Municipality]] = []
    if len(raw) > MAX_ENTRIES:
        problems.add(
            raw.line,
            "top level",
            "municipalities",
            f"{len(raw):,} entries, where Norway has 357 municipalities; only the first "
            f"{MAX_ENTRIES:,} are checked: remove the repeated or generated entries",
        )
    for position, item in enumerate(raw[:MAX_ENTRIES]):
        municipality = _municipality(
            problems, item, raw.line_of(position), position, index, register
        )
        if municipality is not None:
            result.append((position, municipality))
    _duplicates(problems, result, raw)
    return [municipality for _, municipality in result]


def _municipality(
    problems: Problems,
    item: Any,
    line: int,
    position: int,
    sources: SourceIndex,
    register: Register | None,
) -> Municipality | None:
    entry = f"municipalities[{position}]"
    if not isinstance(item, LineDict):
        problems.add(line, entry, "", "each municipality must be a mapping, e.g. `- name: Oslo`")
        return None
    if isinstance(item.get("name"), str) and item["name"].strip():
        entry = f"{entry} ({plain(item['name'].strip())})"
    unknown_keys(
        problems, item, MUNICIPALITY_KEYS, entry, lambda key: _link_hint(key, item, sources)
    )
    before = len(problems)
    number = _kommunenummer(problems, item, entry)
    fields: dict[str, Any] = {
        "name": optional_text(problems, item, "name", entry),
        "kommunenummer": number,
        "orgnr": _orgnr(problems, item, entry),
        "organization": optional_text(problems, item, "organization", entry),
        "population": count(problems, item, "population", entry),
        "county_number": number[:2] if number else None,
        "county_name": None,
    }
    if register is not None:
        fill_from_register(problems, fields, item, entry, register)
    # With a register, a number it does not know has been reported already.
    if not fields["name"] and "name" not in item and not (register and number):
        hint = "" if register else " (or give `kommunenummer` and set `register: norway-2024`)"
        problems.add(item.line, entry, "name", f"required: the municipality's name{hint}")
    fields["organization"] = fields["organization"] or f"{fields['name']} kommune"
    # Links are checked even when other fields have problems, so one pass reports them all;
    # a field given but refused is not reported again as missing from a url template.
    refused = {key for key in ("orgnr", "kommunenummer") if key in item and not fields[key]}
    links, unchecked = check_links(problems, item, entry, Municipality(**fields), sources, refused)
    if len(problems) > before:
        return None
    return Municipality(**fields, links=links, unchecked=unchecked)


def _link_hint(key: str, item: LineDict, sources: SourceIndex) -> str | None:
    """A source id beside `name:` is a link indented one level too little, as a rule."""
    if key not in sources.by_id:
        return None
    if "links" in item:
        return (
            f"unknown key; {plain(key)!r} is a source id: indent it under links:? "
            "(2 spaces more than `links:`)"
        )
    return f"unknown key; {plain(key)!r} is a source id: put it under `links:`"


def _kommunenummer(problems: Problems, item: LineDict, entry: str) -> str | None:
    value = item.get("kommunenummer")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _KOMMUNENUMMER.match(value):
        return value
    hint = (
        ' (YAML reads unquoted numbers with a leading 0 as integers: write "0301")'
        if isinstance(value, int) and not isinstance(value, bool)
        else ""
    )
    problems.add(
        item.line_of("kommunenummer"),
        entry,
        "kommunenummer",
        f'{short_repr(value)} is not 4 digits; write it in quotes, e.g. "0301"{hint}',
    )
    return None


_PLAIN_ORGNR = re.compile(r"[0-9]{9}")
_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2, 1)  # stdnum.no.orgnr.checksum's


def _mod11(digits: str) -> int:
    return sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, digits, strict=True)) % 11


def _orgnr(problems: Problems, item: LineDict, entry: str) -> str | None:
    value = item.get("orgnr")
    if value is None:
        return None
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str):
        problems.add(
            item.line_of("orgnr"),
            entry,
            "orgnr",
            'must be 9 digits in quotes, e.g. "958935420"',
        )
        return None
    if _PLAIN_ORGNR.fullmatch(text) and _mod11(text) == 0:
        return text
    # Anything else goes to python-stdnum, the authority, imported only here: it pulls in
    # pydoc, about 20 ms that every build of a clean data file would otherwise pay.
    from stdnum.exceptions import InvalidChecksum
    from stdnum.exceptions import ValidationError as StdnumValidationError
    from stdnum.no import orgnr as stdnum_orgnr

    try:
        return str(stdnum_orgnr.validate(text))
    except StdnumValidationError as error:
        reason = (
            "it fails the mod-11 check digit"
            if isinstance(error, InvalidChecksum)
            else "an organisation number is 9 digits"
        )
        problems.add(
            item.line_of("orgnr"),
            entry,
            "orgnr",
            f"{short_repr(text)} is not a valid organisation number: {reason}; "
            "copy it from the Brønnøysund register (Enhetsregisteret)",
        )
        return None


def _duplicates(problems: Problems, result: list[tuple[int, Municipality]], raw: LineList) -> None:
    by_number: dict[str, int] = {}
    by_name: dict[str, list[tuple[int, Municipality]]] = {}
    for position, municipality in result:
        line = raw.line_of(position)
        entry = f"municipalities[{position}] ({plain(municipality.name)})"
        number = municipality.kommunenummer
        if number is not None and number in by_number:
            problems.add(
                line,
                entry,
                "kommunenummer",
                f"{number} is already listed as municipalities[{by_number[number]}]; "
                "list each municipality once",
            )
            continue
        for other_position, other in by_name.get(municipality.name.casefold(), []):
            if number is None or other.kommunenummer is None:
                problems.add(
                    line,
                    entry,
                    "name",
                    f"{short_repr(municipality.name)} is already listed as municipalities[{other_position}]; "
                    "list each municipality once, or give both a `kommunenummer` if they differ",
                )
                break
        if number is not None:
            by_number[number] = position
        by_name.setdefault(municipality.name.casefold(), []).append((position, municipality))
