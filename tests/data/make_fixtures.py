"""Make the small hand-written workbooks in tests/data (run: python tests/data/make_fixtures.py).

Written cell by cell with openpyxl the way a manager might type them: a title
row above the header, odd spellings, yes-marks of every kind, IDs as numbers.
``BROKEN`` maps each deliberately broken workbook to what its error must name.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
SESSIONS = ["Mon AM", "Mon PM", "Tue AM", "Tue PM", "Wed AM", "Wed PM", "Thu AM", "Thu PM", "Fri AM", "Fri PM"]


def base() -> dict[str, list[list]]:
    """The good setting in the session-column layout, as rows per sheet (row 1 a title)."""
    return {
        "Rooms": [["Room", "Max key children", "Ratio"], ["Toddler", 3, "1:5"], ["Pre-school", None, "1:8"]],
        "Children": [
            ["Little Acorns: children, autumn term"],
            [" child id ", "NAME", "DOB", "Room", "SEN", "Support ratio", "Home language", "Key person",
             "Co-worker", "Sibling group", *SESSIONS],
            [1, "Ada Lovelace", "12/02/2024", "toddler", "", None, "Polish", "Sam Green", None, "Lovelace",
             "y", "Y", "x", "✓", "", "", "yes", "TRUE", "", ""],
            ["C2", "Ben Byron", date(2023, 6, 1), "Toddler", "EHCP", "1:2", None, "S2", "12", "lovelace",
             "", "", "1", 1, "✔", "x", "", "", "", ""],
            [None, None, None, None, None, None, None, None, None, None, *[None] * 10],
            ["C3", "Cy Young", "2022-01-20", "Pre-school", "SEN support", None, "English", None, None, None,
             "yes", "yes", "", "", "yes", "yes", "", "", "yes", "yes"],
        ],
        "Staff": [
            ["Staff ID", "Name", "Room", "Role", "Can be key person?", "SEN trained:", "Languages",
             "Max key children", *SESSIONS],
            ["S1", "Sam Green", "Toddler", "Room leader", "", "no", "Polish, Urdu", None,
             *["yes"] * 10],
            ["S2", "Jo Hill", "Toddler", "Practitioner", "yes", "yes", "", 4,
             "yes", "yes", "yes", "yes", "", "", "", "", "", ""],
            [12, "Kim Park", "Toddler", "Apprentice", "y", "n", "", None,
             "", "", "yes", "yes", "yes", "yes", "", "", "", ""],
            ["S4", "Lee Chan", "Pre-school", "Room leader", "yes", "yes", "", None, *["yes"] * 10],
            ["S5", "Max Doe", "Pre-school", "Student", "no", "no", "", None, *["yes"] * 6, "", "", "", ""],
            ["S6", "Ola Ray", "Pre-school", "Practitioner", "yes", "no", "", None, *["yes"] * 4, *[""] * 6],
        ],
        "Attachments": [["Child", "Staff", "Strength", "Observed"], ["Ada Lovelace", "S2", "strong", "03/09/2026"]],
        "Locks": [["Child", "Staff", "Role", "Rule", "Reason"], ["C3", "S4", "key person", "must", "parents"]],
        "Rules": [["Setting", "Value"], ["Weight siblings", 50], ["Plan date", "04/01/2027"]],
    }


def day_layout(sheets: dict[str, list[list]]) -> dict[str, list[list]]:
    """Rewrite the session columns as day columns with AM / PM / Full / time ranges."""
    cells = {  # (am, pm) -> ways to write it, varied by row
        (True, True): ["Full", "All day", "8:00-18:00", "✓", "7:30-18"],
        (True, False): ["AM", "8-1", "08:00-13:00", "am"],
        (False, True): ["PM", "13:00-18:00", "1pm-6pm", "Afternoon"],
        (False, False): ["", "Off", "hol", "-"],
    }
    out = {}
    for name, rows in sheets.items():
        if name not in ("Children", "Staff"):
            out[name] = rows
            continue
        header_at = 1 if name == "Children" else 0
        new_rows = rows[:header_at] + [rows[header_at][:-10] + ["Monday", "Tue", "wed", "Thursday", "Fri"]]
        for i, row in enumerate(rows[header_at + 1:]):
            if all(v is None for v in row):
                new_rows.append(row[:-5])
                continue
            marks = [str(v).strip().lower() in ("y", "yes", "x", "✓", "✔", "1", "true") for v in row[-10:]]
            day_cells = []
            for d in range(5):
                options = cells[(marks[2 * d], marks[2 * d + 1])]
                day_cells.append(options[(i + d) % len(options)])
            new_rows.append(row[:-10] + day_cells)
        out[name] = new_rows
    return out


def preschool() -> dict[str, list[list]]:
    """A pre-school with its own 9:00-12:00 and 12:00-15:00 sessions, in day columns."""
    return {
        "Sessions": [["Session", "Day", "Start", "End"],
                     *[[f"{d} morning", d, "9:00", "12:00"] for d in ("Mon", "Tue", "Wed")],
                     *[[f"{d} afternoon", d, "12:00", "15:00"] for d in ("Mon", "Tue", "Wed")]],
        "Children": [["Child ID", "Name", "Room", "Mon", "Tue", "Wed"],
                     ["P1", "Pia One", "Pre-school", "9-12", "Full", ""],
                     ["P2", "Pat Two", "Pre-school", "12-3", "morning", "9-3"]],
        "Staff": [["Staff ID", "Name", "Room", "Mon", "Tue", "Wed"],
                  ["T1", "Tia", "Pre-school", "Full", "Full", "Full"],
                  ["T2", "Tom", "Pre-school", "Full", "AM", "PM"]],
    }


def write(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)


def edit(sheet: str, row: int, col: int, value):
    """A change to one cell; ``row`` and ``col`` are 1-based as Excel shows them."""
    def apply(sheets):
        rows = sheets[sheet]
        while len(rows) < row:
            rows.append([])
        while len(rows[row - 1]) < col:
            rows[row - 1].append(None)
        rows[row - 1][col - 1] = value
        return sheets
    return apply


def drop_sheet(name):
    return lambda sheets: {k: v for k, v in sheets.items() if k != name}


def add_row(sheet, row):
    def apply(sheets):
        sheets[sheet].append(row)
        return sheets
    return apply


# name -> (change, what the error must mention: sheet, row, column)
BROKEN = {
    "no-children-sheet": (drop_sheet("Children"), ("Children sheet",)),
    "no-room-column": (edit("Children", 2, 4, "Class"), ("Children", "Room")),
    "duplicate-child-id": (edit("Children", 4, 1, "1"), ("Children row 4", "Child ID", "used twice")),
    "impossible-date": (edit("Children", 3, 3, "31/02/2025"), ("Children row 3", "Date of birth", "31/02/2025")),
    "text-not-date": (edit("Children", 6, 3, "last spring"), ("Children row 6", "Date of birth")),
    "bad-yes-no": (edit("Staff", 3, 6, "maybe"), ("Staff row 3", "SEN trained", "maybe")),
    "unknown-room": (edit("Children", 6, 4, "Rainbow"), ("Children row 6", "Room", "Rainbow")),
    "bad-sen": (edit("Children", 3, 5, "severe"), ("Children row 3", "SEN", "severe")),
    "bad-ratio": (edit("Rooms", 2, 3, "five"), ("Rooms row 2", "Ratio", "five")),
    "bad-support-ratio": (edit("Children", 4, 6, "2:1"), ("Children row 4", "Support ratio")),
    "negative-cap": (edit("Staff", 3, 8, -1), ("Staff row 3", "Max key children", "-1")),
    "fractional-cap": (edit("Staff", 3, 8, 2.5), ("Staff row 3", "Max key children", "2.5")),
    "zero-room-cap": (edit("Rooms", 2, 2, 0), ("Rooms row 2", "Max key children")),
    "unknown-rule": (edit("Rules", 2, 1, "Max naps"), ("Rules row 2", "Setting", "Max naps", "Weight overlap")),
    "bad-rule-value": (edit("Rules", 2, 2, "lots"), ("Rules row 2", "Value", "lots")),
    "lock-unknown-child": (edit("Locks", 2, 1, "C99"), ("Locks row 2", "Child", "C99")),
    "lock-bad-role": (edit("Locks", 2, 3, "boss"), ("Locks row 2", "Role", "boss")),
    "attachment-bad-strength": (edit("Attachments", 2, 3, "very"), ("Attachments row 2", "Strength", "very")),
    "attachment-unknown-staff": (edit("Attachments", 2, 2, "Nobody"), ("Attachments row 2", "Staff", "Nobody")),
    "bad-session-mark": (edit("Children", 3, 11, "sometimes"), ("Children row 3", "Mon AM", "sometimes")),
    "error-cell": (edit("Children", 3, 3, "#REF!"), ("Children row 3", "Date of birth", "#REF!")),
    "ambiguous-name": (edit("Staff", 4, 2, "Sam Green"), ("Children row 3", "Key person", "more than one")),
    "duplicate-staff-id": (edit("Staff", 4, 1, "S2"), ("Staff row 4", "Staff ID", "used twice")),
    "blank-child-id": (edit("Children", 6, 1, None), ("Children row 6", "Child ID", "blank")),
    "leaves-before-starts": (lambda s: edit("Staff", 1, 19, "Starts")(edit("Staff", 1, 20, "Leaves")(
        edit("Staff", 2, 19, "01/09/2026")(edit("Staff", 2, 20, "01/08/2026")(s)))),
        ("Staff row 2", "Leaves")),
    "move-date-without-room": (lambda s: edit("Children", 2, 21, "Move date")(edit("Children", 3, 21, "01/04/2027")(s)),
                               ("Children row 3", "Move date")),
    "session-ends-before-start": (lambda s: {**s, "Sessions": [["Session", "Day", "Start", "End"],
                                                             ["Mon AM", "Mon", "13:00", "08:00"]]},
                                  ("Sessions row 2", "End")),
    "bad-day-cell": (lambda s: edit("Children", 3, 11, "sometimes")(day_layout(s)),
                     ("Children row 3", "Monday", "sometimes")),
    "no-attendance-columns": (lambda s: {**s, "Children": [r[:10] for r in s["Children"]]},
                              ("Children", "no session or day columns")),
    "formula-id": (edit("Children", 6, 1, "=1+1"), ("Children row 6", "Child ID", "blank")),
    "child-in-unstaffed-room": (add_row("Children", ["C9", "Dee", None, "Baby"]), ("Children row 7", "Room", "Baby")),
}


def make_bombs(folder: Path) -> None:
    """A zip bomb (a 'sheet' of 300 MB of zeros, about 300 KB packed) and an entity-expansion XML bomb."""
    good = HERE / "good-sessions.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(folder / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                with dst.open(item.filename, "w") as f:
                    chunk = b"0" * 2**20
                    for _ in range(300):
                        f.write(chunk)
                continue
            dst.writestr(item, data)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(folder / "xml-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = laughs.encode() if item.filename == "xl/worksheets/sheet2.xml" else src.read(item)
            dst.writestr(item, data)


def make_all() -> None:
    write(HERE / "good-sessions.xlsx", base())
    write(HERE / "good-days.xlsx", day_layout(base()))
    write(HERE / "good-preschool.xlsx", preschool())
    write(HERE / "good-hidden-rules.xlsx", base(), hidden=("Rules",))
    broken = HERE / "broken"
    broken.mkdir(exist_ok=True)
    for name, (change, _) in BROKEN.items():
        write(broken / f"{name}.xlsx", change(base()))
    (broken / "empty.xlsx").write_bytes(b"")
    (broken / "csv-renamed.xlsx").write_text("Child ID,Name,Room\nC1,Ada,Toddler\n")
    (broken / "old-excel.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (broken / "not-a-workbook.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    wb = openpyxl.load_workbook(HERE / "good-sessions.xlsx")  # a merged header hides the Room column
    wb["Children"].merge_cells("C2:D2")
    wb.save(broken / "merged-header.xlsx")
    shutil.copy(HERE / "good-sessions.xlsx", HERE / "good-macro-enabled.xlsm")
    make_bombs(broken)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:  # a workbook written by LibreOffice (not openpyxl), and an .ods
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, "--headless", "--convert-to", "ods", "--outdir", tmp,
                            str(HERE / "good-sessions.xlsx")], check=True, capture_output=True)
            shutil.copy(Path(tmp) / "good-sessions.ods", broken / "opendocument.xlsx")
            subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp,
                            str(Path(tmp) / "good-sessions.ods")], check=True, capture_output=True)
            shutil.copy(Path(tmp) / "good-sessions.xlsx", HERE / "good-libreoffice.xlsx")


if __name__ == "__main__":
    make_all()
