"""Why this key person? What the chosen pair brings, and what each strong alternative would cost.

Alternatives are costed by the model, not guessed: the plan is solved again
with the alternative locked in as key person, and the difference in points
(or the rule that makes it impossible) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .planner import plan
from .registry import pair_points
from .report import reason
from .result import Result
from .setting import Lock, Setting, replace


@dataclass
class Alternative:
    staff: str
    name: str
    shared: int
    cost: int | None  # points lost against the plan; None when no plan has them as key person
    note: str


@dataclass
class Explanation:
    child: str
    result: Result
    why: str
    alternatives: list[Alternative] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        s = self.result.setting
        c = s.child(self.child)
        kp, cw = s.member(self.result.key_person[c.id]), s.member(self.result.co_worker[c.id])
        lines = [f"{c.id} ({self.result.instance.room_of[c.id]}): key person {kp.name} ({kp.id}), "
                 f"co-worker {cw.name} ({cw.id}).", f"  Why: {self.why}"]
        for a in self.alternatives:
            lines.append(f"  Not {a.name} ({a.staff}): {a.note}")
        for e in self.excluded:
            lines.append(f"  Can't be key person: {e}")
        return "\n".join(lines)


def explain(setting: Setting, child_id: str, on: date | None = None, *, base: Result | None = None,
            alternatives: int = 3, time_limit: float = 20.0) -> Explanation:
    """Explain ``child_id``'s key person in the optimal plan for ``setting``."""
    base = base or plan(setting, on, time_limit=time_limit, room_moves=False)
    if not base.status.has_plan:
        raise ValueError("there is no plan to explain")
    inst = base.instance
    child = setting.child(child_id)
    chosen = base.key_person[child_id]
    pairs = inst.key_pairs[inst.key_pairs["child"] == child_id].copy()
    points = pair_points(pairs)
    pairs = pairs.assign(points=points).sort_values(["points", "tie_break"], ascending=[False, True])
    out = Explanation(child_id, base, reason(base, child_id))
    load = base.caseloads.set_index("Staff ID")
    for _, row in pairs[pairs["staff"] != chosen].head(alternatives).iterrows():
        member = setting.member(row["staff"])
        forced = replace(setting, locks=tuple(k for k in setting.locks
                                              if not (k.child == child_id and k.role == "key person"))
                         + (Lock(child_id, member.id, "key person", "must", "explain"),))
        # only whether it plans, and its score
        alt = plan(forced, inst.on, time_limit=time_limit, diagnose=False, room_moves=False)
        if alt.interrupted:
            raise KeyboardInterrupt  # an alternative half-costed would be a wrong answer
        n = len(child.sessions)
        first = member.name.split()[0]
        works = f"{first} works {row['shared']} of the child's {n} sessions"
        at_cap = load.loc[member.id, "Weighted load"] >= load.loc[member.id, "Cap"]
        cap_note = f" and already has {load.loc[member.id, 'Weighted load']} key children, their cap" if at_cap else ""
        if alt.status.has_plan:
            cost = base.objective - alt.objective
            note = f"{works}{cap_note}; choosing them costs {cost} points across the plan"
            out.alternatives.append(Alternative(member.id, member.name, int(row["shared"]), cost, note))
        else:
            note = f"{works}{cap_note}; no plan keeping every rule can have them as key person"
            out.alternatives.append(Alternative(member.id, member.name, int(row["shared"]), None, note))
    eligible = set(pairs["staff"])
    for member in inst.staff:
        if member.room == inst.room_of[child_id] and member.id not in eligible:
            out.excluded.append(f"{member.name} ({member.id}) {inst.key_person_exclusion(child, member)}")
    return out
