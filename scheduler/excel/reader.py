"""Read a setting workbook (the contract in docs/workbook-format) into a :class:`Setting`.

This module is the only code that knows sheet and column names. It collects
every problem in the workbook before giving up, each located by sheet, Excel
row and column, so a manager fixes them all in one go.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..rules import RULES, RULES_BY_NAME, Rules
from ..setting import Attachment, Child, Closure, Lock, Room, Session, Setting, Staff, default_sessions, named, replace
from . import cells, safety
from .cells import CellError, norm

HEADER_SEARCH_ROWS = 10
MAX_KEY_PERSON_WARNINGS = 10  # rows of the Key persons sheet named one by one; the rest in one line
NAMED_ID = re.compile(r"\(([^()]+)\)\s*$")  # the ID in "Amy Jones (S05)", as setting.named writes it
MAX_CAP = 1000  # the largest caseload cap read (a real one is under 20)

# canonical column -> accepted spellings (normalised); the first is the contract's name
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "Sessions": {"Session": ("session", "session name"), "Day": ("day",),
                 "Start": ("start", "starts", "from"), "End": ("end", "ends", "to", "until")},
    "Rooms": {"Room": ("room", "room name"), "Max key children": ("max key children", "cap"),
              "Ratio": ("ratio",), "Site": ("site", "setting", "nursery")},
    "Children": {
        "Child ID": ("child id", "id"), "Name": ("name", "child", "child name"),
        "Date of birth": ("date of birth", "dob", "birth date", "born"), "Room": ("room",),
        "SEN": ("sen", "send"), "Support ratio": ("support ratio",),
        "Home language": ("home language", "language"),
        "Key person": ("key person", "key worker", "keyworker"),
        "Co-worker": ("co-worker", "coworker", "co worker", "buddy"),
        "Starts": ("starts", "start date", "start"), "Leaves": ("leaves", "leaving date", "leave date"),
        "Moves to": ("moves to",), "Move date": ("move date",),
        "Sibling group": ("sibling group", "siblings", "family"),
        "Parents told": ("parents told", "parents informed", "parents told on"),
        "Key person since": ("key person since", "key person from"),
        "Previous key person": ("previous key person", "last key person"),
    },
    "Staff": {
        "Staff ID": ("staff id", "id"), "Name": ("name", "staff", "practitioner"), "Room": ("room",),
        "Role": ("role", "job title"), "Can be key person": ("can be key person", "key person"),
        "SEN trained": ("sen trained", "sen training"), "Languages": ("languages", "language"),
        "Max key children": ("max key children", "cap"), "Starts": ("starts", "start date", "start"),
        "Leaves": ("leaves", "leaving date", "last day"),
        "Counts in ratio": ("counts in ratio", "in ratio", "counts in ratios"),
        "Checks complete": ("checks complete", "dbs and references", "dbs checks complete", "checks done"),
        "Qualification": ("qualification", "qualifications", "qualification level"),
    },
    "Attachments": {"Child": ("child", "child id"), "Staff": ("staff", "staff id", "practitioner"),
                    "Strength": ("strength",), "Observed": ("observed", "date"), "Notes": ("notes",)},
    "Locks": {"Child": ("child", "child id"), "Staff": ("staff", "staff id", "practitioner"),
              "Role": ("role",), "Rule": ("rule",), "Reason": ("reason", "notes")},
    "Rules": {"Setting": ("setting", "rule", "name"), "Value": ("value",)},
    "Closed": {"Date": ("date", "dates", "day", "days", "closed"), "Reason": ("reason", "notes", "why")},
}
REQUIRED = {
    "Sessions": ("Session", "Start", "End"), "Rooms": ("Room",),
    "Children": ("Child ID", "Name", "Room"), "Staff": ("Staff ID", "Name", "Room"),
    "Attachments": ("Child", "Staff"), "Locks": ("Child", "Staff", "Role", "Rule"),
    "Rules": ("Setting", "Value"), "Closed": ("Date",),
}
SHEET_ALIASES = {"children": "Children", "child": "Children", "staff": "Staff",
                 "practitioners": "Staff", "sessions": "Sessions", "rooms": "Rooms",
                 "attachments": "Attachments", "bonds": "Attachments", "locks": "Locks",
                 "rules": "Rules", "settings": "Rules", "closed": "Closed", "closures": "Closed",
                 "closed days": "Closed", "closure dates": "Closed"}


@dataclass
class Reading:
    """A read workbook: the setting, and the warnings a manager should see."""

    setting: Setting
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Table:
    """One sheet's rows below its header, as ``(excel_row, {column: raw value})``."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # canonical name -> 0-based column index
    headers: dict[int, str]  # column index -> header as written
    rows: list[tuple[int, tuple[Any, ...]]]

    def get(self, values: tuple[Any, ...], column: str) -> Any:
        i = self.columns.get(column)
        if i is None or i >= len(values):
            return None
        v = values[i]
        return v.strip() if isinstance(v, str) else v


