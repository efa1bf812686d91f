"""Decision and helper variables, created only where they can be used, with readable names."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ortools.sat.python import cp_model

from ..instance import Instance, grouped, rows


@dataclass
class Variables:
    """``key``/``co``: the eligible pairs (rows of the instance's tables) with a ``var`` column."""

    key: pd.DataFrame
    co: pd.DataFrame
    covered: dict[tuple[str, str], cp_model.IntVar]  # (child, session) -> someone familiar is in
    over_fair: dict[str, cp_model.IntVar]  # staff -> weighted load above fair share
    co_over_fair: dict[str, cp_model.IntVar]  # staff -> co-worker children above their fair share
    busiest: dict[tuple[str, str], cp_model.IntVar]  # (room, session) -> busiest practitioner's load
    siblings: dict[tuple[str, str], cp_model.IntVar]  # sibling pair -> shares a key person
    # (staff, session) -> the key-person variables of the children who attend it, and their ratio weights
    session_loads: dict[tuple[str, str], tuple[list, list[int]]]

    @classmethod
    def build(cls, model: cp_model.CpModel, inst: Instance) -> Variables:
        key = inst.key_pairs.copy()
        key["var"] = [model.new_bool_var(f"key[{c}->{s}]") for c, s in zip(key["child"], key["staff"], strict=True)]
        co = inst.co_pairs.copy()
        co["var"] = [model.new_bool_var(f"co[{c}->{s}]") for c, s in zip(co["child"], co["staff"], strict=True)]
        sessions_of = {s.id: s.sessions for s in inst.staff}
        reachable: dict[str, set[str]] = {}
        for frame in (key, co):
            for c, s in rows(frame, "child", "staff"):
                reachable.setdefault(c, set()).update(sessions_of[s])
        covered = {(c.id, t): model.new_bool_var(f"covered[{c.id}@{t}]")
                   for c in inst.children for t in inst.setting.ordered_sessions(c.sessions)
                   if t in reachable.get(c.id, ())}
        # Upper bounds are what the expressions can reach, never a rule's limit: a bound at the cap or the
        # ratio would be a second, hidden copy of that rule.
        weight = {c.id: inst.caseload_weight(c) for c in inst.children}
        most_load = {s: sum(weight[c] for c in children) for s, children in grouped(key, "staff", "child").items()}
        over_fair = {s: model.new_int_var(0, max(0, most_load.get(s, 0) - inst.fair_share[s]), f"over_fair[{s}]")
                     for s in inst.key_staff}
        most_co = {s: len(children) for s, children in grouped(co, "staff", "child").items()}
        co_over_fair = {s: model.new_int_var(0, max(0, n - inst.co_fair_share[s]), f"co_over_fair[{s}]")
                        for s, n in most_co.items()}
        loads = _session_loads(inst, key)
        room_of = {s.id: s.room for s in inst.staff}
        most_present: dict[tuple[str, str], int] = {}
        for (s, t), (_, weights) in loads.items():
            most_present[(room_of[s], t)] = max(most_present.get((room_of[s], t), 0), sum(weights))
        rooms = {s.room for s in inst.staff if s.id in set(inst.key_staff)}
        busiest = {(r, t.name): model.new_int_var(0, most_present.get((r, t.name), 0), f"busiest[{r}@{t.name}]")
                   for r in sorted(rooms, key=inst.setting.room_index.__getitem__) for t in inst.setting.sessions}
        siblings = {(a, b): model.new_bool_var(f"siblings[{a}+{b}]") for a, b in inst.sibling_pairs}
        return cls(key, co, covered, over_fair, co_over_fair, busiest, siblings, loads)


def _session_loads(inst: Instance, key: pd.DataFrame) -> dict[tuple[str, str], tuple[list, list[int]]]:
    """(practitioner, session) -> the key-person variables of the children who attend it and their ratio
    weights, for every session with at least one such child (practitioners in the pair table's order);
    shared by the ratio rule and the session-balance term."""
    sessions = {c.id: c.sessions for c in inst.children}
    weight = {c.id: inst.ratio_weight(c) for c in inst.children}
    out = {}
    for s, pairs in grouped(key, "staff", "child", "var").items():
        for t in inst.setting.sessions:
            terms = [(var, weight[c]) for c, var in pairs if t.name in sessions[c]]
            if terms:
                out[(s, t.name)] = ([x for x, _ in terms], [w for _, w in terms])
    return out
