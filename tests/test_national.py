"""Reading what a catalogue knows from its national answer (refresh/national.py), alone."""

from __future__ import annotations

from typing import Any

import pytest

from mkdocs_kommune.refresh.answers import BadAnswer
from mkdocs_kommune.refresh.national import (
    FACET_LIMIT,
    ckan_organisations,
    closest,
    geonorge_organisations,
    geonorge_register,
    geonorge_register_url,
)


def facets(values: Any) -> dict[str, Any]:
    return {"NumFound": 1, "Facets": [{"FacetField": "type", "FacetResults": []}, {"FacetField": "organizations", "FacetResults": values}]}  # fmt: skip


def test_the_organisation_facet_is_read_and_a_full_one_is_known_to_be_cut() -> None:
    listed = geonorge_organisations(facets([{"Name": "Bodø kommune", "Count": 0}]))
    assert listed is not None and listed.counts == {"Bodø kommune": 0} and not listed.cut
    full = [{"Name": f"Etat {n:03}", "Count": 1} for n in range(FACET_LIMIT)]
    cut = geonorge_organisations(facets(full))
    assert cut is not None and cut.cut and cut.last == "Etat 549"
    assert cut.beyond("Ål kommune") and not cut.beyond("Aal kommune")
    assert geonorge_organisations({"NumFound": 3}) is None  # no facets: nothing to read


@pytest.mark.parametrize(
    "values",
    [
        {"Name": "Oslo kommune"},
        [{"Name": "Oslo kommune", "Count": "12"}],
        [{"Name": "Oslo kommune", "Count": True}],
        [{"Name": "Oslo kommune", "Count": 10**30}],
        [{"Name": 7, "Count": 1}],
        [["Oslo kommune", 1]],
    ],
)
def test_an_organisation_facet_of_another_shape_is_a_bad_answer(values: Any) -> None:
    with pytest.raises(BadAnswer):
        geonorge_organisations(facets(values))


def test_the_register_and_ckans_list() -> None:
    register = [{"Name": "Tromsø kommune", "OrganizationNumber": " 940101808 "}, {"Name": "x"}]
    assert geonorge_register(register) == {"940101808": "Tromsø kommune"}
    with pytest.raises(BadAnswer):
        geonorge_register({"containeditems": []})
    assert ckan_organisations({"success": True, "result": ["a", "b"]}).counts == {"a": 0, "b": 0}
    with pytest.raises(BadAnswer):
        ckan_organisations({"success": True, "result": [{"name": "a"}]})
    assert geonorge_register_url("https://kartkatalog.geonorge.no/api/search") == (
        "https://register.geonorge.no/api/v2/organisasjoner/kommuner"
    )
    assert geonorge_register_url("http://127.0.0.1:9/geonorge/api/search") == (
        "http://127.0.0.1:9/geonorge/api/v2/organisasjoner/kommuner"
    )


def test_closest_names_are_close_ones_only() -> None:
    known = ["Bodø kommune", "Oslo kommune", "Bø kommune"]
    assert closest("Bodo kommune", known) == "; closest names it knows: 'Bodø kommune'"
    assert closest("BODØ KOMMUNE", known) == "; closest names it knows: 'Bodø kommune'"
    assert closest("Trondheim kommune", known) == ""  # " kommune" alone is not close
