"""Explaining plans and failures: reasons, costed alternatives, and pre-check diagnoses that name names."""

from __future__ import annotations

from click.testing import CliRunner
from ortools.sat.python import cp_model

from scheduler import Instance, Lock, Report, Room, Status, plan, replace, write_setting
from scheduler.cli import main
from scheduler.cpsat import CPModel
from scheduler.cpsat.diagnose import diagnose
from scheduler.cpsat.relax import Change, smallest_relaxations
from scheduler.explain import explain
from scheduler.precheck import prechecks
from tests.conftest import ON, kid, member, only, tiny


def test_alternative_cost_comes_from_a_re_solve():
    """A works all four sessions (100), B two (50): A is chosen, and B would cost 100 - 50 = 50 points."""
    s = tiny([kid("c")], [member("A"), member("B", "Mon AM,Mon PM"), member("C", "")], only(overlap=100))
    e = explain(s, "c", ON)
    assert e.result.key_person["c"] == "A"
    b = next(a for a in e.alternatives if a.staff == "B")
    assert b.cost == 50 and "works 2 of the child's 4 sessions" in b.note
    assert "works 4 of the child's 4 sessions" in e.why


def test_explain_by_id_and_by_name(tmp_path):
    """`keyperson explain` finds a child by ID or by name; an unknown child is exit 2."""
    s = tiny([kid("c1"), kid("c2")], [member("A"), member("B")], only(overlap=100))
    path = write_setting(s, tmp_path / "p.xlsx")
    for ref in ("c1", "child c1"):
        r = CliRunner().invoke(main, ["explain", str(path), ref, "--on", "04/01/2027"])
        assert r.exit_code == 0 and r.output.startswith("Child c1 (c1), R: key person Staff"), r.output
    assert CliRunner().invoke(main, ["explain", str(path), "nobody"]).exit_code == 2


def changing_key_person():
    """c's key person is B, who works one of c's four sessions; A works all four. With overlap 100 and
    continuity 60, A (100) beats keeping B (25 + 60 = 85): the plan changes c's key person to A."""
    return tiny([kid("c", key_person="B", co_worker="A"), kid("d", key_person="B", co_worker="A")],
                [member("A"), member("B", "Mon AM")], only(overlap=100, continuity=60))


def test_explain_on_the_plan_workbook_answers_as_on_the_input(tmp_path):
    """Asked on the plan workbook, explain re-plans from the plan's own input (B was c's key person), so its
    answer is the input's word for word, and it never says a key person who just changed was kept (on the
    plan workbook A looks current; taken as such, keeping B would have cost 85 points, not 15)."""
    source = write_setting(changing_key_person(), tmp_path / "s.xlsx")
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(source), "--on", "04/01/2027"]).exit_code == 0
    answers = [runner.invoke(main, ["explain", str(path), "c", "--on", "04/01/2027"])
               for path in (source, tmp_path / "s-plan.xlsx")]
    assert all(a.exit_code == 0 for a in answers), [a.output for a in answers]
    assert answers[0].output == answers[1].output
    assert "key person Staff A (A)" in answers[0].output and "kept" not in answers[0].output.split("Not")[0]
    assert "choosing them costs 15 points" in answers[0].output  # B: 25 + 60 against A's 100


def test_kept_is_said_only_of_an_unchanged_key_person():
    """The Why says 'already their key person, kept' for d kept with A, and not for c, whose key person
    changes from B to A."""
    s = tiny([kid("c", key_person="B"), kid("d", key_person="A")], [member("A"), member("B", "Mon AM")],
             only(overlap=100, continuity=60))
    why = Report(plan(s, ON)).assignments.set_index("Child ID")["Why"]
    assert "kept" not in why["c"] and "already their key person, kept" in why["d"]


def solvable(setting) -> bool:
    return plan(setting, ON).status is Status.OPTIMAL


