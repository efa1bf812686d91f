"""The soft terms, one function each, returning a linear expression in points (higher is better).

The names match :data:`scheduler.checker.TERMS` and the ``Weight ...`` Rules,
and the checker recomputes each from a plan; tests hold the two equal.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..instance import Instance, grouped, rows
from .variables import Variables

LinearExpr = cp_model.LinearExpr
PAIR_TERMS = ("overlap", "attachment", "continuity", "successor", "language", "sen_support_trained")


def pair_term(name: str):
    def term(model: cp_model.CpModel, inst: Instance, v: Variables):
        return LinearExpr.weighted_sum(v.key["var"].tolist(), v.key[name].tolist())
    term.__name__ = name
    term.__doc__ = f"Points for each child's key person, from the pair's ``{name}`` column."
    return term


def co_worker_continuity(model: cp_model.CpModel, inst: Instance, v: Variables):
    """Points for keeping each child's current co-worker."""
    return LinearExpr.weighted_sum(v.co["var"].tolist(), v.co["co_worker_continuity"].tolist())


def coverage(model: cp_model.CpModel, inst: Instance, v: Variables):
    """Points for each session a child attends with their key person or co-worker in."""
    works = {s.id: s.sessions for s in inst.staff}
    familiar: dict[tuple[str, str], list] = {}
    for frame in (v.key, v.co):
        for c, s, var in rows(frame, "child", "staff", "var"):
            for t in works[s]:
                if (c, t) in v.covered:
                    familiar.setdefault((c, t), []).append(var)
    for ct, covered in v.covered.items():
        model.add(covered <= LinearExpr.sum(familiar[ct]))
    return inst.setting.rules.weight_coverage * LinearExpr.sum(list(v.covered.values()))


def siblings(model: cp_model.CpModel, inst: Instance, v: Variables):
    """Points for each pair of siblings who share a key person."""
    key = {(c, s): var for c, s, var in rows(v.key, "child", "staff", "var")}
    staff_of: dict[str, set[str]] = {}
    for c, s in key:
        staff_of.setdefault(c, set()).add(s)
    for (a, b), share in v.siblings.items():
        for s in sorted(staff_of[a] | staff_of[b]):
            ka, kb = key.get((a, s), 0), key.get((b, s), 0)
            model.add(ka == kb).only_enforce_if(share)
    return inst.setting.rules.weight_siblings * sum(v.siblings.values())


def caseload_balance(model: cp_model.CpModel, inst: Instance, v: Variables):
    """Points lost per weighted key child above each practitioner's fair share."""
    weight = {c.id: inst.caseload_weight(c) for c in inst.children}
    for s, pairs in grouped(v.key, "staff", "child", "var").items():
        load = LinearExpr.weighted_sum([var for _, var in pairs], [weight[c] for c, _ in pairs])
        model.add(v.over_fair[s] >= load - inst.fair_share[s])
    return -inst.setting.rules.weight_caseload_balance * sum(v.over_fair.values())


def session_balance(model: cp_model.CpModel, inst: Instance, v: Variables):
    """Points lost per unit of the busiest practitioner's load, in each room and session."""
    room_of = {s.id: s.room for s in inst.staff}
    for (s, t), (variables, weights) in v.session_loads.items():
        model.add(v.busiest[(room_of[s], t)] >= LinearExpr.weighted_sum(variables, weights))
    return -inst.setting.rules.weight_session_balance * sum(v.busiest.values())


TERMS = {
    **{name: pair_term(name) for name in PAIR_TERMS},
    "coverage": coverage,
    "co_worker_continuity": co_worker_continuity,
    "siblings": siblings,
    "caseload_balance": caseload_balance,
    "session_balance": session_balance,
}


def tie_break(pairs):
    """The fixed pseudo-random weights of the chosen pairs (``Variables.key`` or ``.co``), minimised among
    equally good plans."""
    return LinearExpr.weighted_sum(pairs["var"].tolist(), pairs["tie_break"].tolist())
