"""The key group limit: each child's share of an adult by their own age band, only in sessions worked.

Every setting uses ``only(continuity=60)`` and current key persons, so the optimum counts how many
children keep their key person (60 each) and the key group limit decides how many can. The autouse
fixture re-checks every plan with the plain-Python checker.
"""

from __future__ import annotations

from datetime import date

from scheduler import Instance, Room, Status, evaluate, plan, replace
from scheduler.precheck import prechecks
from tests.conftest import ON, kid, member, only, tiny

TWO = date(2024, 6, 1)  # aged 2 on 4 Jan 2027
THREE = date(2023, 6, 1)
FOUR = date(2022, 6, 1)
BABY = date(2026, 3, 1)  # 10 months


def solve(setting):
    result = plan(setting, ON, time_limit=20)
    assert result.status is Status.OPTIMAL, (result.status, result.diagnosis)
    return result


def kept(result, staff_id: str) -> int:
    return sum(1 for c in result.instance.children if c.key_person == staff_id == result.key_person[c.id])


def mixed_preschool(**rules):
    """A pre-school room R (no Ratio on the Rooms sheet, cap 11) on Mon AM: w aged 2 and ten children of 3 and
    4, all B's key children now; A works Mon AM too."""
    children = [kid("w", "Mon AM", date_of_birth=TWO, key_person="B"),
                *(kid(f"t{i}", "Mon AM", date_of_birth=THREE if i % 2 else FOUR, key_person="B") for i in range(10))]
    staff = [member("A", "Mon AM"), member("B", "Mon AM")]
    return tiny(children, staff, replace(only(continuity=60), **rules), rooms=(Room("R", 11),))


def test_a_mixed_room_of_2_3_and_4_year_olds_plans():
    """Before, the youngest child (w) made the whole room 1:5 and every child counted 1, so A and B could
    have 10 of the 11 present on Mon AM: no plan. Now w needs 1/5 of an adult and each older child 1/8
    (11 need 29/20 of an adult, within two): B keeps at most eight older children (8/8 is one adult;
    w + 7 would be 1/5 + 7/8 > 1), so 8 x 60 = 480, and w and two others go to A (1/5 + 2/8)."""
    r = solve(mixed_preschool())
    assert r.objective == 480 and kept(r, "B") == 8
    assert r.key_person["w"] == "A"
    assert Instance.build(mixed_preschool(), ON).share_unit == 40  # lcm(5, 8): exact whole units


def test_without_the_key_group_limit_everyone_keeps_their_key_person():
    """`Key group within ratio` = no: B keeps all eleven (cap 11), 660 points."""
    r = solve(mixed_preschool(key_group_within_ratio=False))
    assert r.objective == 660 and kept(r, "B") == 11


def test_a_baby_attending_one_session_tightens_only_that_session():
    """Baby b (1/3 of an adult) is in on Mon AM only, with six 3-year-olds (1/8 each); eight more
    3-year-olds come on Mon PM only; all are A's key children now. Before, b made the room 1:3 all week,
    so A kept 3 + 3. Now Mon AM holds at most six of A's seven (b + 6 = 1/3 + 6/8 > 1; 6/8 or b + 5 fit)
    and Mon PM all eight (8/8): 14 kept, 840."""
    children = [kid("b", "Mon AM", date_of_birth=BABY, key_person="A"),
                *(kid(f"u{i}", "Mon AM", date_of_birth=THREE, key_person="A") for i in range(6)),
                *(kid(f"t{i}", "Mon PM", date_of_birth=THREE, key_person="A") for i in range(8))]
    s = tiny(children, [member("A"), member("B"), member("C")], only(continuity=60), rooms=(Room("R", 20),))
    r = solve(s)
    assert r.objective == 840 and kept(r, "A") == 14
    assert all(r.key_person[f"t{i}"] == "A" for i in range(8))


def test_a_part_timers_key_children_on_their_days_off_count_nothing():
    """P works Mon AM only; her ten key children come on Tue AM only (cap 12, room 1:8). Before, ten present
    on Tue AM broke 1:8 for P and she could keep eight; now Tue AM is her day off (her co-worker covers)
    and counts nothing, so she keeps all ten: 600."""
    children = [kid(f"c{i}", "Tue AM", key_person="P") for i in range(10)]
    s = tiny(children, [member("P", "Mon AM"), member("B"), member("C")], only(continuity=60),
             rooms=(Room("R", 12, 8),))
    r = solve(s)
    assert r.objective == 600 and kept(r, "P") == 10


def test_1_13_holds_within_8_to_4_with_a_teacher_in():
    """Thirteen 3-year-olds, all Q's key children, in a 1:13 room. On Mon AM (08:00-13:00) with Q (QTS) in,
    Q keeps all 13 (13/13); on Mon PM (13:00-18:00) the room is 1:8, so Q keeps 8."""
    def setting(session):
        children = [kid(f"t{i}", session, date_of_birth=THREE, key_person="Q") for i in range(13)]
        staff = [member("Q", qualification="QTS"), member("A"), member("B")]
        return tiny(children, staff, only(continuity=60), rooms=(Room("R", 13, 13),))
    assert solve(setting("Mon AM")).objective == 13 * 60
    assert solve(setting("Mon PM")).objective == 8 * 60


