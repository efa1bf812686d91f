"""One behaviour test per hard rule and per soft term, on tiny settings with hand-derived optima.

Every setting uses a four-session week (Mon AM .. Tue PM) and ``only(...)``
weights, so exactly the term under test scores; the autouse fixture also
re-checks each plan with the plain-Python checker.
"""

from __future__ import annotations

from datetime import date

import pytest

from scheduler import Attachment, Instance, Lock, Report, Room, Status, plan, replace
from scheduler.precheck import prechecks
from tests.conftest import OFF, ON, kid, member, only, tiny


def solve(setting, **kw):
    result = plan(setting, ON, time_limit=20, **kw)
    assert result.status is Status.OPTIMAL, result.status
    return result


# -- hard rules ------------------------------------------------------------------

def test_every_child_gets_one_key_person_and_a_different_co_worker():
    """With two practitioners, one is key person and the other co-worker (they must differ)."""
    r = solve(tiny([kid("c")], [member("A"), member("B")], only(overlap=100)))
    assert {r.key_person["c"], r.co_worker["c"]} == {"A", "B"}
    assert r.objective == 100  # either works all four of the child's sessions


def test_one_practitioner_is_not_enough():
    """Key person and co-worker must differ, so a room with one practitioner has no plan."""
    assert plan(tiny([kid("c")], [member("A")]), ON).status is Status.INFEASIBLE


def test_key_person_works_in_the_childs_room():
    """X works every session but in room Q, so the key person is Y or Z (overlap 0)."""
    r = solve(tiny([kid("c")], [member("X", room="Q"), member("Y", OFF), member("Z", OFF)], only(overlap=100)))
    assert r.key_person["c"] in {"Y", "Z"} and r.co_worker["c"] in {"Y", "Z"}
    assert r.objective == 0


def test_co_worker_may_come_from_another_room_when_rules_allow():
    """With 'Co-workers from other rooms', X in room Q (working every session) becomes co-worker."""
    rules = replace(only(coverage=10), co_workers_from_other_rooms=True)
    r = solve(tiny([kid("c")], [member("X", room="Q"), member("Y", OFF), member("Z", OFF)], rules))
    assert r.co_worker["c"] == "X"
    assert r.objective == 40  # X covers all four sessions


def test_students_are_neither_key_person_nor_co_worker():
    """S can't be key person (a student), so Y or Z is chosen though S works every session."""
    r = solve(tiny([kid("c")], [member("S", can_be_key_person=False), member("Y", OFF), member("Z", OFF)],
                   only(overlap=100, coverage=10)))
    assert "S" not in (r.key_person["c"], r.co_worker["c"])
    assert r.objective == 0


@pytest.mark.parametrize("dates", [{"starts": date(2027, 2, 1)}, {"leaves": date(2026, 12, 18)}])
def test_key_person_is_employed_on_the_plan_date(dates):
    """X works every session but isn't employed on 4 Jan 2027 (not started / already left)."""
    r = solve(tiny([kid("c")], [member("X", **dates), member("Y", OFF), member("Z", OFF)], only(overlap=100)))
    assert r.key_person["c"] != "X" and r.objective == 0
    reason = {"starts": "doesn't start until 01/02/2027", "leaves": "left on 18/12/2026"}[next(iter(dates))]
    inst = r.instance
    assert inst.key_person_exclusion(inst.children[0], member("X", **dates)) == reason
    assert inst.co_worker_exclusion(inst.children[0], member("X", **dates)) == reason


def test_a_practitioner_whose_checks_are_not_complete_is_neither_key_person_nor_co_worker():
    """X works every session but her DBS and reference checks are not complete: Y and Z, who work none of the
    child's sessions, are key person and co-worker (overlap and coverage 0), and the reason says why X can't be
    either."""
    x = member("X", checks_complete=False)
    r = solve(tiny([kid("c")], [x, member("Y", OFF), member("Z", OFF)], only(overlap=100, coverage=10)))
    assert "X" not in (r.key_person["c"], r.co_worker["c"]) and r.objective == 0
    inst = r.instance
    reason = "can't be key person or co-worker until their DBS and reference checks are complete (Staff sheet)"
    assert inst.key_person_exclusion(inst.children[0], x) == reason
    assert inst.co_worker_exclusion(inst.children[0], x) == reason


