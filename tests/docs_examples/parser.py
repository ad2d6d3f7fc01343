"""Find the examples of a Markdown page: every fenced block, each with the role a comment gives it.

Sybil's own Markdown lexers find the fences and the ``<!-- docs-test: ROLE ARGS -->`` comments; this
parser pairs them. A comment with a body (``<!-- docs-test: file data/x.yml`` … ``-->``) is a hidden
step of its own (setup the reader does not need to see); a comment without one names the role of the
fence right below it. A fence without a comment gets its language's default role, or fails.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sybil import Document, Region
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer

from tests.docs_examples.roles import evaluate
from tests.docs_examples.workspace import REPO

# The language of a fence is the first word of its info line (```yaml title="x" -> yaml).
_FENCES = RawFencedCodeBlockLexer(info_pattern=re.compile(r"(?P<language>[^\s`]*)[^\n]*\n"))
_COMMENTS = DirectiveInHTMLCommentLexer(directive="docs-test", arguments=".*?")
# The docs pages run through mkdocs-macros, so a shown macro call is wrapped in {% raw %}.
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")


@dataclass(frozen=True)
class Step:
    """One example: what to do (role and its arguments) with which text."""

    role: str
    args: tuple[str, ...]
    text: str  # the fence's content as the reader sees it, or a hidden comment's body
    language: str  # "" for a hidden step
    after: str  # the page's text after the example (the live result of a macro example)

    @property
    def hidden(self) -> bool:
        return not self.language


def _step(role_and_args: str, text: str, language: str, after: str) -> Step:
    words = shlex.split(role_and_args)
    role = words[0] if words else ""
    return Step(role, tuple(words[1:]), _RAW.sub("", text), language, after)


def parse(document: Document) -> Iterable[Region]:
    """Sybil parser: one region per fence (with its comment, if any) and per hidden step."""
    comments = list(_COMMENTS(document))
    fences = list(_FENCES(document))
    pending: Region | None = None  # a comment without a body, waiting for its fence
    for region in sorted(comments + fences, key=lambda r: r.start):
        if pending is not None and not _adjacent(document, pending, region, region in fences):
            yield _hidden(document, pending)
            pending = None
        if region in comments:
            if str(region.lexemes["source"]).strip():
                yield _hidden(document, region)
            else:
                pending = region
            continue
        language = region.lexemes["language"]
        after = document.text[region.end :]
        start, role = (
            (pending.start, pending.lexemes["arguments"]) if pending else (region.start, "default")
        )
        step = _step(role, region.lexemes["source"], language, after)
        yield Region(start, region.end, step, evaluate)
        pending = None
    if pending is not None:
        yield _hidden(document, pending)


def _adjacent(document: Document, comment: Region, region: Region, is_fence: bool) -> bool:
    """Only the comment's closing `-->` and white space lie between it and the fence below."""
    between = document.text[comment.end : region.start]
    return is_fence and not between.lstrip("-").removeprefix(">").strip()


_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)


def _hidden(document: Document, comment: Region) -> Region:
    body = str(comment.lexemes["source"])
    in_docs = Path(document.path).resolve().is_relative_to(REPO / "docs")
    if in_docs and re.search(r"\{\{|\{%", _RAW_BLOCK.sub("", body)):
        # The docs pages run through mkdocs-macros, comments included: a bare macro call in a
        # hidden step would be rendered into the page's HTML.
        step = Step("unrendered", (), body, "", "")
        return Region(comment.start, comment.end, step, evaluate)
    step = _step(
        comment.lexemes["arguments"],
        body,
        "",
        document.text[comment.end :],
    )
    return Region(comment.start, comment.end, step, evaluate)
