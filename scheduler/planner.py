"""``plan()``: the Python entry point for one solve."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from .cpsat import CPModel
from .instance import Instance
from .precheck import prechecks
from .result import Result, Status
from .setting import Setting

log = logging.getLogger("keyperson")


def plan(setting: Setting, on: date | None = None, *, time_limit: float = 30.0, workers: int = 0,
         max_changes: int | None = None, hint: dict[str, str] | None = None, log_search: bool = False) -> Result:
    """Plan every child's key person and co-worker.

    Parameters
    ----------
    on
        The plan date; default the workbook's Plan date rule, else today.
    time_limit
        Seconds the solver may search; the best plan found so far is returned after it.
    workers
        Solver threads; 0 uses every core. The plan does not depend on it.
    max_changes
        Most children whose key person may change (overrides the Max changes rule).
    hint
        A plan (child ID -> key person ID) to start the search from; default the current one.
    """
    inst = Instance.build(setting, on)
    reasons = prechecks(inst)
    if reasons:  # already proven impossible, and said plainly: no need to solve
        log.info("no plan: %d pre-check findings", len(reasons))
        return Result(inst, Status.INFEASIBLE, diagnosis=reasons, max_changes=max_changes)
    model = CPModel(inst, max_changes=max_changes)
    model.hint_current()
    if hint:
        model.model.clear_hints()
        model.hint(hint)
    log.info("planning %d children, %d staff on %s: %d key pairs, %d co-worker pairs",
             len(inst.children), len(inst.staff), inst.on, len(inst.key_pairs), len(inst.co_pairs))
    result = model.solve(time_limit=time_limit, workers=workers, log=log_search)
    settling = timedelta(weeks=setting.rules.settling_in_weeks)
    result.temporary = frozenset(c.id for c in inst.children if c.starts and inst.on < c.starts + settling)
    if result.status is Status.INFEASIBLE:
        from .cpsat.diagnose import diagnose
        result.diagnosis.extend(diagnose(inst, model.max_changes, min(time_limit, 20.0)))
    if result.status is Status.INFEASIBLE and model.max_changes is not None:
        needed = CPModel(inst).fewest_changes(time_limit)
        if needed is not None and needed > model.max_changes:
            result.diagnosis.append(f"The rules need at least {needed} key-person changes (children whose key "
                                    f"person is still here), more than the {model.max_changes} allowed: "
                                    f"raise --max-changes (or the Max changes rule) to {needed}.")
    log.info("status %s, objective %s, %.2f s", result.status.value, result.objective, result.solve_seconds)
    return result

