"""Planning the term: leavers hand over to successors, joiners take children who start after them, and the
Handover sheet, the Daily record, Changes and Summary say what happens when. Every solve here is re-checked
by the independent checker on every day of the term (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import openpyxl
from click.testing import CliRunner

from scheduler import Report, Rules, plan, read_setting, replace, write_setting
from scheduler.cli import main
from scheduler.report import daily, handover
from scheduler.setting import Closure
from tests.conftest import ON, kid, member, only, tiny

SPRING_ENDS = date(2027, 2, 5)  # a half term, from the plan date Mon 04/01/2027 (conftest's ON)
A_LEAVES = date(2027, 1, 15)  # Fri 15/01/2027


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _leaver_setting():
    """A leaves on Fri 15/01/2027. c1's key person is A (co-worker B); c3 has an EHCP and A is SEN trained,
    as is C (B is not); c2 is new."""
    return tiny([kid("c1", key_person="A", co_worker="B"), kid("c2"),
                 kid("c3", sen="EHCP", key_person="A", co_worker="B")],
                [member("A", leaves=A_LEAVES, sen_trained=True), member("B"), member("C", sen_trained=True)],
                only(continuity=60, co_worker_continuity=20, successor=40))


def test_a_leaver_takes_no_new_child_and_their_children_get_successors():
    """By hand: keeping A until they leave is worth 60 a child, keeping B as co-worker 20, so c1 and c3 stay with
    A and B. c2 may not go to A (A leaves within the term): B or C. c1's successor is B, the co-worker (40 more
    than C), and C becomes c1's co-worker from then; c3 needs an SEN-trained successor, so C, with B still
    co-worker. Objective 2 x 60 + 2 x 20 + 40 = 200."""
    r = plan(_leaver_setting(), until=SPRING_ENDS)
    assert r.key_person["c1"] == r.key_person["c3"] == "A" and r.key_person["c2"] != "A"
    assert r.co_worker["c2"] != "A"
    assert r.successor == {"c1": "B", "c3": "C"} and r.next_co_worker == {"c1": "C", "c3": "B"}
    assert r.objective == 200
    a = Report(r).assignments.set_index("Child ID")
    assert a.loc["c1", "Next key person"] == "Staff B" and a.loc["c1", "From"] == date(2027, 1, 16)
    assert a.loc["c2", "Next key person"] == ""
    assert "From 16/01/2027: Staff A (A) leaves; 2 children move to their successors" in Report(r).summary()


def test_without_a_term_end_nobody_hands_over():
    """The plan date alone (no Term ends): A is still employed and takes whom the points say; no successors."""
    r = plan(_leaver_setting())
    assert r.successor == {} and r.key_person["c1"] == "A"


def test_the_successor_counts_the_child_for_the_whole_term():
    """B's cap is 1 and c1 is already B's from the handover: c2 can't also be B's, so c2 goes to C even though
    B works all of c2's sessions and C only one (overlap would pick B)."""
    s = tiny([kid("c1", key_person="A", co_worker="B"), kid("c2")],
             [member("A", leaves=A_LEAVES), member("B", max_key_children=1), member("C", "Mon AM"),
              member("D", "Mon AM", can_be_key_person=True)],
             only(continuity=60, successor=40, overlap=10))
    r = plan(s, until=SPRING_ENDS)
    assert r.successor["c1"] == "B" and r.key_person["c2"] != "B"


