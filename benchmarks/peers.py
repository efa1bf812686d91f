"""The peers keyperson is measured against, on the same instances and the same objective.

- ``greedy``: the manual rule settings use (most constrained child first, the eligible practitioner who
  misses the fewest of the child's sessions and has room left), scored by our checker; it ignores ratios,
  so its violations are reported.
- ``highs``: the very same model as a MIP, translated constraint by constraint from the CP-SAT proto
  (linear rows; enforced rows by big-M from the variables' bounds), written as MPS and solved by HiGHS
  (highspy, one thread, in a subprocess) with relative and absolute gaps of 0. The objective is the
  plan's (without the tie-break, which only orders equal plans).
- ``lp``: the LP relaxation of that MIP: an upper bound on the objective.
- ``flow``: the key-person core alone as a min-cost flow: the speed floor (its value is not the plan's).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ortools.graph.python.min_cost_flow import SimpleMinCostFlow
from ortools.linear_solver.python import model_builder as mb
from ortools.sat import cp_model_pb2

from scheduler import evaluate
from scheduler.cpsat import CPModel
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


def _proto(model) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message (``CpModel.proto`` is a wrapper without field presence)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/model.pb"
        model.export_to_file(path)
        out = cp_model_pb2.CpModelProto()
        out.ParseFromString(open(path, "rb").read())
        return out


def mip(inst: Instance, time_limit: float, relax: bool = False) -> dict:
    """Translate the CP-SAT model to a MIP (same variables, rows and objective), write it as MPS and solve
    it with HiGHS (highspy) in a subprocess: highspy can't share a process with ortools, which bundles its
    own HiGHS, and HiGHS through OR-Tools' MathOpt gave wrong optima on this model (see RESULTS.md)."""
    build = time.perf_counter()
    proto = _proto(CPModel(inst).model)
    m = mb.Model()
    xs = [m.new_var(v.domain[0], v.domain[-1], not relax, v.name) for v in proto.variables]
    lo = [v.domain[0] for v in proto.variables]
    hi = [v.domain[-1] for v in proto.variables]

    def lit(ref):  # a CP-SAT literal as a linear expression
        return xs[ref] if ref >= 0 else 1 - xs[-ref - 1]

    for ct in proto.constraints:
        kind = ct.WhichOneof("constraint")
        if kind in ("exactly_one", "bool_or", "at_most_one"):
            total = mb.LinearExpr.sum([lit(r) for r in getattr(ct, kind).literals])
            if kind == "exactly_one":
                m.add(total == 1)
            elif kind == "bool_or":
                m.add(total >= 1)
            else:
                m.add(total <= 1)
        elif kind == "linear":
            vars_, coeffs = list(ct.linear.vars), list(ct.linear.coeffs)
            expr = mb.LinearExpr.weighted_sum([xs[v] for v in vars_], coeffs)
            lower, upper = ct.linear.domain[0], ct.linear.domain[-1]
            act_lo = sum(c * (lo[v] if c > 0 else hi[v]) for v, c in zip(vars_, coeffs, strict=True))
            act_hi = sum(c * (hi[v] if c > 0 else lo[v]) for v, c in zip(vars_, coeffs, strict=True))
            if not ct.enforcement_literal:
                if upper < act_hi:
                    m.add(expr <= upper)
                if lower > act_lo:
                    m.add(expr >= lower)
                continue
            (e,) = ct.enforcement_literal  # big-M from the variables' bounds
            if upper < act_hi:
                m.add(expr + (act_hi - upper) * lit(e) <= act_hi)
            if lower > act_lo:
                m.add(expr - (lower - act_lo) * lit(e) >= act_lo)
        else:
            raise NotImplementedError(kind)
    # CP-SAT keeps a maximisation as the minimisation of its negation (scaling factor -1, offset): so
    # minimise the proto's own objective and map the value back.
    sign = proto.objective.scaling_factor or 1
    m.minimize(mb.LinearExpr.weighted_sum([lit(v) for v in proto.objective.vars], list(proto.objective.coeffs)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keyperson.mps"
        path.write_text(m.export_to_mps_string())
        build = time.perf_counter() - build
        out = subprocess.run([sys.executable, "-c", _HIGHS, str(path), str(time_limit)],
                             capture_output=True, text=True, check=True)
    run = json.loads(out.stdout.splitlines()[-1])

    def value(x):
        return None if x is None else sign * (x + proto.objective.offset)

    objective, bound = value(run["objective"]), value(run["bound"])
    if relax:
        return {"solver": "lp", "status": "bound", "objective": None, "bound": objective,
                "seconds": run["seconds"], "build_seconds": build}
    return {"solver": "highs", "status": run["status"], "objective": None if objective is None else round(objective),
            "bound": bound, "seconds": run["seconds"], "build_seconds": build}


_HIGHS = """
import json, sys, time
import highspy
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.setOptionValue("time_limit", float(sys.argv[2]))
h.setOptionValue("mip_rel_gap", 0.0)
h.setOptionValue("mip_abs_gap", 0.0)
h.setOptionValue("threads", 1)
h.readModel(sys.argv[1])
start = time.perf_counter()
h.run()
seconds = time.perf_counter() - start
status = h.modelStatusToString(h.getModelStatus()).lower()
info = h.getInfo()
has = info.primal_solution_status == 2
lp = h.getLp().integrality_ == [] or all(int(k) == 0 for k in h.getLp().integrality_)
bound = info.objective_function_value if lp and has else (info.mip_dual_bound if not lp else None)
print(json.dumps({"status": {"optimal": "optimal", "infeasible": "infeasible"}.get(status, status),
                  "objective": info.objective_function_value if has else None, "bound": bound,
                  "seconds": seconds}))
"""
