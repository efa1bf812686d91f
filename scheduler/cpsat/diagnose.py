"""Why is there no plan? Rule groups as assumptions, an infeasible core, and what to loosen.

Each human-meaningful rule group (this practitioner's cap, this room's SEN
rule, the key group limit in this room and session, ...) gets one enforcement literal,
assumed true. When CP-SAT proves the model infeasible it names a sufficient
set of assumptions; that set is shrunk by deletion to a minimal one, each
member is re-checked (is the setting solvable with just that group
loosened?), and the groups are put in plain English. The rules, their groups
and their sentences are the registry's (:data:`scheduler.registry.HARD_RULES`).
"""

from __future__ import annotations

import time
from dataclasses import replace as dc_replace

from ortools.sat.python import cp_model

from .. import registry
from ..instance import Instance
from . import constraints
from .solving import new_solver, run_or_raise
from .variables import Variables


def diagnose(inst: Instance, max_changes: int | None = None, time_limit: float = 20.0) -> list[str]:
    """Plain-English reasons the rules can't all hold, with what to loosen; empty if none found.

    ``time_limit`` bounds the whole diagnosis; a core not shrunk in time is reported as found."""
    deadline = time.monotonic() + time_limit
    inst = dc_replace(inst, relaxed=True, max_changes=max_changes if max_changes is not None else inst.max_changes)
    model = cp_model.CpModel()
    v = Variables.build(model, inst)
    literals: dict[tuple, cp_model.IntVar] = {}

    def guard(group: tuple) -> list[cp_model.LiteralT]:
        registry.rule_for_group(group)  # a group no registry rule declares would go unnamed: fail loudly
        if group not in literals:
            literals[group] = model.new_bool_var(f"assume[{'|'.join(map(str, group))}]")
        return [literals[group]]

    constraints.add_hard_rules(model, inst, v, guard)
    groups = list(literals)

    def infeasible_with(active: list[tuple]) -> bool | None:
        left = deadline - time.monotonic()
        if left <= 0.05:
            return None
        model.clear_assumptions()
        model.add_assumptions([literals[g] for g in active])
        solver = new_solver(left, workers=1)  # assumptions need the single-thread search for a core
        code = run_or_raise(solver, model)
        if code == cp_model.INFEASIBLE:
            return True
        return False if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    model.add_assumptions([literals[g] for g in groups])
    solver = new_solver(time_limit, workers=1)
    if run_or_raise(solver, model) != cp_model.INFEASIBLE:
        return []
    index = {lit.index: g for g, lit in literals.items()}
    core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
    for g in list(core):  # deletion: keep only the groups the contradiction needs
        rest = [x for x in core if x != g]
        if rest and infeasible_with(rest):
            core = rest
    if not core:
        return []
    parts = [registry.describe(inst, g) for g in core]
    lines = ["These rules can't all hold at once: " + "; ".join(p[0] for p in parts) + "."]
    fixes: list[str] = []
    for g, (_, fix) in zip(core, parts, strict=True):
        if fix and fix not in fixes and infeasible_with([x for x in groups if x != g]) is False:
            fixes.append(fix)  # once: two groups may be loosened by the same change (two co-worker limits)
    if fixes:
        lines.append("Any one of these would make a plan possible: " + "; or ".join(fixes) + ".")
    return lines