def test_handover_sessions_counted_by_hand():
    """c1 (Mon and Tue mornings) hands over from A (last day Tue 15/12/2026) to B, the co-worker. Planned on Mon
    07/12, looked at on Tue 08/12, with a training day on Mon 14/12: the shared mornings from 07/12 to 15/12 are
    Mon 07 (past), Tue 08, Mon 14 (closed), Tue 15: two count, fewer than four, so flagged. From Wed 16/12 the
    daily record names B."""
    s = tiny([kid("c1", "Mon AM,Tue AM", key_person="A", co_worker="B")],
             [member("A", leaves=date(2026, 12, 15)), member("B", "Mon AM,Tue AM,Tue PM"), member("C")],
             replace(only(successor=40, co_worker_continuity=20), plan_date=date(2026, 12, 7),
                     term_ends=date(2026, 12, 22)),
             closed=(Closure(date(2026, 12, 14), date(2026, 12, 14), "Staff training day"),))
    r = plan(s)
    h = handover(r, today=date(2026, 12, 8)).iloc[0]
    assert h["Next key person"] == "Staff B" and h["Next key person was co-worker"] == "yes"
    assert (h["Handover sessions"], h["Dates"]) == (2, "Tue 08/12 AM, Tue 15/12 AM")
    assert h["Flag"] and h["From"] == date(2026, 12, 16)
    assert handover(r, today=date(2026, 12, 1))["Handover sessions"].iloc[0] == 3  # 07, 08, 15: only 14 closed
    d = daily(r, date(2026, 12, 15), date(2026, 12, 22)).set_index("Date")
    assert d.loc[date(2026, 12, 15), "Key person"] == "Staff A" and d.loc[date(2026, 12, 21), "Key person"] == "Staff B"


def test_a_joiner_takes_a_child_who_starts_after_them():
    """J starts Mon 01/02/2027 and works every session; B and C work Monday mornings. e starts 08/02 (after J),
    f starts 11/01 (before J). With only overlap counting, e goes to J (100 points against 25), and f, who
    starts before J, can't: B or C, from f's first day."""
    s = tiny([kid("e", starts=date(2027, 2, 8)), kid("f", starts=date(2027, 1, 11))],
             [member("B", "Mon AM"), member("C", "Mon AM"), member("J", starts=date(2027, 2, 1))],
             only(overlap=100))
    r = plan(s, until=date(2027, 3, 26))
    assert r.key_person["e"] == "J" and r.key_person["f"] in ("B", "C") and r.co_worker["f"] != "J"
    assert "From 01/02/2027: Staff J (J) joins; key person for 1 child starting then or later" in str(Report(r))


def test_a_child_leaving_within_the_term_is_planned_until_then():
    """g leaves on Fri 15/01/2027: planned (a key person now), in the daily record on Mon 11/01 and not on 18/01."""
    s = tiny([kid("g", leaves=A_LEAVES)], [member("A"), member("B")], only(overlap=100))
    r = plan(s, until=SPRING_ENDS)
    d = daily(r, date(2027, 1, 11), date(2027, 1, 19))
    assert "g" in r.key_person and sorted(set(d["Date"])) == [date(2027, 1, 11), date(2027, 1, 12)]


def test_plan_and_whatif_on_the_command_line(tmp_path):
    """`keyperson plan --until` writes Next key person, From, a Handover sheet and the dated Changes row;
    `whatif` on that plan keeps every rule; `whatif --leaves` for someone with no Leaves date exits 2 with the
    command to type."""
    s = replace(_leaver_setting(), rules=replace(Rules(), plan_date=date(2027, 1, 4), term_ends=SPRING_ENDS))
    path = write_setting(s, tmp_path / "s.xlsx")
    r = run("plan", path, "-o", tmp_path / "plan.xlsx")
    assert r.exit_code == 0, r.output
    assert "From 16/01/2027: Staff A (A) leaves; 2 children move to their successors" in r.output
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    header = [c.value for c in wb["Key persons"][1]]
    assert "Next key person" in header and "From" in header
    assert {"Leaving key person", "Next key person", "Handover sessions"} <= {c.value for c in wb["Handover"][1]}
    changes = [row for row in wb["Changes"].iter_rows(values_only=True)]
    assert any(str(v).startswith("from 16/01/2027: key person") for row in changes for v in row)
    assert read_setting(tmp_path / "plan.xlsx").rules.term_ends == SPRING_ENDS
    r = run("whatif", tmp_path / "plan.xlsx", "--leaves", "A", "-o", tmp_path / "w.xlsx")
    assert r.exit_code == 0, r.output  # the day after A's Leaves date; the re-plan is checked like any solve
    r = run("whatif", tmp_path / "plan.xlsx", "--leaves", "B", "-o", tmp_path / "w2.xlsx")
    assert r.exit_code == 2 and "has no Leaves date" in r.output and "--leaves B --on" \
        in r.output