def test_a_practitioner_whose_checks_are_not_complete_adds_no_key_person_capacity():
    """A (cap 2) and B (cap 1) can take three children; X's cap of 8 doesn't count while her checks are not
    complete, so a fourth child is found short by the quick checks, before any solve."""
    staff = [member("A", max_key_children=2), member("B", max_key_children=1), member("X", checks_complete=False)]
    found = prechecks(Instance.build(tiny([kid(f"c{i}") for i in range(4)], staff), ON))
    assert any("the caps of the 2 practitioners who may be their key person add up to 3" in f for f in found), found


def test_a_practitioner_whose_checks_are_not_complete_has_no_fair_share():
    """X (checks not complete) works all four sessions, A and B two each: the room's four children are shared
    between A and B only (fair share 2 each), so A and B with two each lose nothing: 0 points. (Counted with
    X, the fair shares would be 1 each and the same plan would lose 20.)"""
    staff = [member("X", checks_complete=False), member("A", "Mon AM,Mon PM"), member("B", "Tue AM,Tue PM")]
    r = solve(tiny([kid(f"c{i}") for i in range(4)], staff, only(caseload_balance=10)))
    assert r.objective == 0 and sorted(r.key_person.values()) == ["A", "A", "B", "B"]


def test_a_practitioner_whose_checks_are_not_complete_has_no_co_worker_share():
    """The same room for co-worker balance: the four children's co-workers are shared between A and B only
    (2 each), so A and B co-workers for two each lose nothing: 0 points (with X, each would be 1 over)."""
    staff = [member("X", checks_complete=False), member("A", "Mon AM,Mon PM"), member("B", "Tue AM,Tue PM")]
    r = solve(tiny([kid(f"c{i}") for i in range(4)], staff, only(co_worker_balance=4)))
    assert r.objective == 0 and sorted(r.co_worker.values()) == ["A", "A", "B", "B"]


def test_caseload_cap():
    """A (cap 2) works every session; of three children two get A (100 each), one gets B or C (0)."""
    r = solve(tiny([kid("c1"), kid("c2"), kid("c3")], [member("A", max_key_children=2), member("B", OFF),
                                                       member("C", OFF)], only(overlap=100)))
    assert list(r.key_person.values()).count("A") == 2
    assert r.objective == 200


def test_ehcp_counts_double_against_the_cap():
    """A has cap 2: an EHCP child takes both places, so the other child must go to B."""
    children = [kid("e", sen="EHCP"), kid("c")]
    r = solve(tiny(children, [member("A", max_key_children=2, sen_trained=True), member("B", OFF), member("C", OFF)],
                   only(overlap=100)))
    assert r.key_person == {"e": "A", "c": r.key_person["c"]} and r.key_person["c"] != "A"
    assert r.objective == 100


def test_ratio_in_every_session():
    """In a 1:3 room a 1:1 child weighs 3 in Mon AM, so A can't have both there. p with A scores 100
    (q with B: 0); q with A only 50 (A works one of q's two sessions), so p gets A."""
    rooms = (Room("R", 8, 3),)
    children = [kid("p", "Mon AM", support_ratio=1), kid("q", "Mon AM,Tue AM")]
    staff = [member("A", "Mon AM", sen_trained=True), member("B", OFF, sen_trained=True), member("C", OFF)]
    r = solve(tiny(children, staff, only(overlap=100), rooms=rooms))
    assert r.key_person["p"] == "A" and r.key_person["q"] != "A"
    assert r.objective == 100


BORN = {1: date(2025, 9, 1), 2: date(2024, 9, 1), 3: date(2023, 9, 1)}  # ages on the plan date, Mon 4 Jan 2027


@pytest.mark.parametrize("age, ratio", [(1, 3), (2, 5), (3, 8)])
def test_statutory_ratio_for_the_youngest_child(age, ratio):
    """A room with no Ratio of its own runs at the statutory ratio (under 2 1:3, 2 1:5, 3+ 1:8). ratio + 1
    children of that age attend Mon AM, which only A works: A may have ``ratio`` of them (100 each) and the
    last goes to B (0), so the optimum is 100 x ratio."""
    children = [kid(f"c{i}", "Mon AM", date_of_birth=BORN[age]) for i in range(ratio + 1)]
    r = solve(tiny(children, [member("A"), member("B", "Tue AM")], only(overlap=100), rooms=(Room("R", 10),)))
    assert list(r.key_person.values()).count("A") == ratio
    assert r.objective == 100 * ratio


