"""The hard rules' CP-SAT builders, one function each, named by :data:`scheduler.registry.HARD_RULES`.

Room, "can be key person" and employment are applied when the instance lists
eligible pairs (an ineligible pair has no variable). SEN training, a cap below
the child's weight and locks are applied there too in a normal solve; a relaxed
instance (the diagnosis) keeps those pairs, and the builders below enforce
them. Each builder takes ``guard``, which returns the enforcement literals for
a named rule group (none in a normal solve; one per group when diagnosing
infeasibility); the group's kind is the rule's ``group`` in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pandas as pd
from ortools.sat.python import cp_model

from ..instance import Instance, grouped, rows
from ..registry import HARD_RULES, HardRule
from .variables import Variables

Guard = Callable[[tuple], list[cp_model.LiteralT]]
Builder = Callable[[cp_model.CpModel, Instance, Variables, Guard], None]


def no_guard(group: tuple) -> list[cp_model.LiteralT]:
    """The guard of a normal solve: every rule holds unconditionally."""
    return []


def builder(name: str) -> Builder:
    """The builder a registry row names."""
    return globals()[name]


def one_key_person_each(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """Every planned child has exactly one key person (not negotiable: no rule group)."""
    by_child = grouped(v.key, "child", "var")
    for c in inst.children:
        model.add_exactly_one(by_child.get(c.id, []))


def one_co_worker_each(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """Every planned child has exactly one co-worker (not negotiable: no rule group)."""
    by_child = grouped(v.co, "child", "var")
    for c in inst.children:
        model.add_exactly_one(by_child.get(c.id, []))


def co_worker_is_not_key_person(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """A child's co-worker is someone other than their key person."""
    co = {(c, s): var for c, s, var in rows(v.co, "child", "staff", "var")}
    for c, s, key in rows(v.key, "child", "staff", "var"):
        if (c, s) in co:
            model.add_bool_or([key.Not(), co[(c, s)].Not()])


def term_key_children(v: Variables) -> dict[str, list[tuple[str, cp_model.IntVar]]]:
    """Staff -> (child, variable) of every child they may be key person to within the term: as key person
    now, or as successor from a handover (who counts the child for the whole term)."""
    return grouped(pd.concat([v.key, v.succ]), "staff", "child", "var")


def term_co_worker_children(v: Variables, model: cp_model.CpModel) -> dict[str, list[cp_model.IntVar]]:
    """Staff -> a variable for each child they may be co-worker to within the term: now, or from a handover
    (counted once when they were co-worker before it too)."""
    co = {(c, s): var for c, s, var in rows(v.co, "child", "staff", "var")}
    by_staff = grouped(v.co, "staff", "var")
    for c, s, var in rows(v.next_co, "child", "staff", "var"):
        if (c, s) in co:  # counted already unless new to the child
            new = model.new_bool_var(f"new co[{c}->{s}]")
            model.add(new >= var - co[(c, s)])
            var = new
        by_staff.setdefault(s, []).append(var)
    return by_staff


