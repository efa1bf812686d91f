"""The term: Term ends and --until, the Closed sheet, open days, and the warning about starters and leavers."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import DataError, Instance, Rules, read_setting, replace, write_setting
from scheduler.cli import main
from scheduler.excel import cells
from scheduler.setting import Closure
from scheduler.term import coming_soon, first_full_week, open_days
from tests.conftest import kid, member, tiny

# Autumn term 2026 in an English nursery: Tue 01/12/2026 to Fri 18/12/2026, then the Christmas closure.
DEC_1 = date(2026, 12, 1)
TERM_ENDS = date(2026, 12, 18)
CHRISTMAS = Closure(date(2026, 12, 21), date(2027, 1, 1), "Christmas closure")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_date_ranges_in_cells():
    """A Closed cell is a date or a range of dates, in either order of writing; a backwards range is an error."""
    assert cells.parse_date_range("25/12/2026") == (date(2026, 12, 25), date(2026, 12, 25))
    assert cells.parse_date_range("21/12/2026-01/01/2027") == (date(2026, 12, 21), date(2027, 1, 1))
    assert cells.parse_date_range("21/12/2026 to 1/1/2027") == (date(2026, 12, 21), date(2027, 1, 1))
    assert cells.parse_date_range("2026-12-21 - 2027-01-01") == (date(2026, 12, 21), date(2027, 1, 1))
    with pytest.raises(cells.CellError, match="ends before it starts"):
        cells.parse_date_range("01/01/2027-21/12/2026")
    with pytest.raises(cells.CellError, match="not a date or a range"):
        cells.parse_date_range("Christmas")


def _workbook_with(tmp_path, closed_rows, rules_rows=()):
    setting = tiny([kid("C1")], [member("S1"), member("S2")], rules=Rules())
    path = write_setting(setting, tmp_path / "setting.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Closed")
    ws.append(["Date", "Reason"])
    for row in closed_rows:
        ws.append(list(row))
    if rules_rows:
        ws = wb.create_sheet("Rules")
        ws.append(["Setting", "Value"])
        for row in rules_rows:
            ws.append(list(row))
    wb.save(path)
    return path


def test_the_closed_sheet_and_term_ends_are_read(tmp_path):
    """A real date, a text range and a bank holiday read as closures; Term ends reads as a date."""
    path = _workbook_with(tmp_path, [("21/12/2026-01/01/2027", "Christmas closure"),
                                     (date(2027, 5, 3), "Early May bank holiday")],
                          [("Term ends", "18/12/2026")])
    s = read_setting(path)
    assert s.closed == (CHRISTMAS, Closure(date(2027, 5, 3), date(2027, 5, 3), "Early May bank holiday"))
    assert s.rules.term_ends == TERM_ENDS
    assert s.is_closed(date(2026, 12, 25)) and not s.is_closed(date(2027, 1, 4))


def test_a_bad_closed_row_names_sheet_row_and_column(tmp_path):
    """A range that ends before it starts, and a blank date, are errors located on the Closed sheet."""
    path = _workbook_with(tmp_path, [("01/01/2027-21/12/2026", "Christmas"), (None, "forgot the date")])
    with pytest.raises(DataError) as err:
        read_setting(path)
    found = {(p.sheet, p.row, p.column) for p in err.value.errors}
    assert ("Closed", 2, "Date") in found and ("Closed", 3, "Date") in found


def test_closures_survive_the_plan_workbook(tmp_path):
    """The Closed sheet is written with the setting (one date as a date, a range as text) and reads back equal."""
    setting = tiny([kid("C1")], [member("S1"), member("S2")],
                   closed=(CHRISTMAS, Closure(date(2027, 4, 2), date(2027, 4, 2), "Good Friday")))
    assert read_setting(write_setting(setting, tmp_path / "s.xlsx")).closed == setting.closed


def test_open_days_leave_out_closures_and_days_without_sessions():
    """The tiny week has Mon and Tue sessions only: 14/12-01/01 has Mon 14, Tue 15 open, then Christmas."""
    s = tiny([kid("C1")], [member("S1")], closed=(CHRISTMAS,))
    assert open_days(s, date(2026, 12, 14), date(2027, 1, 5)) == [date(2026, 12, 14), date(2026, 12, 15),
                                                                    date(2027, 1, 4), date(2027, 1, 5)]


def test_the_first_full_week():
    """From Tue 01/12/2026 the first full week is Mon 07/12 to Sun 13/12, cut at a term end on Fri 11/12; a term
    ending before that Monday is all of it."""
    assert first_full_week(DEC_1, TERM_ENDS) == first_full_week(DEC_1) == (date(2026, 12, 7), date(2026, 12, 13))
    assert first_full_week(DEC_1, date(2026, 12, 4)) == (DEC_1, date(2026, 12, 4))
    assert first_full_week(DEC_1, date(2026, 12, 11)) == (date(2026, 12, 7), date(2026, 12, 11))  # Mon to Fri


def test_term_end_before_the_plan_date_is_refused():
    """--until (or Term ends) before the plan date is bad input, said in dates."""
    s = tiny([kid("C1")], [member("S1"), member("S2")])
    with pytest.raises(DataError, match="before the plan date"):
        Instance.build(s, DEC_1, date(2026, 11, 30))
    assert Instance.build(s, DEC_1).term_ends == DEC_1
    assert Instance.build(replace(s, rules=replace(s.rules, term_ends=TERM_ENDS)), DEC_1).term_ends == TERM_ENDS


def test_starters_and_leavers_within_13_weeks_are_named_without_a_term_end():
    """Without a term end, a leaver on 15/12/2026 and a starter on 05/01/2027 are named; one in April is not;
    with a term end there is no warning (the plan holds until then)."""
    s = tiny([kid("C1", starts=date(2027, 1, 5)), kid("C2", starts=date(2027, 4, 12))],
             [member("S1", leaves=date(2026, 12, 15)), member("S2")])
    found = coming_soon(s, DEC_1, DEC_1)
    assert len(found) == 2
    assert found[0].startswith("Child Child C1 (C1) starts on 05/01/2027, within 13 weeks")
    assert found[1].startswith("Practitioner Staff S1 (S1) leaves on 15/12/2026")
    assert coming_soon(s, DEC_1, TERM_ENDS) == []


def test_check_and_plan_warn_and_until_is_checked(tmp_path):
    """`check` names the leaver and the plan's dates; --until before the plan date exits 2 without a traceback."""
    s = tiny([kid("C1")], [member("S1", leaves=date(2026, 12, 15)), member("S2"), member("S3")],
             rules=replace(Rules(), plan_date=DEC_1))
    path = write_setting(s, tmp_path / "s.xlsx")
    r = run("check", path)
    assert r.exit_code == 0, r.output
    assert "plan date 01/12/2026" in r.output and "Staff S1 (S1) leaves on 15/12/2026" in r.output
    r = run("check", path, "--until", "18/12/2026")
    assert "plan from 01/12/2026 to 18/12/2026 (5 open days)" in r.output, r.output  # Tue 01, Mon-Tue 07-08, 14-15
    assert "leaves on" not in r.output
    r = run("plan", path, "--until", "30/11/2026")
    assert r.exit_code == 2 and "before the plan date 01/12/2026" in r.output
    assert "Traceback" not in r.output


