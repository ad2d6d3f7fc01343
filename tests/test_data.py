"""The data file: every accepted form, and every problem reported with file, line, entry and field."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Callable

import pytest

from mkdocs_kommune import yamlsource
from mkdocs_kommune.data import DataError, load_dataset, parse_dataset
from mkdocs_kommune.urls import encode_component
from tests.support.datafiles import BAD_MUNICIPALITIES, SOURCES
from tests.support.sites import Site


def parse(municipalities: str, sources: str = SOURCES, register: str | None = None) -> object:
    text = sources + "municipalities:\n" + textwrap.indent(textwrap.dedent(municipalities), "  ")
    return parse_dataset(text, "data.yml", register)


def problems_of(text: str, register: str | None = None) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_dataset(text, "data.yml", register)
    return [problem.format("data.yml") for problem in caught.value.problems]


def municipality_problems(municipalities: str, register: str | None = None) -> list[str]:
    text = SOURCES + "municipalities:\n" + textwrap.indent(textwrap.dedent(municipalities), "  ")
    return problems_of(text, register)


# -- accepted forms ------------------------------------------------------------------------------


def test_bundled_dataset_is_the_seed_page() -> None:
    dataset = load_dataset(None)
    assert [s.name for s in dataset.sources] == ["Geonorge", "Felles datakatalog", "Other portals"]
    assert [m.name for m in dataset.municipalities] == [
        "Oslo", "Bergen", "Trondheim", "Stavanger", "Bærum",
        "Kristiansand", "Fredrikstad", "Sandnes", "Tromsø", "Drammen",
    ]  # fmt: skip
    coverage = {
        s.id: sum(m.covered_by(s.id) for m in dataset.municipalities) for s in dataset.sources
    }
    assert coverage == {"geonorge": 8, "felles-datakatalog": 5, "other": 6}


def test_link_forms() -> None:
    dataset = parse("""\
        - name: Oslo
          orgnr: "958935420"
          links:
            geonorge: true
            fdk: {datasets: 41, checked: 2026-11-25}
            other:
              - https://a.example/
              - {url: "https://b.example/x", text: Portal B}
        - name: Bergen
          links: {geonorge: false, fdk: null, other: {url: "https://c.example/", datasets: 0}}
    """)
    oslo, bergen = dataset.municipalities  # type: ignore[attr-defined]
    assert [link.text for link in oslo.links["geonorge"]] == ["Map data"]
    assert oslo.links["geonorge"][0].url.endswith("org=Oslo%20kommune")
    fdk = oslo.links["fdk"][0]
    assert (fdk.url, fdk.text, fdk.datasets, fdk.checked) == (
        "https://data.norge.no/organizations/958935420",
        "Felles datakatalog",  # no link_text: the source name
        41,
        datetime.date(2026, 11, 25),
    )
    assert [(link.url, link.text) for link in oslo.links["other"]] == [
        ("https://a.example/", "a.example"),
        ("https://b.example/x", "Portal B"),
    ]
    assert bergen.links_for("geonorge") == ()
    assert bergen.links_for("other") == ()  # a count of 0 shows as nothing found
    assert not bergen.covered_by("other")


def test_placeholders_are_percent_encoded_keeping_letters() -> None:
    assert encode_component("Bærum kommune") == "Bærum%20kommune"
    assert encode_component('a&b=c"d<e>#f?/') == "a%26b%3Dc%22d%3Ce%3E%23f%3F%2F"
    assert encode_component("Tromsø\u2028x") == "Tromsø%E2%80%A8x"


def test_register_fills_numbers_counties_and_orgnr() -> None:
    dataset = parse(
        """\
        - kommunenummer: "4601"
        - name: Tromsø
        - name: Herøy
          kommunenummer: "1515"
        - name: Herøy
          kommunenummer: "1818"
        """,
        register="norway-2024",
    )
    bergen, tromso, heroy_m, heroy_n = dataset.municipalities  # type: ignore[attr-defined]
    assert (bergen.name, bergen.orgnr, bergen.county_name) == ("Bergen", "964338531", "Vestland")
    assert (tromso.kommunenummer, tromso.county_number) == ("5501", "55")
    assert (heroy_m.county_name, heroy_n.county_name) == ("Møre og Romsdal", "Nordland")


def test_register_can_be_named_in_the_data_file() -> None:
    dataset = parse_dataset(SOURCES + "register: norway-2024\nmunicipalities:\n  - name: Asker\n")
    assert dataset.register == "norway-2024"
    assert dataset.municipalities[0].kommunenummer == "3203"


# -- problems ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("municipalities", "expected"), BAD_MUNICIPALITIES)
def test_bad_municipality_is_reported(municipalities: str, expected: str) -> None:
    problems = municipality_problems(municipalities)
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("municipalities", "expected"),
    [
        pytest.param(
            "- name: Bærum\n  kommunenummer: '3024'\n",
            "'kommunenummer': 3024 is a pre-2024 number; Bærum has been 3201 since 1 January 2024",
            id="pre-2024-number",
        ),
        pytest.param("- name: Herøy\n", "'Herøy' names 2 municipalities", id="ambiguous-name"),
        pytest.param("- name: Trondhjem\n", "did you mean 'Trondheim'?", id="unknown-name"),
        pytest.param(
            "- name: Bergen\n  kommunenummer: '0301'\n",
            "names 0301 'Oslo', not 'Bergen'",
            id="wrong-name",
        ),
        pytest.param(
            "- name: Oslo\n  orgnr: '964338531'\n",
            "gives Oslo the organisation number 958935420",
            id="orgnr-differs",
        ),
    ],
)
def test_register_problems(municipalities: str, expected: str) -> None:
    problems = municipality_problems(municipalities, register="norway-2024")
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "data.yml:1: the file is empty", id="empty"),
        pytest.param("sources: [\n", "data.yml:2:1: not valid YAML", id="yaml-syntax"),
        pytest.param("- a\n- b\n", "the top level must be a mapping", id="top-is-list"),
        pytest.param(
            "sources: []\nmunicipalities: []\n",
            "field 'sources': required: a non-empty list",
            id="no-sources",
        ),
        pytest.param(SOURCES, "field 'municipalities': required: a list", id="no-municipalities"),
        pytest.param(
            SOURCES + "municipalities: []\nsources2: []\n",
            "field 'sources2': unknown key",
            id="unknown-top-key",
        ),
        pytest.param(
            "sources:\n  - id: a\n    name: A\n  - id: a\n    name: B\nmunicipalities: []\n",
            "data.yml:4: sources[1], field 'id': 'a' is already used by sources[0]",
            id="duplicate-source-id",
        ),
        pytest.param(
            "sources:\n  - id: Geo Norge\n    name: A\nmunicipalities: []\n",
            "field 'id': required: lower-case letters",
            id="bad-source-id",
        ),
        pytest.param(
            "sources:\n  - id: a\n    name: A\n    url: 'https://x.example/{fylke}'\nmunicipalities: []\n",
            "data.yml:4: sources[0] (a), field 'url': unknown placeholder {fylke}",
            id="unknown-placeholder",
        ),
        pytest.param(
            "sources:\n  - id: a\n    name: A\n    url: 'data:text/html,x'\nmunicipalities: []\n",
            "is not an http(s) URL",
            id="template-not-http",
        ),
        pytest.param(
            "sources:\n  - id: a\n    name: A\n    name: B\nmunicipalities: []\n",
            "data.yml:4: key 'name' appears twice",
            id="duplicate-yaml-key",
        ),
        pytest.param(
            "register: sweden\n" + SOURCES + "municipalities: []\n",
            "field 'register': 'sweden' is not a bundled register",
            id="unknown-register",
        ),
    ],
)
def test_bad_file_is_reported(text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(expected in problem for problem in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    problems = municipality_problems("""\
        - name: Oslo
          orgnr: "958935421"
        - name: Bergen
          kommunenummer: "12"
          links: {nope: true}
    """)
    assert len(problems) == 3, problems
    assert [p.split(":")[1] for p in problems] == ["13", "15", "16"]  # sorted by line


def test_missing_file(tmp_path: object) -> None:
    with pytest.raises(DataError, match="the data file does not exist; fix the `data` option"):
        load_dataset("/nonexistent/kommuner.yml")


# -- through a real build ------------------------------------------------------------------------


def test_bad_data_fails_the_build_with_every_problem_and_no_traceback(
    new_site: Callable[..., Site],
) -> None:
    site = new_site(
        {
            "docs/index.md": "{{ kommune_table() }}\n",
            "data/k.yml": SOURCES
            + "municipalities:\n  - name: Oslo\n    orgnr: '1'\n  - kommunenummer: x\n",
        },
        plugins=["search", {"kommune": {"data": "data/k.yml"}}, "macros"],
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "data/k.yml: 3 problems in the data file:" in result.stderr
    assert "data/k.yml:13: municipalities[0] (Oslo), field 'orgnr'" in result.stderr
    assert "data/k.yml:14: municipalities[1], field 'kommunenummer'" in result.stderr
    assert "Aborted with a BuildError!" in result.stdout + result.stderr
    assert not site.site_dir.exists()  # nothing half-written


def test_missing_data_file_fails_the_build(new_site: Callable[..., Site]) -> None:
    site = new_site(
        {"docs/index.md": "# Hi\n"},
        plugins=[{"kommune": {"data": "missing.yml"}}, "macros"],
    )
    result = site.run("build")
    assert result.returncode == 1
    assert "missing.yml: the data file does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_number_with_register_is_one_problem() -> None:
    problems = municipality_problems("- kommunenummer: '9999'\n", register="norway-2024")
    assert problems == [
        "data.yml:12: municipalities[0], field 'kommunenummer': 9999 is not a municipality in "
        "norway-2024; check the number"
    ]


def test_link_mapping_fields_are_named_by_their_path() -> None:
    problems = municipality_problems(
        "- name: ''\n  links:\n    other: {url: 'https://x.example/', text: '', datasets: -1}\n"
    )
    assert "data.yml:12: municipalities[0], field 'name': must be non-empty text" in problems
    assert any("field 'links.other.text': must be non-empty text" in p for p in problems), problems
    assert any("field 'links.other.datasets': -1 is not a whole number" in p for p in problems), (
        problems
    )


def test_yaml_aliases_are_shared_and_loops_reported() -> None:
    data, problems = yamlsource.load("a: &x [1, 2]\nb: *x\n")
    assert data["a"] is data["b"] and problems == []  # shared, as safe_load shares them
    looped = problems_of(
        'sources: &s\n  - {id: a, name: A, url: "https://x.org/{name}", api: *s}\nmunicipalities: []\n'
    )
    assert "data.yml:1: an alias (*name) refers to itself; remove the loop" in looped


def test_yaml_merge_keys_may_be_overridden() -> None:
    dataset = parse("""\
        - &base {name: Oslo, orgnr: "958935420", links: {geonorge: true}}
        - <<: *base
          name: Bergen
          orgnr: "964338531"
    """)
    bergen = dataset.municipalities[1]  # type: ignore[attr-defined]
    assert (bergen.name, bergen.orgnr) == ("Bergen", "964338531")
    assert bergen.links["geonorge"][0].url.endswith("org=Bergen%20kommune")


def test_a_rejected_source_is_reported_once() -> None:
    problems = problems_of(
        "sources:\n  - {id: geonorge, name: Geonorge, url: 'ftp://x/{name}'}\n"
        "municipalities:\n  - {name: Oslo, links: {geonorge: true}}\n  - {name: Bergen, links: {geonorge: true}}\n"
    )
    assert len(problems) == 1 and "field 'url'" in problems[0], problems


def test_names_are_nfc_and_trimmed() -> None:
    problems = municipality_problems("- name: 'A\u030asnes'\n- name: ' Åsnes '\n")
    assert any("'Åsnes' is already listed as municipalities[0]" in p for p in problems), problems
    dataset = parse("- name: 'A\u030asnes '\n  links: {geonorge: true}\n")
    link = dataset.municipalities[0].links["geonorge"][0]  # type: ignore[attr-defined]
    assert link.url.endswith("org=Åsnes%20kommune")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", "True is not 4 digits; write it in quotes"),
        ("301", "(YAML reads unquoted numbers with a leading 0 as integers"),
    ],
)
def test_kommunenummer_hints(value: str, expected: str) -> None:
    problems = municipality_problems(f"- name: Oslo\n  kommunenummer: {value}\n")
    assert any(expected in p for p in problems), problems
    if value == "true":
        assert not any("leading 0" in p for p in problems)


def test_literal_link_urls_may_not_hold_braces() -> None:
    problems = municipality_problems("- name: Oslo\n  links: {other: 'https://x.org/{nope}'}\n")
    assert any(
        "placeholders such as {orgnr} work only in a source's url template" in p for p in problems
    )


def test_huge_aliased_values_are_cut_short_in_messages() -> None:
    """Shared aliases keep the data small; printing a value in full would not (billion laughs)."""
    levels = ["  - {name: L0, population: &l0 {a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1}}"]
    for level in range(1, 10):
        keys = ", ".join(f"k{i}: *l{level - 1}" for i in range(10))
        levels.append(f"  - {{name: L{level}, population: &l{level} {{{keys}}}}}")
    problems = problems_of(SOURCES + "municipalities:\n" + "\n".join(levels) + "\n")
    assert len(problems) == 10
    assert max(len(p) for p in problems) < 300


def test_a_source_without_a_usable_id_brings_no_follow_on_errors() -> None:
    problems = problems_of(
        "sources:\n  - {id: 12, name: Geonorge}\nmunicipalities:\n  - {name: Oslo, links: {geonorge: true}}\n"
    )
    assert len(problems) == 1 and "field 'id'" in problems[0], problems


def test_problems_are_structured_records() -> None:
    with pytest.raises(DataError) as caught:
        parse_dataset("sources: []\nmunicipalities: []\n", "data.yml")
    assert caught.value.records() == [
        {
            "file": "data.yml",
            "line": 1,
            "entry": "top level",
            "field": "sources",
            "message": "required: a non-empty list of sources, each with at least `id` and `name`",
        }
    ]
    assert str(caught.value).splitlines()[1] == "  " + caught.value.problems[0].format("data.yml")
