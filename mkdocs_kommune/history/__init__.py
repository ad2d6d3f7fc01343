"""The refresh history: ``<data file stem>.history.csv``, read and checked, and asked by the macros.

``read`` checks the file line by line; ``model`` answers "what was this cell's count on that
date" and "what did this selection total per date".
"""

from .model import History, Series, Totals, history_of, load_history
from .read import HEADER, HistoryError, Row, history_beside, parse_rows, read_text

__all__ = [
    "HEADER",
    "History",
    "HistoryError",
    "Row",
    "Series",
    "Totals",
    "history_beside",
    "history_of",
    "load_history",
    "parse_rows",
    "read_text",
]
