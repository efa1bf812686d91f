"""Check a plan against every hard rule and recompute its objective, in plain Python.

This is a second, deliberately naive implementation of the rules in the
README, written from the :class:`Setting` alone (not from the model's tables
or the instance's pair lists), so tests can hold the CP-SAT model to it: every
solve is checked here. The registry (:mod:`scheduler.registry`) names, for each
hard rule and soft term, the function below that checks or scores it; nothing
here is derived from the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from .registry import HARD_RULES, SOFT_TERMS, TERMS
from .setting import Child, Setting, Staff

if TYPE_CHECKING:
    from .result import Result

__all__ = ["TERMS", "Evaluation", "Violation", "evaluate", "evaluate_result"]


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: the registry's name for it, and what exactly is wrong."""

    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


@dataclass
class Evaluation:
    """A plan's objective, term by term (points; higher is better), and any hard-rule violations."""

    terms: dict[str, int]
    violations: list[Violation] = field(default_factory=list)

    @property
    def objective(self) -> int:
        return sum(self.terms.values())

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def broken(self) -> set[str]:
        """The names of the hard rules the plan breaks."""
        return {v.rule for v in self.violations}


def evaluate(setting: Setting, on: date, key_person: dict[str, str], co_worker: dict[str, str],
             max_changes: int | None = None, *, until: date | None = None,
             successor: dict[str, str] | None = None, next_co_worker: dict[str, str] | None = None) -> Evaluation:
    """Recompute ``key_person``/``co_worker`` (child ID -> staff ID) against ``setting`` from ``on`` to the
    term's end ``until`` (default ``on`` alone), with the ``successor`` and ``next_co_worker`` of each child
    whose key person leaves within the term (from the day after the leaving date)."""
    p = Plan(setting, on, key_person, co_worker, max_changes, until or on, successor or {}, next_co_worker or {})
    checks = globals()
    bad = [Violation(r.name, detail) for r in HARD_RULES for detail in checks[r.check](p)]
    return Evaluation({t.name: checks[t.check](p) for t in SOFT_TERMS}, bad)


def evaluate_result(result: Result) -> Evaluation:
    """:func:`evaluate` of a solve's plan (every term 0, nothing broken, when it has none)."""
    if not result.status.has_plan:
        return Evaluation(dict.fromkeys(TERMS, 0), [])
    return evaluate(result.setting, result.on, result.key_person, result.co_worker, result.max_changes,
                    until=result.instance.until, successor=result.successor, next_co_worker=result.next_co_worker)


