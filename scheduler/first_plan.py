"""A quick first choice of key persons, for a search that may find no plan of its own in its time.

CP-SAT can take longer than its share of the time to find any plan for a large room (the 450-child
room of a 1,000-child setting: no plan in 19 s, at load 7). This greedy choice keeps every hard rule
on key persons that the model keeps (the pair tables already leave out who can't be a child's key
person; the caseload cap and the key group limit are checked here), so that the search can start from
it, and the setting still gets a plan, reported as not proven best, when the search finds none.
"""

from __future__ import annotations

from .instance import Instance, grouped
from .registry import pair_points


def greedy_key_persons(inst: Instance) -> dict[str, str] | None:
    """Each child's key person, chosen child by child (the fewest candidates first) among those whose
    caseload cap and key group limit still have room: the current key person when they do, else the one
    with the most points for the pair, then the most room under the cap. None when a child is left with
    nobody (the greedy choice can fail where a plan exists)."""
    pairs = inst.key_pairs
    points = dict(zip(zip(pairs["child"].tolist(), pairs["staff"].tolist(), strict=True),
                      pair_points(pairs).tolist(), strict=True))
    candidates = grouped(pairs, "child", "staff")
    current = inst.current_key_person
    works = {s.id: s.sessions for s in inst.staff}
    limit_groups = inst.setting.rules.key_group_within_ratio
    load: dict[str, int] = {}
    group: dict[tuple[str, str], int] = {}
    chosen: dict[str, str] = {}
    order = sorted(inst.children, key=lambda c: (len(candidates.get(c.id, ())), -inst.caseload_weight(c)))
    for child in order:
        weight = inst.caseload_weight(child)

        def fits(s: str, child=child, weight=weight) -> bool:
            if load.get(s, 0) + weight > inst.cap[s]:
                return False
            return not limit_groups or all(
                group.get((s, t), 0) + inst.share_weight(child, t) <= inst.share_unit
                for t in child.sessions & works[s])

        usable = [s for s in candidates.get(child.id, ()) if fits(s)]
        if not usable:
            return None
        keep = current.get(child.id)
        if keep is not None and keep in usable:
            best = keep
        else:
            best = max(usable, key=lambda s: (points[(child.id, s)], inst.cap[s] - load.get(s, 0), s))
        chosen[child.id] = best
        load[best] = load.get(best, 0) + weight
        for t in child.sessions & works[best]:
            group[(best, t)] = group.get((best, t), 0) + inst.share_weight(child, t)
    return chosen
