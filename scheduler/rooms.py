"""A setting's rooms as separate planning problems, for the room-by-room solve.

In the model, rooms meet only through co-workers (when ``Co-workers from other
rooms`` lets a practitioner be co-worker in another room, their co-worker cap
counts across rooms) and through ``Max changes``. Every other rule and term
stays inside one room: a key person works in the child's room, caseload and
session balance are per room, siblings who could share a key person are in
one room.

So :func:`room_parts` gives one :class:`RoomPart` per room, with its children
and what they may be given, and each practitioner's co-worker cap applied in
every room separately. That is a relaxation: the sum of the rooms' best plans
is a valid upper bound on the whole setting's, and a plan that reaches it is
the best. Outside practitioners enter a room's part pooled by working pattern
(their sessions that the room's children attend), since two of them with one
pattern give a child the same points: a pool's co-worker cap is the sum of its
members'. A child's current co-worker, and anyone a lock names for the child,
stay themselves (continuity, the lock). Pooling is exact: any choice of pooled
co-workers can be shared out among the pool's members within their caps.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from . import registry
from .instance import Instance
from .setting import Setting, Staff

POOL = "~pool"  # prefix of a pooled practitioner's ID (no workbook ID starts with it)


@dataclass(frozen=True)
class RoomPart(Instance):
    """The planning problem of the children in ``rooms`` (one room, or rooms solved together), within
    the whole setting's ``whole`` instance: the same staff, caps and ratios."""

    # always given (room_parts); a default only because the Instance fields before it have defaults
    whole: Instance = field(default=None, compare=False)  # type: ignore[assignment]
    rooms: frozenset[str] = frozenset()

    @property
    def outer(self) -> Instance:
        """The whole setting's instance (always given: ``whole`` has a default only because it follows
        Instance's own fields)."""
        assert self.whole is not None
        return self.whole

    @cached_property
    def children(self):
        return tuple(c for c in self.outer.children if self.outer.room_of[c.id] in self.rooms)

    @cached_property
    def pools(self) -> dict[str, tuple[Staff, ...]]:
        """Pooled practitioner ID -> the outside practitioners in the pool (one working pattern each)."""
        kept = self._kept_individually
        outside: dict[str, Staff] = {}  # by ID, in sheet order
        for room in sorted(self.rooms, key=self.setting.room_index.__getitem__):
            outside.update((s.id, s) for s in self._allowed(room) if s.room not in self.rooms and s.id not in kept)
        by_pattern: dict[frozenset[str], list[Staff]] = {}
        for s in sorted(outside.values(), key=lambda s: self.setting.staff_index[s.id]):
            by_pattern.setdefault(s.sessions & self._attended, []).append(s)
        # a pool whose pattern lies within another's that can take every child within its caps and fair shares
        # adds nothing: any child it would serve that one serves as well (pools carry no continuity, no locks)
        ample = [p for p, members in by_pattern.items() if self._room_for(members) >= len(self.children)]
        useful = [members for p, members in by_pattern.items() if not any(p < q for q in ample)]
        return {f"{POOL}{i}": tuple(members) for i, members in enumerate(useful)}

    def _room_for(self, members) -> int:
        """How many co-worker children ``members`` can take together within their caps, and, when co-worker
        balance counts, within their fair shares."""
        caps = sum(self.outer.co_cap[s.id] for s in members)
        if self.setting.rules.weight_co_worker_balance == 0:
            return caps
        return min(caps, self._free(members))

    def _free(self, members) -> int:
        """Co-worker children ``members`` take before co-worker balance costs anything: their fair shares,
        each within their cap."""
        return sum(min(self.outer.co_fair_share.get(s.id, 0), self.outer.co_cap[s.id]) for s in members)

    @cached_property
    def co_fair_share(self) -> dict[str, int]:
        """The whole setting's co-worker fair shares (each practitioner's load counted in this part alone, so
        its balance penalty is at most theirs: the bound holds); a pool's is its members' free places."""
        return {**self.outer.co_fair_share, **{pid: self._free(members) for pid, members in self.pools.items()}}

    @cached_property
    def _attended(self) -> frozenset[str]:
        """The sessions any of the part's children attends."""
        return frozenset().union(*(c.sessions for c in self.children))

    @cached_property
    def staff(self):
        """Everyone employed (so the whole setting's rooms and continuity read the same), then the pools."""
        pooled = tuple(Staff(pid, f"pooled co-workers {pid}", members[0].room, members[0].sessions & self._attended)
                       for pid, members in self.pools.items())
        return self.outer.staff + pooled

    @cached_property
    def cap(self):
        return {**self.outer.cap, **dict.fromkeys(self.pools, 0)}

    @cached_property
    def co_cap(self):
        """The whole setting's co-worker caps, each applied in this part alone; a pool's is its members'
        together (at most one per child)."""
        pooled = {pid: min(len(self.children), sum(self.outer.co_cap[s.id] for s in members))
                  for pid, members in self.pools.items()}
        return {**self.outer.co_cap, **pooled}

    @cached_property
    def co_pairs(self) -> pd.DataFrame:
        """The whole setting's co-worker pairs of these children, outside practitioners pooled. A pool's
        points are its first member's: the registry's co-worker pair terms depend on the practitioner
        through the sessions they share with the child, and continuity (kept individually)."""
        pool_of = {s.id: pid for pid, members in self.pools.items() for s in members}
        table = []
        for c in self.children:
            room = self.outer.room_of[c.id]
            pooled: dict[str, Staff] = {}
            for s in self._allowed(room):
                if s.id in pool_of:
                    pooled.setdefault(pool_of[s.id], s)
                elif ((s.room in self.rooms or s.id in self._kept_individually)
                      and self.outer.co_worker_exclusion(c, s) is None):
                    table.append((c.id, s.id, len(c.sessions & s.sessions),
                                  *registry.co_pair_points(self.outer, c, s), 0))
            table += [(c.id, pid, len(c.sessions & s.sessions), *registry.co_pair_points(self.outer, c, s), 0)
                      for pid, s in pooled.items()]
        return pd.DataFrame(table, columns=["child", "staff", "shared", *registry.CO_PAIR_TERMS, "tie_break"])

    @cached_property
    def current_key_person(self) -> dict[str, str]:
        return {c.id: s for c, s in ((c, self.outer.current_key_person.get(c.id)) for c in self.children) if s}

    def _allowed(self, room: str) -> list[Staff]:
        """Who may be co-worker for children in ``room`` (locks aside), in sheet order."""
        return self.outer.co_worker_candidates(room)

    @cached_property
    def _kept_individually(self) -> set[str]:
        """Outside practitioners who stay themselves: a child's current co-worker, anyone a co-worker
        lock names."""
        ids = {c.co_worker for c in self.children if c.co_worker}
        ids |= {lock.staff for lock in self.setting.locks if lock.role == "co-worker"
                and lock.child in {c.id for c in self.children}}
        return ids


