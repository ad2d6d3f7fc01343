"""Read and check a history file (``<stem>.history.csv``): every problem at once, with its line.

Ten years of monthly refreshes of every municipality and four sources is about 170,000 rows, read
on every build: the common row (no quotes) is checked by one regular expression, and only the
rest goes through the ``csv`` module and the field-by-field messages.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from operator import itemgetter
from pathlib import Path

from ..data import DataError
from ..safetext import first_refused, plain, short_repr
from ..validate import Problem

HEADER = ("date", "kommunenummer", "municipality", "source", "datasets")
HEADER_LINE = ",".join(HEADER)
MAX_BYTES = 64_000_000  # 170,000 rows are about 8 MB; far more is a mistake, not a history
MAX_ROWS = 1_000_000
MAX_PROBLEMS = 50  # a file broken on every line says so 50 times, then counts the rest
MAX_DATASETS = 10_000_000
MAX_NAME = 100

_SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")  # as the data file's source ids
_ROWS = re.compile(
    r"^(\d{4}-\d{2}-\d{2}),(\d{4}|),([^,\"\x00-\x1f\x7f]{1,100}),"
    r"([a-z0-9][a-z0-9_-]{0,63}),(0|[1-9]\d{0,7})$",
    re.MULTILINE,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


# One row as the file has it: date (ISO), kommunenummer ("" when the data file had none),
# municipality, source, datasets (digits). Plain tuples: 170,000 of them are made on every build.
Row = tuple[str, str, str, str, str]


class HistoryError(DataError):
    """The history file has problems; ``str()`` lists every one (as ``DataError`` does)."""

    def __str__(self) -> str:
        count = len(self.problems)
        header = f"{self.path}: {count} problem{'s' if count != 1 else ''} in the history file:"
        return "\n".join([header, *("  " + p.format(self.path) for p in self.problems)])


def history_beside(data_path: str | Path) -> Path:
    """Where ``refresh`` keeps the history of a data file: ``data/kommuner.history.csv``."""
    path = Path(data_path)
    return path.with_name(f"{path.stem}.history.csv")


def read_text(path: str | Path, shown: str) -> str:
    """The file's text; ``HistoryError`` when it is missing, too large or not UTF-8."""
    return decode(read_bytes(path, shown), shown)


