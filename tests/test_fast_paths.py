"""Every shortcut taken for speed gives exactly what the plain way gives.

Each test compares a fast path with the library call it stands in for, over inputs chosen to hit
the edges where the two could part: unclean paths, duplicate pages, marker-like values, merge keys,
symbolic links that lead out of the site and back.
"""

from __future__ import annotations

import datetime
import gc
import itertools
import json
import os
import posixpath
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import pytest
import yaml
from markupsafe import Markup

from mkdocs_kommune import yamlsource
from mkdocs_kommune.data import parse_dataset
from mkdocs_kommune.redirects.aliases import PageFacts, PageIndex, RedirectError, _relpath
from mkdocs_kommune.redirects.build import _refuse_links_out
from mkdocs_kommune.redirects.slots import SlotTemplate
from mkdocs_kommune.safetext import LIMIT, REFUSED_CATEGORIES, _escape, first_refused, plain
from mkdocs_kommune.urls import check_url

SEGMENTS = ["a", "b", "bæ", "x.html", "", ".", ".."]


def _paths() -> list[str]:
    paths = {"."}
    for length in (1, 2, 3):
        paths.update("/".join(parts) for parts in itertools.product(SEGMENTS, repeat=length))
    return sorted(p for p in paths if p)


def test_relpath_is_posixpath_relpath() -> None:
    paths = _paths()
    for path, start in itertools.product(paths, paths[::7]):
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)


def _page(src_uri: str, url: str) -> PageFacts:
    return PageFacts(src_uri, url, src_uri, url + "index.html")


def test_page_index_finds_what_a_scan_in_order_finds() -> None:
    nfd, nfc = "be\u0301.md", "b\u00e9.md"  # the same name in two Unicode forms
    pages = {
        nfd: _page(nfd, "first/"),
        nfc: _page(nfc, "second/"),
        "flat.md": _page("flat.md", "index.html"),
        "index.md": _page("index.md", ""),
        "b%C3%A6rum.md": _page("b%C3%A6rum.md", "b%C3%A6rum/"),
    }
    index = PageIndex(pages)
    assert index.find("b\u00e9.md") is pages[nfd]  # the first of two equal names
    assert index.find("/") is pages["flat.md"]  # "index.html" comes before the home page here
    assert index.find("/b%C3%A6rum/") is pages["b%C3%A6rum.md"]
    assert index.find("/bærum/") is pages["b%C3%A6rum.md"]
    assert index.find("/nowhere/") is None
    home_first = PageIndex({"index.md": pages["index.md"], "flat.md": pages["flat.md"]})
    assert home_first.find("") is pages["index.md"]


STUB = jinja2.Environment(autoescape=True).from_string(
    '<title>{{ title }}</title>{% if canonical %}<link href="{{ canonical }}">{% endif %}'
    '<script>var t = {{ script }};</script><a href="{{ link }}">{{ title }}</a>'
)
VALUES: list[dict[str, Any]] = [
    {
        "title": "A & <B> \"c\" 'd'",
        "canonical": "https://e.org/?a=1&b=2",
        "script": Markup('"x"'),
        "link": "../a/",
    },
    {"title": "\x00link\x00 stays", "canonical": None, "script": Markup('"\\u003c"'), "link": "b/"},
    {"title": "Plain", "canonical": "https://e.org/", "script": Markup('""'), "link": "./"},
]


def test_slots_give_what_jinja_renders() -> None:
    slots = SlotTemplate(STUB)
    for values in VALUES:
        assert slots.render(values) == STUB.render(values)
    assert len(slots.shapes) == 2  # with and without a canonical link
    assert all(pieces is not None for pieces in slots.shapes.values())


def test_a_template_that_changes_its_values_is_rendered_each_time() -> None:
    upper = jinja2.Environment(autoescape=True).from_string("{{ title | upper }} {{ link }}")
    slots = SlotTemplate(upper)
    for values in VALUES:
        assert slots.render(values) == upper.render(values)
    assert set(slots.shapes.values()) == {None}


YAML = """\
base: &base {x: 1, y: two}
merged: {<<: *base, y: three}
"=": value key
tagged: !!str 123
quoted: "0301"
number: 0301
date: 2026-11-25
flags: [True, false, true, ~, null, '', 'yes']
floats: [1.5, .inf, 1e3]
nested:
  - {a: [1, {b: c}]}
  - plain text
"""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_yaml_tree_equals_safe_load() -> None:
    top, problems = yamlsource.load(YAML)
    assert problems == []
    assert _plain(top) == yaml.safe_load(YAML)
    assert top["date"] == datetime.date(2026, 11, 25)
    assert type(top["tagged"]) is str


