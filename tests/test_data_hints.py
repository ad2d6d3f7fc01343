"""Messages for the mistakes authors make most: indentation, YAML syntax, misspelt ids."""

from __future__ import annotations

import pytest

from mkdocs_kommune.data import DataError, parse_dataset

SOURCES = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/?organizations={organization}"
  - id: other
    name: Other portals
municipalities:
  - name: Oslo
"""


def messages(text: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_dataset(text, "data.yml")
    return [problem.format("data.yml") for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "    links:\n    geonorge: true\n",
            "data.yml:10: municipalities[0] (Oslo), field 'geonorge': unknown key; 'geonorge' is "
            "a source id: indent it under links:? (2 spaces more than `links:`)",
            id="link-under-indented",
        ),
        pytest.param(
            "    geonorge: true\n",
            "data.yml:9: municipalities[0] (Oslo), field 'geonorge': unknown key; 'geonorge' is "
            "a source id: put it under `links:`",
            id="link-without-links",
        ),
        pytest.param(
            "    links:\n      other:\n      url: https://oslo.example\n",
            "data.yml:11: municipalities[0] (Oslo), field 'links.url': `url` is a key of a link, "
            "not a source id: indent it under `other:` (2 spaces more than `other:`)",
            id="url-under-indented",
        ),
        pytest.param(
            "    links:\n      url: https://oslo.example\n",
            "data.yml:10: municipalities[0] (Oslo), field 'links.url': `url` is a key of a link, "
            "not a source id: put it under the source it belongs to, e.g. "
            "`other: {url: https://..., text: ...}`",
            id="url-without-source",
        ),
        pytest.param(
            "    links:\n      geonrge: true\n",
            "data.yml:10: municipalities[0] (Oslo), field 'links.geonrge': unknown source id; "
            "did you mean 'geonorge'? the sources are: geonorge, other",
            id="source-id-typo",
        ),
        pytest.param(
            "    links:\n      wikipedia: true\n",
            "data.yml:10: municipalities[0] (Oslo), field 'links.wikipedia': unknown source id; "
            "the sources are: geonorge, other",
            id="source-id-unknown",
        ),
        pytest.param(
            "    kommunenumer: '0301'\n",
            "data.yml:9: municipalities[0] (Oslo), field 'kommunenumer': unknown key; did you "
            "mean 'kommunenummer'? allowed keys are name, kommunenummer, orgnr, organization, "
            "population, links",
            id="key-typo",
        ),
    ],
)
def test_indentation_and_typos_get_a_hint(body: str, expected: str) -> None:
    assert messages(SOURCES + body) == [expected]


def test_text_under_an_empty_source_gets_the_same_hint() -> None:
    body = "    links:\n      other:\n      url: https://oslo.example\n      text: Oslo\n"
    assert [m.split(": ", 2)[2] for m in messages(SOURCES + body)] == [
        "`url` is a key of a link, not a source id: indent it under `other:` (2 spaces more "
        "than `other:`)",
        "`text` is a key of a link, not a source id: indent it under `other:` (2 spaces more "
        "than `other:`)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "sources:\n  - id: geonorge\n    name: Geo: norge\n",
            "data.yml:3:14: not valid YAML: mapping values are not allowed in this context; put a "
            'value holding `: ` or ` #` in quotes, e.g. `text: "Data: maps"`; or check the '
            "indentation: spaces only, each level 2 more than its parent",
            id="colon-in-value",
        ),
        pytest.param(
            "sources:\n\t- id: geonorge\n",
            "data.yml:2:1: not valid YAML: while scanning for the next token, found character "
            "that cannot start any token; YAML indents with spaces, not tabs: replace the tab at "
            "that column with spaces",
            id="tab",
        ),
        pytest.param(
            "sources:\n  - id: geonorge\n    name: Geonorge\n   url: x\n",
            "data.yml:4:4: not valid YAML: while parsing a block collection, did not find "
            "expected '-' indicator; check the indentation: spaces only, each level 2 more than "
            "its parent: line this one up with the keys (or `- ` items) above it",
            id="indentation",
        ),
        pytest.param(
            'sources:\n  - id: "geonorge\n    name: Geonorge\n',
            "data.yml:4:1: not valid YAML: while scanning a quoted scalar, found unexpected end "
            "of stream; the quote opened on line 2 is never closed: end the value with the same "
            "quote",
            id="unclosed-quote",
        ),
        pytest.param(
            "sources:\n  - id: @geonorge\n",
            "data.yml:2:9: not valid YAML: while scanning for the next token, found character "
            "that cannot start any token; a value starting with '@' must be in quotes, e.g. "
            '"@value"',
            id="reserved-character",
        ),
    ],
)
def test_a_yaml_syntax_error_has_line_column_and_a_hint(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_the_column_is_in_the_json_record_too() -> None:
    with pytest.raises(DataError) as caught:
        parse_dataset("sources:\n\t- id: geonorge\n", "data.yml")
    assert caught.value.records()[0]["line"] == 2
    assert caught.value.records()[0]["column"] == 1
