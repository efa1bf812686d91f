"""A blank setting workbook for a manager to fill in: every sheet, dropdowns, an example row each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import DataError, Problem
from ..rules import RULES
from ..setting import QUALIFICATIONS, Attachment, Child, Closure, Lock, Room, Setting, Staff, default_sessions
from .safety import save_atomic, set_text
from .setting_writer import add_setting_sheets
from .style import TITLE_FONT, WRAP_TOP, fit_heights, print_all, write_table

INSTRUCTIONS = [
    "How to fill in this workbook",
    "",
    "1. Staff: one row per practitioner. Staff ID must be unique (S01, S02 ...). Mark the sessions each works "
    "with yes (or use one column per day: Mon, Tue ... with AM, PM, Full or 8:00-13:00).",
    "   Can be key person: no for students, staff in induction and agency staff. Max key children overrides "
    "the room's cap for that person (e.g. apprentices).",
    "   Counts in ratio: no for a cook, or a student you do not count. Qualification: Level 2, Level 3, Level 6, "
    "QTS, EYTS, EYPS or Student (checks level 3 and level 2 cover, and 1:13 needs QTS, EYTS or EYPS).",
    "   Checks complete: no until their DBS and reference checks are done (then they are neither key person "
    "nor co-worker).",
    "2. Children: one row per child. Room is the room the child is in now. Mark the sessions they attend.",
    "   SEN: blank, SEN support or EHCP. Support ratio: funded enhanced staffing such as 1:1 or 1:2.",
    "   Key person / Co-worker: this term's, if any (a Staff ID or a name). The plan tries to keep them.",
    "   Starts / Leaves: dates for children not yet started or leaving. Moves to / Move date: a room move.",
    "   Sibling group: give brothers and sisters the same value (e.g. their family name).",
    "3. Rooms (optional): Max key children caps each practitioner's caseload; Ratio, where given, is the "
    "adult:child ratio for every child in the room. Blank: each child by their own age (1:3 under 2, 1:5 aged 2, "
    "1:8 three and over). 1:13 holds only 08:00-16:00 with a QTS, EYTS or EYPS holder in; otherwise 1:8.",
    "   Site (for a group of settings in one workbook): the site the room is at; co-workers from other rooms "
    "come only from the same site unless the Rules say 'Co-workers from other sites'.",
    "4. Attachments (optional): a bond seen during settling in: child, practitioner, weak/medium/strong.",
    "5. Locks (optional): a decision the plan must keep: key person or co-worker, must or must not.",
    "6. Rules (optional): change a default. The names you can use are listed on the Rules sheet. Term ends: the "
    "last day the plan must hold, so leavers, joiners and starters before then are planned for.",
    "7. Closed (optional): days the setting is shut, one date or range a row (21/12/2026-01/01/2027), and why.",
    "",
    "Delete the example rows, save as .xlsx, then run:  keyperson check THIS.xlsx  and  keyperson plan THIS.xlsx",
    "Dates: DD/MM/YYYY. Yes/no cells: yes, y, x or ✓ for yes; blank or no for no.",
]


def example_setting() -> Setting:
    sessions = default_sessions()
    names = frozenset(s.name for s in sessions)
    staff = (Staff("S01", "Example Practitioner", "Pre-school", names, role="Room leader", sen_trained=True,
                   languages=("Polish",), qualification="Level 3"),
             Staff("S02", "Example Buddy", "Pre-school", frozenset(n for n in names if n.endswith("AM")),
                   role="Practitioner", qualification="Level 2"))
    child = Child("C001", "Example Child", "Pre-school", frozenset({"Mon AM", "Mon PM", "Tue AM"}),
                  date_of_birth=date(2023, 3, 14), home_language="Polish", key_person="S01", co_worker="S02",
                  sibling_group="Example family")
    return Setting("template", sessions, (Room("Pre-school", 8, 8),), (child,), staff,
                   (Attachment("C001", "S01", 3, date(2026, 9, 10), "settled quickly with her"),),
                   (Lock("C001", "S01", "key person", "must", "parents' request"),),
                   closed=(Closure(date(2026, 12, 21), date(2027, 1, 1), "Christmas closure"),))


VALUE_WORDS = {"int": "a whole number", "bool": "yes or no", "date": "a date (DD/MM/YYYY)", "text": "text"}


def value_words(spec) -> str:
    """What to write in a Rules row's Value, as a manager says it: "a whole number", "yes or no"."""
    words = VALUE_WORDS.get(spec.kind, spec.kind)
    if spec.kind == "int" and spec.minimum > 0:
        words += f" from {spec.minimum}"
    return words


