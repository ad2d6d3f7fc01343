"""The ``refresh`` command: validate, ask, write atomically, report. Returns the exit code."""

from __future__ import annotations

import asyncio
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import click

from ..atomic import ChangedMeanwhile, write_atomically
from ..data import DataError, load_dataset, parse_dataset
from ..refresh.catalogues import Catalogues, LookupFailed
from ..refresh.http import Fetcher, HttpSettings
from ..refresh.plan import Cell, Plan, PlanError, make_plan
from ..refresh.progress import Progress, progress_for
from ..refresh.report import (
    COUNTED,
    FAILED,
    UNCHANGED,
    Outcome,
    failure_lines,
    summary_table,
    unified_diff,
)
from ..refresh.yamledit import Count, RoundTrip
from ..safetext import for_terminal, plain
from .common import EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED, SettingsError, resolve_target, shown

_T = TypeVar("_T")


@dataclass(frozen=True)
class RefreshOptions:
    file: Path | None
    config_file: Path | None
    sources: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    dry_run: bool = False
    http: HttpSettings = field(default_factory=HttpSettings)
    today: datetime.date = field(default_factory=datetime.date.today)


class _BadInput(Exception):
    """Something the user must fix before anything is asked (exit 1)."""


def run_refresh(options: RefreshOptions) -> int:
    try:
        path, register, plan, round_trip = _prepare(options)
    except _BadInput as error:
        click.echo(f"Error: {error}", err=True)
        return EXIT_BAD_INPUT
    name = shown(path)
    for source_id in plan.not_counted:
        click.echo(f"{source_id}: no catalogue to ask (no `api`), left as it is", err=True)
    with progress_for(len(plan.cells)) as progress:
        outcomes, counts = asyncio.run(_ask_all(plan.cells, options, progress))
    round_trip.apply(counts)
    new_text = round_trip.dump()
    old_text = round_trip.text.replace("\r\n", "\n")
    written = new_text != old_text
    try:
        # Never write a file the plugin would refuse, checked as the site checks it: with the
        # register of mkdocs.yml, which fills in the names and numbers the file leaves out.
        parse_dataset(new_text, name, register)
    except DataError as error:
        click.echo(
            f"Error: the refreshed file would not be valid, nothing written:\n{error}", err=True
        )
        return EXIT_BAD_INPUT
    if options.dry_run:
        click.echo(unified_diff(old_text, new_text, name), nl=False)
    elif written:
        problem = _write(path, new_text, round_trip)
        if problem:
            _report(name, plan, outcomes, options.dry_run, False)
            click.echo(f"Error: {problem}", err=True)
            return EXIT_BAD_INPUT
    _report(name, plan, outcomes, options.dry_run, written)
    return EXIT_SOME_FAILED if any(o.status == FAILED for o in outcomes) else EXIT_OK


def _write(path: Path, text: str, round_trip: RoundTrip) -> str | None:
    """Replace the file, unless it changed since it was read; a message when it was not written."""
    name = shown(path)
    try:
        write_atomically(path, text, newline=round_trip.newline, expected=round_trip.original)
    except ChangedMeanwhile:
        return (
            f"{name} changed while refresh was asking the catalogues (an edit made meanwhile?); "
            "that version is kept as it is and the new counts were NOT written: run refresh again"
        )
    except OSError as error:
        return f"cannot write {name}: {for_terminal(error.strerror or str(error))}; the file is unchanged"
    return None


def _prepare(options: RefreshOptions) -> tuple[Path, str | None, Plan, RoundTrip]:
    try:
        target = resolve_target(options.file, options.config_file)
    except SettingsError as error:
        raise _BadInput(str(error)) from None
    if target.path is None:
        raise _BadInput(
            f"{target.config_file}: the site uses the bundled dataset, which refresh does not "
            "change; start a data file with `mkdocs-kommune init data/kommuner.yml` and set "
            "`data: data/kommuner.yml` under the kommune plugin"
        )
    try:
        dataset = load_dataset(target.path, target.register, shown_as=shown(target.path))
        original = target.path.read_bytes()
        text = original.decode("utf-8")
    except DataError as error:
        raise _BadInput(
            f"the data file has problems; fix them first (nothing was asked)\n{error}"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _BadInput(f"cannot read {shown(target.path)}: {for_terminal(str(error))}") from None
    round_trip = RoundTrip(text, original)
    if not round_trip.exact:
        click.echo(
            f"{shown(target.path)}: its indentation is not one refresh can keep exactly; the "
            "written file uses 2 spaces (see the diff with --dry-run)",
            err=True,
        )
    if len(round_trip.municipalities) != len(dataset.municipalities):
        raise _BadInput(f"{shown(target.path)}: cannot match the municipalities to the file")
    try:
        plan = make_plan(dataset, round_trip.raw_links(), options.sources, options.municipalities)
    except PlanError as error:
        raise _BadInput(str(error)) from None
    return target.path, target.register, plan, round_trip


async def _ask_all(
    cells: list[Cell], options: RefreshOptions, progress: Progress
) -> tuple[list[Outcome], list[Count]]:
    outcomes: list[tuple[int, Outcome]] = []
    counts: list[tuple[int, Count]] = []
    async with Fetcher(options.http) as fetcher:
        catalogues = Catalogues(fetcher)

        async def ask(position: int, cell: Cell) -> tuple[int, Cell, int | str]:
            if cell.target is None:
                return position, cell, cell.problem or "cannot be asked"
            try:
                return position, cell, await catalogues.count(cell.target)
            except LookupFailed as error:
                return position, cell, str(error)
            except Exception as error:  # one cell's failure, never the whole run's
                return position, cell, f"unexpected error: {type(error).__name__}: {plain(error)}"

        for finished in asyncio.as_completed([ask(n, cell) for n, cell in enumerate(cells)]):
            position, cell, result = await finished
            progress.update(1)
            if isinstance(result, str):
                outcome = Outcome(cell.municipality, cell.source_id, FAILED, reason=result)
            else:
                status = UNCHANGED if result == cell.old_count else COUNTED
                outcome = Outcome(cell.municipality, cell.source_id, status, result)
                counts.append((position, Count(cell.index, cell.source_id, result, options.today)))
            outcomes.append((position, outcome))
        for note in dict.fromkeys(catalogues.notes):
            click.echo(note, err=True)
    # In plan order, so new cells are added in the sources' order whatever answered first.
    return _in_order(outcomes), _in_order(counts)


def _in_order(pairs: list[tuple[int, _T]]) -> list[_T]:
    return [item for _, item in sorted(pairs, key=lambda pair: pair[0])]


def _report(name: str, plan: Plan, outcomes: list[Outcome], dry_run: bool, changed: bool) -> None:
    failures = failure_lines(outcomes)
    if failures:
        failed = sum(o.status == FAILED for o in outcomes)
        click.echo(f"{failed} lookup(s) failed and were left as they were:", err=True)
        for line in failures:
            click.echo(f"  {line}", err=True)
    source_ids = list(dict.fromkeys(cell.source_id for cell in plan.cells))
    click.echo(summary_table(source_ids, outcomes, plan.skipped), err=True)
    if dry_run:
        click.echo(f"{name}: dry run, nothing written", err=True)
    else:
        click.echo(f"{name}: {'written' if changed else 'already up to date'}", err=True)
