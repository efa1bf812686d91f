"""Sentences a manager reads, whole: names before IDs, and on the page the page's words, not the command line's."""

from __future__ import annotations

import dataclasses
from datetime import date

from scheduler import Report, Room, Status, plan, replace, write_setting
from scheduler.term import coming_soon
from scheduler.whatif import Scenario, whatif
from scheduler.whatif.leavers import no_room_left
from scheduler.words import on_page
from tests.conftest import ON, kid, member, only, tiny


def named(person, name: str):
    """``person`` with a real name, so a sentence shows whether it puts the name before the ID."""
    return replace(person, name=name)


def said(result) -> dict[str, str]:
    table = Report(result).warnings
    return dict(zip(table["Kind"], table["Message"], strict=True))


def test_warnings_name_the_child_before_the_id():
    """c2 attends Mon AM, which neither A nor B works: the uncovered session names Mia Khan (c2) first,
    and her key person and co-worker by name; c3 attends no sessions and is named the same way."""
    s = tiny([named(kid("c2", "Mon AM"), "Mia Khan"), named(kid("c3", ""), "Leo Park")],
             [named(member("A", "Tue AM"), "Amy Jones"), named(member("B", "Tue PM"), "Bo Li")])
    r = plan(s, ON)
    kp, cw = s.member(r.key_person["c2"]).name, s.member(r.co_worker["c2"]).name
    assert said(r)["uncovered session"] == (f"Mia Khan (c2) is in on Mon AM but neither key person {kp} nor "
                                            f"co-worker {cw} works then")
    assert said(r)["no sessions"] == "Leo Park (c3) attends no sessions: check the Children sheet"


def test_a_plan_not_yet_proven_best_is_warned_in_words_not_as_a_gap():
    """A plan whose best possible score is 1% above its own: the warning says how good it is as the
    Summary does, with no 'gap' or 'optimal'."""
    r = plan(tiny([kid("c")], [member("A"), member("B")], only(overlap=100)), ON)
    unproven = dataclasses.replace(r, status=Status.FEASIBLE, bound=r.objective * 1.01)
    assert said(unproven)["not yet proven best"] == (
        "Good plan, not yet proven best (within 1.0%): keyperson stopped before it could show that no plan "
        "keeping every rule scores more points")


def test_the_readers_warnings_name_people_before_their_ids(tmp_path):
    """A practitioner with no sessions and a child attending none are warned by name, then ID."""
    s = tiny([named(kid("c1"), "Mia Khan"), named(kid("c2", ""), "Leo Park")],
             [named(member("A"), "Amy Jones"), named(member("N", ""), "Nia Obi")])
    from scheduler.excel.reader import read_workbook

    warned = [w.message for w in read_workbook(write_setting(s, tmp_path / "s.xlsx")).warnings]
    assert "Nia Obi (N) works no sessions" in warned and "Leo Park (c2) attends no sessions" in warned


def full_house():
    """A and B (caps 1) each hold a child as in the current plan (continuity keeps it so in a plan too); L
    leaves, and L's child c3 can go to neither without letting a held child change."""
    kids = [kid("c1", key_person="A", co_worker="B"), kid("c2", key_person="B", co_worker="A"),
            named(kid("c3", key_person="L", co_worker="A"), "Mia Khan")]
    staff = [named(member("A", max_key_children=1), "Amy Jones"), named(member("B", max_key_children=1), "Bo Li"),
             named(member("L"), "Lily Shah")]
    return tiny(kids, staff, only(overlap=100, continuity=60), rooms=(Room("R", None, 8),))


def test_no_room_left_names_the_child_the_full_practitioners_and_the_choice():
    """The held what-if has no plan; the reason names Mia Khan (c3) and both full practitioners, names
    first, and points to --reshuffle, which the page says as its own tick box."""
    run = whatif(full_house(), Scenario(("L",)), ON)
    assert run.result.status is Status.INFEASIBLE
    (reason,) = no_room_left(run.result)
    assert reason == (
        "Mia Khan (c3), in R, needs a key person, but everyone who could take them is full with children kept "
        "with their key person as in the current plan: Amy Jones (A) with 1 of 1 places, Bo Li (B) with 1 of 1 "
        "places. Let other children's key persons change too (--reshuffle), or raise a cap.")
    assert on_page(reason).endswith("Let other children's key persons change too (tick the box above), or raise "
                                    "a cap.")