def caseload_cap(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """Each practitioner's weighted key children stay within their cap (a successor's children from a
    handover within the term count for the whole term)."""
    weight = {c.id: inst.caseload_weight(c) for c in inst.children}
    for s, pairs in term_key_children(v).items():
        w = [weight[c] for c, _ in pairs]
        if sum(w) > inst.cap[s]:
            model.add(cp_model.LinearExpr.weighted_sum([var for _, var in pairs], w) <= inst.cap[s]) \
                .only_enforce_if(guard(("cap", s)))


def key_group_limit(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """In every session a practitioner works, the shares of their key children present add up to at most
    one adult (``inst.share_unit`` in whole units: exact), unless the Rules switch it off."""
    if not inst.setting.rules.key_group_within_ratio:
        return
    room_of = {s.id: s.room for s in inst.staff}
    for (s, t), (variables, shares) in v.term_key_groups(inst).items():
        if sum(shares) > inst.share_unit:
            model.add(cp_model.LinearExpr.weighted_sum(variables, shares) <= inst.share_unit) \
                .only_enforce_if(guard(("key group", room_of[s], t)))


def co_worker_cap(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """No practitioner is co-worker for more children than their co-worker cap (a co-worker from a handover
    within the term counts the child for the whole term, once even if they were co-worker before it)."""
    for s, variables in term_co_worker_children(v, model).items():
        if len(variables) > inst.co_cap[s]:
            model.add(sum(variables) <= inst.co_cap[s]).only_enforce_if(guard(("co-worker cap", s)))


def max_changes(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """At most the instance's change limit of children whose current key person is still here change key
    person."""
    limit = inst.change_limit
    if limit is None:
        return
    current = inst.current_key_person
    kept = [var for c, s, var in rows(v.key, "child", "staff", "var") if current.get(c) == s]
    model.add(len(current) - sum(kept) <= limit).only_enforce_if(guard(("max changes",)))


def sen_trained_key_person(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """Children who need an SEN-trained key person don't get an untrained one (one group per room). A
    normal instance has no such pairs; a relaxed one (diagnosis) keeps them for this rule."""
    for c, _, var in sen_untrained_pairs(inst, v):
        model.add(var == 0).only_enforce_if(guard(("sen", inst.room_of[c])))


def sen_untrained_pairs(inst: Instance, v: Variables) -> Iterator[tuple[str, str, cp_model.IntVar]]:
    """The key-person and successor pairs the SEN rule forbids, as (child, staff, var): an untrained
    practitioner for a child who needs an SEN-trained one, now or from a handover. Only a relaxed instance
    (diagnosis) has such pairs."""
    trained = {m.id for m in inst.staff if m.sen_trained}
    children = {c.id: c for c in inst.children}
    for frame in (v.key, v.succ):
        for c, s, var in rows(frame, "child", "staff", "var"):
            if s not in trained and inst.setting.needs_trained_key_person(children[c]):
                yield c, s, var


def locks_kept(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """The Locks sheet, as constraints (one group per lock). A normal solve applies locks by leaving
    the pairs they exclude out of the model; a relaxed instance (diagnosis) keeps those pairs."""
    if not inst.relaxed:
        return  # every pair a lock excludes is already out of the model
    def by_pair(frame: pd.DataFrame) -> dict[tuple[str, str], cp_model.IntVar]:
        return {(c, s): var for c, s, var in rows(frame, "child", "staff", "var")}

    pairs = {"key person": by_pair(v.key), "co-worker": by_pair(v.co)}
    later = {"key person": by_pair(v.succ), "co-worker": by_pair(v.next_co)}  # from a handover within the term
    planned = {c.id for c in inst.children}
    for i, lock in enumerate(inst.setting.locks):
        if lock.child not in planned:
            continue
        var = pairs[lock.role].get((lock.child, lock.staff))
        after = later[lock.role].get((lock.child, lock.staff))
        if var is None and after is None and lock.rule == "must not":
            continue
        held = guard(("lock", i))  # asked once: the relaxation prices each lock's removal once
        if var is None and lock.rule == "must":
            model.add_bool_or([]).only_enforce_if(held)  # the locked practitioner can't do it
        elif var is not None:
            model.add(var == (lock.rule == "must")).only_enforce_if(held)
        if after is not None and lock.rule == "must not":  # a must lock holds until the handover, a must not after
            model.add(after == 0).only_enforce_if(held)



def successor_from_leaving(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard) -> None:
    """A child who stays with a key person leaving within the term has exactly one successor and one
    co-worker from the day after the leaving date, different people; the co-worker stays co-worker unless
    they are the successor (not negotiable: no rule group)."""
    key = {(c, s): var for c, s, var in rows(v.key, "child", "staff", "var")}
    co = grouped(v.co, "child", "staff", "var")
    succ = grouped(v.succ, "child", "staff", "var")
    next_co = grouped(v.next_co, "child", "staff", "var")
    for c in inst.handover_from:
        stays = key.get((c, inst.setting.child(c).key_person), 0)
        model.add(sum(var for _, var in succ.get(c, [])) == stays)
        model.add(sum(var for _, var in next_co.get(c, [])) == stays)
        by_staff = dict(succ.get(c, []))
        for s, var in next_co.get(c, []):
            if s in by_staff:
                model.add_bool_or([var.Not(), by_staff[s].Not()])
        after = dict(next_co.get(c, []))
        for s, var in co.get(c, []):  # co-worker s, not the successor, and a handover: s is co-worker after it
            model.add(after.get(s, 0) >= var + stays - by_staff.get(s, 0) - 1)


def add_hard_rules(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard,
                   rules: Iterable[HardRule] = HARD_RULES) -> None:
    """Build ``rules`` (every registry rule with a builder, unless told) into ``model``."""
    for rule in rules:
        if rule.build is not None:
            builder(rule.build)(model, inst, v, guard)
