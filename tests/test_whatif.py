"""Re-planning with few changes: leavers, successors, max changes, new starters, room moves, handovers."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from scheduler import Status, plan, read_setting, replace, write_setting
from scheduler.cli import main
from scheduler.whatif import Scenario, apply, whatif
from tests.conftest import OFF, ON, kid, member, only, tiny

MON_TUE = "Mon AM,Mon PM,Tue AM,Tue PM"


def staffed():
    """Four practitioners, six children with current key persons and co-workers."""
    staff = [member("A"), member("B"), member("C"), member("D", "Mon AM,Mon PM")]
    children = [kid("a1", key_person="A", co_worker="B"), kid("a2", key_person="A", co_worker="C"),
                kid("b1", key_person="B", co_worker="A"), kid("c1", key_person="C", co_worker="D"),
                kid("d1", key_person="D", co_worker="A"), kid("d2", key_person="D", co_worker="B")]
    return tiny(children, staff, only(overlap=100, coverage=10, continuity=60, successor=40))


def test_a_leavers_children_move_and_nobody_elses_key_person_changes():
    """A leaves: a1 and a2 get new key persons; b1, c1, d1, d2 keep theirs (and keep their co-worker
    unless it was A)."""
    run = whatif(staffed(), Scenario(("A",)), ON)
    r = run.result
    assert r.status is Status.OPTIMAL
    assert r.key_person["a1"] != "A" and r.key_person["a2"] != "A"
    assert all(r.key_person[c] == k for c, k in {"b1": "B", "c1": "C", "d1": "D", "d2": "D"}.items())
    assert r.co_worker["c1"] == "D" and r.co_worker["d2"] == "B"  # untouched by A leaving
    assert "A" not in r.key_person.values() and "A" not in r.co_worker.values()


def test_the_co_worker_succeeds_when_eligible():
    """a1's co-worker B and a2's co-worker C take over: each gains 40 as successor, all else equal."""
    r = whatif(staffed(), Scenario(("A",)), ON).result
    assert r.key_person["a1"] == "B" and r.key_person["a2"] == "C"


def poorly_matched():
    """d1's key person D works only Mon AM: keeping D is worth 25 + 60, B or C would be worth 100."""
    children = [kid("a1", key_person="A", co_worker="B"), kid("d1", key_person="D", co_worker="C")]
    return tiny(children, [member("A"), member("B"), member("C"), member("D", "Mon AM")],
                only(overlap=100, continuity=60))


def test_reshuffle_lets_others_change():
    """A leaves. Held, d1 stays with D (85); with reshuffle nobody is held, d1 moves to B or C (100), and
    the plan is simply the best plan without A."""
    held = whatif(poorly_matched(), Scenario(("A",)), ON).result
    free = whatif(poorly_matched(), Scenario(("A",)), ON, reshuffle=True).result
    assert held.key_person["d1"] == "D" and free.key_person["d1"] in {"B", "C"}
    assert free.objective == held.objective + 15
    assert free.objective == plan(apply(poorly_matched(), Scenario(("A",)), ON)[0], ON).objective


def test_the_reshuffle_flag_reaches_the_re_plan(tmp_path):
    """`keyperson whatif --reshuffle` moves d1 off D, as the API does; without the flag d1 stays with D."""
    path = write_setting(poorly_matched(), tmp_path / "plan.xlsx")
    for flag, moved in (([], False), (["--reshuffle"], True)):
        out = tmp_path / f"whatif{len(flag)}.xlsx"
        r = CliRunner().invoke(main, ["whatif", str(path), "--leaves", "A", "--on", "04/01/2027", "-o", str(out),
                                      *flag])
        assert r.exit_code == 0, r.output
        assert (read_setting(out).child("d1").key_person != "D") is moved


