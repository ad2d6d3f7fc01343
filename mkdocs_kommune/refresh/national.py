"""What a catalogue shows it knows: its list of organisations, read from one national answer.

A filtered count of 0 means "nothing found" only when the catalogue knows the organisation:
Geonorge and CKAN answer a name (or slug) they have never heard of with HTTP 200 and a count
of 0, exactly as for one that publishes nothing. So a 0 is written only when the organisation
is among those the catalogue lists; otherwise the cell is reported as unknown to the catalogue,
with the closest names it does know.

Geonorge, kartverket/Geonorge.Kartkatalog @ 1c32b1cf64fc858a673ae9ff358320364a06fb35,
Kartverket.Metadatakatalog/Models/SearchParameters.cs, BuildFacetParameters: every default facet
(organizations among them) is asked with MinCount = 0, Limit = 550 and Sort = false, and a facet
that carries a filter is asked with {!ex=<its name>}. So one answer, with or without an
organisation filter, lists up to 550 organisation names in index (code point) order, each with
its count of matching records, 0 included: every organisation Geonorge holds a record of. A list
of 550 may have been cut; a name that sorts after its last one can still be known, and is asked
on its own. Models/Api/Facet.cs gives the shape {FacetField, Name, NameTranslated, FacetResults:
[{Name, Count, NameTranslated}]}.

Geonorge's organisation register, kartverket/Geonorge.Register @
82ff4a8b0f0f3d46ff5bb70745ade63d585c03b8, Kartverket.Register/App_Start/WebApiConfig.cs
(route api/v2/organisasjoner/kommuner), Controllers/OrganizationsApiController.cs
(GetOrganizationsV2: the municipalities), Models/Api/OrganizationV2.cs ({Name,
OrganizationNumber, MunicipalityCode, ...}, PascalCase: Web API's default Newtonsoft settings,
nulls left out). The catalogue takes its organisation names from this register
(Geonorge.Kartkatalog Services/RegisterFetcher.cs reads api/register/organisasjoner), so an
orgnr found there names the organisation as the catalogue spells it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .answers import BadAnswer, list_of_objects, member, text, whole_number

GEONORGE_REGISTER = "https://register.geonorge.no/api/v2/organisasjoner/kommuner"
GEONORGE_SEARCH = "https://kartkatalog.geonorge.no/api/search"
FACET_LIMIT = 550
# ckan/ckan ckan/logic/action/get.py group_list/organization_list: without all_fields the list is
# cut at `ckan.group_and_organization_list_max` (default 1000).
CKAN_LIST_MAX = 1000
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})  # NFKD takes care of é, ü …
_KOMMUNE = re.compile(r"[\s-]kommune\Z")


class Unknown(Exception):
    """The catalogue does not show that it knows the organisation; ``str()`` says so."""


@dataclass(frozen=True)
class Organisations:
    """The organisations a catalogue lists, with their counts (None: the list has no counts)."""

    counts: dict[str, int]
    cut: bool = False  # the list reached its limit: names after ``last`` were left out
    last: str = ""

    def beyond(self, name: str) -> bool:
        """True when the list cannot say whether it holds ``name``."""
        return self.cut and name > self.last


def geonorge_organisations(answer: Any) -> Organisations | None:
    """The `organizations` facet of a Geonorge search answer; None when it has none."""
    facets = answer.get("Facets") if isinstance(answer, dict) else None
    if not isinstance(facets, list):
        return None
    for facet in facets:
        if isinstance(facet, dict) and facet.get("FacetField") == "organizations":
            values = list_of_objects(facet, "FacetResults")
            counts = {text(v, "Name"): whole_number(v, "Count") for v in values}
            if len(values) < FACET_LIMIT:
                return Organisations(counts)
            return Organisations(counts, cut=True, last=max(counts, default=""))
    return None


def geonorge_register_url(search_endpoint: str) -> str:
    """The register beside a Geonorge search endpoint: the real one for the real catalogue; a
    mirror or test server serves it beside its search, at ``api/v2/organisasjoner/kommuner``."""
    if search_endpoint.rstrip("/") == GEONORGE_SEARCH:
        return GEONORGE_REGISTER
    base, _, _ = search_endpoint.rstrip("/").rpartition("/api/search")
    return f"{base}/api/v2/organisasjoner/kommuner"


def geonorge_register(answer: Any) -> dict[str, str]:
    """orgnr -> organisation name, from the register's list of municipalities."""
    if not isinstance(answer, list):
        raise BadAnswer("unexpected answer: the organisation register's answer is not a list")
    names: dict[str, str] = {}
    for entry in answer:
        if isinstance(entry, dict) and isinstance(entry.get("OrganizationNumber"), str):
            names[entry["OrganizationNumber"].strip()] = text(entry, "Name")
    return names


