"""``plan()``: the Python entry point for one solve."""

from __future__ import annotations

import logging
import math
import time
from datetime import date, timedelta

from .cpsat import CPModel
from .cpsat.by_room import solve_by_room
from .instance import Instance
from .precheck import prechecks
from .progress import Progress
from .result import Result, Status
from .rooms import room_parts
from .setting import Setting
from .words import MAX_CHANGES, plural

log = logging.getLogger("keyperson")

MAX_WORKERS = 256  # solver threads; CP-SAT rejects a negative number as an invalid model


def plan(setting: Setting, on: date | None = None, *, until: date | None = None, time_limit: float = 30.0,
         workers: int = 0, max_changes: int | None = None, hint: dict[str, str] | None = None,
         log_search: bool = False, diagnose: bool = True, progress: Progress | None = None,
         room_moves: bool = True) -> Result:
    """Plan every child's key person and co-worker.

    Parameters
    ----------
    on
        The plan date; default the workbook's Plan date rule, else today.
    until
        The last day the plan must hold (overrides the Term ends rule); default the plan date alone.
    time_limit
        Seconds the whole plan may take: building the model, the search, and the room-move re-plans;
        the best plan found so far is returned after it. A positive, finite number.
    workers
        Solver threads; 0 uses every core. The plan does not depend on it.
    max_changes
        Most children whose key person may change (overrides the Max changes rule).
    hint
        A plan (child ID -> key person ID) to start the search from; default the current one.
    diagnose
        When no plan exists, also solve for the clashing rules and the smallest change (seconds on a
        large setting); the pre-check findings are given either way.
    progress
        Hears of each better plan found; its ``stop()`` ends the search and keeps the best plan so far
        (see :mod:`scheduler.progress`).
    room_moves
        Also re-plan on each later Move date, holding everyone else's key person: ``Result.transitions``
        (the plan workbook's Transitions sheet).

    A KeyboardInterrupt during the search stops it: the result holds the best plan found so far (or none)
    and ``interrupted`` is set. One during the room-move re-plans keeps the plan and drops the re-plans.
    """
    if not (isinstance(time_limit, (int, float)) and math.isfinite(time_limit) and time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}")
    if not (isinstance(workers, int) and 0 <= workers <= MAX_WORKERS):
        raise ValueError(f"workers must be a whole number from 0 to {MAX_WORKERS}, not {workers!r}")
    deadline = time.monotonic() + time_limit

    def left(most: float = math.inf) -> float:
        return max(0.01, min(most, deadline - time.monotonic()))

    inst = Instance.build(setting, on, until)
    reasons = prechecks(inst)
    if reasons:  # already proven impossible, and said plainly: no need to solve
        log.info("no plan: %d pre-check findings", len(reasons))
        if diagnose:
            reasons += relaxation_advice(inst, max_changes, left(10.0))
        return Result(inst, Status.INFEASIBLE, diagnosis=reasons, max_changes=max_changes)
    log.info("planning %d children, %d staff on %s: %d key pairs", len(inst.children), len(inst.staff), inst.on,
             len(inst.key_pairs))
    if len(room_parts(inst)) > 1 and not inst.handover_from:  # the rooms' parts know no handovers within the term
        result = solve_by_room(inst, time_limit=left(), workers=workers, max_changes=max_changes, hint=hint,
                               log_search=log_search, progress=progress)
    else:
        model = CPModel(inst, max_changes=max_changes)
        model.hint_current()
        if hint:
            model.model.clear_hints()
            model.hint(hint)
        result = model.solve(time_limit=left(), workers=workers, log=log_search, progress=progress)
    settling = timedelta(weeks=setting.rules.settling_in_weeks)
    result.temporary = frozenset(c.id for c in inst.children if c.starts and inst.on < c.starts + settling)
    if result.status is Status.INFEASIBLE and diagnose:
        from .cpsat.diagnose import diagnose as clashing_rules
        result.diagnosis.extend(clashing_rules(inst, result.max_changes, left(20.0)))
        result.diagnosis.extend(relaxation_advice(inst, result.max_changes, left(10.0)))
    if result.status is Status.INFEASIBLE and diagnose and result.max_changes is not None:
        needed = CPModel(inst).fewest_changes(left())
        if needed is not None and needed > result.max_changes:
            result.diagnosis.append(f"The rules need at least {plural(needed, 'key-person change')} (children "
                                    f"whose key person is still here), more than the {result.max_changes} "
                                    f"allowed: raise {MAX_CHANGES} (or Max changes on the Rules sheet) to {needed}.")
    if room_moves and result.status.has_plan and not result.interrupted:
        from .whatif import transitions
        try:
            result.transitions, result.moved, stopped = transitions(result, deadline)
        except KeyboardInterrupt:
            stopped = True
        result.interrupted = stopped
    log.info("status %s, objective %s, %.2f s", result.status.value, result.objective, result.solve_seconds)
    return result


def relaxation_advice(inst: Instance, max_changes: int | None, time_limit: float) -> list[str]:
    """The smallest workbook change that makes a plan possible, and alternatives, as sentences."""
    from .cpsat.relax import smallest_relaxations

    found = smallest_relaxations(inst, max_changes, time_limit)
    if not found:
        return []
    s = inst.setting
    lines = [f"Smallest change that makes a plan possible (checked by planning with it): "
             f"{found[0].sentence(s)}."]
    if found[1:]:
        lines.append("Or, instead (each checked too): " + "; or ".join(r.sentence(s) for r in found[1:]) + ".")
    return lines

