"""The term a plan holds for: its last day, the days the setting is open, and the dated sessions in it.

A plan is made on its plan date and must hold until the term ends (the
``Term ends`` rule, or ``--until``). Without a term end it is for the plan date
alone, as a one-week plan always was; then anyone starting or leaving within
:data:`LOOK_AHEAD_WEEKS` is named in a warning, so the manager can set one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from .errors import DataError, Problem
from .setting import DAYS, Child, Session, Setting
from .words import RECORD_DATES, UNTIL

LOOK_AHEAD_WEEKS = 13  # a term, near enough: who starts or leaves within it is worth a warning


def term_end(setting: Setting, on: date, until: date | None = None) -> date:
    """``until``, else the Term ends rule, else the plan date; a DataError when it is before the plan date."""
    last = until or setting.rules.term_ends or on
    if last < on:
        where = "--until" if until else "Term ends, on the Rules sheet"
        raise DataError(Problem(f"the term end {last:%d/%m/%Y} ({where}) is before the plan date {on:%d/%m/%Y}",
                                hint="give the last day of the term being planned, on or after the plan date"))
    return last


def days(first: date, last: date) -> Iterator[date]:
    """Every calendar day from ``first`` to ``last`` inclusive."""
    for i in range((last - first).days + 1):
        yield first + timedelta(days=i)


def sessions_on(setting: Setting, day: date) -> tuple[Session, ...]:
    """The week's sessions that fall on ``day``: none on a Closed date or a day with no sessions."""
    if setting.is_closed(day):
        return ()
    weekday = DAYS[day.weekday()]
    return tuple(t for t in setting.sessions if t.day == weekday)


def open_days(setting: Setting, first: date, last: date) -> list[date]:
    """The days from ``first`` to ``last`` on which the setting is open (some session, not Closed)."""
    return [d for d in days(first, last) if sessions_on(setting, d)]


def dated_sessions(setting: Setting, names: frozenset[str], first: date, last: date) -> list[tuple[date, Session]]:
    """The sessions in ``names`` that take place from ``first`` to ``last``, by date (Closed dates left out)."""
    return [(d, t) for d in days(first, last) for t in sessions_on(setting, d) if t.name in names]


def session_dates(setting: Setting, names: frozenset[str] | set[str], first: date, last: date) -> list[str]:
    """Each of the sessions ``names`` that takes place from ``first`` to ``last`` (Closed dates left out), as
    'Mon 04/01 AM'."""
    return [f"{d:%a %d/%m} {t.name.split()[-1]}" for d, t in dated_sessions(setting, frozenset(names), first, last)]


def first_full_week(first: date, last: date | None = None) -> tuple[date, date]:
    """The first Monday-to-Sunday week starting on or after ``first``, cut at ``last`` (the term's end) if
    that comes sooner; all the days from ``first`` to ``last`` when the term ends before that Monday. The
    Daily record's default range."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    if last is None:
        return monday, monday + timedelta(days=6)
    if monday > last:
        return first, last
    return monday, min(last, monday + timedelta(days=6))


def record_range(on: date, until: date | None, first: date | None = None,
                 last: date | None = None) -> tuple[date, date]:
    """The Daily record's dates: ``first`` to ``last`` (both within the plan's term), by default the first
    full week of the plan; a DataError naming the term when they fall outside it."""
    if first is None and last is None:
        return first_full_week(on, until)
    first = first or on
    last = last or (until if until else first + timedelta(days=6))
    end = until or last
    if first < on or last > end or last < first:
        term = f"{on:%d/%m/%Y} to {until:%d/%m/%Y}" if until else f"from {on:%d/%m/%Y}"
        raise DataError(Problem(f"the daily record's dates {first:%d/%m/%Y} to {last:%d/%m/%Y} are not within "
                                f"the plan ({term})", hint=RECORD_DATES))
    return first, last


def present_on(child: Child, day: date) -> bool:
    """Whether ``child`` is on the roll on ``day``: started (or starting that day) and not yet left."""
    return (child.starts is None or child.starts <= day) and (child.leaves is None or child.leaves >= day)


def term_words(setting: Setting, on: date, until: date) -> str:
    """'plan date 01/12/2026', or 'plan from 01/12/2026 to 18/12/2026 (13 open days)'."""
    if until == on:
        return f"plan date {on:%d/%m/%Y}"
    n = len(open_days(setting, on, until))
    return f"plan from {on:%d/%m/%Y} to {until:%d/%m/%Y} ({n} open day{'s' if n != 1 else ''})"


def coming_soon(setting: Setting, on: date, until: date) -> list[str]:
    """Without a term end (``until == on``): a sentence for each child or practitioner who starts or leaves
    within :data:`LOOK_AHEAD_WEEKS` after ``on``, which a plan for one day does not plan for."""
    if until > on:
        return []
    horizon = on + timedelta(weeks=LOOK_AHEAD_WEEKS)
    out = []
    for kind, people in (("Child", setting.children), ("Practitioner", setting.staff)):
        for p in people:
            for verb, when in (("starts", p.starts), ("leaves", p.leaves)):
                if when is not None and on < when <= horizon:
                    out.append(f"{kind} {p.name} ({p.id}) {verb} on {when:%d/%m/%Y}, within {LOOK_AHEAD_WEEKS} "
                               f"weeks, but this plan is for {on:%d/%m/%Y} alone: set Term ends on the Rules "
                               f"sheet (or {UNTIL}) to plan the term around it")
    return out
