"""The plan workbook keeps the manager's own sheets as they laid them out; only the plan's columns change."""

from __future__ import annotations

from datetime import date

import openpyxl
from click.testing import CliRunner
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler import read_setting
from scheduler.cli import main

TITLE = "Sunflower Nursery: children, spring term 2027"
CHILDREN = [  # ID, name, born, room, Mon..Fri as the manager writes them, phone, allergies
    ("C01", "Amara Obi", date(2024, 5, 2), "Rainbow", ["AM", "Full", "", "PM", "Full"], "07700 900101", "nuts"),
    ("C02", "Ben Hall", date(2024, 2, 11), "Rainbow", ["Full", "", "Full", "", "AM"], "07700 900102", ""),
    ("C03", "Cora Lim", date(2023, 11, 20), "Rainbow", ["", "AM", "AM", "AM", ""], "07700 900103", "egg"),
    ("C04", "Dan Roy", date(2024, 1, 5), "Rainbow", ["PM", "PM", "", "Full", "Full"], "07700 900104", ""),
]
STAFF = [("S1", "Amy Jones", ["Full", "Full", "Full", "", ""]),
         ("S2", "Raj Patel", ["", "Full", "Full", "Full", "Full"]),
         ("S3", "Eve Moss", ["Full", "", "", "Full", "Full"])]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
BLUE = "FFBDD7EE"


def manager_workbook(path):
    """A workbook as a manager might keep it: a title row, their own columns, one column per day, names
    for key persons, a coloured header, a date format, widths, a dropdown and a formula."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Children"
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=16)
    header = ["Child ID", "Name", "Date of birth", "Room", "Parent phone", "Allergies", "Key person", *DAYS,
              "Sessions a week"]
    for j, h in enumerate(header, start=1):
        ws.cell(3, j, h).fill = PatternFill("solid", fgColor=BLUE)
    for i, (cid, name, born, room, days, phone, allergy) in enumerate(CHILDREN, start=4):
        ws.append([cid, name, born, room, phone, allergy, "Amy Jones", *days])
        ws.cell(i, 3).number_format = "d mmm yyyy"
        ws.cell(i, len(header), f'=COUNTIF(H{i}:L{i},"AM")+COUNTIF(H{i}:L{i},"PM")+2*COUNTIF(H{i}:L{i},"Full")')
    ws.column_dimensions["E"].width = 16
    dv = DataValidation(type="list", formula1='"AM,PM,Full"', allow_blank=True)
    dv.add("H4:L40")
    ws.add_data_validation(dv)
    staff = wb.create_sheet("Staff")
    staff.append(["Staff ID", "Name", "Room", "Mobile", *DAYS])
    for sid, name, days in STAFF:
        staff.append([sid, name, "Rainbow", "07700 900200", *days])
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Fire drill every second Tuesday"
    wb.save(path)


def test_the_managers_layout_survives_a_plan(tmp_path):
    """Title row, own columns, day layout, formats, dropdown, formula and other sheets all come back; Key person
    and Co-worker are the plan's, written by name as the manager does, and the plan reads back as the input."""
    source = tmp_path / "sunflower.xlsx"
    manager_workbook(source)
    r = CliRunner().invoke(main, ["plan", str(source), "--on", "04/01/2027", "--time-limit", "10"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "sunflower-plan.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-4:] == ["Children", "Staff", "Notes", "Rules"]
    assert [c.value for c in wb["Rules"][2]] == ["Setting name", "sunflower"]  # added by the plan: letters use it
    ws = wb["Children"]
    assert ws["A1"].value == TITLE and ws["A1"].font.size == 16
    header = [c.value for c in ws[3]]
    assert header[:12] == ["Child ID", "Name", "Date of birth", "Room", "Parent phone", "Allergies", "Key person",
                           *DAYS]
    assert "Co-worker" in header and header[12] == "Sessions a week"  # the plan's new column goes after theirs
    assert ws.cell(3, 1).fill.fgColor.rgb == BLUE
    assert [ws.cell(4, j).value for j in (5, 6, 8, 9)] == ["07700 900101", "nuts", "AM", "Full"]
    assert ws.cell(4, 3).number_format == "d mmm yyyy"
    assert ws.cell(4, 13).value.startswith("=COUNTIF(")  # the formula, not its cached value
    assert ws.column_dimensions["E"].width == 16
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["H4:L40"]
    assert wb["Notes"]["A1"].value == "Fire drill every second Tuesday"
    assert [c.value for c in wb["Staff"][1]][:4] == ["Staff ID", "Name", "Room", "Mobile"]
    again = read_setting(out)
    kp_col, cw_col = header.index("Key person") + 1, header.index("Co-worker") + 1
    names = {s.name: s.id for s in again.staff}
    planned_kp = {ws.cell(i, 1).value: names[ws.cell(i, kp_col).value] for i in range(4, 8)}
    planned_cw = {ws.cell(i, 1).value: names[ws.cell(i, cw_col).value] for i in range(4, 8)}
    assert planned_kp == {c.id: c.key_person for c in again.children}
    assert planned_cw == {c.id: c.co_worker for c in again.children}
    assert {c.id: c.sessions for c in again.children} == {c.id: c.sessions for c in read_setting(source).children}


def test_a_replan_of_the_plan_replaces_the_plan_sheets(tmp_path):
    """Planning from a plan workbook again gives one set of plan sheets and the manager's sheets once."""
    source = tmp_path / "sunflower.xlsx"
    manager_workbook(source)
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(source), "--on", "04/01/2027"]).exit_code == 0
    first = tmp_path / "sunflower-plan.xlsx"
    r = runner.invoke(main, ["plan", str(first), "--on", "04/01/2027", "-o", str(tmp_path / "again.xlsx")])
    assert r.exit_code == 0, r.output
    assert openpyxl.load_workbook(tmp_path / "again.xlsx").sheetnames == openpyxl.load_workbook(first).sheetnames