class Collector:
    """Gathers problems; ``cell`` parses one value and records a located error on failure."""

    def __init__(self):
        self.problems: list[Problem] = []

    def error(self, message, sheet=None, row=None, column=None, value=None, hint=""):
        self.problems.append(Problem(message, sheet, row, column, value, hint))

    def warn(self, message, sheet=None, row=None, column=None, value=None, hint=""):
        self.problems.append(Problem(message, sheet, row, column, value, hint, "warning"))

    def cell(self, table: Table, row: int, values, column: str, parse: Callable, default=None, **kw):
        raw = table.get(values, column)
        if cells.is_blank(raw):
            return default
        try:
            return parse(raw, **kw)
        except CellError as exc:
            self.error(exc.message, table.sheet, row, column, cells.text_or_raw(raw), exc.hint)
            return default

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def read_workbook(path: str | Path) -> Reading:
    """Read and validate a setting workbook; raise :class:`DataError` listing every error."""
    path = Path(path)
    wb = safety.load(path)
    try:
        reading = WorkbookReader(wb, path.stem, path).read()
    finally:
        wb.close()
    reading.setting = replace(reading.setting, source=str(path.resolve()))  # the plan keeps its sheets
    return reading


PLAN_SHEETS_READ = ("Summary", "Key persons", "Changes")  # a plan workbook has these (we write them)
BRACKETED_ID = re.compile(r"\(([^()]+)\)\s*$")  # "Felix Jones (S03)" -> S03


def read_plan_changes(wb) -> dict[str, tuple[str | None, str | None]] | None:
    """A plan workbook's Changes sheet: each changed child's key person and co-worker before the plan
    (``Old key person``, ``Old co-worker``: "Felix Jones (S03)" or "(none)"); None for a workbook that is
    not a plan workbook."""
    if not all(name in wb.sheetnames for name in PLAN_SHEETS_READ):
        return None
    rows = wb["Changes"].iter_rows(values_only=True)
    header = [norm(h) if h else "" for h in next(rows, ())]
    try:
        child, kp, cw = (header.index(h) for h in ("child", "old key person", "old co-worker"))
    except ValueError:
        return None

    def ident(text) -> str | None:
        found = BRACKETED_ID.search(str(text or ""))
        return found.group(1) if found and str(text).strip() != "(none)" else None

    out: dict[str, tuple[str | None, str | None]] = {}
    for values in rows:
        if values and len(values) > max(child, kp, cw) and (cid := ident(values[child])) is not None:
            out[cid] = (ident(values[kp]), ident(values[cw]))
    return out


def read_setting(path: str | Path) -> Setting:
    return read_workbook(path).setting


