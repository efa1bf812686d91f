"""Write a :class:`Setting` as a contract workbook (the reader reads it back equal).

Used for the shipped sample, for test fixtures, and to carry the input sheets
into a plan workbook with Key person and Co-worker updated, so a plan is next
term's input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

import openpyxl
from openpyxl.workbook.workbook import Workbook

from ..rules import RULES, Rules
from ..setting import Setting, default_sessions
from .reader import is_morning, session_key
from .safety import save_atomic
from .style import print_all, print_setup, write_table

LAYOUTS = ("sessions", "days")


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def day_cells(setting: Setting, attended: frozenset[str]) -> list[str]:
    """One cell per day: Full, AM, PM, blank, or the sessions' own names joined by '+'."""
    out = []
    for day in days_of(setting):
        todays = [s for s in setting.sessions if s.day == day]
        mine = [s for s in todays if s.name in attended]
        if not mine:
            out.append("")
        elif len(mine) == len(todays):
            out.append("Full")
        elif all(is_morning(s) for s in mine) and mine == [s for s in todays if is_morning(s)]:
            out.append("AM")
        elif not any(is_morning(s) for s in mine) and mine == [s for s in todays if not is_morning(s)]:
            out.append("PM")
        else:
            out.append("+".join(session_key(s.name).split(" ", 1)[-1] for s in mine))
    return out


def days_of(setting: Setting) -> list[str]:
    seen: list[str] = []
    for s in setting.sessions:
        if s.day not in seen:
            seen.append(s.day)
    return seen


def attendance_headers(setting: Setting, layout: str) -> list[str]:
    return [s.name for s in setting.sessions] if layout == "sessions" else days_of(setting)


def attendance_cells(setting: Setting, attended: frozenset[str], layout: str) -> list[str]:
    if layout == "sessions":
        return ["yes" if s.name in attended else "" for s in setting.sessions]
    return day_cells(setting, attended)


def ratio(k: int | None) -> str | None:
    return f"1:{k}" if k is not None else None


def add_setting_sheets(wb: Workbook, setting: Setting, layout: str = "sessions",
                       key_person: Mapping[str, str | None] | None = None,
                       co_worker: Mapping[str, str | None] | None = None) -> None:
    """Append the contract's sheets; ``key_person``/``co_worker`` override the children's current ones."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    key_person = key_person or {}
    co_worker = co_worker or {}
    if setting.sessions != default_sessions():
        ws = wb.create_sheet("Sessions")
        write_table(ws, ["Session", "Day", "Start", "End"],
                    [(s.name, s.day, s.start.strftime("%H:%M"), s.end.strftime("%H:%M")) for s in setting.sessions])
    ws = wb.create_sheet("Rooms")
    write_table(ws, ["Room", "Max key children", "Ratio", "Site"],
                [(r.name, r.max_key_children, ratio(r.ratio), r.site) for r in setting.rooms])
    ws = wb.create_sheet("Children")
    att = attendance_headers(setting, layout)
    # the plan's record of a key person change, only where a plan has made one
    history = any(c.key_person_since or c.previous_key_person for c in setting.children)
    write_table(ws, ["Child ID", "Name", "Date of birth", "Room", "SEN", "Support ratio", "Home language",
                     "Key person", "Co-worker", "Starts", "Leaves", "Moves to", "Move date", "Sibling group",
                     "Parents told", *(("Key person since", "Previous key person") if history else ()), *att],
                [(c.id, c.name, c.date_of_birth, c.room, "" if c.sen == "none" else c.sen, ratio(c.support_ratio),
                  c.home_language, key_person.get(c.id, c.key_person), co_worker.get(c.id, c.co_worker), c.starts,
                  c.leaves, c.moves_to, c.move_date, c.sibling_group, c.parents_told,
                  *((c.key_person_since, setting.staff_name(c.previous_key_person)) if history else ()),
                  *attendance_cells(setting, c.sessions, layout))
                 for c in setting.children])
    print_setup(ws, title_columns="A:B")
    ws = wb.create_sheet("Staff")
    write_table(ws, ["Staff ID", "Name", "Room", "Role", "Can be key person", "SEN trained", "Languages",
                     "Max key children", "Starts", "Leaves", "Counts in ratio", "Qualification", "Checks complete",
                     *att],
                [(s.id, s.name, s.room, s.role, yes(s.can_be_key_person), yes(s.sen_trained), ", ".join(s.languages),
                  s.max_key_children, s.starts, s.leaves, yes(s.counts_in_ratio), s.qualification,
                  yes(s.checks_complete), *attendance_cells(setting, s.sessions, layout))
                 for s in setting.staff])
    print_setup(ws, title_columns="A:B")
    if setting.attachments:
        ws = wb.create_sheet("Attachments")
        names = {1: "weak", 2: "medium", 3: "strong"}
        write_table(ws, ["Child", "Staff", "Strength", "Observed", "Notes"],
                    [(a.child, a.staff, names[a.strength], a.observed, a.notes) for a in setting.attachments])
    locks = [k for k in setting.locks if not k.held]  # a what-if's held assignments are no sheet's locks
    if locks:
        ws = wb.create_sheet("Locks")
        write_table(ws, ["Child", "Staff", "Role", "Rule", "Reason"],
                    [(k.child, k.staff, k.role, k.rule, k.reason) for k in locks])
    if setting.closed:
        ws = wb.create_sheet("Closed")
        write_table(ws, ["Date", "Reason"],
                    [(k.first if k.first == k.last else f"{k.first:%d/%m/%Y}-{k.last:%d/%m/%Y}", k.reason)
                     for k in setting.closed], widths={"Date": 24, "Reason": 40})
    changed = rules_rows(setting.rules)
    if changed:
        ws = wb.create_sheet("Rules")
        write_table(ws, ["Setting", "Value"], changed)


def rules_rows(rules: Rules) -> list[tuple[str, object]]:
    """The Rules rows that differ from the defaults, as the Rules sheet writes them."""
    default = Rules()
    out = []
    by_field = {spec.field: spec for spec in RULES}
    for f in fields(Rules):
        value = getattr(rules, f.name)
        if value != getattr(default, f.name):
            spec = by_field[f.name]
            out.append((spec.name, yes(value) if spec.kind == "bool" else value))
    return out


def write_setting(setting: Setting, path: str | Path, layout: str = "sessions", private: bool = True) -> Path:
    """Write ``setting`` as a contract workbook at ``path`` (a new file readable by its owner only when
    ``private``: it holds names)."""
    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_setting_sheets(wb, setting, layout)
    print_all(wb)
    save_atomic(wb, path, private=private)
    return path
