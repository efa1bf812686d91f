"""The manager's own workbook, carried into the plan workbook as they laid it out.

The plan's sheets go in front; the manager's sheets stay as they were (their own columns such as Parent
phone or Allergies, title rows, the day or session layout, formats, dropdowns, formulas, widths). Only
the Children sheet's ``Key person`` and ``Co-worker`` cells change, with the columns the plan adds
(``Key person since``, ``Previous key person``) filled in, or added after the last column when missing,
and Rules rows the plan sets (``Setting name``) added. So next term's input looks like this term's.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import DataError
from ..setting import Setting, replace
from . import safety
from .cells import norm
from .reader import Table, WorkbookReader, read_plan_changes
from .setting_writer import rules_rows
from .style import is_set_up, print_setup, widen_unsized

PLAN_MARK = "keyperson plan"  # a custom document property on every plan workbook


def open_kept(setting: Setting, plan_sheets: set[str]) -> Workbook | None:
    """The workbook ``setting`` was read from, with any earlier plan's sheets removed; None when there is
    no such file any more, or its Children sheet no longer lists the setting's children (then the plan
    writes the input sheets afresh)."""
    if not setting.source or not Path(setting.source).is_file():
        return None
    path = Path(setting.source)
    try:
        safety.sniff(path)
        wb = openpyxl.load_workbook(path, keep_links=False)  # formulas kept as formulas
    except Exception:  # it was read a moment ago; if it can't be opened now, write the sheets afresh
        return None
    children = _children_table(wb)
    if children is None or set(_rows_by_id(children)) != {c.id for c in setting.children}:
        return None
    if any(p.name == PLAN_MARK for p in wb.custom_doc_props.props):
        for ws in list(wb.worksheets):
            if ws.title in plan_sheets:
                wb.remove(ws)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    return wb


def input_state(setting: Setting) -> Setting:
    """For a setting read from a plan workbook: the setting as it was before that plan (each changed child's
    key person and co-worker from the Changes sheet), so a plan is explained against what it started from,
    as when asked on the input; any other setting as it is."""
    if not setting.source or not Path(setting.source).is_file():
        return setting
    try:
        changes = read_plan_changes(safety.load(Path(setting.source)))
    except DataError:
        return setting
    if not changes:
        return setting
    children = []
    for c in setting.children:
        if c.id in changes:
            kp, cw = changes[c.id]
            c = replace(c, key_person=kp, co_worker=cw, previous_key_person=None, key_person_since=None)
        children.append(c)
    return replace(setting, children=tuple(children))


def mark_plan(wb: Workbook) -> None:
    """Mark ``wb`` as a plan workbook, so re-planning from it replaces its plan sheets."""
    from openpyxl.packaging.custom import StringProperty

    if not any(p.name == PLAN_MARK for p in wb.custom_doc_props.props):
        wb.custom_doc_props.append(StringProperty(name=PLAN_MARK, value="yes"))


def update_kept(wb: Workbook, planned: Setting) -> None:
    """Write the plan's key persons and co-workers (``planned``: the setting with the plan as current) into
    the manager's Children sheet, add the Rules rows the plan sets, and set the kept sheets up to print."""
    reader = _reader(wb)
    table = reader.table("Children", extra_header=lambda h: True)
    assert table is not None  # open_kept checked it
    ws = reader.sheets["Children"]
    rows = _rows_by_id(table)
    history = any(c.key_person_since or c.previous_key_person for c in planned.children)
    as_names = _uses_names(ws, table, planned)
    for column in ("Key person", "Co-worker", *(("Key person since", "Previous key person") if history else ())):
        j = _column(ws, table, column)
        for c in planned.children:
            cell = ws.cell(rows[c.id], j)
            value: object
            if column in ("Key person", "Co-worker"):
                ref = c.key_person if column == "Key person" else c.co_worker
                value = planned.staff_name(ref) if as_names else ref
            elif column == "Key person since":
                value = c.key_person_since
                cell.number_format = "DD/MM/YYYY"
            else:
                value = planned.staff_name(c.previous_key_person)
            if cell.value != value:
                safety.set_text(cell, value)
    _add_rules(wb, reader, planned)
    headers = {kind: t.header_row for kind in reader.sheets if (t := reader.table(kind, lambda h: True))}
    for kind, ws in reader.sheets.items():
        widen_unsized(ws, headers.get(kind, 1))
        print_setup(ws, header_rows=headers.get(kind, 1), title_columns="A:B" if kind in ("Children", "Staff")
                    else "A:A", keep_own=True)
    for ws in wb.worksheets:  # the manager's other sheets (the plan's are set up already)
        if not is_set_up(ws):
            print_setup(ws, keep_own=True)


def _reader(wb: Workbook) -> WorkbookReader:
    reader = WorkbookReader(wb, "")
    reader._find_sheets()
    return reader


def _children_table(wb: Workbook) -> Table | None:
    reader = _reader(wb)
    return reader.table("Children", extra_header=lambda h: True) if "Children" in reader.sheets else None


def _rows_by_id(table: Table) -> dict[str, int]:
    """Child ID -> the Excel row it is on."""
    out = {}
    for r, values in table.rows:
        ident = table.get(values, "Child ID")
        if ident is not None and str(ident).strip():
            out[str(ident).strip()] = r
    return out


def _uses_names(ws: Worksheet, table: Table, planned: Setting) -> bool:
    """Whether the manager writes key persons by name (then the plan does too); IDs otherwise."""
    names = {norm(s.name) for s in planned.staff}
    ids = {s.id for s in planned.staff}
    written = [table.get(values, column) for _, values in table.rows for column in ("Key person", "Co-worker")]
    written = [str(w).strip() for w in written if w is not None and str(w).strip()]
    by_name = sum(norm(w) in names and w not in ids for w in written)
    return by_name > len(written) - by_name


def _column(ws: Worksheet, table: Table, column: str) -> int:
    """The 1-based column of ``column`` on the sheet, added after the last header (styled like it) if missing."""
    if column in table.columns:
        return table.columns[column] + 1
    last = max(table.headers, default=-1) + 1  # 1-based column of the last header
    j = last + 1
    header = ws.cell(table.header_row, j)
    safety.set_text(header, column)
    if last >= 1:
        model = ws.cell(table.header_row, last)
        header.font, header.fill, header.alignment, header.border = (copy(model.font), copy(model.fill),
                                                                     copy(model.alignment), copy(model.border))
        width = ws.column_dimensions[model.column_letter].width
        ws.column_dimensions[header.column_letter].width = max(width or 0, len(column) * 0.6 + 2)
    table.headers[j - 1] = column
    table.columns[column] = j - 1
    return j


def _add_rules(wb: Workbook, reader: WorkbookReader, planned: Setting) -> None:
    """The Rules rows the plan sets (e.g. Setting name) that the manager's Rules sheet lacks."""
    wanted = dict(rules_rows(planned.rules))
    if not wanted:
        return
    table = reader.table("Rules", extra_header=lambda h: True) if "Rules" in reader.sheets else None
    if table is None:
        ws = wb.create_sheet("Rules")
        from .style import write_table
        write_table(ws, ["Setting", "Value"], list(wanted.items()))
        return
    ws = reader.sheets["Rules"]
    have = {norm(str(table.get(v, "Setting") or "")) for _, v in table.rows}
    r = max((row for row, _ in table.rows), default=table.header_row)
    for name, value in wanted.items():
        if norm(name) in have:
            continue
        r += 1
        safety.set_text(ws.cell(r, table.columns["Setting"] + 1), name)
        safety.set_text(ws.cell(r, table.columns["Value"] + 1), value)
