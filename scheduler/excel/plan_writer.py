"""Write a plan workbook: Summary, Key persons, Caseloads, Ratios, Daily record, Changes, Warnings,
then the input sheets with Key person and Co-worker updated (so the plan is next term's input)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .. import report, words
from ..letters import letters, letters_table
from ..ratios import share_words
from ..registry import term
from ..report import Report
from ..result import Result
from ..setting import named
from .kept import mark_plan, open_kept, update_kept
from .safety import check_output, save_atomic, set_text
from .setting_writer import add_setting_sheets
from .style import (
    BOLD,
    BOX,
    GOOD_FILL,
    SHORT_FILL,
    TITLE_FONT,
    WARN_FILL,
    WRAP_TOP,
    print_all,
    print_setup,
    write_table,
)

PLAN_SHEETS = {"Summary", "Key persons", "Caseloads", "Ratios", "Daily record", "Changes", "Warnings", "Letters",
               "Transitions", "Handover", "Compare", "Glossary"}  # replaced when a plan is re-planned


def write_plan(plan: Result | Report, out: str | Path, inputs: tuple[Path, ...] = (),
               extra: dict[str, pd.DataFrame] | None = None, record: tuple[date, date] | None = None) -> Path:
    """Write a plan (a result, or the :class:`~scheduler.report.Report` already made from it, whose tables
    are then not built again) as a plan workbook at ``out`` (never over any of ``inputs``); ``extra``
    sheets (e.g. Handover, Compare) follow Warnings; the Daily record covers ``record`` (first and last
    date; default the plan's first full week)."""
    tables = plan if isinstance(plan, Report) else Report(plan)
    result = tables.result
    out = Path(out)
    check_output(out, inputs)
    planned = result.setting.with_plan(result.key_person, result.co_worker, result.on)
    if result.transitions is not None and len(result.transitions):
        extra = {"Transitions": result.transitions, **(extra or {})}
    if result.successor and "Handover" not in (extra or {}):
        extra = {"Handover": tables.handover, **(extra or {})}
    kept = open_kept(result.setting, PLAN_SHEETS | set(extra or {}))
    wb = kept or openpyxl.Workbook()
    if kept is None:
        wb.remove(wb.active)
    position = iter(range(len(wb.sheetnames) + 1000))

    def sheet(name: str) -> Worksheet:
        return wb.create_sheet(name, next(position))  # the plan's sheets in front of the manager's

    summary(sheet("Summary"), tables)
    key_persons(sheet("Key persons"), tables)
    caseloads(sheet("Caseloads"), tables)
    ratios_sheet(sheet("Ratios"), tables)
    daily_record(sheet("Daily record"), tables, record)
    table_sheet(sheet("Changes"), tables.changes, CHANGES_WIDTHS)
    warnings_sheet(sheet("Warnings"), tables)
    if result.status.has_plan:
        table_sheet(sheet("Letters"), letters_table(letters(planned, result.on, which="all")), LETTERS_WIDTHS)
    for name, frame in (extra or {}).items():
        table_sheet(sheet(name), frame, EXTRA_WIDTHS.get(name, {"Dates": 40, "Flag": 30}), CENTRED.get(name, ()))
    glossary(sheet("Glossary"))
    if kept is None:
        add_setting_sheets(wb, planned)
    else:
        update_kept(wb, planned)
    wb.active = 0
    wb.worksheets[0].sheet_view.tabSelected = True
    mark_plan(wb)
    print_all(wb)
    save_atomic(wb, out, stamp=datetime.combine(result.on, time()))  # dated the plan date, not the clock
    return out


def summary(ws: Worksheet, tables: Report) -> None:
    """The plan at a glance, in words: how good it is, its measures, and where its points come from
    (the one place the points are explained)."""
    ws.title = "Summary"
    result, m = tables.result, tables.metrics
    set_text(ws.cell(1, 1), f"Key person plan: {result.setting.name}")
    ws.cell(1, 1).font = TITLE_FONT
    proven = result.status.value == "optimal"
    rows = [("Plan date", result.on), ("Term ends", result.instance.term_ends), ("Plan", words.quality(result)),
            ("Points (higher is better)", result.objective)]
    if not proven and result.bound is not None:
        rows.append(("Most points a plan could still score", round(result.bound)))
    rows += [("Children", m["children"]), ("Practitioners who are key persons", m["key_persons"]),
             (words.MEASURES["overlap_pct"], words.percent(m["overlap_pct"])),
             (words.MEASURES["coverage_pct"], words.percent(m["coverage_pct"])),
             ("Children changing key person", m["key_person_changes"]),
             ("Children changing co-worker", m["co_worker_changes"]),
             ("Warnings", m["warnings"])]  # no solve time: the same input gives the same bytes
    r = write_table(ws, ["Measure", "Value"], rows, start_row=3, freeze=False, autofilter=False,
                    widths={"Measure": 44, "Value": 44})
    ws.cell(3 + 3, 2).fill = GOOD_FILL if proven else WARN_FILL
    set_text(ws.cell(r + 1, 1), words.POINTS)
    ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=2)
    ws.cell(r + 1, 1).alignment = WRAP_TOP
    ws.row_dimensions[r + 1].height = 5 * 14.5
    r = write_table(ws, ["Where the points come from", "Points"],
                    [(term(k).label, v) for k, v in tables.terms.items()],
                    start_row=r + 3, freeze=False, autofilter=False,
                    widths={"Where the points come from": 44, "Points": 44})
    events = report.term_events(result)
    if events:
        r = write_table(ws, ["What happens when", ""], [(e, "") for e in events], start_row=r + 1, freeze=False,
                        autofilter=False, widths={"What happens when": 44, "": 44})
    for i, reason in enumerate(result.diagnosis):
        set_text(ws.cell(r + 1 + i, 1), reason)
    print_setup(ws, header_rows=None)


