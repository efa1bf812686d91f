"""The hard rules, one function each, in the order the README lists them.

Room, "can be key person", employment, SEN training and locks are applied
when the instance lists eligible pairs (an ineligible pair has no variable);
the rules below are the ones that couple pairs. Each takes ``guard``, which
returns the enforcement literals for a named rule group (none in a normal
solve; one per group when diagnosing infeasibility).
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from ..instance import Instance, grouped, rows
from .variables import Variables

Guard = Callable[[tuple], list]


def no_guard(group: tuple) -> list:
    return []


def one_key_person_each(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """Every planned child has exactly one key person."""
    by_child = grouped(v.key, "child", "var")
    for c in inst.children:
        model.add_exactly_one(by_child.get(c.id, [])).only_enforce_if(guard(("key person", c.id)))


def one_co_worker_each(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """Every planned child has exactly one co-worker."""
    by_child = grouped(v.co, "child", "var")
    for c in inst.children:
        model.add_exactly_one(by_child.get(c.id, [])).only_enforce_if(guard(("co-worker", c.id)))


def co_worker_is_not_key_person(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """A child's co-worker is someone other than their key person."""
    co = {(c, s): var for c, s, var in rows(v.co, "child", "staff", "var")}
    for c, s, key in rows(v.key, "child", "staff", "var"):
        if (c, s) in co:
            model.add_bool_or([key.Not(), co[(c, s)].Not()])


def caseload_cap(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """Each practitioner's weighted key children stay within their cap."""
    weight = {c.id: inst.caseload_weight(c) for c in inst.children}
    for s, pairs in grouped(v.key, "staff", "child", "var").items():
        w = [weight[c] for c, _ in pairs]
        if sum(w) > inst.cap[s]:
            model.add(cp_model.LinearExpr.weighted_sum([var for _, var in pairs], w) <= inst.cap[s]) \
                .only_enforce_if(guard(("cap", s)))


def ratio_in_every_session(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """In every session, a practitioner's weighted key children present stay within the room ratio."""
    room_of = {s.id: s.room for s in inst.staff}
    for (s, t), (variables, weights) in v.session_loads.items():
        ratio = inst.ratio[room_of[s]]
        if sum(weights) > ratio:
            model.add(cp_model.LinearExpr.weighted_sum(variables, weights) <= ratio) \
                .only_enforce_if(guard(("ratio", room_of[s], t)))


def co_worker_cap(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """No practitioner is co-worker for more children than their co-worker cap."""
    for s, variables in grouped(v.co, "staff", "var").items():
        if len(variables) > inst.co_cap[s]:
            model.add(sum(variables) <= inst.co_cap[s]).only_enforce_if(guard(("co-worker cap", s)))


def max_changes(model: cp_model.CpModel, inst: Instance, v: Variables, limit: int | None,
                guard: Guard = no_guard):
    """At most ``limit`` children whose current key person is still here change key person."""
    if limit is None:
        return
    current = inst.current_key_person
    kept = [var for c, s, var in rows(v.key, "child", "staff", "var") if current.get(c) == s]
    model.add(len(current) - sum(kept) <= limit).only_enforce_if(guard(("max changes",)))


def sen_untrained_pairs(inst: Instance, v: Variables):
    """The key-person pairs the SEN rule forbids, as (child, staff, var): an untrained practitioner for a
    child who needs an SEN-trained one. Only a relaxed instance (diagnosis) has such pairs."""
    trained = {m.id for m in inst.staff if m.sen_trained}
    children = {c.id: c for c in inst.children}
    for c, s, var in rows(v.key, "child", "staff", "var"):
        if s not in trained and inst.setting.needs_trained_key_person(children[c]):
            yield c, s, var


def locks_kept(model: cp_model.CpModel, inst: Instance, v: Variables, guard: Guard = no_guard):
    """The Locks sheet, as constraints (one group per lock). A normal solve applies locks by leaving
    the pairs they exclude out of the model; a relaxed instance (diagnosis) keeps those pairs."""
    pairs = {role: {(c, s): var for c, s, var in rows(frame, "child", "staff", "var")}
             for role, frame in (("key person", v.key), ("co-worker", v.co))}
    planned = {c.id for c in inst.children}
    for i, lock in enumerate(inst.setting.locks):
        if lock.child not in planned:
            continue
        var = pairs[lock.role].get((lock.child, lock.staff))
        if var is None and lock.rule == "must":
            model.add_bool_or([]).only_enforce_if(guard(("lock", i)))  # the locked practitioner can't do it
        elif var is not None:
            model.add(var == (lock.rule == "must")).only_enforce_if(guard(("lock", i)))


RULES = (one_key_person_each, one_co_worker_each, co_worker_is_not_key_person, caseload_cap,
         ratio_in_every_session, co_worker_cap)
