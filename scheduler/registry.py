"""Every hard rule and soft term, declared once: the table the model, the diagnosis, the relaxation,
the pre-checks, the checker, the explanations and the README are held to.

A :class:`HardRule` row names each part of a rule:

* ``build``: its CP-SAT builder, a function of that name in :mod:`scheduler.cpsat.constraints`
  (``None`` for a rule kept only by leaving the pairs it forbids out of the model);
* ``key_exclusion`` / ``co_exclusion``: the plain-English reason it forbids a (child, practitioner)
  pair, if it forbids pairs (:meth:`scheduler.instance.Instance.key_person_exclusion` reads them in
  this table's order). A rule with a builder keeps those pairs in a relaxed instance (the diagnosis),
  and its builder enforces it there as a named group;
* ``group`` and ``says``: the kind of rule group the builder names for the diagnosis, and what that
  group is and what loosening it would mean, in a manager's words;
* ``relax``: the kind of workbook change in :mod:`scheduler.cpsat.relax` that loosens it at a price,
  or ``None``: not relaxable, kept hard in the slack model;
* ``prechecks``: the quick checks in :mod:`scheduler.precheck` that find it broken before any solve;
* ``check``: its independent check, a function of that name in :mod:`scheduler.checker` (written
  from the setting, never from the model);
* ``readme``: the words of its line in the README's rule list.

A :class:`SoftTerm` row likewise: its ``Weight ...`` Rules setting, its CP-SAT builder in
:mod:`scheduler.cpsat.objective` (or, for a pair term, the points of each pair, summed by a generic
builder), its check in the checker, its label in the plan workbook and its README line. Pair points
are computed here and nowhere else: the instance tabulates them, and the model, the co-worker flow,
``explain`` and the benchmark peers read that table.

``tests/test_registry.py`` fails when a row lacks any part. ``docs/adding-a-rule.md`` says how to add one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from .setting import Child, Staff, named
from .words import MAX_CHANGES, lock_removal, lock_said, spoken_list

if TYPE_CHECKING:
    from .instance import Instance

Exclusion = Callable[["Instance", Child, Staff], "str | None"]
Says = Callable[["Instance", tuple], "tuple[str, str]"]
PairPoints = Callable[["Instance", Child, Staff], int]


@dataclass(frozen=True)
class HardRule:
    """One hard rule and where each of its parts lives (see the module docstring)."""

    name: str  # the checker names a broken rule by it
    readme: str
    check: str
    build: str | None = None
    group: str | None = None
    says: Says | None = None
    relax: str | None = None
    key_exclusion: Exclusion | None = None
    co_exclusion: Exclusion | None = None
    prechecks: tuple[str, ...] = ()


@dataclass(frozen=True)
class SoftTerm:
    """One soft term: points for a plan, higher is better (a penalty is negative)."""

    name: str  # the term's key in the model, the checker and ``Report.terms``
    weight: str  # its Rules setting (a field of :class:`scheduler.rules.Rules`)
    label: str  # the plan workbook's Summary line
    readme: str
    check: str
    build: str | None = None  # None: a pair term, the sum of its pair column over the chosen pairs
    key_points: PairPoints | None = None  # points of a key-person pair
    co_points: PairPoints | None = None  # points of a co-worker pair


# -- why a pair is forbidden ---------------------------------------------------------------------------

def _room_of(inst: Instance, child: Child) -> str:
    return inst.room_of.get(child.id) or child.room_on(inst.on)


def _not_employed(member: Staff, on: date) -> str | None:
    if member.employed_on(on):
        return None
    if member.starts is not None and member.starts > on:
        return f"doesn't start until {member.starts:%d/%m/%Y}"
    return f"left on {member.leaves:%d/%m/%Y}"


def _key_room(inst: Instance, child: Child, member: Staff) -> str | None:
    room = _room_of(inst, child)
    return None if member.room == room else f"works in {member.room}, not {room}"


def _co_room(inst: Instance, child: Child, member: Staff) -> str | None:
    rules = inst.setting.rules
    if not rules.co_workers_from_other_rooms:
        return _key_room(inst, child, member)
    room = _room_of(inst, child)
    if rules.co_workers_from_other_sites or inst.setting.site_of(member.room) == inst.setting.site_of(room):
        return None
    theirs = inst.setting.room(member.room).site or "no site given"
    ours = inst.setting.room(room).site or "no site given"
    return f"works at {theirs}, not at {ours} (the Rules don't allow co-workers from other sites)"


def _key_may_be(inst: Instance, child: Child, member: Staff) -> str | None:
    return None if member.can_be_key_person else "can't be a key person (Staff sheet)"


def _co_may_be(inst: Instance, child: Child, member: Staff) -> str | None:
    if inst.setting.rules.co_worker_must_be_key_person_eligible and not member.can_be_key_person:
        return "can't be a key person or co-worker (Staff sheet)"
    return None


def _employed(inst: Instance, child: Child, member: Staff) -> str | None:
    return _not_employed(member, inst.first_day(child))


def _leaver_key(inst: Instance, child: Child, member: Staff) -> str | None:
    if inst.leaves_before_end(member, child) and member.id != child.key_person:
        return f"leaves on {member.leaves:%d/%m/%Y}, within the term: takes no new key children"
    return None


def _leaver_co(inst: Instance, child: Child, member: Staff) -> str | None:
    if inst.leaves_before_end(member, child):
        return f"leaves on {member.leaves:%d/%m/%Y}, within the term: is nobody's co-worker for it"
    return None


def _checks_not_complete(inst: Instance, child: Child, member: Staff) -> str | None:
    if member.checks_complete:
        return None
    return "can't be key person or co-worker until their DBS and reference checks are complete (Staff sheet)"


def _cap_below_weight(inst: Instance, child: Child, member: Staff) -> str | None:
    cap = inst.cap[member.id]
    return f"has a cap of {cap}" if cap < inst.caseload_weight(child) else None


def _works_no_sessions(inst: Instance, child: Child, member: Staff) -> str | None:
    if member.sessions:
        return None
    return f"works no sessions in {member.room} (Staff sheet), so can't be anyone's key person there"


def _untrained(inst: Instance, child: Child, member: Staff) -> str | None:
    if inst.setting.needs_trained_key_person(child) and not member.sen_trained:
        return "isn't SEN trained"
    return None


def _no_co_worker_places(inst: Instance, child: Child, member: Staff) -> str | None:
    return "has a co-worker cap of 0" if inst.co_cap[member.id] < 1 else None


def _locked(role: str, musts: bool = True) -> Exclusion:
    def exclusion(inst: Instance, child: Child, member: Staff) -> str | None:
        for lock in inst.locks_of(child.id, role):
            if lock.rule == "must not" and lock.staff == member.id:
                return f"is locked out as {role} (Locks sheet)"
            if musts and lock.rule == "must" and lock.staff != member.id:
                who = named(inst.setting.staff_name(lock.staff), lock.staff)
                return f"is ruled out: the Locks sheet says {who} must be {role}"
        return None
    return exclusion


# -- what a rule group is, and what loosening it means, for the diagnosis -----------------------------

def _says_cap(inst: Instance, group: tuple) -> tuple[str, str]:
    m = inst.setting.member(group[1])
    return (f"{m.label}'s caseload cap of {inst.cap[m.id]} in {m.room}",
            f"raise {m.label}'s Max key children above {inst.cap[m.id]}")


def _says_key_group(inst: Instance, group: tuple) -> tuple[str, str]:
    room, session = group[1], group[2]
    return (f"the key group limit in {room} on {session} (each practitioner's key children present need at "
            f"most one adult between them)",
            f"loosen the key group limit in {room} on {session} (an extra key person working {session} in {room}, "
            f"or Key group within ratio set to no on the Rules sheet)")


def _says_sen(inst: Instance, group: tuple) -> tuple[str, str]:
    room, s = group[1], inst.setting
    needing = [c.label for c in inst.children if inst.room_of[c.id] == room and s.needs_trained_key_person(c)]
    trained = [m.label for m in inst.staff if m.room == room and m.sen_trained and m.can_be_key_person]
    who = f"{spoken_list(needing)} {'needs' if len(needing) == 1 else 'need'}"
    return (f"the SEN rule in room {room}: {who} an SEN-trained key person "
            f"(trained: {spoken_list(trained) or 'nobody'})", f"mark one more {room} practitioner SEN trained")


def _says_co_cap(inst: Instance, group: tuple) -> tuple[str, str]:
    m = inst.setting.member(group[1])
    limit = inst.co_cap[m.id]
    said = f"{m.label}'s limit of {limit} {'child' if limit == 1 else 'children'} as co-worker"
    if inst.setting.rules.max_co_worker_children is not None:
        return said, f"raise Max co-worker children on the Rules sheet above {limit}"
    # without that rule a practitioner's co-worker limit is their caseload cap, and rises with it
    return (f"{said} (their caseload cap: the Rules set no Max co-worker children)",
            f"raise {m.label}'s Max key children above {limit}")


def _says_lock(inst: Instance, group: tuple) -> tuple[str, str]:
    lock = inst.setting.locks[group[1]]
    return lock_said(inst.setting, lock), lock_removal(inst.setting, lock)


def _says_max_changes(inst: Instance, group: tuple) -> tuple[str, str]:
    return "the limit on key-person changes", f"allow more changes ({MAX_CHANGES})"


# -- the hard rules, in the README's order (but SEN training before the cap: a pair's first reason) ---

HARD_RULES: tuple[HardRule, ...] = (
    HardRule("one key person", "has exactly one key person", "one_key_person_each",
             build="one_key_person_each", prechecks=("no_eligible_key_person",)),
    HardRule("one co-worker", "and one co-worker", "one_co_worker_each",
             build="one_co_worker_each", prechecks=("no_eligible_co_worker",)),
    HardRule("co-worker differs", "and they differ", "co_worker_differs", build="co_worker_is_not_key_person"),
    HardRule("room", "both work in the child's room on the plan date", "works_in_room",
             key_exclusion=_key_room, co_exclusion=_co_room),
    HardRule("can be key person", "the key person may be one (`Can be key person`)", "may_be_key_person",
             key_exclusion=_key_may_be, co_exclusion=_co_may_be),
    HardRule("employed", "is employed from the child's first day (the plan date, or their Starts date): a "
             "practitioner who joins within the term may take children who start after them", "employed",
             key_exclusion=_employed, co_exclusion=_employed),
    HardRule("checks complete", "and has their DBS and reference checks complete (`Checks complete`)",
             "checks_complete", key_exclusion=_checks_not_complete, co_exclusion=_checks_not_complete),
    HardRule("leavers take no new children", "a practitioner who leaves before the term ends (and before the "
             "child does) takes no new key children and is nobody's co-worker", "no_new_children_for_leavers",
             key_exclusion=_leaver_key, co_exclusion=_leaver_co),
    HardRule("successor", "each key child of a practitioner leaving within the term gets a successor and a "
             "co-worker from the day after the leaving date (the co-worker stays unless they become the key "
             "person); the successor counts the child in their caseload and key group for the whole term",
             "successor_from_leaving", build="successor_from_leaving"),
    HardRule("works a session", "the key person works at least one session in the child's room", "works_a_session",
             key_exclusion=_works_no_sessions),
    HardRule("SEN trained", "a child with an EHCP or a support ratio has an SEN-trained key person", "sen_trained",
             build="sen_trained_key_person", group="sen", says=_says_sen, relax="train",
             key_exclusion=_untrained, prechecks=("sen_capacity",)),
    HardRule("caseload cap", "weighted key children are within their cap", "caseload_cap", build="caseload_cap",
             group="cap", says=_says_cap, relax="cap", key_exclusion=_cap_below_weight,
             prechecks=("room_capacity",)),
    HardRule("key group limit", "the key group limit: in every session a practitioner works, the shares of their "
             "key children present add up to at most one adult; a child's share is 1/r at their ratio 1:r (their "
             "own age band on the plan date: under 2 1:3, aged 2 1:5, 3 and over 1:8; the room's `Ratio` where the "
             "Rooms sheet gives one, `1:13` only where it holds; a support ratio where tighter); sessions they "
             "don't work don't count; `Key group within ratio` (default yes) switches it off", "key_group_limit",
             build="key_group_limit", group="key group", says=_says_key_group, prechecks=("session_capacity",)),
    HardRule("co-worker cap", "nobody is co-worker for more children than `Max co-worker children`",
             "co_worker_cap", build="co_worker_cap", group="co-worker cap", says=_says_co_cap,
             relax="co-worker cap", co_exclusion=_no_co_worker_places),
    HardRule("locks", "every lock (must / must not, key person / co-worker) is kept", "locks_kept",
             build="locks_kept", group="lock", says=_says_lock, relax="unlock",
             key_exclusion=_locked("key person"), co_exclusion=_locked("co-worker"), prechecks=("lock_conflicts",)),
    HardRule("max changes", "at most N children whose key person is still employed change key person",
             "max_changes", build="max_changes", group="max changes", says=_says_max_changes),
)


def rule(name: str) -> HardRule:
    """The hard rule called ``name``."""
    return next(r for r in HARD_RULES if r.name == name)


def rule_for_group(group: tuple) -> HardRule:
    """The hard rule whose builder names rule groups like ``group`` (KeyError if none does)."""
    for r in HARD_RULES:
        if r.group == group[0]:
            return r
    raise KeyError(f"no rule in the registry names the rule group {group!r}")


def describe(inst: Instance, group: tuple) -> tuple[str, str]:
    """A rule group as (what it is, what loosening it would mean), in a manager's words."""
    says = rule_for_group(group).says
    assert says is not None, group  # tests/test_registry.py: every rule with a group says what it is
    return says(inst, group)


