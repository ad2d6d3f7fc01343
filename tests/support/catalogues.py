"""A fake of the four catalogues on 127.0.0.1, answering in the shapes their code gives.

Shapes (see mkdocs_kommune/refresh/catalogues.py for the sources): Geonorge's PascalCase
{NumFound, Limit, Offset, Results, Facets, Type}; Felles datakatalog's {hits, aggregations,
page}; CKAN's {help, success, result: {count, ...}}; ArcGIS Hub's GeoJSON FeatureCollection
with numberMatched. ``failures`` makes one subject fail in a chosen way.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

GEONORGE = "/geonorge/api/search"
FDK = "/fdk/search/datasets"
CKAN = "/ckan/api/3/action/package_search"
HUB = "/hub/api/search/v1/collections/dataset/items"


@dataclass
class Fake:
    server: HTTPServer
    geonorge: dict[str, int] = field(default_factory=dict)  # organisation name -> datasets
    geonorge_total: int = 1000
    geonorge_ignores_organizations: bool = False
    fdk: dict[str, int] = field(default_factory=dict)  # orgnr -> datasets
    fdk_aggregation_ok: bool = True
    ckan: dict[str, int] = field(default_factory=dict)  # slug -> datasets
    hub: int = 0
    # subject (organisation, orgnr, slug or "hub") -> "timeout", "500", "404", "malformed",
    # "shape", "429" (once, then fine), "429-long"
    failures: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    timeout_sleep: float = 1.0
    log: list[tuple[float, str, Any]] = field(default_factory=list)
    _seen_429: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.log.append((time.monotonic(), request.path, _what(request)))
        if self.delay:
            time.sleep(self.delay)
        if request.path == GEONORGE:
            subject, answer = self._geonorge(request)
        elif request.path == FDK:
            subject, answer = self._fdk(request)
        elif request.path == CKAN:
            slug = request.args["fq"].removeprefix("organization:")
            subject = slug
            answer = {"help": "…", "success": True, "result": {"count": self.ckan.get(slug, 0), "results": [], "facets": {}, "search_facets": {}, "sort": "score desc"}}  # fmt: skip
        else:
            subject = "hub"
            answer = {"type": "FeatureCollection", "numberMatched": self.hub, "numberReturned": 0, "features": [], "links": []}  # fmt: skip
        return self._fail(subject) or Response(json.dumps(answer), content_type="application/json")

    def requests_to(self, path: str) -> list[tuple[float, str, Any]]:
        return [entry for entry in self.log if entry[1] == path]

    def _geonorge(self, request: Request) -> tuple[str, dict[str, Any]]:
        facets = {}
        index = 0
        while f"facets[{index}]name" in request.args:
            facets[request.args[f"facets[{index}]name"]] = request.args[f"facets[{index}]value"]
            index += 1
        organization = facets.get("organizations")
        if organization is None or self.geonorge_ignores_organizations:
            count = self.geonorge_total
        else:
            count = self.geonorge.get(organization, 0)
        answer = {
            "NumFound": count,
            "Limit": 1,
            "Offset": 1,
            "Results": [],
            "Facets": [
                {
                    "FacetField": "type",
                    "Name": "type",
                    "NameTranslated": "Type",
                    "FacetResults": [{"Name": "dataset", "Count": count}],
                }
            ],
            "Type": None,
        }
        return organization or "", answer

    def _fdk(self, request: Request) -> tuple[str, dict[str, Any]]:
        body = json.loads(request.data)
        org_path = (body.get("filters") or {}).get("orgPath", {}).get("value")
        municipal = sum(self.fdk.values())
        if org_path is None:
            total, buckets = municipal + 500, [{"key": "/STAT", "count": 500}]
        elif org_path == "/KOMMUNE":
            total = municipal
            buckets = [{"key": "/KOMMUNE", "count": municipal if self.fdk_aggregation_ok else 1}]
            buckets += [{"key": f"/KOMMUNE/{k}", "count": v} for k, v in self.fdk.items() if v]
        else:
            total, buckets = self.fdk.get(org_path.rsplit("/", 1)[-1], 0), []
        answer = {
            "hits": [],
            "aggregations": {"orgPath": buckets, "openData": []},
            "page": {"currentPage": 0, "size": 0, "totalElements": total, "totalPages": total},
        }
        return (org_path or "").rsplit("/", 1)[-1], answer

    def _fail(self, subject: str) -> Response | None:
        failure = self.failures.get(subject)
        if failure is None:
            return None
        if failure == "timeout":
            time.sleep(self.timeout_sleep)
            return Response("{}", content_type="application/json")
        if failure == "429":
            with self._lock:
                if subject in self._seen_429:
                    return None
                self._seen_429.add(subject)
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        if failure == "429-long":
            return Response("slow down", status=429, headers={"Retry-After": "3600"})
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
    for path in (GEONORGE, FDK, CKAN, HUB):
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
