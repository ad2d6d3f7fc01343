"""What ``refresh`` tells the user: the outcome of each cell, the summary table, the diff."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..safetext import for_terminal

COUNTED = "counted"  # a new or different count was written
UNCHANGED = "unchanged"  # the same count as before (the `checked` date moves on)
FAILED = "failed"
SKIPPED = "skipped"  # a list of links: one count cannot say which link it belongs to
COLUMNS = (COUNTED, UNCHANGED, FAILED, SKIPPED)


@dataclass(frozen=True)
class Outcome:
    municipality: str
    source_id: str
    status: str
    datasets: int | None = None
    reason: str = ""


# A reason shared by more cells than this (a host that cannot be reached, a catalogue that is
# down) is said once for all of them, naming the first few cells.
GROUP_OVER = 3
NAMED_IN_GROUP = 5


def failure_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per failed cell, by municipality and source: "Oslo / geonorge: HTTP 503 …";
    one line for all the cells of a reason shared by more than ``GROUP_OVER`` of them."""
    failed = [o for o in outcomes if o.status == FAILED]
    by_reason: dict[str, list[Outcome]] = {}
    for outcome in failed:
        by_reason.setdefault(outcome.reason, []).append(outcome)
    lines: list[str] = []
    for outcome in failed:
        group = by_reason[outcome.reason]
        if len(group) <= GROUP_OVER:
            lines.append(f"{outcome.municipality} / {outcome.source_id}: {outcome.reason}")
        elif group[0] is outcome:  # said once, where its first cell would have been
            named = ", ".join(f"{o.municipality} / {o.source_id}" for o in group[:NAMED_IN_GROUP])
            more = f" and {len(group) - NAMED_IN_GROUP} more" if len(group) > NAMED_IN_GROUP else ""
            lines.append(f"{len(group)} lookups: {outcome.reason}: {named}{more}")
    return [for_terminal(line) for line in lines]


def summary_table(
    source_ids: Sequence[str], outcomes: Sequence[Outcome], skipped: dict[str, int]
) -> str:
    """A plain-text table: one row per source, one column per outcome."""
    tally: dict[str, Counter[str]] = {source_id: Counter() for source_id in source_ids}
    for outcome in outcomes:
        tally.setdefault(outcome.source_id, Counter())[outcome.status] += 1
    for source_id, number in skipped.items():
        tally.setdefault(source_id, Counter())[SKIPPED] += number
    width = max([len("source"), *(len(s) for s in tally)])
    rows = [f"{'source':<{width}}  " + "  ".join(f"{c:>9}" for c in COLUMNS)]
    for source_id, counts in tally.items():
        rows.append(f"{source_id:<{width}}  " + "  ".join(f"{counts[c]:>9}" for c in COLUMNS))
    return "\n".join(rows)


def unified_diff(old: str, new: str, name: str) -> str:
    """The change as a diff; each line through ``for_terminal``, since the file's own comments
    and values may hold escape sequences or bidi overrides that would reorder what is shown."""
    lines = difflib.unified_diff(
        _lines(old), _lines(new), fromfile=f"{name} (now)", tofile=f"{name} (refreshed)"
    )
    return "".join(for_terminal(line.rstrip("\n")) + "\n" for line in lines)


def _lines(text: str) -> list[str]:
    """The lines between "\\n"s only: str.splitlines would also break at \\x0b, \\x1c or \\u2028."""
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines
