"""The setting: a frozen, validated description of one nursery or pre-school.

Everything downstream (the model, the checker, the writers) reads a
:class:`Setting`; nothing here knows about Excel or OR-Tools. Build variants
with :func:`dataclasses.replace` (re-exported as :func:`replace`), so a what-if
or a test is the base case with one thing changed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property

from .rules import Rules, ratio_default_cap

replace = dataclasses.replace

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SEN_LEVELS = ("none", "SEN support", "EHCP")
ROLES = ("key person", "co-worker")


def named(name: str | None, ident: str) -> str:
    """How a person is named to a manager: ``Amy Jones (S05)``, the ID alone when the name is blank."""
    return f"{name} ({ident})" if name and name != ident else ident


@dataclass(frozen=True)
class Session:
    """One session of the week, e.g. ``Mon AM`` from 08:00 to 13:00."""

    name: str
    day: str
    start: time
    end: time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


def default_sessions() -> tuple[Session, ...]:
    """The contract's default week: Mon AM .. Fri PM, AM 08:00-13:00, PM 13:00-18:00."""
    out = []
    for day in DAYS[:5]:
        out.append(Session(f"{day} AM", day, time(8), time(13)))
        out.append(Session(f"{day} PM", day, time(13), time(18)))
    return tuple(out)


@dataclass(frozen=True)
class Room:
    """A room; blank ``ratio``/``max_key_children`` take the defaults (see :meth:`Setting.room_ratio`)."""

    name: str
    max_key_children: int | None = None
    ratio: int | None = None  # k in 1:k
    site: str | None = None  # the site (setting) of a group the room belongs to; None: the only one


@dataclass(frozen=True)
class Child:
    id: str
    name: str
    room: str
    sessions: frozenset[str]
    date_of_birth: date | None = None
    sen: str = "none"
    support_ratio: int | None = None  # k in 1:k funded enhanced staffing
    home_language: str | None = None  # None = English
    key_person: str | None = None  # staff ID
    co_worker: str | None = None  # staff ID
    starts: date | None = None
    leaves: date | None = None
    moves_to: str | None = None
    move_date: date | None = None
    sibling_group: str | None = None
    # telling parents (see scheduler/letters.py): the date they were last told the key person's name and
    # role, the date the plan that chose the current key person was made, and who it was before (a staff
    # ID, or the name as written when that practitioner is no longer on the Staff sheet)
    parents_told: date | None = None
    key_person_since: date | None = None
    previous_key_person: str | None = None
    row: int | None = field(default=None, compare=False)  # Excel row it was read from

    @property
    def label(self) -> str:
        """``Rosie Owen (C001)``."""
        return named(self.name, self.id)

    @property
    def needs_enhanced_support(self) -> bool:
        """EHCP or funded support ratio: counts double and needs an SEN-trained key person."""
        return self.sen == "EHCP" or self.support_ratio is not None

    def room_on(self, on: date | None) -> str:
        """The room the child is in on ``on`` (after a move once the move date has come)."""
        if self.moves_to and (self.move_date is None or (on is not None and on >= self.move_date)):
            return self.moves_to
        return self.room

    def enrolled_on(self, on: date | None) -> bool:
        """Whether the child is on the roll on ``on``: not yet left. New starters count."""
        return on is None or self.leaves is None or self.leaves >= on


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    room: str
    sessions: frozenset[str]
    role: str = ""
    can_be_key_person: bool = True
    sen_trained: bool = False
    languages: tuple[str, ...] = ()
    max_key_children: int | None = None
    starts: date | None = None
    leaves: date | None = None
    counts_in_ratio: bool = True  # no for a cook, or a student the setting does not count
    checks_complete: bool = True  # DBS and references done; no: neither key person nor co-worker
    qualification: str | None = None  # one of QUALIFICATIONS, or not given
    row: int | None = field(default=None, compare=False)

    @property
    def level(self) -> int:
        """The qualification level: 2, 3 or 6 (QTS, EYTS and EYPS are level 6); 0 for a student or none given."""
        return QUALIFICATION_LEVEL.get(self.qualification, 0) if self.qualification else 0

    @property
    def early_years_teacher(self) -> bool:
        """Holds QTS, EYTS or EYPS (what the 1:13 ratio needs)."""
        return self.qualification in TEACHER_QUALIFICATIONS

    @property
    def label(self) -> str:
        """``Amy Jones (S05)``."""
        return named(self.name, self.id)

    def employed_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.starts is None or self.starts <= on) and (self.leaves is None or self.leaves >= on)

    def speaks(self, language: str | None) -> bool:
        return language is not None and language.casefold() in {x.casefold() for x in self.languages}


@dataclass(frozen=True)
class Attachment:
    """A bond observed between a child and a practitioner; strength 1 weak .. 3 strong."""

    child: str
    staff: str
    strength: int
    observed: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Closure:
    """Days the setting is shut (a bank holiday, the Christmas closure): ``first`` to ``last`` inclusive."""

    first: date
    last: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Lock:
    """A manager's decision the plan must keep: ``rule`` is ``must`` or ``must not``."""

    child: str
    staff: str
    role: str  # "key person" | "co-worker"
    rule: str  # "must" | "must not"
    reason: str = ""
    held: bool = False  # a what-if's held assignment (as in the current plan), not a Locks-sheet lock


# EYFS age bands and their statutory ratios (k in 1:k), youngest first: (band, ratio, first age out of it)
AGE_BANDS = (("under 2", 3, 2), ("aged 2", 5, 3), ("3 and over", 8, None))
TIGHTEST_RATIO = AGE_BANDS[0][1]
# Qualifications the Staff sheet may give, with their level; QTS, EYTS and EYPS allow 1:13 for over-3s
QUALIFICATION_LEVEL = {"Level 2": 2, "Level 3": 3, "Level 6": 6, "QTS": 6, "EYTS": 6, "EYPS": 6, "Student": 0}
QUALIFICATIONS = tuple(QUALIFICATION_LEVEL)
TEACHER_QUALIFICATIONS = ("QTS", "EYTS", "EYPS")
TEACHER_RATIO = 13  # 1:13 holds only 08:00-16:00 with a QTS, EYTS or EYPS holder present; otherwise 1:8
TEACHER_HOURS = (time(8), time(16))


def age_band(age_years: int | None) -> str | None:
    """The EYFS age band of a child this many whole years old (None when the age is not known)."""
    if age_years is None:
        return None
    return next(band for band, _, until in AGE_BANDS if until is None or age_years < until)


def statutory_ratio(age_years: int | None) -> int:
    """EYFS ratio for a child's age: under 2 -> 3, 2 -> 5, 3 and over -> 8 (8 when the age is not known)."""
    band = age_band(age_years)
    return next(ratio for name, ratio, _ in AGE_BANDS if name == (band or "3 and over"))


def fold(text: str) -> str:
    """A name as the workbook means it, whatever its case and spacing (sibling groups, sites)."""
    return " ".join(text.casefold().split())


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class Setting:
    """One setting's data, as read from its workbook (or built in code)."""

    name: str = field(compare=False)  # a label (the file's name), not part of the data
    sessions: tuple[Session, ...]
    rooms: tuple[Room, ...]
    children: tuple[Child, ...]
    staff: tuple[Staff, ...]
    attachments: tuple[Attachment, ...] = ()
    locks: tuple[Lock, ...] = ()
    rules: Rules = field(default_factory=Rules)
    closed: tuple[Closure, ...] = ()  # the Closed sheet
    source: str | None = field(default=None, compare=False)  # the workbook it was read from, if any

    def __post_init__(self):
        for kind, items in (("session", self.sessions), ("room", self.rooms),
                            ("child", self.children), ("staff", self.staff)):
            keys = [getattr(x, "name" if kind in ("session", "room") else "id") for x in items]
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} {', '.join(dupes)}")
        session_names = {s.name for s in self.sessions}
        room_names = {r.name for r in self.rooms}
        staff_ids = {s.id for s in self.staff}
        people: tuple[Child | Staff, ...] = (*self.children, *self.staff)
        for person in people:
            unknown = person.sessions - session_names
            if unknown:
                raise ValueError(f"{person.id} attends unknown sessions {sorted(unknown)}")
            if person.room not in room_names:
                raise ValueError(f"{person.id} is in unknown room {person.room!r}")
        for child in self.children:
            if child.moves_to is not None and child.moves_to not in room_names:
                raise ValueError(f"{child.id} moves to unknown room {child.moves_to!r}")
            for ref in (child.key_person, child.co_worker):
                if ref is not None and ref not in staff_ids:
                    raise ValueError(f"{child.id} refers to unknown staff {ref!r}")
        child_ids = {c.id for c in self.children}
        decisions: tuple[Attachment | Lock, ...] = (*self.attachments, *self.locks)
        for item in decisions:
            if item.child not in child_ids or item.staff not in staff_ids:
                raise ValueError(f"{type(item).__name__} refers to unknown {item.child}/{item.staff}")

    # -- index maps -------------------------------------------------------
    @cached_property
    def session_index(self) -> dict[str, int]:
        return {s.name: i for i, s in enumerate(self.sessions)}

    @cached_property
    def child_index(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.children)}

    @cached_property
    def staff_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.staff)}

    @cached_property
    def room_index(self) -> dict[str, int]:
        return {r.name: i for i, r in enumerate(self.rooms)}

    def child(self, child_id: str) -> Child:
        return self.children[self.child_index[child_id]]

    def member(self, staff_id: str) -> Staff:
        return self.staff[self.staff_index[staff_id]]

    def staff_name(self, ref: str | None) -> str | None:
        """A practitioner's name for a manager or a parent to read, or ``ref`` as written when they are not
        on the Staff sheet (e.g. a previous key person who has left)."""
        return self.member(ref).name if ref in self.staff_index else ref

    def room(self, name: str) -> Room:
        return self.rooms[self.room_index[name]]

    def is_closed(self, day: date) -> bool:
        """Whether the Closed sheet shuts the setting on ``day``."""
        return any(c.covers(day) for c in self.closed)

    def ordered_sessions(self, names) -> list[str]:
        """Session names in the week's order."""
        return sorted(names, key=self.session_index.__getitem__)

    # -- derived policy ---------------------------------------------------
    def site_of(self, room: str) -> str | None:
        """The room's site (Rooms sheet), case and spacing folded; None when not given."""
        return self._sites[room]

    @cached_property
    def _sites(self) -> dict[str, str | None]:
        return {r.name: fold(r.site) if r.site else None for r in self.rooms}

    def room_ratio(self, room: str, on: date | None = None) -> int:
        """The room's ratio (k in 1:k): Rooms sheet, else statutory for its youngest child."""
        explicit = self.room(room).ratio
        if explicit is not None:
            return explicit
        ages = [age_on(c.date_of_birth, on or date.today()) for c in self.children
                if c.room_on(on) == room and c.date_of_birth is not None and c.enrolled_on(on)]
        return statutory_ratio(min(ages) if ages else None)

    def cap(self, staff_id: str, on: date | None = None) -> int:
        """Caseload cap: Staff sheet, else Rooms sheet, else the Rules default for the room's ratio; the
        last two pro rata to the room's open sessions worked when the Rules say ``Pro-rata caps``."""
        return self.cap_derivation(staff_id, on)[0]

    def cap_derivation(self, staff_id: str, on: date | None = None) -> tuple[int, str]:
        """The caseload cap and how it was found, in a manager's words ("8 x 4/10 sessions, rounded up: 4")."""
        member = self.member(staff_id)
        if member.max_key_children is not None:
            return member.max_key_children, "Staff sheet (taken as pro rata)"
        room_cap = self.room(member.room).max_key_children
        if room_cap is not None:
            full, source = room_cap, f"{member.room}'s cap of {room_cap}"
        else:
            ratio = self.room_ratio(member.room, on)
            full = self.rules.default_cap(ratio)
            default = ratio_default_cap(ratio)
            rules_cap = self.rules.max_key_children
            if rules_cap is not None and rules_cap < default:
                source = f"the Rules' cap of {full} (tighter than the default {default} at 1:{ratio})"
            elif rules_cap is not None and rules_cap > default:
                source = (f"the default cap of {full} at 1:{ratio} (the Rules' {rules_cap} applies only "
                          "where it is tighter)")
            else:
                source = f"the default cap of {full} at 1:{ratio}"
        if not self.rules.pro_rata_caps:
            return full, source
        open_ = self.open_sessions(member.room, on)
        worked = len(member.sessions & open_)
        if not open_ or worked == len(open_):
            return full, f"{source}, works every session the room is open"
        share = -(-full * worked // len(open_))
        if share < 1:
            return 1, f"{full} x {worked}/{len(open_)} sessions, at least 1: 1"
        return share, f"{full} x {worked}/{len(open_)} sessions, rounded up: {share}"

    def open_sessions(self, room: str, on: date | None = None) -> frozenset[str]:
        """The sessions ``room`` is open: those at least one of its children on the roll attends."""
        key = (room, on)
        if key not in self._open:
            self._open[key] = frozenset().union(*(c.sessions for c in self.children
                                                  if c.room_on(on) == room and c.enrolled_on(on)))
        return self._open[key]

    @cached_property
    def _open(self) -> dict[tuple[str, date | None], frozenset[str]]:
        return {}

    def co_worker_cap(self, staff_id: str, on: date | None = None) -> int:
        if self.rules.max_co_worker_children is not None:
            return self.rules.max_co_worker_children
        return self.cap(staff_id, on)

    def caseload_weight(self, child: Child) -> int:
        return self.rules.sen_caseload_weight if child.needs_enhanced_support else 1

    def needs_trained_key_person(self, child: Child) -> bool:
        if child.needs_enhanced_support:
            return self.rules.ehcp_needs_sen_trained
        return child.sen == "SEN support" and self.rules.sen_support_needs_sen_trained

    def attachment(self, child_id: str, staff_id: str) -> int:
        return self._attachments.get((child_id, staff_id), 0)

    @cached_property
    def _attachments(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for a in self.attachments:
            out[(a.child, a.staff)] = max(out.get((a.child, a.staff), 0), a.strength)
        return out

    def sibling_groups(self) -> dict[str, list[str]]:
        """Sibling group (case and spacing folded) -> the IDs of its children, for groups of two or more."""
        return self._sibling_groups

    @cached_property
    def _sibling_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for c in self.children:
            if c.sibling_group:
                groups.setdefault(fold(c.sibling_group), []).append(c.id)
        return {g: ids for g, ids in groups.items() if len(ids) > 1}

    def with_plan(self, key_person: dict[str, str], co_worker: dict[str, str], on: date) -> Setting:
        """This setting with a plan made on ``on`` as every planned child's current key person and co-worker
        (what the plan workbook gives as next term's input). A child whose key person changes records who
        it was (``previous_key_person``) and since when the new one is theirs (``key_person_since``: the
        plan date); the parents' ``parents_told`` date is kept as it was."""
        children = []
        for c in self.children:
            new = key_person.get(c.id, c.key_person)
            if new != c.key_person:
                c = replace(c, previous_key_person=c.key_person or None, key_person_since=on)
            children.append(replace(c, key_person=new, co_worker=co_worker.get(c.id, c.co_worker)))
        # the plan workbook keeps the setting's name, whatever the plan file is called
        return replace(self, children=tuple(children), rules=replace(self.rules, setting_name=self.name))
