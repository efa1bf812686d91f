"""A workbook in, a workbook out: the whole of ``keyperson plan`` and ``keyperson whatif`` as two calls.

``keyperson plan``, ``keyperson group plan`` and the web page's plan all call :func:`plan_workbook`, and
``keyperson whatif``, ``keyperson group whatif`` and the page's "what if they leave" all call
:func:`whatif_workbook`, so each step is written once: reading the workbook (its warnings kept), the
term's dates, the plan, the checks on the output's path, and the plan workbook written atomically::

    import scheduler as kp
    planned = kp.plan_workbook("data/sample-nursery.xlsx", "plan.xlsx", until=date(2027, 3, 25))
    planned.warnings, planned.report.summary(), planned.output
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem
from .excel.reader import Reading
from .progress import Progress
from .report import Report
from .result import Result
from .setting import Lock, Setting, replace
from .whatif import WhatIf


@dataclass(frozen=True)
class WorkbookPlan:
    """A setting workbook planned: what ``keyperson plan``, ``keyperson group plan`` and the page show."""

    workbook: Path  # the setting workbook read (never written)
    report: Report  # the plan's tables, each built once: for the plan workbook, the summary and the page
    warnings: tuple[Problem, ...]  # the reader's, then anyone starting or leaving soon (a plan for one day)
    record: tuple[date, date]  # the Daily record's first and last date
    output: Path | None = None  # the plan workbook written: None without a plan, or when none was asked for

    @property
    def result(self) -> Result:
        return self.report.result

    def write(self, out: str | Path) -> Path:
        """Write the plan workbook at ``out`` (never over the setting workbook), atomically, and return its
        path."""
        from .excel.plan_writer import write_plan

        return write_plan(self.report, out, (self.workbook,), record=self.record)


def plan_workbook(workbook: str | Path, out: str | Path | None = None, *, on: date | None = None,
                  until: date | None = None, max_changes: int | None = None, time_limit: float = 30.0,
                  workers: int = 0, record_from: date | None = None, record_to: date | None = None,
                  pins: Iterable[Lock] = (), progress: Progress | None = None) -> WorkbookPlan:
    """Read a setting workbook, plan its term and write the plan workbook, as ``keyperson plan`` does.

    Parameters
    ----------
    workbook
        The setting workbook (or a plan workbook, which is next term's input). It is never changed.
    out
        Where to write the plan workbook when there is a plan; checked before anything is read (a
        DataError when it is the workbook itself, is open in Excel, is not .xlsx or can't be written).
        None: write nothing (:meth:`WorkbookPlan.write` writes it later).
    on
        The plan date; default the workbook's Plan date rule, else today.
    until
        The last day the plan must hold; default the Term ends rule, else the plan date alone.
    max_changes
        Most children whose key person may change; default the Max changes rule.
    time_limit
        Seconds the whole plan may take (see :func:`scheduler.plan`).
    workers
        Solver threads; 0 uses every core.
    record_from, record_to
        The Daily record's dates, within the term; default the plan's first full week.
    pins
        Choices kept on top of the Locks sheet (the page's pins): each 'must' pin replaces the sheet's
        'must' lock for the same child and role.
    progress
        Hears of each better plan found, and can stop the search (see :mod:`scheduler.progress`).

    Returns
    -------
    WorkbookPlan
        The result (with no plan: its status and diagnosis, and nothing written), the warnings and the
        path written. A DataError (with the reader's warnings) when the workbook or a date can't be used.
    """
    from .instance import Instance
    from .planner import plan
    from .term import coming_soon, record_range

    workbook = Path(workbook)
    reading = read_for(workbook, out)
    setting = pinned(reading.setting, pins)
    with warnings_kept(reading.warnings):
        term = Instance.build(setting, on, until)
        record = record_range(term.on, term.until, record_from, record_to)
    result = plan(setting, term.on, until=term.until, time_limit=time_limit, workers=workers,
                  max_changes=max_changes, progress=progress)
    soon = [Problem(s, severity="warning") for s in coming_soon(setting, result.on, result.instance.term_ends)]
    planned = WorkbookPlan(workbook, Report(result), (*reading.warnings, *soon), record)
    if out is None or not result.status.has_plan:
        return planned
    return replace(planned, output=planned.write(out))


def read_for(workbook: Path, out: str | Path | None) -> Reading:
    """Read ``workbook``, once ``out`` (if given) is known to be a place its plan can be written: not the
    workbook itself, not open in Excel, an .xlsx file in a folder that can be written (else a DataError)."""
    from .excel.reader import read_workbook
    from .excel.safety import check_output

    if out is not None:
        check_output(Path(out), (workbook,))
    return read_workbook(workbook)


def pinned(setting: Setting, pins: Iterable[Lock]) -> Setting:
    """``setting`` with ``pins`` added to its locks, each 'must' pin replacing the 'must' lock of the same
    child and role."""
    pins = tuple(pins)
    if not pins:
        return setting
    taken = {(k.child, k.role) for k in pins if k.rule == "must"}
    kept = tuple(k for k in setting.locks if not (k.rule == "must" and (k.child, k.role) in taken))
    return replace(setting, locks=kept + pins)


@contextmanager
def warnings_kept(warnings: Sequence[Problem]) -> Iterator[None]:
    """Within it, a DataError carries the reader's ``warnings`` too, so they are shown with its problems."""
    try:
        yield
    except DataError as exc:
        exc.problems[:0] = [w for w in warnings if w not in exc.problems]
        raise


class StaffNotFound(DataError):
    """A practitioner named for a what-if (by ID or name) is not on the Staff sheet of ``setting`` (its
    name), or their name is not unique there."""

    def __init__(self, problem: Problem, setting: str):
        super().__init__(problem)
        self.setting = setting


@dataclass(frozen=True)
class WorkbookWhatIf:
    """A plan workbook re-planned for leavers and joiners: what ``keyperson whatif``, ``keyperson group
    whatif`` and the page's "what if they leave" show. ``runs[0]`` is the what-if written; the others
    are the Compare sheet's other scenarios."""

    workbook: Path  # the plan workbook read (never written)
    runs: tuple[WhatIf, ...]
    warnings: tuple[Problem, ...]  # the reader's
    output: Path | None = None  # the what-if workbook written: None without a plan, or if none was asked for

    @property
    def first(self) -> WhatIf:
        return self.runs[0]

    @property
    def interrupted(self) -> bool:
        return any(run.result.interrupted for run in self.runs)

    @property
    def compare(self) -> pd.DataFrame:
        """The Compare table: the current plan against each scenario, measure by measure (as numbers)."""
        from .whatif import compare

        return compare(list(self.runs))

    def reasons(self) -> list[str]:
        """Why the first scenario has no plan, in the manager's words."""
        from .whatif import no_room_left
        from .words import RESHUFFLE

        first = self.first
        return no_room_left(first.result) or first.result.diagnosis or [
            f"{first.scenario.label(first.before.setting)}: keeping everyone else's key person leaves no way to "
            f"place the leaver's children; let other children's key persons change too ({RESHUFFLE}), or loosen "
            "a cap"]

    def not_kept(self) -> list[str]:
        """The Locks-sheet locks naming a leaver, which the what-if could not keep, a sentence each."""
        from .words import lock_said

        setting = self.first.before.setting
        return [f"Not kept in this what-if: {lock_said(setting, lock)}, since {setting.member(lock.staff).label} "
                "leaves." for lock in self.first.dropped_locks]

    def said(self) -> list[str]:
        """What the what-if changes, a sentence a line: the locks not kept, who moves, the handover."""
        first = self.first
        setting = first.before.setting
        lines = self.not_kept()
        moved = len(first.handover)
        few = int((first.handover["Flag"] != "").sum()) if moved else 0
        changing = "1 child changes" if moved == 1 else f"{moved} children change"
        lines.append(f"{first.scenario.label(setting)}: {changing} key person; handover sessions up to their last "
                     f"day {first.last_day:%d/%m/%Y} (past days and Closed dates not counted): {few} children "
                     "with fewer than 4")
        return lines

    def write(self, out: str | Path) -> Path:
        """Write the what-if workbook at ``out``: the first scenario's plan, its Handover, and Compare in words."""
        from .excel.plan_writer import write_plan
        from .words import measures_table

        return write_plan(self.first.result, out, (self.workbook,),
                          extra={"Handover": self.first.handover, "Compare": measures_table(self.compare)})


def whatif_workbook(workbook: str | Path, out: str | Path | None = None, *, leaves: Sequence[str] = (),
                    joins: Sequence[str] = (), scenarios: Sequence[Sequence[str]] = (), on: date | None = None,
                    until: date | None = None, reshuffle: bool = False, max_changes: int | None = None,
                    time_limit: float = 30.0, workers: int = 0) -> WorkbookWhatIf:
    """Read a plan workbook, re-plan it when practitioners leave or join, and write the what-if workbook,
    as ``keyperson whatif`` does.

    Parameters
    ----------
    workbook
        A plan workbook (its Key person and Co-worker columns are the current plan). It is never changed.
    out
        Where to write the what-if workbook when the first scenario has a plan (checked before anything
        is read); None: write nothing.
    leaves, joins
        The practitioners (ID or name) who leave, and those on the Staff sheet who join: the first scenario.
    scenarios
        More scenarios for the Compare sheet, each the practitioners who leave.
    on
        The plan date: the first day without the leavers; default the day after their Leaves date (a
        DataError with the command to type when one has none).
    until
        The last day the plan must hold; default the Term ends rule.
    reshuffle
        Let every child's key person change, not only the leavers' key children's.
    max_changes, time_limit, workers
        As for :func:`plan_workbook`, for each scenario's re-plan.

    Returns
    -------
    WorkbookWhatIf
        Every scenario's re-plan, the reader's warnings and the path written (nothing is written when the
        first scenario has no plan or any re-plan was interrupted: the Compare sheet would be incomplete).
        A :class:`StaffNotFound` when a name is not on the Staff sheet.
    """
    from .whatif import Scenario, no_leaving_date, undated_leaver, whatif

    if not (leaves or joins or scenarios):
        raise ValueError("say who leaves or joins (leaves, joins or scenarios)")
    workbook = Path(workbook)
    reading = read_for(workbook, out)
    setting = reading.setting
    with warnings_kept(reading.warnings):
        wanted = [Scenario(staff_ids(setting, leaves), staff_ids(setting, joins))] if leaves or joins else []
        wanted += [Scenario(staff_ids(setting, line)) for line in scenarios]
        undated = next((m for m in (undated_leaver(setting, sc) for sc in wanted) if m is not None), None)
        if on is None and undated is not None:
            raise DataError(no_leaving_date(undated, str(workbook)))
    runs = tuple(whatif(setting, sc, on, until=until, reshuffle=reshuffle, time_limit=time_limit, workers=workers,
                        max_changes=max_changes) for sc in wanted)
    asked = WorkbookWhatIf(workbook, runs, tuple(reading.warnings))
    if out is None or not asked.first.result.status.has_plan or asked.interrupted:
        return asked
    return replace(asked, output=asked.write(out))


def staff_ids(setting: Setting, names: Iterable[str]) -> tuple[str, ...]:
    """Each practitioner named (by ID or unique name) as their ID; a :class:`StaffNotFound` if one isn't."""
    from .excel.cells import CellError
    from .excel.reader import PeopleIndex

    index = PeopleIndex({s.id: s.name for s in setting.staff}, "Staff")
    out = []
    for name in names:
        try:
            out.append(index.resolve(name))
        except CellError as exc:
            raise StaffNotFound(Problem(f"{name!r} {exc.message}", hint=exc.hint), setting.name) from None
    return tuple(out)