def test_a_handover_in_a_setting_of_two_rooms():
    """Two rooms: the leaver's room hands over, and the whole setting is solved as one model (the rooms' parts
    know no handovers); every rule holds on every day (the checker), and c1's successor is the co-worker B."""
    s = tiny([kid("c1", key_person="A", co_worker="B"), kid("x1", room="X")],
             [member("A", leaves=A_LEAVES), member("B"), member("C"), member("P", room="X"), member("Q", room="X")],
             only(continuity=60, co_worker_continuity=20, successor=40))
    r = plan(s, until=SPRING_ENDS)
    assert r.parts == 1  # one model
    assert r.successor == {"c1": "B"} and r.key_person["x1"] in ("P", "Q")


def test_a_co_worker_kept_through_a_handover_counts_the_child_once():
    """c1 has an EHCP: A (SEN trained, leaving) hands over to C, the only other SEN-trained practitioner, so B,
    c1's co-worker, stays co-worker after the handover. B's co-worker cap is 1 (their Max key children): c1
    counts once, so keeping B (20 points) is allowed; counted twice, D would have to be co-worker."""
    s = tiny([kid("c1", sen="EHCP", key_person="A", co_worker="B")],
             [member("A", leaves=A_LEAVES, sen_trained=True), member("B", max_key_children=1),
              member("C", sen_trained=True), member("D")],
             only(continuity=60, co_worker_continuity=20))
    r = plan(s, until=SPRING_ENDS)
    assert r.successor == {"c1": "C"} and r.co_worker["c1"] == r.next_co_worker["c1"] == "B"


def test_a_successor_is_named_even_when_no_points_favour_one():
    """Only continuity counts: keeping A until they leave is worth 60, and no successor earns a point (the
    tie-break alone would rather choose none), yet c1 still gets one, B or C."""
    s = tiny([kid("c1", key_person="A", co_worker="B")], [member("A", leaves=A_LEAVES), member("B"), member("C")],
             only(continuity=60))
    r = plan(s, until=SPRING_ENDS)
    assert r.key_person["c1"] == "A" and r.successor["c1"] in ("B", "C")


def test_the_checker_counts_a_successor_s_child_in_their_caseload():
    """B's cap is 1 and B is d's key person; taking c over from A puts B at 2 for the term: the caseload cap
    is broken, and nothing else."""
    from scheduler import evaluate
    s = tiny([kid("c", key_person="A", co_worker="B"), kid("d")],
             [member("A", leaves=A_LEAVES), member("B", max_key_children=1), member("C")])
    key, co = {"c": "A", "d": "B"}, {"c": "B", "d": "C"}
    ok = evaluate(s, date(2027, 1, 4), key, co, until=SPRING_ENDS, successor={"c": "C"}, next_co_worker={"c": "B"})
    bad = evaluate(s, date(2027, 1, 4), key, co, until=SPRING_ENDS, successor={"c": "B"}, next_co_worker={"c": "C"})
    assert ok.ok and bad.broken == {"caseload cap"}, [str(v) for v in bad.violations]


def _mover_setting():
    """m (Mon AM only) moves from R to Q on Mon 11/01/2027. In R, A works Mon AM and B doesn't; in Q, P works
    Mon AM and Q2 only Tue Late. Only overlap counts."""
    return tiny([kid("m", "Mon AM", moves_to="Q", move_date=date(2027, 1, 11))],
                [member("A", "Mon AM"), member("B", "Tue AM"), member("P", "Mon AM", room="Q"),
                 member("Q2", "Tue Late", room="Q")], only(overlap=100))