def exclusion(inst: Instance, child: Child, member: Staff, role: str, locks: str = "all") -> str | None:
    """The first reason (in this table's order) ``member`` can't be ``child``'s ``role`` ("key person" or
    "co-worker"), or None. A relaxed instance skips the rules its model enforces as named groups. With
    ``locks="must not"`` only the must-not locks apply (a successor: a must lock on the leaver held only
    until they left)."""
    for r in HARD_RULES:
        why = r.key_exclusion if role == "key person" else r.co_exclusion
        if why is None or (inst.relaxed and r.build is not None):
            continue
        if r.name == "locks" and locks == "must not":
            why = _locked(role, musts=False)
        reason = why(inst, child, member)
        if reason is not None:
            return reason
    return None


# -- pair points -----------------------------------------------------------------------------------------

def overlap_points(weight: int, shared: int, attended: int) -> int:
    """``weight`` pro rata to the share of the child's sessions the key person works, rounded half up."""
    if attended == 0:
        return 0
    return (2 * weight * shared + attended) // (2 * attended)


def _overlap(inst: Instance, child: Child, member: Staff) -> int:
    return overlap_points(inst.setting.rules.weight_overlap, len(child.sessions & member.sessions),
                          len(child.sessions))


def _attachment(inst: Instance, child: Child, member: Staff) -> int:
    return inst.setting.rules.weight_attachment * inst.setting.attachment(child.id, member.id)