@dataclass
class Plan:
    """A plan with the facts of the setting the checks need, each recomputed from the sheets."""

    setting: Setting
    on: date
    key_person: dict[str, str]
    co_worker: dict[str, str]
    max_changes: int | None = None
    until: date | None = None  # the term's last day
    successor: dict[str, str] = field(default_factory=dict)
    next_co_worker: dict[str, str] = field(default_factory=dict)

    def first_day(self, c: Child) -> date:
        """The child's first day in the plan: the plan date, or their Starts date if later."""
        return max(self.on, c.starts) if c.starts else self.on

    def last_day(self, c: Child) -> date:
        """The child's last day in the plan: the term's end, or their Leaves date if sooner, or the day before
        a room move within that (the move is planned on its own date)."""
        end = self.until or self.on
        if c.leaves is not None:
            end = min(end, c.leaves)
        if c.moves_to is not None and c.move_date is not None and self.on < c.move_date <= end:
            end = c.move_date - timedelta(days=1)
        return max(self.first_day(c), end)

    def leaves_early(self, s: Staff, c: Child) -> bool:
        """Whether ``s`` leaves within ``c``'s time in the plan: on or after their first day, before their last."""
        return s.leaves is not None and self.first_day(c) <= s.leaves < self.last_day(c)

    def successor_of(self, c: Child) -> Staff | None:
        """The successor named for ``c``, if any (and on the Staff sheet)."""
        sid = self.successor.get(c.id)
        return self.staff.get(sid) if sid is not None else None

    def carers_on(self, c: Child, k: Staff, w: Staff, day: date) -> tuple[str | None, str | None]:
        """Who is ``c``'s key person and co-worker on ``day``: after a leaving key person's last day, the
        successor and the co-worker from then."""
        if k.leaves is not None and self.leaves_early(k, c) and day > k.leaves:
            return self.successor.get(c.id), self.next_co_worker.get(c.id)
        return k.id, w.id

    def days_of(self, c: Child) -> list[date]:
        """The child's first day, and every later day of the term on which the setting is open and the child
        is on the roll and comes in."""
        end = self.last_day(c)
        out = [self.first_day(c)]
        day = self.first_day(c)
        while day < end:
            day += timedelta(days=1)
            weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
            closed = any(k.first <= day <= k.last for k in self.setting.closed)
            if not closed and any(t.day == weekday and t.name in c.sessions for t in self.setting.sessions):
                out.append(day)
        return out

    @cached_property
    def staff(self) -> dict[str, Staff]:
        return {s.id: s for s in self.setting.staff}

    @cached_property
    def children(self) -> list[Child]:
        """Children on roll on the plan date (new starters included)."""
        return [c for c in self.setting.children if c.leaves is None or c.leaves >= self.on]

    @cached_property
    def assigned(self) -> list[tuple[Child, Staff, Staff]]:
        """(child, key person, co-worker) for each child on roll whose two are both on the Staff sheet."""
        out = []
        for c in self.children:
            kp, cw = self.key_person.get(c.id), self.co_worker.get(c.id)
            if kp in self.staff and cw in self.staff:
                out.append((c, self.staff[kp], self.staff[cw]))
        return out

    def site(self, room: str) -> str:
        """The room's site as the Rooms sheet writes it, case and spacing aside ("" when not given)."""
        return " ".join((self.setting.room(room).site or "").casefold().split())

    def employed(self, s: Staff) -> bool:
        return (s.starts is None or s.starts <= self.on) and (s.leaves is None or s.leaves >= self.on)

    def ratio_of(self, room: str) -> int:
        """The Rooms sheet's ratio, else the statutory one for the youngest child (under 2 1:3, 2 1:5, 3+ 1:8)."""
        explicit = self.setting.room(room).ratio
        if explicit is not None:
            return explicit
        on = self.on
        ages = [on.year - c.date_of_birth.year - ((on.month, on.day) < (c.date_of_birth.month, c.date_of_birth.day))
                for c in self.children if c.room_on(on) == room and c.date_of_birth]
        youngest = min(ages) if ages else 3
        return 3 if youngest < 2 else 5 if youngest < 3 else 8

    def cap_of(self, sid: str) -> int:
        s = self.staff[sid]
        if s.max_key_children is not None:
            return s.max_key_children  # taken as already pro rata
        room_cap = self.setting.room(s.room).max_key_children
        if room_cap is not None:
            full = room_cap
        else:
            r = self.ratio_of(s.room)
            full = 4 if r <= 3 else 6 if r <= 5 else 8
            rules_cap = self.setting.rules.max_key_children
            if rules_cap is not None and rules_cap < full:  # a Rules-wide cap only ever tightens the default
                full = rules_cap
        # Pro-rata caps: times the share of the sessions the room is open (some child of it in) that s works
        open_sessions = {t for c in self.children if c.room_on(self.on) == s.room for t in c.sessions}
        if not self.setting.rules.pro_rata_caps or not open_sessions:
            return full
        return max(1, math.ceil(full * len(open_sessions & s.sessions) / len(open_sessions)))

    def co_cap_of(self, sid: str) -> int:
        rule = self.setting.rules.max_co_worker_children
        return rule if rule is not None else self.cap_of(sid)

    def heavy(self, c: Child) -> bool:
        """An EHCP or a support ratio: counts double and needs an SEN-trained key person."""
        return c.sen == "EHCP" or c.support_ratio is not None

    def needs_trained(self, c: Child) -> bool:
        rules = self.setting.rules
        return rules.ehcp_needs_sen_trained if self.heavy(c) else (
            c.sen == "SEN support" and rules.sen_support_needs_sen_trained)

    def caseload_weight(self, c: Child) -> int:
        return self.setting.rules.sen_caseload_weight if self.heavy(c) else 1

    @cached_property
    def loads(self) -> dict[str, int]:
        """Staff ID -> weighted key children."""
        out: dict[str, int] = {}
        for c in self.children:
            if c.id in self.key_person:
                out[self.key_person[c.id]] = out.get(self.key_person[c.id], 0) + self.caseload_weight(c)
        return out

    @cached_property
    def term_loads(self) -> dict[str, int]:
        """Staff ID -> weighted key children over the term: a successor counts the child too."""
        out = dict(self.loads)
        for c in self.children:
            if c.id in self.successor:
                out[self.successor[c.id]] = out.get(self.successor[c.id], 0) + self.caseload_weight(c)
        return out

    @cached_property
    def present(self) -> dict[tuple[str, str], int]:
        """(staff, session they work) -> caseload-weighted key children present."""
        out: dict[tuple[str, str], int] = {}
        for c, k, _ in self.assigned:
            for t in c.sessions & k.sessions:
                out[(k.id, t)] = out.get((k.id, t), 0) + self.caseload_weight(c)
        return out

    def age(self, c: Child) -> int | None:
        born = c.date_of_birth
        if born is None:
            return None
        return self.on.year - born.year - ((self.on.month, self.on.day) < (born.month, born.day))

    def share(self, c: Child, session: str) -> Fraction:
        """The child's share of an adult in ``session``: 1/r at the room's Ratio, else at their own age band
        (under 2 1:3, 2 1:5, 3+ 1:8; without a date of birth the tightest band in the room, 1:3 if nobody
        there has one); 1:13 is 1:8 outside 08:00-16:00 or with no QTS, EYTS or EYPS holder who counts in;
        a support ratio 1:k where tighter."""
        room = c.room_on(self.on)
        band = {0: 3, 1: 3, 2: 5}
        r = self.setting.room(room).ratio
        if r is None:
            ages = [a for o in self.children if o.room_on(self.on) == room and (a := self.age(o)) is not None]
            age = self.age(c)
            if age is None:
                age = min(ages) if ages else 0
            r = band.get(age, 8)
        if r == 13:
            t = next(x for x in self.setting.sessions if x.name == session)
            teacher = any(s.room == room and session in s.sessions and self.employed(s) and s.counts_in_ratio
                          and s.qualification in ("QTS", "EYTS", "EYPS") for s in self.setting.staff)
            if not (teacher and t.start.hour >= 8 and (t.end.hour, t.end.minute) <= (16, 0)):
                r = 8
        if c.support_ratio is not None:
            r = min(r, c.support_ratio)
        return Fraction(1, r)

    def could_be_key_person(self, c: Child, s: Staff) -> bool:
        """Whether ``s`` could be ``c``'s key person at all (who takes part in the balance terms)."""
        if c.room_on(self.on) != s.room or self.cap_of(s.id) < self.caseload_weight(c) or not s.checks_complete:
            return False
        if not self.employed_from_first_day(s, c):
            return False
        if self.leaves_early(s, c) and s.id != c.key_person:
            return False
        if self.needs_trained(c) and not s.sen_trained:
            return False
        return self.locks_allow(c, s, "key person")

    def employed_from_first_day(self, s: Staff, c: Child) -> bool:
        """Whether ``s`` is employed on ``c``'s first day in the plan."""
        day = self.first_day(c)
        return (s.starts is None or s.starts <= day) and (s.leaves is None or s.leaves >= day)

    def could_be_co_worker(self, c: Child, s: Staff) -> bool:
        """Whether ``s`` could be ``c``'s co-worker at all (who takes part in co-worker balance)."""
        rules = self.setting.rules
        if c.room_on(self.on) != s.room and not rules.co_workers_from_other_rooms:
            return False
        if (rules.co_worker_must_be_key_person_eligible and not s.can_be_key_person) or self.co_cap_of(s.id) < 1:
            return False
        if not s.checks_complete or not self.employed_from_first_day(s, c) or self.leaves_early(s, c):
            return False
        return self.locks_allow(c, s, "co-worker")

    def locks_allow(self, c: Child, s: Staff, role: str) -> bool:
        """Whether the Locks sheet lets ``s`` be ``c``'s ``role`` (no 'must not' them, no 'must' someone else)."""
        for lock in self.setting.locks:
            if lock.child == c.id and lock.role == role:
                if (lock.rule == "must not" and lock.staff == s.id) or (lock.rule == "must" and lock.staff != s.id):
                    return False
        return True

    def balance_members(self, room: str) -> list[Staff]:
        """The room's practitioners who could be someone's key person."""
        return [s for s in self.setting.staff if s.room == room and s.can_be_key_person
                and any(self.could_be_key_person(c, s) for c in self.children)]