def glossary(ws: Worksheet) -> None:
    """The few words the plan uses, each said once."""
    write_table(ws, ["Word", "What it means"], words.GLOSSARY, widths={"Word": 26, "What it means": 64},
                autofilter=False)
    print_setup(ws)


# the plan's Handover sheet on one landscape page across (146 characters)
HANDOVER_WIDTHS = {"Child": 22, "Room": 10, "Leaving key person": 14, "Next key person": 14,
                   "Next key person was co-worker": 9, "Next co-worker": 14, "From": 11, "Handover sessions": 9,
                   "Dates": 28, "Flag": 13}
# the Changes and Transitions sheets, each on one landscape page across (140 characters: at 146 LibreOffice
# printed Changes at 8.2 pt, at 140 at 8.8), long text wrapped
CHANGES_WIDTHS = {"Child": 21, "Room": 10, "Old key person": 17, "New key person": 17, "Old co-worker": 17,
                  "New co-worker": 17, "What changes": 14, "Why": 27}
TRANSITIONS_WIDTHS = {"Child": 21, "From room": 10, "To room": 10, "Move date": 11, "Key person now": 17,
                      "Key person from the move": 17, "Co-worker from the move": 17, "Settling visits": 8,
                      "Visit dates": 29}
EXTRA_WIDTHS = {"Handover": HANDOVER_WIDTHS, "Transitions": TRANSITIONS_WIDTHS}
# numbers and dates printed centred, so a right-aligned one never runs into the next column's text
CENTRED = {"Handover": ("From", "Handover sessions"), "Transitions": ("Move date", "Settling visits")}
KEY_PERSON_WIDTHS = {"Child": 22, "Key person": 20, "Co-worker": 20, "With key person": 9.5,
                     "Co-worker shares": 9.5, "Covered": 9, "Kept or changed": 12, "Why": 30}


