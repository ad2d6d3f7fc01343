"""The ``since`` argument of the macros: a date, or "first" (the history's first date).

``arguments.check_since`` reads it from a macro call.
"""

from __future__ import annotations

import datetime
from typing import Literal

Since = datetime.date | Literal["first"]