# -- hard rules: each yields what is wrong, one sentence per breach ---------------------------------------

def one_key_person_each(p: Plan) -> Iterator[str]:
    for c in p.children:
        if p.key_person.get(c.id) not in p.staff:
            yield f"{c.id} has no key person"
    extra = set(p.key_person) - {c.id for c in p.children}
    if extra:
        yield f"plan names children not on roll: {sorted(extra)}"


def one_co_worker_each(p: Plan) -> Iterator[str]:
    for c in p.children:
        if p.co_worker.get(c.id) not in p.staff:
            yield f"{c.id} has no co-worker"


def co_worker_differs(p: Plan) -> Iterator[str]:
    """On the child's first day and every day of the term they come in, key person and co-worker differ."""
    for c, k, w in p.assigned:
        for day in p.days_of(c):
            carers = p.carers_on(c, k, w, day)
            if carers[0] is not None and carers[0] == carers[1]:
                yield f"{c.id}: key person and co-worker are both {carers[0]} (on {day:%d/%m/%Y})"
                break


def works_in_room(p: Plan) -> Iterator[str]:
    for c, k, w in p.assigned:
        room = c.room_on(p.on)
        if k.room != room:
            yield f"{c.id}: key person {k.id} works in {k.room}, not {room}"
        if w.room != room and not p.setting.rules.co_workers_from_other_rooms:
            yield f"{c.id}: co-worker {w.id} works in {w.room}, not {room}"
        elif p.site(w.room) != p.site(room) and not p.setting.rules.co_workers_from_other_sites:
            yield f"{c.id}: co-worker {w.id} works at site {p.site(w.room)!r}, not {p.site(room)!r}"


