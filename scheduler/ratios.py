"""The ratio check of the rota: in every room and session, enough staff who count for the children present.

This is the legal ratio (EYFS), not the key group limit the plan keeps: all the
staff present who count in ratio, against all the children present, each child
needing their share of an adult by their own age band (see
:meth:`scheduler.instance.Instance.share`). Where the Staff sheet gives
qualifications, each room and session is also checked for a practitioner at
level 3 or above and for half of the others at level 2 or above. No solver
here, and no plan: the check reads the rota (who attends and who works each
session), and a shortfall is a warning, never a reason to refuse a plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from .instance import Instance
from .setting import AGE_BANDS, TEACHER_HOURS, TEACHER_QUALIFICATIONS, TEACHER_RATIO, Child, Staff, age_on

BANDS = tuple(band for band, _, _ in AGE_BANDS)
NO_AGE = "age not known"
COLUMNS = ("Room", "Session", "Ratios", "Children", *(b.capitalize() for b in BANDS), NO_AGE.capitalize(),
           "Adults needed", "Staff who count", "Difference", "Qualifications", "Before the term ends")


@dataclass(frozen=True)
class SessionCheck:
    """One room in one session: who is present, what they need, and what is wrong."""

    room: str
    session: str
    children: tuple[Child, ...]
    staff: tuple[Staff, ...]  # present and counting in ratio
    needed: Fraction  # the sum of the children's shares of an adult
    ratios: str  # the ratios in force, e.g. "1:5 aged 2, 1:8 3 and over"
    qualifications: tuple[str, ...]  # what the qualification checks found (empty when all is well)

    @property
    def adults_needed(self) -> int:
        return math.ceil(self.needed)

    @property
    def difference(self) -> int:
        """Staff who count, less the adults needed: negative is a shortfall."""
        return len(self.staff) - self.adults_needed


@dataclass(frozen=True)
class NeedChange:
    """A room and session whose adults needed change on ``day``, before the term ends, because children
    present move up an age band on their birthday."""

    room: str
    session: str
    day: date
    children: tuple[Child, ...]  # those moving up a band that day
    before: int
    after: int

    def words(self) -> str:
        who = ", ".join(f"{c.name} ({c.id}) turns {age_on(born, self.day)}" for c in self.children
                        if (born := c.date_of_birth) is not None)
        return f"{_adults(self.after)} from {self.day:%d/%m/%Y} ({who})"


def checks(inst: Instance) -> list[SessionCheck]:
    """Every room and session in which someone is present, rooms in sheet order, sessions in the week's."""
    qualified = any(m.qualification for m in inst.staff)
    out = []
    for room in inst.setting.rooms:
        kids = [c for c in inst.children if inst.room_of[c.id] == room.name]
        members = [m for m in inst.staff if m.room == room.name and m.counts_in_ratio
                   and m.id in inst.employed]  # on the plan date (inst.staff holds the term's joiners too)
        for t in inst.setting.sessions:
            present = tuple(c for c in kids if t.name in c.sessions)
            staff = tuple(m for m in members if t.name in m.sessions)
            if not present and not staff:
                continue
            needed = sum((inst.share(c, t.name) for c in present), Fraction(0))
            out.append(SessionCheck(room.name, t.name, present, staff, needed, _ratios(inst, present, t.name),
                                    _qualifications(inst, room.name, t.name, staff) if qualified else ()))
    return out


def need_changes(inst: Instance) -> list[NeedChange]:
    """Sessions whose adults needed change before the term ends (``Term ends`` or ``--until``) because a
    child present moves up an age band (turns 2 or 3); in order of room, session and date. Children counted
    at the room's Ratio, or without a date of birth, keep their share."""
    if inst.term_ends <= inst.on:
        return []
    out = []
    for x in checks(inst):
        moving: dict[date, list[Child]] = {}
        for c in x.children:
            if c.date_of_birth and inst.setting.room(x.room).ratio is None:
                for day in band_birthdays(c.date_of_birth, inst.on, inst.term_ends):
                    moving.setdefault(day, []).append(c)
        need = x.adults_needed
        for day in sorted(moving):
            after = math.ceil(sum((inst.share(c, x.session, day) for c in x.children), Fraction(0)))
            if after != need:
                out.append(NeedChange(x.room, x.session, day, tuple(moving[day]), need, after))
                need = after
    return out


