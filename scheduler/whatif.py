"""What-if re-planning: a practitioner leaves (or joins), and as little else as possible changes.

The current plan is the setting's Key person and Co-worker columns (a plan
workbook is next term's input). Every child whose key person stays keeps them,
and their co-worker too, held by locks, unless ``reshuffle``; the leaver's key
children get a new key person, preferably their co-worker (the ``successor``
term), and a handover is planned over the weeks before the leaving date.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from .instance import plan_date
from .planner import plan
from .result import Result, Status
from .setting import DAYS, Lock, Setting, replace

HANDOVER_WEEKS = 4
TOO_FEW_HANDOVER_SESSIONS = 4


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
    from .instance import Instance

    inst = Instance.build(setting, on)
    key = {c.id: c.key_person for c in inst.children if c.key_person and c.co_worker}
    co = {c.id: c.co_worker for c in inst.children if c.key_person and c.co_worker}
    result = Result(inst, Status.CURRENT, key, co)
    result.objective = result.evaluation.objective
    return result


def whatif(setting: Setting, scenario: Scenario, on: date | None = None, *, until: date | None = None,
           reshuffle: bool = False,
           time_limit: float = 30.0, workers: int = 0, max_changes: int | None = None) -> WhatIf:
    """Re-plan ``setting`` for ``scenario`` from ``on`` (default: the day after the leaver's Leaves date)."""
    leaving = [setting.member(s).leaves for s in scenario.leaves if setting.member(s).leaves]
    on = on or (max(leaving) + timedelta(days=1) if leaving else plan_date(setting))
    changed, last_day = apply(setting, scenario, on)
    if not reshuffle:
        own = {(k.child, k.role) for k in changed.locks if k.rule == "must"}
        extra = tuple(k for k in keep_locks(changed, on, set(scenario.leaves)) if (k.child, k.role) not in own)
        changed = replace(changed, locks=changed.locks + extra)
    result = plan(changed, on, until=until, time_limit=time_limit, workers=workers, max_changes=max_changes,
                  room_moves=False)
    before = current_plan(setting, last_day)
    out = WhatIf(scenario, result, before, last_day)
    if result.status.has_plan:
        out.handover = handover(setting, result, scenario, last_day)
    return out


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
            full = ", ".join(f"{inst.setting.member(s).label} ({held.get(s, 0)} of {inst.cap[s]})"
                             for s in options) or "nobody"
            need = "an SEN-trained key person" if inst.setting.needs_trained_key_person(c) else "a key person"
            out.append(f"{c.label} ({inst.room_of[c.id]}) needs {need}, but everyone who could take them "
                       f"is full with children kept with their key person as in the current plan: {full}. "
                       "Use --reshuffle, or raise a cap.")
    return out


def handover(setting: Setting, result: Result, scenario: Scenario, last_day: date) -> pd.DataFrame:
    """For each of a leaver's key children: the sessions in the last weeks before the leaving date in
    which the child, the leaver and the successor are all in."""
    window = last_day - timedelta(days=7 * HANDOVER_WEEKS - 1)
    rows = []
    for c in setting.children:
        if c.key_person not in scenario.leaves or c.id not in result.key_person:
            continue
        leaver, successor = setting.member(c.key_person), setting.member(result.key_person[c.id])
        together = c.sessions & leaver.sessions & successor.sessions
        dates = []
        day = max(window, c.starts) if c.starts else window
        while day <= last_day:
            for t in setting.sessions:
                if t.name in together and DAYS.index(t.day) == day.weekday():
                    dates.append(f"{day:%a %d/%m} {t.name.split()[-1]}")
            day += timedelta(days=1)
        rows.append({
            "Child ID": c.id, "Child": c.name, "Leaving key person": leaver.name,
            "New key person": successor.name,
            "Successor was co-worker": successor.id == c.co_worker,
            "Handover sessions": len(dates), "Dates": ", ".join(dates),
            "Flag": "too few: arrange extra time together" if len(dates) < TOO_FEW_HANDOVER_SESSIONS else "",
        })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "Leaving key person", "New key person",
                                       "Successor was co-worker", "Handover sessions", "Dates", "Flag"])