def _continuity(inst: Instance, child: Child, member: Staff) -> int:
    return inst.setting.rules.weight_continuity * (member.id == child.key_person)


def _successor(inst: Instance, child: Child, member: Staff) -> int:
    orphaned = child.key_person is not None and child.key_person not in inst.employed
    return inst.setting.rules.weight_successor * (orphaned and member.id == child.co_worker)


def successor_points(inst: Instance, child: Child, member: Staff) -> int:
    """The points of ``member`` succeeding ``child``'s key person who leaves within the term (the next key
    person term): ``Weight successor`` for the child's co-worker, and the overlap points a key person would
    earn."""
    return inst.setting.rules.weight_successor * (member.id == child.co_worker) + _overlap(inst, child, member)


def next_co_points(inst: Instance, child: Child, member: Staff) -> int:
    """The points of ``member`` as ``child``'s co-worker from the day after their key person leaves within
    the term (the next co-worker term): what the co-worker familiarity term gives a co-worker, the week's
    sessions of the child they work (the plan's sessions are a week's pattern, repeated to the term's end)."""
    return _co_worker_familiarity(inst, child, member)


def _language(inst: Instance, child: Child, member: Staff) -> int:
    return inst.setting.rules.weight_language * member.speaks(child.home_language)


def _sen_support_trained(inst: Instance, child: Child, member: Staff) -> int:
    return inst.setting.rules.weight_sen_support_trained * (child.sen == "SEN support" and member.sen_trained)


