"""The refresh history: ``<data file stem>.history.csv``, read and checked, and asked by the macros.

``read`` checks the file line by line; ``model`` answers "what was this cell's count on that
date" and "what did this selection total per date".
"""

from .locate import HistoryOption, history_path, resolve_option, site_history
from .model import History, Series, Totals, history_of, load_history
from .read import HEADER, HistoryError, Row, history_beside, parse_rows, read_text

__all__ = [
    "HEADER",
    "History",
    "HistoryError",
    "HistoryOption",
    "Row",
    "Series",
    "Totals",
    "history_beside",
    "history_of",
    "history_path",
    "load_history",
    "parse_rows",
    "read_text",
    "resolve_option",
    "site_history",
]
