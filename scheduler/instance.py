"""A setting resolved against a plan date: who is planned, who may be whose key person or co-worker.

No solver here: the CP-SAT model, the benchmark peers and the diagnosis all
build on the same :class:`Instance`, whose :meth:`Instance.key_person_exclusion`
gives the plain-English reason a practitioner can't take a child.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import Any

import pandas as pd

from . import registry
from .setting import (
    AGE_BANDS,
    TEACHER_HOURS,
    TEACHER_RATIO,
    TIGHTEST_RATIO,
    Child,
    Lock,
    Setting,
    Staff,
    age_band,
    age_on,
    statutory_ratio,
)
from .term import term_end


def tie_breaks(role: str, child_id: str, staff_ids: list[str]) -> list[int]:
    """:func:`tie_break` of ``child_id`` with each of ``staff_ids`` (the hash of the shared prefix copied:
    twice as fast on the million pairs of a large group)."""
    prefix = hashlib.blake2b(f"{role}|{child_id}|".encode(), digest_size=2)
    out = []
    for s in staff_ids:
        h = prefix.copy()
        h.update(s.encode())
        out.append(int.from_bytes(h.digest(), "big"))
    return out


def plan_date(setting: Setting, on: date | None = None) -> date:
    """``on``, else the workbook's Plan date rule, else today."""
    return on or setting.rules.plan_date or date.today()


