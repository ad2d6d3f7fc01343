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


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; returns the data and problems PyYAML would pass over silently.

    Raises ``YamlSyntaxError`` (with a line) when the text is not YAML at all.
    """
    loader = yaml.SafeLoader(text)
    problems: list[YamlProblem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, problems
        return _convert(node, loader, problems), problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlSyntaxError(line, _describe(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(0, str(error)) from None
    finally:
        loader.dispose()


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    return ", ".join(part for part in parts if part) or "invalid YAML"


def _convert(node: Node, loader: yaml.SafeLoader, problems: list[YamlProblem]) -> Any:
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | float | bool) and key is not None:
                problems.append(
                    YamlProblem(key_line, "a key must be a plain word, not a list or mapping")
                )
                continue
            if key in mapping:
                problems.append(
                    YamlProblem(
                        key_line, f"key '{key}' appears twice in the same mapping; keep one"
                    )
                )
            mapping[key] = _convert(value_node, loader, problems)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, SequenceNode):
        items = LineList()
        items.line = node.start_mark.line + 1
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        items.extend(_convert(item, loader, problems) for item in node.value)
        return items
    assert isinstance(node, ScalarNode)
    return loader.construct_object(node, deep=True)
