"""Each hard rule's own cases, and the independent checker, itself tested: the reason a rule forbids a pair,
a plan that breaks the rule (caught by its name), and for each soft term a worse plan scored lower term by
term. Every registry row must have its cases here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from scheduler import Attachment, Instance, Lock, Room, evaluate
from scheduler.registry import HARD_RULES, TERMS

from .conftest import ON, kid, member, only, tiny

GONE = date(2026, 12, 18)  # the last day of the autumn term, before the plan date ON (Mon 4 Jan 2027)


def _two_children(**rules):
    """c and d in room R (1:8, blank caps: 8 each), A and B working every session."""
    return tiny([kid("c"), kid("d")], [member("A"), member("B")], replace(only(), **rules))


GOOD = ({"c": "A", "d": "A"}, {"c": "B", "d": "B"})  # keeps every rule of _two_children()

TERM = {"until": date(2027, 2, 5)}  # a term to Fri 05/02/2027; A leaves on Fri 15/01/2027, within it
LEAVER = dict(leaves=date(2027, 1, 15))

# rule name -> (setting, key persons, co-workers, max changes[, the term and its handovers]): a plan that
# breaks that rule and no other
VIOLATIONS = {
    "one key person": (_two_children(), {"c": "A"}, GOOD[1], None),
    "one co-worker": (_two_children(), GOOD[0], {"c": "B"}, None),
    "co-worker differs": (_two_children(), GOOD[0], {"c": "A", "d": "B"}, None),
    "room": (tiny([kid("c")], [member("A", room="Other"), member("B")]), {"c": "A"}, {"c": "B"}, None),
    "can be key person": (tiny([kid("c")], [member("A", can_be_key_person=False), member("B")]),
                          {"c": "A"}, {"c": "B"}, None),
    "employed": (tiny([kid("c")], [member("A", leaves=GONE), member("B")]), {"c": "A"}, {"c": "B"}, None),
    "checks complete": (tiny([kid("c")], [member("A", checks_complete=False), member("B")]), {"c": "A"}, {"c": "B"},
                        None),
    "SEN trained": (tiny([kid("c", sen="EHCP")], [member("A"), member("B")]), {"c": "A"}, {"c": "B"}, None),
    "caseload cap": (tiny([kid("c"), kid("d")], [member("A", max_key_children=1), member("B")]), *GOOD, None),
    "key group limit": (tiny([kid("c"), kid("d")], [member("A"), member("B")], rooms=(Room("R", None, 1),)),
                        *GOOD, None),
    "co-worker cap": (_two_children(max_co_worker_children=1), *GOOD, None),
    "locks": (tiny([kid("c"), kid("d")], [member("A"), member("B")], locks=(Lock("c", "B", "key person", "must"),)),
              *GOOD, None),
    "max changes": (tiny([kid("c", key_person="B"), kid("d")], [member("A"), member("B")]), *GOOD, 0),
    # A is new to c, and leaves within the term (the handover to C is in order)
    "leavers take no new children": (tiny([kid("c")], [member("A", **LEAVER), member("B"), member("C")]),
                                     {"c": "A"}, {"c": "B"}, None,
                                     {**TERM, "successor": {"c": "C"}, "next_co_worker": {"c": "B"}}),
    # c's key person A leaves; the successor C is in order, but the co-worker B is dropped for D
    "successor": (tiny([kid("c", key_person="A")], [member("A", **LEAVER), member("B"), member("C"), member("D")]),
                  {"c": "A"}, {"c": "B"}, None, {**TERM, "successor": {"c": "C"}, "next_co_worker": {"c": "D"}}),
    "works a session": (tiny([kid("c")], [member("A", ""), member("B")]), {"c": "A"}, {"c": "B"}, None),
}


# rules that bind the co-worker too: a plan whose co-worker (not key person) breaks them
CO_WORKER_VIOLATIONS = {
    "room": tiny([kid("c")], [member("A"), member("B", room="Other")]),
    "can be key person": tiny([kid("c")], [member("A"), member("B", can_be_key_person=False)]),
    "employed": tiny([kid("c")], [member("A"), member("B", starts=date(2027, 2, 1))]),
}


@pytest.mark.parametrize("rule", list(CO_WORKER_VIOLATIONS))
def test_the_checker_catches_a_co_worker_who_breaks_a_rule(rule):
    """B as co-worker breaks the rule (A as key person keeps it); the checker names it."""
    ev = evaluate(CO_WORKER_VIOLATIONS[rule], ON, {"c": "A"}, {"c": "B"})
    assert ev.broken == {rule}, [str(v) for v in ev.violations]


def test_co_workers_may_come_from_other_rooms_or_be_students_when_the_rules_say_so():
    """With 'Co-workers from other rooms' and without 'Co-worker must be able to be key person', those
    co-workers keep the rules."""
    for rule, setting in (("room", {"co_workers_from_other_rooms": True}),
                          ("can be key person", {"co_worker_must_be_key_person_eligible": False})):
        s = CO_WORKER_VIOLATIONS[rule]
        assert evaluate(replace(s, rules=replace(s.rules, **setting)), ON, {"c": "A"}, {"c": "B"}).ok


def test_every_hard_rule_has_a_violating_plan():
    """Adding a rule to the registry without a violating plan here fails."""
    assert set(VIOLATIONS) == {r.name for r in HARD_RULES}


@pytest.mark.parametrize("rule", list(VIOLATIONS))
def test_the_checker_catches_each_broken_rule_by_name(rule):
    """Each plan breaks exactly one rule, and the checker names that rule and no other."""
    setting, key, co, max_changes, *term = VIOLATIONS[rule]
    ev = evaluate(setting, ON, key, co, max_changes, **(term[0] if term else {}))
    assert ev.broken == {rule}, [str(v) for v in ev.violations]
    assert not ev.ok


SEN_ROOM = (kid("c", sen="EHCP"), kid("d"))

# (rule, role, children, staff, rules, locks, the practitioner asked about, the reason given)
EXCLUSIONS = [
    ("room", "key person", [kid("c")], [member("X", room="Other")], {}, (), "X", "works in Other, not R"),
    ("room", "co-worker", [kid("c")], [member("X", room="Other")], {}, (), "X", "works in Other, not R"),
    ("can be key person", "key person", [kid("c")], [member("S", can_be_key_person=False)], {}, (), "S",
     "can't be a key person (Staff sheet)"),
    ("can be key person", "co-worker", [kid("c")], [member("S", can_be_key_person=False)], {}, (), "S",
     "can't be a key person or co-worker (Staff sheet)"),
    ("employed", "key person", [kid("c")], [member("X", leaves=GONE)], {}, (), "X", "left on 18/12/2026"),
    ("employed", "co-worker", [kid("c")], [member("X", starts=date(2027, 2, 1))], {}, (), "X",
     "doesn't start until 01/02/2027"),
    ("checks complete", "key person", [kid("c")], [member("X", checks_complete=False)], {}, (), "X",
     "can't be key person or co-worker until their DBS and reference checks are complete (Staff sheet)"),
    ("checks complete", "co-worker", [kid("c")], [member("X", checks_complete=False)], {}, (), "X",
     "can't be key person or co-worker until their DBS and reference checks are complete (Staff sheet)"),
    ("leavers take no new children", "key person", [kid("c")], [member("A", **LEAVER)], {"term_ends": TERM["until"]},
     (), "A", "leaves on 15/01/2027, within the term: takes no new key children"),
    ("leavers take no new children", "co-worker", [kid("c")], [member("A", **LEAVER)], {"term_ends": TERM["until"]},
     (), "A", "leaves on 15/01/2027, within the term: is nobody's co-worker for it"),
    ("works a session", "key person", [kid("c")], [member("N", "")], {}, (), "N",
     "works no sessions in R (Staff sheet), so can't be anyone's key person there"),
    ("SEN trained", "key person", SEN_ROOM, [member("A")], {}, (), "A", "isn't SEN trained"),
    ("caseload cap", "key person", SEN_ROOM, [member("A", sen_trained=True, max_key_children=1)], {}, (), "A",
     "has a cap of 1"),
    ("co-worker cap", "co-worker", [kid("c")], [member("A")], {"max_co_worker_children": 0}, (), "A",
     "has a co-worker cap of 0"),
    ("locks", "key person", [kid("c")], [member("A")], {}, (Lock("c", "A", "key person", "must not"),), "A",
     "is locked out as key person (Locks sheet)"),
    ("locks", "co-worker", [kid("c")], [member("A"), member("B")], {}, (Lock("c", "B", "co-worker", "must"),), "A",
     "is ruled out: the Locks sheet says Staff B (B) must be co-worker"),
]


def test_every_rule_that_forbids_pairs_has_a_reason_case():
    """Each registry rule that forbids key-person or co-worker pairs has a case below, per role."""
    wanted = {(r.name, "key person") for r in HARD_RULES if r.key_exclusion} | {
        (r.name, "co-worker") for r in HARD_RULES if r.co_exclusion}
    assert wanted == {(rule, role) for rule, role, *_ in EXCLUSIONS}


@pytest.mark.parametrize("rule, role, children, staff, rules, locks, who, reason", EXCLUSIONS,
                         ids=[f"{e[0]}, {e[1]}" for e in EXCLUSIONS])
def test_each_rule_that_forbids_a_pair_says_why(rule, role, children, staff, rules, locks, who, reason):
    """The reason a practitioner can't take a child is the rule's own sentence (the pre-checks, explain and
    keyperson check print it); an eligible practitioner gets none."""
    s = tiny(children, [*staff, member("OK", sen_trained=True)], replace(only(), **rules), locks=locks)
    inst = Instance.build(s, ON)
    child = s.child("c")
    excluded = inst.key_person_exclusion if role == "key person" else inst.co_worker_exclusion
    assert excluded(child, s.member(who)) == reason
    if not locks and not rules:  # (a lock or a Rules-wide limit binds OK too)
        assert excluded(child, s.member("OK")) is None


def test_a_relaxed_instance_keeps_the_pairs_its_model_names():
    """In the diagnosis an untrained practitioner stays a candidate (the SEN rule is then a named group),
    but one from another room does not."""
    s = tiny(list(SEN_ROOM), [member("A"), member("X", room="Other")])
    inst = replace(Instance.build(s, ON), relaxed=True)
    assert inst.key_person_exclusion(s.child("c"), s.member("A")) is None
    assert inst.key_person_exclusion(s.child("c"), s.member("X")) == "works in Other, not R"


def test_the_plans_that_break_nothing_pass():
    """The good plan of the cases above keeps every rule (so each violation comes from the one change)."""
    assert evaluate(_two_children(), ON, *GOOD).violations == []
    for rule in ("co-worker differs", "one co-worker"):
        setting, key, *_ = VIOLATIONS[rule]
        assert evaluate(setting, ON, key, GOOD[1]).ok


def test_the_limits_are_inclusive():
    """A caseload at its cap, a session at its ratio and a co-worker at their limit are all within the rules."""
    s = tiny([kid("c"), kid("d")], [member("A", max_key_children=2), member("B")], replace(
        only(), max_co_worker_children=2), rooms=(Room("R", None, 2),))
    assert evaluate(s, ON, *GOOD).ok
    assert evaluate(s, ON, *GOOD, max_changes=0).ok  # nobody had a key person: no change counts


def test_a_plan_for_a_child_not_on_roll_breaks_the_one_key_person_rule():
    """gone left before the plan date: a plan still naming them is caught."""
    s = tiny([kid("c"), kid("gone", leaves=GONE)], [member("A"), member("B")])
    ev = evaluate(s, ON, {"c": "A", "gone": "A"}, {"c": "B", "gone": "B"})
    assert ev.broken == {"one key person"} and "not on roll: ['gone']" in str(ev.violations[0])


def test_a_leavers_children_are_not_counted_as_changes():
    """c's key person X left, so c must move: with no changes allowed the plan still keeps the rule."""
    s = tiny([kid("c", key_person="X")], [member("X", leaves=GONE), member("A"), member("B")])
    assert evaluate(s, ON, {"c": "A"}, {"c": "B"}, 0).ok


