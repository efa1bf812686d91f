"""Sweeps for analysts: plan many variants of a setting (caps, ratios, weights) and tabulate them.

Each scenario is the base setting with one thing changed (:func:`replace`),
solved in its own process; the result is one DataFrame row per scenario.
"""

from __future__ import annotations

import itertools
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date

import pandas as pd

from .instance import Instance
from .planner import plan
from .precheck import prechecks
from .setting import Setting, replace


def variant(setting: Setting, cap: int | None = None, ratio: int | None = None,
            weights: dict[str, int] | None = None) -> Setting:
    """``setting`` with every room's cap and/or ratio set, and some objective weights changed."""
    rooms = tuple(replace(r, **({"max_key_children": cap} if cap is not None else {}),
                          **({"ratio": ratio} if ratio is not None else {})) for r in setting.rooms)
    rules = replace(setting.rules, **{f"weight_{k}": v for k, v in (weights or {}).items()})
    return replace(setting, rooms=rooms, rules=rules)


def _solve(args) -> dict:
    setting, on, labels, time_limit = args
    inst = Instance.build(setting, on)
    reasons = prechecks(inst)
    row = {**labels, "feasible": False, "status": "infeasible", "reason": reasons[0] if reasons else ""}
    if reasons:
        return row
    result = plan(setting, inst.on, time_limit=time_limit, workers=1, room_moves=False)
    row["status"] = result.status.value
    if result.status.has_plan:
        m = result.metrics
        row.update(feasible=True, reason="", **{k: m[k] for k in (
            "objective", "bound", "coverage_pct", "overlap_pct", "uncovered_sessions", "key_person_changes",
            "co_worker_changes", "busiest_caseload", "solve_seconds")},
            **{k: v for k, v in m.items() if k.startswith("term_")})
    return row


def _leave_interrupts_to_the_parent() -> None:
    """In a sweep's worker process: Ctrl-C (sent to every process of the terminal) is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def sweep(setting: Setting, caps=(None,), ratios=(None,), weights=({},), on: date | None = None,
          workers: int = 2, time_limit: float = 30.0, progress: bool | None = None) -> pd.DataFrame:
    """Plan every combination of ``caps`` x ``ratios`` x ``weights``; one row each, in input order.

    ``workers`` processes solve scenarios side by side (each solve on one thread); progress is shown
    on a terminal (``progress=None``) or as asked.
    """
    jobs = []
    for cap, ratio, w in itertools.product(caps, ratios, weights):
        labels = {"cap": cap, "ratio": f"1:{ratio}" if ratio else None, "weights": str(w) if w else ""}
        jobs.append((variant(setting, cap, ratio, w), on, labels, time_limit))
    show = sys.stderr.isatty() if progress is None else progress
    rows = []
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_the_parent) as pool:
            for i, row in enumerate(pool.map(_solve, jobs), start=1):
                rows.append(row)
                if show:
                    print(f"\rsweep: {i}/{len(jobs)} scenarios", end="", file=sys.stderr, flush=True)
    else:
        for i, job in enumerate(jobs, start=1):
            rows.append(_solve(job))
            if show:
                print(f"\rsweep: {i}/{len(jobs)} scenarios", end="", file=sys.stderr, flush=True)
    if show:
        print(file=sys.stderr)
    frame = pd.DataFrame(rows)
    return frame.dropna(axis=1, how="all") if len(frame) else frame