def read_bytes(path: str | Path, shown: str) -> bytes:
    """The file as it is on disk, at most ``MAX_BYTES``; ``HistoryError`` otherwise."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _error(
            shown,
            "the history file does not exist; fix the `history` option in mkdocs.yml, run "
            "`mkdocs-kommune refresh` to start it, or set `history: false`",
        ) from None
    except OSError as error:
        raise _error(shown, f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise _error(
            shown,
            f"the file is larger than {MAX_BYTES // 1_000_000} MB, far more than any history "
            "of refreshes; is it the right file?",
        )
    return raw


def decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _error(shown, f"not UTF-8 text (byte {error.start + 1}); save it as UTF-8") from None
    return text


def parse_rows(text: str, shown: str, *, careful: bool = False) -> list[Row]:
    """Every row, checked; ``HistoryError`` lists every problem with its line.

    The quick way (a regular expression over the whole file) leaves one check to the caller:
    that no cell is counted twice on one date (``History.of`` sees it for free while grouping,
    and then asks again with ``careful``, which names the lines).
    """
    header, _, body = text.partition("\n")
    if not header.strip():
        raise _error(shown, f"the file is empty; its first line must be the header {HEADER_LINE}")
    if body.count("\n") > MAX_ROWS:
        raise _error(shown, f"more than {MAX_ROWS:,} rows; is it the right file?")
    if header.strip().replace(" ", "") == HEADER_LINE and not careful:
        rows = _quick(body.rstrip("\n"))
        if rows is not None:
            return rows
    lines = text.splitlines()
    # Something in the file needs a closer look: line by line, every problem with its line.
    problems: list[Problem] = []
    if lines[0].strip().replace(" ", "") != HEADER_LINE:
        problems.append(
            Problem(
                1,
                "",
                "",
                f"the first line must be the header {HEADER_LINE}; it is {short_repr(lines[0])}",
            )
        )
    numbered: list[tuple[Row, int]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue  # a blank line (often the last one) says nothing
        row = _slow_row(line, number, problems)
        if row is not None:
            numbered.append((row, number))
        if len(problems) > MAX_PROBLEMS:
            break
    problems.extend(_duplicates(numbered))
    if problems:
        raise HistoryError(shown, _capped(problems, len(lines)))
    return [row for row, _ in numbered]


def _quick(body: str) -> list[Row] | None:
    """Every row, if every row is a plain one (no quotes) with valid values; else None.

    One row a line: a blank line or a carriage return anywhere sends the file the slow way.
    """
    rows: list[Row] = _ROWS.findall(body)
    if len(rows) != (body.count("\n") + 1 if body else 0):
        return None
    if any(_date(day) is None for day in set(map(itemgetter(0), rows))):
        return None
    names = set(map(itemgetter(2), rows))
    if any(_name(name) is not None for name in names):
        return None
    if not all(name.isascii() for name in names):
        nfc = {name: unicodedata.normalize("NFC", name) for name in names}
        if any(nfc[name] != name for name in names):
            rows = [(d, k, nfc[n], s, c) for d, k, n, s, c in rows]
    return rows


def _cell(row: Row) -> tuple[str, str, str]:
    return (row[0], row[3], row[1] or row[2].strip().casefold())


def _slow_row(line: str, number: int, problems: list[Problem]) -> Row | None:
    """A row the quick check did not take: quoted fields, or something to report."""
    try:
        fields = next(csv.reader([line], strict=True))
    except csv.Error as error:
        problems.append(Problem(number, f"row {number}", "", f"not a CSV row: {error}"))
        return None
    if len(fields) != len(HEADER):
        problems.append(
            Problem(
                number,
                f"row {number}",
                "",
                f"has {len(fields)} fields; a row has {len(HEADER)}: {HEADER_LINE} "
                '(quote a name that holds a comma: "Name, with comma")',
            )
        )
        return None
    day, kommunenummer, name, source, datasets = (field.strip() for field in fields)
    before = len(problems)
    date = _date(day)

    def add(field: str, message: str) -> None:
        problems.append(Problem(number, f"row {number}", field, message))

    if date is None:
        add("date", f"{short_repr(day)} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-25")
    if kommunenummer and not (
        len(kommunenummer) == 4 and kommunenummer.isascii() and kommunenummer.isdigit()
    ):
        add(
            "kommunenummer",
            f"{short_repr(kommunenummer)} is not 4 digits (e.g. 0301); "
            "leave it empty for a municipality without one",
        )
    name_problem = _name(name)
    if name_problem:
        add("municipality", name_problem)
    if not _SOURCE_ID.match(source):
        add(
            "source",
            f"{short_repr(source)} is not a source id (lower-case letters, digits, "
            "- and _, as in the data file's `sources`)",
        )
    if not (datasets.isascii() and datasets.isdigit()) or int(datasets) > MAX_DATASETS:
        add(
            "datasets",
            f"{short_repr(datasets)} is not a count; write a whole number from 0 "
            f"to {MAX_DATASETS:,}",
        )
    if len(problems) > before or date is None:
        return None
    return (day, kommunenummer, unicodedata.normalize("NFC", name), source, str(int(datasets)))


def _date(text: str) -> datetime.date | None:
    if not _DATE.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _name(name: str) -> str | None:
    if not name.strip():
        return "required: the municipality's name"
    if len(name) > MAX_NAME:
        return f"{short_repr(name)} is longer than {MAX_NAME} characters"
    refused = first_refused(name)
    if refused:
        return f"holds an invisible or control character ({refused}); remove it"
    return None


def _duplicates(rows: list[tuple[Row, int]]) -> list[Problem]:
    """Two counts of one cell on one date cannot both be true."""
    seen: dict[tuple[str, str, str], int] = {}
    problems = []
    for row, line in rows:
        first = seen.setdefault(_cell(row), line)
        if first != line:
            problems.append(
                Problem(
                    line,
                    f"row {line}",
                    "",
                    f"{plain(row[2])} in {row[3]} on {row[0]} is already counted on line "
                    f"{first}; keep one of the two rows",
                )
            )
    return problems


def _capped(problems: list[Problem], lines: int) -> list[Problem]:
    problems.sort(key=lambda p: p.line)
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    last = problems[MAX_PROBLEMS - 1].line
    note = Problem(
        0, "", "", f"and more problems after line {last} (of {lines}), not listed ({rest}+)"
    )
    return [*problems[:MAX_PROBLEMS], note]


def _error(shown: str, message: str) -> HistoryError:
    return HistoryError(shown, [Problem(0, "", "", message)])