def _one_child(child_kw=None, staff=None, rules=None, **kw):
    return tiny([kid("c", **(child_kw or {}))], staff or [member("A"), member("B")], rules or only(), **kw)


# term -> (setting with only that term weighted, a better plan, a worse one); each plan keeps every rule
WORSE = {
    "overlap": (_one_child(staff=[member("A"), member("B", "Mon AM")], rules=only(overlap=100)),
                ({"c": "A"}, {"c": "B"}), ({"c": "B"}, {"c": "A"})),
    "coverage": (_one_child(staff=[member("A", "Mon AM,Mon PM"), member("B", "Tue AM,Tue PM"), member("C", "Mon AM")],
                            rules=only(coverage=20)), ({"c": "A"}, {"c": "B"}), ({"c": "A"}, {"c": "C"})),
    "attachment": (_one_child(rules=only(attachment=40), attachments=(Attachment("c", "B", 3),)),
                   ({"c": "B"}, {"c": "A"}), ({"c": "A"}, {"c": "B"})),
    "continuity": (_one_child({"key_person": "A"}, rules=only(continuity=60)),
                   ({"c": "A"}, {"c": "B"}), ({"c": "B"}, {"c": "A"})),
    "co_worker_continuity": (_one_child({"co_worker": "B"}, staff=[member("A"), member("B"), member("C")],
                                        rules=only(co_worker_continuity=20)),
                             ({"c": "A"}, {"c": "B"}), ({"c": "A"}, {"c": "C"})),
    "successor": (_one_child({"key_person": "X", "co_worker": "B"},
                             staff=[member("X", leaves=GONE), member("A"), member("B")], rules=only(successor=40)),
                  ({"c": "B"}, {"c": "A"}), ({"c": "A"}, {"c": "B"})),
    "siblings": (tiny([kid("c", sibling_group="Khan"), kid("d", sibling_group=" khan ")], [member("A"), member("B")],
                      only(siblings=30)), GOOD, ({"c": "A", "d": "B"}, {"c": "B", "d": "A"})),
    "language": (_one_child({"home_language": "Polish"}, staff=[member("A"), member("B", languages=("polish",))],
                            rules=only(language=15)), ({"c": "B"}, {"c": "A"}), ({"c": "A"}, {"c": "B"})),
    "sen_support_trained": (_one_child({"sen": "SEN support"}, staff=[member("A"), member("B", sen_trained=True)],
                                       rules=only(sen_support_trained=15)),
                            ({"c": "B"}, {"c": "A"}), ({"c": "A"}, {"c": "B"})),
    "caseload_balance": (tiny([kid(x) for x in "cdef"], [member("A"), member("B")], only(caseload_balance=10)),
                         ({"c": "A", "d": "A", "e": "B", "f": "B"}, {"c": "B", "d": "B", "e": "A", "f": "A"}),
                         (dict.fromkeys("cdef", "A"), dict.fromkeys("cdef", "B"))),
    "session_balance": (tiny([kid("c"), kid("d")], [member("A"), member("B")], only(session_balance=2)),
                        ({"c": "A", "d": "B"}, {"c": "B", "d": "A"}), GOOD),
    "co_worker_familiarity": (_one_child(staff=[member("A"), member("B", "Mon AM,Mon PM"), member("C", "Mon AM")],
                                         rules=only(co_worker_familiarity=5)),
                              ({"c": "A"}, {"c": "B"}), ({"c": "A"}, {"c": "C"})),
    "co_worker_balance": (tiny([kid(x) for x in "cdef"], [member("A"), member("B"), member("C")],
                               only(co_worker_balance=4)),
                          (dict.fromkeys("cdef", "A"), {"c": "B", "d": "B", "e": "C", "f": "C"}),
                          (dict.fromkeys("cdef", "A"), dict.fromkeys("cdef", "B"))),
    # c's key person A leaves within the term: the co-worker B succeeding (C the co-worker from then) is better
    # than C succeeding (B staying co-worker)
    "next_key_person": (_one_child({"key_person": "A", "co_worker": "B"}, rules=only(successor=40),
                                   staff=[member("A", **LEAVER), member("B"), member("C")]),
                        ({"c": "A"}, {"c": "B"}, {**TERM, "successor": {"c": "B"}, "next_co_worker": {"c": "C"}}),
                        ({"c": "A"}, {"c": "B"}, {**TERM, "successor": {"c": "C"}, "next_co_worker": {"c": "B"}})),
    # B succeeds A, who leaves within the term: C (every session) as the co-worker from then beats D (Mon AM)
    "next_co_worker": (_one_child({"key_person": "A", "co_worker": "B"}, rules=only(co_worker_familiarity=5),
                                  staff=[member("A", **LEAVER), member("B"), member("C"), member("D", "Mon AM")]),
                       ({"c": "A"}, {"c": "B"}, {**TERM, "successor": {"c": "B"}, "next_co_worker": {"c": "C"}}),
                       ({"c": "A"}, {"c": "B"}, {**TERM, "successor": {"c": "B"}, "next_co_worker": {"c": "D"}})),
}