def test_sen_rule_diagnosis_names_room_child_and_fix():
    """An EHCP child in a room with no SEN-trained practitioner: the SEN rule, the room and the child
    are named; marking one practitioner SEN trained makes it solvable."""
    s = tiny([kid("e", sen="EHCP"), kid("c")], [member("A"), member("B")])
    assert prechecks(Instance.build(s, ON)) == [
        "Child e (e), in R (Children sheet), has no one who can be their key person: Staff A (A) isn't SEN "
        "trained; Staff B (B) isn't SEN trained.",
        "Room R: 1 child, Child e (e), needs an SEN-trained key person (the SEN rule), taking 2 places, but no R "
        "key person is SEN trained: mark one R practitioner SEN trained."]
    fixed = replace(s, staff=(replace(s.staff[0], sen_trained=True), s.staff[1]))
    assert not prechecks(Instance.build(fixed, ON)) and solvable(fixed)


def test_sen_capacity_names_the_trained_practitioners_places():
    """Two EHCP children take 2 places each (4) but the one SEN-trained practitioner's cap is 3."""
    s = tiny([kid("e1", sen="EHCP"), kid("e2", sen="EHCP")],
             [member("A", sen_trained=True, max_key_children=3), member("B")])
    assert prechecks(Instance.build(s, ON)) == [
        "Room R: 2 children, Child e1 (e1) and Child e2 (e2), need an SEN-trained key person (the SEN rule), taking "
        "4 places, but only 1 SEN-trained practitioner can take 3: mark one more R practitioner SEN trained, or "
        "raise a trained practitioner's cap."]


def test_room_capacity_diagnosis_and_raising_a_cap():
    """Five children, two practitioners with cap 2: the room is named with demand 5 against 4;
    raising the room's cap to 3 makes it solvable."""
    s = tiny([kid(f"c{i}") for i in range(5)], [member("A"), member("B")], rooms=(Room("R", 2, 8),))
    text = " ".join(prechecks(Instance.build(s, ON)))
    assert "Room R" in text and "5 key-person places" in text and "add up to 4" in text
    assert solvable(replace(s, rooms=(Room("R", 3, 8),)))


def test_a_practitioner_who_works_no_session_adds_no_key_person_capacity():
    """Three children (3 places); A (cap 2) works every session, B (cap 4) works none and so can be nobody's
    key person (a registry rule): the room's capacity is A's 2, not 2 + 4 = 6, so the quick checks find it
    short before any solve, and the solver agrees there is no plan."""
    s = tiny([kid(f"c{i}") for i in range(3)], [member("A", max_key_children=2), member("B", "", max_key_children=4)])
    found = prechecks(Instance.build(s, ON))
    assert ("Room R: its children need 3 key-person places (children with an EHCP or funded ratio count 2) but "
            "the cap of the one practitioner who may be their key person is 2: raise a cap (Max key children) or "
            "add a practitioner to R.") in found, found
    assert CPModel(Instance.build(s, ON)).solve(workers=1).status is Status.INFEASIBLE


def test_no_eligible_key_person_lists_each_practitioner_s_reason():
    """Every practitioner in the room is a student: the child and each practitioner's reason are named, names
    before IDs."""
    s = tiny([kid("c")], [member("S1", can_be_key_person=False), member("S2", can_be_key_person=False)])
    assert prechecks(Instance.build(s, ON))[0] == (
        "Child c (c), in R (Children sheet), has no one who can be their key person: Staff S1 (S1) can't be a key "
        "person (Staff sheet); Staff S2 (S2) can't be a key person (Staff sheet).")


def test_contradicting_locks_are_named():
    """Locks saying A must be both key person and co-worker of c are reported before any solve."""
    s = tiny([kid("c")], [member("A"), member("B")],
             locks=(Lock("c", "A", "key person", "must"), Lock("c", "A", "co-worker", "must")))
    assert prechecks(Instance.build(s, ON))[-1] == (
        "Locks: Staff A (A) must be both key person and co-worker of Child c (c): a child's key person and "
        "co-worker are two different people, so keep one of those locks.")


def test_must_and_must_not_locks_are_named():
    """A lock says B must be c's key person, another that B must not; two locks name different co-workers."""
    s = tiny([kid("c")], [member("A"), member("B"), member("C")],
             locks=(Lock("c", "B", "key person", "must"), Lock("c", "B", "key person", "must not"),
                    Lock("c", "A", "co-worker", "must"), Lock("c", "C", "co-worker", "must")))
    assert prechecks(Instance.build(s, ON))[-2:] == [
        "Locks: 2 different practitioners must be Child c (c)'s co-worker (Staff A (A) and Staff C (C)): keep one "
        "of those locks.",
        "Locks: Staff B (B) both must and must not be key person of Child c (c): keep one of those locks."]


