"""The ratio check of the rota: children by age band, adults needed, staff who count, qualifications."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import DataError, Instance, Report, Room, Status, plan, read_workbook, write_setting
from scheduler.cli import main
from scheduler.excel.template import write_template
from scheduler.ratios import summary, table, warnings
from tests.conftest import ON, ROOT, kid, member, tiny

TWO = date(2024, 6, 1)  # aged 2 on 4 Jan 2027
THREE = date(2023, 6, 1)  # aged 3
BABY = date(2026, 3, 1)  # under 2


def short_room():
    """Room R on Mon AM: twelve 3-year-olds (12/8 of an adult) and five 2-year-olds (5/5) need 5/2 of an
    adult, so 3 adults; only A counts (cook K and student S are in but don't count): 2 short. B, C and D
    work the other sessions, in which nobody attends."""
    children = [kid(f"t{i}", "Mon AM", date_of_birth=THREE) for i in range(12)]
    children += [kid(f"w{i}", "Mon AM", date_of_birth=TWO) for i in range(5)]
    staff = [member("A", "Mon AM"), member("K", "Mon AM", counts_in_ratio=False, can_be_key_person=False),
             member("S", "Mon AM", counts_in_ratio=False, can_be_key_person=False),
             *(member(x, "Mon PM,Tue AM,Tue PM") for x in "BCD")]
    return tiny(children, staff, rooms=(Room("R"),))


def test_a_room_two_adults_short_is_reported_with_its_numbers():
    """short_room's Mon AM row: 17 children (5 aged 2, 12 of 3 and over), 3 adults needed, 1 who counts."""
    inst = Instance.build(short_room(), ON)
    row = table(inst).set_index("Session").loc["Mon AM"]
    bands = (row["Children"], row["Under 2"], row["Aged 2"], row["3 and over"], row["Age not known"])
    assert bands == (17, 0, 5, 12, 0)
    assert (row["Adults needed"], row["Staff who count"], row["Difference"]) == (3, 1, -2)
    assert row["Ratios"] == "1:5 aged 2; 1:8 3 and over"
    (short,) = [w for w in warnings(inst) if w["Kind"] == "ratio shortfall"]
    assert short["Message"] == ("R, Mon AM: the 17 children present need 3 adults (1:5 aged 2; 1:8 3 and over) "
                                "but 1 person who counts in ratio is working: 2 short")


def test_a_shortfall_is_a_warning_and_the_plan_is_still_written(tmp_path):
    """`keyperson plan` on short_room writes the plan, with the shortfall on the Ratios and Warnings sheets."""
    path = write_setting(short_room(), tmp_path / "s.xlsx")
    r = CliRunner().invoke(main, ["plan", str(path), "--on", "04/01/2027"])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "s-plan.xlsx")
    sheet = wb["Ratios"]
    header = [c.value for c in sheet[1]]
    rows = {row[header.index("Session")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    mon = rows["Mon AM"]
    assert (mon[header.index("Adults needed")], mon[header.index("Staff who count")],
            mon[header.index("Difference")]) == (3, 1, -2)
    assert sheet.cell(2 + list(rows).index("Mon AM"), 1).fill.fgColor.rgb.endswith("F8CBAD")  # coloured
    kinds = [row[0] for row in wb["Warnings"].iter_rows(min_row=2, values_only=True)]
    assert "ratio shortfall" in kinds


def test_staff_who_dont_count_and_staff_not_in_are_left_out():
    """Tue AM: B, C, D count and work; K (a cook) doesn't count and A doesn't work it: 3 staff who count."""
    row = table(Instance.build(short_room(), ON)).set_index("Session").loc["Tue AM"]
    assert (row["Children"], row["Adults needed"], row["Staff who count"], row["Difference"]) == (0, 0, 3, 3)


def test_a_child_with_no_date_of_birth_takes_the_tightest_band_in_the_room():
    """n has no date of birth in a room of a 2- and a 3-year-old: counted at 1:5, with a warning naming n;
    in room Q, where nobody has a date of birth, at 1:3."""
    s = tiny([kid("n"), kid("w", date_of_birth=TWO), kid("t", date_of_birth=THREE), kid("q", room="Q")],
             [member("A"), member("B"), member("C", room="Q"), member("D", room="Q")], rooms=(Room("R"), Room("Q")))
    inst = Instance.build(s, ON)
    assert inst.child_ratio == {"n": 5, "w": 5, "t": 8, "q": 3}
    named = [w["Message"] for w in warnings(inst) if w["Kind"] == "no date of birth"]
    assert named[0] == ("Child n (n) has no date of birth: counted at 1:5, the tightest age band in R; "
                        "add it on the Children sheet")
    assert len(named) == 2


def test_a_babys_share_counts_only_in_the_sessions_they_attend():
    """One baby (1/3) and seven 3-year-olds (7/8) on Mon AM need 29/24 -> 2 adults; on Mon PM, without the
    baby, the seven need 7/8 -> 1 adult."""
    s = tiny([kid("b", "Mon AM", date_of_birth=BABY), *(kid(f"t{i}", "Mon AM,Mon PM", date_of_birth=THREE)
                                                       for i in range(7))],
             [member("A"), member("B")], rooms=(Room("R"),))
    rows = table(Instance.build(s, ON)).set_index("Session")
    assert rows.loc["Mon AM", "Adults needed"] == 2 and rows.loc["Mon PM", "Adults needed"] == 1
    assert rows.loc["Mon AM", "Ratios"] == "1:3 under 2; 1:8 3 and over"


def test_qualification_checks():
    """Mon AM: A (level 3) with two students: the others are 0 of 2 at level 2. Mon PM: B and C at level 2
    only: nobody at level 3. Without any Qualification given, nothing is checked."""
    staff = [member("A", "Mon AM", qualification="Level 3"), member("S", "Mon AM", qualification="Student"),
             member("T", "Mon AM", qualification="Student"), member("B", "Mon PM", qualification="Level 2"),
             member("C", "Mon PM", qualification="Level 2")]
    s = tiny([kid("c", "Mon AM,Mon PM", date_of_birth=THREE)], staff, rooms=(Room("R"),))
    rows = table(Instance.build(s, ON)).set_index("Session")["Qualifications"]
    assert rows["Mon AM"] == "0 of the 2 other staff at level 2 or above (at least half should be)"
    assert rows["Mon PM"] == "nobody at level 3 or above"
    plain = tiny(s.children, [member(m.id, ",".join(m.sessions)) for m in staff], rooms=(Room("R"),))
    assert set(table(Instance.build(plain, ON))["Qualifications"]) == {""}


def test_1_13_holds_only_within_8_to_4_with_a_teacher_present():
    """Thirteen 3-year-olds in a 1:13 room: Mon AM (08:00-13:00, Q holds QTS) 1 adult; Mon PM (13:00-18:00)
    is outside 08:00-16:00 and Tue AM has no teacher, so 1:8 there: 2 adults."""
    staff = [member("Q", "Mon AM,Mon PM", qualification="QTS"), member("A", qualification="Level 3")]
    s = tiny([kid(f"t{i}", date_of_birth=THREE) for i in range(13)], staff, rooms=(Room("R", None, 13),))
    rows = table(Instance.build(s, ON)).set_index("Session")
    assert list(rows["Adults needed"]) == [1, 2, 2, 2]
    assert rows.loc["Mon AM", "Ratios"] == "1:13 room's ratio"
    assert rows.loc["Mon PM", "Ratios"] == "1:8 room's 1:13 not met"
    assert "outside 08:00-16:00" in rows.loc["Mon PM", "Qualifications"]
    assert "no QTS, EYTS or EYPS holder present" in rows.loc["Tue AM", "Qualifications"]


def test_1_13_needs_a_teacher_who_counts_in_ratio():
    """The same thirteen with Q's QTS but Q not counting in ratio: 1:8 on Mon AM too, 2 adults."""
    staff = [member("Q", "Mon AM,Mon PM", qualification="QTS", counts_in_ratio=False),
             member("A", qualification="Level 3")]
    s = tiny([kid(f"t{i}", date_of_birth=THREE) for i in range(13)], staff, rooms=(Room("R", None, 13),))
    assert table(Instance.build(s, ON)).set_index("Session").loc["Mon AM", "Adults needed"] == 2


def test_half_of_the_others_at_level_2_is_enough():
    """A (level 3), B (level 2) and a student: one of the two others at level 2 is half: no finding."""
    staff = [member("A", qualification="Level 3"), member("B", qualification="Level 2"),
             member("S", qualification="Student")]
    s = tiny([kid("c", date_of_birth=THREE)], staff, rooms=(Room("R"),))
    assert set(table(Instance.build(s, ON))["Qualifications"]) == {""}


def test_a_room_ratio_looser_than_a_childs_age_is_a_warning():
    """A 2-year-old in a room set to 1:8: the Ratio applies, and a warning names the child and 1:5."""
    s = tiny([kid("w", date_of_birth=TWO), kid("t", date_of_birth=THREE)], [member("A"), member("B")])
    (w,) = [w for w in warnings(Instance.build(s, ON)) if w["Kind"] == "room ratio"]
    assert "Child w (w, aged 2: 1:5)" in w["Message"] and "1:8" in w["Message"]


def test_summary_one_line_per_room_shortfalls_first():
    """Room R (second on the sheet) is short in Mon AM, so its line comes before room Z's."""
    s = short_room()
    s = tiny([*s.children, kid("r", "Mon AM", room="Z")], [*s.staff, member("E", room="Z"), member("F", room="Z")],
             rooms=(Room("Z"), Room("R")))
    lines = summary(Instance.build(s, ON))
    assert lines == ["R: short of staff in 1 of 4 sessions: Mon AM 2 short (3 needed, 1 in)",
                     "Z: enough staff in all 4 sessions (closest: Mon AM, 1 needed, 2 in)"]


def test_check_prints_the_ratio_summary_for_the_sample():
    """`keyperson check` on the sample prints the ratio check, one line per room (Baby, Toddler, Pre-school)."""
    r = CliRunner().invoke(main, ["check", str(ROOT / "data" / "sample-nursery.xlsx")])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    start = lines.index(next(x for x in lines if x.startswith("Ratio check")))
    assert [x.split(":")[0].strip() for x in lines[start + 1:start + 4]] == ["Baby", "Toddler", "Pre-school"]


def test_plan_result_carries_the_ratio_check():
    """The Python API: a plan's Report has the ratio table, and its shortfalls are in its warnings."""
    r = Report(plan(short_room(), ON))
    assert r.result.status is Status.OPTIMAL
    assert int(r.ratios["Difference"].min()) == -2
    assert (r.warnings["Kind"] == "ratio shortfall").sum() == 1


def test_staff_columns_read_and_template_has_dropdowns(tmp_path):
    """Counts in ratio, Qualification and Checks complete round-trip through a workbook, and the template has
    dropdowns for them."""
    s = tiny([kid("c")], [member("A", qualification="EYTS"), member("K", counts_in_ratio=False, checks_complete=False)])
    back = read_workbook(write_setting(s, tmp_path / "s.xlsx")).setting
    assert back.member("A").qualification == "EYTS" and not back.member("K").counts_in_ratio
    assert back.member("A").checks_complete and not back.member("K").checks_complete
    write_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Staff"]
    headers = {c.value: c.column_letter for c in ws[1]}
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[headers["Counts in ratio"]] == lists[headers["Checks complete"]] == '"yes,no"'
    assert lists[headers["Qualification"]] == '"Level 2,Level 3,Level 6,QTS,EYTS,EYPS,Student"'


def test_an_unknown_qualification_is_named_by_sheet_row_and_column(tmp_path):
    """'Level 4' is not a qualification the check knows: an error on the Staff sheet's Qualification cell."""
    path = write_setting(tiny([kid("c")], [member("A"), member("B")]), tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Staff"]
    column = [c.value for c in ws[1]].index("Qualification") + 1
    ws.cell(2, column).value = "Level 4"
    wb.save(path)
    with pytest.raises(DataError) as caught:
        read_workbook(path)
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("Staff", 2, "Qualification")
    assert "QTS" in error.hint


def test_birthdays_before_the_term_ends_change_the_need():
    """Mon AM: three 2-year-olds (3/5) and four 3-year-olds (4/8) need 11/10 -> 2 adults. w1 turns 3 on
    1 Feb 2027 (2/5 + 5/8 = 41/40: still 2); w2 on 1 Mar (1/5 + 6/8 = 19/20: 1). w3 turns 3 in June, after
    the term (ends 31 Mar). So the need falls to 1 adult from 1 Mar, named with w2's birthday."""
    children = [kid("w1", "Mon AM", date_of_birth=date(2024, 2, 1)),
                kid("w2", "Mon AM", date_of_birth=date(2024, 3, 1)), kid("w3", "Mon AM", date_of_birth=TWO),
                *(kid(f"t{i}", "Mon AM", date_of_birth=THREE) for i in range(4))]
    s = tiny(children, [member("A"), member("B")], rooms=(Room("R"),))
    inst = Instance.build(s, ON, date(2027, 3, 31))
    row = table(inst).set_index("Session").loc["Mon AM"]
    assert row["Adults needed"] == 2
    assert row["Before the term ends"] == "1 adult from 01/03/2027 (Child w2 (w2) turns 3)"
    assert summary(inst)[0].endswith("birthdays before the term ends change the adults needed in 1 session "
                                     "(first: Mon AM, 2 -> 1 from 01/03/2027)")
    assert set(table(Instance.build(s, ON))["Before the term ends"]) == {""}  # no term end: nothing listed
    on_the_day = Instance.build(s, ON, date(2027, 3, 1))  # the term ends on w2's birthday: it still counts
    assert table(on_the_day).set_index("Session").loc["Mon AM", "Before the term ends"].startswith("1 adult from 01/03")


def test_a_mixed_setting_end_to_end_ratios_sheet_recomputed_by_hand(tmp_path):
    """Two rooms: Pre-school by age (2-, 3- and 4-year-olds, one without a date of birth), Baby at the
    Rooms sheet's 1:3; a cook who doesn't count and qualifications. `keyperson check` names the child with
    no date of birth; `keyperson plan` writes a Ratios sheet whose numbers match a hand count: each child
    1/5 at 2, 1/8 from 3, 1/3 in Baby, the no-date child at the Pre-school's tightest band (1/5)."""
    pre = [kid("w1", "Mon AM,Mon PM", room="Pre-school", date_of_birth=TWO),
           kid("w2", "Mon AM", room="Pre-school", date_of_birth=TWO),
           kid("n", "Mon AM,Tue AM", room="Pre-school"),
           *(kid(f"t{i}", "Mon AM,Tue AM,Tue PM", room="Pre-school", date_of_birth=THREE if i % 2 else date(2022, 9, 1))
             for i in range(9))]
    babies = [kid(f"b{i}", "Mon AM,Mon PM", room="Baby", date_of_birth=BABY) for i in range(4)]
    staff = [member("L", room="Pre-school", qualification="Level 3"), member("M", room="Pre-school",
             qualification="Level 2"), member("K", "Mon AM", room="Pre-school", counts_in_ratio=False,
             can_be_key_person=False), member("P", "Mon AM,Mon PM", room="Baby", qualification="Level 3"),
             member("Q", "Mon AM,Mon PM", room="Baby", qualification="Student")]
    s = tiny([*pre, *babies], staff, rooms=(Room("Pre-school", 12), Room("Baby", 4, 3)))
    path = write_setting(s, tmp_path / "mixed.xlsx")
    checked = CliRunner().invoke(main, ["check", str(path), "--on", "04/01/2027"])
    assert checked.exit_code == 0, checked.output
    assert "Child n (n) has no date of birth: counted at 1:5" in checked.output
    r = CliRunner().invoke(main, ["plan", str(path), "--on", "04/01/2027"])
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(tmp_path / "mixed-plan.xlsx")["Ratios"]
    header = [c.value for c in ws[1]]
    got = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)}
    # by hand: Mon AM Pre-school: w1, w2, n at 1/5 and nine at 1/8 -> 3/5 + 9/8 = 69/40 -> 2 adults; L, M count
    expect = {("Pre-school", "Mon AM"): (12, 2, 2), ("Pre-school", "Mon PM"): (1, 1, 2),
              ("Pre-school", "Tue AM"): (10, 2, 2),  # n 1/5 + 9/8 = 53/40
              ("Pre-school", "Tue PM"): (9, 2, 2),  # 9/8
              ("Baby", "Mon AM"): (4, 2, 2), ("Baby", "Mon PM"): (4, 2, 2)}  # 4/3 -> 2; P and Q count
    assert {k: (v["Children"], v["Adults needed"], v["Staff who count"]) for k, v in got.items()} == expect
    assert got[("Baby", "Mon AM")]["Qualifications"] == ("0 of the 1 other staff at level 2 or above "
                                                          "(at least half should be)")
    assert got[("Pre-school", "Mon AM")]["Qualifications"] in ("", None)
