"""Why is there no plan? Rule groups as assumptions, an infeasible core, and what to loosen.

Each human-meaningful rule group (this practitioner's cap, this room's SEN
rule, this room's ratio in this session, ...) gets one enforcement literal,
assumed true. When CP-SAT proves the model infeasible it names a sufficient
set of assumptions; that set is shrunk by deletion to a minimal one, each
member is re-checked (is the setting solvable with just that group
loosened?), and the groups are put in plain English.
"""

from __future__ import annotations

import time
from dataclasses import replace as dc_replace

from ortools.sat.python import cp_model

from ..instance import Instance
from . import constraints
from .variables import Variables


def describe(inst: Instance, group: tuple) -> tuple[str, str]:
    """A rule group as (what it is, what loosening it would mean)."""
    kind = group[0]
    s = inst.setting
    if kind == "cap":
        m = s.member(group[1])
        return (f"{m.name} ({m.id})'s caseload cap of {inst.cap[m.id]} in {m.room}",
                f"raise {m.id}'s Max key children above {inst.cap[m.id]}")
    if kind == "co-worker cap":
        m = s.member(group[1])
        return (f"{m.id}'s limit of {inst.co_cap[m.id]} children as co-worker",
                f"raise Max co-worker children above {inst.co_cap[m.id]}")
    if kind == "ratio":
        return (f"the 1:{inst.ratio[group[1]]} ratio in {group[1]} on {group[2]}",
                f"loosen the 1:{inst.ratio[group[1]]} ratio in {group[1]} on {group[2]}")
    if kind == "sen":
        room = group[1]
        needing = [c.id for c in inst.children if inst.room_of[c.id] == room and s.needs_trained_key_person(c)]
        trained = [m.id for m in inst.staff if m.room == room and m.sen_trained and m.can_be_key_person]
        return (f"the SEN rule in room {room}: children {', '.join(needing)} need an SEN-trained key person "
                f"(trained: {', '.join(trained) or 'nobody'})",
                f"mark one more {room} practitioner SEN trained")
    if kind == "lock":
        lock = s.locks[group[1]]
        return (f"the lock '{lock.staff} {lock.rule} be {lock.role} of child {lock.child}' (Locks sheet)",
                f"remove the lock '{lock.staff} {lock.rule} be {lock.role} of child {lock.child}'")
    if kind == "max changes":
        return ("the limit on key-person changes", "allow more changes (--max-changes)")
    return (" ".join(map(str, group)), "")


def diagnose(inst: Instance, max_changes: int | None = None, time_limit: float = 20.0) -> list[str]:
    """Plain-English reasons the rules can't all hold, with what to loosen; empty if none found.

    ``time_limit`` bounds the whole diagnosis; a core not shrunk in time is reported as found."""
    deadline = time.monotonic() + time_limit
    inst = dc_replace(inst, relaxed=True)
    model = cp_model.CpModel()
    v = Variables.build(model, inst)
    literals: dict[tuple, cp_model.IntVar] = {}

    def guard(group: tuple) -> list:
        if group[0] in ("key person", "co-worker"):
            return []  # every child has a key person and a co-worker: not negotiable
        if group not in literals:
            literals[group] = model.new_bool_var(f"assume[{'|'.join(map(str, group))}]")
        return [literals[group]]

    for rule in constraints.RULES:
        rule(model, inst, v, guard)
    constraints.max_changes(model, inst, v, max_changes, guard)
    constraints.locks_kept(model, inst, v, guard)
    _sen_rule(model, inst, v, guard)
    groups = list(literals)

    def infeasible_with(active: list[tuple]) -> bool | None:
        left = deadline - time.monotonic()
        if left <= 0.05:
            return None
        model.clear_assumptions()
        model.add_assumptions([literals[g] for g in active])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = left
        solver.parameters.num_workers = 1  # assumptions need the single-thread search for a core
        code = solver.solve(model)
        if code == cp_model.INFEASIBLE:
            return True
        return False if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    model.add_assumptions([literals[g] for g in groups])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.INFEASIBLE:
        return []
    index = {lit.index: g for g, lit in literals.items()}
    core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
    for g in list(core):  # deletion: keep only the groups the contradiction needs
        rest = [x for x in core if x != g]
        if rest and infeasible_with(rest):
            core = rest
    if not core:
        return []
    parts = [describe(inst, g) for g in core]
    lines = ["These rules can't all hold at once: " + "; ".join(p[0] for p in parts) + "."]
    fixes = []
    for g, (_, fix) in zip(core, parts, strict=True):
        if fix and infeasible_with([x for x in groups if x != g]) is False:
            fixes.append(fix)
    if fixes:
        lines.append("Any one of these would make a plan possible: " + "; or ".join(fixes) + ".")
    return lines


def _sen_rule(model: cp_model.CpModel, inst: Instance, v: Variables, guard) -> None:
    """Children who need an SEN-trained key person don't get an untrained one (one group per room)."""
    for c, _, var in constraints.sen_untrained_pairs(inst, v):
        model.add(var == 0).only_enforce_if(guard(("sen", inst.room_of[c])))