def test_the_daily_record_names_the_key_person_of_the_room_the_child_is_in_that_day():
    """By hand: on Mon 04/01 m is in R, and A (who works Mon AM, 100 points against B's 0) is key person, B
    co-worker. The re-plan from the move gives P (Q's only practitioner working Mon AM), Q2 co-worker. The EYFS
    daily record must be true for each date: Mon 11/01 and 18/01 list m in Q with P caring, not A, who works
    in R."""
    r = plan(_mover_setting(), until=date(2027, 1, 22))
    assert r.key_person["m"] == "A" and r.transitions["Key person from the move"].iloc[0] == "Staff P"
    d = daily(r, date(2027, 1, 4), date(2027, 1, 22)).set_index("Date")
    assert list(d.index) == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]
    assert tuple(d.loc[date(2027, 1, 4), ["Room", "Key person", "Co-worker", "Cared for by"]]) == (
        "R", "Staff A", "Staff B", "Staff A")
    for day in (date(2027, 1, 11), date(2027, 1, 18)):
        assert tuple(d.loc[day, ["Room", "Key person", "Co-worker", "Cared for by"]]) == (
            "Q", "Staff P", "Staff Q2", "Staff P")


def test_a_child_who_moves_room_before_their_key_person_leaves_needs_no_successor():
    """m moves to Q on Mon 11/01/2027; A, m's key person in R, leaves on Fri 15/01, after the move. The plan
    for R holds for m until Sun 10/01 (the move's re-plan from then), so A keeps m until the move (60 for
    continuity), nobody succeeds A for m and there is no Handover row: P is m's key person from 11/01, every
    day after it (a successor in R, as before, would have been named on the Daily record's 18/01)."""
    s = replace(_mover_setting(), children=(kid("m", "Mon AM", key_person="A", co_worker="B", moves_to="Q",
                                                 move_date=date(2027, 1, 11)),),
                staff=(member("A", "Mon AM", leaves=A_LEAVES), member("B", "Tue AM"), member("C", "Mon AM"),
                       member("P", "Mon AM", room="Q"), member("Q2", "Tue Late", room="Q")),
                rules=only(continuity=60, overlap=100))
    r = plan(s, until=date(2027, 1, 22))
    assert r.key_person["m"] == "A" and r.successor == {} and len(handover(r)) == 0
    assert list(daily(r, date(2027, 1, 4), date(2027, 1, 22))["Key person"]) == ["Staff A", "Staff P", "Staff P"]


def test_the_checker_holds_a_mover_to_the_plan_until_the_day_before_the_move():
    """m moves to Q on Mon 11/01/2027. A, leaving on Fri 15/01 (after the move), may keep m with no successor;
    C, a new key person leaving on Fri 08/01 (before the move), may not take m (the leavers rule), and would
    leave m without a successor from 09/01 (the successor rule)."""
    from scheduler import evaluate
    s = replace(_mover_setting(), children=(kid("m", "Mon AM", key_person="A", co_worker="B", moves_to="Q",
                                                 move_date=date(2027, 1, 11)),),
                staff=(member("A", "Mon AM", leaves=A_LEAVES), member("B", "Tue AM"),
                       member("C", "Mon AM", leaves=date(2027, 1, 8)), member("P", "Mon AM", room="Q")))
    kept = evaluate(s, ON, {"m": "A"}, {"m": "B"}, until=date(2027, 1, 22))
    leaver = evaluate(s, ON, {"m": "C"}, {"m": "B"}, until=date(2027, 1, 22))
    assert kept.ok, [str(v) for v in kept.violations]
    assert leaver.broken == {"leavers take no new children", "successor"}, [str(v) for v in leaver.violations]