@pytest.mark.parametrize("needed", [True, False])
def test_sen_support_needs_an_sen_trained_key_person_when_the_rule_says_so(needed):
    """A works all four sessions but isn't SEN trained; B is, and works Mon AM. With the rule, the child on
    SEN support gets B (overlap 25); without it, A (100)."""
    rules = replace(only(overlap=100), sen_support_needs_sen_trained=needed)
    staff = [member("A"), member("B", "Mon AM", sen_trained=True)]
    r = solve(tiny([kid("c", sen="SEN support")], staff, rules))
    assert r.key_person["c"] == ("B" if needed else "A")
    assert r.objective == (25 if needed else 100)


def test_ehcp_needs_an_sen_trained_key_person():
    """X works every session but isn't SEN trained; the EHCP child gets trained Y (overlap 0)."""
    staff = [member("X"), member("Y", OFF, sen_trained=True), member("Z", OFF)]
    r = solve(tiny([kid("c", sen="EHCP")], staff, only(overlap=100)))
    assert r.key_person["c"] == "Y" and r.objective == 0
    loose = replace(only(overlap=100), ehcp_needs_sen_trained=False)
    assert solve(tiny([kid("c", sen="EHCP")], staff, loose)).key_person["c"] == "X"


def test_co_worker_cap():
    """Both children's current co-worker is A, but A may be co-worker for only one of them."""
    children = [kid("c1", co_worker="A"), kid("c2", co_worker="A")]
    rules = replace(only(co_worker_continuity=20), max_co_worker_children=1)
    r = solve(tiny(children, [member("A"), member("B"), member("C")], rules))
    assert list(r.co_worker.values()).count("A") == 1
    assert r.objective == 20


def test_co_worker_caps_can_make_a_plan_impossible():
    """Three children need three co-worker places, but A and B may be co-worker for one child each."""
    s = tiny([kid("c1"), kid("c2"), kid("c3")], [member("A"), member("B")],
             replace(only(), max_co_worker_children=1))
    r = plan(s, ON, time_limit=20)
    assert r.status is Status.INFEASIBLE
    assert r.diagnosis[:2] == [  # each practitioner named, and the one change that loosens both said once
        "These rules can't all hold at once: Staff A (A)'s limit of 1 child as co-worker; Staff B (B)'s limit of 1 "
        "child as co-worker.",
        "Any one of these would make a plan possible: raise Max co-worker children on the Rules sheet above 1."]


def test_co_worker_differs_even_where_caps_bind():
    """A works every session, B none, and each may be co-worker for one child. Both children with A would
    score 200, but then both co-workers would be B; so one child has B as key person: 100."""
    s = tiny([kid("c1"), kid("c2")], [member("A"), member("B", OFF)], replace(only(overlap=100),
                                                                              max_co_worker_children=1))
    r = solve(s)
    assert sorted(r.key_person.values()) == ["A", "B"] and r.objective == 100


@pytest.mark.parametrize("lock, expect", [
    (Lock("c", "B", "key person", "must"), lambda r: r.key_person["c"] == "B"),
    (Lock("c", "A", "key person", "must not"), lambda r: r.key_person["c"] != "A"),
    (Lock("c", "C", "co-worker", "must"), lambda r: r.co_worker["c"] == "C"),
])
def test_locks_are_kept(lock, expect):
    """A works every session and would be key person, but a lock overrides it."""
    s = tiny([kid("c")], [member("A"), member("B", OFF), member("C", OFF)], only(overlap=100), locks=(lock,))
    assert expect(solve(s))


def test_max_changes():
    """Both children would move from A (works none of their sessions: 60 for keeping) to B (100); at most one may."""
    s = tiny([kid("c1", key_person="A"), kid("c2", key_person="A")], [member("A", OFF), member("B"), member("C", OFF)],
             only(overlap=100, continuity=60))
    assert solve(s).objective == 200
    capped = solve(s, max_changes=1)
    assert list(capped.key_person.values()).count("A") == 1
    assert capped.objective == 160  # one kept (60) and one moved (100)


# -- soft terms ------------------------------------------------------------------