def key_persons(ws: Worksheet, tables: Report) -> None:
    """One row per child under a heading row per room (rooms in the Rooms sheet's order), each room
    printed from a new page with the header row repeated."""
    result, a = tables.result, tables.assignments
    later = bool(result.successor)  # someone leaves within the term: who takes over, and from when
    headers = list(KEY_PERSON_WIDTHS) + (["Next key person", "From"] if later else [])
    rows: list[tuple] = []
    headings, short = [], []
    for room in result.setting.rooms:
        mine = a[a["Room"] == room.name]
        if not len(mine):
            continue
        headings.append(len(rows) + 2)
        rows.append((f"{room.name}: {len(mine)} children",))
        for _, r in mine.iterrows():
            if r["Covered"] < r["Sessions"]:
                short.append(len(rows) + 2)
            rows.append((named(r["Child"], r["Child ID"]), named(r["Key person"], r["Key person ID"]),
                         named(r["Co-worker"], r["Co-worker ID"]), f"{r['Shared with key person']} of {r['Sessions']}",
                         f"{r['Shared with co-worker']} of {r['Sessions']}", f"{r['Covered']} of {r['Sessions']}",
                         r["Key person change"] + (", temporary" if r["Temporary"] else ""), r["Why"],
                         *([named(r["Next key person"], r["Next key person ID"]) if r["Next key person"] else "",
                            r["From"]] if later else [])))
    write_table(ws, headers, rows, widths={**KEY_PERSON_WIDTHS, "Next key person": 20, "From": 11})
    for i in headings:
        ws.cell(i, 1).font = BOLD
        ws.cell(i, 1).alignment = Alignment(vertical="bottom")
    for i in short:
        ws.cell(i, headers.index("Covered") + 1).fill = WARN_FILL
    for i in headings[1:]:
        ws.row_breaks.append(Break(id=i - 1))  # each room from a new page
    print_setup(ws)


CASELOAD_WIDTHS = {"Practitioner": 20, "Room": 14, "Role": 13, "Sessions worked": 8.5,
                   "Key children: places used (of cap)": 12, "Cap from": 22, "Fair share": 7,
                   "Busiest key group (adults needed)": 15, "Co-worker for (of cap)": 9.5,
                   "Key children (IDs)": 18}  # 139 characters: one landscape page across


def places(key_children: int, load: int, cap: int) -> str:
    """A caseload said once: '3 of 4' places, or '4 of 5 (3 children)' when a child counts more than one
    place (an EHCP or a funded ratio)."""
    children = f"{key_children} child" + ("ren" if key_children != 1 else "")
    return f"{load} of {cap}" + (f" ({children})" if load != key_children else "")


def caseloads(ws: Worksheet, tables: Report) -> None:
    """One row per practitioner: caseload against the cap and where the cap comes from, the busiest
    session's key group, co-worker load, and the key children."""
    c = tables.caseloads
    rows = [(named(r["Name"], r["Staff ID"]), r["Room"], r["Role"], r["Sessions worked"],
             places(r["Key children"], r["Weighted load"], r["Cap"]), r["Cap from"], r["Fair share"],
             f"{share_words(r['Busiest key group'])} ({r['Busiest session']})" if r["Busiest session"] else "",
             f"{r['Co-worker for']} of {r['Co-worker cap']}", r["Key children IDs"]) for _, r in c.iterrows()]
    write_table(ws, list(CASELOAD_WIDTHS), rows, widths=CASELOAD_WIDTHS)
    centred(ws, list(CASELOAD_WIDTHS), ("Sessions worked", "Fair share"), len(rows))
    print_setup(ws)


def centred(ws: Worksheet, headers: list[str], columns: tuple[str, ...], n: int) -> None:
    """Centre the numbers of ``columns`` (those of them in ``headers``) in rows 2 to ``n`` + 1, so a number
    never prints against the text of the next column ('8 3 of 4')."""
    for name in (c for c in columns if c in headers):
        j = headers.index(name) + 1
        for i in range(2, n + 2):
            ws.cell(i, j).alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)


RATIOS_WIDTHS = {"Room": 14, "Session": 9, "Ratios": 16, "Children": 8, "Under 2": 7, "Aged 2": 7,
                 "3 and over": 7, "Age not known": 7, "Adults needed": 7.5, "Staff who count": 7, "Difference": 10.5,
                 "Qualifications": 24, "Before the term ends": 18}  # 142: one landscape page across, however
# long the rooms' names (a room's name wraps)
# the Letters sheet: every field of each family's letter (a mail merge's source), wrapped in 146 characters,
# one landscape page across
LETTERS_WIDTHS = {"Letter": 6, "Family": 6.5, "Children": 12, "Child IDs": 7, "Room": 9, "Needs letter": 6.5,
                  "What is new": 11, "Key person": 11.5, "Co-worker": 11.5, "Days with key person": 12.5, "From": 10,
                  "Temporary until": 10, "Previous key person": 11.5, "Reason for change": 11.5, "Parents told": 9.5}


