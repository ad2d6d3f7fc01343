"""The rules of the data file: walk the parsed YAML, collect every problem, build the dataset.

No problem is fatal alone: each names the line, the entry and the field, and says what would be
valid, so a site author can fix all of them in one pass.
"""

from __future__ import annotations

import datetime
import difflib
import re
import reprlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr as stdnum_orgnr

from .model import Dataset, Link, Municipality, Source
from .register import REGISTERS, Register, load_register
from .urls import PLACEHOLDER, check_url, encode_component
from .yamlsource import LineDict, LineList

PLACEHOLDERS = ("name", "organization", "orgnr", "kommunenummer")
TOP_KEYS = ("sources", "municipalities", "register")
SOURCE_KEYS = ("id", "name", "link_text", "url", "api")
API_KEYS = ("kind", "url")
MUNICIPALITY_KEYS = ("name", "kommunenummer", "orgnr", "organization", "population", "links")
LINK_KEYS = ("url", "text", "datasets", "checked")
_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_KOMMUNENUMMER = re.compile(r"[0-9]{4}\Z")


@dataclass(frozen=True)
class Problem:
    line: int
    entry: str
    field: str
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        what = ", ".join(
            part for part in (self.entry, self.field and f"field '{self.field}'") if part
        )
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"


def fill_template(template: str, municipality: Municipality) -> str:
    """Put the municipality's values into a source URL template, percent-encoded."""
    values = {
        "name": municipality.name,
        "organization": municipality.organization,
        "orgnr": municipality.orgnr or "",
        "kommunenummer": municipality.kommunenummer or "",
    }
    return PLACEHOLDER.sub(lambda match: encode_component(values[match.group(1)]), template)


