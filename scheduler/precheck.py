"""Cheap checks that find most impossible settings before any solve, in plain English.

Each returns sentences naming the room, child, practitioner and rule
concerned; :func:`room_summary` gives the demand-against-capacity table
``keyperson check`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import pandas as pd

from .instance import Instance, grouped
from .ratios import share_words
from .registry import HARD_RULES, HardRule, rule
from .setting import Child, Staff
from .words import plural, spoken_list

# the rules whose pair reasons say who may be a key person at all: those with no quick check of their own
# (the room, Can be key person, employment, checks complete, leavers, works a session). A rule with its own
# check reports itself there: a shortfall of SEN-trained places, or a lock, is not said again as a room's.
WHO_MAY_BE_KEY_PERSON = tuple(r for r in HARD_RULES if r.key_exclusion is not None and not r.prechecks)


def key_persons_for(inst: Instance, children: list[Child], *also: str) -> list[Staff]:
    """The practitioners who may be key person to at least one of ``children`` (in sheet order): for whom
    none of the registry's pair reasons of :data:`WHO_MAY_BE_KEY_PERSON`, nor of the rules named in
    ``also``, forbids it. The same reasons the model's pairs are filtered by, declared once in the registry."""
    rules = WHO_MAY_BE_KEY_PERSON + tuple(rule(name) for name in also)
    rooms = dict.fromkeys(inst.room_of[c.id] for c in children)
    return [m for room in rooms for m in inst.staff_in.get(room, ())
            if any(not any(_forbids(r, inst, c, m) for r in rules) for c in children)]


def _forbids(r: HardRule, inst: Instance, child: Child, member: Staff) -> bool:
    return r.key_exclusion is not None and r.key_exclusion(inst, child, member) is not None


def room_summary(inst: Instance) -> pd.DataFrame:
    """Per room: children, weighted demand, key-person capacity (the caps of the practitioners who may be
    key person to one of its children), ratio and SEN counts."""
    rows = []
    for room in inst.setting.rooms:
        kids = [c for c in inst.children if inst.room_of[c.id] == room.name]
        members = key_persons_for(inst, kids, "caseload cap")
        rows.append({
            "Room": room.name, "Children": len(kids),
            "Demand": sum(inst.caseload_weight(c) for c in kids),
            "Capacity": sum(inst.cap[s.id] for s in members),
            "Key persons": len(members),
            "Ratio": f"1:{room.ratio}" if room.ratio is not None else "by each child's age",
            "SEN support": sum(c.sen == "SEN support" for c in kids),
            "EHCP or funded ratio": sum(c.needs_enhanced_support for c in kids),
            "SEN trained": sum(s.sen_trained for s in members),
        })
    return pd.DataFrame(rows)


def prechecks(inst: Instance) -> list[str]:
    """Reasons no plan can exist, found without a solver (empty when none is found): each registry rule's
    quick checks, in the registry's order."""
    return [reason for rule in HARD_RULES for check in rule.prechecks for reason in globals()[check](inst)]


def no_eligible_key_person(inst: Instance) -> list[str]:
    out = []
    candidates = set(inst.key_pairs["child"])
    for c in inst.children:
        if c.id in candidates:
            continue
        room = inst.room_of[c.id]
        reasons = [f"{s.label} {inst.key_person_exclusion(c, s)}" for s in inst.staff if s.room == room]
        out.append(f"{c.label}, in {room} ({_row(c)}), has no one who can be their key person: "
                   + ("; ".join(reasons) if reasons else f"nobody employed works in {room}") + ".")
    return out


def no_eligible_co_worker(inst: Instance) -> list[str]:
    out = []
    pairs = inst.co_pairs  # a million in a large group with co-workers from any room: read column-wise
    single = pairs[~pairs["child"].duplicated(keep=False)]
    only = dict(zip(single["child"].tolist(), single["staff"].tolist(), strict=True))
    listed = set(pairs["child"].unique().tolist())
    key = {c: set(staff) for c, staff in grouped(inst.key_pairs, "child", "staff").items()}
    for c in inst.children:
        if c.id not in listed or (c.id in only and key.get(c.id) == {only[c.id]}):
            room = inst.room_of[c.id]
            out.append(f"{c.label}, in {room} ({_row(c)}), has no co-worker other than their key person: "
                       f"{room} needs a second practitioner who can be a co-worker (or set the Rule "
                       f"'Co-workers from other rooms' to yes).")
    return out


def _row(child: Child) -> str:
    """Where a child is on the workbook: ``Children sheet, row 5``, or the sheet alone when the row is not
    known (a setting built in Python)."""
    return f"Children sheet, row {child.row}" if child.row else "Children sheet"