class WorkbookReader:
    def __init__(self, wb, name: str, path: Path | None = None):
        self.wb = wb
        self.name = name
        self.path = path or Path(f"{name}.xlsx")
        self.out = Collector()
        self.sheets: dict[str, Any] = {}
        self.unreadable: set[str] = set()  # sheets whose header could not be found

    # -- sheets and headers ----------------------------------------------------
    def _find_sheets(self) -> None:
        for ws in self.wb.worksheets:
            canonical = SHEET_ALIASES.get(norm(ws.title))
            if canonical is None:
                continue
            if canonical in self.sheets:
                self.out.error(f"there are two {canonical} sheets ('{self.sheets[canonical].title}' "
                               f"and '{ws.title}')", sheet=ws.title,
                               hint="delete or rename the one that is not in use")
                continue
            if ws.sheet_state != "visible":
                self.out.warn("this sheet is hidden; it is read all the same", sheet=ws.title,
                              hint="unhide it (right-click a sheet tab, Unhide) to check what it holds")
            self.sheets[canonical] = ws

    def table(self, kind: str, extra_header: Callable[[str], bool] = lambda h: False) -> Table | None:
        ws = self.sheets.get(kind)
        if ws is None:
            return None
        aliases = {a: canon for canon, names in COLUMNS[kind].items() for a in names}
        required = REQUIRED[kind]
        rows = safety.data_rows(ws, self.path)
        best: tuple[int, set[str]] = (0, set())
        for r, values in rows:
            if r > HEADER_SEARCH_ROWS:
                break
            found = {aliases[norm(v)] for v in values if isinstance(v, str) and norm(v) in aliases}
            if all(req in found for req in required):
                return self._table(ws, kind, r, values, [(n, v) for n, v in rows if n > r], aliases, extra_header)
            if len(found) > len(best[1]):
                best = (r, found)
        self.unreadable.add(kind)
        missing = [c for c in required if c not in best[1]]
        where = f"row {best[0]} has {', '.join(sorted(best[1]))} but" if best[1] else "the first ten rows have"
        self.out.error(f"no header row found: {where} no {' or '.join(missing)} column", sheet=ws.title,
                       row=best[0] or None, hint=f"put the column headers {', '.join(required)} in one row "
                       "near the top (merged header cells count only in their first column)")
        return None

    def _table(self, ws, kind, header_row, header, body, aliases, extra_header) -> Table:
        columns: dict[str, int] = {}
        headers: dict[int, str] = {}
        for i, v in enumerate(header):
            if cells.is_blank(v):
                continue
            written = cells.text(v) if not isinstance(v, str) else v.strip()
            headers[i] = written
            canon = aliases.get(norm(written))
            if canon is not None:
                if canon in columns:
                    self.out.error(f"the column {canon} appears twice", ws.title, header_row, written,
                                   hint="delete or rename one of them")
                    continue
                columns[canon] = i
            elif not extra_header(written):
                self.out.warn(f"column '{written}' is not one keyperson uses; it is ignored", ws.title,
                              header_row)
        body = [(r, values) for r, values in body if not all(cells.is_blank(v) for v in values)]
        return Table(ws.title, header_row, columns, headers, body)

    # -- the whole workbook ---------------------------------------------------
    def read(self) -> Reading:
        self._find_sheets()
        for required in ("Children", "Staff"):
            if required not in self.sheets:
                found = ", ".join(f"'{ws.title}'" for ws in self.wb.worksheets) or "none"
                self.out.error(f"the workbook has no {required} sheet (its sheets: {found})",
                               hint=f"add a sheet named {required}, or rename yours to {required}; "
                               "`keyperson template` makes a workbook with every sheet")
        rules = self.read_rules()
        sessions = self.read_sessions()
        room_rows = self.read_rooms()
        staff = self.read_staff(sessions)
        rooms = self.resolve_rooms(room_rows, staff)
        staff = tuple(replace(s, room=rooms[norm(s.room)].name) for s in staff)
        children = self.read_children(sessions, rooms, staff)
        attachments = self.read_attachments(children, staff)
        locks = self.read_locks(children, staff)
        closed = self.read_closed()
        self.check_duplicate_children(children)
        self.check_key_persons_sheet(children, staff)
        if self.out.has_errors:
            raise DataError(self.out.problems)
        try:
            setting = Setting(rules.setting_name or self.name, sessions, tuple(rooms.values()), children, staff,
                              attachments, locks, rules, closed)
        except ValueError as exc:  # a slip the checks above missed: still the manager's data
            raise DataError(self.out.problems + [Problem(f"the workbook is inconsistent: {exc}")]) from None
        return Reading(setting, [p for p in self.out.problems if p.severity == "warning"])

    # -- cross-checks ---------------------------------------------------------
    def check_duplicate_children(self, children: tuple[Child, ...]) -> None:
        """A warning for each child with the same name and date of birth as an earlier row: most likely
        one child entered twice under two IDs (twins share a birthday, not a name)."""
        first: dict[tuple[str, date], Child] = {}
        for c in children:
            if c.date_of_birth is None:
                continue
            key = (norm("".join(ch for ch in c.name if not cells.invisible(ch))), c.date_of_birth)
            if key in first:
                other = first[key]
                self.out.warn(f"{named(c.name, c.id)} has the same name and date of birth "
                              f"({c.date_of_birth:%d/%m/%Y}) as {named(other.name, other.id)} on row {other.row}: "
                              "the same child entered twice?", "Children", c.row, "Child ID", c.id,
                              hint="if so, delete one of the rows; keyperson plans them as two children")
            else:
                first[key] = c

    def check_key_persons_sheet(self, children: tuple[Child, ...], staff: tuple[Staff, ...]) -> None:
        """In a plan workbook, the Key persons sheet is the plan's report and the Children sheet is what is
        read: a warning naming each child whose key person or co-worker differs between the two (an edit
        made in the wrong sheet, or a Children column renamed)."""
        ws = next((ws for ws in self.wb.worksheets if norm(ws.title) == "key persons"), None)
        if ws is None or not children:
            return
        rows = safety.data_rows(ws, self.path)
        header_at = next((i for i, (r, values) in enumerate(rows) if r <= HEADER_SEARCH_ROWS
                          and {"child", "key person"} <= {norm(v) for v in values if isinstance(v, str)}), None)
        if header_at is None:
            return
        columns = {norm(v): i for i, v in enumerate(rows[header_at][1]) if isinstance(v, str)}
        by_id = {c.id: c for c in children}
        names = {s.id: s.name for s in staff}
        found = []
        for r, values in rows[header_at + 1:]:
            child = by_id.get(reported_id(values, columns, "child") or "")
            if child is None:
                continue
            for role, there, here in (("key person", reported_id(values, columns, "key person"), child.key_person),
                                      ("co-worker", reported_id(values, columns, "co-worker"), child.co_worker)):
                if there is not None and there != (here or ""):
                    found.append((r, child, role, there, here))
        for r, child, role, there, here in found[:MAX_KEY_PERSON_WARNINGS]:
            on_children = named(names.get(here), here) if here else "none"
            self.out.warn(f"{named(child.name, child.id)}'s {role} here is {named(names.get(there), there)}, but the "
                          f"Children sheet gives {on_children}: keyperson reads the Children sheet", ws.title, r,
                          hint=f"make changes in the Children sheet's {role.capitalize()} column (this sheet is "
                          "the plan's report and is not read)")
        if len(found) > MAX_KEY_PERSON_WARNINGS:
            more = found[MAX_KEY_PERSON_WARNINGS:]
            self.out.warn(f"and {len(more)} more rows disagree with the Children sheet, for "
                          + ", ".join(dict.fromkeys(named(c.name, c.id) for _, c, *_ in more)), ws.title,
                          hint="a renamed Key person or Co-worker column on the Children sheet does this: "
                          "check its headers")

    # -- Rules ----------------------------------------------------------------
    def read_rules(self) -> Rules:
        table = self.table("Rules")
        if table is None:
            return Rules()
        by_norm = {norm(spec.name): spec for spec in RULES}
        by_norm.update({norm(spec.field.replace("_", " ")): spec for spec in RULES})
        values: dict[str, Any] = {}
        parsers: dict[str, Callable[..., Any]] = {"int": cells.parse_int, "bool": cells.parse_yes_no,
                                                  "date": cells.parse_date, "text": cells.text}
        for r, row in table.rows:
            name = table.get(row, "Setting")
            if cells.is_blank(name):
                self.out.error("has a value but no setting name", table.sheet, r, "Setting",
                               hint="write the setting's name, or delete the row")
                continue
            name = self.out.cell(table, r, row, "Setting", cells.text, "")
            if not name:
                continue
            spec = by_norm.get(norm(name))
            if spec is None:
                self.out.error("is not a setting keyperson knows", table.sheet, r, "Setting",
                               name, hint="known settings: " + ", ".join(RULES_BY_NAME))
                continue
            kw = {"minimum": spec.minimum, "maximum": spec.maximum} if spec.kind == "int" else {}
            value = self.out.cell(table, r, row, "Value", parsers[spec.kind], **kw)
            if value is not None or spec.kind != "bool":
                values[spec.field] = value if value is not None else getattr(Rules(), spec.field)
        return Rules(**values)

    # -- Closed ---------------------------------------------------------------
    def read_closed(self) -> tuple[Closure, ...]:
        """The Closed sheet: one date or range of dates a row, with an optional Reason."""
        table = self.table("Closed")
        if table is None:
            return ()
        out = []
        for r, row in table.rows:
            if cells.is_blank(table.get(row, "Date")):
                self.out.error("is blank", table.sheet, r, "Date",
                               hint="write the date the setting is shut (DD/MM/YYYY), or a range "
                               "DD/MM/YYYY-DD/MM/YYYY")
                continue
            span = self.out.cell(table, r, row, "Date", cells.parse_date_range)
            if span is not None:
                first, last = span
                out.append(Closure(first, last, self.out.cell(table, r, row, "Reason", cells.text, "")))
        return tuple(out)

    # -- Sessions -------------------------------------------------------------
    def read_sessions(self) -> tuple[Session, ...]:
        table = self.table("Sessions")
        if table is None:
            return default_sessions()
        out: list[Session] = []
        seen: dict[str, int] = {}
        for r, row in table.rows:
            name = self.required_text(table, r, row, "Session", "give the session a name, e.g. Mon AM")
            if not name:
                continue
            key = session_key(name)
            if key in seen:
                self.out.error(f"is listed twice (also row {seen[key]})", table.sheet, r, "Session", name,
                               hint="give each session its own name")
                continue
            seen[key] = r
            day = self.out.cell(table, r, row, "Day", cells.parse_choice, choices=cells.DAY_NAMES, what="day")
            if day is None:
                day = cells.DAY_NAMES.get(norm(name.split()[0]))
                if day is None:
                    self.out.error("has no day", table.sheet, r, "Day", hint="write the day, e.g. Mon")
                    continue
            start = self.out.cell(table, r, row, "Start", cells.parse_time)
            end = self.out.cell(table, r, row, "End", cells.parse_time)
            if start is None or end is None:
                if start is None and cells.is_blank(table.get(row, "Start")):
                    self.out.error("is blank", table.sheet, r, "Start", hint="write the start time, e.g. 08:00")
                if end is None and cells.is_blank(table.get(row, "End")):
                    self.out.error("is blank", table.sheet, r, "End", hint="write the end time, e.g. 13:00")
                continue
            if cells.minutes(end) <= cells.minutes(start):
                self.out.error(f"is not after the start {start:%H:%M}", table.sheet, r, "End", f"{end:%H:%M}",
                               hint="write times on the 24-hour clock, e.g. 13:00 for 1pm")
                continue
            out.append(Session(name, day, start, end))
        if not out and not self.out.has_errors:
            self.out.error("lists no sessions", table.sheet, hint="add one row per session, or delete the sheet "
                           "to use the standard Mon AM .. Fri PM week")
        return tuple(out)

    # -- Rooms ----------------------------------------------------------------
    def read_rooms(self) -> list[tuple[int, str, int | None, int | None, str | None]]:
        table = self.table("Rooms")
        if table is None:
            return []
        out = []
        seen: dict[str, int] = {}
        for r, row in table.rows:
            name = self.required_text(table, r, row, "Room", "write the room's name")
            if not name:
                continue
            if norm(name) in seen:
                self.out.error(f"is listed twice (also row {seen[norm(name)]})", table.sheet, r, "Room", name,
                               hint="list each room once")
                continue
            seen[norm(name)] = r
            cap = self.out.cell(table, r, row, "Max key children", cells.parse_int, minimum=1, maximum=MAX_CAP)
            ratio = self.out.cell(table, r, row, "Ratio", cells.parse_ratio)
            out.append((r, name, cap, ratio, self.out.cell(table, r, row, "Site", cells.text) or None))
        return out

    def resolve_rooms(self, room_rows, staff: tuple[Staff, ...]) -> dict[str, Room]:
        """Rooms by normalised name: the Rooms sheet's, then any room a practitioner works in."""
        rooms: dict[str, Room] = {norm(n): Room(n, cap, ratio, site) for _, n, cap, ratio, site in room_rows}
        for s in staff:
            rooms.setdefault(norm(s.room), Room(s.room))
        return rooms

    # -- people ---------------------------------------------------------------
    def attendance(self, table: Table, r: int, row, sessions: tuple[Session, ...]) -> frozenset[str]:
        """The sessions a row marks, from session columns and/or day columns."""
        by_key = {session_key(s.name): s for s in sessions}
        picked: set[str] = set()
        for i, written in table.headers.items():
            if i >= len(row) or i in table.columns.values():
                continue
            raw = row[i]
            try:
                if session_key(written) in by_key:
                    if cells.parse_yes_no(raw):
                        picked.add(by_key[session_key(written)].name)
                elif norm(written) in cells.DAY_NAMES:
                    day = cells.DAY_NAMES[norm(written)]
                    picked |= day_cell_sessions(raw, [s for s in sessions if s.day == day])
            except CellError as exc:
                self.out.error(exc.message, table.sheet, r, written, cells.text_or_raw(raw), exc.hint)
        return frozenset(picked)

    def check_attendance_columns(self, table: Table, sessions: tuple[Session, ...], what: str) -> None:
        keys = {session_key(s.name) for s in sessions}
        named = set(table.columns.values())
        if not any(session_key(h) in keys or norm(h) in cells.DAY_NAMES
                   for i, h in table.headers.items() if i not in named):
            examples = ", ".join(s.name for s in sessions[:2])
            self.out.error(f"has no session or day columns, so no {what} can be read", table.sheet,
                           table.header_row, hint=f"add a column per session ({examples}, ...) with yes "
                           "where they attend, or a column per day (Mon, Tue, ...) with AM, PM or Full")

    def is_attendance_header(self, sessions) -> Callable[[str], bool]:
        keys = {session_key(s.name) for s in sessions}
        return lambda h: session_key(h) in keys or norm(h) in cells.DAY_NAMES

    def read_staff(self, sessions) -> tuple[Staff, ...]:
        table = self.table("Staff", self.is_attendance_header(sessions))
        if table is None:
            return ()
        self.check_attendance_columns(table, sessions, "working pattern")
        out: list[Staff] = []
        seen: dict[str, int] = {}
        c = self.out.cell
        for r, row in table.rows:
            sid = self.required_text(table, r, row, "Staff ID", "give each practitioner a unique ID, e.g. S01",
                                     cells.parse_id)
            name = self.required_text(table, r, row, "Name", "write the practitioner's name")
            room = self.required_text(table, r, row, "Room", "write the room they work in")
            if sid and sid in seen:
                self.out.error(f"is used twice (also row {seen[sid]})", table.sheet, r, "Staff ID", sid,
                               hint="give each practitioner a unique ID")
                continue
            staff_starts = c(table, r, row, "Starts", cells.parse_date)
            staff_leaves = c(table, r, row, "Leaves", cells.parse_date)
            if staff_starts and staff_leaves and staff_leaves < staff_starts:
                self.out.error(f"is before their start date {staff_starts:%d/%m/%Y}", table.sheet, r, "Leaves",
                               f"{staff_leaves:%d/%m/%Y}", hint="check both dates (day first: DD/MM/YYYY)")
            member = Staff(
                id=sid, name=name, room=room, sessions=self.attendance(table, r, row, sessions),
                role=c(table, r, row, "Role", cells.text, ""),
                can_be_key_person=c(table, r, row, "Can be key person", cells.parse_yes_no, True),
                sen_trained=c(table, r, row, "SEN trained", cells.parse_yes_no, False),
                languages=c(table, r, row, "Languages", cells.parse_list, ()),
                max_key_children=c(table, r, row, "Max key children", cells.parse_int, maximum=MAX_CAP),
                starts=staff_starts, leaves=staff_leaves,
                counts_in_ratio=c(table, r, row, "Counts in ratio", cells.parse_yes_no, True),
                checks_complete=c(table, r, row, "Checks complete", cells.parse_yes_no, True),
                qualification=c(table, r, row, "Qualification", cells.parse_choice,
                                choices=cells.QUALIFICATION_VALUES, what="qualification"),
                row=r)
            if not (sid and name and room):
                continue
            seen[sid] = r
            if not member.sessions:
                self.out.warn(f"{member.label} works no sessions", table.sheet, r,
                              hint="mark the sessions they work, or they can't be anyone's key person")
            out.append(member)
        return tuple(out)

    def required_text(self, table: Table, r: int, row, column: str, hint: str,
                      parse: Callable[[object], str] = cells.text) -> str:
        if column not in table.columns:
            return ""
        raw = table.get(row, column)
        try:
            value = parse(raw)
        except CellError as exc:
            self.out.error(exc.message, table.sheet, r, column, raw, exc.hint)
            return ""
        if not value:
            self.out.error("is blank", table.sheet, r, column, hint=hint)
        return value

    def read_children(self, sessions, rooms: dict[str, Room], staff) -> tuple[Child, ...]:
        table = self.table("Children", self.is_attendance_header(sessions))
        if table is None:
            return ()
        self.check_attendance_columns(table, sessions, "attendance")
        staff_ref = PeopleIndex({s.id: s.name for s in staff}, "Staff")
        staffed_rooms = {norm(s.room) for s in staff}
        out: list[Child] = []
        seen: dict[str, int] = {}
        c = self.out.cell
        for r, row in table.rows:
            cid = self.required_text(table, r, row, "Child ID", "give each child a unique ID, e.g. C001",
                                     cells.parse_id)
            name = self.required_text(table, r, row, "Name", "write the child's name")
            room = self.required_text(table, r, row, "Room", "write the room the child is in")
            if cid and cid in seen:
                self.out.error(f"is used twice (also row {seen[cid]})", table.sheet, r, "Child ID", cid,
                               hint="give each child a unique ID")
                continue
            if room:
                room = self.room_name(table, r, "Room", room, rooms, staffed_rooms)
            moves_to = c(table, r, row, "Moves to", cells.text)
            if moves_to:
                moves_to = self.room_name(table, r, "Moves to", moves_to, rooms, staffed_rooms)
            move_date = c(table, r, row, "Move date", cells.parse_date)
            if move_date and cells.is_blank(table.get(row, "Moves to")):
                self.out.error("is given but Moves to is blank", table.sheet, r, "Move date",
                               f"{move_date:%d/%m/%Y}", hint="write the room the child moves to, or clear the date")
            if moves_to and move_date is None:
                self.out.warn("has no Move date: the move is treated as already made", table.sheet, r, "Moves to",
                              moves_to, hint="write the date of the move")
            support = c(table, r, row, "Support ratio", parse_support_ratio)
            starts = c(table, r, row, "Starts", cells.parse_date)
            leaves = c(table, r, row, "Leaves", cells.parse_date)
            if starts and leaves and leaves < starts:
                self.out.error(f"is before the start date {starts:%d/%m/%Y}", table.sheet, r, "Leaves",
                               f"{leaves:%d/%m/%Y}", hint="check both dates (day first: DD/MM/YYYY)")
            dob = c(table, r, row, "Date of birth", cells.parse_date)
            if dob and dob > date.today() and (starts is None or dob > starts):
                self.out.warn("is in the future", table.sheet, r, "Date of birth", f"{dob:%d/%m/%Y}",
                              hint="check the date (day first: DD/MM/YYYY)")
            language = c(table, r, row, "Home language", cells.text)
            if language and norm(language) in ("english", "none", "-", "en"):
                language = None
            kp = self.staff_ref(table, r, row, "Key person", staff_ref)
            cw = self.staff_ref(table, r, row, "Co-worker", staff_ref)
            sibling = c(table, r, row, "Sibling group", cells.text)
            previous = c(table, r, row, "Previous key person", cells.text)
            if previous:  # a name for the parents' letter: the staff ID where the person is still listed
                try:
                    previous = staff_ref.resolve(previous)
                except CellError:
                    pass
            child = Child(
                id=cid, name=name, room=room, sessions=self.attendance(table, r, row, sessions),
                date_of_birth=dob,
                sen=c(table, r, row, "SEN", cells.parse_choice, "none", choices=cells.SEN_VALUES, what="SEN status"),
                support_ratio=support, home_language=language or None, key_person=kp,
                co_worker=cw if cw != kp else None, starts=starts, leaves=leaves,
                moves_to=moves_to or None, move_date=move_date if moves_to else None,
                sibling_group=sibling or None, parents_told=c(table, r, row, "Parents told", cells.parse_date),
                key_person_since=c(table, r, row, "Key person since", cells.parse_date),
                previous_key_person=previous or None, row=r)
            if not (cid and name and room):
                continue
            seen[cid] = r
            if not child.sessions:
                self.out.warn(f"{child.label} attends no sessions", table.sheet, r,
                              hint="mark the sessions the child attends")
            out.append(child)
        return tuple(out)

    def room_name(self, table, r, column, written, rooms, staffed_rooms) -> str:
        key = norm(written)
        if key not in staffed_rooms:
            known = ", ".join(sorted(room.name for k, room in rooms.items() if k in staffed_rooms)) or "none"
            self.out.error("is not a room any practitioner on the Staff sheet works in", table.sheet, r, column,
                           written, hint=f"check the spelling; staffed rooms are: {known}")
            return ""
        return rooms[key].name

    def staff_ref(self, table, r, row, column, index: PeopleIndex) -> str | None:
        raw = table.get(row, column)
        if cells.is_blank(raw):
            return None
        try:
            return index.resolve(raw)
        except MissingPerson as exc:
            self.out.warn(f"{exc}: treated as none", table.sheet, r, column, cells.text_or_raw(raw),
                          hint="the plan will choose someone new")
        except CellError as exc:
            self.out.error(exc.message, table.sheet, r, column, cells.text_or_raw(raw), exc.hint)
        return None

    # -- Attachments and Locks -----------------------------------------------
    def _pair(self, table, r, row, children_ix, staff_ix):
        refs: list[str | None] = []
        for column, index in (("Child", children_ix), ("Staff", staff_ix)):
            raw = table.get(row, column)
            if cells.is_blank(raw):
                self.out.error("is blank", table.sheet, r, column, hint=f"write the {column.lower()}'s ID or name")
                refs.append(None)
                continue
            try:
                refs.append(index.resolve(raw))
            except CellError as exc:
                self.out.error(exc.message, table.sheet, r, column, cells.text_or_raw(raw), exc.hint)
                refs.append(None)
        return refs

    def read_attachments(self, children, staff) -> tuple[Attachment, ...]:
        table = self.table("Attachments")
        if table is None or self.unreadable & {"Children", "Staff"}:
            return ()  # references can't be checked against a sheet that could not be read
        cix = PeopleIndex({c.id: c.name for c in children}, "Children")
        six = PeopleIndex({s.id: s.name for s in staff}, "Staff")
        out = []
        for r, row in table.rows:
            child, member = self._pair(table, r, row, cix, six)
            strength = self.out.cell(table, r, row, "Strength", parse_strength)
            if strength is None and cells.is_blank(table.get(row, "Strength")):
                self.out.warn("is blank: taken as medium (2)", table.sheet, r, "Strength",
                              hint="write weak, medium or strong")
                strength = 2
            observed = self.out.cell(table, r, row, "Observed", cells.parse_date)
            notes = self.out.cell(table, r, row, "Notes", cells.text, "")
            if child and member and strength:
                out.append(Attachment(child, member, strength, observed, notes))
        return tuple(out)

    def read_locks(self, children, staff) -> tuple[Lock, ...]:
        table = self.table("Locks")
        if table is None or self.unreadable & {"Children", "Staff"}:
            return ()  # references can't be checked against a sheet that could not be read
        cix = PeopleIndex({c.id: c.name for c in children}, "Children")
        six = PeopleIndex({s.id: s.name for s in staff}, "Staff")
        out = []
        for r, row in table.rows:
            child, member = self._pair(table, r, row, cix, six)
            role = self.out.cell(table, r, row, "Role", cells.parse_choice, choices=cells.ROLE_VALUES, what="role")
            rule = self.out.cell(table, r, row, "Rule", cells.parse_choice, choices=cells.LOCK_RULES, what="rule")
            for column, value, hint in (("Role", role, "write key person or co-worker"),
                                        ("Rule", rule, "write must or must not")):
                if value is None and cells.is_blank(table.get(row, column)):
                    self.out.error("is blank", table.sheet, r, column, hint=hint)
            if child and member and role and rule:
                out.append(Lock(child, member, role, rule, self.out.cell(table, r, row, "Reason", cells.text, "")))
        return tuple(out)