def _record_setting():
    """Mon/Tue sessions; a staff training day on Tue 15/12/2026; C2 starts Tue 08/12, C3's last day is
    Mon 14/12, C4 comes on Tuesdays only."""
    return tiny([kid("C1", "Mon AM,Tue PM"), kid("C2", "Mon AM,Tue AM", starts=date(2026, 12, 8)),
                 kid("C3", "Mon AM,Mon PM,Tue AM", leaves=date(2026, 12, 14)), kid("C4", "Tue AM,Tue PM")],
                [member("S1", "Mon AM,Mon PM,Tue AM"), member("S2", "Tue AM,Tue PM")],
                rules=replace(Rules(), plan_date=date(2026, 12, 7), term_ends=TERM_ENDS),
                closed=(Closure(date(2026, 12, 15), date(2026, 12, 15), "Staff training day"),))


def test_the_daily_record_lists_exactly_the_children_in_each_day():
    """Mon 07/12 to Tue 15/12, worked by hand: Mon 07 C1, C3 (C2 not started); Tue 08 everyone (C2's first
    day); Mon 14 C1, C2, C3 (C3's last day; C4 is not in on Mondays); Tue 15 nobody (closed). C1's Tuesday is
    the afternoon only: 13:00-18:00, 5 hours."""
    from scheduler import plan
    from scheduler.report import daily

    result = plan(_record_setting())
    d = daily(result, date(2026, 12, 7), date(2026, 12, 15))
    by_day = {day: list(rows["Child ID"]) for day, rows in d.groupby("Date")}
    assert by_day == {date(2026, 12, 7): ["C1", "C3"], date(2026, 12, 8): ["C1", "C2", "C3", "C4"],
                      date(2026, 12, 14): ["C1", "C2", "C3"]}
    c1 = d[(d["Date"] == date(2026, 12, 8)) & (d["Child ID"] == "C1")].iloc[0]
    assert (c1["Sessions"], c1["Planned hours"]) == ("13:00-18:00", 5.0)
    c3 = d[(d["Date"] == date(2026, 12, 7)) & (d["Child ID"] == "C3")].iloc[0]
    assert c3["Sessions"] == "08:00-13:00, 13:00-18:00" and c3["Planned hours"] == 10.0
    # only S2 works Tuesday afternoons, and S1 and S2 are C1's key person and co-worker: S2 cares for C1
    assert "Staff S2" in c1["Cared for by"]
    assert set(d["Arrived"]) == {""} and set(d["Left"]) == {""}


def test_record_dates_on_the_command_line(tmp_path):
    """--record-from/--record-to write that range (one page per date and room); a range past the term end
    is exit 2 naming the term."""
    path = write_setting(_record_setting(), tmp_path / "s.xlsx")
    r = run("plan", path, "--record-from", "07/12/2026", "--record-to", "15/12/2026", "-o", tmp_path / "p.xlsx")
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Daily record"]
    assert "Planned: check against the register" in ws.cell(1, 1).value
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "landscape"
    assert [b.id for b in ws.row_breaks.brk] == [4, 8]  # 2 children on Mon 07, 4 on Tue 08, then Mon 14
    r = run("plan", path, "--record-from", "14/12/2026", "--record-to", "21/12/2026", "-o", tmp_path / "q.xlsx")
    assert r.exit_code == 2 and "01/12/2026" not in r.output and "07/12/2026 to 18/12/2026" in r.output