def tie_break(role: str, child_id: str, staff_id: str) -> int:
    """A fixed pseudo-random weight in 0..65535 per pair, for choosing among equal plans.

    A cryptographic hash, not CRC32: CRC is affine over XOR, so swapping two children between two
    practitioners gave equal weight sums far more often than chance (seen on a 150-child setting)."""
    digest = hashlib.blake2b(f"{role}|{child_id}|{staff_id}".encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big")


def rows(frame: pd.DataFrame, *columns: str) -> Iterator[tuple[Any, ...]]:
    """``frame``'s ``columns`` as tuples of plain Python values, row by row."""
    return zip(*(frame[c].tolist() for c in columns), strict=True)


def grouped(frame: pd.DataFrame, by: str, *columns: str) -> dict[str, list]:
    """``frame``'s ``columns`` grouped by the ``by`` column, in order of first appearance: a list of values
    per group for one column, of tuples for several. (Plain lists: iterating pandas string columns row by
    row was a third of the model build.)"""
    out: dict[str, list] = {}
    values = rows(frame, *columns) if len(columns) > 1 else frame[columns[0]].tolist()
    for group, value in zip(frame[by].tolist(), values, strict=True):
        out.setdefault(group, []).append(value)
    return out


@dataclass(frozen=True)
class Instance:
    """The planning problem for ``setting`` on date ``on``."""

    setting: Setting
    on: date
    until: date | None = None  # the term's last day (see :mod:`.term`); None: the plan date alone
    # Diagnosis: pairs the SEN rule, a cap below the child's weight or a lock would exclude exist, and
    # those rules are left to guarded constraints (so they can be named, or loosened by a slack model).
    relaxed: bool = False
    max_changes: int | None = None  # overrides the Max changes rule (``--max-changes``)

    @classmethod
    def build(cls, setting: Setting, on: date | None = None, until: date | None = None,
              max_changes: int | None = None) -> Instance:
        """The instance on the plan date ``on`` for the term to ``until`` (default: the Term ends rule), with
        at most ``max_changes`` key-person changes (default: the Max changes rule); a DataError when the term
        ends before the plan date."""
        on = plan_date(setting, on)
        return cls(setting, on, term_end(setting, on, until), max_changes=max_changes)

    @property
    def term_ends(self) -> date:
        """The last day the plan must hold: the term's end, or the plan date alone."""
        return self.until or self.on

    @property
    def change_limit(self) -> int | None:
        """Most children whose key person may change: ``max_changes``, else the Max changes rule."""
        return self.max_changes if self.max_changes is not None else self.setting.rules.max_changes

    # -- who is planned --------------------------------------------------------
    @cached_property
    def children(self) -> tuple[Child, ...]:
        """Children on the roll on the plan date (new starters included), in sheet order."""
        return tuple(c for c in self.setting.children if c.enrolled_on(self.on))

    @cached_property
    def room_of(self) -> dict[str, str]:
        return {c.id: c.room_on(self.on) for c in self.children}

    @cached_property
    def staff(self) -> tuple[Staff, ...]:
        """Practitioners employed at some time from the plan date to the term's end (joiners within the
        term included), in sheet order; :attr:`employed` are those employed on the plan date itself."""
        return tuple(s for s in self.setting.staff if (s.starts is None or s.starts <= self.term_ends)
                     and (s.leaves is None or s.leaves >= self.on))

    # -- the term: each child's days in it, and who hands over to whom --------------------------
    def first_day(self, child: Child) -> date:
        """The child's first day in the plan: the plan date, or their Starts date if later."""
        return max(self.on, child.starts) if child.starts else self.on

    def last_day(self, child: Child) -> date:
        """The child's last day in the plan: the term's end, or their Leaves date if sooner, or the day before
        they move room if that is sooner still (the move's re-plan holds from then); never before their first
        day."""
        last = min(self.term_ends, child.leaves) if child.leaves else self.term_ends
        if child.moves_to and child.move_date and self.on < child.move_date <= last:
            last = child.move_date - timedelta(days=1)
        return max(last, self.first_day(child))

    def leaves_before_end(self, member: Staff, child: Child) -> bool:
        """Whether ``member`` leaves within ``child``'s time in the plan (a leaver within the term): on or
        after the child's first day, before their last."""
        return member.leaves is not None and self.first_day(child) <= member.leaves < self.last_day(child)

    @cached_property
    def handover_from(self) -> dict[str, date]:
        """Children whose current key person leaves within the term, before the child's last day, and who
        may stay with them until then: child ID -> the first day with a successor (the day after the
        leaving date)."""
        out = {}
        for c in self.children:
            member = self.setting.member(c.key_person) if c.key_person else None
            if member is not None and member.leaves is not None and self.leaves_before_end(member, c) \
                    and member.employed_on(self.first_day(c)):
                out[c.id] = member.leaves + timedelta(days=1)
        return out

    def successor_exclusion(self, child: Child, member: Staff, role: str = "key person") -> str | None:
        """Why ``member`` can't take over as ``child``'s key person (or co-worker) from the day after their
        key person leaves, or None: the rules of a key person for a child starting that day, the leaver's
        'must' lock set aside (it can hold only until they leave)."""
        stand_in = dc_replace(child, starts=self.handover_from[child.id], key_person=None, co_worker=None)
        return registry.exclusion(self, stand_in, member, role, locks="must not")

    @cached_property
    def successor_pairs(self) -> pd.DataFrame:
        """Eligible (child, successor) pairs for the children in :attr:`handover_from`, with points (the
        registry's successor points) and tie-break weights."""
        table = []
        for cid in self.handover_from:
            c = self.setting.child(cid)
            for s in self.staff_in.get(self.room_of[cid], ()):
                if self.successor_exclusion(c, s) is None:
                    table.append((cid, s.id, registry.successor_points(self, c, s), tie_break("next", cid, s.id)))
        return pd.DataFrame(table, columns=["child", "staff", "points", "tie_break"])

    @cached_property
    def next_co_pairs(self) -> pd.DataFrame:
        """Eligible (child, co-worker from the handover) pairs for the children in :attr:`handover_from`, with
        points (the registry's next co-worker points) and tie-break weights."""
        table = []
        anywhere = self.setting.rules.co_workers_from_other_rooms
        for cid in self.handover_from:
            c = self.setting.child(cid)
            for s in self.staff if anywhere else self.staff_in.get(self.room_of[cid], ()):
                if self.successor_exclusion(c, s, "co-worker") is None:
                    table.append((cid, s.id, registry.next_co_points(self, c, s), tie_break("next co", cid, s.id)))
        return pd.DataFrame(table, columns=["child", "staff", "points", "tie_break"])

    @cached_property
    def staff_in(self) -> dict[str, tuple[Staff, ...]]:
        """Room -> its employed staff, in sheet order."""
        out: dict[str, list[Staff]] = {}
        for s in self.staff:
            out.setdefault(s.room, []).append(s)
        return {room: tuple(members) for room, members in out.items()}

    @cached_property
    def ratio(self) -> dict[str, int]:
        return {r.name: self.setting.room_ratio(r.name, self.on) for r in self.setting.rooms}

    @cached_property
    def cap(self) -> dict[str, int]:
        """Caseload caps of every practitioner (Staff sheet, else Rooms, else the Rules default)."""
        return {s.id: self.setting.cap(s.id, self.on) for s in self.setting.staff}

    @cached_property
    def co_cap(self) -> dict[str, int]:
        return {s.id: self.setting.co_worker_cap(s.id, self.on) for s in self.setting.staff}

    def caseload_weight(self, child: Child) -> int:
        return self.setting.caseload_weight(child)

    # -- ratios: each child's share of an adult ----------------------------------
    @cached_property
    def age_band(self) -> dict[str, str | None]:
        """Each planned child's EYFS age band on the plan date (None without a date of birth)."""
        return {c.id: age_band(age_on(c.date_of_birth, self.on) if c.date_of_birth else None)
                for c in self.children}

    @cached_property
    def child_ratio(self) -> dict[str, int]:
        """Each planned child's ratio (k in 1:k) on the plan date, before the 1:13 conditions: the room's
        Ratio where the Rooms sheet gives one, else the statutory ratio for the child's own age band. A
        child with no date of birth takes the tightest band of the room's children who have one (1:3 when
        none has)."""
        ratio_of_band = {band: ratio for band, ratio, _ in AGE_BANDS}
        tightest: dict[str, int] = {}
        for c in self.children:
            band = self.age_band[c.id]
            if band is not None:
                room = self.room_of[c.id]
                tightest[room] = min(tightest.get(room, ratio_of_band[band]), ratio_of_band[band])
        out = {}
        for c in self.children:
            room = self.room_of[c.id]
            band = self.age_band[c.id]
            explicit = self.setting.room(room).ratio
            out[c.id] = explicit if explicit is not None else (
                ratio_of_band[band] if band is not None else tightest.get(room, TIGHTEST_RATIO))
        return out

    @cached_property
    def teacher_present(self) -> frozenset[tuple[str, str]]:
        """(room, session) pairs with a QTS, EYTS or EYPS holder who counts in ratio at work."""
        return frozenset((m.room, t) for m in self.staff if m.early_years_teacher and m.counts_in_ratio
                         and m.id in self.employed for t in m.sessions)

    def teacher_ratio_holds(self, room: str, session: str) -> bool:
        """Whether 1:13 may be used in ``room`` in ``session``: within 08:00-16:00 with a QTS, EYTS or EYPS
        holder present."""
        t = self.setting.sessions[self.setting.session_index[session]]
        within = TEACHER_HOURS[0] <= t.start and t.end <= TEACHER_HOURS[1]
        return within and (room, session) in self.teacher_present

    def ratio_in(self, child: Child, session: str, day: date | None = None) -> int:
        """The k of the child's 1:k in ``session``: their ratio, with 1:13 as 1:8 where its conditions don't
        hold, or a funded support ratio where that is tighter. On a later ``day`` of the term a child
        counted by their own age band is counted by their age on that day."""
        ratio = self.child_ratio[child.id]
        if day is not None and child.date_of_birth and self.setting.room(self.room_of[child.id]).ratio is None:
            ratio = statutory_ratio(age_on(child.date_of_birth, day))
        if ratio == TEACHER_RATIO and not self.teacher_ratio_holds(self.room_of[child.id], session):
            ratio = statutory_ratio(3)
        return ratio if child.support_ratio is None else min(ratio, child.support_ratio)

    def share(self, child: Child, session: str, day: date | None = None) -> Fraction:
        """The child's share of an adult in ``session`` (on a later ``day`` of the term): 1/k at their 1:k."""
        return Fraction(1, self.ratio_in(child, session, day))

    @cached_property
    def share_unit(self) -> int:
        """A common multiple of every ratio in use, so that every share is a whole number of 1/``share_unit``
        of an adult (exact: no rounding ever loosens the key group limit)."""
        supports = (c.support_ratio for c in self.children if c.support_ratio is not None)
        return math.lcm(statutory_ratio(3), *self.child_ratio.values(), *supports)

    def share_weight(self, child: Child, session: str) -> int:
        """The child's share of an adult in ``session``, in whole units of 1/``share_unit`` of an adult."""
        return self.share_unit // self.ratio_in(child, session)

    # -- eligibility (the registry's rules say why a pair is forbidden) ----------------------------
    @cached_property
    def employed(self) -> frozenset[str]:
        """IDs of the practitioners employed on the plan date."""
        return frozenset(s.id for s in self.setting.staff if s.employed_on(self.on))

    @cached_property
    def _locks(self) -> dict[tuple[str, str], list[Lock]]:
        out: dict[tuple[str, str], list[Lock]] = {}
        for lock in self.setting.locks:
            out.setdefault((lock.child, lock.role), []).append(lock)
        return out

    def locks_of(self, child_id: str, role: str) -> list[Lock]:
        """The Locks sheet's locks on ``child_id``'s ``role`` ("key person" or "co-worker")."""
        return self._locks.get((child_id, role), [])

    def key_person_exclusion(self, child: Child, member: Staff) -> str | None:
        """Why ``member`` can't be ``child``'s key person under the hard rules, or None if they can."""
        return registry.exclusion(self, child, member, "key person")

    def co_worker_exclusion(self, child: Child, member: Staff) -> str | None:
        """Why ``member`` can't be ``child``'s co-worker under the hard rules, or None if they can."""
        return registry.exclusion(self, child, member, "co-worker")

    # -- eligible pairs --------------------------------------------------------
    @cached_property
    def key_pairs(self) -> pd.DataFrame:
        """Eligible (child, staff) key-person pairs with each pair's points (a column per pair term of
        :data:`scheduler.registry.KEY_PAIR_TERMS`), in sheet order."""
        table = []
        for c in self.children:
            for s in self.staff_in.get(self.room_of[c.id], ()):  # a key person works in the child's room
                if self.key_person_exclusion(c, s) is None:
                    table.append((c.id, s.id, len(c.sessions & s.sessions), *registry.key_pair_points(self, c, s),
                                  tie_break("key", c.id, s.id)))
        return pd.DataFrame(table, columns=["child", "staff", "shared", *registry.KEY_PAIR_TERMS, "tie_break"])

    @cached_property
    def co_pairs(self) -> pd.DataFrame:
        """Eligible co-worker pairs with their points (:data:`scheduler.registry.CO_PAIR_TERMS`), in sheet
        order. Each room's candidates are found once (:meth:`co_worker_candidates`) and only a child with a
        co-worker lock is checked pair by pair: with co-workers from other rooms a 2,000-child group has a
        million pairs (4.2 s pair by pair, 1.6 s so)."""
        columns: dict[str, list] = {name: [] for name in ("child", "staff", "shared", *registry.CO_PAIR_TERMS)}
        ties: list[int] = []
        for c in self.children:
            members = self.co_worker_candidates(self.room_of[c.id])
            if self.locks_of(c.id, "co-worker"):
                members = [s for s in members if self.co_worker_exclusion(c, s) is None]
            columns["child"] += [c.id] * len(members)
            columns["staff"] += [s.id for s in members]
            columns["shared"] += [len(c.sessions & s.sessions) for s in members]
            points = [registry.co_pair_points(self, c, s) for s in members]
            for i, name in enumerate(registry.CO_PAIR_TERMS):
                columns[name] += [p[i] for p in points]
            ties += tie_breaks("co", c.id, [s.id for s in members])
        return pd.DataFrame({**columns, "tie_break": ties})

    def co_worker_candidates(self, room: str) -> list[Staff]:
        """Who may be co-worker for a child in ``room`` without a co-worker lock, in sheet order. A
        co-worker exclusion depends on the child only through their room and their locks (the tests hold
        :attr:`co_pairs` to the pair-by-pair listing), so one stand-in child of the room asks for all."""
        if room not in self._co_worker_candidates:
            stand_in = Child("", "", room, frozenset())
            anywhere = self.setting.rules.co_workers_from_other_rooms
            self._co_worker_candidates[room] = [
                s for s in (self.staff if anywhere else self.staff_in.get(room, ()))
                if self.co_worker_exclusion(stand_in, s) is None]
        return self._co_worker_candidates[room]

    @cached_property
    def _co_worker_candidates(self) -> dict[str, list[Staff]]:
        return {}

    @cached_property
    def key_staff(self) -> tuple[str, ...]:
        """Practitioners who could be someone's key person, in sheet order."""
        ids = set(self.key_pairs["staff"])
        return tuple(s.id for s in self.staff if s.id in ids)

    # -- targets used by the balance terms ---------------------------------------
    @cached_property
    def fair_share(self) -> dict[str, int]:
        """Each key-eligible practitioner's share of their room's weighted caseload, pro rata to
        sessions worked, rounded up."""
        out = {}
        for room in self.ratio:
            load = sum(self.caseload_weight(c) for c in self.children if self.room_of[c.id] == room)
            members = [s for s in self.staff if s.room == room and s.id in self.key_staff]
            worked = sum(len(s.sessions) for s in members)
            for s in members:
                out[s.id] = math.ceil(load * len(s.sessions) / worked) if worked else load
        return out

    @cached_property
    def co_fair_share(self) -> dict[str, int]:
        """Each practitioner who may be someone's co-worker: their room's children shared among the room's
        such practitioners pro rata to sessions worked, rounded up (the co-worker balance term's target)."""
        eligible = set(self.co_pairs["staff"])
        children = {room: 0 for room in self.ratio}
        for c in self.children:
            children[self.room_of[c.id]] += 1
        out = {}
        for room, n in children.items():
            members = [s for s in self.staff if s.room == room and s.id in eligible]
            worked = sum(len(s.sessions) for s in members)
            for s in members:
                out[s.id] = math.ceil(n * len(s.sessions) / worked) if worked else n
        return out

    @cached_property
    def sibling_pairs(self) -> tuple[tuple[str, str], ...]:
        """Pairs of planned siblings who could share a key person."""
        planned = {c.id for c in self.children}
        candidates = {c: set(staff) for c, staff in grouped(self.key_pairs, "child", "staff").items()}
        out = []
        for ids in self.setting.sibling_groups().values():
            ids = [i for i in ids if i in planned]
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    if candidates.get(a, set()) & candidates.get(b, set()):
                        out.append((a, b))
        return tuple(out)

    @cached_property
    def current_key_person(self) -> dict[str, str]:
        """Children whose current key person is still employed (these count for changes)."""
        return {c.id: c.key_person for c in self.children if c.key_person in self.employed}
