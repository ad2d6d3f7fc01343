"""The data file's JSON Schema: packaged, printed by `mkdocs-kommune schema`, true to the rules."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from mkdocs_kommune.cli.site import schema_text
from mkdocs_kommune.data import DataError, parse_dataset
from tests.support.datafiles import BAD_MUNICIPALITIES, SOURCES

REPO = Path(__file__).resolve().parent.parent
# Every data file of the repository: YAML with a top-level `sources:` (golden cases nest theirs).
DATA_FILES = sorted(
    p
    for p in REPO.glob("**/*.yml")
    if not {".venv", "site", "node_modules"} & set(p.parts)
    and "\nsources:" in "\n" + p.read_text("utf-8")
)
# What the schema cannot see: check digits, duplicates, templates a municipality cannot fill.
BEYOND_THE_SCHEMA = {
    "orgnr-mod-11",
    "unknown-source",  # source ids are the file's own
    "placeholder-unfillable",
    "no-template",
    "duplicate-name",
    "duplicate-number",
    "missing-name",  # optional with a register
    "bad-date",  # an editor sees `yesterday` as text, like a date
}


def as_editors_see_it(value: Any) -> Any:
    """YAML as JSON: dates are text to yaml-language-server."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_editors_see_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editors_see_it(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_command_prints_the_packaged_schema() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs-kommune"), "schema"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema_text()
    assert json.loads(result.stdout)["title"] == "mkdocs-kommune data file"


def test_every_example_data_file_is_found() -> None:
    names = {p.relative_to(REPO).as_posix() for p in DATA_FILES}
    assert {"example-site/data/kommuner.yml", "mkdocs_kommune/datasets/default.yml"} <= names


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_example_data_files_are_valid(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    text = path.read_text("utf-8")
    parse_dataset(text, str(path))  # the plugin accepts it …
    errors = [e.message for e in validator.iter_errors(as_editors_see_it(yaml.safe_load(text)))]
    assert errors == []  # … and so does the schema


BAD_FILES = [
    pytest.param("", id="empty"),
    pytest.param("- a\n- b\n", id="top-is-list"),
    pytest.param("sources: []\nmunicipalities: []\n", id="no-sources"),
    pytest.param(SOURCES, id="no-municipalities"),
    pytest.param(SOURCES + "municipalities: []\nsources2: []\n", id="unknown-top-key"),
    pytest.param(
        "sources:\n  - id: Geo Norge\n    name: A\nmunicipalities: []\n", id="bad-source-id"
    ),
    pytest.param("sources:\n  - id: a\nmunicipalities: []\n", id="source-without-name"),
    pytest.param(
        "sources:\n  - id: a\n    name: A\n    url: 'data:text/html,x'\nmunicipalities: []\n",
        id="template-not-http",
    ),
    pytest.param("register: sweden\n" + SOURCES + "municipalities: []\n", id="unknown-register"),
    pytest.param(
        "sources:\n  - {id: a, name: A, api: {url: 'https://x.example/'}}\nmunicipalities: []\n",
        id="api-without-kind",
    ),
]


def in_file(municipalities: str) -> str:
    return SOURCES + "municipalities:\n" + textwrap.indent(textwrap.dedent(municipalities), "  ")


BAD_ENTRIES = [
    pytest.param(in_file(str(p.values[0])), id=p.id)
    for p in BAD_MUNICIPALITIES
    if p.id not in BEYOND_THE_SCHEMA
]


@pytest.mark.parametrize("text", BAD_FILES + BAD_ENTRIES)
def test_bad_input_is_invalid_for_the_schema_and_the_plugin(
    validator: jsonschema.Draft202012Validator, text: str
) -> None:
    with pytest.raises(DataError):
        parse_dataset(text, "data.yml")
    assert not validator.is_valid(as_editors_see_it(yaml.safe_load(text)))


def test_what_only_the_plugin_can_tell_is_listed_honestly(
    validator: jsonschema.Draft202012Validator,
) -> None:
    """The catalogue's cases the schema lets through are exactly BEYOND_THE_SCHEMA."""
    passed = {
        p.id
        for p in BAD_MUNICIPALITIES
        if validator.is_valid(as_editors_see_it(yaml.safe_load(in_file(str(p.values[0])))))
    }
    assert passed == BEYOND_THE_SCHEMA


def test_pre_commit_hook_runs_validate() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "kommune-validate"
    assert hook["entry"] == "mkdocs-kommune validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
