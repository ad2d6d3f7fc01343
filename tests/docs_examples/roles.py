"""What each role does with its example. Every role ends in a check that can fail.

Roles (``<!-- docs-test: ROLE ARGS -->`` right above a fence, or with a body as a hidden step):
  site NAME            switch to another project folder of this page (each starts empty)
  file PATH            write the text to PATH in the project folder
  merge PATH [under plugins/kommune]   merge a YAML fragment into PATH (lists are replaced)
  front-matter PATH    the text is a page's front matter: write PATH with it and a heading
  run [exit=N]         run the commands (```sh: each line must exit N, default 0;
                       ```console: `$ ` lines are commands, the lines below them their output)
  output [exit=N] CMD  run CMD; the text must appear in its output (`…` matches anything)
  form CMD             the text is a message's form (CAPITALS: any text); CMD's problems have it
  tree                 a tree of the package: every file and folder it names exists
  in-file PATH         the text's lines appear, in order, in PATH
  json PATH            the text is the JSON that PATH holds
  install              pip lines: each requirement must resolve to this package (pip --dry-run)
  workflow             a GitHub Actions workflow: its `run:` steps run here, installs checked
  css FILE PAGE        write the stylesheet to FILE, build; each selector matches in the built PAGE
  schema-keys          the YAML's top-level keys are the data file's, by its JSON Schema
  fake-data PATH       (hidden) write fake-kommuner.yml.in, whose catalogues are the fake server, to PATH
  pre-commit           a .pre-commit-config.yaml: its hooks exist in .pre-commit-hooks.yaml and run
  fake-api PATH        (hidden) point a data file's Geonorge and Felles datakatalog at the fake
  make                 `make TARGET` lines: the target exists (make -n) and serves the URL named
  fake                 (hidden) YAML settings of the fake catalogue server (counts, failures)
  live                 a macro call shown in a page: the same call follows it, live (default
                       for ```jinja); the docs site test builds those pages strictly
Any role takes `xfail=REASON` first: the step must fail (a fix has not landed yet), and fails the
suite once it passes, so the mark is removed when the fix lands.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.docs_examples.workspace import REPO

if TYPE_CHECKING:
    from sybil import Example

    from tests.docs_examples.parser import Step
    from tests.docs_examples.workspace import Workspace

_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
_ELLIPSIS = "…"


def evaluate(example: Example) -> str | None:
    """Sybil evaluator: run the step's role against the page's workspace."""
    step: Step = example.parsed
    workspace: Workspace = example.namespace["workspace"]
    role = ROLES.get(step.role)
    if role is None:
        return _unknown(step)
    xfail = [arg.removeprefix("xfail=") for arg in step.args if arg.startswith("xfail=")]
    if not xfail:
        role(workspace, step)
        return None
    # A step that waits for a fix: it must fail until the fix lands, then the mark must go.
    step = replace(step, args=tuple(arg for arg in step.args if not arg.startswith("xfail=")))
    try:
        role(workspace, step)
    except Exception as error:  # the role's failure, whatever it is, is the expected one
        pytest.xfail(f"{xfail[0]}: {str(error)[:300]}")
    return f"passes now: remove `xfail={xfail[0]}` from its docs-test comment"


def _unknown(step: Step) -> str:
    if step.role == "unrendered":
        return "a hidden step of a docs page holds a macro call: wrap it in {% raw %}…{% endraw %}"
    if step.role == "default":
        return (
            f"this ```{step.language} example is not exercised: put a "
            "`<!-- docs-test: ROLE ARGS -->` comment above it (roles: tests/docs_examples/roles.py)"
        )
    return f"unknown docs-test role {step.role!r} (roles: tests/docs_examples/roles.py)"


def _default(workspace: Workspace, step: Step) -> None:
    if step.language != "jinja":
        raise AssertionError(_unknown(step))
    _live(workspace, step)


def _options(step: Step) -> tuple[dict[str, str], list[str]]:
    """``exit=2 mkdocs build`` -> ({"exit": "2"}, ["mkdocs", "build"])."""
    options: dict[str, str] = {}
    rest = list(step.args)
    while rest and re.fullmatch(r"[a-z]+=\S+", rest[0]):
        key, value = rest.pop(0).split("=", 1)
        options[key] = value
    return options, rest


def _site(workspace: Workspace, step: Step) -> None:
    (workspace.site_name,) = step.args
    assert workspace.site.is_dir()


def _write(workspace: Workspace, path: str, text: str) -> None:
    target = workspace.site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _file(workspace: Workspace, step: Step) -> None:
    (path,) = step.args
    assert step.text.strip(), f"nothing to write to {path}: put the comment right above a fence"
    text = workspace.substitute(step.text) if step.hidden else step.text
    if path.endswith((".yml", ".yaml")):
        yaml.safe_load(text)  # a YAML example that does not parse fails here, naming itself
    _write(workspace, path, text)


def _merge(workspace: Workspace, step: Step) -> None:
    path, *where = step.args
    fragment = yaml.safe_load(textwrap.dedent(step.text))
    assert isinstance(fragment, dict), f"a merge needs a YAML mapping, not {fragment!r}"
    document = workspace.read_yaml(path) if (workspace.site / path).exists() else {}
    target = document
    if where:
        assert where[0] == "under", step.args
        for key in where[1].split("/"):
            target = _child(target, key)
    _deep_merge(target, fragment)
    _write(workspace, path, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def _child(node: Any, key: str) -> Any:
    """Walk into a mapping key, or into the entry of a plugin list named ``key``."""
    if isinstance(node, dict):
        return node.setdefault(key, {})
    for index, entry in enumerate(node):
        if entry == key:
            node[index] = {key: {}}
            return node[index][key]
        if isinstance(entry, dict) and key in entry:
            if entry[key] is None:
                entry[key] = {}
            return entry[key]
    node.append({key: {}})
    return node[-1][key]


def _deep_merge(target: dict[str, Any], fragment: dict[str, Any]) -> None:
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


def _front_matter(workspace: Workspace, step: Step) -> None:
    (path,) = step.args
    assert step.text.startswith("---\n") and step.text.rstrip().endswith("---"), step.text
    yaml.safe_load(step.text.strip().strip("-"))
    _write(workspace, path, step.text + "\n# A page\n\nSome text.\n")


def _run(workspace: Workspace, step: Step) -> None:
    options, _ = _options(step)
    wanted = int(options.get("exit", "0"))
    if step.language == "console":
        _console(workspace, step.text)
        return
    for command in _commands(workspace.substitute(step.text) if step.hidden else step.text):
        if re.search(r"\bmkdocs serve\b", command):
            html = workspace.serve(command)
            assert "<html" in html and "kommune-problems" not in html, html[:2000]
            continue
        result = workspace.shell(command)
        assert result.returncode == wanted, (
            f"`{command}` exited {result.returncode}, not {wanted}:\n{result.stdout}"
        )


def _commands(text: str) -> list[str]:
    """The command lines of a shell block (continued lines joined, blank and comment lines out)."""
    joined = text.replace("\\\n", " ")
    return [
        line for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]


def _console(workspace: Workspace, text: str) -> None:
    """A terminal session: each `$ command` is run, and what follows it is its output."""
    chunks = re.split(r"^\$ ", text, flags=re.MULTILINE)
    assert not chunks[0].strip(), f"a console block starts with `$ `: {chunks[0]!r}"
    for chunk in chunks[1:]:
        command, _, expected = chunk.partition("\n")
        if command.strip() == "echo $?":
            actual = f"{workspace.last_exit}\n"
        else:
            actual = workspace.shell(command).stdout
        _expect(expected, actual, command, whole=True)


def _expect(expected: str, actual: str, what: str, *, whole: bool) -> None:
    """Compare a shown output with the real one: dates and `…` match anything."""
    pattern = _pattern(expected)
    found = (re.fullmatch if whole else re.search)(pattern, _DATE.sub("DATE", actual).rstrip())
    assert found, f"`{what}` printed:\n{actual}\nwhich does not match the docs:\n{expected}"


def _pattern(expected: str) -> str:
    lines = []
    for line in _DATE.sub("DATE", expected).rstrip().splitlines():
        if line.strip() == _ELLIPSIS:
            lines.append(r"(?:[^\n]*\n)*?")  # a line of its own: any number of lines
        else:
            # "number …": the space is the docs' typography, the text may go on with a colon.
            parts = [re.escape(p) for p in line.rstrip().replace(" …", "…").split(_ELLIPSIS)]
            lines.append("[^\n]*".join(parts) + r"[ \t]*")
    return r"\n".join(lines).replace(r"*?\n", "*?")


def _output(workspace: Workspace, step: Step) -> None:
    options, command = _options(step)
    line = shlex.join(command)
    result = workspace.shell(line)
    if "exit" in options:
        assert result.returncode == int(options["exit"]), (result.returncode, result.stdout)
    _expect(step.text, result.stdout, line, whole=False)


def _form(workspace: Workspace, step: Step) -> None:
    """The text is a message's form: its CAPITALISED words stand for any text. Every problem line
    the command prints has that form."""
    result = workspace.shell(shlex.join(step.args))
    parts = re.split(r"[A-Z]{2,}(?: [A-Z]{2,})*", step.text.strip())
    form = ".+?".join(re.escape(part) for part in parts)
    problems = [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert problems, result.stdout
    for line in problems:
        assert re.fullmatch(form, line), f"{line!r} is not of the form {step.text.strip()!r}"


def _tree(workspace: Workspace, step: Step) -> None:
    """A tree of the package: every file and folder it names exists in the checkout."""
    root, *lines = step.text.strip().splitlines()
    named = 0
    for line in lines:
        first_column = re.match(r"  (\S.*?)(?:\s{2,}|$)", line)
        if first_column is None:
            continue  # a continued description
        for name in first_column.group(1).split(", "):
            assert (REPO / root / name).exists(), f"{root}{name} is not in the checkout"
            named += 1
    assert named, step.text


def _in_file(workspace: Workspace, step: Step) -> None:
    (path,) = step.args
    lines = iter((workspace.site / path).read_text(encoding="utf-8").splitlines())
    for wanted in step.text.strip().splitlines():
        assert any(line == wanted for line in lines), f"{path} lacks, in this order: {wanted!r}"


def _pre_commit(workspace: Workspace, step: Step) -> None:
    """The hooks named exist in the repository's .pre-commit-hooks.yaml; their entry runs here."""
    config = yaml.safe_load(step.text)
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    for repo in config["repos"]:
        for wanted in repo["hooks"]:
            hook = hooks[wanted["id"]]
            for changed in ("mkdocs.yml", "data/kommuner.yml"):
                assert re.search(hook["files"], changed), (hook["files"], changed)
            result = workspace.shell(hook["entry"])
            assert result.returncode == 0, result.stdout