def room_capacity(inst: Instance) -> list[str]:
    """Rooms whose children need more key-person places than the caps of everyone who may be their key
    person add up to (each child takes its caseload weight; a practitioner's cap bounds all their key
    children, so no plan can place them all)."""
    out = []
    for _, r in room_summary(inst).iterrows():
        if r["Demand"] > r["Capacity"]:
            n = r["Key persons"]
            whose = ("no practitioner may be their key person" if n == 0 else
                     f"the cap of the one practitioner who may be their key person is {r['Capacity']}" if n == 1
                     else f"the caps of the {n} practitioners who may be their key person add up to {r['Capacity']}")
            out.append(f"Room {r['Room']}: its children need {r['Demand']} key-person places (children with an "
                       f"EHCP or funded ratio count {inst.setting.rules.sen_caseload_weight}) but {whose}: raise "
                       f"a cap (Max key children) or add a practitioner to {r['Room']}.")
    return out


def sen_capacity(inst: Instance) -> list[str]:
    """Children who need an SEN-trained key person, against the trained practitioners' caps."""
    out = []
    s = inst.setting
    for room in s.rooms:
        needing = [c for c in inst.children if inst.room_of[c.id] == room.name and s.needs_trained_key_person(c)]
        if not needing:
            continue
        trained = key_persons_for(inst, needing, "SEN trained")
        demand = sum(inst.caseload_weight(c) for c in needing)
        capacity = sum(inst.cap[m.id] for m in trained)
        for session, present, need in _over_key_group(inst, needing, trained):
            persons = plural(len(trained), "SEN-trained key person")
            out.append(f"Room {room.name}, {session}: {_children(present)} who need an SEN-trained key person "
                       f"(the SEN rule), are in and need {share_words(need)} between them, more than the key group "
                       f"limit lets the room's {persons} (all in then) have, one adult each: mark one more "
                       f"{room.name} practitioner SEN trained.")
        if demand > capacity:
            verb = "needs" if len(needing) == 1 else "need"
            if trained:
                have = (f"only {plural(len(trained), 'SEN-trained practitioner')} can take {capacity}: mark one "
                        f"more {room.name} practitioner SEN trained, or raise a trained practitioner's cap.")
            else:
                have = f"no {room.name} key person is SEN trained: mark one {room.name} practitioner SEN trained."
            out.append(f"Room {room.name}: {_children(needing)} {verb} an SEN-trained key person (the SEN rule), "
                       f"taking {demand} places, but {have}")
    return out


def _children(children: list[Child]) -> str:
    """``1 child, Mia Khan (C001),`` or ``2 children, Mia Khan (C001) and Leo Park (C002),``."""
    return f"{plural(len(children), 'child', 'children')}, {spoken_list([c.label for c in children])},"


def session_capacity(inst: Instance) -> list[str]:
    """Sessions in which every key person of a room is in, and the children present need more adults
    between them than the key group limit lets those key persons have (one adult each)."""
    out = []
    for room in inst.setting.rooms:
        children = [c for c in inst.children if inst.room_of[c.id] == room.name]
        members = key_persons_for(inst, children, "caseload cap")
        for session, present, need in _over_key_group(inst, children, members):
            out.append(f"Room {room.name}, {session}: the {len(present)} children present need "
                       f"{share_words(need)} between them, but the key group limit lets each of its "
                       f"{len(members)} key persons (all in then) have one adult's worth of key children: add a "
                       f"key person to {room.name}, or set Key group within ratio to no on the Rules sheet.")
    return out


def _over_key_group(inst: Instance, children: list[Child], members: list[Staff]
                    ) -> Iterator[tuple[str, list[Child], Fraction]]:
    """Sessions that every one of ``members`` works and in which ``children`` present need more than one
    adult each of them, as (session, children present, the adults they need). (A practitioner who doesn't
    work a session may have any number of key children in it, so only such sessions are sure to fail.)"""
    if not inst.setting.rules.key_group_within_ratio or not members:
        return
    for t in inst.setting.sessions:
        if not all(t.name in m.sessions for m in members):
            continue
        present = [c for c in children if t.name in c.sessions]
        need = sum((inst.share(c, t.name) for c in present), Fraction(0))
        if need > len(members):
            yield t.name, present, need


def lock_conflicts(inst: Instance) -> list[str]:
    out = []
    must: dict[tuple[str, str], list[str]] = {}
    for lock in inst.setting.locks:
        if lock.rule == "must":
            must.setdefault((lock.child, lock.role), []).append(lock.staff)
    s = inst.setting
    for (child, role), staff in must.items():
        named = [s.member(m).label for m in dict.fromkeys(staff)]  # the Locks sheet's order
        if len(named) > 1:
            out.append(f"Locks: {len(named)} different practitioners must be {s.child(child).label}'s {role} "
                       f"({spoken_list(named)}): keep one of those locks.")
    must_not = [lock for lock in s.locks if lock.rule == "must not"]
    for (child, role), staff in must.items():
        if role == "key person" and must.get((child, "co-worker")) and staff[0] in must[(child, "co-worker")]:
            out.append(f"Locks: {s.member(staff[0]).label} must be both key person and co-worker of "
                       f"{s.child(child).label}: a child's key person and co-worker are two different people, "
                       f"so keep one of those locks.")
    for lock in must_not:
        if lock.staff in must.get((lock.child, lock.role), ()):
            out.append(f"Locks: {s.member(lock.staff).label} both must and must not be {lock.role} of "
                       f"{s.child(lock.child).label}: keep one of those locks.")
    return out
