"""The bad-input catalogue, part three: the command line (`validate`, `init`, `refresh`, `redirects`).

Each case sets up a project in ``tmp_path`` (a data file, a site folder, links, a failing disk),
runs the command in-process through click's runner and checks the exit status, the message, no
traceback, no raw escape sequence, a bounded output and time, and that no file changed but the
ones the command may write. A few real subprocess runs measure memory and time of the worst.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mkdocs_kommune.cli import main
from tests.support.hostile_server import HostileServer, Part, double_bomb, json_answer, response

SOURCES = """\
sources:
  - id: geonorge
    name: Geonorge
    url: "https://kartkatalog.geonorge.no/search?org={organization}"
  - id: other
    name: Other portals
"""
HUB = """\
sources:
  - id: hub
    name: Smart by
    api: {kind: arcgis-hub, url: "URL"}
municipalities:
"""
GOOD = b'{"type": "FeatureCollection", "numberMatched": 42, "features": []}'
FAST = ["--timeout", "1", "--retries", "0", "--backoff", "0.01", "--rate", "500"]
RAW = ("\x1b", "\x9b", "\x07", "\r", "\u202e")
SECONDS = 10


@dataclass
class Project:
    root: Path
    server: HostileServer

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("URL", self.server.url()), encoding="utf-8")
        return path

    def p(self, name: str) -> str:
        return str(self.root / name)


@dataclass(frozen=True)
class CliCase:
    name: str
    setup: Callable[[Project], list[str]]  # makes the files, returns the command's arguments
    expect: tuple[str, ...]
    exit_code: int = 1
    absent: tuple[str, ...] = ()
    may_change: tuple[str, ...] = ()  # files the command may write (relative to the project)
    max_output: int = 20_000
    script: Callable[[Project], Callable[[str], Iterable[Part]]] | None = None
    patch: Callable[[pytest.MonkeyPatch, Project], None] | None = None


# -- the data file: amplification ---------------------------------------------------------------


def alias_rows(megabytes: float) -> str:
    return SOURCES + "municipalities:\n- &m {name: Oslo}\n" + "- *m\n" * int(megabytes * 200_000)


def distinct_problems(count: int) -> str:
    rows = "".join(f"- {{name: K{n}, orgnr: '1{n:08d}'}}\n" for n in range(count))
    return SOURCES + "municipalities:\n" + rows


def validate(text: str, *extra: str) -> Callable[[Project], list[str]]:
    def setup(project: Project) -> list[str]:
        return ["validate", str(project.write("data.yml", text)), *extra]

    return setup


def validate_named(name: str, text: str) -> Callable[[Project], list[str]]:
    def setup(project: Project) -> list[str]:
        return ["validate", str(project.write(name, text))]

    return setup


def loop(name: str) -> Callable[[Project], list[str]]:
    def setup(project: Project) -> list[str]:
        (project.root / name).symlink_to(project.root / name)
        return ["validate", project.p(name)]

    return setup


def config_loop(project: Project) -> list[str]:
    (project.root / "mkdocs.yml").symlink_to(project.root / "mkdocs.yml")
    return ["validate", "-f", project.p("mkdocs.yml")]


def config_loop_with_file(project: Project) -> list[str]:
    (project.root / "mkdocs.yml").symlink_to(project.root / "mkdocs.yml")
    data = project.write("data.yml", SOURCES + "municipalities: []\n")
    return ["validate", str(data), "-f", project.p("mkdocs.yml")]


def init_loop(project: Project) -> list[str]:
    (project.root / "new.yml").symlink_to(project.root / "new.yml")
    return ["init", project.p("new.yml"), "--force", "-f", project.p("none.yml")]


def init_dir_loop(project: Project) -> list[str]:
    (project.root / "d").symlink_to(project.root / "d")
    return ["init", project.p("d/new.yml"), "-f", project.p("none.yml")]


def fail_os(function: str, code: int) -> Callable[[pytest.MonkeyPatch, Project], None]:
    """A disk that is full, or read-only, from the moment the file is written."""

    def patch(monkeypatch: pytest.MonkeyPatch, project: Project) -> None:
        def failing(*args: object, **kwargs: object) -> object:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, function, failing)

    return patch


def init_existing_escape(project: Project) -> list[str]:
    path = project.write("x\x1b[2J\u202e.yml", "kept\n")
    return ["init", str(path), "-f", project.p("none.yml")]


def redirects_into_escape(project: Project) -> list[str]:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
    project.write("docs/index.md", "---\nredirect_from: [/old/]\n---\n# Home\n")
    project.write("s\x1b]0;x\x07/index.html", "<p>home</p>")
    return ["redirects", project.p("s\x1b]0;x\x07"), "-f", project.p("mkdocs.yml")]


def init_target(project: Project) -> list[str]:
    return ["init", project.p("data/new.yml"), "-f", project.p("none.yml")]


# -- refresh --------------------------------------------------------------------------------------


def refresh(text: str, *extra: str, name: str = "data.yml") -> Callable[[Project], list[str]]:
    def setup(project: Project) -> list[str]:
        return ["refresh", str(project.write(name, HUB + text)), *FAST, *extra]

    return setup


def good(project: Project) -> Callable[[str], Iterable[Part]]:
    return lambda path: json_answer(GOOD)


def edit_meanwhile(project: Project) -> Callable[[str], Iterable[Part]]:
    def script(path: str) -> list[Part]:
        data = project.root / "data.yml"
        data.write_text(data.read_text("utf-8") + "# edited by hand meanwhile\n", "utf-8")
        return json_answer(GOOD)

    return script


def check_links(project: Project) -> list[str]:
    text = SOURCES + "municipalities:\n- name: Oslo\n  links: {other: 'URL'}\n"
    return ["check-links", str(project.write("data.yml", text)), *FAST]


def escape_reason(project: Project) -> Callable[[str], Iterable[Part]]:
    return lambda path: response("500 \x1b[2J\x1b]52;c;ZXZpbA==\x07")


def escape_redirect(project: Project) -> Callable[[str], Iterable[Part]]:
    return lambda path: (
        response("404 Gone", [("Location", "/\x1b[2J")])
        if path != "/items"
        else response("302 Found", [("Location", "/x\u202e")])
    )


def stale_temporary(project: Project) -> list[str]:
    data = project.write("data.yml", HUB + "- name: Oslo\n  links: {hub: https://oslo.example/}\n")
    old = project.root / ".data.yml.abcd1234.tmp"
    old.write_text("half a file", "utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    project.write(".data.yml.fresh123.tmp", "another run's, still being written")
    return ["refresh", str(data), *FAST]


def hostile_comment(project: Project) -> list[str]:
    # YAML itself refuses C0 controls in a file; bidi and other format characters it takes.
    text = (
        HUB
        + "- name: Oslo  # \u202e evil \u2066x\u2069\u200b\n  links: {hub: https://oslo.example/}\n"
    )
    return ["refresh", str(project.write("data.yml", text)), *FAST, "--dry-run"]


def bundled(project: Project) -> list[str]:
    config = project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
    return ["refresh", "-f", str(config), *FAST]


def redirects_site(
    pages: dict[str, str], site: dict[str, str], json_text: str | None = None
) -> Callable[[Project], list[str]]:
    def setup(project: Project) -> list[str]:
        project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
        for name, text in pages.items():
            project.write(f"docs/{name}", text)
        for name, text in site.items():
            project.write(f"site/{name}", text)
        if json_text is not None:
            data = json_text.encode("utf-8", "surrogateescape")
            (project.root / "site").mkdir(exist_ok=True)
            (project.root / "site" / "redirects.json").write_bytes(data)
        return ["redirects", project.p("site"), "-f", project.p("mkdocs.yml")]

    return setup


OLD_PAGE = {"index.md": "# Home\n", "new.md": "---\nredirect_from: [/old/]\n---\n# New\n"}
BUILT = {"index.html": "<p>home</p>", "new/index.html": "<p>new</p>"}
HAND_WRITTEN = "<html><body>My own page, written by hand</body></html>"
PRIOR_JSON = '{"/old/": "/new/", "/kept/": "/new/"}'


def site_loop(project: Project) -> list[str]:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
    project.write("docs/index.md", "---\nredirect_from: [/old/]\n---\n# Home\n")
    (project.root / "site").symlink_to(project.root / "site")
    return ["redirects", project.p("site"), "-f", project.p("mkdocs.yml")]


def docs_loop(project: Project) -> list[str]:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
    project.write("docs/index.md", "---\nredirect_from: [/old/]\n---\n# Home\n")
    (project.root / "docs" / "again").symlink_to(project.root / "docs")
    project.write("site/index.html", "<p>home</p>")
    return ["redirects", project.p("site"), "-f", project.p("mkdocs.yml")]


def stub_dir_loop(project: Project) -> list[str]:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - kommune\n")
    project.write("docs/index.md", "---\nredirect_from: [/old/x/]\n---\n# Home\n")
    project.write("site/index.html", "<p>home</p>")
    (project.root / "site" / "old").symlink_to(project.root / "site" / "old")
    return ["redirects", project.p("site"), "-f", project.p("mkdocs.yml")]


LINK = "{hub: https://oslo.example/}"
CASES = [
    # -- validate: work and output grow linearly and stay small ---------------------------------------
    CliCase("validate-alias-rows-1mb", validate(alias_rows(1)), ("is already listed", "more like this"), max_output=20_000),
    CliCase("validate-alias-rows-json", validate(alias_rows(1), "--format", "json"), ("more like this",), max_output=60_000),
    CliCase("validate-20000-distinct-problems", validate(distinct_problems(20_000)), ("mod-11", "more problems"), max_output=60_000),
    CliCase("validate-over-the-size-limit", validate(alias_rows(2.2)), ("larger than 2 MB",)),
    CliCase("validate-anchor-bomb", validate(SOURCES + "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\nmunicipalities: []\n"), ("unknown key",)),
    CliCase("validate-portal-yes", validate(SOURCES + "municipalities:\n- name: Oslo\n  links: {other: yes}\n"), ("'yes'", "true"), exit_code=1),
    # -- validate and init: paths -------------------------------------------------------------------
    CliCase("validate-symlink-loop", loop("data.yml"), ("data.yml", "symbolic link")),
    CliCase("validate-config-symlink-loop", config_loop, ("mkdocs.yml",)),
    CliCase("validate-file-beside-config-loop", config_loop_with_file, ("no problems",), exit_code=0),
    CliCase("validate-name-with-escape", validate_named("d\x1b[2J\u202e.yml", "sources: 5\n"), ("\\x1b[2J\\u202e.yml",)),
    CliCase("validate-missing-config", lambda p: ["validate", "-f", p.p("missing.yml")], ("missing.yml",)),
    CliCase("init-force-on-a-symlink-loop", init_loop, ("new.yml", "symbolic link")),
    CliCase("init-into-a-folder-loop", init_dir_loop, ("cannot write", "/d")),
    CliCase("init-over-a-name-with-escape", init_existing_escape, ("x\\x1b[2J\\u202e.yml already exists",)),
    CliCase("redirects-into-a-folder-with-escape", redirects_into_escape, ("s\\x1b]0;x\\x07",), exit_code=0, may_change=("s\x1b]0;x\x07/*",)),
    CliCase("init-disk-full", init_target, ("cannot write", "No space left on device"), patch=fail_os("write", errno.ENOSPC)),
    CliCase("init-read-only", init_target, ("cannot write", "Read-only file system"), patch=fail_os("replace", errno.EROFS)),
    # -- refresh: writing ---------------------------------------------------------------------------
    CliCase("refresh-disk-full", refresh(f"- name: Oslo\n  links: {LINK}\n"), ("cannot write", "No space left on device", "unchanged"), script=good, patch=fail_os("write", errno.ENOSPC)),
    CliCase("refresh-read-only-rename", refresh(f"- name: Oslo\n  links: {LINK}\n"), ("cannot write", "Read-only file system"), script=good, patch=fail_os("replace", errno.EROFS)),
    CliCase("refresh-read-only-folder", refresh(f"- name: Oslo\n  links: {LINK}\n"), ("cannot write", "Permission denied"), script=good, patch=fail_os("open", errno.EACCES)),
    CliCase("refresh-edit-meanwhile", refresh(f"- name: Oslo\n  links: {LINK}\n"), ("changed while refresh was asking", "NOT written"), script=edit_meanwhile, may_change=("data.yml",)),
    CliCase("refresh-stale-temporary-file", stale_temporary, ("written",), exit_code=0, script=good, may_change=("data.yml", ".data.yml.abcd1234.tmp")),
    CliCase("refresh-dry-run-hostile-comment", hostile_comment, ("# \\u202e evil \\u2066x\\u2069\\u200b", "dry run"), exit_code=0, script=good),
    CliCase("refresh-bundled-dataset", bundled, ("bundled dataset", "mkdocs-kommune init")),
    CliCase("refresh-symlink-loop", lambda p: loop("data.yml")(p) and ["refresh", p.p("data.yml"), *FAST], ("data.yml", "symbolic link")),
    CliCase("refresh-name-with-escape", refresh(f"- name: Oslo\n  links: {LINK}\n", name="d\x1b]0;x\x07.yml"), ("\\x1b]0;x\\x07.yml: written",), exit_code=0, script=good, may_change=("d\x1b]0;x\x07.yml",)),
    CliCase("refresh-portal-yes", refresh("- name: Oslo\n  links: {hub: yes}\n"), ("'yes'", "true"), exit_code=1),
    CliCase("check-links-reason-with-escape", check_links, ("HTTP 500 \\x1b[2J",), exit_code=2, script=escape_reason),
    CliCase("check-links-redirect-with-bidi", check_links, ("gone",), exit_code=2, script=escape_redirect),
    CliCase("refresh-help-says-retry-after", lambda p: ["refresh", "--help"], ("Retry-After of up to 120 s",), exit_code=0),
    # -- redirects SITE_DIR -----------------------------------------------------------------------------
    CliCase("redirects-hand-written-page-where-a-stub-was", redirects_site(OLD_PAGE, {**BUILT, "old/index.html": HAND_WRITTEN}, PRIOR_JSON), ("old/index.html",)),
    CliCase("redirects-json-not-a-mapping", redirects_site(OLD_PAGE, BUILT, "[1, 2, 3]"), ("Wrote 1 redirect stub",), exit_code=0, may_change=("site/*",)),
    CliCase("redirects-json-nested-100000", redirects_site(OLD_PAGE, BUILT, "[" * 100_000 + "]" * 100_000), ("Wrote 1 redirect stub",), exit_code=0, may_change=("site/*",)),
    CliCase("redirects-json-numbers-as-aliases", redirects_site(OLD_PAGE, {**BUILT, "old/index.html": HAND_WRITTEN}, '{"1": 2, "/old/": 3}'), ("old/index.html",)),
    CliCase("redirects-json-huge", redirects_site(OLD_PAGE, BUILT, '{"/x/": "' + "y" * 3_000_000 + '"}'), ("Wrote 1 redirect stub",), exit_code=0, may_change=("site/*",)),
    CliCase("redirects-json-not-utf8", redirects_site(OLD_PAGE, BUILT, "\udcff\udcfe"), ("Wrote 1 redirect stub",), exit_code=0, may_change=("site/*",)),
    CliCase("redirects-site-is-a-symlink-loop", site_loop, ("site",)),
    CliCase("redirects-docs-symlink-loop", docs_loop, ("Wrote 1 redirect stub",), exit_code=0, may_change=("site/*",)),
    CliCase("redirects-stub-folder-loop", stub_dir_loop, ("old",)),
    CliCase("redirects-site-missing", redirects_site(OLD_PAGE, {}) , ("site",), may_change=("site/*",)),
]  # fmt: skip


def _files(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _allowed(name: str, case: CliCase) -> bool:
    return any(
        name == pattern or (pattern.endswith("/*") and name.startswith(pattern[:-1]))
        for pattern in case.may_change
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_command_line_gives_a_message(
    case: CliCase, tmp_path: Path, hostile: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path, hostile)
    if case.script is not None:
        hostile.script = case.script(project)
    args = case.setup(project)
    before = _files(tmp_path)
    if case.patch is not None:
        case.patch(monkeypatch, project)
    started = time.monotonic()
    result = CliRunner().invoke(main, args)
    seconds = time.monotonic() - started
    monkeypatch.undo()
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == case.exit_code, output[:3000]
    assert "Traceback" not in output
    for fragment in case.expect:
        assert fragment in output, f"{fragment!r} not in:\n{output[:3000]}"
    for fragment in case.absent:
        assert fragment not in output, f"{fragment!r} in:\n{output[:3000]}"
    assert not [char for char in RAW if char in output], output[:3000]
    assert len(output) < case.max_output, "the output is not cut short"
    assert seconds < SECONDS
    after = _files(tmp_path)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert {name for name in changed if not _allowed(name, case)} == set(), changed


def test_an_edit_made_meanwhile_is_kept(tmp_path: Path, hostile: HostileServer) -> None:
    project = Project(tmp_path, hostile)
    hostile.script = edit_meanwhile(project)
    result = CliRunner().invoke(main, refresh(f"- name: Oslo\n  links: {LINK}\n")(project))
    text = (tmp_path / "data.yml").read_text("utf-8")
    assert result.exit_code == 1
    assert text.endswith("# edited by hand meanwhile\n") and "datasets" not in text


def test_a_stale_temporary_file_is_removed_and_a_fresh_one_kept(
    tmp_path: Path, hostile: HostileServer
) -> None:
    project = Project(tmp_path, hostile)
    hostile.script = good(project)
    result = CliRunner().invoke(main, stale_temporary(project))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".data.yml.abcd1234.tmp").exists()
    assert (tmp_path / ".data.yml.fresh123.tmp").exists()
    assert sorted(p.name for p in tmp_path.glob(".*.tmp")) == [".data.yml.fresh123.tmp"]


def test_a_cell_shared_by_an_anchor_gets_its_own_count(
    tmp_path: Path, hostile: HostileServer
) -> None:
    project = Project(tmp_path, hostile)
    counts = iter([b"5", b"9"])
    hostile.script = lambda path: json_answer(b'{"numberMatched": ' + next(counts) + b"}")
    text = (
        "- name: Oslo\n  links: {hub: &shared {url: 'https://a.example/', text: A}}\n"
        "- name: Bergen\n  links: {hub: *shared}\n"
    )
    args = refresh(text, "--concurrency", "1")(project)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    import yaml

    data = yaml.safe_load((tmp_path / "data.yml").read_text("utf-8"))
    found = sorted(m["links"]["hub"]["datasets"] for m in data["municipalities"])
    assert found == [5, 9]
    assert all(m["links"]["hub"]["url"] == "https://a.example/" for m in data["municipalities"])


# Runs the command in the child and prints its own peak memory (KB on Linux) at exit.
_CHILD = """\
import resource, runpy, sys
sys.argv = ["mkdocs-kommune", *sys.argv[1:]]
try:
    runpy.run_module("mkdocs_kommune", run_name="__main__")
finally:
    print("PEAK-KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _measure(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run the real command in a child limited to 1 GB; its peak memory (MB) and seconds."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )
    peak = int(result.stderr.rsplit("PEAK-KB", 1)[1].split()[0])
    return result, peak / 1024, time.monotonic() - started


def test_the_worst_inputs_stay_under_200_mb_and_10_s(
    tmp_path: Path, hostile: HostileServer
) -> None:
    """Real processes: the double gzip bomb and the largest alias-row file the limit lets in."""
    project = Project(tmp_path, hostile)
    hostile.script = lambda path: json_answer(double_bomb(), ("Content-Encoding", "gzip, gzip"))
    data = project.write("bomb.yml", HUB + f"- name: Oslo\n  links: {LINK}\n")
    rows = project.write("rows.yml", alias_rows(1.95))
    for args, fragment in (
        (["refresh", str(data), *FAST], "encoded more than once"),
        (["validate", str(rows)], "more like this"),
    ):
        result, megabytes, seconds = _measure(args, tmp_path)
        assert fragment in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert megabytes < 200 and seconds < 10, (args[0], megabytes, seconds)


def test_this_part_of_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 35
    assert len({case.name for case in CASES}) == len(CASES)