# What each worse plan loses, worked out by hand from the README's definitions
LOST = {
    "overlap": 100 - 25,  # A works all four of c's sessions, B one of four (25 points)
    "coverage": 20 * (4 - 2),  # A and B together cover all four sessions; A and C only Mon AM and PM
    "attachment": 40 * 3,  # a strong bond with B
    "continuity": 60, "co_worker_continuity": 20, "successor": 40, "siblings": 30, "language": 15,
    "sen_support_trained": 15, "next_key_person": 40,
    "next_co_worker": 5 * (4 - 1),  # the co-worker from the handover: C works all four of c's sessions, D one
    "caseload_balance": 10 * 2,  # fair shares 2 and 2: four with A is two over
    "session_balance": 2 * 4,  # the busiest load is 2, not 1, in each of the four sessions
    "co_worker_familiarity": 5 * (2 - 1),  # B works two of c's sessions, C one
    "co_worker_balance": 4 * 2,  # fair co-worker shares ceil(4 x 4/12) = 2 each: four with B is two over
}


def test_every_soft_term_has_a_worse_plan():
    """Adding a term to the registry without a worse plan here fails."""
    assert set(WORSE) == set(LOST) == set(TERMS)


@pytest.mark.parametrize("term", list(WORSE))
def test_the_checker_scores_each_worse_plan_lower(term):
    """The worse plan loses exactly the hand-worked points on its term, and nothing on any other."""
    setting, good, worse = WORSE[term]
    better, poorer = (evaluate(setting, ON, key, co, **(kw[0] if kw else {})) for key, co, *kw in (good, worse))
    assert better.ok and poorer.ok, (better.violations, poorer.violations)
    assert better.terms[term] - poorer.terms[term] == LOST[term]
    assert {k: v for k, v in better.terms.items() if k != term} == {k: v for k, v in poorer.terms.items() if k != term}


