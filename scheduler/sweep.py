"""Sweeps for analysts: plan many variants of a setting (caps, ratios, weights) and tabulate them.

Each scenario is the base setting with one thing changed (:func:`replace`),
solved in its own process; the result is one DataFrame row per scenario.
"""

from __future__ import annotations

import itertools
import multiprocessing
import signal
import sys
from datetime import date

import pandas as pd

from .instance import Instance, plan_date
from .planner import plan
from .precheck import prechecks
from .report import Report
from .setting import Setting, replace


def variant(setting: Setting, cap: int | None = None, ratio: int | None = None,
            weights: dict[str, int] | None = None, on: date | None = None) -> Setting:
    """``setting`` with every room's cap and/or ratio set, and some objective weights changed. A ratio is
    never looser than the statutory ratio for the room's children on ``on`` (its youngest child's age
    band: 1:3 under two, 1:5 at two, 1:8 from three; 1:13 needs a teacher, so the floor stays 1:8)."""
    floor = statutory_ratios(setting, on) if ratio is not None else {}
    rooms = tuple(replace(r, **({"max_key_children": cap} if cap is not None else {}),
                          **({"ratio": min(ratio, floor[r.name])} if ratio is not None else {}))
                  for r in setting.rooms)
    rules = replace(setting.rules, **{f"weight_{k}": v for k, v in (weights or {}).items()})
    return replace(setting, rooms=rooms, rules=rules)


def statutory_ratios(setting: Setting, on: date | None = None) -> dict[str, int]:
    """Each room's statutory ratio (k in 1:k) for the children in it on ``on``, whatever its Ratio says."""
    bare = replace(setting, rooms=tuple(replace(r, ratio=None) for r in setting.rooms))
    return {r.name: bare.room_ratio(r.name, on) for r in setting.rooms}


def held_at_floor(setting: Setting, ratio: int, on: date | None = None) -> str:
    """The rooms a sweep's ``ratio`` would take below their statutory ratio, as held: "Baby at 1:3"."""
    floor = statutory_ratios(setting, on)
    return ", ".join(f"{room} at 1:{k}" for room, k in floor.items() if ratio > k)


def only_room(setting: Setting, room: str, on: date | None = None) -> Setting:
    """The setting cut down to one room: the children in it on ``on`` (room moves left out) and its staff;
    key persons, co-workers, bonds and locks with anyone outside it dropped."""
    if room not in setting.room_index:
        raise KeyError(room)
    staff = tuple(m for m in setting.staff if m.room == room)
    ids = {m.id for m in staff}

    def inside(ref: str | None) -> str | None:
        return ref if ref in ids else None

    children = tuple(replace(c, room=room, moves_to=None, move_date=None, key_person=inside(c.key_person),
                             co_worker=inside(c.co_worker), previous_key_person=inside(c.previous_key_person))
                     for c in setting.children if c.room_on(on) == room)
    kept = {c.id for c in children}
    return replace(setting, rooms=(setting.room(room),), children=children, staff=staff,
                   attachments=tuple(a for a in setting.attachments if a.child in kept and a.staff in ids),
                   locks=tuple(k for k in setting.locks if k.child in kept and k.staff in ids))


def _solve(args) -> dict:
    setting, on, labels, time_limit = args
    inst = Instance.build(setting, on)
    reasons = prechecks(inst)
    row = {**labels, "feasible": False, "status": "infeasible", "reason": reasons[0] if reasons else ""}
    if reasons:
        return row
    result = plan(setting, inst.on, time_limit=time_limit, workers=1, room_moves=False)
    if result.interrupted:  # plan() keeps the best plan so far; the sweep stops instead (nothing written)
        raise KeyboardInterrupt
    row["status"] = result.status.value
    if result.status.has_plan:
        m = Report(result).metrics
        row.update(feasible=True, reason="", **{k: m[k] for k in (
            "objective", "bound", "coverage_pct", "overlap_pct", "uncovered_sessions", "key_person_changes",
            "co_worker_changes", "busiest_caseload", "solve_seconds")},
            **{k: v for k, v in m.items() if k.startswith("term_")})
    return row


def _leave_interrupts_to_the_parent() -> None:
    """In a sweep's worker process: Ctrl-C (sent to every process of the terminal) is the parent's to handle,
    and the parent's SIGTERM (its stop) ends the worker at once, whatever handler it inherited."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def sweep(setting: Setting, caps=(None,), ratios=(None,), weights=({},), on: date | None = None,
          workers: int = 2, time_limit: float = 30.0, progress: bool | None = None,
          room: str | None = None) -> pd.DataFrame:
    """Plan every combination of ``caps`` x ``ratios`` x ``weights``; one row each, in input order.
    With ``room``, only that room is planned (see :func:`only_room`). A ratio looser than a room's statutory
    ratio is held at the statutory one (``ratio held`` says where).

    ``workers`` processes solve scenarios side by side (each solve on one thread); progress is shown
    on a terminal (``progress=None``) or as asked.
    """
    on = plan_date(setting, on)  # the children's ages, hence the statutory ratios, are on this date
    if room is not None:
        setting = only_room(setting, room, on)
    jobs = []
    for cap, ratio, w in itertools.product(caps, ratios, weights):
        labels = {"cap": cap, "ratio": f"1:{ratio}" if ratio else None, "weights": str(w) if w else "",
                  "ratio_held": held_at_floor(setting, ratio, on) if ratio else ""}
        jobs.append((variant(setting, cap, ratio, w, on), on, labels, time_limit))
    show = sys.stderr.isatty() if progress is None else progress
    rows = []
    if workers > 1 and len(jobs) > 1:
        pool = multiprocessing.Pool(workers, initializer=_leave_interrupts_to_the_parent)
        try:
            for i, row in enumerate(pool.imap(_solve, jobs), start=1):
                rows.append(row)
                if show:
                    print(f"\rsweep: {i}/{len(jobs)} scenarios", end="", file=sys.stderr, flush=True)
            pool.close()
        except BaseException:  # Ctrl-C or SIGTERM (a KeyboardInterrupt here): stop every scenario now
            pool.terminate()
            raise
        finally:
            pool.join()
    else:
        for i, job in enumerate(jobs, start=1):
            rows.append(_solve(job))
            if show:
                print(f"\rsweep: {i}/{len(jobs)} scenarios", end="", file=sys.stderr, flush=True)
    if show:
        print(file=sys.stderr)
    frame = pd.DataFrame(rows)
    return frame.dropna(axis=1, how="all") if len(frame) else frame
