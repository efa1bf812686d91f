"""Telling parents: one letter per family, from a plan.

The EYFS asks a setting to tell parents the name of their child's key person and what the key person
does, when the child starts and whenever it changes. This module turns a setting whose children carry a
plan (``Setting.with_plan``, or a plan workbook read back) into :class:`Letter` records: one per family
(children sharing a ``Sibling group`` share one), each listing only that family's children. The Word
documents are made from these by :mod:`scheduler.word`, and the plan workbook's ``Letters`` sheet is
:func:`letters_table`.

Which families: ``changed`` (the default) keeps the letters with at least one child whose key person was
chosen by a plan (``Key person since``) after the parents were last told (``Parents told``, or never):
new starters, new and changed key persons, successors of leavers. ``all`` keeps every family.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import pandas as pd

from .setting import DAYS, Child, Setting, fold
from .words import DAY_NAMES, first_name, long_date, spoken_list

WHAT = ("new starter", "new key person", "change of key person", "no change")

# the placeholders a letter template may use, with what each holds (the README's table is made from this)
CHILD_FIELDS = {
    "child_name": "the child's full name",
    "child_first_name": "the child's first name",
    "room": "the child's room",
    "key_person": "the key person's full name",
    "key_person_first_name": "the key person's first name",
    "co_worker": "the co-worker's (buddy's) full name",
    "shared_days": "the days the child and key person are both in, e.g. 'Monday, Tuesday and Thursday'",
    "co_worker_days": "the days the child and co-worker are both in",
    "what": "'new starter', 'new key person', 'change of key person' or 'no change'",
    "is_new_starter": "true when the child has not started yet, or started under this plan",
    "is_change": "true when the key person changes",
    "is_temporary": "true when the key person is for settling in only",
    "temporary_until": "the date the settling-in period ends, e.g. 'Friday 12 February 2027' (blank if none)",
    "previous_key_person": "the key person before the change (blank if none)",
    "change_reason": "why the key person changes, as a sentence (blank if no change)",
    "from_date": "the date the key person takes over, e.g. 'Tuesday 1 December 2026'",
}
LETTER_FIELDS = {
    "setting_name": "the setting's name",
    "date": "the date of the letter",
    "family": "the family's Sibling group, or the child's ID",
    "child_names": "the children's first names, e.g. 'Amy and Ben'",
    "children": "the family's children, each with every child field (e.g. {{ child.key_person }} "
                "inside {%p for child in children %} ... {%p endfor %})",
}
FIELDS = {**LETTER_FIELDS, **CHILD_FIELDS}
NO_LETTERS = "No letters to write: every family has been told about their child's key person."


@dataclass(frozen=True)
class Notice:
    """What one child's parents are told."""

    child_id: str
    child_name: str
    child_first_name: str
    room: str
    key_person: str
    key_person_first_name: str
    co_worker: str
    shared_days: str
    co_worker_days: str
    what: str
    is_new_starter: bool
    is_change: bool
    is_temporary: bool
    temporary_until: str
    previous_key_person: str
    change_reason: str
    from_date: str
    needs_letter: bool
    parents_told: date | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Letter:
    """One family's letter: its children, in sheet order."""

    family: str
    children: tuple[Notice, ...]
    setting_name: str
    date: str

    @property
    def needs_letter(self) -> bool:
        return any(n.needs_letter for n in self.children)

    @property
    def child_names(self) -> str:
        return spoken_list([n.child_first_name for n in self.children])

    def context(self) -> dict[str, object]:
        """The template's placeholders: the letter's own fields, the first child's at the top level (for a
        letter written for one child), and ``children`` for a family."""
        first = asdict(self.children[0])
        return {**{k: first[k] for k in CHILD_FIELDS}, "setting_name": self.setting_name, "date": self.date,
                "family": self.family, "child_names": self.child_names,
                "children": [{k: asdict(n)[k] for k in CHILD_FIELDS} for n in self.children]}


