"""The co-worker step with the key persons fixed: an exact min-cost flow.

Once every child's key person is chosen, the co-workers left to choose form a transportation problem:
each child one co-worker (not their key person), each practitioner within their co-worker cap. What a
co-worker is worth to a child (the sessions the two together cover, the child's sessions the co-worker
works, keeping last term's co-worker) sits on the child -> practitioner arc; co-worker balance is convex
in a practitioner's load, so it sits on parallel practitioner -> sink arcs of increasing cost (free up to
the fair share, ``Weight co-worker balance`` for each child above it). The tie-break weights ride on the
child -> practitioner arcs, scaled so that one point outweighs all of them together, as in the CP-SAT
solve: the optimum is the same unique plan the CP-SAT co-worker solve finds (a test holds them equal).

:func:`best_co_workers` is a plain function of the instance and the key persons, so a caller that fixed
key persons some other way (room by room, say) can re-choose every co-worker across rooms in one flow.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from ..instance import Instance, rows
from ..registry import CO_PAIR_TERMS, pair_points


def co_worker_points(inst: Instance, key_person: dict[str, str]) -> np.ndarray:
    """Each co-worker pair's points (``inst.co_pairs`` order) given the key persons: coverage (the child's
    sessions the key person or the co-worker works) and the registry's co-worker pair terms (familiarity,
    continuity). Sessions as bit masks, column-wise: a large group has a million pairs."""
    co = inst.co_pairs
    index = inst.setting.session_index

    def mask(sessions: frozenset[str]) -> int:
        return sum(1 << index[t] for t in sessions)

    child_codes, children = pd.factorize(co["child"])
    staff_codes, staff = pd.factorize(co["staff"])
    attends = {c.id: c.sessions for c in inst.children}
    works = {m.id: m.sessions for m in inst.staff}
    if len(index) <= 64:
        attended = np.array([mask(attends[c]) for c in children], dtype=np.uint64)
        with_key = np.array([mask(works[key_person[c]]) for c in children], dtype=np.uint64)
        worked = np.array([mask(works[s]) for s in staff], dtype=np.uint64)
        covered = np.bitwise_count(attended[child_codes] & (with_key[child_codes] | worked[staff_codes]))
    else:  # more sessions a week than a mask holds
        covered = np.array([len(attends[c] & (works[key_person[c]] | works[s])) for c, s in rows(co, "child", "staff")])
    return (inst.setting.rules.weight_coverage * covered.astype(np.int64)
            + pair_points(co, CO_PAIR_TERMS).to_numpy(dtype=np.int64))


def co_worker_balance(inst: Instance, co_worker: dict[str, str]) -> int:
    """The co-worker balance term: minus the weight per co-worker child above each practitioner's fair share."""
    load: dict[str, int] = {}
    for s in co_worker.values():
        load[s] = load.get(s, 0) + 1
    over = sum(max(0, n - inst.co_fair_share.get(s, 0)) for s, n in load.items())
    return -inst.setting.rules.weight_co_worker_balance * over


def co_worker_score(inst: Instance, key_person: dict[str, str], co_worker: dict[str, str]) -> int:
    """Every point of the objective that depends on the co-workers, for this plan (coverage included)."""
    co = inst.co_pairs
    points = co_worker_points(inst, key_person)
    chosen = (co["staff"] == co["child"].map(co_worker)).to_numpy()
    return int(points[chosen].sum()) + co_worker_balance(inst, co_worker)


def best_co_workers(inst: Instance, key_person: dict[str, str],
                    forbid: Iterable[tuple[str, str]] = ()) -> dict[str, str] | None:
    """With ``key_person`` (child -> practitioner) fixed, the co-workers with the most points and then the
    smallest tie-break weights, as a min-cost flow (source -> child -> practitioner -> sink); None when no
    choice keeps the co-worker caps. ``forbid`` leaves (child, practitioner) pairs out."""
    co = inst.co_pairs
    weight = inst.setting.rules.weight_co_worker_balance
    points = co_worker_points(inst, key_person)
    # nodes in order of first appearance; column-wise, as a large group has a million pairs
    child_codes, children = pd.factorize(co["child"])
    staff_codes, staff = pd.factorize(co["staff"])
    usable = staff_codes != staff.get_indexer(children.map(lambda c: key_person.get(c)))[child_codes]
    for c, s in forbid:
        usable &= ~((co["child"] == c) & (co["staff"] == s)).to_numpy()
    child_node = 1 + np.arange(len(children))
    staff_node = dict(zip(staff, 1 + len(children) + np.arange(len(staff)), strict=True))
    sink = 1 + len(children) + len(staff)
    # cost = scale * (the child's best points - points) + tie weight: every cost >= 0, and one point
    # outweighs every tie-break weight together, as in the CP-SAT solve
    ties = co["tie_break"].to_numpy(dtype=np.int64)
    most = np.zeros(len(children), dtype=np.int64)
    np.maximum.at(most, child_codes, ties)
    scale = int(most.sum()) + 1
    best = np.full(len(children), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(best, child_codes, points)
    cost = scale * (best[child_codes] - points) + ties
    pairs = np.flatnonzero(usable)
    g = SimpleMinCostFlow()
    g.add_arcs_with_capacity_and_unit_cost(np.zeros(len(children), dtype=np.int32), child_node.astype(np.int32),
                                           np.ones(len(children), dtype=np.int64),
                                           np.zeros(len(children), dtype=np.int64))
    arcs = g.add_arcs_with_capacity_and_unit_cost(
        child_node[child_codes[pairs]].astype(np.int32),
        (1 + len(children) + staff_codes[pairs]).astype(np.int32),
        np.ones(len(pairs), dtype=np.int64), cost[pairs])
    # practitioner -> sink: free up to the fair share, then each child costs the balance weight (convex)
    tails, capacities, costs = [], [], []
    for s in staff:
        cap, fair = inst.co_cap[s], inst.co_fair_share.get(s, 0)
        free = cap if weight == 0 else min(cap, fair)
        tails += [staff_node[s], staff_node[s]]
        capacities += [free, cap - free]
        costs += [0, scale * weight]
    g.add_arcs_with_capacity_and_unit_cost(np.array(tails, dtype=np.int32),
                                           np.full(len(tails), sink, dtype=np.int32),
                                           np.array(capacities, dtype=np.int64), np.array(costs, dtype=np.int64))
    g.set_node_supply(0, len(children))
    g.set_node_supply(sink, -len(children))
    if g.solve() != g.OPTIMAL:
        return None
    chosen = pairs[g.flows(arcs) > 0]
    return dict(zip(co["child"].to_numpy()[chosen].tolist(), co["staff"].to_numpy()[chosen].tolist(), strict=True))
