"""What a solve returns: a status of our own, the plan, its objective and bound, and its timings.

A :class:`Result` is a plain record: it never depends on the solver that made
it, and an infeasible or timed-out solve returns one too (it does not raise).
The tables, measures and summary of a plan are built from it, outside it:
``Report(result)`` (see :mod:`scheduler.report`); the checker's recomputation
of its points is ``checker.evaluate_result(result)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

import pandas as pd

from .instance import Instance
from .setting import Setting


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
    """The outcome of :func:`scheduler.plan`: what the solve produced, nothing computed from it later."""

    instance: Instance = field(repr=False)
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
    # room moves after the plan date, re-planned (see whatif.transitions)
    transitions: pd.DataFrame | None = field(default=None, repr=False)
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