def may_be_key_person(p: Plan) -> Iterator[str]:
    for c, k, w in p.assigned:
        if not k.can_be_key_person:
            yield f"{c.id}: {k.id} can't be a key person"
        if p.setting.rules.co_worker_must_be_key_person_eligible and not w.can_be_key_person:
            yield f"{c.id}: co-worker {w.id} can't be a key person"


def employed(p: Plan) -> Iterator[str]:
    """On the child's first day, and on every day of the term they come in, their key person and co-worker
    of that day are employed."""
    for c, k, w in p.assigned:
        for day in p.days_of(c):
            carers = p.carers_on(c, k, w, day)
            for who, sid in zip(("key person", "co-worker"), carers, strict=True):
                s = p.staff.get(sid) if sid is not None else None
                if s is None or not ((s.starts is None or s.starts <= day) and (s.leaves is None or s.leaves >= day)):
                    yield f"{c.id}: {who} {sid} is not employed on {day}"


def no_new_children_for_leavers(p: Plan) -> Iterator[str]:
    for c, k, w in p.assigned:
        if p.leaves_early(k, c) and k.id != c.key_person:
            yield f"{c.id}: new key person {k.id} leaves on {k.leaves}, before the child's last day {p.last_day(c)}"
        if p.leaves_early(w, c):
            yield f"{c.id}: co-worker {w.id} leaves on {w.leaves}, before the child's last day {p.last_day(c)}"