async def geonorge_count(
    name: str,
    orgnr: str | None,
    listed: Organisations | None,
    ask: Callable[[str], Awaitable[int]],
    register: Callable[[], Awaitable[dict[str, str]]],
    notes: list[str],
) -> int:
    """The count of ``name`` when Geonorge shows it knows the organisation; else ``Unknown``.

    ``listed`` is the national answer's list (None when it had no organisations facet),
    ``ask`` counts one name with its own request, ``register`` reads the organisation register.
    """
    known = listed or Organisations({}, cut=True)
    if name in known.counts:
        return known.counts[name]
    if known.beyond(name) and (count := await ask(name)) > 0:
        return count
    registered = (await register()).get(orgnr or "") if orgnr else None
    if registered == name:
        return 0  # in the register, and no record in the catalogue: a true 0
    if registered is not None:
        if registered in known.counts:
            count = known.counts[registered]
        elif known.beyond(registered):
            count = await ask(registered)
        else:
            count = 0  # the register names it: the catalogue knows it, with no records
        notes.append(
            f"Geonorge knows orgnr {orgnr} as {registered!r}, not {name!r}: counted under that "
            f"name; set `organization: {registered}` on the entry so its link finds it too"
        )
        return count
    raise Unknown(
        f"unknown to Geonorge: no organisation named {name!r}" + closest(name, known.counts)
    )


def check_fdk_zero(orgnr: str) -> None:
    """Nothing when a 0 from Felles datakatalog can be trusted for ``orgnr``; else ``Unknown``.

    Its aggregation lists only the organisations that have datasets, so it cannot show that it
    knows one with none. It files a municipality under /KOMMUNE/<orgnr> by the orgnr of
    Enhetsregisteret (Informasjonsforvaltning/organization-catalog @ a996803c, mapping/
    OrgPathMapper.kt): an orgnr that is a municipality's in the bundled 2024 register is one it
    knows; another (a pre-2024 one, a typing slip that passes the check digit) is not trusted.
    """
    from ..register import load_register

    if orgnr not in {entry.orgnr for entry in load_register().entries}:
        raise Unknown(
            f"unknown to Felles datakatalog: orgnr {orgnr} is no municipality's in the 2024 "
            "register, so its 0 cannot be trusted; check the entry's `orgnr`"
        )


def ckan_organisations(answer: Any) -> Organisations:
    """The slugs of a CKAN `organization_list` answer ({success, result: [slug, ...]})."""
    if not isinstance(answer, dict) or answer.get("success") is not True:
        raise BadAnswer(
            "unexpected answer: the CKAN organisation list does not say `success: true`"
        )
    slugs = member(answer, "result")
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise BadAnswer("unexpected answer: the CKAN organisation list is not a list of names")
    return Organisations(
        dict.fromkeys(slugs, 0), cut=len(slugs) >= CKAN_LIST_MAX, last=max(slugs, default="")
    )


def ckan_organisation_list_url(package_search: str) -> str:
    return package_search.rstrip("/").rpartition("/")[0] + "/organization_list"


def check_ckan_slug(slug: str, portal: str, listed: Organisations) -> None:
    """Nothing when the portal lists the organisation ``slug``; else ``Unknown``."""
    if slug in listed.counts:
        return
    if listed.cut:
        raise Unknown(
            f"cannot tell whether {portal} knows the organisation {slug!r}: its list of "
            f"{len(listed.counts)} organisations may be cut short"
        )
    raise Unknown(f"unknown to {portal}: no organisation {slug!r}" + closest(slug, listed.counts))


def closest(name: str, known: Iterable[str]) -> str:
    """ "; closest names it knows: 'A', 'B'" (case, accents and a trailing "kommune" aside), or
    "" when none is close: a shared " kommune" alone does not make "Oslo" close to "Bodo"."""
    by_key: dict[str, str] = {}
    for candidate in known:
        by_key.setdefault(_key(candidate), candidate)
    matches = difflib.get_close_matches(_key(name), list(by_key), n=3, cutoff=0.8)
    if not matches:
        return ""
    return "; closest names it knows: " + ", ".join(repr(by_key[m]) for m in matches)


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFC", text).casefold().translate(_LETTERS)
    plain_letters = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return _KOMMUNE.sub("", plain_letters).strip()
