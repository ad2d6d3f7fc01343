"""A fake of the four catalogues on 127.0.0.1 that answers as the real services do.

Geonorge and Felles datakatalog answers are built on real recorded answers
(``tests/fixtures/catalogues``, sources in its README), with the behaviours the services' code
shows: Geonorge's organisation facet (550 names at most, 0 counts included, own filter
excluded) and its silent 0 for an unknown name; Felles datakatalog's nested orgPath buckets,
``page.size`` as hits returned, 429/503 without ``Retry-After``; CKAN's organisation list;
ArcGIS Hub's GeoJSON with throttle headers and Cloudflare's challenge page. ``failures`` makes
one subject fail in a chosen way; ``log`` records every request.
"""

from __future__ import annotations

import copy
import json
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mkdocs_kommune.cli.main import main

GEONORGE = "/geonorge/api/search"
GEONORGE_REGISTER = "/geonorge/api/v2/organisasjoner/kommuner"
FDK = "/fdk/search/datasets"
CKAN = "/ckan/api/3/action/package_search"
CKAN_ORGANIZATIONS = "/ckan/api/3/action/organization_list"
HUB = "/hub/api/search/v1/collections/dataset/items"
PATHS = (GEONORGE, GEONORGE_REGISTER, FDK, CKAN, CKAN_ORGANIZATIONS, HUB)  # what the fake serves
# The subjects of the national (unfiltered) requests, for ``failures``.
GEONORGE_NATIONAL = "*geonorge*"
FDK_NATIONAL = "*fdk*"

RECORDED = Path(__file__).parents[1] / "fixtures" / "catalogues"
GEONORGE_ANSWER = json.loads((RECORDED / "geonorge-search.json").read_text(encoding="utf-8"))
FDK_ANSWER = json.loads((RECORDED / "fdk-search.json").read_text(encoding="utf-8"))
GEONORGE_FACETS = (  # Models/SearchParameters.cs AddDefaultFacetsIfMissing, in its order
    "type",
    "theme",
    "organizations",
    "nationalinitiative",
    "DistributionProtocols",
    "area",
    "dataaccess",
    "spatialscope",
)
FACET_LIMIT = 550
# Organisations that publish in Geonorge beside the municipalities (a few real names).
AGENCIES = {"Kartverket": 812, "Miljødirektoratet": 240, "Statens vegvesen": 95, "Geovekst": 12}
NGINX_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>"
    "\r\n</body>\r\n</html>\r\n"
)
CLOUDFLARE_403 = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>'
    "<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>"
)