def band_birthdays(born: date, after: date, until: date) -> list[date]:
    """The birthdays on which a child born on ``born`` moves up an age band (their 2nd and 3rd), that fall
    after ``after`` and no later than ``until``. A 29 February birthday is kept on 1 March."""
    out = []
    for _, _, years in AGE_BANDS[:-1]:
        try:
            day = born.replace(year=born.year + years)
        except ValueError:  # 29 February, in a year that has none
            day = date(born.year + years, 3, 1)
        if after < day <= until:
            out.append(day)
    return out


def _ratios(inst: Instance, present, session: str) -> str:
    """The ratios in force for the children present, tightest first, e.g. ``1:3 under 2; 1:5 aged 2``."""
    seen: dict[int, list[str]] = {}
    for c in present:
        why = seen.setdefault(inst.ratio_in(c, session), [])
        if (label := _why(inst, c, session)) not in why:
            why.append(label)
    return "; ".join(f"1:{k} {', '.join(seen[k])}" for k in sorted(seen))


def _why(inst: Instance, child: Child, session: str) -> str:
    """Why a child is at their ratio in ``session``: support ratio, the room's ratio, or their age band."""
    k = inst.ratio_in(child, session)
    if child.support_ratio is not None and k == child.support_ratio and k < inst.child_ratio[child.id]:
        return "support ratio"
    if inst.setting.room(inst.room_of[child.id]).ratio is not None:
        return "room's ratio" if k == inst.child_ratio[child.id] else "room's 1:13 not met"
    return inst.age_band[child.id] or NO_AGE


def _qualifications(inst: Instance, room: str, session: str, staff: tuple[Staff, ...]) -> tuple[str, ...]:
    """The qualification checks of one room and session (run only where the Staff sheet gives any)."""
    found = []
    if staff and not any(m.level >= 3 for m in staff):
        found.append("nobody at level 3 or above")
    others = sorted(staff, key=lambda m: -m.level)[1:]  # all but the most qualified
    at_level_2 = sum(m.level >= 2 for m in others)
    if 2 * at_level_2 < len(others):
        found.append(f"{at_level_2} of the {len(others)} other staff at level 2 or above (at least half should be)")
    if inst.setting.room(room).ratio == TEACHER_RATIO and not inst.teacher_ratio_holds(room, session):
        t = inst.setting.sessions[inst.setting.session_index[session]]
        if not (TEACHER_HOURS[0] <= t.start and t.end <= TEACHER_HOURS[1]):
            found.append(f"1:8, not 1:13: {t.start:%H:%M}-{t.end:%H:%M} is outside 08:00-16:00")
        else:
            found.append(f"1:8, not 1:13: no {', '.join(TEACHER_QUALIFICATIONS[:-1])} or "
                         f"{TEACHER_QUALIFICATIONS[-1]} holder present")
    return tuple(found)


def table(inst: Instance) -> pd.DataFrame:
    """The ratio check as a table, one row per room and session (the plan workbook's Ratios sheet)."""
    rows = []
    later: dict[tuple[str, str], list[str]] = {}
    for change in need_changes(inst):
        later.setdefault((change.room, change.session), []).append(change.words())
    for x in checks(inst):
        bands = [sum(inst.age_band[c.id] == b for c in x.children) for b in BANDS]
        rows.append((x.room, x.session, x.ratios, len(x.children), *bands,
                     sum(inst.age_band[c.id] is None for c in x.children), x.adults_needed,
                     len(x.staff), x.difference, "; ".join(x.qualifications),
                     "; ".join(later.get((x.room, x.session), ()))))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def warnings(inst: Instance) -> list[dict[str, str]]:
    """Warning rows (Kind, Who, Session, Message) for the Warnings sheet: the :func:`age_warnings`, each
    shortfall, each qualification finding."""
    out = age_warnings(inst)
    for x in checks(inst):
        if x.difference < 0:
            out.append({"Kind": "ratio shortfall", "Who": x.room, "Session": x.session,
                        "Message": shortfall(x)})
        for finding in x.qualifications:
            out.append({"Kind": "qualifications", "Who": x.room, "Session": x.session,
                        "Message": f"{x.room}, {x.session}: {finding}"})
    return out


def age_warnings(inst: Instance) -> list[dict[str, str]]:
    """Warning rows for children counted other than by their own age: no date of birth (named), or a room
    Ratio looser than their age band. ``keyperson check`` prints these too."""
    out = []
    for c in inst.children:
        if inst.age_band[c.id] is None and inst.setting.room(inst.room_of[c.id]).ratio is None:
            out.append({"Kind": "no date of birth", "Who": c.id, "Session": "",
                        "Message": f"{c.name} ({c.id}) has no date of birth: counted at 1:{inst.child_ratio[c.id]}, "
                        f"the tightest age band in {inst.room_of[c.id]}; add it on the Children sheet"})
    return out + _looser_than_age(inst)