def test_session_ratio_shortfall_is_named():
    """Seven children in Mon AM at 1:3 need 7/3 of an adult, more than the key group limit lets the two key
    persons (both in) have: the room and session are named; with the limit switched off, nothing is found."""
    s = tiny([kid(f"c{i}", "Mon AM") for i in range(7)], [member("A"), member("B")], rooms=(Room("R", 8, 3),))
    text = " ".join(prechecks(Instance.build(s, ON)))
    assert "Room R, Mon AM: the 7 children present need 2 1/3 adults between them" in text
    assert "each of its 2 key persons (all in then)" in text
    off = replace(s, rules=replace(s.rules, key_group_within_ratio=False))
    assert prechecks(Instance.build(off, ON)) == []


def test_impossible_plan_exits_3_naming_the_rule(tmp_path):
    """`keyperson plan` on the SEN case exits 3, names the SEN rule, the room and the child, writes nothing."""
    s = tiny([kid("e", sen="EHCP"), kid("c")], [member("A"), member("B")])
    path = write_setting(s, tmp_path / "s.xlsx")
    r = CliRunner().invoke(main, ["plan", str(path)])
    assert r.exit_code == 3, r.output
    assert ("Room R: 1 child, Child e (e), needs an SEN-trained key person (the SEN rule), taking 2 places, but no "
            "R key person is SEN trained: mark one R practitioner SEN trained.") in r.output
    assert "mark one R practitioner SEN trained" in r.output
    assert not (tmp_path / "s-plan.xlsx").exists()


def sen_ratio_clash():
    """A 1:1 child p (a whole adult) and an EHCP child q (1/3 at 1:3), both in Mon AM, both needing an
    SEN-trained key person. Trained D has a cap of 1, too small for either (they count 2), so both need A,
    whose key group in Mon AM can't need 4/3 of an adult. Every pre-check passes: A and D can take 9
    places, and 4/3 of an adult is within two trained key persons' two."""
    children = [kid("p", "Mon AM", support_ratio=1), kid("q", "Mon AM", sen="EHCP")]
    staff = [member("A", sen_trained=True), member("D", sen_trained=True, max_key_children=1), member("B"),
             member("C")]
    return tiny(children, staff, rooms=(Room("R", 8, 3),))


def test_model_diagnosis_names_the_sen_rule_room_and_children():
    """With the pre-checks passing, the CP-SAT core names the SEN rule in room R, children p and q, and
    the ratio; marking B SEN trained (the suggested fix) makes it solvable."""
    s = sen_ratio_clash()
    assert not prechecks(Instance.build(s, ON))
    r = plan(s, ON)
    assert r.status is Status.INFEASIBLE
    assert r.diagnosis[:2] == [
        "These rules can't all hold at once: the SEN rule in room R: Child p (p) and Child q (q) need an "
        "SEN-trained key person (trained: Staff A (A) and Staff D (D)); Staff D (D)'s caseload cap of 1 in R; the "
        "key group limit in R on Mon AM (each practitioner's key children present need at most one adult between "
        "them).",
        "Any one of these would make a plan possible: mark one more R practitioner SEN trained; or raise Staff D "
        "(D)'s Max key children above 1; or loosen the key group limit in R on Mon AM (an extra key person working "
        "Mon AM in R, or Key group within ratio set to no on the Rules sheet)."]
    fixed = replace(s, staff=tuple(replace(m, sen_trained=True) if m.id == "B" else m for m in s.staff))
    assert solvable(fixed)


def test_model_diagnosis_reaches_the_command_line(tmp_path):
    """`keyperson plan` prints the model's diagnosis with exit 3 and writes nothing."""
    path = write_setting(sen_ratio_clash(), tmp_path / "s.xlsx")
    r = CliRunner().invoke(main, ["plan", str(path), "--on", "04/01/2027"])
    assert r.exit_code == 3 and "SEN rule in room R" in r.output, r.output
    assert "Smallest change that makes a plan possible" in r.output and "from 1 to 2" in r.output
    assert not (tmp_path / "s-plan.xlsx").exists()


