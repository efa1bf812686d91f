"""Leavers and joiners: the scenario, the assignments held in place, and the re-plan.

The current plan is the setting's Key person and Co-worker columns (a plan
workbook is next term's input). Every child whose key person stays keeps them,
and their co-worker too, held by locks, unless ``reshuffle``; the leaver's key
children get a new key person, preferably their co-worker (the ``successor``
term), and a handover is planned over the weeks before the leaving date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from ..checker import evaluate_result
from ..errors import DataError, Problem
from ..instance import Instance, plan_date
from ..planner import plan
from ..result import Result, Status
from ..setting import Lock, Setting, Staff, replace
from ..words import RESHUFFLE
from .handover import handover


@dataclass
class Scenario:
    """Who leaves and who joins; ``name`` labels the Compare column."""

    leaves: tuple[str, ...] = ()
    joins: tuple[str, ...] = ()
    name: str = ""

    def label(self, setting: Setting | None = None) -> str:
        """``Amy Jones (S05) leaves``: names with IDs when ``setting`` is given, else the IDs alone."""
        if self.name:
            return self.name

        def who(staff_id: str) -> str:
            return setting.member(staff_id).label if setting and staff_id in setting.staff_index else staff_id

        parts = [f"{who(s)} leaves" for s in self.leaves] + [f"{who(s)} joins" for s in self.joins]
        return ", ".join(parts) or "no change"


@dataclass
class WhatIf:
    scenario: Scenario
    result: Result
    before: Result
    last_day: date
    handover: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Locks-sheet 'must' locks naming a leaver: they can't hold once the leaver goes, so the what-if drops them
    dropped_locks: tuple[Lock, ...] = ()


def apply(setting: Setting, scenario: Scenario, on: date) -> tuple[Setting, date]:
    """The setting with the leavers' last day before ``on`` and the joiners employed from ``on``."""
    last_day = on - timedelta(days=1)
    staff = []
    for s in setting.staff:
        if s.id in scenario.leaves:
            s = replace(s, leaves=min(s.leaves, last_day) if s.leaves else last_day)
        if s.id in scenario.joins:
            s = replace(s, starts=None)
        staff.append(s)
    return replace(setting, staff=tuple(staff)), last_day


def keep_locks(setting: Setting, on: date, leavers: set[str]) -> tuple[Lock, ...]:
    """Locks holding every unaffected child's key person and co-worker (``held``: named as kept from the
    current plan, never as Locks-sheet locks)."""
    employed = {s.id for s in setting.staff if s.employed_on(on)}
    locks = []
    for c in setting.children:
        if not c.enrolled_on(on) or c.key_person not in employed or c.key_person in leavers:
            continue
        if c.room_on(on) != setting.member(c.key_person).room:
            continue  # a room move: the child needs someone from the new room
        locks.append(Lock(c.id, c.key_person, "key person", "must", "unchanged in this what-if", held=True))
        if c.co_worker in employed and c.co_worker not in leavers:
            locks.append(Lock(c.id, c.co_worker, "co-worker", "must", "unchanged in this what-if", held=True))
    return tuple(locks)


def current_plan(setting: Setting, on: date) -> Result:
    """The setting's current assignments as a Result, for comparison."""
    inst = Instance.build(setting, on)
    key = {c.id: c.key_person for c in inst.children if c.key_person and c.co_worker}
    co = {c.id: c.co_worker for c in inst.children if c.key_person and c.co_worker}
    result = Result(inst, Status.CURRENT, key, co)
    result.objective = evaluate_result(result).objective
    return result


def whatif(setting: Setting, scenario: Scenario, on: date | None = None, *, until: date | None = None,
           reshuffle: bool = False,
           time_limit: float = 30.0, workers: int = 0, max_changes: int | None = None) -> WhatIf:
    """Re-plan ``setting`` for ``scenario`` from ``on`` (default: the day after the leaver's Leaves date; a
    DataError saying what to type when a leaver has none)."""
    undated = undated_leaver(setting, scenario)
    if on is None and undated is not None:
        raise DataError(no_leaving_date(undated))
    leaving = [d for s in scenario.leaves if (d := setting.member(s).leaves) is not None]
    start = on or (max(leaving) + timedelta(days=1) if leaving else plan_date(setting))
    changed, last_day = apply(setting, scenario, start)
    dropped = tuple(k for k in changed.locks if k.rule == "must" and k.staff in scenario.leaves)
    changed = replace(changed, locks=tuple(k for k in changed.locks if k not in dropped))
    if not reshuffle:
        own = {(k.child, k.role) for k in changed.locks if k.rule == "must"}
        extra = tuple(k for k in keep_locks(changed, start, set(scenario.leaves)) if (k.child, k.role) not in own)
        changed = replace(changed, locks=changed.locks + extra)
    result = plan(changed, start, until=until, time_limit=time_limit, workers=workers, max_changes=max_changes,
                  room_moves=False)
    before = current_plan(setting, last_day)
    out = WhatIf(scenario, result, before, last_day, dropped_locks=dropped)
    if result.status.has_plan:
        out.handover = handover(setting, result, scenario, last_day)
    return out


def undated_leaver(setting: Setting, scenario: Scenario) -> Staff | None:
    """A leaver in ``scenario`` with no Leaves date on the Staff sheet (the what-if needs ``on`` to know when)."""
    return next((m for m in map(setting.member, scenario.leaves) if m.leaves is None), None)


def no_leaving_date(member: Staff, workbook: str = "PLAN.xlsx") -> Problem:
    """The problem of a leaver with no Leaves date, with the command to type."""
    example = date.today() + timedelta(days=28)
    return Problem(f"{member.name} ({member.id}) has no Leaves date on the Staff sheet, so the what-if can't tell "
                   f"when they go", hint=f"give the first day without them: keyperson whatif {workbook} --leaves "
                   f"{member.id} --on {example:%d/%m/%Y} (or write their Leaves date on the Staff sheet)")


def no_room_left(result: Result) -> list[str]:
    """Children who need a new key person when every eligible one is full of children held in place."""
    inst = result.instance
    held: dict[str, int] = {}
    for lock in inst.setting.locks:
        if lock.rule == "must" and lock.role == "key person" and lock.child in inst.room_of:
            held[lock.staff] = held.get(lock.staff, 0) + inst.caseload_weight(inst.setting.child(lock.child))
    locked = {k.child for k in inst.setting.locks if k.rule == "must" and k.role == "key person"}
    out = []
    for c in inst.children:
        if c.id in locked:
            continue
        options = inst.key_pairs.loc[inst.key_pairs["child"] == c.id, "staff"]
        spare = [s for s in options if inst.cap[s] - held.get(s, 0) >= inst.caseload_weight(c)]
        if not spare:
            full = ", ".join(f"{inst.setting.member(s).label} with {held.get(s, 0)} of {inst.cap[s]} places"
                             for s in options) or "nobody"
            need = "an SEN-trained key person" if inst.setting.needs_trained_key_person(c) else "a key person"
            out.append(f"{c.label}, in {inst.room_of[c.id]}, needs {need}, but everyone who could take them "
                       f"is full with children kept with their key person as in the current plan: {full}. "
                       f"Let other children's key persons change too ({RESHUFFLE}), or raise a cap.")
    return out


def planned_setting(result: Result) -> Setting:
    """The result's setting with its plan as every planned child's current key person and co-worker
    (what the plan workbook gives as next term's input)."""
    return result.setting.with_plan(result.key_person, result.co_worker, result.on)