def shared_days(setting: Setting, child: Child, works: frozenset[str]) -> str:
    """The days the child attends with ``works`` in: a whole day's name where every session the child
    attends that day is shared, else the day with the shared sessions' times."""
    parts = []
    for day in DAYS:
        mine = [t for t in setting.sessions if t.day == day and t.name in child.sessions]
        both = [t for t in mine if t.name in works]
        if not both:
            continue
        if len(both) == len(mine):
            parts.append(DAY_NAMES[day])
        else:
            parts.append(DAY_NAMES[day] + " " + ", ".join(f"{t.start:%H:%M}-{t.end:%H:%M}" for t in both))
    if parts == [DAY_NAMES[d] for d in DAYS[:5]]:
        return "every weekday, Monday to Friday"
    return spoken_list(parts)


def change_reason(setting: Setting, child: Child, since: date) -> str:
    """Why the child's key person changed, from facts in the workbook (blank when it didn't)."""
    previous, new = child.previous_key_person, child.key_person
    if previous is None or new is None:
        return ""
    first = first_name(child.name)
    if previous not in setting.staff_index:
        return f"{previous} has left the setting."
    old = setting.member(previous)
    if old.leaves is not None and old.leaves <= since + timedelta(weeks=13):
        return f"{old.name} is leaving us; their last day is {long_date(old.leaves)}."
    if old.starts is not None and old.starts > since:
        return f"{old.name} has not started with us yet."
    room = child.room_on(since)
    if old.room != room:
        return f"{first} is moving to the {room} room, where {old.name} does not work."
    kp = setting.member(new)
    old_shared, new_shared = len(child.sessions & old.sessions), len(child.sessions & kp.sessions)
    if new_shared > old_shared:
        return (f"{kp.name} works more of the sessions {first} attends ({new_shared} of "
                f"{len(child.sessions)}, where {old.name} works {old_shared}).")
    siblings = [setting.child(o) for ids in setting.sibling_groups().values() if child.id in ids
                for o in ids if o != child.id and setting.child(o).key_person == new]
    if siblings:
        same = any(first_name(s.name) == first for s in siblings)  # a sibling who shares the first name
        return (f"{kp.name} is also key person to "
                f"{spoken_list([s.name if same else first_name(s.name) for s in siblings])}.")
    if setting.attachment(child.id, new) > setting.attachment(child.id, previous):
        return f"{first} has formed a close bond with {kp.name}."
    return "We have reviewed our key groups for this term."


def is_news(child: Child) -> bool:
    """Whether the key person is news to the parents: a plan chose them (``Key person since``) after the
    parents were last told (``Parents told``), or the parents were never told."""
    since, told = child.key_person_since, child.parents_told
    return since is not None and (told is None or told < since)


def notice(setting: Setting, child: Child, on: date) -> Notice:
    """What ``child``'s parents are told about their key person ``child.key_person`` (a planned child), on
    the plan date ``on``."""
    assert child.key_person is not None
    kp = setting.member(child.key_person)
    cw = setting.member(child.co_worker) if child.co_worker in setting.staff_index else None
    since, told = child.key_person_since, child.parents_told
    news = is_news(child)
    new_starter = news and child.starts is not None and since is not None and child.starts >= since
    changed = news and child.previous_key_person is not None
    settling = timedelta(weeks=setting.rules.settling_in_weeks)
    temporary = child.starts is not None and on < child.starts + settling
    what = ("new starter" if new_starter else "change of key person" if changed
            else "new key person" if news else "no change")
    takes_over = max(d for d in (since, child.starts) if d is not None) if since else on
    previous = setting.staff_name(child.previous_key_person) or ""
    return Notice(
        child_id=child.id, child_name=child.name, child_first_name=first_name(child.name),
        room=child.room_on(on), key_person=kp.name, key_person_first_name=first_name(kp.name),
        co_worker=cw.name if cw else "", shared_days=shared_days(setting, child, kp.sessions),
        co_worker_days=shared_days(setting, child, cw.sessions) if cw else "",
        what=what, is_new_starter=new_starter, is_change=changed, is_temporary=temporary,
        temporary_until=long_date(child.starts + settling) if temporary and child.starts else "",
        previous_key_person=previous if changed else "",
        change_reason=change_reason(setting, child, since) if changed and since else "",
        from_date=long_date(takes_over),
        needs_letter=news,
        parents_told=told)