def _json(workspace: Workspace, step: Step) -> None:
    (path,) = step.args
    assert json.loads(step.text) == json.loads((workspace.site / path).read_text("utf-8"))


def _install(workspace: Workspace, step: Step) -> None:
    from tests.docs_examples.installs import check_install_lines

    check_install_lines(workspace, step.text)


def _workflow(workspace: Workspace, step: Step) -> None:
    from tests.docs_examples.installs import run_workflow

    run_workflow(workspace, step.text)


def _css(workspace: Workspace, step: Step) -> None:
    """A stylesheet for the site: written to FILE, the site built, every selector found in PAGE."""
    path, page = step.args
    _write(workspace, path, step.text)
    result = workspace.shell("mkdocs build --strict")
    assert result.returncode == 0, result.stdout
    soup = BeautifulSoup((workspace.site / page).read_text("utf-8"), "html.parser")
    rules = re.sub(r"/\*.*?\*/", "", step.text, flags=re.DOTALL)
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", rules) for s in rule.split(",")]
    assert selectors, step.text
    for selector in selectors:
        assert soup.select(selector), f"`{selector}` matches nothing in {page}"


def _schema_keys(workspace: Workspace, step: Step) -> None:
    shown = yaml.safe_load(re.sub(r"\[\.\.\.\]", "[]", step.text))
    schema = json.loads(workspace.shell("mkdocs-kommune schema").stdout)
    assert set(shown) == set(schema["properties"]), (set(shown), set(schema["properties"]))


