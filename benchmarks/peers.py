"""The peers keyperson is measured against, on the same instances and the same objective.

- ``greedy``: the manual rule settings use (most constrained child first, the eligible practitioner who
  misses the fewest of the child's sessions and has room left), scored by our checker; it ignores ratios,
  so its violations are reported.
- ``highs``: the very same model as a MIP, translated constraint by constraint from the CP-SAT proto
  (linear rows; enforced rows by big-M from the variables' bounds), solved by HiGHS (through OR-Tools'
  MathOpt) with a relative gap of 0. Its objective includes the tie-break term, scaled as in CP-SAT.
- ``lp``: the LP relaxation of that MIP: an upper bound on the objective.
"""

from __future__ import annotations

import tempfile
import time

from datetime import timedelta

from ortools.math_opt.python import mathopt
from ortools.sat import cp_model_pb2

from scheduler import evaluate
from scheduler.cpsat import CPModel
from scheduler.instance import Instance


def greedy(inst: Instance) -> dict:
    start = time.perf_counter()
    pairs = inst.key_pairs
    options = pairs.groupby("child")["staff"].apply(list).to_dict()
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
        cands = [s for s in inst.co_pairs.loc[inst.co_pairs["child"] == c.id, "staff"] if s != best]
        if cands:
            co[c.id] = min(cands, key=lambda s: (len(c.sessions - sessions[best] - sessions[s]), s))
    ev = evaluate(inst.setting, inst.on, key, co)
    return {"solver": "greedy", "status": "feasible" if ev.ok else "violates rules", "objective": ev.objective,
            "bound": None, "seconds": time.perf_counter() - start, "violations": len(ev.violations)}


def _proto(model) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message (``CpModel.proto`` is a wrapper without field presence)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/model.pb"
        model.export_to_file(path)
        out = cp_model_pb2.CpModelProto()
        out.ParseFromString(open(path, "rb").read())
        return out


def mip(inst: Instance, time_limit: float, relax: bool = False) -> dict:
    """Translate the CP-SAT model to a MIP (same variables, rows and objective) and solve it with HiGHS
    through OR-Tools' MathOpt (highspy can't share a process with ortools, which bundles HiGHS)."""
    build = time.perf_counter()
    proto = _proto(CPModel(inst).model)
    m = mathopt.Model(name="keyperson")
    xs = [m.add_variable(lb=v.domain[0], ub=v.domain[-1], is_integer=not relax, name=v.name)
          for v in proto.variables]
    lo = [v.domain[0] for v in proto.variables]
    hi = [v.domain[-1] for v in proto.variables]

    def lit(ref):  # a CP-SAT literal as a linear expression
        return xs[ref] if ref >= 0 else 1 - xs[-ref - 1]

    for ct in proto.constraints:
        kind = ct.WhichOneof("constraint")
        if kind in ("exactly_one", "bool_or", "at_most_one"):
            total = mathopt.fast_sum(lit(r) for r in getattr(ct, kind).literals)
            if kind == "exactly_one":
                m.add_linear_constraint(total == 1)
            elif kind == "bool_or":
                m.add_linear_constraint(total >= 1)
            else:
                m.add_linear_constraint(total <= 1)
        elif kind == "linear":
            vars_, coeffs = list(ct.linear.vars), list(ct.linear.coeffs)
            expr = mathopt.fast_sum(c * xs[v] for v, c in zip(vars_, coeffs))
            lower, upper = ct.linear.domain[0], ct.linear.domain[-1]
            if not ct.enforcement_literal:
                m.add_linear_constraint(lb=max(lower, -1e20), ub=min(upper, 1e20), expr=expr)
                continue
            (e,) = ct.enforcement_literal  # big-M from the variables' bounds
            act_lo = sum(c * (lo[v] if c > 0 else hi[v]) for v, c in zip(vars_, coeffs))
            act_hi = sum(c * (hi[v] if c > 0 else lo[v]) for v, c in zip(vars_, coeffs))
            if upper < act_hi:
                m.add_linear_constraint(expr <= upper + (act_hi - upper) * (1 - lit(e)))
            if lower > act_lo:
                m.add_linear_constraint(expr >= lower - (lower - act_lo) * (1 - lit(e)))
        else:
            raise NotImplementedError(kind)
    # CP-SAT keeps a maximisation as the minimisation of its negation (scaling factor -1)
    objective = mathopt.fast_sum(c * lit(v) for v, c in zip(proto.objective.vars, proto.objective.coeffs))
    maximise = proto.objective.scaling_factor < 0
    if maximise:
        m.maximize(-objective - proto.objective.offset)
    else:
        m.minimize(objective + proto.objective.offset)
    build = time.perf_counter() - build
    params = mathopt.SolveParameters(time_limit=timedelta(seconds=time_limit), relative_gap_tolerance=0.0,
                                     absolute_gap_tolerance=0.0)
    start = time.perf_counter()
    result = mathopt.solve(m, mathopt.SolverType.HIGHS, params=params)
    seconds = time.perf_counter() - start
    reason = result.termination.reason
    status = {mathopt.TerminationReason.OPTIMAL: "optimal", mathopt.TerminationReason.INFEASIBLE: "infeasible",
              mathopt.TerminationReason.FEASIBLE: "feasible"}.get(reason, reason.name.lower())
    value = result.objective_value() if result.has_primal_feasible_solution() else None
    bound = result.termination.objective_bounds.dual_bound
    if relax:
        return {"solver": "lp", "status": "bound", "objective": None, "bound": value, "seconds": seconds,
                "build_seconds": build}
    return {"solver": "highs", "status": status, "objective": None if value is None else round(value),
            "bound": bound, "seconds": seconds, "build_seconds": build}