def ratios_sheet(ws: Worksheet, tables: Report) -> None:
    """The ratio check of the rota: one row per room and session, shortfalls of staff coloured (the whole
    row), qualification findings coloured in their own cell."""
    frame = tables.ratios
    table_sheet(ws, frame, RATIOS_WIDTHS)
    difference = list(frame.columns).index("Difference") + 1
    findings = list(frame.columns).index("Qualifications") + 1
    for i, (short, found) in enumerate(zip(frame["Difference"] < 0, frame["Qualifications"] != "", strict=True),
                                       start=2):
        if short:
            for j in range(1, len(frame.columns) + 1):
                ws.cell(i, j).fill = SHORT_FILL
            ws.cell(i, difference).font = BOLD
        if found:
            ws.cell(i, findings).fill = WARN_FILL


def daily_record(ws: Worksheet, tables: Report, record: tuple[date, date] | None = None) -> None:
    """The dated daily record: a title row and the column headers repeated on every printed page, then one
    page per date and room, every child in that day with their times, planned hours and who cares for
    them; Arrived and Left are blank, for the register."""
    result = tables.result
    d = report.daily(result, *record) if record else tables.daily
    set_text(ws.cell(1, 1), f"Daily record: {result.setting.name}. Planned: check against the register, and write "
             "in the actual times")
    ws.cell(1, 1).font = BOLD
    widths = {"Date": 14, "Room": 11, "Child": 24, "Sessions": 13, "Planned hours": 8, "Key person": 18,
              "Co-worker": 18, "Cared for by": 22, "Arrived": 9, "Left": 9}  # fixed, 146 across: one page wide
    columns = list(widths)
    rows = [tuple(named(r["Child"], r["Child ID"]) if k == "Child" else r[k] for k in columns) for _, r in d.iterrows()]
    write_table(ws, columns, rows, start_row=2, autofilter=False, widths=widths)
    blocks = list(zip(d["Date"], d["Room"], strict=True))
    for i, (block, row) in enumerate(zip(blocks, rows, strict=True), start=3):
        ws.cell(i, 1).number_format = "ddd dd/mm/yyyy"
        ws.cell(i, columns.index("Planned hours") + 1).number_format = "0.##"
        ws.row_dimensions[i].height = 30  # room to write the times in
        for j in range(1, len(columns) + 1):
            ws.cell(i, j).alignment = WRAP_TOP
            ws.cell(i, j).border = BOX
        if report.NOBODY in row[columns.index("Cared for by")]:
            ws.cell(i, columns.index("Cared for by") + 1).fill = WARN_FILL
        if i > 3 and block != blocks[i - 4]:
            ws.row_breaks.append(Break(id=i - 1))  # each date and room on a page of its own
    print_setup(ws, header_rows=2, orientation="landscape")


def table_sheet(ws: Worksheet, frame: pd.DataFrame, widths=None, centre: tuple[str, ...] = ()) -> None:
    """A table as a sheet, each ``Child ID`` + ``Child`` pair of columns as one ``Child``: Rosie Owen (C001);
    the numbers and dates of the ``centre`` columns centred."""
    frame = with_names(frame)
    write_table(ws, list(frame.columns), [tuple(r) for r in frame.itertuples(index=False)], widths=widths)
    centred(ws, list(frame.columns), centre, len(frame))
    print_setup(ws)


def with_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Each ``X ID`` column followed by an ``X`` column (``Staff ID`` by ``Name``) merged into ``X``."""
    columns = list(frame.columns)
    out = frame.copy()
    for i, column in enumerate(columns[:-1]):
        if not str(column).endswith(" ID"):
            continue
        name = columns[i + 1]
        if name not in (column[:-3], "Name"):
            continue
        out[name] = [named(n, ident) if isinstance(ident, str) and ident else n
                     for n, ident in zip(frame[name], frame[column], strict=True)]
        out = out.drop(columns=column)
    return out


def warnings_sheet(ws: Worksheet, tables: Report) -> None:
    table_sheet(ws, tables.warnings, {"Message": 60})
    for i in range(2, len(tables.warnings) + 2):
        ws.cell(i, 4).fill = WARN_FILL