def test_overlap_is_pro_rata_and_rounded():
    """A works 2 of the child's 3 sessions: 100 * 2/3 rounds to 67."""
    r = solve(tiny([kid("c", "Mon AM,Mon PM,Tue AM")], [member("A", "Mon AM,Mon PM"), member("B", "Mon AM")],
                   only(overlap=100)))
    assert r.key_person["c"] == "A" and r.objective == 67


def test_coverage_pairs_a_key_person_with_a_co_worker_who_fills_the_gaps():
    """A works Monday, B Tuesday, C only Mon AM: A with B covers all four sessions (4 x 10)."""
    staff = [member("A", "Mon AM,Mon PM"), member("B", "Tue AM,Tue PM"), member("C", "Mon AM")]
    r = solve(tiny([kid("c")], staff, only(coverage=10)))
    assert {r.key_person["c"], r.co_worker["c"]} == {"A", "B"} and r.objective == 40


def test_coverage_counts_only_sessions_someone_familiar_works():
    """A works both Mon sessions, B Tue AM, C Tue PM: key person and co-worker can cover three of the
    child's four sessions at most (A with B or C), so 60."""
    staff = [member("A", "Mon AM,Mon PM"), member("B", "Tue AM"), member("C", "Tue PM")]
    r = solve(tiny([kid("c")], staff, only(coverage=20)))
    assert r.key_person["c"] == "A" or r.co_worker["c"] == "A"
    assert r.objective == 60


def test_a_strong_bond_overrides_overlap():
    """A works all (100); B one session (25) but has a strong bond (3 x 40): B wins with 145."""
    s = tiny([kid("c")], [member("A"), member("B", "Mon AM"), member("C", OFF)], only(overlap=100, attachment=40),
             attachments=(Attachment("c", "B", 3),))
    r = solve(s)
    assert r.key_person["c"] == "B" and r.objective == 145


def test_continuity_keeps_the_current_key_person():
    """B (current) works half the sessions: 50 + 60 for keeping beats A's 100."""
    r = solve(tiny([kid("c", key_person="B")], [member("A"), member("B", "Mon AM,Mon PM"), member("C", OFF)],
                   only(overlap=100, continuity=60)))
    assert r.key_person["c"] == "B" and r.objective == 110


def test_co_worker_continuity_keeps_the_current_co_worker():
    """Only keeping the co-worker scores: C stays co-worker (20)."""
    r = solve(tiny([kid("c", co_worker="C")], [member("A"), member("B"), member("C")], only(co_worker_continuity=20)))
    assert r.co_worker["c"] == "C" and r.objective == 20


@pytest.mark.parametrize("weight, share", [(30, False), (150, True)])
def test_siblings_share_a_key_person_when_it_is_worth_it(weight, share):
    """Apart each sibling gets a key person working all their sessions (200); together one gets 0 and
    the pair scores the sibling weight: 130 < 200 at weight 30, 250 > 200 at weight 150."""
    children = [kid("c1", "Mon AM,Mon PM", sibling_group="F"), kid("c2", "Tue AM,Tue PM", sibling_group="f")]
    staff = [member("A", "Mon AM,Mon PM"), member("B", "Tue AM,Tue PM"), member("C", OFF)]
    r = solve(tiny(children, staff, only(overlap=100, siblings=weight)))
    assert (r.key_person["c1"] == r.key_person["c2"]) is share
    assert r.objective == (100 + weight if share else 200)
    a = Report(r).assignments
    why = dict(zip(a["Child ID"], a["Why"], strict=True))
    assert ("also key person to their sibling Child c2 (c2)" in why["c1"]) is share  # names before IDs


def test_successor_only_when_the_key_person_has_left():
    """c's key person A is still here and works only Mon AM; B, c's co-worker, works every session. B
    becomes key person for overlap (100), with no successor points, since nobody left."""
    s = tiny([kid("c", key_person="A", co_worker="B")], [member("A", "Mon AM"), member("B")],
             only(overlap=100, successor=40))
    r = solve(s)
    assert r.key_person["c"] == "B" and r.objective == 100


def test_home_language():
    """B speaks the child's Polish: 50 + 60 beats A's 100."""
    staff = [member("A"), member("B", "Mon AM,Mon PM", languages=("polish",)), member("C", OFF)]
    r = solve(tiny([kid("c", home_language="Polish")], staff, only(overlap=100, language=60)))
    assert r.key_person["c"] == "B" and r.objective == 110