class Checker:
    """Walks the parsed YAML, collecting problems and building the dataset."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        # Ids of sources that were declared but rejected: links to them are not reported again.
        self.rejected_source_ids: set[str] = set()
        self.sources_known = True

    def add(self, line: int, entry: str, field: str, message: str) -> None:
        self.problems.append(Problem(line, entry, field, message))

    def dataset(self, top: Any, register_option: str | None, path: str) -> Dataset | None:
        if top is None:
            self.add(
                1,
                "",
                "",
                "the file is empty; it needs a `sources:` list and a `municipalities:` list",
            )
            return None
        if not isinstance(top, LineDict):
            self.add(
                _line(top),
                "",
                "",
                "the top level must be a mapping with the keys `sources` and `municipalities`",
            )
            return None
        self.unknown_keys(top, TOP_KEYS, "top level")
        register = self.register(top, register_option)
        sources = self.sources(top)
        municipalities = self.municipalities(top, sources, register)
        if sources is None or municipalities is None:
            return None
        return Dataset(
            tuple(sources), tuple(municipalities), register.id if register else None, path
        )

    # -- top level -------------------------------------------------------------------------

    def unknown_keys(self, mapping: LineDict, allowed: tuple[str, ...], entry: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(
                    mapping.line_of(key),
                    entry,
                    str(key),
                    f"unknown key; allowed keys are {', '.join(allowed)}",
                )

    def register(self, top: LineDict, option: str | None) -> Register | None:
        register_id = option if option is not None else top.get("register")
        if register_id is None:
            return None
        if register_id not in REGISTERS:
            self.add(
                top.line_of("register"),
                "top level",
                "register",
                f"{short_repr(register_id)} is not a bundled register; use one of: {', '.join(REGISTERS)}",
            )
            return None
        return load_register(register_id)

    def sources(self, top: LineDict) -> list[Source] | None:
        raw = top.get("sources")
        if not isinstance(raw, LineList) or not raw:
            self.add(
                top.line_of("sources") if "sources" in top else top.line,
                "top level",
                "sources",
                "required: a non-empty list of sources, each with at least `id` and `name`",
            )
            self.sources_known = False
            return None
        sources: list[Source] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(raw):
            source = self.source(item, raw.line_of(index), index)
            if source is None:
                continue
            if source.id in seen:
                self.add(
                    _line(item),
                    f"sources[{index}]",
                    "id",
                    f"'{source.id}' is already used by sources[{seen[source.id]}]; ids must be unique",
                )
                continue
            seen[source.id] = index
            sources.append(source)
        return sources

    def source(self, item: Any, line: int, index: int) -> Source | None:
        entry = f"sources[{index}]"
        if not isinstance(item, LineDict):
            self.add(line, entry, "", "each source must be a mapping with `id` and `name`")
            return None
        entry = f"sources[{index}] ({item.get('id')})" if isinstance(item.get("id"), str) else entry
        self.unknown_keys(item, SOURCE_KEYS, entry)
        source_id = item.get("id")
        name = item.get("name")
        ok = True
        if not isinstance(source_id, str) or not _SOURCE_ID.match(source_id):
            self.add(
                item.line_of("id"),
                entry,
                "id",
                "required: lower-case letters, digits, '-' or '_', e.g. `geonorge`",
            )
            ok = False
        if not isinstance(name, str) or not name.strip():
            self.add(
                item.line_of("name"),
                entry,
                "name",
                "required: the column header text, e.g. `Geonorge`",
            )
            ok = False
        link_text = self.optional_text(item, "link_text", entry)
        url = item.get("url")
        if url is not None and not self.check_template(url, item.line_of("url"), entry):
            url = None
            ok = False
        api_kind, api_url = self.api(item, entry)
        if not ok:
            if isinstance(source_id, str):
                self.rejected_source_ids.add(source_id)
            else:
                self.sources_known = False  # links cannot be told apart from typos any more
            return None
        assert isinstance(source_id, str) and isinstance(name, str)
        return Source(source_id, name, link_text, url, api_kind, api_url)

    def check_template(self, url: Any, line: int, entry: str) -> bool:
        problem = check_url(url, template=True)
        if problem is None:
            unknown = [p for p in PLACEHOLDER.findall(url) if p not in PLACEHOLDERS]
            if unknown:
                problem = (
                    f"unknown placeholder {{{unknown[0]}}}; the url template may use "
                    + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                )
        if problem:
            self.add(line, entry, "url", problem)
        return problem is None

    def api(self, item: LineDict, entry: str) -> tuple[str | None, str | None]:
        api = item.get("api")
        if api is None:
            return None, None
        if not isinstance(api, LineDict):
            self.add(
                item.line_of("api"),
                entry,
                "api",
                "must be a mapping with `kind` and optional `url`",
            )
            return None, None
        self.unknown_keys(api, API_KEYS, f"{entry} api")
        kind = api.get("kind")
        if not isinstance(kind, str):
            self.add(
                api.line_of("kind"),
                entry,
                "api.kind",
                "required: the catalogue kind, e.g. `geonorge`",
            )
            kind = None
        url = api.get("url")
        if url is not None and (problem := check_url(url)):
            self.add(api.line_of("url"), entry, "api.url", problem)
            url = None
        return kind, url

    def optional_text(
        self, mapping: LineDict, key: str, entry: str, prefix: str = ""
    ) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip():
            # NFC, so "Åsnes" typed on macOS (NFD) and elsewhere is one name and one URL.
            return unicodedata.normalize("NFC", value.strip())
        self.add(mapping.line_of(key), entry, prefix + key, "must be non-empty text")
        return None

    # -- municipalities --------------------------------------------------------------------

    def municipalities(
        self, top: LineDict, sources: list[Source] | None, register: Register | None
    ) -> list[Municipality] | None:
        raw = top.get("municipalities")
        if not isinstance(raw, LineList):
            self.add(
                top.line_of("municipalities") if "municipalities" in top else top.line,
                "top level",
                "municipalities",
                "required: a list of municipalities (it may be empty: `municipalities: []`)",
            )
            return None
        by_id = {source.id: source for source in sources or []}
        result: list[tuple[int, Municipality]] = []
        for index, item in enumerate(raw):
            municipality = self.municipality(item, raw.line_of(index), index, by_id, register)
            if municipality is not None:
                result.append((index, municipality))
        self.duplicates(result, raw)
        return [municipality for _, municipality in result]

    def municipality(
        self,
        item: Any,
        line: int,
        index: int,
        sources: dict[str, Source],
        register: Register | None,
    ) -> Municipality | None:
        entry = f"municipalities[{index}]"
        if not isinstance(item, LineDict):
            self.add(line, entry, "", "each municipality must be a mapping, e.g. `- name: Oslo`")
            return None
        if isinstance(item.get("name"), str) and item["name"].strip():
            entry = f"{entry} ({item['name']})"
        self.unknown_keys(item, MUNICIPALITY_KEYS, entry)
        count = len(self.problems)
        number = self.kommunenummer(item, entry)
        fields: dict[str, Any] = {
            "name": self.optional_text(item, "name", entry),
            "kommunenummer": number,
            "orgnr": self.orgnr(item, entry),
            "organization": self.optional_text(item, "organization", entry),
            "population": self.count(item, "population", entry),
            "county_number": number[:2] if number else None,
            "county_name": None,
        }
        if register is not None:
            self.fill_from_register(fields, item, entry, register)
        # With a register, a number it does not know has been reported already.
        if not fields["name"] and "name" not in item and not (register and number):
            hint = "" if register else " (or give `kommunenummer` and set `register: norway-2024`)"
            self.add(item.line, entry, "name", f"required: the municipality's name{hint}")
        fields["organization"] = fields["organization"] or f"{fields['name']} kommune"
        # Links are checked even when other fields have problems, so one pass reports them all.
        links = self.links(item, entry, Municipality(**fields), sources)
        if len(self.problems) > count:
            return None
        return Municipality(**fields, links=links)

    def kommunenummer(self, item: LineDict, entry: str) -> str | None:
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
        self.add(
            item.line_of("kommunenummer"),
            entry,
            "kommunenummer",
            f'{short_repr(value)} is not 4 digits; write it in quotes, e.g. "0301"{hint}',
        )
        return None

    def orgnr(self, item: LineDict, entry: str) -> str | None:
        value = item.get("orgnr")
        if value is None:
            return None
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str):
            self.add(
                item.line_of("orgnr"),
                entry,
                "orgnr",
                'must be 9 digits in quotes, e.g. "958935420"',
            )
            return None
        try:
            return str(stdnum_orgnr.validate(text))
        except StdnumValidationError as error:
            reason = (
                "it fails the mod-11 check digit"
                if isinstance(error, InvalidChecksum)
                else "an organisation number is 9 digits"
            )
            self.add(
                item.line_of("orgnr"),
                entry,
                "orgnr",
                f"{text!r} is not a valid organisation number: {reason}; "
                "copy it from the Brønnøysund register (Enhetsregisteret)",
            )
            return None

    def count(self, mapping: LineDict, key: str, entry: str, prefix: str = "") -> int | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        self.add(
            mapping.line_of(key),
            entry,
            prefix + key,
            f"{short_repr(value)} is not a whole number of 0 or more",
        )
        return None

    def fill_from_register(
        self, fields: dict[str, Any], item: LineDict, entry: str, register: Register
    ) -> None:
        number, name = fields["kommunenummer"], fields["name"]
        if number is not None:
            found = register.by_number(number)
            if found is None:
                self.add(
                    item.line_of("kommunenummer"),
                    entry,
                    "kommunenummer",
                    _unknown_number(number, register),
                )
                return
            if name and not found.answers_to(name):
                self.add(
                    item.line_of("name"),
                    entry,
                    "name",
                    f"{register.id} names {number} {found.name!r}, not {name!r}; fix the name or the number",
                )
                return
        elif name:
            matches = register.by_name(name)
            if len(matches) != 1:
                self.add(
                    item.line_of("name"), entry, "name", _name_problem(name, matches, register)
                )
                return
            found = matches[0]
        else:
            return
        if fields["orgnr"] and fields["orgnr"] != found.orgnr:
            self.add(
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

    def links(
        self, item: LineDict, entry: str, municipality: Municipality, sources: dict[str, Source]
    ) -> dict[str, tuple[Link, ...]]:
        raw = item.get("links")
        if raw is None:
            return {}
        if not isinstance(raw, LineDict):
            self.add(
                item.line_of("links"), entry, "links", "must be a mapping of source id to link"
            )
            return {}
        links: dict[str, tuple[Link, ...]] = {}
        for source_id, value in raw.items():
            line = raw.line_of(source_id)
            source = sources.get(source_id)
            if source is None and (source_id in self.rejected_source_ids or not self.sources_known):
                continue  # the source itself has been reported
            if source is None:
                known = ", ".join(sources) or "(none defined)"
                self.add(
                    line,
                    entry,
                    f"links.{source_id}",
                    f"unknown source id; the sources are: {known}",
                )
                continue
            cell = list(self.cell(value, line, entry, source, municipality))
            if cell:
                links[source.id] = tuple(cell)
        return links

    def cell(
        self, value: Any, line: int, entry: str, source: Source, municipality: Municipality
    ) -> Iterator[Link]:
        field = f"links.{source.id}"
        if value is None or value is False:
            return
        if isinstance(value, LineList):
            for index, part in enumerate(value):
                if isinstance(part, LineList | bool):
                    self.add(
                        value.line_of(index),
                        entry,
                        f"{field}[{index}]",
                        "a list item must be a URL or a mapping with `url` and `text`",
                    )
                    continue
                yield from self.cell(part, value.line_of(index), entry, source, municipality)
            return
        if value is True:
            value = LineDict()
            value.line, value.key_lines = line, {}
        if isinstance(value, str):
            url_problem = check_url(value)
            if url_problem:
                self.add(line, entry, field, url_problem)
                return
            yield Link(value, source.link_text or urlsplit(value).netloc)
            return
        if not isinstance(value, LineDict):
            self.add(
                line,
                entry,
                field,
                "must be true, a URL, a mapping with `url` and `text`, or a list of them",
            )
            return
        link = self.link_mapping(value, entry, field, source, municipality)
        if link is not None:
            yield link

    def link_mapping(
        self, value: LineDict, entry: str, field: str, source: Source, municipality: Municipality
    ) -> Link | None:
        self.unknown_keys(value, LINK_KEYS, f"{entry} {field}")
        count = len(self.problems)
        url = value.get("url")
        if url is None:
            url = self.template_url(value.line, entry, field, source, municipality)
        elif problem := check_url(url):
            self.add(value.line_of("url"), entry, f"{field}.url", problem)
        text = self.optional_text(value, "text", entry, prefix=f"{field}.")
        datasets = self.count(value, "datasets", entry, prefix=f"{field}.")
        checked = self.date(value, entry, field)
        if url is None or len(self.problems) > count:
            return None
        from_template = value.get("url") is None
        default_text = source.link_text or (source.name if from_template else urlsplit(url).netloc)
        return Link(url, text or default_text, datasets, checked)

    def template_url(
        self, line: int, entry: str, field: str, source: Source, municipality: Municipality
    ) -> str | None:
        if source.url is None:
            self.add(
                line,
                entry,
                field,
                f"source '{source.id}' has no url template, so give a URL here, e.g. "
                f"`{source.id}: https://example.org/` or `{{url: ..., text: ...}}`",
            )
            return None
        missing = [p for p in PLACEHOLDER.findall(source.url) if not getattr(municipality, p)]
        if missing:
            self.add(
                line,
                entry,
                field,
                f"the url template of source '{source.id}' needs {{{missing[0]}}}, which this "
                f"municipality lacks; add `{missing[0]}:` to the entry (or use `register: norway-2024`)",
            )
            return None
        return fill_template(source.url, municipality)

    def date(self, value: LineDict, entry: str, field: str) -> datetime.date | None:
        checked = value.get("checked")
        if checked is None or (
            isinstance(checked, datetime.date) and not isinstance(checked, datetime.datetime)
        ):
            return checked
        if isinstance(checked, datetime.datetime):
            return checked.date()
        self.add(
            value.line_of("checked"),
            entry,
            f"{field}.checked",
            f"{short_repr(checked)} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-25",
        )
        return None

    def duplicates(self, result: list[tuple[int, Municipality]], raw: LineList) -> None:
        by_number: dict[str, int] = {}
        by_name: dict[str, list[tuple[int, Municipality]]] = {}
        for index, municipality in result:
            line = raw.line_of(index)
            entry = f"municipalities[{index}] ({municipality.name})"
            number = municipality.kommunenummer
            if number is not None and number in by_number:
                self.add(
                    line,
                    entry,
                    "kommunenummer",
                    f"{number} is already listed as municipalities[{by_number[number]}]; "
                    "list each municipality once",
                )
                continue
            for other_index, other in by_name.get(municipality.name.casefold(), []):
                if number is None or other.kommunenummer is None:
                    self.add(
                        line,
                        entry,
                        "name",
                        f"{municipality.name!r} is already listed as municipalities[{other_index}]; "
                        "list each municipality once, or give both a `kommunenummer` if they differ",
                    )
                    break
            if number is not None:
                by_number[number] = index
            by_name.setdefault(municipality.name.casefold(), []).append((index, municipality))


class _ShortRepr(reprlib.Repr):
    """``reprlib`` that also cuts LineDict and LineList short (it only knows built-in types)."""

    def __init__(self) -> None:
        super().__init__()  # Python 3.11's Repr takes no arguments; set the limits one by one
        self.maxlevel, self.maxdict, self.maxlist, self.maxstring, self.maxother = 2, 3, 3, 60, 60

    def repr_LineDict(self, value: LineDict, level: int) -> str:  # reprlib dispatches by type name
        return self.repr_dict(value, level)

    def repr_LineList(self, value: LineList, level: int) -> str:
        return self.repr_list(value, level)


_REPR = _ShortRepr()


def short_repr(value: Any) -> str:
    """A value for a message, cut short: YAML aliases can make a small file hold a huge value."""
    return _REPR.repr(value)


def _line(value: Any) -> int:
    return getattr(value, "line", 0)


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
        return f"{name!r} names {len(matches)} municipalities; add `kommunenummer:` {options}"
    close = difflib.get_close_matches(name, [e.name for e in register.entries], n=1)
    hint = (
        f"; did you mean {close[0]!r}?" if close else "; check the spelling or give `kommunenummer`"
    )
    return f"{name!r} is not a municipality in {register.id}{hint}"