def test_max_changes_is_honoured_or_exit_3(tmp_path):
    """Two children would gain by moving to B; --max-changes 1 lets one move, 0 none. If A's cap drops
    to 1, one of A's two children must change: --max-changes 0 exits 3 saying at least 1 is needed.
    (A leaver's children must move anyway and don't count as changes.)"""
    s = tiny([kid("c1", key_person="A"), kid("c2", key_person="A")], [member("A", OFF), member("B"), member("C", OFF)],
             only(overlap=100, continuity=60))
    assert sum(k == "A" for k in plan(s, ON, max_changes=1).key_person.values()) == 1
    assert set(plan(s, ON, max_changes=0).key_person.values()) == {"A"}
    capped = replace(s, staff=(member("A", OFF, max_key_children=1), *s.staff[1:]))
    path = write_setting(capped, tmp_path / "s.xlsx")
    r = CliRunner().invoke(main, ["plan", str(path), "--max-changes", "0", "--on", "04/01/2027"])
    assert r.exit_code == 3 and "at least 1 key-person change (children" in r.output, r.output
    assert not (tmp_path / "s-plan.xlsx").exists()


def test_a_new_starter_gets_a_key_person_and_the_rest_stay():
    """n starts next month: with no changes allowed, n gets a key person (marked temporary) and the
    others keep theirs."""
    s = staffed()
    s = replace(s, children=s.children + (kid("n", starts=date(2027, 2, 1)),))
    r = plan(s, ON, max_changes=0)
    assert r.key_person["n"] in {"A", "B", "C", "D"} and "n" in r.temporary
    assert all(r.key_person[c.id] == c.key_person for c in s.children if c.key_person)


def test_a_room_move_takes_effect_on_its_date_and_not_before():
    """m moves from R to Q on 1 Feb: planned on 4 Jan their key person is from R, on 1 Feb from Q."""
    staff = [member("A"), member("B"), member("P", room="Q"), member("Q2", room="Q")]
    s = tiny([kid("m", moves_to="Q", move_date=date(2027, 2, 1))], staff, only(overlap=100))
    assert plan(s, ON).key_person["m"] in {"A", "B"}
    after = plan(s, date(2027, 2, 1))
    assert after.key_person["m"] in {"P", "Q2"} and after.co_worker["m"] in {"P", "Q2"}


def test_handover_sessions_counted_by_hand():
    """A (Mon AM, Mon PM) leaves on Sun 31 Jan 2027; child a1 attends Mon AM and Tue AM; successor B
    works Mon AM. Together only Mon AM: the four Mondays 4, 11, 18 and 25 Jan in the last four weeks."""
    staff = [member("A", "Mon AM,Mon PM"), member("B", "Mon AM,Tue AM"), member("C", OFF)]
    s = tiny([kid("a1", "Mon AM,Tue AM", key_person="A", co_worker="B")], staff, only(overlap=100, successor=40))
    run = whatif(s, Scenario(("A",)), date(2027, 2, 1))
    row = run.handover.iloc[0]
    assert row["New key person"] == "Staff B" and row["Handover sessions"] == 4
    assert row["Dates"] == "Mon 04/01 AM, Mon 11/01 AM, Mon 18/01 AM, Mon 25/01 AM"
    assert row["Flag"] == ""


def test_whatif_command_writes_handover_and_compare(tmp_path):
    """`keyperson whatif PLAN --leaves ID` writes the plan with Handover and Compare sheets."""
    import openpyxl
    path = write_setting(staffed(), tmp_path / "s.xlsx")
    r = CliRunner().invoke(main, ["whatif", str(path), "--leaves", "Staff A", "--on", "04/01/2027",
                                  "--scenario", "B", "-o", str(tmp_path / "w.xlsx")])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert {"Handover", "Compare", "Key persons", "Children"} <= set(wb.sheetnames)
    header = [c.value for c in wb["Compare"][1]]
    assert header == ["Measure", "Current plan", "Staff A (A) leaves", "Staff B (B) leaves"]  # names, IDs
    measures = {row[0].value: row[1].value for row in wb["Compare"].iter_rows(min_row=2)}
    assert measures["Plan"] == "The current plan"  # in words, and shares as whole percentages
    assert measures["Share of children's sessions their key person works"].endswith("%")


