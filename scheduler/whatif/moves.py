"""Room moves later in the term: each moving child's key person from the move date (a re-plan on that
date holding everyone else's), and settling visits before it."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

import pandas as pd

from ..planner import plan
from ..report import carers_on
from ..result import Result, Status
from ..rooms import only_rooms, rooms_together
from ..setting import Child, Setting, replace
from ..term import session_dates
from .handover import HANDOVER_WEEKS
from .leavers import keep_locks


def transitions(result: Result, deadline: float
                ) -> tuple[pd.DataFrame | None, dict[str, tuple[date, str, str]], bool]:
    """Children moving room after the plan date: key person now, key person from the move (a re-plan on
    the move date that holds everyone else's as they are on that date: a successor from a handover before it,
    a child moved before), and settling visits: the sessions in the four weeks before the move in which the
    child is in and the new key person works. The re-plans share the time up to ``deadline``
    (``time.monotonic()``). Returns the table (None when interrupted), each moving child's move date, key
    person and co-worker from it (``Result.moved``, which the dated sheets read; empty when interrupted), and
    whether a KeyboardInterrupt stopped a re-plan."""
    setting, on = result.setting, result.on
    moving: dict[date, list[Child]] = {}
    for c in result.instance.children:
        if c.moves_to and c.move_date and c.move_date > on and c.id in result.key_person:
            moving.setdefault(c.move_date, []).append(c)
    rows = []
    moved: dict[str, tuple[date, str, str]] = {}
    for move_date in sorted(moving):
        planned = planned_on(result, move_date, moved)
        later = replace(planned, locks=planned.locks + keep_locks(planned, move_date, set()))
        # only the rooms the children move into (and those planned with them): the rest is held anyway
        later = only_rooms(later, move_date, rooms_together(later, {c.room_on(move_date) for c in moving[move_date]}))
        # from the move date to the term's end (the move date alone after it)
        until = max(move_date, result.instance.term_ends)
        after = plan(later, move_date, until=until, time_limit=max(0.01, deadline - time.monotonic()),
                     diagnose=False, room_moves=False)  # the sheet only says "no plan"
        if after.interrupted:
            return None, {}, True
        moved.update({c.id: (move_date, after.key_person[c.id], after.co_worker[c.id])
                      for c in moving[move_date] if c.id in after.key_person})
        for c in moving[move_date]:
            old = setting.member(result.key_person[c.id])
            new = setting.member(after.key_person[c.id]) if c.id in after.key_person else None
            visits = [] if new is None else session_dates(
                setting, c.sessions & new.sessions, move_date - timedelta(days=7 * HANDOVER_WEEKS),
                move_date - timedelta(days=1))
            rows.append({
                "Child ID": c.id, "Child": c.name, "From room": c.room, "To room": c.moves_to,
                "Move date": move_date, "Key person now": old.name,
                "Key person from the move": new.name if new else _not_planned(after, move_date),
                "Co-worker from the move": setting.member(after.co_worker[c.id]).name if new else "",
                "Settling visits": len(visits), "Visit dates": ", ".join(visits),
            })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "From room", "To room", "Move date", "Key person now",
                                       "Key person from the move", "Co-worker from the move", "Settling visits",
                                       "Visit dates"]), moved, False


def planned_on(result: Result, day: date, moved: dict[str, tuple[date, str, str]] | None = None) -> Setting:
    """The result's setting with each planned child's key person and co-worker on ``day`` as their current
    ones: the plan's, a successor's from a handover by ``day``, or those from a room move by then (the
    result's, and ``moved``: the re-plans so far)."""
    with_moves = dataclasses.replace(result, moved={**result.moved, **(moved or {})})
    carers = {c: carers_on(with_moves, c, day) for c in result.key_person}
    return result.setting.with_plan({c: k for c, (k, _) in carers.items()}, {c: w for c, (_, w) in carers.items()},
                                    result.on)


def _not_planned(after: Result, move_date: date) -> str:
    if after.status is Status.TIMED_OUT:
        return f"(not planned in the time allowed: run keyperson plan --on {move_date:%d/%m/%Y})"
    return (f"(no plan{': ' + after.diagnosis[0] if after.diagnosis else ''} - see keyperson plan "
            f"--on {move_date:%d/%m/%Y} for the smallest change)")