def successor_from_leaving(p: Plan) -> Iterator[str]:
    """A key person leaving before the child's last day: a successor and a co-worker from the next day, each
    allowed to be (room, role, SEN, must-not locks, employed to the child's last day), different people,
    the co-worker kept unless they are the successor. Nobody else has a successor."""
    rules = p.setting.rules
    for c, k, w in p.assigned:
        sid, nid = p.successor.get(c.id), p.next_co_worker.get(c.id)
        if not p.leaves_early(k, c):
            if sid is not None or nid is not None:
                yield f"{c.id}: a successor is named though key person {k.id} stays"
            continue
        if sid not in p.staff or nid not in p.staff:
            yield f"{c.id}: key person {k.id} leaves on {k.leaves} but no successor and co-worker follow"
            continue
        assert k.leaves is not None  # leaves_early
        start, end = k.leaves + timedelta(days=1), p.last_day(c)
        s, n = p.staff[sid], p.staff[nid]
        if sid == nid:
            yield f"{c.id}: successor and co-worker are both {sid}"
        if s.room != c.room_on(p.on) or not s.can_be_key_person:
            yield f"{c.id}: successor {sid} can't be the key person in {c.room_on(p.on)}"
        if p.needs_trained(c) and not s.sen_trained:
            yield f"{c.id}: successor {sid} is not SEN trained"
        for who, m in (("successor", s), ("co-worker from the handover", n)):
            if not m.checks_complete:
                yield f"{c.id}: {who} {m.id}'s DBS and reference checks are not complete"
        if n.room != c.room_on(p.on) and not rules.co_workers_from_other_rooms:
            yield f"{c.id}: co-worker {nid} from the handover works in {n.room}"
        if rules.co_worker_must_be_key_person_eligible and not n.can_be_key_person:
            yield f"{c.id}: co-worker {nid} from the handover can't be a key person"
        for who, m in (("successor", s), ("co-worker from the handover", n)):
            if (m.starts is not None and m.starts > start) or (m.leaves is not None and m.leaves < end):
                yield f"{c.id}: {who} {m.id} is not employed from {start} to {end}"
        for lock in p.setting.locks:
            chosen = sid if lock.role == "key person" else nid
            if lock.child == c.id and lock.rule == "must not" and lock.staff == chosen:
                yield f"{c.id}: lock must not {lock.staff} as {lock.role} broken by the handover"
        if sid != w.id and nid != w.id:
            yield f"{c.id}: co-worker {w.id} is not kept after the handover (successor {sid}, co-worker {nid})"


def checks_complete(p: Plan) -> Iterator[str]:
    for c, k, w in p.assigned:
        for who, s in (("key person", k), ("co-worker", w)):
            if not s.checks_complete:
                yield f"{c.id}: {who} {s.id}'s DBS and reference checks are not complete"


def works_a_session(p: Plan) -> Iterator[str]:
    for c, k, _ in p.assigned:
        if not k.sessions:  # (a practitioner works only in their own room: the room rule checks which)
            yield f"{c.id}: key person {k.id} works no sessions"


def sen_trained(p: Plan) -> Iterator[str]:
    for c, k, _ in p.assigned:
        if p.needs_trained(c) and not k.sen_trained:
            yield f"{c.id}: key person {k.id} is not SEN trained"


def caseload_cap(p: Plan) -> Iterator[str]:
    for sid, load in p.term_loads.items():
        if sid in p.staff and load > p.cap_of(sid):
            yield f"{sid}: weighted caseload {load} over cap {p.cap_of(sid)}"


