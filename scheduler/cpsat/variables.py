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
    # (staff, session they work) -> the key-person variables of the children who attend it, and their
    # caseload weights (the session-balance term's load)
    session_loads: dict[tuple[str, str], tuple[list, list[int]]]
    # the same variables with each child's share of an adult, in 1/inst.share_unit (the key group limit)
    key_groups: dict[tuple[str, str], tuple[list, list[int]]]
    # successors from the day after a key person leaves within the term, and the co-workers from then
    succ: pd.DataFrame
    next_co: pd.DataFrame

    @classmethod
    def build(cls, model: cp_model.CpModel, inst: Instance) -> Variables:
        key = _with_variables(model, inst.key_pairs, "key")
        co = _with_variables(model, inst.co_pairs, "co")
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
        loads, groups = _session_loads(inst, key)
        room_of = {s.id: s.room for s in inst.staff}
        most_present: dict[tuple[str, str], int] = {}
        for (s, t), (_, weights) in loads.items():
            most_present[(room_of[s], t)] = max(most_present.get((room_of[s], t), 0), sum(weights))
        rooms = {s.room for s in inst.staff if s.id in set(inst.key_staff)}
        busiest = {(r, t.name): model.new_int_var(0, most_present.get((r, t.name), 0), f"busiest[{r}@{t.name}]")
                   for r in sorted(rooms, key=inst.setting.room_index.__getitem__) for t in inst.setting.sessions}
        siblings = {(a, b): model.new_bool_var(f"siblings[{a}+{b}]") for a, b in inst.sibling_pairs}
        succ = _with_variables(model, inst.successor_pairs, "next key")
        next_co = _with_variables(model, inst.next_co_pairs, "next co")
        return cls(key, co, covered, over_fair, co_over_fair, busiest, siblings, loads, groups, succ, next_co)

    def term_key_groups(self, inst: Instance) -> dict[tuple[str, str], tuple[list, list[int]]]:
        """:attr:`key_groups` with each successor counting the child from the plan date (the whole term),
        in the sessions the successor works."""
        if not len(self.succ):
            return self.key_groups
        pairs = ["child", "staff", "var"]
        return _session_loads(inst, pd.concat([self.key[pairs], self.succ[pairs]]))[1]



def _with_variables(model: cp_model.CpModel, pairs: pd.DataFrame, role: str) -> pd.DataFrame:
    """``pairs`` with a ``var`` column: one Boolean variable per pair, named ``role[child->staff]``."""
    variables = [model.new_bool_var(f"{role}[{c}->{s}]") for c, s in rows(pairs, "child", "staff")]
    return pairs.assign(var=pd.Series(variables, index=pairs.index, dtype=object))


Loads = dict[tuple[str, str], tuple[list[cp_model.IntVar], list[int]]]


def _session_loads(inst: Instance, key: pd.DataFrame) -> tuple[Loads, Loads]:
    """(practitioner, session they work) -> the key-person variables of the children who attend it, with
    their caseload weights, and with their shares of an adult (in 1/``inst.share_unit``), for every such
    session with at least one child (practitioners in the pair table's order). Sessions a practitioner
    doesn't work carry none of their key children: the co-worker covers those. The first table serves the
    session-balance term, the second the key group limit."""
    sessions = {c.id: c.sessions for c in inst.children}
    child = {c.id: c for c in inst.children}
    works = {s.id: s.sessions for s in inst.staff}
    loads: Loads = {}
    groups: Loads = {}
    for s, pairs in grouped(key, "staff", "child", "var").items():
        for t in inst.setting.ordered_sessions(works[s]):
            present = [(c, var) for c, var in pairs if t in sessions[c]]
            if present:
                variables = [var for _, var in present]
                loads[(s, t)] = (variables, [inst.caseload_weight(child[c]) for c, _ in present])
                groups[(s, t)] = (variables, [inst.share_weight(child[c], t) for c, _ in present])
    return loads, groups