BORN = {1: date(2025, 9, 1), 2: date(2024, 9, 1), 3: date(2023, 9, 1)}  # ages on ON


@pytest.mark.parametrize("age, ratio", [(1, 3), (2, 5), (3, 8)])
def test_the_checker_holds_the_statutory_ratio(age, ratio):
    """With no Ratio on the Rooms sheet, ``ratio`` children of that age present with one key person keep the
    key group limit (``ratio`` shares of 1/``ratio``: one adult), and one more breaks it."""
    room = (Room("R", 10),)
    staff = [member("A"), member("B")]
    for n, ok in ((ratio, True), (ratio + 1, False)):
        s = tiny([kid(f"c{i}", date_of_birth=BORN[age]) for i in range(n)], staff, rooms=room)
        ev = evaluate(s, ON, {c.id: "A" for c in s.children}, {c.id: "B" for c in s.children})
        assert ev.broken == (set() if ok else {"key group limit"}), (n, [str(v) for v in ev.violations])


@pytest.mark.parametrize("needed", [True, False])
def test_the_checker_holds_sen_support_training_when_the_rule_says_so(needed):
    """An untrained key person for a child on SEN support breaks the rule only when the Rules ask for it."""
    s = _one_child({"sen": "SEN support"}, rules=replace(only(), sen_support_needs_sen_trained=needed))
    assert evaluate(s, ON, {"c": "A"}, {"c": "B"}).broken == ({"SEN trained"} if needed else set())


def test_starting_or_leaving_on_the_plan_date_counts_as_employed():
    """A practitioner whose Starts or Leaves date is the plan date works that day."""
    s = tiny([kid("c")], [member("A", starts=ON), member("B", leaves=ON)])
    assert evaluate(s, ON, {"c": "A"}, {"c": "B"}).ok


@pytest.mark.parametrize("ratio, cap", [(3, 4), (5, 6), (8, 8)])
def test_the_checker_holds_the_default_cap_for_the_room_ratio(ratio, cap):
    """With no cap on the Staff, Rooms or Rules sheets, a 1:3 room's cap is 4, 1:5 6, else 8 (children who
    attend no sessions, so only the cap can bind)."""
    for n, ok in ((cap, True), (cap + 1, False)):
        s = tiny([kid(f"c{i}", "") for i in range(n)], [member("A"), member("B")], rooms=(Room("R", None, ratio),))
        ev = evaluate(s, ON, {c.id: "A" for c in s.children}, {c.id: "B" for c in s.children})
        assert ev.broken == (set() if ok else {"caseload cap", "co-worker cap"}), [str(v) for v in ev.violations]


def test_a_child_with_an_ehcp_counts_double_in_the_checker():
    """A's cap of 2 holds two children, but not a child with an EHCP and one more (2 + 1)."""
    staff = [member("A", max_key_children=2, sen_trained=True), member("B")]
    assert evaluate(tiny([kid("c"), kid("d")], staff), ON, *GOOD).ok
    ev = evaluate(tiny([kid("c", sen="EHCP"), kid("d")], staff), ON, *GOOD)
    assert ev.broken == {"caseload cap"} and "weighted caseload 3 over cap 2" in str(ev.violations[0])


