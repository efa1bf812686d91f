"""The peers keyperson is measured against, on the same instances and the same objective.

- ``greedy``: the manual rule settings use (most constrained child first, the eligible practitioner who
  misses the fewest of the child's sessions and has room left), scored by our checker; it ignores ratios,
  so its violations are reported.
- ``highs``: the very same model as a MIP, translated constraint by constraint from the CP-SAT proto
  by :mod:`scheduler.cpsat.mip` (linear rows; enforced rows by big-M from the variables' bounds) and
  solved by HiGHS (highspy, one thread, in its own process) with relative and absolute gaps of 0, as
  keyperson itself solves rooms of 150 children or more. The objective is the plan's (without the
  tie-break, which only orders equal plans).
- ``lp``: the LP relaxation of that MIP: an upper bound on the objective.
- ``flow``: the key-person core alone as a min-cost flow: the speed floor (its value is not the plan's).
"""

from __future__ import annotations

import time

from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from scheduler import evaluate
from scheduler.cpsat import CPModel
from scheduler.cpsat.mip import highs, program
from scheduler.instance import Instance, grouped
from scheduler.registry import pair_points


def greedy(inst: Instance) -> dict:
    start = time.perf_counter()
    pairs = inst.key_pairs
    options = grouped(pairs, "child", "staff")
    co_options = grouped(inst.co_pairs, "child", "staff")
    load = {s: 0 for s in inst.cap}
    key, co = {}, {}
    sessions = {s.id: s.sessions for s in inst.staff}
    for c in sorted(inst.children, key=lambda c: (len(options.get(c.id, [])), c.id)):
        w = inst.caseload_weight(c)
        room = [s for s in options.get(c.id, []) if load[s] + w <= inst.cap[s]] or options.get(c.id, [])
        if not room:
            continue
        best = min(room, key=lambda s: (len(c.sessions - sessions[s]), load[s], s))
        key[c.id] = best
        load[best] += w
        cands = [s for s in co_options.get(c.id, []) if s != best]
        if cands:
            co[c.id] = min(cands, key=lambda s: (len(c.sessions - sessions[best] - sessions[s]), s))
    ev = evaluate(inst.setting, inst.on, key, co)
    return {"solver": "greedy", "status": "feasible" if ev.ok else "violates rules", "objective": ev.objective,
            "bound": None, "seconds": time.perf_counter() - start, "violations": len(ev.violations)}


def flow(inst: Instance) -> dict:
    """The speed floor: only the key-person core (caps, each child's points for each eligible
    practitioner; no co-workers, ratios, coverage or balance) as a min-cost flow, children split allowed.
    Its objective is not the plan's, so only its time is comparable."""
    build = time.perf_counter()
    pairs = inst.key_pairs
    points = pair_points(pairs).to_numpy()
    weight = {c.id: inst.caseload_weight(c) for c in inst.children}
    child_node = {c.id: 1 + i for i, c in enumerate(inst.children)}
    staff_node = {s: 1 + len(child_node) + i for i, s in enumerate(inst.key_staff)}
    sink = 1 + len(child_node) + len(staff_node)
    scale = max(weight.values(), default=1) * 2  # per-unit costs stay integers for weights 1 and 2
    g = SimpleMinCostFlow()
    for c, node in child_node.items():
        g.add_arc_with_capacity_and_unit_cost(0, node, weight[c], 0)
    for (c, s), p in zip(zip(pairs["child"], pairs["staff"], strict=True), points, strict=True):
        g.add_arc_with_capacity_and_unit_cost(child_node[c], staff_node[s], weight[c], -int(p) * scale // weight[c])
    for s, node in staff_node.items():
        g.add_arc_with_capacity_and_unit_cost(node, sink, inst.cap[s], 0)
    total = sum(weight.values())
    g.set_node_supply(0, total)
    g.set_node_supply(sink, -total)
    build = time.perf_counter() - build
    start = time.perf_counter()
    code = g.solve()
    seconds = time.perf_counter() - start
    return {"solver": "flow", "status": "optimal" if code == g.OPTIMAL else "infeasible", "objective": None,
            "bound": None, "core_points": -g.optimal_cost() / scale if code == g.OPTIMAL else None, "seconds": seconds,
            "build_seconds": build}


def mip(inst: Instance, time_limit: float, relax: bool = False) -> dict:
    """The CP-SAT model as a MIP (:func:`scheduler.cpsat.mip.program`: same variables, rows and
    objective), solved by HiGHS (highspy, one thread, gaps of 0) in its own process, as keyperson solves
    large rooms; HiGHS through OR-Tools' MathOpt gave wrong optima on this model (see RESULTS.md)."""
    build = time.perf_counter()
    prog = program(CPModel(inst).model)
    assert prog is not None, "every rule of the model has a linear form"
    build = time.perf_counter() - build
    start = time.perf_counter()
    run = highs(prog, time_limit, relax=relax)
    seconds = time.perf_counter() - start
    if relax:
        return {"solver": "lp", "status": "bound", "objective": None, "bound": prog.points(run["objective"]),
                "seconds": seconds, "build_seconds": build}
    status = {"Optimal": "optimal", "Infeasible": "infeasible"}.get(run["status"], run["status"].lower())
    objective = None if run["objective"] is None else round(prog.points(run["objective"]))
    return {"solver": "highs", "status": status, "objective": objective, "bound": prog.points(run["bound"]),
            "seconds": seconds, "build_seconds": build}