def test_the_term_warning_says_the_page_s_term_ends_box_on_the_page():
    """A practitioner leaving within 13 weeks of a plan for one day: the terminal says --until, the page its
    own Term ends box."""
    s = tiny([kid("c")], [member("A"), named(member("B", leaves=date(2027, 2, 1)), "Bo Li")])
    (sentence,) = coming_soon(s, ON, ON)
    assert sentence == ("Practitioner Bo Li (B) leaves on 01/02/2027, within 13 weeks, but this plan is for 04/01/2027 "
                        "alone: set Term ends on the Rules sheet (or --until DD/MM/YYYY) to plan the term around it")
    assert on_page(sentence) == ("Practitioner Bo Li (B) leaves on 01/02/2027, within 13 weeks, but this plan is for "
                                 "04/01/2027 alone: set Term ends on the Rules sheet (or the Term ends box on this "
                                 "page) to plan the term around it")



def test_check_says_one_room_and_one_key_person_in_the_singular(tmp_path):
    """A one-room setting with one key person: 'key person' and 'room' in the singular, the rest counted."""
    from scheduler.check import check_workbook

    s = tiny([kid("c1"), kid("c2")], [member("A"), member("S", can_be_key_person=False)])
    found = check_workbook(write_setting(s, tmp_path / "one.xlsx"))
    assert found.summary[0] == "one.xlsx: 2 children, 2 staff, 1 room, 4 sessions; plan date 04/01/2027"
    assert found.rooms == ["R: 2 children, demand 2 places against key-person capacity 8 (1 key person, ratio 1:8)"]


def test_the_why_names_a_lock_and_counts_the_sessions_the_co_worker_covers():
    """A, locked as c's key person ('parents asked'), misses Tue PM; B covers it. The Why says the lock with
    its reason (it used to say only 'kept'), and 'the 1 session Amy misses' (not '1 of the 1 other sessions')."""
    from scheduler import Lock

    s = tiny([kid("c", key_person="A")],
             [named(member("A", "Mon AM,Mon PM,Tue AM"), "Amy Jones"), named(member("B", "Tue PM"), "Bo Li")],
             only(overlap=100), locks=(Lock("c", "A", "key person", "must", "parents asked"),))
    assert Report(plan(s, ON)).assignments.set_index("Child ID").at["c", "Why"] == (
        "Amy works 3 of the child's 4 sessions; a lock says Amy must be key person (parents asked); already their "
        "key person, kept; co-worker Bo covers the 1 session Amy misses and works 1 of the child's 4.")


def test_explain_says_a_co_worker_lock_with_its_reason():
    """B is locked in as c's co-worker ('shares a language with the family'): the co-worker's reasons say
    the lock and why, beside what B brings."""
    from scheduler import Lock
    from scheduler.explain import explain

    s = tiny([kid("c")], [named(member("A"), "Amy Jones"), named(member("B", "Mon AM"), "Bo Li"),
                          named(member("C"), "Cy Dunn")],
             only(overlap=100), locks=(Lock("c", "B", "co-worker", "must", "shares a language with the family"),))
    e = explain(s, "c", ON)
    assert e.result.co_worker["c"] == "B"
    assert e.co_why == ("Bo works 1 of the child's 4 sessions; a lock says Bo must be co-worker (shares a language "
                        "with the family); co-worker for 1 child (fair share 1, cap 8).")


def test_too_few_changes_allowed_is_said_in_words_and_on_the_page_as_its_box():
    """A's cap of 1 forces one of A's two children to change, but no change is allowed: the diagnosis names
    the limit, the count in the singular, and on the page the page's box for it, not --max-changes."""
    s = tiny([kid("c1", key_person="A"), kid("c2", key_person="A")],
             [named(member("A", max_key_children=1), "Amy Jones"), member("B")], only(overlap=100, continuity=60))
    r = plan(s, ON, max_changes=0)
    assert r.status is Status.INFEASIBLE
    assert r.diagnosis[1] == ("Any one of these would make a plan possible: raise Amy Jones (A)'s Max key children "
                              "above 1; or allow more changes (--max-changes).")
    assert r.diagnosis[-1] == ("The rules need at least 1 key-person change (children whose key person is still "
                               "here), more than the 0 allowed: raise --max-changes (or Max changes on the Rules "
                               "sheet) to 1.")
    assert on_page(r.diagnosis[-1]) == (
        "The rules need at least 1 key-person change (children whose key person is still here), more than the 0 "
        "allowed: raise the Most children whose key person may change box on this page (or Max changes on the "
        "Rules sheet) to 1.")
