"""Co-workers who know the child, fair co-worker loads and pro-rata caps (issue 17).

Tiny settings with hand-derived optima, as in test_rules; the autouse fixture re-checks every plan with
the plain-Python checker. The checker tests feed it a worse (or a rule-breaking) plan directly.
"""

from __future__ import annotations

import pytest

from scheduler import Lock, Report, Room, Status, evaluate, plan, replace
from scheduler.instance import Instance
from tests.conftest import ON, kid, member, only, tiny


def solve(setting):
    result = plan(setting, ON, time_limit=20)
    assert result.status is Status.OPTIMAL, result.status
    return result


A_KEY = (Lock("c", "A", "key person", "must"),)


def familiar(*co_workers):
    """Child c attends all four sessions; A, locked as key person, works Mondays only; the co-workers given."""
    return tiny([kid("c")], [member("A", "Mon AM,Mon PM"), *co_workers], only(coverage=20, co_worker_familiarity=5),
                locks=A_KEY)


# -- familiarity ---------------------------------------------------------------------------------------

def test_the_co_worker_covers_the_key_persons_absences_first():
    """B works both Tuesdays (covers all 4: 80, works 2 of c's sessions: 10, 90); C works Mon AM, Mon PM and
    Tue AM (covers 3: 60, works 3: 15, 75). Coverage comes first: B."""
    r = solve(familiar(member("B", "Tue AM,Tue PM"), member("C", "Mon AM,Mon PM,Tue AM")))
    assert r.co_worker["c"] == "B" and r.objective == 90


def test_among_co_workers_who_cover_the_same_the_one_the_child_sees_most_wins():
    """D covers both Tuesdays too and also works Mon AM: 80 + 15 = 95 beats B's 90."""
    r = solve(familiar(member("B", "Tue AM,Tue PM"), member("C", "Mon AM,Mon PM,Tue AM"),
                       member("D", "Mon AM,Tue AM,Tue PM")))
    assert r.co_worker["c"] == "D" and r.objective == 95
    assert Report(r).assignments.loc[0, "Co-worker shares"] == "shares 3 of 4"


def test_familiarity_alone_picks_the_co_worker_the_child_sees_most():
    """Only familiarity scores: A is key person (locked); B works 1 of c's sessions (5), C 3 (15): C."""
    s = tiny([kid("c")], [member("A"), member("B", "Mon AM"), member("C", "Mon AM,Tue AM,Tue PM")],
             only(co_worker_familiarity=5), locks=A_KEY)
    assert solve(s).co_worker["c"] == "C" and solve(s).objective == 15


def test_continuity_does_not_keep_a_co_worker_the_child_never_sees():
    """c's current co-worker B works none of c's sessions, so keeping B earns nothing: C, who works one,
    scores 5 (B would score 0, not 20)."""
    s = tiny([kid("c", "Mon AM", co_worker="B")], [member("A"), member("B", "Tue PM"), member("C", "Mon AM")],
             only(co_worker_continuity=20, co_worker_familiarity=5), locks=A_KEY)
    r = solve(s)
    assert r.co_worker["c"] == "C" and r.objective == 5
    assert evaluate(s, ON, {"c": "A"}, {"c": "B"}).terms["co_worker_continuity"] == 0


# -- co-worker balance -----------------------------------------------------------------------------------

def balance_setting(weight: int):
    """Four children, A locked as every child's key person; A, B and C work all four sessions, so each one's
    fair share of the room's 4 children is ceil(4 x 4/12) = 2. Every child's current co-worker is B."""
    children = [kid(f"c{i}", co_worker="B") for i in range(4)]
    locks = tuple(Lock(f"c{i}", "A", "key person", "must") for i in range(4))
    return tiny(children, [member("A"), member("B"), member("C")],
                only(co_worker_continuity=20, co_worker_balance=weight), locks=locks)


@pytest.mark.parametrize("weight, with_b, points", [
    (30, 2, 40),  # B keeps 4: 80 - 2 x 30 = 20; 3: 60 - 30 = 30; 2 (C the other 2): 40 - 0 = 40
    (10, 4, 60),  # B keeps 4: 80 - 20 = 60; 3: 60 - 10 = 50; 2: 40
])
def test_co_worker_balance_shares_co_worker_children_by_sessions_worked(weight, with_b, points):
    """Above the fair share each co-worker child costs the weight: worth moving only when it costs more
    than keeping the co-worker (20)."""
    r = solve(balance_setting(weight))
    assert list(r.co_worker.values()).count("B") == with_b and r.objective == points


def test_the_co_worker_flow_matches_a_cp_sat_solve_of_the_same_step():
    """With key persons fixed, the min-cost flow (parallel arcs for balance) and CP-SAT's co-worker solve
    (forced by a rule added to the model that binds nothing) give the same co-workers and points."""
    from scheduler.cpsat import CPModel

    inst = Instance.build(balance_setting(30), ON)
    by_flow = CPModel(inst).solve(time_limit=10)
    model = CPModel(inst)
    model.model.add(sum(model.vars.co["var"]) == 4)
    by_solve = model.solve(time_limit=10)
    assert by_flow.tie_break_proven and by_solve.tie_break_proven
    assert (by_flow.co_worker, by_flow.objective) == (by_solve.co_worker, by_solve.objective)
    assert by_flow.objective == 40


# -- pro-rata caps ---------------------------------------------------------------------------------------

def pro_rata(**staff_a):
    """The room (cap 4) is open all four sessions (d comes Tuesdays). A works Mondays: 4 x 2/4 = 2 places;
    B Tuesdays: 2; C and D work nothing: 1 each (never below 1). c1-c3 come Mondays only."""
    children = [kid("c1", "Mon AM,Mon PM"), kid("c2", "Mon AM,Mon PM"), kid("c3", "Mon AM,Mon PM"),
                kid("d", "Tue AM,Tue PM")]
    staff = [member("A", "Mon AM,Mon PM", **staff_a), member("B", "Tue AM,Tue PM"), member("C", ""), member("D", "")]
    return tiny(children, staff, replace(only(overlap=100), pro_rata_caps=True), rooms=(Room("R", 4, 8),))


def test_pro_rata_caps_limit_a_part_timer():
    """A may take only 2 of the three Monday children (200); the third goes elsewhere (0); d has B (100)."""
    r = solve(pro_rata())
    assert list(r.key_person.values()).count("A") == 2 and r.objective == 300
    caps = Report(r).caseloads.set_index("Staff ID")
    assert caps.loc["A", "Cap"] == 2 and caps.loc["A", "Cap from"] == "4 x 2/4 sessions, rounded up: 2"
    assert caps.loc["C", "Cap"] == 1 and caps.loc["C", "Cap from"] == "4 x 0/4 sessions, at least 1: 1"


def test_a_staff_sheet_cap_is_taken_as_already_pro_rata():
    """A's own Max key children of 3 is not scaled: A takes all three Monday children (400)."""
    r = solve(pro_rata(max_key_children=3))
    assert list(r.key_person.values()).count("A") == 3 and r.objective == 400
    assert Report(r).caseloads.set_index("Staff ID").loc["A", "Cap from"] == "Staff sheet (taken as pro rata)"


def test_without_pro_rata_caps_the_room_cap_holds_for_everyone():
    """With Pro-rata caps off A's cap is the room's 4: all three Monday children (400)."""
    s = pro_rata()
    r = solve(replace(s, rules=replace(s.rules, pro_rata_caps=False)))
    assert list(r.key_person.values()).count("A") == 3 and r.objective == 400