def _co_worker_succeeds_setting():
    """c1 (every session) is A's, with co-worker B; A leaves on Fri 15/01/2027. D works three of c1's four
    sessions, E one."""
    return tiny([kid("c1", key_person="A", co_worker="B")],
                [member("A", leaves=A_LEAVES), member("B"), member("D", "Mon AM,Mon PM,Tue AM"), member("E", "Mon AM")],
                only(continuity=60, co_worker_continuity=20, successor=40, co_worker_familiarity=5))


def test_the_co_worker_from_a_handover_scores_the_sessions_they_share_with_the_child():
    """By hand: A keeps c1 until they leave (continuity 60), B stays co-worker (20, and 5 x 4 shared = 20) and
    succeeds A (the successor weight, 40), so c1 needs a new co-worker from 16/01: D shares 3 of c1's sessions
    (3 x 5 = 15), E 1 (5). Scored as any co-worker is, D wins: 60 + 20 + 20 + 40 + 15 = 155. (With D succeeding
    instead, B must stay co-worker: 20 + 20 + 0 + 20 = 60 on the co-worker side against 95.) Before, the
    co-worker from the handover earned only the tie-break, which prefers E."""
    r = plan(_co_worker_succeeds_setting(), until=SPRING_ENDS)
    assert (r.key_person, r.co_worker, r.successor) == ({"c1": "A"}, {"c1": "B"}, {"c1": "B"})
    assert r.next_co_worker == {"c1": "D"}
    assert r.objective == 155 and Report(r).terms["next_co_worker"] == 15



def test_the_diagnosis_holds_successors_to_the_sen_rule():
    """c1 has an EHCP and is A's; A (the only SEN-trained practitioner) leaves on 15/01/2027, within the term.
    B and D are untrained, so nobody can succeed A for c1: no plan. The reason is the SEN rule in R, and the
    smallest change is training one more R practitioner. (Before, the diagnosis let an untrained successor
    take over, found every rule holding, and gave no reason at all.)"""
    s = tiny([kid("c1", sen="EHCP", key_person="A", co_worker="B")],
             [member("A", leaves=A_LEAVES, sen_trained=True), member("B"), member("D")], only(continuity=60))
    r = plan(s, until=SPRING_ENDS)
    assert r.status.value == "infeasible"
    text = " ".join(r.diagnosis)
    assert "the SEN rule in room R" in text, r.diagnosis
    assert "mark one more R practitioner SEN trained (for example Staff B (B))" in text, r.diagnosis


def test_the_smallest_change_counts_a_successor_in_their_caseload():
    """A, c1's key person, leaves on 15/01/2027; the Locks sheet gives d to B, whose cap is 1; C can't be a
    key person (but may be a co-worker, as the Rules say). Whoever takes c1 (B now, or B as A's successor) is
    B, at 2 children for the term: no plan. The smallest change raises B's cap from 1 to 2 (1 point, against
    3 for removing the lock). (Before, the slack model left the successor out of B's caseload, saw nothing to
    change and gave no advice.)"""
    from scheduler import Lock
    s = tiny([kid("c1", key_person="A", co_worker="B"), kid("d")],
             [member("A", leaves=A_LEAVES), member("B", max_key_children=1), member("C", can_be_key_person=False)],
             replace(only(continuity=60), co_worker_must_be_key_person_eligible=False),
             locks=(Lock("d", "B", "key person", "must"),))
    r = plan(s, until=SPRING_ENDS)
    assert r.status.value == "infeasible"
    assert any("raise Staff B's Max key children (B) from 1 to 2" in line for line in r.diagnosis), r.diagnosis


def test_the_uncovered_warnings_name_the_successor_after_the_handover():
    """c1 comes Mon and Tue mornings; A, who works both, is key person until leaving on 15/01/2027, with B
    (Mon AM) as co-worker. B succeeds A (the successor weight) and C (Mon AM), the only other practitioner, is
    co-worker from 16/01: from then nobody familiar is in on Tue AM. That one warning, dated; none before the
    handover, when A is in on both mornings (before, no warning at all)."""
    s = tiny([kid("c1", "Mon AM,Tue AM", key_person="A", co_worker="B")],
             [member("A", leaves=A_LEAVES), member("B", "Mon AM"), member("C", "Mon AM")],
             only(continuity=60, successor=40))
    r = plan(s, until=SPRING_ENDS)
    assert (r.successor, r.next_co_worker) == ({"c1": "B"}, {"c1": "C"})
    warnings = Report(r).warnings
    w = warnings[warnings["Kind"] == "uncovered session"]
    assert list(w["Message"]) == ["Child c1 (c1) is in on Tue AM from 16/01/2027 but neither key person Staff B "
                                  "nor co-worker Staff C works then"]


