"""Caseload caps: a Rules-wide cap never loosens a room's default for its ratio, and says where it came from."""

from __future__ import annotations

from scheduler import Report, Room, Rules, plan, replace
from tests.conftest import ON, kid, member, only, tiny


def baby_room(rules: Rules):
    """Six children, two in each of three sessions (so a key group of two never passes one adult at 1:3),
    all with A as key person now; A and B work every session. A blank room cap at 1:3."""
    sessions = ["Mon AM", "Mon AM", "Mon PM", "Mon PM", "Tue AM", "Tue AM"]
    return tiny([kid(f"c{i}", t, key_person="A") for i, t in enumerate(sessions)], [member("A"), member("B")],
                rules, rooms=(Room("R", None, 3),))


def test_a_rules_cap_of_8_leaves_a_1_to_3_room_at_4():
    """Rules Max key children 8 (the template's row) with a blank 1:3 room: the cap stays our default 4, so
    A, kept for 60 points a child, keeps four and B takes two (not all six, as 8 allowed)."""
    s = baby_room(replace(only(continuity=60), max_key_children=8))
    assert s.cap("A") == 4
    r = plan(s, ON)
    assert sorted(r.key_person.values()) == ["A"] * 4 + ["B"] * 2
    cap_from = Report(r).caseloads.set_index("Staff ID").loc["A", "Cap from"]
    assert cap_from == "the default cap of 4 at 1:3 (the Rules' 8 applies only where it is tighter)"


def test_a_tighter_rules_cap_applies():
    """Rules Max key children 3 in the same room: 3 is tighter than 4, so it holds (A three, B three)."""
    s = baby_room(replace(only(continuity=60), max_key_children=3))
    assert s.cap("A") == 3
    assert sorted(plan(s, ON).key_person.values()) == ["A"] * 3 + ["B"] * 3
    assert s.cap_derivation("A", ON)[1] == "the Rules' cap of 3 (tighter than the default 4 at 1:3)"


def test_a_rooms_cap_still_raises_a_room():
    """The Rooms sheet's own cap of 8 is the manager's choice for that room: it holds (A keeps all six)."""
    s = replace(baby_room(replace(only(continuity=60), max_key_children=8)), rooms=(Room("R", 8, 3),))
    assert s.cap("A") == 8 and sorted(plan(s, ON).key_person.values()) == ["A"] * 6


def test_a_swept_ratio_never_goes_below_the_statutory_ratio():
    """--ratio 8 on a room whose youngest child is 1 on the plan date: the room stays at 1:3 (statutory for
    under twos), and the sweep says so; a tighter 1:2 is tried as asked."""
    from datetime import date

    from scheduler.sweep import held_at_floor, variant

    s = tiny([kid("baby", date_of_birth=date(2026, 1, 10)), kid("older", date_of_birth=date(2023, 5, 1))],
             [member("A"), member("B")], only(overlap=100), rooms=(Room("R", None, None),))
    assert variant(s, ratio=8, on=ON).rooms[0].ratio == 3
    assert variant(s, ratio=2, on=ON).rooms[0].ratio == 2
    assert held_at_floor(s, 8, ON) == "R at 1:3" and held_at_floor(s, 2, ON) == ""


def test_room_limits_a_sweep_to_one_room():
    """sweep(room="Q") plans Q's children with Q's staff only, and keeps no reference to other rooms."""
    from scheduler.sweep import only_room, sweep

    s = tiny([kid("p1", room="P", key_person="A"), kid("q1", room="Q", key_person="A"), kid("q2", room="Q")],
             [member("A", room="P"), member("B", room="Q"), member("C", room="Q")], only(overlap=100))
    q = only_room(s, "Q", ON)
    assert [c.id for c in q.children] == ["q1", "q2"] and [m.id for m in q.staff] == ["B", "C"]
    assert q.children[0].key_person is None  # A works in P
    frame = sweep(s, caps=(1, 2), room="Q", on=ON, workers=1, progress=False)
    assert list(frame["status"]) == ["optimal", "optimal"]
