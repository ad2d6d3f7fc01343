"""The rules of the data file: walk the parsed YAML, collect every problem, build the dataset.

No problem is fatal alone: each names the line, the entry and the field, and says what would be
valid, so a site author can fix all of them in one pass. One module per part of the file:
``sources`` (the columns), ``municipalities`` (the rows), ``links`` (the cells),
``register_match`` (checks against the bundled register); ``problems`` and ``fields`` are shared.
"""

from __future__ import annotations

from typing import Any

from ..model import Dataset
from ..yamlsource import LineDict
from .fields import unknown_keys
from .municipalities import check_municipalities
from .problems import Problem, Problems, line_of, locate, short_repr
from .register_match import check_register
from .sources import check_sources

__all__ = ["Problem", "Problems", "check_dataset", "locate", "short_repr"]

TOP_KEYS = ("sources", "municipalities", "register")


def check_dataset(
    problems: Problems, top: Any, register_option: str | None, path: str
) -> Dataset | None:
    """The dataset of a parsed file, or None; every problem found goes into ``problems``."""
    if top is None:
        problems.add(
            1, "", "", "the file is empty; it needs a `sources:` list and a `municipalities:` list"
        )
        return None
    if not isinstance(top, LineDict):
        problems.add(
            line_of(top),
            "",
            "",
            "the top level must be a mapping with the keys `sources` and `municipalities`",
        )
        return None
    unknown_keys(problems, top, TOP_KEYS, "top level")
    register = check_register(problems, top, register_option)
    sources = check_sources(problems, top)
    municipalities = check_municipalities(problems, top, sources, register)
    if sources is None or municipalities is None:
        return None
    return Dataset(
        tuple(sources.sources), tuple(municipalities), register.id if register else None, path
    )