def room_parts(inst: Instance) -> list[RoomPart]:
    """One part per room with children on the plan date, in the Rooms sheet's order."""
    rooms = sorted({inst.room_of[c.id] for c in inst.children}, key=inst.setting.room_index.__getitem__)
    return [RoomPart(inst.setting, inst.on, inst.until, max_changes=inst.max_changes, whole=inst,
                     rooms=frozenset({r})) for r in rooms]


def rooms_together(setting: Setting, rooms: set[str]) -> set[str]:
    """``rooms`` and every room planned together with them: none when co-workers stay in their room, the
    rooms of the same sites when they may come from other rooms of the site, every room when they may
    come from anywhere. A change limit counts across every room."""
    rules = setting.rules
    if rules.max_changes is not None or (rules.co_workers_from_other_rooms and rules.co_workers_from_other_sites):
        return {r.name for r in setting.rooms}
    if not rules.co_workers_from_other_rooms:
        return set(rooms)
    sites = {setting.site_of(r) for r in rooms}
    return {r.name for r in setting.rooms if setting.site_of(r.name) in sites}


def only_rooms(setting: Setting, on: date, rooms: set[str]) -> Setting:
    """The setting with only the children in ``rooms`` on ``on`` (and their locks and bonds); every
    practitioner stays, so continuity and who is employed read as in the whole setting. Planning it plans
    those rooms exactly as the whole setting would when ``rooms`` is closed under :func:`rooms_together`."""
    children = tuple(c for c in setting.children if c.room_on(on) in rooms)
    kept = {c.id for c in children}
    return dataclasses.replace(setting, children=children,
                               locks=tuple(k for k in setting.locks if k.child in kept),
                               attachments=tuple(a for a in setting.attachments if a.child in kept))
