"""Shared fixtures: every solve in the suite is re-checked by the plain-Python checker."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, time
from pathlib import Path

import pytest

from scheduler import Child, Room, Rules, Session, Setting, Staff, evaluate_result, planner
from scheduler.cpsat import CPModel
from scheduler.rooms import RoomPart

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
ON = date(2027, 1, 4)
WEEK = tuple(Session(f"{d} {p}", d, time(8 if p == "AM" else 13), time(13 if p == "AM" else 18))
             for d in ("Mon", "Tue") for p in ("AM", "PM"))
OFF = "Tue Late"  # a practitioner who works only this shares no session with any child (but works one)
LATE = Session(OFF, "Tue", time(18), time(19))  # in a tiny setting only when someone works it
ALL = "Mon AM,Mon PM,Tue AM,Tue PM"


@pytest.fixture(autouse=True)
def checked_solves(monkeypatch):
    """Wrap CPModel.solve and the room-by-room solve: a plan must keep every hard rule and score what the
    solver says (a room's own solve is checked as part of the whole plan), and never exceed its bound."""
    def checked(original):
        def solve(*args, **kwargs):
            result = original(*args, **kwargs)
            if result.status.has_plan and not isinstance(result.instance, RoomPart):
                ev = evaluate_result(result)
                assert ev.violations == [], ev.violations
                assert ev.objective == result.objective, (ev.terms, result.objective)
                assert result.bound is None or result.objective <= result.bound, (result.objective, result.bound)
            return result
        return solve

    monkeypatch.setattr(CPModel, "solve", checked(CPModel.solve))
    monkeypatch.setattr(planner, "solve_by_room", checked(planner.solve_by_room))


def only(**weights) -> Rules:
    """Rules with every objective weight 0 except those given (so a test isolates one term), and full caps
    (no ``Pro-rata caps``: tiny settings have practitioners who work no session; tests of it turn it on)."""
    zero = {f.name: 0 for f in fields(Rules) if f.name.startswith("weight_")}
    return Rules(**{**zero, **{f"weight_{k}": v for k, v in weights.items()}, "plan_date": ON,
                    "pro_rata_caps": False})


def kid(cid: str, sessions: str = ALL, room: str = "R", **kw) -> Child:
    return Child(cid, f"Child {cid}", room, frozenset(s for s in sessions.split(",") if s), **kw)


def member(sid: str, sessions: str = ALL, room: str = "R", **kw) -> Staff:
    return Staff(sid, f"Staff {sid}", room, frozenset(s for s in sessions.split(",") if s), **kw)


def tiny(children, staff, rules: Rules | None = None, rooms=None, **kw) -> Setting:
    rooms = rooms or tuple(Room(r, None, 8) for r in sorted({x.room for x in (*children, *staff)}))
    week = WEEK + (LATE,) if any(OFF in m.sessions for m in staff) else WEEK
    return Setting("tiny", week, tuple(rooms), tuple(children), tuple(staff), rules=rules or only(), **kw)