def test_pro_rata_caps_round_up():
    """In a room with a cap of 3, A works 2 of the 4 open sessions: 3 x 2/4 = 1.5, rounded up to 2. The model's
    cap and the checker agree: two Monday children with A keep the rule, three break it."""
    s = pro_rata()
    s = replace(s, rooms=(Room("R", 3, 8),))
    assert s.cap_derivation("A", ON) == (2, "3 x 2/4 sessions, rounded up: 2")
    co = {"c1": "B", "c2": "B", "c3": "A", "d": "A"}
    assert evaluate(s, ON, {"c1": "A", "c2": "A", "c3": "B", "d": "B"}, co).ok
    three = {"c1": "A", "c2": "A", "c3": "A", "d": "B"}
    assert evaluate(s, ON, three, {**co, "c3": "C"}).broken == {"caseload cap"}


# -- the checker -------------------------------------------------------------------------------------------

def test_checker_scores_a_co_worker_the_child_sees_less_lower():
    """Same key person, co-worker D (covers 4, works 3: 95) against B (covers 4, works 2: 90)."""
    s = familiar(member("B", "Tue AM,Tue PM"), member("D", "Mon AM,Tue AM,Tue PM"))
    best, worse = evaluate(s, ON, {"c": "A"}, {"c": "D"}), evaluate(s, ON, {"c": "A"}, {"c": "B"})
    assert (best.terms["co_worker_familiarity"], worse.terms["co_worker_familiarity"]) == (15, 10)
    assert best.objective - worse.objective == 5


def test_checker_charges_co_worker_children_above_the_fair_share():
    """All four with B: 2 above B's fair share of 2, -60 at weight 30; two each with B and C: none."""
    s = balance_setting(30)
    key = {f"c{i}": "A" for i in range(4)}
    piled = evaluate(s, ON, key, dict.fromkeys(key, "B"))
    spread = evaluate(s, ON, key, {"c0": "B", "c1": "B", "c2": "C", "c3": "C"})
    assert piled.terms["co_worker_balance"] == -60 and spread.terms["co_worker_balance"] == 0


def test_checker_finds_a_part_timer_over_their_pro_rata_cap():
    """Three Monday children with A (pro-rata cap 2) breaks the cap; without Pro-rata caps it is kept."""
    s = pro_rata()
    key = {"c1": "A", "c2": "A", "c3": "A", "d": "B"}
    co = {"c1": "B", "c2": "B", "c3": "C", "d": "A"}
    assert [str(v) for v in evaluate(s, ON, key, co).violations] == ["caseload cap: A: weighted caseload 3 over cap 2"]
    assert evaluate(replace(s, rules=replace(s.rules, pro_rata_caps=False)), ON, key, co).violations == []


def test_checker_takes_a_rules_cap_only_where_it_is_tighter():
    """A blank room cap at 1:3 is 4 (our default); a Rules-wide Max key children of 8 does not loosen it, so
    five children with A break A's cap in the checker as in the model (and 3 at a Rules cap of 3 are fine)."""
    rooms = (Room("R", None, 3),)
    staff = [member("A"), member("B")]
    five = tiny([kid(f"c{i}") for i in range(5)], staff, replace(only(), max_key_children=8), rooms=rooms)
    assert five.cap("A", ON) == 4
    plan_five = {f"c{i}": "A" for i in range(5)}
    assert "caseload cap" in evaluate(five, ON, plan_five, dict.fromkeys(plan_five, "B")).broken
    three = tiny([kid(f"c{i}") for i in range(3)], staff, replace(only(), max_key_children=3), rooms=rooms)
    plan_three = {f"c{i}": "A" for i in range(3)}
    assert evaluate(three, ON, plan_three, dict.fromkeys(plan_three, "B")).ok


# -- the plan's words ------------------------------------------------------------------------------------

def test_a_co_worker_the_child_never_sees_is_warned_with_the_reason():
    """Only B and C may be c's co-worker besides key person A; neither works Tuesday PM, c's one session,
    so the Warnings sheet says nobody else works it."""
    s = tiny([kid("c", "Tue PM")], [member("A"), member("B", "Mon AM"), member("C", "Mon PM")],
             only(overlap=100, co_worker_familiarity=5))
    w = Report(solve(s)).warnings
    (message,) = w.loc[w["Kind"] == "co-worker never in with the child", "Message"]
    assert message.endswith("works none of Child's sessions: nobody else who may be co-worker works any of "
                            "Child's sessions")


