"""What a solve returns: a status of our own, the plan, its objective and its measures.

A :class:`Result` never depends on the solver that made it; an infeasible or
timed-out solve returns one too (it does not raise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from typing import Any

import pandas as pd

from . import ratios, report
from .checker import Evaluation, evaluate
from .instance import Instance
from .registry import TERMS
from .setting import Setting
from .words import quality


class Status(Enum):
    OPTIMAL = "optimal"  # proven best under the rules and weights
    FEASIBLE = "feasible"  # a plan, not proven best (time limit or interrupted)
    INFEASIBLE = "infeasible"  # no plan can keep every hard rule
    TIMED_OUT = "timed out"  # no plan found in the time allowed
    INVALID = "invalid"  # the model itself was rejected (a bug: please report)
    CURRENT = "current"  # the workbook's own assignments, not a solve (what-if comparisons)

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.CURRENT)


@dataclass
class Result:
    """The outcome of :func:`scheduler.plan`."""

    instance: Instance
    status: Status
    key_person: dict[str, str] = field(default_factory=dict)  # child ID -> staff ID
    co_worker: dict[str, str] = field(default_factory=dict)
    objective: int | None = None
    bound: float | None = None
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    tie_break_proven: bool = False  # the plan is the unique tie-broken optimum
    interrupted: bool = False
    max_changes: int | None = None
    parts: int = 1  # rooms solved apart (room by room), or 1 when solved as one model
    diagnosis: list[str] = field(default_factory=list)  # plain-English reasons when there's no plan
    temporary: frozenset[str] = frozenset()  # children whose key person is for settling in only
    transitions: pd.DataFrame | None = None  # room moves after the plan date, re-planned (see whatif.transitions)
    # a key person leaving within the term: child ID -> their successor, and the co-worker from then
    successor: dict[str, str] = field(default_factory=dict)
    next_co_worker: dict[str, str] = field(default_factory=dict)
    # a room move later in the term, re-planned: child ID -> (move date, key person, co-worker from then)
    moved: dict[str, tuple[date, str, str]] = field(default_factory=dict)

    @property
    def setting(self) -> Setting:
        return self.instance.setting

    @property
    def on(self) -> date:
        return self.instance.on

    @property
    def gap(self) -> float | None:
        """Relative distance between the plan and the best possible (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.bound - self.objective) / max(1.0, abs(self.bound))

    @cached_property
    def evaluation(self) -> Evaluation:
        """The plain-Python recomputation of the plan (see :mod:`scheduler.checker`)."""
        if not self.status.has_plan:
            return Evaluation(dict.fromkeys(TERMS, 0), [])
        return evaluate(self.setting, self.on, self.key_person, self.co_worker, self.max_changes,
                        until=self.instance.until, successor=self.successor, next_co_worker=self.next_co_worker)

    @property
    def terms(self) -> dict[str, int]:
        """Each soft term's contribution to the objective, in points."""
        return self.evaluation.terms

    # -- tables ---------------------------------------------------------------
    @cached_property
    def assignments(self) -> pd.DataFrame:
        return report.assignments(self)

    @cached_property
    def caseloads(self) -> pd.DataFrame:
        return report.caseloads(self)

    @cached_property
    def daily(self) -> pd.DataFrame:
        """The dated daily record of the first full week of the plan (``report.daily`` for other dates)."""
        return report.daily(self)

    @cached_property
    def handover(self) -> pd.DataFrame:
        """For each child whose key person leaves within the term: the handover sessions from now on."""
        return report.handover(self)

    @cached_property
    def week(self) -> pd.DataFrame:
        """The plan as a week's pattern, one row per child and session."""
        return report.week(self)

    @cached_property
    def changes(self) -> pd.DataFrame:
        return report.changes(self)

    @cached_property
    def ratios(self) -> pd.DataFrame:
        """The ratio check of the rota, one row per room and session (see :mod:`scheduler.ratios`)."""
        return ratios.table(self.instance)

    @cached_property
    def warnings(self) -> pd.DataFrame:
        return report.warnings(self)

    @cached_property
    def metrics(self) -> dict[str, Any]:  # named measures of mixed kinds (see report.metrics)
        return report.metrics(self)

    # -- for people -------------------------------------------------------------
    def summary(self) -> str:
        m = self.metrics
        until = self.instance.term_ends
        when = f"from {self.on:%d/%m/%Y} to {until:%d/%m/%Y}" if until > self.on else f"for {self.on:%d/%m/%Y}"
        lines = [f"{self.setting.name}: plan {when}: {quality(self)}"]
        if self.status.has_plan:
            lines.append(f"  {m['children']} children, {m['key_persons']} key persons; {self.objective} points, "
                         f"found in {self.solve_seconds:.1f} s")
            lines.append(f"  key person works {m['overlap_pct']:.0f}% of children's sessions; "
                         f"{m['coverage_pct']:.0f}% of sessions covered by key person or co-worker")
            lines.append(f"  {m['key_person_changes']} children change key person and {m['co_worker_changes']} "
                         f"co-worker; fullest caseload {m['busiest_caseload']} places; {m['warnings']} warnings")
            lines += [f"  {event}" for event in report.term_events(self)]
        for reason in self.diagnosis:
            lines.append(f"  - {reason}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
