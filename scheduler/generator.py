"""Synthetic, seeded, realistic settings for the sample, tests and benchmarks.

Grounded in published figures for English settings: day nurseries average
about 60 places and pre-schools 37; rooms Baby (under 2, 1:3), Toddler
(2s, 1:5) and Pre-school (3+, 1:8); children attend 2-10 sessions, mostly as
full days, Tue-Thu busiest; about 60% of staff full time; about 10% of
children have SEN (a few with an EHCP or funded 1:1/1:2 support); about 30%
have a home language other than English. All names are invented.
"""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, time, timedelta

from .rules import Rules
from .setting import DAYS, Attachment, Child, Lock, Room, Session, Setting, Staff, default_sessions

FIRST = ["Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai", "Lily",
         "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosie", "Sami", "Theo", "Una", "Vik", "Willow", "Xander",
         "Yusuf", "Zara", "Alfie", "Bea", "Cal", "Daisy", "Eli", "Freya", "George", "Hana", "Ivy", "Jonah",
         "Kacper", "Leo", "Mila", "Nell", "Oscar", "Poppy", "Ravi", "Sofia", "Toby", "Aisha", "Bilal", "Cora",
         "Dylan", "Esme", "Felix", "Gio", "Harvey", "Iris", "Jude", "Kara", "Luca", "Maisie", "Nina", "Orla"]
LAST = ["Ahmed", "Baker", "Clarke", "Dunn", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan",
        "Lewis", "Mills", "Nowak", "Owen", "Patel", "Quigley", "Reid", "Shah", "Taylor", "Usman", "Vance",
        "Walsh", "Young", "Zielinski", "Begum", "Costa", "Dobson", "Ellis", "Frost", "Gill", "Hart"]
LANGUAGES = ["Polish", "Urdu", "Punjabi", "Romanian", "Bengali", "Arabic", "Portuguese", "Somali", "Gujarati",
             "Spanish"]
ROOMS = (("Baby", 3, 4, (6, 23)), ("Toddler", 5, 6, (24, 35)), ("Pre-school", 8, 8, (36, 59)))
ROOM_SHARE = {"Baby": 0.25, "Toddler": 0.3, "Pre-school": 0.45}
DAY_WEIGHT = {"Mon": 0.8, "Tue": 1.25, "Wed": 1.25, "Thu": 1.2, "Fri": 0.7}
PLAN_DATE = date(2027, 1, 4)  # first day of a spring term


def generate(children: int = 60, seed: int = 0, *, kind: str = "nursery", sites: int = 1,
             name: str | None = None, plan_date: date = PLAN_DATE, sen_rate: float = 0.10,
             cap_slack: float = 1.3) -> Setting:
    """A seeded synthetic setting.

    Parameters
    ----------
    children
        Number of children on roll (spread over ``sites`` copies of the rooms).
    kind
        ``nursery`` (Baby, Toddler, Pre-school; 08:00-18:00 sessions) or
        ``preschool`` (one Pre-school room; 09:00-12:00 and 12:00-15:00 sessions).
    sites
        For group benchmarks: each site has its own rooms, prefixed ``Site N``.
    cap_slack
        Key-person capacity in each room over its weighted demand (lower is tighter).
    """
    rng = random.Random(seed)
    sessions = default_sessions() if kind == "nursery" else preschool_sessions()
    room_specs = ROOMS if kind == "nursery" else (("Pre-school", 8, 8, (30, 59)),)
    shares = ROOM_SHARE if kind == "nursery" else {"Pre-school": 1.0}
    rooms: list[Room] = []
    kids: list[Child] = []
    staff: list[Staff] = []
    names = NameMaker(rng)
    per_site = _split(children, [1.0] * sites)
    for site, site_children in enumerate(per_site, start=1):
        counts = _split(site_children, [shares[r[0]] for r in room_specs])
        for (room, ratio, cap, months), n in zip(room_specs, counts, strict=True):
            room_name = room if sites == 1 else f"Site {site} {room}"
            rooms.append(Room(room_name, cap, ratio, None if sites == 1 else f"Site {site}"))
            room_kids = [_child(rng, names, len(kids) + i + 1, room_name, months, sessions, plan_date, sen_rate)
                         for i in range(n)]
            kids += room_kids
            staff += _staff_for_room(rng, names, len(staff), room_name, ratio, cap, room_kids, sessions, cap_slack)
    kids = _room_moves(kids, plan_date)
    kids = _siblings(rng, kids)
    kids = _current_key_persons(rng, kids, staff)
    attachments = _attachments(rng, kids, staff)
    locks = _locks(rng, kids, staff)
    return Setting(name or f"Synthetic {kind} {children} (seed {seed})", sessions, tuple(rooms), tuple(kids),
                   tuple(staff), attachments, locks, Rules(plan_date=plan_date))