def test_smallest_relaxation_is_quantified_and_checked():
    """sen_ratio_clash: raising D's cap from 1 to 2 (1 point) lets D take q (weight 2) while A takes p;
    training B (2 points) is the alternative. Both, applied to the workbook, plan."""
    s = sen_ratio_clash()
    found = smallest_relaxations(Instance.build(s, ON))
    assert found[0].changes == (Change("cap", "D", 1, 2),)
    assert found[0].sentence(s) == "raise Staff D's Max key children (D) from 1 to 2"
    assert found[1].changes == (Change("train", "B", 0, 1),)  # B before C: the workbook's order breaks the tie
    assert all(solvable(r.apply(s)) for r in found)
    assert "from 1 to 2" in " ".join(plan(s, ON).diagnosis)


def test_co_worker_caps_count_in_the_relaxation():
    """Five children, caps 2 and 2 (co-worker caps follow them): A's three key children need B as
    co-worker, so both caps must rise to 3; one alone is not enough (5 co-worker places needed too)."""
    s = tiny([kid(f"c{i}") for i in range(5)], [member("A"), member("B")], rooms=(Room("R", 2, 8),))
    (first,) = smallest_relaxations(Instance.build(s, ON))
    assert first.changes == (Change("cap", "A", 2, 3), Change("cap", "B", 2, 3))
    assert solvable(first.apply(s))


def locked_past_a_cap():
    """Locks say A must be key person of c and of d, but A's cap is 1; B could take either."""
    return tiny([kid("c"), kid("d")], [member("A", max_key_children=1), member("B")],
                locks=(Lock("c", "A", "key person", "must"), Lock("d", "A", "key person", "must")))


def test_locks_are_rule_groups_in_the_diagnosis():
    """The pre-checks pass (capacity 1 + 4 >= 2; every child has a candidate), the model core names A's
    cap and both locks. Cheapest fix: A's cap 1 -> 2 (1 point, B co-works both). Without touching A's
    cap, a lock must go (3 points): the first in the workbook, c's; then, keeping that one, d's."""
    s = locked_past_a_cap()
    assert not prechecks(Instance.build(s, ON))
    r = plan(s, ON)
    text = " ".join(r.diagnosis)
    assert "caseload cap of 1" in text and "'Staff A (A) must be key person of Child c (c)' (Locks sheet)" in text
    assert "'Staff A (A) must be key person of Child d (d)'" in text
    first, second, third = smallest_relaxations(Instance.build(s, ON))
    assert first.changes == (Change("cap", "A", 1, 2),)
    assert second.changes == (Change("unlock", lock=0, new=1),) and third.changes == (Change("unlock", lock=1, new=1),)
    assert second.sentence(s) == "remove the lock 'Staff A (A) must be key person of Child c (c)' from the Locks sheet"
    assert all(solvable(x.apply(s)) for x in (first, second, third))


def test_a_precheck_failure_also_gets_a_checked_relaxation():
    """No SEN-trained practitioner for EHCP child e: the pre-check names it, and training A (the first
    in the workbook; training costs the same for A and B) is the checked fix."""
    s = tiny([kid("e", sen="EHCP"), kid("c")], [member("A"), member("B")])
    r = plan(s, ON)
    assert "Smallest change that makes a plan possible" in r.diagnosis[-1]
    assert "mark one more R practitioner SEN trained (for example Staff A (A))" in r.diagnosis[-1]
    (first,) = smallest_relaxations(Instance.build(s, ON))
    assert solvable(first.apply(s))


def test_a_lock_on_someone_who_cannot_take_the_child_is_named():
    """X works in another room, yet the Locks sheet says X must be c's key person: the lock is the clash,
    and removing it is the fix (checked)."""
    s = tiny([kid("c")], [member("A"), member("B"), member("X", room="Other")],
             locks=(Lock("c", "X", "key person", "must"),))
    assert diagnose(Instance.build(s, ON)) == [
        "These rules can't all hold at once: the lock 'Staff X (X) must be key person of Child c (c)' (Locks sheet).",
        "Any one of these would make a plan possible: remove the lock 'Staff X (X) must be key person of Child c "
        "(c)' from the Locks sheet."]
    (first,) = smallest_relaxations(Instance.build(s, ON))
    assert first.changes == (Change("unlock", lock=0, new=1),)