def test_sen_support_prefers_a_trained_key_person():
    """SEN support: trained B (50 + 60) beats untrained A (100), though not required."""
    staff = [member("A"), member("B", "Mon AM,Mon PM", sen_trained=True), member("C", OFF)]
    r = solve(tiny([kid("c", sen="SEN support")], staff, only(overlap=100, sen_support_trained=60)))
    assert r.key_person["c"] == "B" and r.objective == 110


def test_sen_support_points_are_for_sen_support_only():
    """A child with an EHCP must have SEN-trained B anyway; the SEN support points are not theirs: 0."""
    s = tiny([kid("c", sen="EHCP")], [member("A"), member("B", sen_trained=True)], only(sen_support_trained=15))
    r = solve(s)
    assert r.key_person["c"] == "B" and r.objective == 0


def test_caseload_balance_counts_each_child_over_the_fair_share():
    """c1-c3 are locked to A; A and B work alike, so each one's fair share of the four children is 2: A is
    one over (-10) and c4 goes to B."""
    locks = tuple(Lock(c, "A", "key person", "must") for c in ("c1", "c2", "c3"))
    s = tiny([kid(f"c{i}") for i in range(1, 5)], [member("A"), member("B")], only(caseload_balance=10),
             locks=locks)
    r = solve(s)
    assert r.key_person["c4"] == "B" and r.objective == -10


def test_caseload_balance_shares_children_by_sessions_worked():
    """A and B work 4 sessions, C one: fair shares of 4 children are 2, 2 and 1 (ceil(4*4/9), ceil(4/9)).
    A and B take two each (400 overlap, no excess); three with A would cost 10."""
    children = [kid(f"c{i}") for i in range(4)]
    r = solve(tiny(children, [member("A"), member("B"), member("C", "Mon AM")], only(overlap=100, caseload_balance=10)))
    assert sorted(r.key_person.values()) == ["A", "A", "B", "B"] and r.objective == 400


def test_session_balance_spreads_a_busy_session():
    """Two Mon AM children with A or B: split, the busiest load is 1 (200 - 5); together 2 (200 - 10)."""
    children = [kid("c1", "Mon AM"), kid("c2", "Mon AM")]
    r = solve(tiny(children, [member("A", "Mon AM"), member("B", "Mon AM"), member("C", OFF)],
                   only(overlap=100, session_balance=5)))
    assert r.key_person["c1"] != r.key_person["c2"] and r.objective == 195


def test_the_busiest_load_is_not_held_to_the_room_ratio():
    """A room with a baby (so 1:3 for the room) and four 3-year-olds (1:8 each) in on Mon AM, which only A
    works: A may have all four (their shares add up to half an adult), a load of 4 in Mon AM, more than 3.
    Overlap 100 each, the baby with B (Tue AM, 100): 500, less the busiest loads 4 (Mon AM) and 1 (Tue AM): 495."""
    threes = [kid(f"p{i}", "Mon AM", date_of_birth=date(2023, 9, 1)) for i in range(4)]
    baby = kid("b", "Tue AM", date_of_birth=date(2025, 9, 1))
    staff = [member("A", "Mon AM", max_key_children=8), member("B", "Tue AM", max_key_children=8)]
    r = solve(tiny([*threes, baby], staff, only(overlap=100, session_balance=1), rooms=(Room("R", 8, None),)))
    assert [r.key_person[c.id] for c in threes] == ["A"] * 4 and r.key_person["b"] == "B"
    assert r.objective == 495


def test_the_co_worker_fills_the_key_persons_gaps():
    """A and B both work Mon AM and PM, C works Tue AM. Whichever of A and B is key person (overlap 50), C as
    co-worker brings Tue AM on top of the key person's two sessions (coverage 3 x 20), the other of A and B
    nothing new (2 x 20): C, 110."""
    staff = [member("A", "Mon AM,Mon PM"), member("B", "Mon AM,Mon PM"), member("C", "Tue AM")]
    r = solve(tiny([kid("c")], staff, only(overlap=100, coverage=20)))
    assert r.key_person["c"] in {"A", "B"} and r.co_worker["c"] == "C"
    assert r.objective == 110
