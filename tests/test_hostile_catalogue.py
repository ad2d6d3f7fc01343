"""The bad-input catalogue: one table of hostile or careless input, and what each must give.

This file holds the site builds; ``test_hostile_refresh`` what a hostile catalogue server sends,
``test_hostile_cli`` the command line; ``test_hostile_answers`` the parser's property tests.

Every case builds a real site and must fail (or warn, where ``--strict`` makes that fatal) with a
message naming the file or page and the fix; never a traceback, a hang, a file written outside
``site_dir`` or a user file changed. To add a case, add a ``Case`` to the table: a name, the
project's files (``mkdocs.yml`` gets the defaults below unless given) and message fragments.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from tests.support.sites import QUIET_ENV, Site

SOURCES = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/search?org={organization}"
  - id: fdk
    name: Felles datakatalog
    url: "https://data.norge.no/organizations/{orgnr}"
  - id: other
    name: Other portals
"""
PAGE = "# Data\n\n{{ kommune_table() }}\n\nIn short: {{ kommune_coverage() }}.\n"
SECONDS = 20  # per case; a hang fails instead of blocking the suite


def data(municipalities: str, sources: str = SOURCES) -> dict[str, str]:
    """A project whose data file has these municipalities (YAML list items, unindented)."""
    return {"data.yml": sources + "municipalities:\n" + municipalities, "docs/index.md": PAGE}


def page(text: str, **extra: str) -> dict[str, str]:
    """A project with the bundled dataset and this page as docs/index.md."""
    return {"docs/index.md": text, "docs/other.md": "# Other\n", **extra}


def alias(value: str) -> dict[str, str]:
    return page("# Home\n", **{"docs/old.md": f"---\nredirect_from:\n  - {value}\n---\n# Old\n"})


def redirect_to(value: str) -> dict[str, str]:
    return page("# Home\n", **{"docs/old.md": f"---\nredirect_to: {value}\n---\n# Old\n"})


def not_utf8(root: Path) -> None:
    (root / "data.yml").write_bytes(b"\xff\xfe\x00sources")


def fifo(root: Path) -> None:
    os.mkfifo(root / "data.yml")


def big_file(root: Path) -> None:
    with (root / "data.yml").open("wb") as file:
        file.truncate(21_000_000)  # sparse: no disk used


def well_known_link(root: Path) -> None:
    (root / "site").mkdir()
    (root / "outside").mkdir()
    (root / "site" / ".well-known").symlink_to(root / "outside")


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    expect: tuple[str, ...]  # fragments the output must hold (file or page, what, the fix)
    plugin: dict[str, Any] = field(default_factory=lambda: {"data": "data.yml"})
    absent: tuple[str, ...] = ()  # fragments it must not hold (misleading follow-on messages)
    setup: Callable[[Path], None] | None = None
    warning: bool = False  # only a warning: the build must pass without --strict
    subprocess: bool = False  # run the real `mkdocs build --strict` command
    max_output: int = 50_000  # characters: every value in a message is cut short