def letters(setting: Setting, on: date, *, which: str = "changed", dated: date | None = None) -> list[Letter]:
    """One letter per family with a child on the roll on ``on`` who has a key person, families in the
    Children sheet's order; ``which`` is ``"changed"`` (families with a child whose parents haven't been
    told of the current key person) or ``"all"``. ``dated`` (default ``on``) is printed on the letter."""
    if which not in ("changed", "all"):
        raise ValueError("which must be 'changed' or 'all'")
    planned = [c for c in setting.children if c.enrolled_on(on) and c.key_person in setting.staff_index]
    families: dict[str, list[Child]] = {}
    for c in planned:
        group = fold(c.sibling_group) if c.sibling_group else f"\0{c.id}"
        families.setdefault(group, []).append(c)
    out = []
    for children in families.values():
        family = children[0].sibling_group or children[0].id
        notices = [notice(setting, c, on) for c in children]
        firsts = [n.child_first_name for n in notices]
        if len(set(firsts)) < len(firsts):  # two siblings with one first name: call each by their full name
            notices = [dataclasses.replace(n, child_first_name=n.child_name) for n in notices]
        letter = Letter(family, tuple(notices), setting.name, long_date(dated or on))
        if which == "all" or letter.needs_letter:
            out.append(letter)
    return out


def untold(setting: Setting, on: date) -> list[str]:
    """Sentences for ``keyperson check``: children on the roll on ``on`` whose key person was chosen after
    their parents were last told (or who were never told), as the plan workbook records it."""
    out = []
    for c in setting.children:
        if c.enrolled_on(on) and c.key_person in setting.staff_index and is_news(c):
            kp = setting.member(c.key_person)
            told = f"last told {c.parents_told:%d/%m/%Y}" if c.parents_told else "not recorded as told"
            out.append(f"{c.name} ({c.id}): key person {kp.name} ({kp.id}) since "
                       f"{c.key_person_since:%d/%m/%Y}; parents {told}")
    return out


def letters_table(found: list[Letter]) -> pd.DataFrame:
    """The plan workbook's Letters sheet: one row per family, every field, for a mail merge or a parent
    app. A family's children are joined in one cell each ('Amy: Sam Smith; Ben: Sam Smith') where they
    differ."""
    rows = []
    for i, letter in enumerate(found, start=1):
        kids = letter.children

        def joined(attr: str, kids: tuple[Notice, ...] = kids) -> str:
            values = [str(getattr(n, attr)) for n in kids]
            if len(set(values)) <= 1:
                return values[0] if values else ""
            return "; ".join(f"{n.child_first_name}: {v}" for n, v in zip(kids, values, strict=True) if v)

        rows.append({
            "Letter": i, "Family": letter.family, "Children": ", ".join(n.child_name for n in kids),
            "Child IDs": ", ".join(n.child_id for n in kids), "Room": joined("room"),
            "Needs letter": "yes" if letter.needs_letter else "no",
            "What is new": joined("what"), "Key person": joined("key_person"), "Co-worker": joined("co_worker"),
            "Days with key person": joined("shared_days"), "From": joined("from_date"),
            "Temporary until": joined("temporary_until"), "Previous key person": joined("previous_key_person"),
            "Reason for change": joined("change_reason"),
            "Parents told": ", ".join(f"{n.parents_told:%d/%m/%Y}" for n in kids if n.parents_told),
        })
    return pd.DataFrame(rows, columns=["Letter", "Family", "Children", "Child IDs", "Room", "Needs letter",
                                       "What is new", "Key person", "Co-worker", "Days with key person", "From",
                                       "Temporary until", "Previous key person", "Reason for change",
                                       "Parents told"])