def test_the_checker_finds_a_key_group_over_one_adult():
    """All eleven of mixed_preschool to B: B's key group on Mon AM needs 1/5 + 10/8 = 29/20 of an adult;
    the independent checker names the key group limit, B and Mon AM."""
    s = mixed_preschool()
    ids = [c.id for c in s.children]
    ev = evaluate(s, ON, dict.fromkeys(ids, "B"), dict.fromkeys(ids, "A"))
    (v,) = [v for v in ev.violations if v.rule == "key group limit"]
    assert v.detail == "B: key children present in Mon AM need 29/20 of an adult, more than one"
    off = replace(s, rules=replace(s.rules, key_group_within_ratio=False))
    assert "key group limit" not in evaluate(off, ON, dict.fromkeys(ids, "B"), dict.fromkeys(ids, "A")).broken


def test_the_checker_leaves_out_sessions_not_worked():
    """Ten key children of P on Tue AM, which P doesn't work: no key group breach."""
    children = [kid(f"c{i}", "Tue AM") for i in range(10)]
    s = tiny(children, [member("P", "Mon AM"), member("B")], rooms=(Room("R", 12, 8),))
    ids = [c.id for c in children]
    assert "key group limit" not in evaluate(s, ON, dict.fromkeys(ids, "P"), dict.fromkeys(ids, "B")).broken


def test_the_checker_applies_1_13_only_with_a_teacher_in():
    """Nine 3-year-olds on Mon AM with A in a 1:13 room: 9/13 with Q (QTS) in; 9/8 when Q is not a teacher."""
    children = [kid(f"t{i}", "Mon AM", date_of_birth=THREE) for i in range(9)]
    ids = [c.id for c in children]
    for q, broken in ((member("Q", qualification="QTS"), False), (member("Q"), True)):
        s = tiny(children, [member("A"), q], rooms=(Room("R", 13, 13),))
        ev = evaluate(s, ON, dict.fromkeys(ids, "A"), dict.fromkeys(ids, "Q"))
        assert ("key group limit" in ev.broken) is broken


def test_shares_add_exactly():
    """Two 2-year-olds and five 3-year-olds, all B's key children on Mon AM: 2/5 + 5/8 = 41/40 is just over
    one adult, so B keeps six (2/5 + 4/8 = 36/40, or 1/5 + 5/8 = 33/40): 360. Any rounding of the shares,
    or a limit one fortieth too loose, would let B keep all seven."""
    children = [*(kid(f"w{i}", "Mon AM", date_of_birth=TWO, key_person="B") for i in range(2)),
                *(kid(f"t{i}", "Mon AM", date_of_birth=THREE, key_person="B") for i in range(5))]
    s = tiny(children, [member("A", "Mon AM"), member("B", "Mon AM")], only(continuity=60), rooms=(Room("R", 8),))
    r = solve(s)
    assert r.objective == 360 and kept(r, "B") == 6


def test_the_checker_adds_shares_exactly():
    """The seven of test_shares_add_exactly all with B: 41/40 of an adult, a breach by one fortieth."""
    children = [*(kid(f"w{i}", "Mon AM", date_of_birth=TWO) for i in range(2)),
                *(kid(f"t{i}", "Mon AM", date_of_birth=THREE) for i in range(5))]
    s = tiny(children, [member("A", "Mon AM"), member("B", "Mon AM")], rooms=(Room("R", 8),))
    ids = [c.id for c in children]
    (v,) = evaluate(s, ON, dict.fromkeys(ids, "B"), dict.fromkeys(ids, "A")).violations
    assert v.detail == "B: key children present in Mon AM need 41/40 of an adult, more than one"


def test_the_checker_counts_a_support_ratio_and_a_child_without_a_date_of_birth():
    """A 1:1 child (a whole adult) with a 3-year-old (1/8) is over one adult in a 1:8 room. And n, with no
    date of birth, takes the room's tightest band, 1/5 (its youngest is 2): n, three 2-year-olds and two
    3-year-olds need 4/5 + 2/8 = 42/40 (at 1/8 for n it would be 39/40, within one)."""
    s = tiny([kid("p", "Mon AM", support_ratio=1), kid("q", "Mon AM")], [member("A"), member("B")])
    assert "key group limit" in evaluate(s, ON, {"p": "A", "q": "A"}, {"p": "B", "q": "B"}).broken
    children = [kid("n", "Mon AM"), *(kid(f"w{i}", "Mon AM", date_of_birth=TWO) for i in range(3)),
                *(kid(f"t{i}", "Mon AM", date_of_birth=THREE) for i in range(2))]
    s = tiny(children, [member("A"), member("B")], rooms=(Room("R", 8),))
    ids = [c.id for c in children]
    assert "key group limit" in evaluate(s, ON, dict.fromkeys(ids, "A"), dict.fromkeys(ids, "B")).broken


def test_a_session_one_key_person_is_out_of_is_not_a_precheck_finding():
    """Seven children on Mon AM at 1:3 need 7/3 of an adult, more than two key persons could hold, but B
    doesn't work Mon AM: A keeps three (3/3) and B takes four, whose key group then counts nothing. No
    pre-check finding, and a plan: A's three score 60 each (continuity), 180."""
    children = [kid(f"c{i}", "Mon AM", key_person="A") for i in range(7)]
    s = tiny(children, [member("A"), member("B", "Tue AM,Tue PM")], only(continuity=60), rooms=(Room("R", 8, 3),))
    assert prechecks(Instance.build(s, ON)) == []
    assert solve(s).objective == 180