def test_a_funded_support_ratio_takes_its_share_of_an_adult():
    """In a 1:3 room a child funded at 1:1 takes a whole adult: with one more child present, A's key group
    is over the limit."""
    rooms = (Room("R", 8, 3),)
    staff = [member("A", sen_trained=True), member("B")]
    assert evaluate(tiny([kid("c", support_ratio=1)], staff, rooms=rooms), ON, {"c": "A"}, {"c": "B"}).ok
    ev = evaluate(tiny([kid("c", support_ratio=1), kid("d")], staff, rooms=rooms), ON, *GOOD)
    assert ev.broken == {"key group limit"}


def test_the_checker_scores_the_strongest_of_two_bonds():
    """Two observations of c with B, strong then weak: the bond counts as strong (3 x 40)."""
    s = _one_child(rules=only(attachment=40), attachments=(Attachment("c", "B", 3), Attachment("c", "B", 1)))
    assert evaluate(s, ON, {"c": "B"}, {"c": "A"}).terms["attachment"] == 120


def test_the_checker_gives_no_successor_points_while_the_key_person_stays():
    """c's key person A is still here: making co-worker B key person is a change, not a succession."""
    s = _one_child({"key_person": "A", "co_worker": "B"}, rules=only(successor=40))
    assert evaluate(s, ON, {"c": "B"}, {"c": "A"}).terms["successor"] == 0


def test_the_checker_gives_sen_support_points_for_sen_support_only():
    """An EHCP child's SEN-trained key person earns no SEN support points."""
    s = _one_child({"sen": "EHCP"}, staff=[member("A"), member("B", sen_trained=True)],
                   rules=only(sen_support_trained=15))
    assert evaluate(s, ON, {"c": "B"}, {"c": "A"}).terms["sen_support_trained"] == 0


def test_only_practitioners_who_could_take_a_child_share_the_caseload():
    """Only B is SEN trained, and the room's one child has an EHCP: B's fair share is the whole load (2), not
    half of it, so B is not over it."""
    s = _one_child({"sen": "EHCP"}, staff=[member("A"), member("B", sen_trained=True)], rules=only(caseload_balance=10))
    assert evaluate(s, ON, {"c": "B"}, {"c": "A"}).terms["caseload_balance"] == 0


def test_a_practitioner_with_no_sessions_is_nobodys_key_person():
    """c2's key person N works no sessions, so N can't stay (the 60 for keeping N is gone). A works all four
    sessions but has a cap of 1, so c1 gets A (100) and c2 gets B, who works Tue PM (25): 125. (Before the
    rule, N was kept: 160, with nobody in for c2 all week.)"""
    from scheduler import Status, plan

    s = tiny([kid("c1"), kid("c2", key_person="N")], [member("A", max_key_children=1), member("N", ""),
                                                       member("B", "Tue PM")], only(overlap=100, continuity=60))
    r = plan(s, ON, time_limit=20)
    assert r.status is Status.OPTIMAL
    assert r.key_person == {"c1": "A", "c2": "B"} and r.objective == 125