def _looser_than_age(inst: Instance) -> list[dict[str, str]]:
    """A warning for each room whose Ratio is looser than the statutory ratio of a child's own age band
    (1:13 for children of 3 and over excepted): the Ratio applies, as the Rooms sheet says, but the EYFS
    ratio for those children is tighter."""
    ratio_of_band = {band: ratio for band, ratio, _ in AGE_BANDS}
    out = []
    for room in inst.setting.rooms:
        if room.ratio is None:
            continue
        younger = [(c, band) for c in inst.children if inst.room_of[c.id] == room.name
                   and (band := inst.age_band[c.id]) is not None and ratio_of_band[band] < room.ratio
                   and not (room.ratio == TEACHER_RATIO and band == BANDS[-1])]
        if younger:
            named = ", ".join(f"{c.name} ({c.id}, {band}: 1:{ratio_of_band[band]})" for c, band in younger[:3])
            more = f" and {len(younger) - 3} more" if len(younger) > 3 else ""
            out.append({"Kind": "room ratio", "Who": room.name, "Session": "",
                        "Message": f"{room.name}'s Ratio 1:{room.ratio} (Rooms sheet) is looser than the EYFS "
                        f"ratio for {named}{more}: the check uses the room's Ratio; blank it to count each "
                        "child by their own age"})
    return out


def shortfall(x: SessionCheck) -> str:
    """A shortfall in a manager's words."""
    n, staff = len(x.children), len(x.staff)
    return (f"{x.room}, {x.session}: the {n} child{'ren' if n != 1 else ''} present need "
            f"{_adults(x.adults_needed)} ({x.ratios}) but {staff} "
            f"{'person who counts' if staff == 1 else 'people who count'} in ratio "
            f"{'is' if staff == 1 else 'are'} working: {-x.difference} short")


def _adults(n: int) -> str:
    return f"{n} adult{'s' if n != 1 else ''}"


def share_words(x: Fraction) -> str:
    """Adults as a mixed number, exactly: ``2 1/3 adults``, ``7/8 of an adult``, ``1 adult``."""
    whole, part = divmod(x, 1)
    if not part:
        return _adults(int(whole))
    if not whole:
        return f"{part.numerator}/{part.denominator} of an adult"
    return f"{int(whole)} {part.numerator}/{part.denominator} adults"


def summary(inst: Instance) -> list[str]:
    """One line per room for ``keyperson check``: rooms with a shortfall first (worst first), then the rest
    in sheet order."""
    by_room: dict[str, list[SessionCheck]] = {}
    for x in checks(inst):
        by_room.setdefault(x.room, []).append(x)
    changes: dict[str, list[NeedChange]] = {}
    for change in need_changes(inst):
        changes.setdefault(change.room, []).append(change)
    lines = []
    for room, found in by_room.items():
        short = [x for x in found if x.difference < 0]
        findings = sum(len(x.qualifications) for x in found)
        qual = f"; {findings} qualification finding{'s' if findings != 1 else ''}" if findings else ""
        if short:
            worst = ", ".join(f"{x.session} {-x.difference} short ({x.adults_needed} needed, "
                              f"{len(x.staff)} in)" for x in sorted(short, key=lambda x: x.difference)[:3])
            more = f" and {len(short) - 3} more" if len(short) > 3 else ""
            text = f"short of staff in {len(short)} of {len(found)} sessions: {worst}{more}{qual}"
        else:
            tight = min(found, key=lambda x: x.difference)
            text = (f"enough staff in all {len(found)} sessions (closest: {tight.session}, "
                    f"{tight.adults_needed} needed, {len(tight.staff)} in){qual}")
        if room in changes:
            first = changes[room][0]
            sessions = len({c.session for c in changes[room]})
            text += (f"; birthdays before the term ends change the adults needed in {sessions} "
                     f"session{'s' if sessions != 1 else ''} (first: {first.session}, {first.before} -> "
                     f"{first.after} from {first.day:%d/%m/%Y})")
        lines.append((-min(x.difference for x in found) if short else 0, room, f"{room}: {text}"))
    order = {r.name: i for i, r in enumerate(inst.setting.rooms)}
    return [line for _, _, line in sorted(lines, key=lambda x: (x[0] == 0, -x[0], order[x[1]]))]
