"""The catalogue clients: how each catalogue is asked for a count, and what its answer must hold.

Each shape below was read from the service's public source code; the repository and path are
named at each client. None was tried against the live services from this project's machines,
which have no internet: the tests answer in these shapes from a fake server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import national
from .answers import MAX_COUNT, BadAnswer, list_of_objects, member, whole_number
from .http import Fetcher, FetchError

__all__ = ["MAX_COUNT", "Catalogues", "LookupFailed", "Target", "whole_number"]

GEONORGE = "geonorge"
FELLES_DATAKATALOG = "felles-datakatalog"
CKAN = "ckan"
ARCGIS_HUB = "arcgis-hub"

DEFAULT_ENDPOINTS = {
    # kartverket/Geonorge.Kartkatalog Kartverket.Metadatakatalog/Controllers/ApiSearchController.cs:
    # [Route("api")] + [HttpGet("search")].
    GEONORGE: "https://kartkatalog.geonorge.no/api/search",
    # Informasjonsforvaltning/fdk-search-service deploy/prod/ingress.yaml (host) and
    # src/main/kotlin/no/digdir/fdk/searchservice/controller/SearchController.kt (POST /search/{types}).
    FELLES_DATAKATALOG: "https://search.api.fellesdatakatalog.digdir.no/search/datasets",
}
# The municipalities' branch of Felles datakatalog's organisation paths: /KOMMUNE/<orgnr>.
FDK_MUNICIPALITIES = "/KOMMUNE"
# fdk-search-service service/QueryFilters.kt: MAX_AGGREGATION_BUCKETS = 15_000; a list that long
# may have been cut short, so its absent municipalities cannot be read as 0.
FDK_MAX_BUCKETS = 15_000


class LookupFailed(Exception):
    """A count that could not be had or trusted; ``str()`` is the reason for the report."""


@dataclass(frozen=True)
class Target:
    """What one cell counts: ``subject`` is the organisation name (Geonorge), the orgnr (Felles
    datakatalog), the organisation slug (CKAN) or "" (the whole ArcGIS Hub site)."""

    kind: str
    endpoint: str
    subject: str
    query: str | None = None
    orgnr: str | None = None  # Geonorge: to find the organisation in its register


class Catalogues:
    """Counts datasets; requests shared by many cells (unfiltered totals, the Felles datakatalog
    aggregation) are made once per run."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._shared: dict[Hashable, asyncio.Task[Any]] = {}
        self.notes: list[str] = []  # what the user should know beside the counts

    async def count(self, target: Target) -> int:
        try:
            if target.kind == GEONORGE:
                return await self._geonorge(target)
            if target.kind == FELLES_DATAKATALOG:
                return await self._felles_datakatalog(target)
            if target.kind == CKAN:
                return await self._ckan(target)
            if target.kind == ARCGIS_HUB:
                return await self._arcgis_hub(target)
        except (FetchError, BadAnswer, national.Unknown) as error:
            raise LookupFailed(str(error)) from None
        raise LookupFailed(f"unknown catalogue kind '{target.kind}'")

    def _once(self, key: Hashable, make: Callable[[], Awaitable[Any]]) -> asyncio.Task[Any]:
        if key not in self._shared:
            self._shared[key] = asyncio.ensure_future(make())
        return self._shared[key]

    # -- Geonorge kartkatalog -------------------------------------------------------------------
    # kartverket/Geonorge.Kartkatalog, Kartverket.Metadatakatalog/:
    # - Models/Api/SearchParameterModelBuilder.cs reads the literal keys `facets[i]name` and
    #   `facets[i]value` (no dot), from i = 0 up to the first gap, and `text`, `limit`, `offset`.
    # - Models/SearchParameters.cs AddDefaultFacetsIfMissing rebuilds the facets from a fixed list
    #   that has `organizations` (plural) but not `organization`: a singular filter is dropped
    #   without a word, and NumFound is then the unfiltered total. Hence the guard.
    # - Startup.cs sets PropertyNamingPolicy = null: the JSON keeps C#'s PascalCase, and
    #   Models/Api/SearchResult.cs gives {NumFound, Limit, Offset, Results, Facets, Type}.
    # - Services/Search/SearchServiceAll.cs answers a failed Solr query with NumFound 0 and no
    #   facets at all, while a working one always lists its facets: an empty Facets is an error.

    async def _geonorge(self, target: Target) -> int:
        # One answer lists every organisation with its count (see national.py); a name it
        # does not hold is asked on its own only when the list was cut before it.
        key = (target.endpoint, target.query)
        everyone, listed = await self._once(
            ("geonorge-national", *key), lambda: self._geonorge_national(target)
        )

        async def ask(name: str) -> int:
            # Once per name: two municipalities may share one (Herøy, Våler).
            count: int = await self._once(
                ("geonorge-name", *key, name),
                lambda: self._geonorge_count(
                    target, [("organizations", name), ("type", "dataset")]
                ),
            )
            _guard_filter(count, everyone, "organizations facet")
            return count

        async def register() -> dict[str, str]:
            try:
                return await self._once(  # type: ignore[no-any-return]
                    ("geonorge-register", target.endpoint),
                    lambda: self._geonorge_register(target.endpoint),
                )
            except FetchError as error:
                raise LookupFailed(
                    f"cannot tell whether Geonorge knows {target.subject!r}: its organisation "
                    f"register did not answer ({error})"
                ) from None

        return await national.geonorge_count(
            target.subject, target.orgnr, listed, ask, register, self.notes
        )

    async def _geonorge_national(self, target: Target) -> tuple[int, national.Organisations | None]:
        """The unfiltered count and every organisation's count, from one request."""
        answer = await self._geonorge_answer(target, [("type", "dataset")])
        return whole_number(answer, "NumFound"), national.geonorge_organisations(answer)

    async def _geonorge_register(self, endpoint: str) -> dict[str, str]:
        answer = await self.fetcher.json("GET", national.geonorge_register_url(endpoint))
        return national.geonorge_register(answer)

    async def _geonorge_count(self, target: Target, facets: list[tuple[str, str]]) -> int:
        return whole_number(await self._geonorge_answer(target, facets), "NumFound")

    async def _geonorge_answer(self, target: Target, facets: list[tuple[str, str]]) -> Any:
        params: list[tuple[str, str]] = []
        for index, (name, value) in enumerate(facets):
            params += [(f"facets[{index}]name", name), (f"facets[{index}]value", value)]
        params.append(("limit", "1"))
        if target.query:
            params.append(("text", target.query))
        answer = await self.fetcher.json("GET", target.endpoint, params=params)
        whole_number(answer, "NumFound")
        if not isinstance(member(answer, "Facets"), list) or not answer["Facets"]:
            raise LookupFailed(
                "the answer has no facets, which Geonorge sends only when its search failed"
            )
        return answer

    # -- Felles datakatalog ---------------------------------------------------------------------
    # Informasjonsforvaltning/fdk-search-service, src/main/kotlin/no/digdir/fdk/searchservice/:
    # - model/SearchOperation.kt: the body {query?, filters?: {orgPath: {value}}, pagination:
    #   {page (0-based), size}}.
    # - service/SearchService.kt: orgPath is a term filter on organization.orgPath.keyword, which
    #   src/main/resources/elastic/mapping.json indexes with a path_hierarchy analyser, so
    #   /KOMMUNE/<orgnr> also counts the municipality's sub-units, and every hit under /KOMMUNE
    #   is counted in the `orgPath` aggregation's bucket of each of its path prefixes.
    # - model/SearchResult.kt: {hits, aggregations: {orgPath: [{key, count}], ...},
    #   page: {currentPage, size, totalElements, totalPages}}.
    # The web front end asks the same way (Informasjonsforvaltning/fdk-frontend
    # libs/data-access/src/lib/search-service/api/index.ts, searchOrgDatasets).

    async def _felles_datakatalog(self, target: Target) -> int:
        buckets = await self._once(
            ("fdk-aggregation", target.endpoint, target.query),
            lambda: self._fdk_all_municipalities(target),
        )
        if buckets is not None:
            count = int(buckets.get(f"{FDK_MUNICIPALITIES}/{target.subject}", 0))
        else:
            count = await self._fdk_count(target, f"{FDK_MUNICIPALITIES}/{target.subject}")
            unfiltered = await self._once(
                ("fdk-all", target.endpoint, target.query),
                lambda: self._fdk_count(target, None),
            )
            _guard_filter(count, unfiltered, "orgPath filter")
        if count == 0:
            national.check_fdk_zero(target.subject)
        return count

    async def _fdk_search(self, target: Target, org_path: str | None) -> Any:
        body: dict[str, Any] = {"pagination": {"page": 0, "size": 1}}
        if org_path is not None:
            body["filters"] = {"orgPath": {"value": org_path}}
        if target.query:
            body["query"] = target.query
        return await self.fetcher.json("POST", target.endpoint, body=body)

    async def _fdk_count(self, target: Target, org_path: str | None) -> int:
        return whole_number(await self._fdk_search(target, org_path), "page", "totalElements")

    async def _fdk_all_municipalities(self, target: Target) -> dict[str, int] | None:
        """Every municipality's count from one request, or None when the answer does not hold
        up: then each municipality is asked on its own."""
        # A failed request fails every cell (asking 357 times instead, at the published 10
        # requests a minute, would take an hour); an answer of another shape falls back.
        answer = await self._fdk_search(target, FDK_MUNICIPALITIES)
        try:
            total = whole_number(answer, "page", "totalElements")
            raw = list_of_objects(answer, "aggregations", "orgPath")
            buckets = {
                b["key"]: whole_number(b, "count") for b in raw if isinstance(b.get("key"), str)
            }
        except BadAnswer:
            return None
        # Every hit lies under /KOMMUNE, so that bucket must hold them all: otherwise the filter
        # or the aggregation is not what the code says, and the answer cannot be trusted.
        if buckets.get(FDK_MUNICIPALITIES) != total or len(raw) >= FDK_MAX_BUCKETS:
            return None
        return buckets

    # -- CKAN -----------------------------------------------------------------------------------
    # ckan/ckan ckan/logic/action/get.py package_search: `fq` filter queries, `q` text, `rows`;
    # it returns {count, facets, results, sort, search_facets}; ckan/views/api.py wraps every
    # action's answer in {help, success, result}.

    async def _ckan(self, target: Target) -> int:
        params = {"fq": f"organization:{target.subject}", "rows": "0"}
        if target.query:
            params["q"] = target.query
        answer = await self.fetcher.json("GET", target.endpoint, params=params)
        if member(answer, "success") is not True:
            raise LookupFailed("the CKAN answer does not say `success: true`")
        count = whole_number(answer, "result", "count")
        if count == 0:  # CKAN counts an organisation it does not have as 0 too
            listed = await self._once(
                ("ckan-organisations", target.endpoint),
                lambda: self._ckan_organisations(target.endpoint),
            )
            national.check_ckan_slug(target.subject, _portal(target.endpoint), listed)
        return count

    async def _ckan_organisations(self, endpoint: str) -> national.Organisations:
        url = national.ckan_organisation_list_url(endpoint)
        return national.ckan_organisations(await self.fetcher.json("GET", url))

    # -- ArcGIS Hub -----------------------------------------------------------------------------
    # The Hub Search API (OGC API - Records, developers.arcgis.com/hub/services/search/):
    # GET <site>/api/search/v1/collections/dataset/items?limit=&q= answers a GeoJSON
    # FeatureCollection whose `numberMatched` is the total. Read from Esri's documentation only.

    async def _arcgis_hub(self, target: Target) -> int:
        params = {"limit": "1"}
        if target.query:
            params["q"] = target.query
        answer = await self.fetcher.json("GET", target.endpoint, params=params)
        return whole_number(answer, "numberMatched")


def _portal(endpoint: str) -> str:
    return "the CKAN portal " + (urlsplit(endpoint).hostname or endpoint)


def _guard_filter(count: int, unfiltered: int, what: str) -> None:
    """A filtered count equal to the catalogue's whole total means the filter was ignored."""
    if count == unfiltered and count > 0:
        raise LookupFailed(
            f"the catalogue seems to ignore the {what}: it counts {count} with and without it; "
            "not written"
        )