def key_group_limit(p: Plan) -> Iterator[str]:
    if not p.setting.rules.key_group_within_ratio:
        return
    need: dict[tuple[str, str], Fraction] = {}
    for c, k, _ in p.assigned:
        for t in c.sessions & k.sessions:
            need[(k.id, t)] = need.get((k.id, t), Fraction(0)) + p.share(c, t)
        s = p.successor_of(c)
        if s is not None:  # a successor counts the child for the whole term
            for t in c.sessions & s.sessions:
                need[(s.id, t)] = need.get((s.id, t), Fraction(0)) + p.share(c, t)
    for (sid, t), total in need.items():
        if total > 1:
            yield f"{sid}: key children present in {t} need {total} of an adult, more than one"


def co_worker_cap(p: Plan) -> Iterator[str]:
    counts: dict[str, int] = {}
    for c in p.children:
        # a co-worker from a handover counts the child for the whole term, once if co-worker before it too
        for sid in {plan[c.id] for plan in (p.co_worker, p.next_co_worker) if c.id in plan}:
            counts[sid] = counts.get(sid, 0) + 1
    for sid, n in counts.items():
        if sid in p.staff:
            limit = p.co_cap_of(sid)
            if n > limit:
                yield f"{sid}: co-worker for {n} children, over {limit}"


def locks_kept(p: Plan) -> Iterator[str]:
    for c, k, w in p.assigned:
        for lock in p.setting.locks:
            if lock.child != c.id:
                continue
            chosen = k.id if lock.role == "key person" else w.id
            if (lock.rule == "must") != (chosen == lock.staff):
                yield f"{c.id}: lock {lock.rule} {lock.staff} as {lock.role} broken ({chosen})"


def max_changes(p: Plan) -> Iterator[str]:
    if p.max_changes is None:
        return
    changes = sum(1 for c in p.children if c.key_person in p.staff and p.employed(p.staff[c.key_person])
                  and p.key_person.get(c.id) != c.key_person)
    if changes > p.max_changes:
        yield f"{changes} key-person changes, over the limit of {p.max_changes}"


# -- soft terms: each returns its points -------------------------------------------------------------------

def overlap(p: Plan) -> int:
    total = 0
    for c, k, _ in p.assigned:
        n = len(c.sessions)
        if n:
            total += math.floor(p.setting.rules.weight_overlap * len(c.sessions & k.sessions) / n + 0.5)
    return total


def coverage(p: Plan) -> int:
    covered = sum(1 for c, k, w in p.assigned for t in c.sessions if t in k.sessions or t in w.sessions)
    return p.setting.rules.weight_coverage * covered


def attachment(p: Plan) -> int:
    bonds: dict[tuple[str, str], int] = {}
    for a in p.setting.attachments:
        bonds[(a.child, a.staff)] = max(bonds.get((a.child, a.staff), 0), a.strength)
    return p.setting.rules.weight_attachment * sum(bonds.get((c.id, k.id), 0) for c, k, _ in p.assigned)


def continuity(p: Plan) -> int:
    return p.setting.rules.weight_continuity * sum(k.id == c.key_person for c, k, _ in p.assigned)


def co_worker_continuity(p: Plan) -> int:
    """The weight for each child keeping their co-worker, if the co-worker works one of the child's sessions
    (one the child never sees is no bond to keep)."""
    kept = sum(w.id == c.co_worker and bool(c.sessions & w.sessions) for c, _, w in p.assigned)
    return p.setting.rules.weight_co_worker_continuity * kept


def successor(p: Plan) -> int:
    total = 0
    for c, k, _ in p.assigned:
        left = c.key_person is not None and (c.key_person not in p.staff or not p.employed(p.staff[c.key_person]))
        total += left and k.id == c.co_worker
    return p.setting.rules.weight_successor * total