def test_no_single_fix_is_offered_when_two_rooms_clash_apart():
    """Room R clashes (A's cap of 1 against two locks) and so does room Q (three children, caps 1 and 1):
    the diagnosis names one clash, and offers no single fix, since none alone makes a plan."""
    s = tiny([kid("c"), kid("d"), kid("q1", room="Q"), kid("q2", room="Q"), kid("q3", room="Q")],
             [member("A", max_key_children=1), member("B"), member("P", room="Q", max_key_children=1),
              member("Q2", room="Q", max_key_children=1)],
             locks=(Lock("c", "A", "key person", "must"), Lock("d", "A", "key person", "must")))
    assert diagnose(Instance.build(s, ON)) == [
        "These rules can't all hold at once: Staff A (A)'s caseload cap of 1 in R; the lock 'Staff A (A) must be "
        "key person of Child c (c)' (Locks sheet); the lock 'Staff A (A) must be key person of Child d (d)' (Locks "
        "sheet)."]


def test_the_diagnosis_shrinks_a_core_to_the_groups_that_clash(monkeypatch):
    """Were CP-SAT to name every rule group as the reason (A's co-worker cap of 1 too), deleting groups one
    at a time still leaves just A's cap and the two locks."""
    assumed: list[int] = []
    add_assumptions = cp_model.CpModel.add_assumptions

    def remember(self, literals):
        assumed[:] = [x.index for x in literals]
        return add_assumptions(self, literals)

    monkeypatch.setattr(cp_model.CpModel, "add_assumptions", remember)
    monkeypatch.setattr(cp_model.CpSolver, "sufficient_assumptions_for_infeasibility", lambda self: list(assumed))
    (clash, _) = diagnose(Instance.build(locked_past_a_cap(), ON))
    assert clash == ("These rules can't all hold at once: Staff A (A)'s caseload cap of 1 in R; the lock 'Staff A "
                     "(A) must be key person of Child c (c)' (Locks sheet); the lock 'Staff A (A) must be key "
                     "person of Child d (d)' (Locks sheet).")


def named(person, name: str):
    """``person`` with a real name, so a sentence shows whether it puts the name before the ID."""
    return replace(person, name=name)


def test_a_co_worker_limit_that_is_the_caseload_cap_is_named_and_loosened_once():
    """A's cap of 1 is also A's co-worker limit (the Rules set no Max co-worker children): three children
    need three co-worker places, A and B have 1 + 2. The diagnosis names Amy Jones before her ID, says where
    the limit comes from, and gives the one change that loosens both groups once."""
    s = tiny([kid("c1"), kid("c2"), kid("c3")],
             [named(member("A", max_key_children=1), "Amy Jones"), named(member("B", max_key_children=2), "Bo Li")])
    r = plan(s, ON, time_limit=20)
    assert r.diagnosis[:2] == [
        "These rules can't all hold at once: Amy Jones (A)'s caseload cap of 1 in R; Amy Jones (A)'s limit of 1 "
        "child as co-worker (their caseload cap: the Rules set no Max co-worker children).",
        "Any one of these would make a plan possible: raise Amy Jones (A)'s Max key children above 1."]
    assert solvable(replace(s, staff=(replace(s.staff[0], max_key_children=2), s.staff[1])))


def test_a_child_read_from_the_workbook_is_placed_by_sheet_and_row(tmp_path):
    """Read from a workbook, the child with no possible key person is named, then placed on the Children
    sheet by row; the practitioners' reasons lead with their names."""
    from scheduler import read_setting

    s = tiny([named(kid("c1"), "Mia Khan"), named(kid("e", sen="EHCP"), "Leo Park")],
             [named(member("A"), "Amy Jones"), named(member("B"), "Bo Li")])
    read = read_setting(write_setting(s, tmp_path / "s.xlsx"))
    row = read.child("e").row
    assert row is not None
    assert prechecks(Instance.build(read, ON))[0] == (
        f"Leo Park (e), in R (Children sheet, row {row}), has no one who can be their key person: Amy Jones (A) "
        "isn't SEN trained; Bo Li (B) isn't SEN trained.")


