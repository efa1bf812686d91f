"""The soft terms' CP-SAT builders, one function each, returning a linear expression in points (higher is
better), named by :data:`scheduler.registry.SOFT_TERMS`.

A pair term (the registry gives each pair its points) is built by :func:`pair_term`;
the others have a builder of their own here. The checker recomputes each term
from a plan; tests hold the two equal.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from ortools.sat.python import cp_model

from ..instance import Instance, grouped, rows
from ..registry import SOFT_TERMS, SoftTerm
from .variables import Variables

LinearExpr = cp_model.LinearExpr
Expression = cp_model.LinearExpr
Term = Callable[[cp_model.CpModel, Instance, Variables], Expression]


def pair_term(name: str, role: str) -> Term:
    """The term summing the pair column ``name`` over the chosen ``role`` ("key" or "co") pairs."""
    def term(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
        pairs = v.key if role == "key" else v.co
        return LinearExpr.weighted_sum(pairs["var"].tolist(), pairs[name].tolist())
    term.__name__ = name
    term.__doc__ = f"Points for each child's {role} pair, from the pair's ``{name}`` column."
    return term


def coverage(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
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


def next_key_person(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points for each successor to a key person leaving within the term (the pair's points)."""
    return LinearExpr.weighted_sum(v.succ["var"].tolist(), v.succ["points"].tolist())


def next_co_worker(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points for each co-worker from the day after a key person leaves within the term (the pair's points)."""
    return LinearExpr.weighted_sum(v.next_co["var"].tolist(), v.next_co["points"].tolist())


def siblings(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points for each pair of siblings who share a key person."""
    key = {(c, s): var for c, s, var in rows(v.key, "child", "staff", "var")}
    staff_of: dict[str, set[str]] = {}
    for c, s in key:
        staff_of.setdefault(c, set()).add(s)
    for (a, b), share in v.siblings.items():
        for s in sorted(staff_of[a] | staff_of[b]):
            ka, kb = key.get((a, s), 0), key.get((b, s), 0)
            model.add(ka == kb).only_enforce_if(share)
    return inst.setting.rules.weight_siblings * LinearExpr.sum(list(v.siblings.values()))


def caseload_balance(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points lost per weighted key child above each practitioner's fair share."""
    weight = {c.id: inst.caseload_weight(c) for c in inst.children}
    for s, pairs in grouped(v.key, "staff", "child", "var").items():
        load = LinearExpr.weighted_sum([var for _, var in pairs], [weight[c] for c, _ in pairs])
        model.add(v.over_fair[s] >= load - inst.fair_share[s])
    return -inst.setting.rules.weight_caseload_balance * LinearExpr.sum(list(v.over_fair.values()))


def session_balance(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points lost per unit of the busiest practitioner's load (caseload-weighted key children present, in a
    session they work), in each room and session."""
    room_of = {s.id: s.room for s in inst.staff}
    for (s, t), (variables, weights) in v.session_loads.items():
        model.add(v.busiest[(room_of[s], t)] >= LinearExpr.weighted_sum(variables, weights))
    return -inst.setting.rules.weight_session_balance * LinearExpr.sum(list(v.busiest.values()))


def co_worker_balance(model: cp_model.CpModel, inst: Instance, v: Variables) -> Expression:
    """Points lost per co-worker child above each practitioner's fair share."""
    for s, variables in grouped(v.co, "staff", "var").items():
        model.add(v.co_over_fair[s] >= LinearExpr.sum(variables) - inst.co_fair_share[s])
    return -inst.setting.rules.weight_co_worker_balance * LinearExpr.sum(list(v.co_over_fair.values()))


def builder(term: SoftTerm) -> Term:
    """The builder of a registry row: its own function here, else the generic pair term."""
    if term.build is not None:
        return globals()[term.build]
    return pair_term(term.name, "key" if term.key_points is not None else "co")


TERMS: dict[str, Term] = {t.name: builder(t) for t in SOFT_TERMS}


def tie_break(pairs: pd.DataFrame) -> Expression:
    """The fixed pseudo-random weights of the chosen pairs (``Variables.key`` or ``.co``), minimised among
    equally good plans."""
    return LinearExpr.weighted_sum(pairs["var"].tolist(), pairs["tie_break"].tolist())
