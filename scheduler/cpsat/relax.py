"""The smallest change to the workbook that makes a plan possible, found by a slack model.

Where :mod:`.diagnose` says which rules clash, this says by how much to move
them. The model keeps every child's key person and co-worker and the key
group limit hard, and lets the manager's own limits give, each at a price:

* a practitioner's Max key children may rise (1 point per child; when the
  Rules set no Max co-worker children, the same rise lifts the co-worker cap,
  as the workbook does);
* the Rules' Max co-worker children may rise (1 point per child);
* an untrained practitioner may be marked SEN trained (2 points);
* a lock may be removed (3 points).

The cheapest combination is the answer; ties go to practitioners and locks
earlier in the workbook (a tie-break term inside the model, so the answer is
the same every run). Up to two alternatives follow, each avoiding every change
the earlier answers made. Each answer is applied to the setting and planned
before it is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from ortools.sat.python import cp_model

from ..instance import Instance
from ..registry import HARD_RULES
from ..setting import Setting
from ..words import lock_removal
from . import constraints
from .solving import new_solver, run_or_raise
from .variables import Variables

COST = {"cap": 1, "co-worker cap": 1, "train": 2, "unlock": 3}


@dataclass(frozen=True)
class Change:
    """One edit to the workbook: ``kind`` is a key of :data:`COST`."""

    kind: str
    staff: str = ""  # the practitioner's ID ("cap", "train"); "" for the Rules' co-worker cap and a lock
    old: int = 0
    new: int = 0
    lock: int = -1  # the lock's index on the Locks sheet ("unlock")

    def sentence(self, setting: Setting) -> str:
        if self.kind == "cap":
            m = setting.member(self.staff)
            row = f", Staff row {m.row}" if m.row else ""
            return f"raise {m.name}'s Max key children ({m.id}{row}) from {self.old} to {self.new}"
        if self.kind == "co-worker cap":
            return f"raise the Rules' Max co-worker children from {self.old} to {self.new}"
        if self.kind == "train":
            m = setting.member(self.staff)
            return f"mark one more {m.room} practitioner SEN trained (for example {m.label})"
        return lock_removal(setting, setting.locks[self.lock])


@dataclass(frozen=True)
class Relaxation:
    changes: tuple[Change, ...]

    def apply(self, setting: Setting) -> Setting:
        """``setting`` with these changes made (the workbook a manager would get by making them)."""
        staff = {m.id: m for m in setting.staff}
        rules = setting.rules
        dropped: set[int] = set()
        for ch in self.changes:
            if ch.kind == "cap":
                staff[ch.staff] = dc_replace(staff[ch.staff], max_key_children=ch.new)
            elif ch.kind == "train":
                staff[ch.staff] = dc_replace(staff[ch.staff], sen_trained=True)
            elif ch.kind == "co-worker cap":
                rules = dc_replace(rules, max_co_worker_children=ch.new)
            else:
                dropped.add(ch.lock)
        locks = tuple(x for i, x in enumerate(setting.locks) if i not in dropped)
        return dc_replace(setting, staff=tuple(staff[m.id] for m in setting.staff), rules=rules, locks=locks)

    def sentence(self, setting: Setting) -> str:
        caps = [c for c in self.changes if c.kind == "cap"]
        parts = [c.sentence(setting) for c in self.changes if c.kind != "cap"]
        if len(caps) == 1:
            parts.insert(0, caps[0].sentence(setting))
        elif caps:
            each = []
            for c in caps:
                m = setting.member(c.staff)
                each.append(f"{m.name} ({m.id}{f', row {m.row}' if m.row else ''}) from {c.old} to {c.new}")
            parts.insert(0, "raise Max key children on the Staff sheet for " + ", ".join(each))
        return " and ".join(parts)


def smallest_relaxations(inst: Instance, max_changes: int | None = None, time_limit: float = 10.0,
                         alternatives: int = 2) -> list[Relaxation]:
    """The cheapest changes that make ``inst`` plannable, then up to ``alternatives`` others, each checked
    by planning the changed setting; empty when none is found in ``time_limit`` seconds."""
    deadline = time.monotonic() + time_limit
    model = _SlackModel(dc_replace(inst, relaxed=True, max_changes=max_changes if max_changes is not None
                                   else inst.max_changes))
    found: list[Relaxation] = []
    while len(found) <= alternatives:
        relaxation = model.solve(deadline - time.monotonic())
        if relaxation is None or not relaxation.changes:
            break
        if _plannable(inst, relaxation, max_changes, deadline - time.monotonic()):
            found.append(relaxation)
        model.forbid(relaxation)
    return found


def _plannable(inst: Instance, relaxation: Relaxation, max_changes: int | None, time_limit: float) -> bool:
    from ..precheck import prechecks
    from .cpmodel import CPModel

    changed = Instance.build(relaxation.apply(inst.setting), inst.on, inst.until)
    if prechecks(changed) or time_limit <= 0:
        return False
    model = CPModel(changed, max_changes=max_changes).model
    model.clear_objective()  # any plan proves the point
    return run_or_raise(new_solver(time_limit), model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class _SlackModel:
    """Every hard rule: the registry's relaxable ones with a priced slack on each limit a manager could
    change (:data:`SLACK`), the rest kept hard."""

    def __init__(self, inst: Instance):
        self.inst = inst
        s = inst.setting
        m = self.model = cp_model.CpModel()
        self.v = v = Variables.build(m, inst)
        constraints.add_hard_rules(m, inst, v, rules=[r for r in HARD_RULES if r.relax is None])
        self.slack: dict[Change, cp_model.IntVar] = {}  # a change (``new`` unset) -> how far it goes
        self.tie: dict[Change, int] = {}  # a change -> its tie-break weight per unit (earlier in the workbook: less)
        self.order = {x.id: i + 1 for i, x in enumerate(s.staff)}
        self.weight = {c.id: inst.caseload_weight(c) for c in inst.children}
        self.spread: list[tuple[cp_model.IntVar, int]] = []  # squared cap rises: among equally small totals,
        # prefer rises spread over several people
        self.co_lifted: set[str] = set()  # co-worker caps lifted with the practitioner's own cap
        self.co_loads = constraints.term_co_worker_children(v, m)  # a co-worker from a handover counts too
        for rule in HARD_RULES:
            if rule.relax is not None:
                SLACK[rule.relax](self)
        # Lexicographic: cost, then spread, then the workbook order; each weight outweighs all below it.
        total = sum(self.weight.values())
        cost = sum(COST[ch.kind] * var for ch, var in self.slack.items())
        ties = sum(self.tie[ch] * var for ch, var in self.slack.items())
        ties_most = sum(self.tie[ch] * (total if ch.kind in ("cap", "co-worker cap") else 1) for ch in self.slack) + 1
        spread_most = (sum(most for _, most in self.spread) + 1) * ties_most
        m.minimize(spread_most * cost + ties_most * sum(x for x, _ in self.spread) + ties)

    def _cap_rises(self) -> None:
        """A practitioner's Max key children may rise; with no Rules co-worker cap it lifts theirs too."""
        m, inst, v = self.model, self.inst, self.v
        co_by_staff = self.co_loads
        lift_co = inst.setting.rules.max_co_worker_children is None
        for sid, pairs in constraints.term_key_children(v).items():  # a successor counts the child too
            most_needed = sum(self.weight[c] for c, _ in pairs)
            raise_by = m.new_int_var(0, most_needed, f"raise_cap[{sid}]")
            ch = Change("cap", sid, inst.cap[sid])
            self.slack[ch], self.tie[ch] = raise_by, self.order[sid]
            squared = m.new_int_var(0, most_needed ** 2, f"raise_cap_squared[{sid}]")
            m.add_multiplication_equality(squared, [raise_by, raise_by])
            self.spread.append((squared, most_needed ** 2))
            load = cp_model.LinearExpr.weighted_sum([var for _, var in pairs], [self.weight[c] for c, _ in pairs])
            m.add(load <= inst.cap[sid] + raise_by)
            if lift_co and sid in co_by_staff:
                m.add(sum(co_by_staff[sid]) <= inst.co_cap[sid] + raise_by)
                self.co_lifted.add(sid)

    def _co_cap_rises(self) -> None:
        """The Rules' Max co-worker children may rise; without it, each co-worker cap not lifted with the
        practitioner's own cap (co-workers who can't be key persons) is kept."""
        m, inst = self.model, self.inst
        rule_co_cap = inst.setting.rules.max_co_worker_children
        raise_co = None
        if rule_co_cap is not None:
            raise_co = m.new_int_var(0, len(inst.children), "raise_co_worker_cap")
            ch = Change("co-worker cap", "", rule_co_cap)
            self.slack[ch], self.tie[ch] = raise_co, 0
        for sid, variables in self.co_loads.items():
            if sid not in self.co_lifted:
                m.add(sum(variables) <= inst.co_cap[sid] + (raise_co if raise_co is not None else 0))

    def _training(self) -> None:
        """An untrained practitioner may be marked SEN trained."""
        trained: dict[str, cp_model.IntVar] = {}
        for _, sid, var in constraints.sen_untrained_pairs(self.inst, self.v):
            if sid not in trained:
                trained[sid] = self.model.new_bool_var(f"train[{sid}]")
                ch = Change("train", sid, 0, 1)
                self.slack[ch], self.tie[ch] = trained[sid], self.order[sid]
            self.model.add_implication(var, trained[sid])

    def _unlocking(self) -> None:
        """A lock may be removed."""
        def unlock(group: tuple) -> list[cp_model.LiteralT]:
            ch = Change("unlock", lock=group[1], new=1)
            self.slack[ch] = self.model.new_bool_var(f"unlock[{group[1]}]")
            self.tie[ch] = len(self.inst.setting.staff) + group[1] + 1
            return [self.slack[ch].Not()]

        constraints.locks_kept(self.model, self.inst, self.v, unlock)

    def solve(self, time_limit: float) -> Relaxation | None:
        if time_limit <= 0:
            return None
        solver = new_solver(time_limit, workers=1)  # one thread: the same answer every run
        if run_or_raise(solver, self.model) != cp_model.OPTIMAL:
            return None
        changes = []
        for ch, var in self.slack.items():
            by = solver.value(var)
            if by:
                changes.append(dc_replace(ch, new=ch.old + by) if ch.kind in ("cap", "co-worker cap") else ch)
        return Relaxation(tuple(changes))

    def forbid(self, relaxation: Relaxation) -> None:
        """Later answers may not use any change this one made (nor train anyone else in the same room:
        "mark one more Toddlers practitioner SEN trained" is one answer, whoever it is)."""
        s = self.inst.setting
        rooms = {s.member(ch.staff).room for ch in relaxation.changes if ch.kind == "train"}
        for ch, var in self.slack.items():
            used = any((ch.kind, ch.staff, ch.lock) == (x.kind, x.staff, x.lock) for x in relaxation.changes)
            if used or (ch.kind == "train" and s.member(ch.staff).room in rooms):
                self.model.add(var == 0)


# The registry's relax kinds -> the slack each adds (in the registry's order: a cap rise before the co-worker cap).
SLACK: dict[str, Callable[[_SlackModel], None]] = {
    "cap": _SlackModel._cap_rises, "co-worker cap": _SlackModel._co_cap_rises,
    "train": _SlackModel._training, "unlock": _SlackModel._unlocking,
}