def test_a_full_co_worker_is_named_as_the_reason():
    """B works c1's session but may be co-worker for one child only, and is c0's (c0 has only B besides A):
    c1's co-worker C works none of c1's sessions, and the warning names B as at their cap."""
    s = tiny([kid("c0", "Mon AM"), kid("c1", "Mon AM")], [member("A"), member("B", "Mon AM"), member("C", "Tue PM")],
             replace(only(co_worker_familiarity=5), max_co_worker_children=1),
             locks=(Lock("c0", "A", "key person", "must"), Lock("c1", "A", "key person", "must"),
                    Lock("c0", "C", "co-worker", "must not")))
    r = solve(s)
    assert r.co_worker == {"c0": "B", "c1": "C"} and r.objective == 5
    w = Report(r).warnings
    (message,) = w.loc[w["Kind"] == "co-worker never in with the child", "Message"]
    assert "Staff B (B) work some of Child's sessions but are each co-worker for as many children as their cap" \
        in message


# -- explain -------------------------------------------------------------------------------------------------

def test_explain_gives_the_co_workers_reasons_and_costed_alternatives():
    """A (locked key person) works Mondays. B works both Tuesdays: covers 4 (80) and works 2 (10), 90.
    C works Mon AM and Tue AM: covers 3 (60), works 2 (10), 70, so costs 20; D works nothing: covers 2 (40),
    costs 50. Student S can't be co-worker."""
    from scheduler.explain import explain

    s = familiar(member("B", "Tue AM,Tue PM"), member("C", "Mon AM,Tue AM"), member("D", ""),
                 member("S", can_be_key_person=False))
    e = explain(s, "c", ON)
    assert e.result.co_worker["c"] == "B"
    # every practitioner here is called Staff: each is called by full name, or 'Staff misses' would not say who
    assert e.co_why == ("Staff B works 2 of the child's 4 sessions; covers both sessions Staff A misses; "
                        "co-worker for 1 child (fair share 1, cap 8).")
    assert [(a.staff, a.cost) for a in e.co_alternatives] == [("C", 20), ("D", 50)]
    assert e.co_alternatives[0].note == ("Staff C works 2 of the child's 4 sessions and covers 1 of the 2 sessions "
                                         "Staff A misses; choosing them costs 20 points across the plan")
    assert e.co_excluded == ["Staff S (S) can't be a key person or co-worker (Staff sheet)"]
    assert "Not Staff C (C) as co-worker:" in str(e)


def test_a_co_worker_kept_for_balance_is_warned_as_such():
    """Familiarity 1 a session, co-worker balance 10 a child. A, locked key person of c0-c2 (all Mon AM),
    works all four sessions; B and E work Mon AM, C only Tue PM; E may have one child. Fair shares of the 3
    children: ceil(3 x 1/7) = 1 for B, E and C. One each scores 2; a second child for B gains 1 and costs
    10. So one child has C, whom they never see, while B has room: the warning says balance, not caps."""
    children = [kid(f"c{i}", "Mon AM") for i in range(3)]
    staff = [member("A"), member("B", "Mon AM"), member("E", "Mon AM", max_key_children=1), member("C", "Tue PM")]
    locks = tuple(Lock(f"c{i}", "A", "key person", "must") for i in range(3))
    r = solve(tiny(children, staff, only(co_worker_familiarity=1, co_worker_balance=10), locks=locks))
    assert sorted(r.co_worker.values()) == ["B", "C", "E"] and r.objective == 2
    w = Report(r).warnings
    (message,) = w.loc[w["Kind"] == "co-worker never in with the child", "Message"]
    assert message.endswith("Staff B (B), Staff E (E) work some of Child's sessions, but another co-worker child "
                            "for them costs the plan more elsewhere (fair co-worker loads, other children's cover)")