def preschool_sessions() -> tuple[Session, ...]:
    out = []
    for day in DAYS[:5]:
        out.append(Session(f"{day} AM", day, time(9), time(12)))
        out.append(Session(f"{day} PM", day, time(12), time(15)))
    return tuple(out)


def _split(total: int, weights: list[float]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    out = [math.floor(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


class NameMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        for _ in range(1000):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}-{len(self.used)}"
        self.used.add(name)
        return name


def _pattern(rng: random.Random, sessions, days_wanted: int, full_day_p: float) -> frozenset[str]:
    days = sorted({s.day for s in sessions}, key=DAYS.index)
    chosen: list[str] = []
    pool = list(days)
    while len(chosen) < min(days_wanted, len(days)):
        d = rng.choices(pool, [DAY_WEIGHT.get(x, 1.0) for x in pool])[0]
        chosen.append(d)
        pool.remove(d)
    picked = set()
    for d in chosen:
        todays = [s.name for s in sessions if s.day == d]
        if rng.random() < full_day_p:
            picked |= set(todays)
        else:
            picked.add(todays[0] if rng.random() < 0.65 else todays[-1])
    return frozenset(picked)


def _child(rng, names, number, room, months, sessions, plan_date, sen_rate) -> Child:
    age_days = int(rng.uniform(*months) * 30.44)
    pattern = _pattern(rng, sessions, rng.choices([1, 2, 3, 4, 5], [0.1, 0.3, 0.3, 0.15, 0.15])[0], 0.65)
    if len(pattern) < 2:  # children attend at least two sessions: make the one day a full day
        day = next(s.day for s in sessions if s.name in pattern)
        pattern = frozenset(s.name for s in sessions if s.day == day)
    sen, support = "none", None
    if rng.random() < sen_rate:
        sen = "EHCP" if rng.random() < 0.25 else "SEN support"
        if rng.random() < 0.2 and not room.endswith("Baby"):
            support = rng.choice([1, 2])
            sen = "EHCP" if rng.random() < 0.5 else sen
    starts = None
    if rng.random() < 0.05:
        starts = plan_date + timedelta(days=7 * rng.randint(1, 6))
    return Child(
        id=f"C{number:03d}" if number < 1000 else f"C{number}", name=names(), room=room, sessions=pattern,
        date_of_birth=plan_date - timedelta(days=age_days), sen=sen, support_ratio=support,
        home_language=rng.choice(LANGUAGES) if rng.random() < 0.3 else None, starts=starts)


def _staff_for_room(rng, names, offset, room, ratio, cap, kids, sessions, cap_slack) -> list[Staff]:
    demand = sum(2 if (c.sen == "EHCP" or c.support_ratio) else 1 for c in kids)
    peak = max((sum(1 for c in kids if s.name in c.sessions) for s in sessions), default=0)
    n_key = max(2, math.ceil(demand * cap_slack / cap), math.ceil(peak * 1.3 / ratio))
    members: list[Staff] = []
    open_sessions = frozenset().union(*(c.sessions for c in kids))

    def capacity() -> int:  # the room's key-person places under the default Pro-rata caps
        return sum(m.max_key_children if m.max_key_children is not None else
                   max(1, -(-cap * len(m.sessions & open_sessions) // len(open_sessions))) for m in members)

    for i in itertools.count():
        if i >= n_key and (not open_sessions or capacity() >= demand * cap_slack):
            break
        full_time = rng.random() < 0.6 or i == 0
        if full_time:
            days = 5 if rng.random() < 0.6 else 4
        else:
            days = rng.choice([2, 3])
        pattern = _pattern(rng, sessions, days, 1.0 if full_time else 0.85)
        if i == 0:
            role = "Room leader"
        elif rng.random() < 0.15:
            role = "Apprentice"
        else:
            role = "Practitioner"
        n = offset + len(members) + 1
        members.append(Staff(
            id=f"S{n:02d}", name=names(), room=room, sessions=pattern, role=role,
            sen_trained=i == 0 or rng.random() < 0.2,
            languages=(rng.choice(LANGUAGES),) if rng.random() < 0.18 else (),
            max_key_children=max(2, cap - 2) if role == "Apprentice" else None))
    # make sure every session a child attends has enough key-person-eligible staff in it
    for s in sessions:
        present = sum(1 for c in kids if s.name in c.sessions)
        working = sum(1 for m in members if s.name in m.sessions)
        need = math.ceil(present / ratio)
        if working < need:
            day = s.day
            for m in sorted(members, key=lambda m: len(m.sessions)):
                if working >= need:
                    break
                if s.name not in m.sessions:
                    extra = {x.name for x in sessions if x.day == day}
                    idx = members.index(m)
                    members[idx] = Staff(**{**m.__dict__, "sessions": m.sessions | extra})
                    working += 1
    # a funded 1:k child fills most of their key person's ratio: train one more practitioner for each
    enhanced = sum(1 for c in kids if c.support_ratio is not None or c.sen == "EHCP")
    trained = sum(m.sen_trained for m in members)
    for i, m in enumerate(members):
        if trained > enhanced:
            break
        if not m.sen_trained:
            members[i] = Staff(**{**m.__dict__, "sen_trained": True})
            trained += 1
    if rng.random() < 0.5:  # a student on placement: never a key person
        n = offset + len(members) + 1
        members.append(Staff(id=f"S{n:02d}", name=names(), room=room,
                             sessions=_pattern(rng, sessions, 3, 1.0), role="Student", can_be_key_person=False))
    return members


def _room_moves(kids: list[Child], plan_date: date) -> list[Child]:
    """Twos who turn three within 16 weeks move up to Pre-school on the Monday after their birthday."""
    out = []
    for c in kids:
        if c.room.endswith("Toddler") and c.date_of_birth:
            birthday = c.date_of_birth.replace(year=c.date_of_birth.year + 3) if not (
                c.date_of_birth.month == 2 and c.date_of_birth.day == 29) else date(c.date_of_birth.year + 3, 3, 1)
            if plan_date < birthday <= plan_date + timedelta(weeks=16):
                monday = birthday + timedelta(days=(7 - birthday.weekday()) % 7)
                c = Child(**{**c.__dict__, "moves_to": c.room.replace("Toddler", "Pre-school"), "move_date": monday})
        out.append(c)
    return out


def _siblings(rng, kids: list[Child]) -> list[Child]:
    out = list(kids)
    n_groups = max(1, len(kids) // 20)
    for g in range(n_groups):
        a, b = rng.sample(range(len(out)), 2)
        if out[a].sibling_group or out[b].sibling_group:
            continue
        family = out[a].name.split()[-1]
        out[b] = Child(**{**out[b].__dict__, "name": out[b].name.split()[0] + " " + family,
                          "sibling_group": f"F{g + 1}"})
        out[a] = Child(**{**out[a].__dict__, "sibling_group": f"F{g + 1}"})
    return out


def _current_key_persons(rng, kids: list[Child], staff: list[Staff]) -> list[Child]:
    """About two thirds of children keep a key person from last term (and most a co-worker)."""
    out = []
    for c in kids:
        eligible = [s for s in staff if s.room == c.room and s.can_be_key_person]
        if c.starts is None and rng.random() < 0.67 and len(eligible) >= 2:
            kp = max(eligible, key=lambda s: (len(s.sessions & c.sessions) + rng.random() * 3))
            co = rng.choice([s for s in eligible if s.id != kp.id]) if rng.random() < 0.7 else None
            c = Child(**{**c.__dict__, "key_person": kp.id, "co_worker": co.id if co else None})
        out.append(c)
    return out


def _attachments(rng, kids, staff) -> tuple[Attachment, ...]:
    out = []
    for c in kids:
        if rng.random() < 0.15:
            options = [s for s in staff if s.room == c.room and s.can_be_key_person and s.sessions & c.sessions]
            if options:
                s = rng.choice(options)
                out.append(Attachment(c.id, s.id, rng.choice([1, 2, 2, 3]), notes="seen during settling in"))
    return tuple(out)


def _locks(rng, kids, staff) -> tuple[Lock, ...]:
    out = []
    candidates = [c for c in kids if c.key_person and c.sen == "none"]
    if candidates:
        c = rng.choice(candidates)
        out.append(Lock(c.id, c.key_person, "key person", "must", "parents asked to keep her"))
    return tuple(out)
