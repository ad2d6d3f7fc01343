"""Property tests: arbitrary Unicode in the data file's strings and in aliases.

A data string is either refused with a message naming the data file, or it reaches the page only
as text: the page has exactly the elements and attributes it has with plain names, whatever the
strings hold, with the Markdown extensions that turned names into markup before. An alias is
either refused, or gives one stub inside ``site_dir`` whose link leads to its target.
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from tests.support.sites import QUIET_ENV

EXTENSIONS: list[Any] = [
    "attr_list",
    "pymdownx.mark",
    "pymdownx.caret",
    "pymdownx.tilde",
    "tables",
    "admonition",
    {"toc": {"permalink": True}},
]
# Where the coverage summary (which holds the source names) lands: text, a heading, a table
# cell, an admonition, a list item; the table is a block of its own.
PAGE = """\
# Coverage {{ kommune_coverage() }}

Text {{ kommune_coverage() }} and ==more==.

| a | b |
|---|---|
| {{ kommune_coverage() }} | x |

!!! note
    {{ kommune_coverage() }}

- {{ kommune_coverage() }}

{{ kommune_table(caption="Where") }}
"""
FIELDS = ("source", "link_text", "municipality", "organization", "text")
EXAMPLES = 12  # each example is a whole build (~0.3 s)
# Half the examples hold no character the rules refuse, so pages get built, not only refused.
SHOWN = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))
STRINGS = st.one_of(st.text(max_size=24), st.text(SHOWN, min_size=1, max_size=24))


def dataset(values: dict[str, str]) -> dict[str, Any]:
    return {
        "sources": [
            {
                "id": "a",
                "name": values["source"],
                "link_text": values["link_text"],
                "url": "https://a.example/{organization}",
            },
            {"id": "b", "name": "Other"},
        ],
        "municipalities": [
            {
                "name": values["municipality"],
                "organization": values["organization"],
                "links": {"a": True, "b": {"url": "https://b.example/", "text": values["text"]}},
            }
        ],
    }


def build_site(root: Path, plugin: dict[str, Any], files: dict[str, str]) -> str | None:
    """Build in this process; the error message, or None when the build passed."""
    settings_ = {
        "site_name": "Test",
        "markdown_extensions": EXTENSIONS,
        "plugins": [{"kommune": plugin}, "macros"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings_, allow_unicode=True), "utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    os.environ.update(QUIET_ENV)
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    except MkDocsException as error:
        return "\n".join([str(error), *messages])
    finally:
        logger.removeHandler(handler)
    return None


def shape(html: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every element of the page's content with its attribute names: what markup is there."""
    content = BeautifulSoup(html, "html.parser").find(attrs={"role": "main"})
    assert isinstance(content, Tag)
    return [(tag.name, tuple(sorted(tag.attrs))) for tag in content.find_all(True)]


def built(values: dict[str, str]) -> tuple[str | None, str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = yaml.safe_dump(dataset(values), allow_unicode=True)
        error = build_site(root, {"data": "data.yml"}, {"data.yml": data, "docs/index.md": PAGE})
        html = "" if error else (root / "site" / "index.html").read_text(encoding="utf-8")
        return error, html


@pytest.fixture(scope="module")
def plain_shape() -> list[tuple[str, tuple[str, ...]]]:
    """The page's markup with plain names, which every accepted example must match."""
    error, html = built({field: f"Plain {number}" for number, field in enumerate(FIELDS)})
    assert error is None, error
    return shape(html)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({field: STRINGS for field in FIELDS}))
def test_data_strings_are_refused_or_only_text(
    plain_shape: list[tuple[str, tuple[str, ...]]], values: dict[str, str]
) -> None:
    error, html = built(values)
    if error is not None:
        assert "data.yml" in error and "Traceback" not in error, error
        return
    assert shape(html) == plain_shape, "a data string became markup"
    text = BeautifulSoup(html, "html.parser").get_text()
    for field, value in values.items():
        if field != "organization":  # only in the link's URL, percent-encoded
            assert unicodedata.normalize("NFC", value.strip()) in text


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=40), st.text(SHOWN, min_size=1, max_size=40)))
def test_aliases_are_refused_or_lead_to_the_target(alias: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = {"docs/index.md": "# Home\n", "docs/target.md": "# Target\n"}
        error = build_site(root, {"redirects": {alias: "target.md"}}, files)
        if error is not None:
            assert "refused redirects" in error and "Traceback" not in error, error
            return
        site = (root / "site").resolve()
        stubs = [
            path
            for path in site.rglob("*.html")
            if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")
        ]
        assert len(stubs) == 1, stubs
        stub = stubs[0].resolve()
        assert stub.is_relative_to(site)
        link = BeautifulSoup(stub.read_text(encoding="utf-8"), "html.parser").find("a")
        assert isinstance(link, Tag)
        stub_url = "http://site.test/" + stub.relative_to(site).as_posix()
        assert unquote(urlsplit(urljoin(stub_url, str(link["href"]))).path) == "/target/"
        assert {p.relative_to(root).as_posix() for p in root.iterdir()} == {
            "mkdocs.yml",
            "docs",
            "site",
        }