def write_template(out: str | Path, force: bool = False) -> Path:
    out = Path(out)
    if out.exists() and not force:
        raise DataError(Problem(f"{out.name} already exists", hint="choose another name, or add --force to replace it"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Instructions"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        set_text(ws.cell(i, 1), line)
        ws.cell(i, 1).alignment = WRAP_TOP
    ws.cell(1, 1).font = TITLE_FONT
    ws.column_dimensions["A"].width = 100
    fit_heights(ws, 2, len(INSTRUCTIONS), [1])
    setting = example_setting()
    ws = wb.create_sheet("Sessions")
    write_table(ws, ["Session", "Day", "Start", "End"],
                [(s.name, s.day, s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in setting.sessions])
    add_setting_sheets(wb, setting)
    ws = wb.create_sheet("Rules")
    write_table(ws, ["Setting", "Value"], [("Max key children", 8)], widths={"Setting": 44, "Value": 12})
    names = wb.create_sheet("Rule names")  # a reference list; keyperson does not read this sheet
    write_table(names, ["Setting", "Write", "What it does"],
                [(r.name, value_words(r), r.help) for r in RULES],
                widths={"Setting": 30, "Write": 16, "What it does": 70})
    _validations(wb)
    print_all(wb)
    save_atomic(wb, out, private=False)  # example names only
    return out


def _validations(wb) -> None:
    def add(ws, column_header: str, formula: str, prompt: str):
        headers = {c.value: c.column_letter for c in ws[1]}
        if column_header not in headers:
            return
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False,
                            promptTitle=column_header, prompt=prompt)
        dv.add(f"{headers[column_header]}2:{headers[column_header]}1000")
        ws.add_data_validation(dv)

    yes_no = '"yes,no"'
    rooms = "=Rooms!$A$2:$A$50"
    sessions = [c.value for c in wb["Staff"][1] if c.value and c.value in {s.name for s in default_sessions()}]
    for sheet in ("Children", "Staff"):
        ws = wb[sheet]
        add(ws, "Room", rooms, "a room from the Rooms sheet")
        headers = {c.value: c.column_letter for c in ws[1]}
        first, last = headers[sessions[0]], headers[sessions[-1]]
        dv = DataValidation(type="list", formula1=yes_no, allow_blank=True, showErrorMessage=False)
        dv.add(f"{first}2:{last}1000")
        ws.add_data_validation(dv)
    add(wb["Children"], "SEN", '"SEN support,EHCP"', "blank, SEN support or EHCP")
    add(wb["Children"], "Support ratio", '"1:1,1:2,1:3"', "funded enhanced staffing")
    add(wb["Children"], "Moves to", rooms, "the room the child moves to")
    add(wb["Staff"], "Can be key person", yes_no, "no for students and agency staff")
    add(wb["Staff"], "SEN trained", yes_no, "yes if SEN trained")
    add(wb["Staff"], "Counts in ratio", yes_no, "no for a cook, or a student you do not count in ratio")
    add(wb["Staff"], "Checks complete", yes_no, "no until their DBS and reference checks are done")
    add(wb["Staff"], "Qualification", '"' + ",".join(QUALIFICATIONS) + '"', "their highest early-years qualification")
    add(wb["Staff"], "Role", '"Room leader,Practitioner,Apprentice,Student,Manager,SENCo"', "free text")
    add(wb["Rooms"], "Ratio", '"1:3,1:5,1:8,1:13"', "adult:child ratio")
    add(wb["Attachments"], "Strength", '"weak,medium,strong"', "how strong the bond is")
    add(wb["Locks"], "Role", '"key person,co-worker"', "which role the lock is about")
    add(wb["Locks"], "Rule", '"must,must not"', "must or must not")
    add(wb["Sessions"], "Day", '"Mon,Tue,Wed,Thu,Fri,Sat,Sun"', "day of the week")
    add(wb["Rules"], "Setting", "='Rule names'!$A$2:$A$40", "a setting name")
