"""Why this key person and this co-worker? What each brings, and what each strong alternative would cost.

Alternatives are costed by the model, not guessed: the plan is solved again
with the alternative locked in as key person (or co-worker), and the
difference in points (or the rule that makes it impossible) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import report
from .planner import plan
from .registry import pair_points
from .report import locked_in, reason
from .result import Result, Status
from .setting import Lock, Setting, replace
from .words import TIE_BREAK, TIE_BREAK_LARGE, called, covers, plural


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
    co_why: str = ""
    co_alternatives: list[Alternative] = field(default_factory=list)
    co_excluded: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        s = self.result.setting
        c = s.child(self.child)
        kp, cw = s.member(self.result.key_person[c.id]), s.member(self.result.co_worker[c.id])
        lines = [f"{c.label}, {self.result.instance.room_of[c.id]}: key person {kp.label}, co-worker {cw.label}.",
                 f"  Why: {self.why}"]
        for a in self.alternatives:
            lines.append(f"  Not {a.name} ({a.staff}): {a.note}")
        for e in self.excluded:
            lines.append(f"  Can't be key person: {e}")
        lines.append(f"  Co-worker: {self.co_why}")
        for a in self.co_alternatives:
            lines.append(f"  Not {a.name} ({a.staff}) as co-worker: {a.note}")
        for e in self.co_excluded:
            lines.append(f"  Can't be co-worker: {e}")
        if self.ties:
            lines.append(f"  Tie-break: {self.tie_break}.")
        return "\n".join(lines)

    @property
    def tie_break(self) -> str:
        """How the plan chose among equal plans: the tie-break weights, unless a large room's plan came from
        HiGHS's search (proven best, but not by the weights)."""
        r = self.result
        return TIE_BREAK_LARGE if r.status is Status.OPTIMAL and not r.tie_break_proven else TIE_BREAK

    @property
    def ties(self) -> bool:
        """Whether an alternative scores the same points as the plan (the tie-break then says why not them)."""
        return any(a.cost == 0 for a in (*self.alternatives, *self.co_alternatives))


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
    caseloads = report.caseloads(base)
    held = dict(zip(caseloads["Staff ID"], caseloads["Weighted load"], strict=True))
    cap = dict(zip(caseloads["Staff ID"], caseloads["Cap"], strict=True))
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
        first, kept = called(member, setting.member(chosen))
        works = f"{first} works {row['shared']} of the child's {n} sessions"
        at_cap = held[member.id] >= cap[member.id]
        cap_note = f" and already has a full caseload ({held[member.id]} of {cap[member.id]} places)" if at_cap else ""
        cost, said = costed(base, alt, kept, "key person")
        out.alternatives.append(Alternative(member.id, member.name, int(row["shared"]), cost,
                                            f"{works}{cap_note}; {said}"))
    eligible = set(pairs["staff"])
    for member in inst.staff:
        if member.room == inst.room_of[child_id] and member.id not in eligible:
            out.excluded.append(f"{member.name} ({member.id}) {inst.key_person_exclusion(child, member)}")
    _explain_co_worker(out, alternatives, time_limit)
    return out


def _explain_co_worker(out: Explanation, alternatives: int, time_limit: float) -> None:
    """The co-worker's reasons, the strongest other co-workers (most points with this key person), each
    costed by planning with them locked in as co-worker, and who can't be co-worker and why."""
    base, child_id = out.result, out.child
    inst, setting = base.instance, base.setting
    child = setting.child(child_id)
    kp, cw = setting.member(base.key_person[child_id]), setting.member(base.co_worker[child_id])
    load = report.caseloads(base).set_index("Staff ID")
    out.co_why = co_worker_reason(base, child_id)
    pairs = inst.co_pairs[(inst.co_pairs["child"] == child_id) & ~inst.co_pairs["staff"].isin([kp.id, cw.id])]
    gaps = child.sessions - kp.sessions
    covering = {s: len(gaps & setting.member(s).sessions) for s in pairs["staff"]}
    ranked = sorted(pairs["staff"], key=lambda s: (-covering[s], -len(child.sessions & setting.member(s).sessions),
                                                   setting.staff_index[s]))
    for sid in ranked[:alternatives]:
        member = setting.member(sid)
        forced = replace(setting, locks=tuple(k for k in setting.locks
                                              if not (k.child == child_id and k.role == "co-worker"))
                         + (Lock(child_id, sid, "co-worker", "must", "explain"),))
        alt = plan(forced, inst.on, time_limit=time_limit, diagnose=False)
        (first, kp_first, kept), shared = called(member, kp, cw), len(child.sessions & member.sessions)
        works = f"{first} works {shared} of the child's {len(child.sessions)} sessions"
        if gaps:
            works += f" and {covers(covering[sid], len(gaps), kp_first)}"
        full = load.loc[sid, "Co-worker for"] >= load.loc[sid, "Co-worker cap"]
        if full:
            works += (f", and is already co-worker for {plural(load.loc[sid, 'Co-worker for'], 'child', 'children')}, "
                      "their cap")
        cost, said = costed(base, alt, kept, "co-worker")
        out.co_alternatives.append(Alternative(sid, member.name, shared, cost, f"{works}; {said}"))
    eligible = set(inst.co_pairs.loc[inst.co_pairs["child"] == child_id, "staff"])
    for member in inst.staff:
        if member.room == inst.room_of[child_id] and member.id not in eligible:
            out.co_excluded.append(f"{member.name} ({member.id}) {inst.co_worker_exclusion(child, member)}")


def costed(base: Result, alt: Result, chosen: str, role: str) -> tuple[int | None, str]:
    """What an alternative costs against the plan (``alt`` is the plan with it locked in), and that in words:
    points lost, the same points (then the tie-break kept ``chosen``, as the sentence calls them), or no plan
    at all."""
    if not alt.status.has_plan:
        return None, f"no plan keeping every rule can have them as {role}"
    assert base.objective is not None and alt.objective is not None  # both have a plan
    cost = base.objective - alt.objective
    unproven = "" if alt.status is Status.OPTIMAL else " (that plan was not proven best in the time allowed)"
    if cost > 0:
        return cost, f"choosing them costs {cost} points across the plan{unproven}"
    if cost < 0:  # only when this plan is not proven best
        return cost, (f"a plan with them scores {-cost} points more: this plan is not yet proven best, so plan "
                      "again with more time")
    return 0, f"a plan with them scores the same points{unproven}, and the tie-break keeps {chosen}"


def co_worker_reason(result: Result, child_id: str) -> str:
    """A sentence on why this co-worker: what they bring to the child, beside the key person."""
    s = result.setting
    c = s.child(child_id)
    kp, cw = s.member(result.key_person[child_id]), s.member(result.co_worker[child_id])
    (first, kp_first), n = called(cw, kp), len(c.sessions)
    gaps = c.sessions - kp.sessions
    parts = [f"{first} works {len(c.sessions & cw.sessions)} of the child's {n} sessions"]
    if gaps:
        parts.append(covers(len(gaps & cw.sessions), len(gaps), kp_first))
    locked = locked_in(result, child_id, cw.id, "co-worker", first)
    if locked:
        parts.append(locked)
    if c.co_worker == cw.id and c.sessions & cw.sessions:
        parts.append("already their co-worker, kept")
    mine = report.caseloads(result).set_index("Staff ID").to_dict("index")[cw.id]
    parts.append(f"co-worker for {plural(mine['Co-worker for'], 'child', 'children')} "
                 f"(fair share {mine['Co-worker fair share']}, cap {mine['Co-worker cap']})")
    return "; ".join(parts) + "."
