"""Load YAML with safe types while remembering the line of every mapping, key and list item.

PyYAML's safe loader forgets positions once it builds Python objects; error messages that name a
line need them, so the node tree is converted here by hand and every scalar is still built by the
safe constructor (dates, ints and booleans behave exactly as with ``yaml.safe_load``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's parser when PyYAML was built with it (about 5x faster); constructors stay the safe ones.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
# Booleans only in YAML 1.1 (PyYAML); YAML 1.2 (ruamel.yaml, editors) reads them as text.
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off"})
_MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
_FLATTENED = (_MERGE_TAG, _VALUE_TAG)  # keys PyYAML's flatten_mapping rewrites


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# The data file needs six levels (top, list, entry, links, cell, list of links); deeper is a
# mistake, and recursing through thousands of levels would end in a RecursionError.
MAX_DEPTH = 50
# Every municipality with a few links and counts in each column is about 30,000 values.
MAX_NODES = 200_000
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str
    path: tuple[Any, ...] = ()  # keys and list indices from the top down to the value


class YamlSyntaxError(Exception):
    """Not YAML at all: where (line and column from 1; 0 when unknown) and what PyYAML says.

    ``char`` is the character where the parser stopped, ``context_line`` the line where the
    construct it was reading began (an opening quote or bracket), for the hint.
    """

    def __init__(
        self, line: int, message: str, column: int = 0, char: str = "", context_line: int = 0
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.column = column
        self.char = char
        self.context_line = context_line


def load(text: str) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; returns the data and problems PyYAML would pass over silently.

    Raises ``YamlSyntaxError`` (with a line) when the text is not YAML at all.
    """
    # No text holds more nodes than characters, give or take one ("?\n" is a key and a value in
    # two), so one under half the limit cannot hold too many: typical files (357 rows are about
    # 45 KB) skip the counting pass, which costs a second parse.
    nodes = _count_nodes(text) if len(text) >= MAX_NODES // 2 else 0
    if nodes > MAX_NODES:
        raise YamlSyntaxError(
            0,
            f"the file holds more than {MAX_NODES:,} values, lists and mappings (a data file of "
            "every municipality has about 30,000); check that it is the right file",
        )
    loader = _Loader(text)
    problems: list[YamlProblem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, problems
        return _Converter(loader, problems).convert(node), problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        char = _char_at(text, mark.index) if mark else ""
        context = error.context_mark.line + 1 if error.context_mark else 0
        raise YamlSyntaxError(line, _describe(error), column, char, context) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(0, str(error)) from None
    except RecursionError:  # merge keys (<<) are flattened by PyYAML itself, recursively
        raise YamlSyntaxError(
            0, "merge keys (<<) nest too deeply or refer to themselves; simplify them"
        ) from None
    finally:
        loader.dispose()


def _count_nodes(text: str) -> int:
    """How many values, lists and mappings the text holds, up to just over MAX_NODES.

    Counted from the parser's events, which are dropped as they come: building the node tree
    first would cost about 400 bytes a value (900,000 values fit in 2 MB: `[1,1,1,…]`).
    An alias is not counted: it shares its anchor's node. A syntax error stops the count; the
    real load reports it.
    """
    loader = _Loader(text)
    count = 0
    try:
        while loader.check_event():
            if isinstance(loader.get_event(), _NODE_EVENTS):  # type: ignore[no-untyped-call]
                count += 1
                if count > MAX_NODES:
                    break
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return count


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    return ", ".join(part for part in parts if part) or "invalid YAML"


class _Converter:
    """Node tree -> LineDict/LineList. An alias is converted once and shared, as ``safe_load``
    shares it, so "billion laughs" files stay small; an alias inside itself is reported."""

    def __init__(self, loader: yaml.SafeLoader, problems: list[YamlProblem]) -> None:
        self.loader = loader
        self.problems = problems
        self.done: dict[int, Any] = {}
        self.in_progress: set[int] = set()
        self.path: list[Any] = []  # where the converter is, for messages about a value

    def problem(self, node: Node, message: str, *, located: bool = True) -> None:
        path = tuple(self.path) if located else ()
        self.problems.append(YamlProblem(node.start_mark.line + 1, message, path))

    def convert(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.done:
            return self.done[id(node)]
        if id(node) in self.in_progress:
            self.problem(node, "an alias (*name) refers to itself; remove the loop", located=False)
            return None
        if len(self.path) >= MAX_DEPTH:
            self.problem(
                node,
                f"lists and mappings nest more than {MAX_DEPTH} levels deep here; "
                "the data file needs six at most: remove the extra levels",
            )
            return None
        self.in_progress.add(id(node))
        assert isinstance(node, MappingNode | SequenceNode)
        result = self.mapping(node) if isinstance(node, MappingNode) else self.sequence(node)
        self.in_progress.discard(id(node))
        self.done[id(node)] = result
        return result

    def scalar(self, node: ScalarNode) -> Any:
        """The value as ``safe_load`` builds it, or None (reported) when it cannot be built.

        PyYAML raises plain Python errors for some scalars that look right: ``2026-02-30``
        (no such day), an int of more than 4,300 digits (Python's limit), ``!!bool maybe``.
        """
        # A string is its own text (the safe constructor returns node.value); only other tags
        # (int, bool, date, …) need the constructor, which is most of the time spent here.
        if node.tag == _STR_TAG:
            return node.value
        if node.tag == _BOOL_TAG and not node.style and node.value.lower() in _YAML11_BOOLS:
            meant = "true" if node.value.lower() in ("yes", "on") else "false"
            self.problem(
                node,
                f"{_short(node.value)} is {meant} to this plugin (YAML 1.1) but the text "
                f"{_short(node.value)} to YAML 1.2 tools (editors, `refresh`); write `{meant}` if "
                f"that is what you mean, or quote it if it is text",
            )
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as error:  # ValueError, KeyError, AttributeError … from a constructor
            self.problem(node, _unreadable(node, error))
            return None

    def mapping(self, node: MappingNode) -> LineDict:
        # Keys written in this mapping may override keys merged in with `<<: *base`;
        # only a key written twice here is a mistake.
        written: set[int] | None = None  # None: no `<<`, every key was written here
        if any(key.tag in _FLATTENED for key, _ in node.value):
            written = {id(key) for key, _ in node.value if key.tag != _MERGE_TAG}
            self.loader.flatten_mapping(node)  # resolves `<<` and `=` keys
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        key_lines: dict[Any, int] = {}
        mapping.key_lines = key_lines
        written_keys: set[Any] = set()
        for key_node, value_node in node.value:
            before = len(self.problems)
            key = self.convert(key_node) if isinstance(key_node, ScalarNode) else []
            if len(self.problems) > before:
                continue  # a key that could not be read has been reported
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.problems.append(
                    YamlProblem(key_line, "a key must be a plain word, not a list or mapping")
                )
                continue
            if written is None or id(key_node) in written:
                # Without merges, the keys seen so far are exactly those in key_lines.
                seen = key in key_lines if written is None else key in written_keys
                if seen:
                    self.problems.append(
                        YamlProblem(
                            key_line,
                            f"key {_short(key)} appears twice in the same mapping; keep one",
                        )
                    )
                if written is not None:
                    written_keys.add(key)
            self.path.append(key)
            mapping[key] = self.convert(value_node)
            self.path.pop()
            key_lines[key] = key_line
        return mapping

    def sequence(self, node: SequenceNode) -> LineList:
        items = LineList()
        items.line = node.start_mark.line + 1
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        for index, item in enumerate(node.value):
            self.path.append(index)
            items.append(self.convert(item))
            self.path.pop()
        return items


def _short(value: Any, limit: int = 60) -> str:
    """A key for a message: quoted, control and invisible characters escaped, cut short."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _unreadable(node: Node, error: Exception) -> str:
    raw = str(node.value) if isinstance(node, ScalarNode) else ""
    if node.tag == "tag:yaml.org,2002:timestamp":
        return (
            f"{_short(raw)} is not a real date ({error}); write a date that exists, as YYYY-MM-DD"
        )
    if node.tag == "tag:yaml.org,2002:int":
        return (
            f"a number of {len(raw)} digits is too long to read; "
            "write a real count, or quote the value if it is text"
        )
    return f"{_short(raw)} cannot be read as {node.tag.rsplit(':', 1)[-1]}; quote it if it is text"