def test_loading_restores_the_collector_as_it_was() -> None:
    text = "sources: [{id: a, name: A}]\nmunicipalities: [{name: Oslo}]\n"
    assert gc.isenabled()
    parse_dataset(text)
    assert gc.isenabled()
    gc.disable()
    try:
        parse_dataset(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _plain_leads_out(root: str, uri: str) -> bool:
    real_root = os.path.realpath(root)
    resolved = os.path.realpath(os.path.join(real_root, *uri.split("/")))
    return os.path.commonpath([real_root, resolved]) != real_root


def test_link_check_agrees_with_resolving_every_path(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "real" / "deep").mkdir(parents=True)
    (outside / "back").mkdir(parents=True)
    (site / "out").symlink_to(outside, target_is_directory=True)
    (site / "in").symlink_to(site / "real", target_is_directory=True)
    (site / "real" / "away.html").symlink_to(outside / "x.html")
    (outside / "back" / "home").symlink_to(site / "real", target_is_directory=True)
    uris = [
        "plain/index.html",
        "real/deep/index.html",
        "out/index.html",
        "in/deep/index.html",
        "in/away.html",
        "real/away.html",
        "out/back/home/index.html",  # out through one link, back in through another
        "redirects.json",
    ]
    expected = [uri for uri in uris if _plain_leads_out(str(site), uri)]
    assert expected == ["out/index.html", "in/away.html", "real/away.html"]
    with pytest.raises(RedirectError) as refused:
        _refuse_links_out(str(site), uris, [])
    reported = [line.split("`")[1] for line in str(refused.value).splitlines()]
    assert reported == expected
    _refuse_links_out(str(site), [u for u in uris if u not in expected], [])


def _full_rules(value: str) -> bool:
    """check_url's last rules, as written before its shortcut for plain http(s) URLs."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and "@" not in parts.netloc


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b#c",
        "http://example.org",
        "https://a",
        "https://.",
        "https://-/",
        "https://example.org:8080/",
        "https://example.org:99999/",
        "HTTPS://example.org/",
        "https:///path",
        "https://user@host/",
        "https://geonorge.no@evil.example/",
        "https://[::1]/",
        "https://[oops/",
        "https://bærum.no/",
        "https://a:/",
        "ftp://example.org/",
        "https:example.org",
        "https://s.example.org/{orgnr}",
        "https://{name}.example.org/",
    ],
)
def test_url_check_agrees_with_the_full_rules(url: str) -> None:
    template = "{" in url
    assert (check_url(url, template=template) is None) == _full_rules(url), url


TEXTS = [
    "Oslo",
    "Bø i Telemark",
    "tab\there",
    "del\x7f",
    "nbsp\u00a0",
    "zero\u200bwidth",
    "",
    "x" * 120,
]


def test_first_refused_and_plain_agree_with_their_loops() -> None:
    for text in TEXTS:
        loop = next((c for c in text if unicodedata.category(c) in REFUSED_CATEGORIES), None)
        assert (first_refused(text) is None) == (loop is None), text
        head = text[: LIMIT + 1]
        shown = "".join(c if c.isprintable() else _escape(c) for c in head)
        expected = (
            shown if len(shown) <= LIMIT and len(text) <= LIMIT else shown[: LIMIT - 3] + "..."
        )
        assert plain(text) == expected, text


ORGNR_CASES = [
    "958935420",  # Oslo: valid
    "958935421",  # one digit off: fails the check digit
    "958 935 420",
    "95893542",
    "9589354200",
    "٩٥٨٩٣٥٤٢٠",  # Arabic-Indic digits: str.isdigit() is True, stdnum says no
    "958935420\n",
    " 958935420",
    "",
    *(f"{n:09d}" for n in range(0, 10**9, 7_654_321)),
]


@pytest.mark.parametrize("text", ORGNR_CASES)
def test_orgnr_fast_path_agrees_with_python_stdnum(text: str) -> None:
    from stdnum.exceptions import ValidationError
    from stdnum.no import orgnr

    from mkdocs_kommune.validate.municipalities import _orgnr
    from mkdocs_kommune.validate.problems import Problems

    try:
        expected: str | None = orgnr.validate(text)
    except ValidationError:
        expected = None
    problems = Problems()
    item = yamlsource.load(f"orgnr: {json.dumps(text)}\n")[0]
    assert _orgnr(problems, item, "municipalities[0]") == expected
    assert bool(len(problems)) == (expected is None)


@pytest.mark.parametrize(
    "text",
    [
        "?\n" * 30_000,
        "-\n" * 30_000,
        "[" + ",".join("1" * 30_000) + "]",
        "{" + ",".join("a" * 30_000) + "}",
    ],
)
def test_a_text_too_short_to_count_holds_fewer_nodes_than_characters(text: str) -> None:
    """yamlsource.load skips counting below MAX_NODES // 2 characters: no text holds more
    nodes than characters (+1), so such a text is always under the limit."""
    assert yamlsource._count_nodes(text) <= len(text) + 1