def test_the_diagnosis_holds_a_successor_to_a_must_not_lock():
    """A, c1's key person, leaves on 15/01/2027; C can't be a key person, and the Locks sheet says B must not
    be c1's key person: nobody can succeed A, so no plan. The reason names that lock (before, the diagnosis
    let B succeed A despite it and gave no reason)."""
    from scheduler import Lock
    s = tiny([kid("c1", key_person="A", co_worker="B")],
             [member("A", leaves=A_LEAVES), member("B"), member("C", can_be_key_person=False)],
             replace(only(continuity=60), co_worker_must_be_key_person_eligible=False),
             locks=(Lock("c1", "B", "key person", "must not"),))
    r = plan(s, until=SPRING_ENDS)
    assert r.status.value == "infeasible"
    assert "the lock 'Staff B (B) must not be key person of Child c1 (c1)' (Locks sheet)" in " ".join(r.diagnosis), \
        r.diagnosis


def test_the_smallest_change_counts_a_co_worker_from_a_handover():
    """Max co-worker children is 1. A, c1's key person, leaves on 15/01/2027; the Locks sheet keeps B as c1's
    co-worker and C from succeeding A, so B succeeds and C, the only one left, is c1's co-worker from 16/01.
    d needs a key person and co-worker from B and C: whichever C is, C or B is co-worker to two children in
    the term: no plan. The smallest change raises Max co-worker children from 1 to 2 (1 point, against 3 for
    a lock). (Before, the slack model left the co-worker from the handover uncounted and gave no advice.)"""
    from scheduler import Lock
    s = tiny([kid("c1", key_person="A", co_worker="B"), kid("d")], [member("A", leaves=A_LEAVES), member("B"),
                                                                    member("C")],
             replace(only(continuity=60), max_co_worker_children=1),
             locks=(Lock("c1", "B", "co-worker", "must"), Lock("c1", "C", "key person", "must not")))
    r = plan(s, until=SPRING_ENDS)
    assert r.status.value == "infeasible"
    assert any("raise the Rules' Max co-worker children from 1 to 2" in line for line in r.diagnosis), r.diagnosis


def test_a_co_worker_from_a_handover_who_is_never_in_is_warned():
    """c1 comes on Monday mornings only; A leaves on 15/01/2027 and B, c1's co-worker (Mon AM, kept for 20),
    succeeds (the successor weight). The only other practitioner, C, works Tuesday afternoons: C is c1's co-worker from
    16/01 and never in with c1. Warned, dated, with the reason (before, only the plan date's co-worker B was
    looked at, and B is in)."""
    s = tiny([kid("c1", "Mon AM", key_person="A", co_worker="B")],
             [member("A", "Mon AM", leaves=A_LEAVES), member("B", "Mon AM"), member("C", "Tue PM")],
             only(continuity=60, co_worker_continuity=20, successor=40))
    r = plan(s, until=SPRING_ENDS)
    assert (r.co_worker, r.successor, r.next_co_worker) == ({"c1": "B"}, {"c1": "B"}, {"c1": "C"})
    warnings = Report(r).warnings
    w = warnings[warnings["Kind"] == "co-worker never in with the child"]
    assert list(w["Message"]) == ["From 16/01/2027, Child c1 (c1)'s co-worker Staff C (C) works none of Child's "
                                  "sessions: nobody else who may be co-worker from then works any of Child's sessions"]