def _co_worker_continuity(inst: Instance, child: Child, member: Staff) -> int:
    sees = bool(child.sessions & member.sessions)  # a co-worker the child never sees is no bond to keep
    return inst.setting.rules.weight_co_worker_continuity * (member.id == child.co_worker and sees)


def _co_worker_familiarity(inst: Instance, child: Child, member: Staff) -> int:
    return inst.setting.rules.weight_co_worker_familiarity * len(child.sessions & member.sessions)


# -- the soft terms, in the README's order ----------------------------------------------------------------

SOFT_TERMS: tuple[SoftTerm, ...] = (
    SoftTerm("overlap", "weight_overlap", "Key person works the child's sessions", "**overlap**", "overlap",
             key_points=_overlap),
    SoftTerm("coverage", "weight_coverage", "Sessions covered by key person or co-worker", "**coverage**",
             "coverage", build="coverage"),
    SoftTerm("attachment", "weight_attachment", "Observed bonds kept", "**attachment**", "attachment",
             key_points=_attachment),
    SoftTerm("continuity", "weight_continuity", "Key persons kept", "**continuity**", "continuity",
             key_points=_continuity),
    SoftTerm("co_worker_continuity", "weight_co_worker_continuity", "Co-workers kept",
             "`Weight co-worker continuity` for the co-worker", "co_worker_continuity",
             co_points=_co_worker_continuity),
    SoftTerm("co_worker_familiarity", "weight_co_worker_familiarity", "Child's sessions the co-worker works",
             "**co-worker familiarity**", "co_worker_familiarity", co_points=_co_worker_familiarity),
    SoftTerm("successor", "weight_successor", "Co-worker succeeding a key person who left", "**successor**",
             "successor", key_points=_successor),
    SoftTerm("next_key_person", "weight_successor", "Successors to key persons leaving within the term",
             "**next key person**", "next_key_person", build="next_key_person"),
    SoftTerm("next_co_worker", "weight_co_worker_familiarity", "Child's sessions the co-worker from a handover works",
             "**next co-worker**", "next_co_worker", build="next_co_worker"),
    SoftTerm("siblings", "weight_siblings", "Siblings sharing a key person", "**siblings**", "siblings",
             build="siblings"),
    SoftTerm("language", "weight_language", "Home language spoken", "**language**", "language",
             key_points=_language),
    SoftTerm("sen_support_trained", "weight_sen_support_trained", "SEN-trained key person for SEN support",
             "**SEN support trained**", "sen_support_trained", key_points=_sen_support_trained),
    SoftTerm("caseload_balance", "weight_caseload_balance", "Caseloads above fair share (penalty)",
             "**caseload balance**", "caseload_balance", build="caseload_balance"),
    SoftTerm("session_balance", "weight_session_balance", "Busiest session loads (penalty)",
             "**session balance**", "session_balance", build="session_balance"),
    SoftTerm("co_worker_balance", "weight_co_worker_balance", "Co-worker children above fair share (penalty)",
             "**co-worker balance**", "co_worker_balance", build="co_worker_balance"),
)

