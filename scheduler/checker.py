"""Check a plan against every hard rule and recompute its objective, in plain Python.

This is a second, deliberately naive implementation of the rules in the
README, written from the :class:`Setting` alone (not from the model's tables),
so tests can hold the CP-SAT model to it: every solve is checked here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from .setting import Setting

TERMS = ("overlap", "coverage", "attachment", "continuity", "co_worker_continuity", "successor", "siblings",
         "language", "sen_support_trained", "caseload_balance", "session_balance")


@dataclass
class Evaluation:
    """A plan's objective, term by term (points; higher is better), and any hard-rule violations."""

    terms: dict[str, int]
    violations: list[str] = field(default_factory=list)

    @property
    def objective(self) -> int:
        return sum(self.terms.values())

    @property
    def ok(self) -> bool:
        return not self.violations


def evaluate(setting: Setting, on: date, key_person: dict[str, str], co_worker: dict[str, str],
             max_changes: int | None = None) -> Evaluation:
    """Recompute ``key_person``/``co_worker`` (child ID -> staff ID) against ``setting`` on ``on``."""
    rules = setting.rules
    bad: list[str] = []
    staff = {s.id: s for s in setting.staff}
    children = [c for c in setting.children if c.leaves is None or c.leaves >= on]

    def ratio_of(room: str) -> int:
        explicit = setting.room(room).ratio
        if explicit is not None:
            return explicit
        ages = [on.year - c.date_of_birth.year - ((on.month, on.day) < (c.date_of_birth.month, c.date_of_birth.day))
                for c in children if c.room_on(on) == room and c.date_of_birth]
        youngest = min(ages) if ages else 3
        return 3 if youngest < 2 else 5 if youngest < 3 else 8

    def cap_of(sid: str) -> int:
        s = staff[sid]
        if s.max_key_children is not None:
            return s.max_key_children
        if setting.room(s.room).max_key_children is not None:
            return setting.room(s.room).max_key_children
        if rules.max_key_children is not None:
            return rules.max_key_children
        r = ratio_of(s.room)
        return 4 if r <= 3 else 6 if r <= 5 else 8

    def heavy(c) -> bool:
        return c.sen == "EHCP" or c.support_ratio is not None

    def employed(s) -> bool:
        return (s.starts is None or s.starts <= on) and (s.leaves is None or s.leaves >= on)

    # -- hard rules ---------------------------------------------------------
    for c in children:
        room = c.room_on(on)
        kp, cw = key_person.get(c.id), co_worker.get(c.id)
        if kp is None or kp not in staff:
            bad.append(f"{c.id} has no key person")
            continue
        if cw is None or cw not in staff:
            bad.append(f"{c.id} has no co-worker")
            continue
        if kp == cw:
            bad.append(f"{c.id}: key person and co-worker are both {kp}")
        k, w = staff[kp], staff[cw]
        if k.room != room:
            bad.append(f"{c.id}: key person {kp} works in {k.room}, not {room}")
        if w.room != room and not rules.co_workers_from_other_rooms:
            bad.append(f"{c.id}: co-worker {cw} works in {w.room}, not {room}")
        if not k.can_be_key_person:
            bad.append(f"{c.id}: {kp} can't be a key person")
        if rules.co_worker_must_be_key_person_eligible and not w.can_be_key_person:
            bad.append(f"{c.id}: co-worker {cw} can't be a key person")
        for who, s in (("key person", k), ("co-worker", w)):
            if not employed(s):
                bad.append(f"{c.id}: {who} {s.id} is not employed on {on}")
        needs = rules.ehcp_needs_sen_trained if heavy(c) else (
            c.sen == "SEN support" and rules.sen_support_needs_sen_trained)
        if needs and not k.sen_trained:
            bad.append(f"{c.id}: key person {kp} is not SEN trained")
        for lock in setting.locks:
            if lock.child != c.id:
                continue
            chosen = kp if lock.role == "key person" else cw
            if (lock.rule == "must") != (chosen == lock.staff):
                bad.append(f"{c.id}: lock {lock.rule} {lock.staff} as {lock.role} broken ({chosen})")
    planned = {c.id for c in children}
    loads: dict[str, int] = {}
    co_counts: dict[str, int] = {}
    for c in children:
        if c.id in key_person:
            loads[key_person[c.id]] = loads.get(key_person[c.id], 0) + (rules.sen_caseload_weight if heavy(c) else 1)
        if c.id in co_worker:
            co_counts[co_worker[c.id]] = co_counts.get(co_worker[c.id], 0) + 1
    for sid, load in loads.items():
        if sid in staff and load > cap_of(sid):
            bad.append(f"{sid}: weighted caseload {load} over cap {cap_of(sid)}")
    for sid, n in co_counts.items():
        limit = rules.max_co_worker_children if rules.max_co_worker_children is not None else cap_of(sid)
        if sid in staff and n > limit:
            bad.append(f"{sid}: co-worker for {n} children, over {limit}")
    present: dict[tuple[str, str], int] = {}  # (staff, session) -> weighted key children present
    for c in children:
        kp = key_person.get(c.id)
        if kp not in staff:
            continue
        ratio = ratio_of(staff[kp].room)
        weight = 1 if c.support_ratio is None else max(1, math.ceil(ratio / c.support_ratio))
        for t in c.sessions:
            present[(kp, t)] = present.get((kp, t), 0) + weight
    for (sid, t), load in present.items():
        if load > ratio_of(staff[sid].room):
            bad.append(f"{sid}: {load} weighted key children present in {t}, over 1:{ratio_of(staff[sid].room)}")
    if max_changes is not None:
        changes = sum(1 for c in children if c.key_person in staff and employed(staff[c.key_person])
                      and key_person.get(c.id) != c.key_person)
        if changes > max_changes:
            bad.append(f"{changes} key-person changes, over the limit of {max_changes}")
    extra = set(key_person) - planned
    if extra:
        bad.append(f"plan names children not on roll: {sorted(extra)}")

    # -- objective ----------------------------------------------------------
    terms = dict.fromkeys(TERMS, 0)
    bonds = {}
    for a in setting.attachments:
        bonds[(a.child, a.staff)] = max(bonds.get((a.child, a.staff), 0), a.strength)
    for c in children:
        kp, cw = key_person.get(c.id), co_worker.get(c.id)
        if kp not in staff or cw not in staff:
            continue
        n = len(c.sessions)
        shared = len(c.sessions & staff[kp].sessions)
        if n:
            terms["overlap"] += math.floor(rules.weight_overlap * shared / n + 0.5)
        covered = sum(1 for t in c.sessions if t in staff[kp].sessions or t in staff[cw].sessions)
        terms["coverage"] += rules.weight_coverage * covered
        terms["attachment"] += rules.weight_attachment * bonds.get((c.id, kp), 0)
        terms["continuity"] += rules.weight_continuity * (kp == c.key_person)
        terms["co_worker_continuity"] += rules.weight_co_worker_continuity * (cw == c.co_worker)
        left = c.key_person is not None and (c.key_person not in staff or not employed(staff[c.key_person]))
        terms["successor"] += rules.weight_successor * (left and kp == c.co_worker)
        if c.home_language and any(x.casefold() == c.home_language.casefold() for x in staff[kp].languages):
            terms["language"] += rules.weight_language
        if c.sen == "SEN support" and staff[kp].sen_trained:
            terms["sen_support_trained"] += rules.weight_sen_support_trained
    groups: dict[str, list[str]] = {}
    for c in children:
        if c.sibling_group:
            groups.setdefault(" ".join(c.sibling_group.casefold().split()), []).append(c.id)
    for ids in groups.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if key_person.get(a) is not None and key_person.get(a) == key_person.get(b):
                    terms["siblings"] += rules.weight_siblings
    # balance: load above a fair share (room load pro rata to sessions worked), and busiest per session
    for room in setting.rooms:
        members = [s for s in setting.staff if s.room == room.name and s.can_be_key_person and employed(s)
                   and any(_eligible_key(setting, on, c, s, cap_of(s.id)) for c in children)]
        room_load = sum(rules.sen_caseload_weight if heavy(c) else 1 for c in children if c.room_on(on) == room.name)
        worked = sum(len(s.sessions) for s in members)
        for s in members:
            fair = math.ceil(room_load * len(s.sessions) / worked) if worked else room_load
            terms["caseload_balance"] -= rules.weight_caseload_balance * max(0, loads.get(s.id, 0) - fair)
        for t in setting.sessions:
            busiest = max((present.get((s.id, t.name), 0) for s in members), default=0)
            terms["session_balance"] -= rules.weight_session_balance * busiest
    return Evaluation(terms, bad)


def _eligible_key(setting: Setting, on: date, c, s, cap: int) -> bool:
    """Whether ``s`` could be ``c``'s key person at all (who takes part in the balance terms)."""
    heavy = c.sen == "EHCP" or c.support_ratio is not None
    if c.room_on(on) != s.room or cap < (setting.rules.sen_caseload_weight if heavy else 1):
        return False
    needs = setting.rules.ehcp_needs_sen_trained if heavy else (
        c.sen == "SEN support" and setting.rules.sen_support_needs_sen_trained)
    if needs and not s.sen_trained:
        return False
    for lock in setting.locks:
        if lock.child == c.id and lock.role == "key person":
            if (lock.rule == "must not" and lock.staff == s.id) or (lock.rule == "must" and lock.staff != s.id):
                return False
    return True