BIG = "x" * 200_000
CASES = [
    # -- the data file: values PyYAML cannot build ------------------------------------------
    Case("date-out-of-range", data("- name: Oslo\n  links: {fdk: {url: 'https://a.example/', checked: 2026-02-30}}\n"),
         ("data.yml:", "municipalities[0] (Oslo), field 'links.fdk.checked'", "'2026-02-30' is not a real date", "YYYY-MM-DD"),
         subprocess=True),
    Case("int-of-4400-digits", data(f"- name: Oslo\n  population: {'9' * 4400}\n"),
         ("data.yml:", "field 'population'", "4400 digits is too long")),
    Case("bool-tag-on-a-word", data("- name: Oslo\n  links: {geonorge: !!bool maybe}\n"),
         ("data.yml:", "'maybe' cannot be read as bool", "quote it")),
    Case("timestamp-tag-on-garbage", data("- name: Oslo\n  links: {other: {url: 'https://a.example/', checked: !!timestamp soon}}\n"),
         ("data.yml:", "'soon' is not a real date",)),
    Case("python-object-tag", data("- name: !!python/object:os.system oslo\n"),
         ("data.yml:", "not valid YAML",)),
    Case("nested-300-deep", data("- name: Oslo\n  links:\n    other: " + "[" * 300 + "]" * 300 + "\n"),
         ("data.yml:", "nest more than 50 levels", "remove the extra levels"), absent=("refers to itself",)),
    Case("yaml-alias-inside-itself", data("- &a\n  name: Oslo\n  links: {other: [*a]}\n"),
         ("data.yml:", "refers to itself; remove the loop")),
    Case("duplicate-key", data("- name: Oslo\n  name: Bergen\n"),
         ("data.yml:", "appears twice in the same mapping; keep one")),
    Case("not-utf8", {"data.yml": "", "docs/index.md": PAGE},
         ("data.yml", "cannot read the file as UTF-8 text"), setup=not_utf8),
    Case("empty-file", {"data.yml": "", "docs/index.md": PAGE}, ("data.yml:", "the file is empty")),
    Case("top-level-list", {"data.yml": "- a\n", "docs/index.md": PAGE}, ("data.yml:", "must be a mapping")),
    Case("top-level-key-with-escape", data("[]\n") | {"data.yml": SOURCES + "municipalities: []\n\"\\e[2Jx\": 1\n"},
         ("data.yml:", "field '\\x1b[2Jx'", "unknown key"), absent=("\x1b",)),
    # -- the data file: the path is not a readable file -------------------------------------
    Case("data-is-dev-zero", {"docs/index.md": PAGE}, ("/dev/zero", "is not a regular file", "point the `data` option"),
         plugin={"data": "/dev/zero"}),
    Case("data-is-a-fifo", {"docs/index.md": PAGE}, ("data.yml", "is not a regular file"), setup=fifo),
    Case("data-is-a-folder", {"data.yml/x": "", "docs/index.md": PAGE}, ("data.yml", "is not a regular file")),
    Case("data-is-missing", {"docs/index.md": PAGE}, ("data.yml", "does not exist", "remove the option")),
    Case("data-over-2-mb", {"docs/index.md": PAGE}, ("data.yml", "larger than 2 MB"), setup=big_file),
    # -- the data file: URLs ------------------------------------------------------------------
    Case("link-ipv6-unclosed", data("- name: Oslo\n  links: {other: 'https://[oops/'}\n"),
         ("data.yml:", "field 'links.other'", "is not a valid URL", "check the host")),
    Case("link-ipv6-not-an-address", data("- name: Oslo\n  links: {other: {url: 'https://[evil]/', text: E}}\n"),
         ("data.yml:", "field 'links.other.url'", "is not a valid URL")),
    Case("link-port-out-of-range", data("- name: Oslo\n  links: {other: 'https://a.example:99999/'}\n"),
         ("data.yml:", "Port out of range")),
    Case("link-userinfo-spoof", data("- name: Oslo\n  links: {other: 'https://geonorge.no@evil.example/'}\n"),
         ("data.yml:", "user name before its host", "go to evil.example", "remove the part up to @")),
    Case("link-javascript", data("- name: Oslo\n  links: {other: 'javascript:alert(1)'}\n"),
         ("data.yml:", "is not an http(s) URL")),
    Case("link-with-rlo", data("- name: Oslo\n  links: {other: \"https://a.example/\\u202egpj.exe\"}\n"),
         ("data.yml:", "\\u202e", "right-to-left override")),
    Case("link-with-nbsp", data("- name: Oslo\n  links: {other: \"https://a.example/\\u00a0x\"}\n"),
         ("data.yml:", "non-ASCII space")),
    Case("link-with-placeholder", data("- name: Oslo\n  links: {other: 'https://a.example/{orgnr}'}\n"),
         ("data.yml:", "placeholders such as {orgnr} work only")),
    Case("template-ipv6-unclosed", {"data.yml": "sources:\n  - id: a\n    name: A\n    url: 'https://[oops/{orgnr}'\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "sources[0] (a), field 'url'", "is not a valid URL")),
    Case("template-userinfo", {"data.yml": "sources:\n  - id: a\n    name: A\n    url: 'https://a.example@evil.example/{orgnr}'\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "user name before its host")),
    Case("template-data-url", {"data.yml": "sources:\n  - id: a\n    name: A\n    url: 'data:text/html,{name}'\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "not an http(s) URL")),
    Case("template-unknown-placeholder", {"data.yml": "sources:\n  - id: a\n    name: A\n    url: 'https://a.example/{evil}'\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "unknown placeholder {evil}")),
    Case("api-url-ipv6", {"data.yml": "sources:\n  - id: a\n    name: A\n    api: {kind: geonorge, url: 'https://[evil]/'}\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "field 'api.url'", "is not a valid URL")),
    # -- the data file: what readers see --------------------------------------------------------
    Case("name-with-newline-heading", data("- name: \"Oslo\\n# x\"\n"),
         ("data.yml:", "field 'name'", "invisible or control character \\n")),
    Case("name-with-ansi", data("- name: \"\\e[2K\\rINFO - Documentation built\"\n"),
         ("data.yml:", "\\x1b"), absent=("\x1b",)),
    Case("name-with-nul", data("- name: \"Os\\0lo\"\n"), ("data.yml:", "\\x00")),
    Case("name-with-zero-width", data("- name: Oslo\n- name: \"Os\\u200blo\"\n"),
         ("data.yml:", "zero width space", "remove it")),
    Case("source-name-with-bidi", {"data.yml": "sources:\n  - id: a\n    name: \"\\u202eegroneoG\"\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "sources[0] (a), field 'name'", "right-to-left override")),
    Case("link-text-with-bom", data("- name: Oslo\n  links: {other: {url: 'https://a.example/', text: \"\\ufeffPortal\"}}\n"),
         ("data.yml:", "field 'links.other.text'", "zero width no-break space")),
    Case("organization-with-separator", data("- name: Oslo\n  organization: \"Oslo\\u2028kommune\"\n"),
         ("data.yml:", "field 'organization'", "line separator")),
    Case("lone-surrogate", data("- name: \"Os\\ud800lo\"\n"), ("data.yml:", "not valid YAML", "invalid Unicode character escape")),
    # -- the data file: amplification and ids ----------------------------------------------------
    Case("huge-value-referenced-600-times",
         {"data.yml": SOURCES + f"big: &big '{BIG}'\nmunicipalities:\n" + "- {name: Oslo, kommunenummer: *big}\n" * 600, "docs/index.md": PAGE},
         ("data.yml:", "is not 4 digits", "xxx..."), max_output=600 * 300),
    Case("source-id-of-a-megabyte", {"data.yml": f"sources:\n  - id: {'a' * 1_000_000}\n    name: A\nmunicipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "(at most 64)")),
    Case("unknown-source-with-escape", data("- name: Oslo\n  links: {\"\\e[31mgeo\": true}\n"),
         ("data.yml:", "field 'links.\\x1b[31mgeo'", "unknown source id")),
    # -- the data file: the rules ---------------------------------------------------------------
    Case("wrong-orgnr-no-follow-on", data("- name: Oslo\n  orgnr: '958935421'\n  links: {fdk: true}\n"),
         ("data.yml:", "mod-11 check digit", "Enhetsregisteret"), absent=("which this municipality lacks",)),
    Case("wrong-kommunenummer-no-follow-on", {"data.yml": "sources:\n  - id: a\n    name: A\n    url: 'https://a.example/{kommunenummer}'\nmunicipalities:\n- name: Oslo\n  kommunenummer: 301\n  links: {a: true}\n", "docs/index.md": PAGE},
         ("data.yml:", "leading 0"), absent=("which this municipality lacks",)),
    Case("pre-2024-number", data("- kommunenummer: '3024'\n"), ("data.yml:", "pre-2024 number", '"3201"'),
         plugin={"data": "data.yml", "register": "norway-2024"}),
    Case("unknown-register", {"data.yml": "register: sweden\n" + SOURCES + "municipalities: []\n", "docs/index.md": PAGE},
         ("data.yml:", "not a bundled register")),
    Case("negative-datasets", data("- name: Oslo\n  links: {other: {url: 'https://a.example/', datasets: -1}}\n"),
         ("data.yml:", "whole number of 0 or more")),
    Case("nested-link-list", data("- name: Oslo\n  links: {other: [[https://a.example/]]}\n"),
         ("data.yml:", "a list item must be a URL")),
    Case("every-problem-at-once", data("- name: \"Os\\u200blo\"\n- name: Bergen\n  links: {other: 'https://[x/', fdk: {url: 'https://a.example/', checked: 2026-13-01}}\n"),
         ("3 problems", "zero width space", "is not a valid URL", "is not a real date")),
    # -- macro arguments --------------------------------------------------------------------------
    Case("macro-unknown-source", page('{{ kommune_table(sources=["nope"]) }}\n'), ("index.md", "unknown source id 'nope'"), plugin={}),
    Case("macro-unknown-municipality", page('{{ kommune_table(municipalities=["Atlantis"]) }}\n'), ("index.md", "unknown municipality 'Atlantis'"), plugin={}),
    Case("macro-bad-sort", page('{{ kommune_table(sort="random") }}\n'), ("index.md", "sort 'random' is not one of"), plugin={}),
    Case("macro-negative-limit", page("{{ kommune_table(limit=-1) }}\n"), ("index.md", "limit must be a whole number"), plugin={}),
    Case("macro-bad-locale", page('{{ kommune_coverage(locale="de") }}\n'), ("index.md", "locale 'de' is not supported"), plugin={}),
    Case("macro-caption-not-text", page("{{ kommune_table(caption=5) }}\n"), ("index.md", "caption must be text"), plugin={}),
    Case("macro-positional", page('{{ kommune_table("Oslo") }}\n'), ("index.md", "keyword arguments only"), plugin={}),
    Case("macro-unknown-argument", page("{{ kommune_coverage(evil=1) }}\n"), ("index.md", "unknown argument 'evil'"), plugin={}),
    Case("macro-all-without-register", page('{{ kommune_table(municipalities="all") }}\n'), ("index.md", "needs a register"), plugin={}),
    Case("macro-unknown-county", page('{{ kommune_table(county="Atlantis") }}\n'), ("index.md", "unknown county 'Atlantis'"), plugin={}),
    Case("macro-sources-not-a-list", page("{{ kommune_coverage(sources=5) }}\n"), ("index.md", "sources must be a list"), plugin={}),
    Case("macro-counts-not-a-flag", page('{{ kommune_table(counts="yes") }}\n'), ("index.md", "counts must be true or false"), plugin={}),
    Case("macro-long-name-cut", page("{{ kommune_table(municipalities=['" + "A" * 5000 + "']) }}\n"), ("index.md", "AAA...", "unknown municipality"), plugin={}),
    Case("front-matter-bad-locale", page("---\nkommune_locale: de\n---\n{{ kommune_table() }}\n"), ("index.md", "kommune_locale 'de' is not supported"), plugin={}),
    # -- plugin options ------------------------------------------------------------------------------
    Case("option-unknown", page("# Home\n"), ("kommune", "regsiter", "Unrecognised configuration name"), plugin={"regsiter": "norway-2024"},
         warning=True, subprocess=True),
    Case("option-bad-locale", page("# Home\n"), ("kommune", "locale", "'de'"), plugin={"locale": "de"}),
    Case("option-bad-register", page("# Home\n"), ("kommune", "register", "sweden"), plugin={"register": "sweden"}),
    Case("option-stylesheet-not-bool", page("# Home\n"), ("kommune", "stylesheet", "bool"), plugin={"stylesheet": "maybe"}),
    Case("option-redirects-not-a-mapping", page("# Home\n"), ("kommune", "redirects"), plugin={"redirects": ["/a/"]}),
    Case("option-data-not-text", page("# Home\n"), ("kommune", "data"), plugin={"data": 5}),
    Case("option-redirect-to-javascript", page("# Home\n"), ("mkdocs.yml (plugins: kommune: redirects)", "never javascript:"), plugin={"redirects": {"a/": "javascript:alert(1)"}}),
    # -- front-matter aliases ------------------------------------------------------------------------
    Case("alias-dot-dot", alias("/../../outside/"), ("old.md: redirect_from", "`..` could point outside the site"), plugin={}),
    Case("alias-windows-con", alias("/CON/"), ("old.md: redirect_from", "device name on Windows"), plugin={}),
    Case("alias-windows-nul-html", alias("/docs/nul.html"), ("old.md: redirect_from", "`nul.html` is a device name"), plugin={}),
    Case("alias-windows-com1-ext", alias("/Com1.txt"), ("old.md: redirect_from", "device name on Windows"), plugin={}),
    Case("alias-trailing-dot", alias("/kommune./"), ("old.md: redirect_from", "ends in a dot or a space"), plugin={}),
    Case("alias-trailing-space", alias("'/kommune /x'"), ("old.md: redirect_from", "ends in a dot or a space"), plugin={}),
    Case("alias-300-char-segment", alias("/" + "a" * 300 + "/"), ("old.md: redirect_from", "longer than 240 bytes", "shorten it"), plugin={}),
    Case("alias-2000-segments", alias("/" + "a/" * 2000), ("old.md: redirect_from", "longer than 1000 bytes"), plugin={}),
    Case("alias-zero-width", alias('"/kom\\u200bmune/"'), ("old.md: redirect_from", "zero width space"), plugin={}),
    Case("alias-bidi", alias('"/\\u202ekommune/"'), ("old.md: redirect_from", "right-to-left override"), plugin={}),
    Case("alias-newline", alias('"/kom\\nmune/"'), ("old.md: redirect_from", "control character"), plugin={}),
    Case("alias-protocol-relative", alias("//evil.example/"), ("old.md: redirect_from", "not a URL or an absolute file path"), plugin={}),
    Case("alias-backslash", alias("'C:\\Windows\\x'"), ("old.md: redirect_from", "backslash"), plugin={}),
    Case("alias-windows-forbidden", alias("'/a<b>/'"), ("old.md: redirect_from", "Windows cannot store"), plugin={}),
    Case("alias-not-a-string", alias("5"), ("old.md: redirect_from", "must be a string"), plugin={}),
    Case("alias-over-a-page", alias("/other/"), ("old.md: redirect_from", "would overwrite `other/index.html`"), plugin={}),
    Case("alias-percent-dot-dot", alias("/%2e%2e/x/"), ("old.md: redirect_from", "`..`"), plugin={}),
    Case("docs-file-name-with-escape-redirect", page("# Home\n", **{"docs/o\x1b[2Jld\u202e.md": "---\nredirect_from: [/../x/]\n---\n# Old\n"}),
         ("o\\x1b[2Jld\\u202e.md: redirect_from",), absent=("\x1b", "\u202e"), plugin={}),
    Case("docs-file-name-with-escape-macro", page("# Home\n", **{"docs/p\x1b[31m.md": "---\nkommune_locale: de\n---\n{{ kommune_table() }}\n"}),
         ("p\\x1b[31m.md: bad kommune macro call", "kommune_locale 'de'"), plugin={}),
    Case("alias-through-symlink", alias("/.well-known/x/"), ("old.md: redirect_from", "symbolic link", "remove the link"), setup=well_known_link, plugin={}),
    # -- redirect_to ---------------------------------------------------------------------------------
    Case("redirect-to-ipv6-unclosed", redirect_to("'https://[oops/'"), ("old.md: redirect_to", "is not a valid URL"), subprocess=True, plugin={}),
    Case("redirect-to-ipv6-not-an-address", redirect_to("'https://[evil]/'"), ("old.md: redirect_to", "is not a valid URL"), plugin={}),
    Case("redirect-to-javascript", redirect_to("'javascript:alert(1)'"), ("old.md: redirect_to", "never javascript:"), plugin={}),
    Case("redirect-to-userinfo", redirect_to("'https://geonorge.no@evil.example/'"), ("old.md: redirect_to", "user name before its host"), plugin={}),
    Case("redirect-to-missing-page", redirect_to("missing.md"), ("old.md: redirect_to", "is not a page of the site"), plugin={}),
    Case("redirect-to-itself", redirect_to("old.md"), ("old.md: redirect_to", "redirects to itself"), plugin={}),
    Case("redirect-to-zero-width", redirect_to('"other\\u200b.md"'), ("old.md: redirect_to", "zero width space"), plugin={}),
    Case("redirect-to-mapping", redirect_to("{url: 'https://a.example/'}"), ("old.md: redirect_to", "must be a page of the site"), plugin={}),
    Case("redirect-to-huge-unknown-page", redirect_to("'" + "x" * 100_000 + ".md'"), ("old.md: redirect_to", "is not a page of the site"), absent=("x" * 200,), plugin={}),
]  # fmt: skip


def _snapshot(root: Path) -> dict[str, str]:
    """Every file of the project outside site/ (and what a symlink there leads to), hashed."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if (
            relative.startswith("site/")
            or relative == "site"
            or path.is_dir()
            or not path.is_file()
        ):
            continue
        with path.open("rb") as file:
            found[relative] = hashlib.sha256(file.read(1_000_000)).hexdigest()
    return found


def _project(tmp_path: Path, case: Case) -> Site:
    root = tmp_path / "project"
    root.mkdir()
    settings = {
        "site_name": "Test",
        "plugins": ["search", {"kommune": case.plugin} if case.plugin else "kommune", "macros"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    for name, text in case.files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if case.setup is not None:
        case.setup(root)
    return Site(root)


def _build_in_process(
    site: Site, strict: bool, caplog: pytest.LogCaptureFixture
) -> tuple[bool, str]:
    os.environ.update(QUIET_ENV)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        try:
            config = load_config(config_file=str(site.root / "mkdocs.yml"), strict=strict)
            build(config)
        except MkDocsException as error:  # what the mkdocs command prints as a message
            return False, f"{error}\n{caplog.text}"
    return True, caplog.text


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gives_a_message(
    case: Case, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = _project(tmp_path, case)
    before = _snapshot(tmp_path)
    started = time.monotonic()
    if case.subprocess:
        result = site.run("build", "--strict", timeout=SECONDS)
        passed, output = result.returncode == 0, result.stdout + result.stderr
    else:
        passed, output = _build_in_process(site, True, caplog)
    assert time.monotonic() - started < SECONDS
    assert not passed, f"the strict build passed:\n{output}"
    assert "Traceback" not in output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output[:3000]}"
    for fragment in case.absent:
        assert fragment not in output, f"{fragment!r} in:\n{output[:3000]}"
    assert len(output) < case.max_output, "the messages are not cut short"
    assert _snapshot(tmp_path) == before, "a file outside site_dir was written or changed"
    if case.warning:  # a warning, which only --strict makes fatal
        passed, output = _build_in_process(site, False, caplog)
        assert passed and all(fragment in output for fragment in case.expect), output


def test_the_catalogue_is_large_enough() -> None:
    """With test_hostile_refresh (75+) and test_hostile_cli (35+), each checking its own size,
    the catalogue holds 200 cases at least."""
    assert len(CASES) >= 90
    assert len({case.name for case in CASES}) == len(CASES)