TERMS: tuple[str, ...] = tuple(t.name for t in SOFT_TERMS)
KEY_PAIR_TERMS: tuple[str, ...] = tuple(t.name for t in SOFT_TERMS if t.key_points is not None)
CO_PAIR_TERMS: tuple[str, ...] = tuple(t.name for t in SOFT_TERMS if t.co_points is not None)


def term(name: str) -> SoftTerm:
    """The soft term called ``name``."""
    return next(t for t in SOFT_TERMS if t.name == name)


def key_pair_points(inst: Instance, child: Child, member: Staff) -> list[int]:
    """The points of ``member`` as ``child``'s key person, one per :data:`KEY_PAIR_TERMS`."""
    return [t.key_points(inst, child, member) for t in SOFT_TERMS if t.key_points is not None]


def co_pair_points(inst: Instance, child: Child, member: Staff) -> list[int]:
    """The points of ``member`` as ``child``'s co-worker, one per :data:`CO_PAIR_TERMS`."""
    return [t.co_points(inst, child, member) for t in SOFT_TERMS if t.co_points is not None]


def pair_points(pairs: pd.DataFrame, names: Iterable[str] = KEY_PAIR_TERMS) -> pd.Series:
    """Each pair's points over the pair terms ``names`` (the key pairs' terms unless told), a table of
    the instance's :attr:`~scheduler.instance.Instance.key_pairs` or ``co_pairs``."""
    return pairs[list(names)].sum(axis=1)
