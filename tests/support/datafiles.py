"""Data files more than one test module reads, and the bad entries with their messages."""

from __future__ import annotations

import pytest

SOURCES = """\
sources:
  - id: geonorge
    name: Geonorge
    link_text: Map data
    url: "https://kartkatalog.geonorge.no/search?org={organization}"
  - id: fdk
    name: Felles datakatalog
    url: "https://data.norge.no/organizations/{orgnr}"
  - id: other
    name: Other portals
"""

BAD_MUNICIPALITIES = [
    pytest.param(
        "- kommunenummer: '0301'\n",
        "data.yml:12: municipalities[0], field 'name': required",
        id="missing-name",
    ),
    pytest.param(
        "- name: Oslo\n  kommunenummer: '301'\n",
        "data.yml:13: municipalities[0] (Oslo), field 'kommunenummer': '301' is not 4 digits",
        id="kommunenummer-not-4-digits",
    ),
    pytest.param(
        "- name: Oslo\n  kommunenummer: 0301\n",
        'write "0301"',  # YAML 1.1 reads 0301 as an octal integer
        id="kommunenummer-unquoted",
    ),
    pytest.param(
        "- name: Oslo\n  orgnr: '958935421'\n",
        "data.yml:13: municipalities[0] (Oslo), field 'orgnr': '958935421' is not a valid "
        "organisation number: it fails the mod-11 check digit",
        id="orgnr-mod-11",
    ),
    pytest.param(
        "- name: Oslo\n  orgnr: '95893542'\n",
        "field 'orgnr': '95893542' is not a valid organisation number: an organisation number is 9 digits",
        id="orgnr-length",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    nope: true\n",
        "data.yml:14: municipalities[0] (Oslo), field 'links.nope': unknown source id; "
        "the sources are: geonorge, fdk, other",
        id="unknown-source",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    other: javascript:alert(1)\n",
        "field 'links.other': 'javascript:alert(1)' is not an http(s) URL",
        id="javascript-url",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    other: ftp://x.example/\n",
        "is not an http(s) URL",
        id="ftp-url",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    other: 'https://x.example/a\"b'\n",
        "contains spaces, quotes or control characters",
        id="quote-in-url",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    fdk: true\n",
        "data.yml:14: municipalities[0] (Oslo), field 'links.fdk': the url template of source 'fdk' "
        "needs {orgnr}, which this municipality lacks",
        id="placeholder-unfillable",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    other: true\n",
        "source 'other' has no url template, so give a URL here",
        id="no-template",
    ),
    pytest.param(
        "- name: Oslo\n- name: oslo\n",
        "data.yml:13: municipalities[1] (oslo), field 'name': 'oslo' is already listed as municipalities[0]",
        id="duplicate-name",
    ),
    pytest.param(
        "- name: Oslo\n  kommunenummer: '0301'\n- name: Oslo by\n  kommunenummer: '0301'\n",
        "field 'kommunenummer': 0301 is already listed as municipalities[0]",
        id="duplicate-number",
    ),
    pytest.param(
        "- name: Oslo\n  population: many\n",
        "field 'population': 'many' is not a whole number",
        id="population-type",
    ),
    pytest.param(
        "- name: Oslo\n  colour: red\n",
        "data.yml:13: municipalities[0] (Oslo), field 'colour': unknown key; allowed keys are name,",
        id="unknown-key",
    ),
    pytest.param(
        "- name: Oslo\n  links:\n    other: {url: 'https://x.example/', checked: yesterday}\n",
        "'yesterday' is not a date; write it as YYYY-MM-DD",
        id="bad-date",
    ),
    pytest.param("- Oslo\n", "each municipality must be a mapping", id="entry-not-mapping"),
    pytest.param("- name: [Oslo]\n", "field 'name': must be non-empty text", id="name-wrong-type"),
]
