"""Write counts into the data file's text, keeping everything else as it was.

ruamel.yaml's round trip keeps comments, key order, quoting, flow style and blank lines; what it
cannot read from a file is its indentation, so ``RoundTrip`` tries the usual styles and keeps the
one that gives the untouched file back byte for byte.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

# (mapping, sequence, offset) as ruamel.yaml's YAML.indent takes them, likeliest first:
# "  - name:" under a key (the bundled dataset's style), then "- name:" flush, then 4 spaces.
_STYLES = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (3, 3, 0), (2, 3, 1))


@dataclass(frozen=True)
class Count:
    """What one successful lookup writes into its cell."""

    index: int  # position in `municipalities`
    source_id: str
    datasets: int
    checked: datetime.date


class RoundTrip:
    """The data file as ruamel.yaml reads it, and the way to write it back."""

    def __init__(self, text: str, original: bytes | None = None) -> None:
        self.text = text
        self.original = text.encode("utf-8") if original is None else original  # as read
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._plain = text.replace("\r\n", "\n")  # what ruamel.yaml reads and writes
        self.exact = False
        self._yaml = self._make_yaml(*_STYLES[0])
        self.top: Any = self._yaml.load(self._plain)
        for style in _STYLES:
            candidate = self._make_yaml(*style)
            if self._dump(candidate) == self._plain:
                self._yaml, self.exact = candidate, True
                break

    @property
    def municipalities(self) -> list[Any]:
        found = self.top.get("municipalities") if isinstance(self.top, dict) else None
        return list(found) if isinstance(found, list) else []

    def raw_links(self) -> list[Any]:
        """Each municipality's `links` mapping (or None), in file order."""
        return [m.get("links") if isinstance(m, dict) else None for m in self.municipalities]

    def apply(self, counts: list[Count]) -> None:
        shared = self._shared_cells()
        for count in counts:
            _write_count(self.municipalities[count.index], count, shared)

    def _shared_cells(self) -> set[int]:
        """Cells that one YAML anchor gives to more than one place (``&c`` then ``*c``).

        Each municipality gets its own count, so such a cell is copied before it is written:
        the anchor's other uses keep what they had.
        """
        seen: set[int] = set()
        shared: set[int] = set()
        for links in self.raw_links():
            for cell in links.values() if isinstance(links, dict) else ():
                if isinstance(cell, dict):
                    (shared if id(cell) in seen else seen).add(id(cell))
        return shared

    def dump(self) -> str:
        """The text with "\n" line ends; write it with ``newline=self.newline``."""
        return self._dump(self._yaml)

    def _dump(self, yaml: YAML) -> str:
        stream = io.StringIO()
        yaml.dump(self.top, stream)
        return stream.getvalue()

    @staticmethod
    def _make_yaml(mapping: int, sequence: int, offset: int) -> YAML:
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap a long URL
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        return yaml


def _write_count(municipality: CommentedMap, count: Count, shared: set[int]) -> None:
    """`true` or an empty cell becomes {datasets, checked}; a URL becomes {url, datasets,
    checked}; a mapping gets the two keys updated in place (or added at its end), in a copy of
    its own when an anchor shares it."""
    links = municipality.get("links")
    if not isinstance(links, dict):
        links = CommentedMap()
        municipality["links"] = links
    cell = links.get(count.source_id)
    if isinstance(cell, dict) and id(cell) in shared:
        own = CommentedMap(cell.items())
        if isinstance(cell, CommentedMap) and cell.fa.flow_style():
            own.fa.set_flow_style()
        links[count.source_id] = cell = own
    if isinstance(cell, dict):
        cell["datasets"] = count.datasets
        cell["checked"] = _fresh(count.checked)
        return
    new = CommentedMap()
    if isinstance(cell, str):
        new["url"] = cell
    new["datasets"] = count.datasets
    new["checked"] = _fresh(count.checked)
    new.fa.set_flow_style()
    links[count.source_id] = new


def _fresh(date: datetime.date) -> datetime.date:
    """A date object of its own: ruamel.yaml writes one object met twice as an anchor and alias."""
    return datetime.date(date.year, date.month, date.day)