def reported_id(values: tuple[Any, ...], columns: dict[str, int], column: str) -> str | None:
    """The ID a plan's Key persons row gives in ``column``: its own ID column (``Child ID``), else the
    ``(ID)`` ending ``Amy Jones (C005)``, else the cell itself; None when blank."""
    for i, pick in ((columns.get(f"{column} id"), None), (columns.get(column), NAMED_ID)):
        if i is None or i >= len(values) or cells.is_blank(values[i]):
            continue
        written = str(cells.text_or_raw(values[i]))
        found = pick.search(written) if pick else None
        return found.group(1) if found else written
    return None


class MissingPerson(CellError):
    pass


class PeopleIndex:
    """Resolves a reference to a person by ID, or by a name unique on its sheet."""

    def __init__(self, names: dict[str, str], sheet: str):
        self.ids = set(names)
        self.sheet = sheet
        self.by_name: dict[str, list[str]] = {}
        for pid, name in names.items():
            self.by_name.setdefault(norm(name), []).append(pid)
        self.by_id = {norm(pid): pid for pid in names}

    def resolve(self, raw) -> str:
        value = cells.parse_id(raw)
        if value in self.ids:
            return value
        if norm(value) in self.by_id:
            return self.by_id[norm(value)]
        matches = self.by_name.get(norm(value), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise CellError(f"is the name of more than one person on the {self.sheet} sheet "
                            f"({', '.join(matches)})", "use the ID instead of the name")
        raise MissingPerson(f"is not an ID or name on the {self.sheet} sheet",
                            f"use an ID from the {self.sheet} sheet")


def parse_support_ratio(value) -> int | None:
    if isinstance(value, str) and norm(value) in ("none", "no", "-", "n/a"):
        return None
    return cells.parse_ratio(value)


def parse_strength(value) -> int:
    return STRENGTH_CHOICES[cells.parse_choice(value, {k: k for k in cells.STRENGTHS}, "strength")]


STRENGTH_CHOICES = cells.STRENGTHS


def session_key(name: str) -> str:
    """Matching key for a session name: ``Monday am`` and ``Mon AM`` are the same session."""
    words = norm(name).split()
    if words and words[0] in cells.DAY_NAMES:
        words[0] = cells.DAY_NAMES[words[0]].casefold()
    return " ".join(words)


def is_morning(session: Session) -> bool:
    last = norm(session.name).split()[-1]
    if last in ("am", "morning"):
        return True
    if last in ("pm", "afternoon"):
        return False
    mid = (cells.minutes(session.start) + cells.minutes(session.end)) / 2
    return mid < 13 * 60


def day_cell_sessions(raw, day_sessions: list[Session]) -> set[str]:
    """The sessions of one day a day-layout cell covers (AM, PM, Full, a yes-mark or a time range)."""
    cells.check_not_error(raw)
    if isinstance(raw, (datetime, date)):
        raise CellError("was turned into a date by the spreadsheet",
                        "format the day columns as Text and type the times again, e.g. 8:00-13:00")
    if isinstance(raw, bool) or (isinstance(raw, (int, float)) and raw in (0, 1)):
        return {s.name for s in day_sessions} if raw else set()
    value = cells.text(raw)
    key = norm(value)
    if key in cells.OFF:
        return set()
    if key in cells.FULL or key in cells.YES:
        return {s.name for s in day_sessions}
    picked: set[str] = set()
    for part in (p.strip() for p in key.replace("&", "+").replace(",", "+").replace(" and ", "+").split("+")):
        if part in ("am", "morning", "am only", "mornings"):
            picked |= {s.name for s in day_sessions if is_morning(s)}
        elif part in ("pm", "afternoon", "pm only", "afternoons"):
            picked |= {s.name for s in day_sessions if not is_morning(s)}
        elif part in cells.FULL:
            picked |= {s.name for s in day_sessions}
        elif any(session_key(s.name).split(" ", 1)[-1] == part for s in day_sessions):
            picked |= {s.name for s in day_sessions if session_key(s.name).split(" ", 1)[-1] == part}
        else:
            span = cells.parse_time_range(part)
            if span is None:
                raise CellError("is not a session pattern",
                                "write AM, PM, Full, a time range like 08:00-13:00, or leave it blank")
            start, end = span
            for s in day_sessions:
                s0, s1 = cells.minutes(s.start), cells.minutes(s.end)
                if 2 * (min(end, s1) - max(start, s0)) >= s1 - s0:
                    picked.add(s.name)
    return picked