def test_transitions_list_the_new_rooms_key_person_and_settling_visits():
    """m moves from R to Q on Mon 1 Feb 2027. Planned on 4 Jan their key person is from R; from the move,
    P (Q's only practitioner working Mon AM, m's one session) is key person; P works Mon AM, so the four
    Mondays before the move (4, 11, 18, 25 Jan) are settling visits. plan() makes the table itself."""
    staff = [member("A"), member("B"), member("P", "Mon AM", room="Q"), member("Q2", OFF, room="Q")]
    s = tiny([kid("m", "Mon AM", moves_to="Q", move_date=date(2027, 2, 1))], staff, only(overlap=100))
    r = plan(s, ON)
    assert r.transitions is not None and not r.interrupted
    assert plan(s, ON, room_moves=False).transitions is None
    row = r.transitions.iloc[0]
    assert row["Key person now"] in {"Staff A", "Staff B"} and row["Key person from the move"] == "Staff P"
    assert row["Settling visits"] == 4 and row["Visit dates"].startswith("Mon 04/01 AM")


def test_a_failed_whatif_names_held_assignments_as_kept_not_as_locks(tmp_path):
    """A (SEN trained) leaves; a1 (EHCP) and b1-b3 (B's, held as in the current plan) all attend Mon AM at
    1:3, and only B is also SEN trained: B's key group would need more than one adult, so without --reshuffle
    there is no plan. The reasons name 'keeping Child b1 (b1) with Staff B (B) as key person, as in the
    current plan', never a Locks-sheet lock (the workbook has none); with --reshuffle there is a plan."""
    from scheduler import Room

    kids = [kid("a1", "Mon AM", key_person="A", co_worker="C", sen="EHCP"),
            *(kid(f"b{i}", "Mon AM", key_person="B", co_worker="C") for i in (1, 2, 3))]
    staff = [member("A", "Mon AM", sen_trained=True), member("B", "Mon AM", sen_trained=True, max_key_children=6),
             member("C", "Mon AM", max_key_children=6)]
    s = tiny(kids, staff, only(overlap=100), rooms=(Room("R", None, 3),))
    path = write_setting(s, tmp_path / "s.xlsx")
    args = ["whatif", str(path), "--leaves", "A", "--on", "04/01/2027", "-o", str(tmp_path / "w.xlsx")]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 3, r.output
    assert "Locks sheet" not in r.output and "the lock" not in r.output, r.output
    assert "keeping Child b1 (b1) with Staff B (B) as key person, as in the current plan" in r.output
    ok = CliRunner().invoke(main, [*args, "--reshuffle"])
    assert ok.exit_code == 0, ok.output


def test_a_locks_sheet_lock_naming_the_leaver_is_dropped_and_said():
    """The Locks sheet says A must be a1's key person; once A leaves that can't hold, so the what-if drops
    that lock (and says so) instead of finding no plan, and a1 moves like any other of A's children."""
    from scheduler import Lock

    setting = replace(staffed(), locks=(Lock("a1", "A", "key person", "must", "settled with A"),))
    run = whatif(setting, Scenario(("A",)), ON)
    assert run.result.status is Status.OPTIMAL
    assert run.dropped_locks == setting.locks
    assert run.result.key_person["a1"] != "A"


def test_whatif_command_says_which_lock_it_did_not_keep(tmp_path):
    """`keyperson whatif` names the dropped lock as on the Locks sheet, and the leaver by name and ID."""
    from scheduler import Lock

    setting = replace(staffed(), locks=(Lock("a1", "A", "key person", "must", "settled with A"),))
    book = write_setting(setting, tmp_path / "tiny.xlsx")
    r = CliRunner().invoke(main, ["whatif", str(book), "--leaves", "A", "--on", "04/01/2027"])
    assert r.exit_code == 0, r.output
    assert ("Not kept in this what-if: the lock 'Staff A (A) must be key person of Child a1 (a1)' (Locks sheet), "
            "since Staff A (A) leaves.") in r.output