def test_sen_children_over_the_key_group_limit_are_named():
    """Four EHCP children at 1:3 in Mon AM need 4/3 of an adult, more than the one SEN-trained key person
    (in then) may have: the room, session and each child by name are said, 'key person' in the singular."""
    s = tiny([named(kid(c, "Mon AM", sen="EHCP"), n) for c, n in (("p", "Ann Lee"), ("q", "Bea Ray"),
                                                                 ("r", "Cy Dunn"), ("t", "Di Fox"))],
             [member("A", sen_trained=True), member("B")], rooms=(Room("R", 8, 3),))
    assert prechecks(Instance.build(s, ON))[0] == (
        "Room R, Mon AM: 4 children, Ann Lee (p), Bea Ray (q), Cy Dunn (r) and Di Fox (t), who need an "
        "SEN-trained key person (the SEN rule), are in and need 1 1/3 adults between them, more than the key group "
        "limit lets the room's 1 SEN-trained key person (all in then) have, one adult each: mark one more R "
        "practitioner SEN trained.")


def test_a_tie_is_said_as_a_tie_and_the_tie_break_named():
    """A and B both work all four of c's sessions (100 points each): a plan with B scores the same, so
    explain says the plan keeps its choice by the tie-break, in the README's words, not 'costs 0 points'."""
    s = tiny([kid("c")], [named(member("A"), "Amy Jones"), named(member("B"), "Bo Li")], only(overlap=100))
    e = explain(s, "c", ON)
    first = {"A": "Amy", "B": "Bo"}
    chosen = e.result.key_person["c"]
    other = "B" if chosen == "A" else "A"
    (alt,) = e.alternatives
    assert alt.staff == other and alt.cost == 0
    assert alt.note == (f"{first[other]} works 4 of the child's 4 sessions; a plan with them scores the same "
                        f"points, and the tie-break keeps {first[chosen]}")
    assert str(e).endswith(
        "\n  Tie-break: among plans with the same points keyperson keeps the one with the smallest total of fixed "
        "weights drawn once for each child and practitioner pair (for key persons first, then co-workers), so the "
        "same workbook always gives the same plan.")
    assert "costs 0 points" not in str(e)


def test_a_tie_in_a_plan_from_highs_is_said_as_its_search_settled_it(monkeypatch):
    """The same tie with the room handed to HiGHS (as rooms of 150 children or more are): the plan is proven
    best but not chosen by the tie-break weights, so explain says the tie was settled by the search."""
    from scheduler.cpsat import mip

    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    s = tiny([kid("c")], [named(member("A"), "Amy Jones"), named(member("B"), "Bo Li")], only(overlap=100))
    e = explain(s, "c", ON)
    assert e.result.status is Status.OPTIMAL and not e.result.tie_break_proven
    assert str(e).endswith(
        "\n  Tie-break: among plans with the same points keyperson keeps the first its search settles on in a room "
        "of 150 children or more, so the same workbook always gives the same plan.")


def test_a_key_person_and_co_worker_sharing_a_first_name_are_called_by_full_names():
    """Priya Vance (key person, all four sessions) and Priya Reid (co-worker, two): the Why calls each by
    full name, since 'Priya works ...; co-worker Priya works ...' would not say which."""
    s = tiny([kid("c")], [named(member("A"), "Priya Vance"), named(member("B", "Mon AM,Mon PM"), "Priya Reid")],
             only(overlap=100))
    r = plan(s, ON)
    assert Report(r).assignments.set_index("Child ID").at["c", "Why"] == (
        "Priya Vance works 4 of the child's 4 sessions; co-worker Priya Reid works 2 of the child's 4 sessions.")


def test_a_full_caseload_is_said_in_places_not_children():
    """A (SEN trained, cap 2) has e, whose EHCP takes two places: one child, a full caseload. c goes to B;
    A, who works all of c's sessions, is said to have a full caseload of 2 of 2 places (not '2 key
    children'), and no plan can give A to c (e can't move: B isn't SEN trained)."""
    s = tiny([kid("e", sen="EHCP"), kid("c")],
             [named(member("A", sen_trained=True, max_key_children=2), "Amy Jones"),
              named(member("B", "Mon AM,Mon PM"), "Bo Li")], only(overlap=100))
    e = explain(s, "c", ON)
    assert e.result.key_person == {"e": "A", "c": "B"}
    (alt,) = e.alternatives
    assert alt.note == ("Amy works 4 of the child's 4 sessions and already has a full caseload (2 of 2 places); no "
                        "plan keeping every rule can have them as key person")