def next_key_person(p: Plan) -> int:
    """A successor to a key person leaving within the term: the successor weight if they are the child's
    co-worker, and the overlap points they would earn as key person."""
    points = 0
    for c, _, _ in p.assigned:
        s = p.successor_of(c)
        if s is not None:
            points += p.setting.rules.weight_successor * (s.id == c.co_worker)
            if c.sessions:
                points += math.floor(p.setting.rules.weight_overlap * len(c.sessions & s.sessions) / len(c.sessions)
                                     + 0.5)
    return points


def next_co_worker(p: Plan) -> int:
    """The co-worker from the day after a key person leaves within the term: the co-worker familiarity
    weight for each session of the child's week they work, as for any co-worker (so a co-worker kept through
    the handover earns it twice: before and after)."""
    weight = p.setting.rules.weight_co_worker_familiarity
    points = 0
    for c, _, _ in p.assigned:
        n = p.staff.get(p.next_co_worker.get(c.id, ""))
        if n is not None:
            points += weight * sum(1 for t in c.sessions if t in n.sessions)
    return points


def language(p: Plan) -> int:
    speaks = sum(1 for c, k, _ in p.assigned
                 if c.home_language and any(x.casefold() == c.home_language.casefold() for x in k.languages))
    return p.setting.rules.weight_language * speaks


def sen_support_trained(p: Plan) -> int:
    trained = sum(1 for c, k, _ in p.assigned if c.sen == "SEN support" and k.sen_trained)
    return p.setting.rules.weight_sen_support_trained * trained


def siblings(p: Plan) -> int:
    groups: dict[str, list[str]] = {}
    for c in p.children:
        if c.sibling_group:
            groups.setdefault(" ".join(c.sibling_group.casefold().split()), []).append(c.id)
    sharing = 0
    for ids in groups.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                sharing += p.key_person.get(a) is not None and p.key_person.get(a) == p.key_person.get(b)
    return p.setting.rules.weight_siblings * sharing


def caseload_balance(p: Plan) -> int:
    """Minus the weight per weighted key child above each practitioner's fair share: the room's load shared
    in proportion to sessions worked, rounded up."""
    over = 0
    for room in p.setting.rooms:
        members = p.balance_members(room.name)
        room_load = sum(p.caseload_weight(c) for c in p.children if c.room_on(p.on) == room.name)
        worked = sum(len(s.sessions) for s in members)
        for s in members:
            fair = math.ceil(room_load * len(s.sessions) / worked) if worked else room_load
            over += max(0, p.loads.get(s.id, 0) - fair)
    return -p.setting.rules.weight_caseload_balance * over


def session_balance(p: Plan) -> int:
    """Minus the weight per unit of the busiest practitioner's load in each room and session."""
    busiest = 0
    for room in p.setting.rooms:
        members = p.balance_members(room.name)
        for t in p.setting.sessions:
            busiest += max((p.present.get((s.id, t.name), 0) for s in members), default=0)
    return -p.setting.rules.weight_session_balance * busiest


def co_worker_familiarity(p: Plan) -> int:
    """The weight for each of a child's sessions their co-worker works."""
    return p.setting.rules.weight_co_worker_familiarity * sum(len(c.sessions & w.sessions) for c, _, w in p.assigned)


def co_worker_balance(p: Plan) -> int:
    """Minus the weight per co-worker child above each practitioner's fair share: the room's children shared
    among those who could be co-worker to any child on roll, in proportion to sessions worked, rounded up. A
    co-worker's children from other rooms count in their load."""
    counts: dict[str, int] = {}
    for _, _, w in p.assigned:
        counts[w.id] = counts.get(w.id, 0) + 1
    over = 0
    for room in p.setting.rooms:
        members = [s for s in p.setting.staff if s.room == room.name
                   and any(p.could_be_co_worker(c, s) for c in p.children)]
        room_children = sum(1 for c in p.children if c.room_on(p.on) == room.name)
        worked = sum(len(s.sessions) for s in members)
        for s in members:
            fair = math.ceil(room_children * len(s.sessions) / worked) if worked else room_children
            over += max(0, counts.get(s.id, 0) - fair)
    return -p.setting.rules.weight_co_worker_balance * over