@dataclass
class Fake:
    server: HTTPServer
    geonorge: dict[str, int] = field(default_factory=dict)  # organisation name -> datasets
    geonorge_others: dict[str, int] = field(default_factory=lambda: dict(AGENCIES))
    geonorge_register: dict[str, str] = field(default_factory=dict)  # orgnr -> name
    geonorge_ignores_organizations: bool = False
    fdk: dict[str, int] = field(default_factory=dict)  # orgnr -> datasets (units included)
    fdk_state: int = 500  # datasets under /STAT
    fdk_aggregation_ok: bool = True
    ckan: dict[str, int] = field(default_factory=dict)  # slug -> datasets
    ckan_others: list[str] = field(default_factory=list)  # slugs with no datasets
    hub: int = 0
    hub_remaining: int = 10  # x-ratelimit-remaining-portal_search_throttler
    # subject (organisation, orgnr, slug, "hub", "register", GEONORGE_NATIONAL, FDK_NATIONAL) -> "timeout", a status ("500"),
    # "malformed", "shape", "429" (once, Retry-After: 1), "429-long", "429-bare" (once, no
    # Retry-After, as Felles datakatalog's docs say), "503-nginx" (once, nginx's page),
    # "cloudflare", "moved" (301 to another host), Geonorge's "solr-failure" (200, NumFound 0,
    # no facets), "problem" (400 problem+json), "error-json" (500 {"error": ...})
    failures: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    timeout_sleep: float = 1.0
    log: list[tuple[float, str, Any]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.log.append((time.monotonic(), request.path, _what(request)))
        if self.delay:
            time.sleep(self.delay)
        headers: dict[str, str] = {}
        answer: Any
        content_type = "application/json; charset=utf-8"
        if request.path == GEONORGE:
            subject, answer = self._geonorge(request)
        elif request.path == GEONORGE_REGISTER:
            subject, answer = "register", self._register()
        elif request.path == FDK:
            subject, answer = self._fdk(request)
        elif request.path == CKAN:
            subject = request.args["fq"].removeprefix("organization:")
            answer = {"help": "…", "success": True, "result": {"count": self.ckan.get(subject, 0), "results": [], "facets": {}, "search_facets": {}, "sort": "score desc"}}  # fmt: skip
        elif request.path == CKAN_ORGANIZATIONS:
            slugs = sorted({*self.ckan, *self.ckan_others})
            subject, answer = "ckan-organizations", {"help": "…", "success": True, "result": slugs}  # fmt: skip
        else:
            subject, answer = "hub", self._hub(request)
            content_type = "application/geo+json"
            with self._lock:
                self.hub_remaining = max(0, self.hub_remaining - 1)
                headers = {
                    "x-ratelimit-limit-portal_search_throttler": "10",
                    "x-ratelimit-remaining-portal_search_throttler": str(self.hub_remaining),
                }
        failed = self._fail(subject, request)
        return failed or Response(json.dumps(answer), content_type=content_type, headers=headers)

    def requests_to(self, path: str) -> list[tuple[float, str, Any]]:
        return [entry for entry in self.log if entry[1] == path]

    def cut_the_list(self) -> None:
        """Enough organisations that sort before every municipality to fill Geonorge's list
        of 550: the municipalities are past the cut, and asked one by one."""
        self.geonorge_others.update({f"Etat {n:03}": 1 for n in range(FACET_LIMIT)})

    # -- Geonorge --------------------------------------------------------------------------------

    def _geonorge(self, request: Request) -> tuple[str, dict[str, Any]]:
        facets: dict[str, str] = {}
        index = 0
        while f"facets[{index}]name" in request.args:
            facets[request.args[f"facets[{index}]name"]] = request.args[f"facets[{index}]value"]
            index += 1
        organization = facets.get("organizations")
        everyone = {**self.geonorge_others, **self.geonorge}
        if organization is None or self.geonorge_ignores_organizations:
            count = sum(everyone.values())
        else:
            count = everyone.get(organization, 0)  # an unknown name: a silent 0, as Solr gives
        limit = int(request.args.get("limit", "10"))
        answer = copy.deepcopy(GEONORGE_ANSWER)
        answer.update(NumFound=count, Limit=limit, Offset=1)
        answer["Results"] = answer["Results"][: min(limit, count)]
        names = sorted(everyone)[:FACET_LIMIT]  # index order, cut at the limit
        by_name = [{"Name": n, "Count": everyone[n], "NameTranslated": n} for n in names]
        answer["Facets"] = [
            {
                "FacetField": name,
                "Name": name,
                "FacetResults": by_name
                if name == "organizations"
                else self._other_facet(name, count),
                "NameTranslated": name.capitalize(),
            }
            for name in GEONORGE_FACETS
        ]
        return organization if organization is not None else GEONORGE_NATIONAL, answer

    @staticmethod
    def _other_facet(name: str, count: int) -> list[dict[str, Any]]:
        if name == "type":
            return [{"Name": "dataset", "Count": count, "NameTranslated": "Datasett"}]
        return [{"Name": f"{name}-value", "Count": count // 2, "NameTranslated": "…"}]

    def _register(self) -> list[dict[str, Any]]:
        return [
            {
                "Name": name,
                "OrganizationNumber": orgnr,
                "ShortName": name.split()[0],
                "OrganizationType": "municipality",
                "Status": "valid",
            }
            for orgnr, name in self.geonorge_register.items()
        ]

    # -- Felles datakatalog ----------------------------------------------------------------------

    def _fdk(self, request: Request) -> tuple[str, dict[str, Any]]:
        body = json.loads(request.data)
        org_path = (body.get("filters") or {}).get("orgPath", {}).get("value")
        size = body.get("pagination", {}).get("size") or 10  # Pagination.kt: size < 1 -> 10
        buckets = self._fdk_buckets()
        if org_path is None:
            total = sum(self.fdk.values()) + self.fdk_state + 3
            shown = [*buckets, {"key": "null", "count": 3}]  # datasets without an orgPath
        else:
            # path_hierarchy: a filter on a prefix matches everything under it
            total = next((b["count"] for b in buckets if b["key"] == org_path), 0)
            shown = [b for b in buckets if (b["key"] + "/").startswith(org_path + "/")]
            if org_path == "/KOMMUNE" and not self.fdk_aggregation_ok:
                shown = [{"key": "/KOMMUNE", "count": 1}, *shown[1:]]
        answer = copy.deepcopy(FDK_ANSWER)
        hits = answer["hits"][: min(size, total)]
        answer["hits"] = hits
        answer["aggregations"]["orgPath"] = shown
        answer["page"] = {
            "currentPage": 0,
            "size": len(hits),
            "totalElements": total,
            "totalPages": math.ceil(total / size),
        }
        national = org_path in (None, "/KOMMUNE")
        return FDK_NATIONAL if national else str(org_path).rsplit("/", 1)[-1], answer

    def _fdk_buckets(self) -> list[dict[str, Any]]:
        """Every path prefix's bucket; each municipality keeps a third of its datasets in a unit."""
        buckets = [{"key": "/KOMMUNE", "count": sum(self.fdk.values())}]
        for orgnr, count in self.fdk.items():
            if count:
                buckets.append({"key": f"/KOMMUNE/{orgnr}", "count": count})
                if count // 3:
                    buckets.append({"key": f"/KOMMUNE/{orgnr}/97{orgnr[:7]}", "count": count // 3})
        buckets += [{"key": "/STAT", "count": self.fdk_state}, {"key": "/STAT/912660680", "count": self.fdk_state}]  # fmt: skip
        return buckets

    # -- ArcGIS Hub ------------------------------------------------------------------------------

    def _hub(self, request: Request) -> dict[str, Any]:
        base = self.url(HUB)
        return {
            "type": "FeatureCollection",
            "numberMatched": self.hub,
            "numberReturned": min(self.hub, int(request.args.get("limit", "10"))),
            "features": [],
            "links": [
                {"rel": "self", "type": "application/geo+json", "href": f"{base}?limit=1"},
                {
                    "rel": "next",
                    "type": "application/geo+json",
                    "href": f"{base}?limit=1&startindex=2",
                },
            ],
            "timestamp": "2026-12-01T05:17:00.000Z",
        }

    # -- Failures --------------------------------------------------------------------------------

    def _once(self, subject: str) -> bool:
        with self._lock:
            if subject in self._seen:
                return False
            self._seen.add(subject)
            return True

    def _fail(self, subject: str, request: Request) -> Response | None:
        failure = self.failures.get(subject)
        if failure is None:
            return None
        if failure == "timeout":
            time.sleep(self.timeout_sleep)
            return Response("{}", content_type="application/json")
        if failure == "429":
            if not self._once(subject):
                return None
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        if failure == "429-bare":
            return Response("Too Many Requests", status=429) if self._once(subject) else None
        if failure == "503-nginx":
            if not self._once(subject):
                return None
            return Response(NGINX_503, status=503, content_type="text/html")
        if failure == "429-long":
            return Response("slow down", status=429, headers={"Retry-After": "3600"})
        if failure == "cloudflare":
            headers = {"cf-mitigated": "challenge", "Server": "cloudflare"}
            return Response(CLOUDFLARE_403, status=403, content_type="text/html; charset=UTF-8", headers=headers)  # fmt: skip
        if failure == "moved":
            location = "https://opencom.no" + request.full_path.rstrip("?")
            return Response("", status=301, headers={"Location": location})
        if failure == "solr-failure":  # SearchServiceAll.cs: a failed Solr query, HTTP 200
            answer = {**GEONORGE_ANSWER, "NumFound": 0, "Results": [], "Facets": []}
            return Response(json.dumps(answer), content_type="application/json; charset=utf-8")
        if failure == "problem":  # ASP.NET's ValidationProblemDetails for a bad parameter
            problem = {"type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "One or more validation errors occurred.", "status": 400, "errors": {"limit": ["The value is not valid."]}}  # fmt: skip
            return Response(
                json.dumps(problem), status=400, content_type="application/problem+json"
            )
        if failure == "error-json":  # ApiSearchController.cs's catch-all
            error = {"error": "An error occurred while processing your search request"}
            return Response(json.dumps(error), status=500, content_type="application/json")
        if failure.isdigit():
            return Response("oops", status=int(failure))
        if failure == "malformed":
            return Response("<html>not json", content_type="text/html")
        return Response(json.dumps({"unexpected": True}), content_type="application/json")


def _what(request: Request) -> Any:
    return json.loads(request.data) if request.method == "POST" else dict(request.args)


@pytest.fixture(scope="module", name="fake_server")
def fake_server_fixture() -> Iterator[HTTPServer]:
    """One server per test module: stopping one takes half a second."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="fake")
def fake_fixture(fake_server: HTTPServer) -> Iterator[Fake]:
    """A fresh fake catalogue (counts, failures, log) for each test."""
    fake = Fake(fake_server)
    for path in PATHS:
        fake_server.expect_request(path).respond_with_handler(fake.handle)
    try:
        yield fake
    finally:
        fake_server.clear()


# A data file whose `api.url`s point at the fake server (write_data fills them in).
DATA = """\
# Open data by municipality: kept by hand, counted by `mkdocs-kommune refresh`.
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
    api: {kind: geonorge, url: "GEONORGE"}
  - id: felles-datakatalog   # the national catalogue
    name: Felles datakatalog
    url: 'https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F{orgnr}'
    api:
      kind: felles-datakatalog
      url: "FDK"
  - id: skolerute
    name: School calendar
    url: "https://kartkatalog.geonorge.no/?organizations={organization}&text=skolerute"
    api: {kind: geonorge, url: "GEONORGE", query: skolerute}
  - id: portal
    name: Local portal
    api: {kind: ckan, url: "CKAN"}
  - id: other
    name: Other portals

municipalities:
  - name: Oslo
    orgnr: "958935420"   # Oslo kommune
    links:
      geonorge: true     # counted below
      felles-datakatalog: {datasets: 3, checked: 2020-01-01}
      other:
        url: https://oslokommune-bym.opendata.arcgis.com
        text: Oslo kommune Smart by

  - name: Trondheim
    orgnr: "942110464"
    links:
      geonorge: true
      portal: https://open.stavanger.kommune.no/organization/trondheim-kommune
  - name: Kristiansand
"""


def write_data(tmp_path: Path, fake: Fake, text: str = DATA) -> Path:
    for marker, route in (("GEONORGE", GEONORGE), ("FDK", FDK), ("CKAN", CKAN), ("HUB", HUB)):
        text = text.replace(f'"{marker}"', f'"{fake.url(route)}"')
    path = tmp_path / "kommuner.yml"
    path.write_text(text, encoding="utf-8")
    return path


def counts(fake: Fake) -> None:
    fake.geonorge.update({"Oslo kommune": 41, "Trondheim kommune": 17, "Kristiansand kommune": 0})
    fake.fdk.update({"958935420": 12, "942110464": 5})
    fake.ckan.update({"trondheim-kommune": 7})


# The two national catalogues, their `api.url`s filled in by write_data.
NATIONAL_SOURCES = """\
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
    api: {kind: geonorge, url: "GEONORGE"}
  - id: felles-datakatalog
    name: Felles datakatalog
    url: "https://data.norge.no/nb/search/datasets?orgPath=%2FKOMMUNE%2F{orgnr}"
    api: {kind: felles-datakatalog, url: "FDK"}
"""


FAST = ["--timeout", "0.5", "--retries", "2", "--backoff", "0.01", "--rate", "200"]


def refresh(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["refresh", str(path), *FAST, *args])


def cells(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {m["name"]: m.get("links", {}) for m in data["municipalities"]}