def _fake(workspace: Workspace, step: Step) -> None:
    settings = yaml.safe_load(step.text)
    assert isinstance(settings, dict)
    workspace.start_fake(settings)


def _fake_data(workspace: Workspace, step: Step) -> None:
    (path,) = step.args
    text = (Path(__file__).parent / "fake-kommuner.yml.in").read_text(encoding="utf-8")
    _write(workspace, path, workspace.substitute(text))


def _fake_api(workspace: Workspace, step: Step) -> None:
    """Point the Geonorge and Felles datakatalog sources of a data file at the fake catalogues."""
    from ruamel.yaml import YAML

    (path,) = step.args
    base = workspace.start_fake().url("").rstrip("/")
    endpoints = {"geonorge": "/geonorge/api/search", "felles-datakatalog": "/fdk/search/datasets"}
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = (
        True  # orgnr "958935420" stays a quoted string, as the author wrote it
    )
    target = workspace.site / path
    data = yaml_rt.load(target.read_text(encoding="utf-8"))
    for source in data["sources"]:
        if source["id"] in endpoints:
            source["api"] = {"kind": source["id"], "url": base + endpoints[source["id"]]}
    with target.open("w", encoding="utf-8") as out:
        yaml_rt.dump(data, out)


def _make(workspace: Workspace, step: Step) -> None:
    """`make serve` would serve on port 8000 and `make test` is this suite: dry runs, in the checkout."""
    for line in _commands(step.text):
        command, _, comment = line.partition("#")
        words = command.split()
        assert words[0] == "make", line
        result = subprocess.run(
            ["make", "-n", *words[1:]], cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"`{command}`: {result.stderr}"
        for url in re.findall(r"http://[\w.:/-]+", comment):
            assert url in result.stdout, f"`{command}` does not serve {url}:\n{result.stdout}"


def _live(workspace: Workspace, step: Step) -> None:
    """The calls shown are the calls made: each line follows the fence, before the next fence."""
    following = re.split(r"^\s*(?:```|~~~)", step.after, maxsplit=1, flags=re.MULTILINE)[0]
    live = {line.strip() for line in following.splitlines()}
    for line in step.text.splitlines():
        assert not line.strip() or line.strip() in live, (
            f"the example shows {line.strip()!r}, but the page does not render that call after it"
        )


ROLES: dict[str, Callable[[Workspace, Step], None]] = {
    "default": _default,
    "site": _site,
    "file": _file,
    "merge": _merge,
    "front-matter": _front_matter,
    "run": _run,
    "output": _output,
    "in-file": _in_file,
    "json": _json,
    "install": _install,
    "workflow": _workflow,
    "css": _css,
    "schema-keys": _schema_keys,
    "fake": _fake,
    "live": _live,
    "fake-data": _fake_data,
    "make": _make,
    "fake-api": _fake_api,
    "pre-commit": _pre_commit,
    "form": _form,
    "tree": _tree,
}