def planned_setting(result: Result) -> Setting:
    """The result's setting with its plan as every planned child's current key person and co-worker
    (what the plan workbook gives as next term's input)."""
    return result.setting.with_plan(result.key_person, result.co_worker, result.on)


def transitions(result: Result, deadline: float) -> tuple[pd.DataFrame | None, bool]:
    """Children moving room after the plan date: key person now, key person from the move (a re-plan on
    the move date that holds everyone else's), and settling visits: the sessions in the four weeks before
    the move in which the child is in and the new key person works. The re-plans share the time up to
    ``deadline`` (``time.monotonic()``); returns the table (None when interrupted) and whether a
    KeyboardInterrupt stopped a re-plan."""
    setting, on = result.setting, result.on
    moving = [c for c in result.instance.children if c.moves_to and c.move_date and c.move_date > on
              and c.id in result.key_person]
    rows = []
    planned = planned_setting(result)
    for move_date in sorted({c.move_date for c in moving}):
        later = replace(planned, locks=planned.locks + keep_locks(planned, move_date, set()))
        after = plan(later, move_date, time_limit=max(0.01, deadline - time.monotonic()), diagnose=False,
                     room_moves=False)  # the sheet only says "no plan"
        if after.interrupted:
            return None, True
        for c in (c for c in moving if c.move_date == move_date):
            old = setting.member(result.key_person[c.id])
            new = setting.member(after.key_person[c.id]) if c.id in after.key_person else None
            visits = []
            if new is not None:
                together = c.sessions & new.sessions
                day = move_date - timedelta(days=7 * HANDOVER_WEEKS)
                while day < move_date:
                    visits += [f"{day:%a %d/%m} {t.name.split()[-1]}" for t in setting.sessions
                               if t.name in together and DAYS.index(t.day) == day.weekday()]
                    day += timedelta(days=1)
            rows.append({
                "Child ID": c.id, "Child": c.name, "From room": c.room, "To room": c.moves_to,
                "Move date": move_date, "Key person now": old.name,
                "Key person from the move": new.name if new else _not_planned(after, move_date),
                "Co-worker from the move": setting.member(after.co_worker[c.id]).name if new else "",
                "Settling visits": len(visits), "Visit dates": ", ".join(visits),
            })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "From room", "To room", "Move date", "Key person now",
                                       "Key person from the move", "Co-worker from the move", "Settling visits",
                                       "Visit dates"]), False


def _not_planned(after: Result, move_date: date) -> str:
    if after.status is Status.TIMED_OUT:
        return f"(not planned in the time allowed: run keyperson plan --on {move_date:%d/%m/%Y})"
    return (f"(no plan{': ' + after.diagnosis[0] if after.diagnosis else ''} - see keyperson plan "
            f"--on {move_date:%d/%m/%Y} for the smallest change)")


def compare(runs: list[WhatIf]) -> pd.DataFrame:
    """Measures of the current plan and of each scenario's plan, side by side."""
    measures = ["status", "objective", "children", "key_persons", "overlap_pct", "coverage_pct",
                "uncovered_sessions", "key_person_changes", "co_worker_changes", "busiest_caseload", "warnings"]
    columns = {"Current plan": runs[0].before.metrics} if runs else {}
    for run in runs:
        m = dict(run.result.metrics) if run.result.status.has_plan else {"status": run.result.status.value}
        if run.result.status.has_plan:
            m["key_person_changes"] = sum(1 for c, k in run.result.key_person.items()
                                          if run.before.key_person.get(c) not in (None, k))
        columns[run.scenario.label(run.before.setting)] = m
    frame = pd.DataFrame({name: [m.get(k) for k in measures] for name, m in columns.items()}, index=measures)
    frame.index.name = "Measure"
    return frame.reset_index()
