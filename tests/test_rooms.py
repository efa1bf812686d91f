"""The room-by-room solve: the same plan as the single model, a bound that always holds, and sites."""

from __future__ import annotations

import pytest

from scheduler import Lock, Room, Status, evaluate, generate, plan, read_setting, replace, write_setting
from scheduler.cpsat import CPModel, by_room
from scheduler.cpsat.coworkers import best_co_workers
from scheduler.first_plan import greedy_key_persons
from scheduler.instance import Instance, tie_break
from scheduler.rooms import only_rooms, room_parts
from scheduler.whatif import keep_locks, planned_on
from tests.conftest import ON, kid, member, only, tiny


def across(setting, **rules):
    """The setting with co-workers from other rooms allowed (and any other Rules given)."""
    return replace(setting, rules=replace(setting.rules, co_workers_from_other_rooms=True, **rules))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("from_other_rooms", [False, True])
def test_room_by_room_plan_is_the_single_models_plan(seed, from_other_rooms):
    """On generated three-room settings the room-by-room plan, its points and its proof equal the single
    model's, with co-workers in-room and from any room (tie-breaks included: the same key person and
    co-worker for every child)."""
    setting = generate(45, seed=seed)
    if from_other_rooms:
        setting = across(setting)
    inst = Instance.build(setting)
    assert len(room_parts(inst)) == 3
    one = CPModel(inst).solve(time_limit=30)
    rooms = plan(setting, time_limit=30)
    # seed 0 from any room: one practitioner is co-worker in two rooms beyond their fair share, so the rooms'
    # plans fall 4 points (one co-worker balance point) short of the rooms' bound and one model decides
    assert rooms.parts == (1 if (seed, from_other_rooms) == (0, True) else 3)
    assert rooms.status is one.status is Status.OPTIMAL
    assert (rooms.key_person, rooms.co_worker, rooms.objective) == (one.key_person, one.co_worker, one.objective)
    assert rooms.bound == rooms.objective


def two_rooms_one_afternoon_helper(**rules):
    """Rooms A and B, each a child in Mon AM and PM with one practitioner working Mon AM; X (room C, no
    children) works Mon PM. Every co-worker cap is 1."""
    return tiny([kid("a", "Mon AM,Mon PM", room="A"), kid("b", "Mon AM,Mon PM", room="B")],
                [member("A1", "Mon AM", room="A"), member("B1", "Mon AM", room="B"), member("X", "Mon PM", room="C")],
                replace(only(coverage=10), co_workers_from_other_rooms=True, max_co_worker_children=1, **rules))


def test_a_bound_the_rooms_cannot_reach_together_is_closed_by_one_model():
    """Each room alone takes X as co-worker (both sessions covered: 20 points a room, bound 40), but X can be
    co-worker once: the one plan covers 2 + 1 sessions, 30 points. The rooms' plan falls short of their
    bound, so the setting is solved as one model, which proves 30."""
    result = plan(two_rooms_one_afternoon_helper(), ON, time_limit=10)
    assert result.status is Status.OPTIMAL and result.objective == 30 and result.parts == 1
    assert result.bound == 30
    assert sorted(result.co_worker.values()).count("X") == 1


def test_max_changes_across_rooms_is_kept_by_one_model():
    """A change limit lower than the rooms' plans make together (5 changes, the rules need 2) is kept by
    solving the setting as one model: the plan is the single model's under the same limit, proven."""
    setting = generate(45, seed=13)
    free = plan(setting, time_limit=30)
    inst = Instance.build(setting)
    changes = sum(free.key_person[c] != s for c, s in inst.current_key_person.items())
    needed = CPModel(inst).fewest_changes(30)
    assert needed + 2 <= changes  # the generator's current plan is not the best one, nor the only one
    limit = (needed + changes) // 2
    limited = plan(setting, time_limit=30, max_changes=limit)
    one = CPModel(Instance.build(setting, max_changes=limit)).solve(time_limit=30)
    assert limited.status is Status.OPTIMAL and limited.parts == 1
    assert (limited.key_person, limited.objective) == (one.key_person, one.objective)
    assert limited.bound == limited.objective < free.objective
    assert sum(limited.key_person[c] != s for c, s in inst.current_key_person.items()) <= limit


@pytest.mark.parametrize("sites", [1, 3])
def test_co_pairs_room_by_room_are_the_pair_by_pair_ones(sites):
    """The co-worker pairs listed a room at a time (locks pair by pair) are exactly those the registry's
    reasons allow pair by pair, tie-break weights included, with co-workers from other rooms (and sites)."""
    setting = across(generate(60, seed=4, sites=sites))
    a, b = setting.children[0], setting.children[-1]
    there = Instance.build(setting).co_worker_candidates(b.room)[0].id  # a co-worker from b's room
    locks = (Lock(a.id, there, "co-worker", "must"), Lock(b.id, there, "co-worker", "must not"))
    setting = replace(setting, locks=setting.locks + locks)
    inst = Instance.build(setting)
    fast = inst.co_pairs
    slow = [(c.id, s.id, tie_break("co", c.id, s.id)) for c in inst.children for s in inst.staff
            if inst.co_worker_exclusion(c, s) is None]
    assert list(zip(fast["child"], fast["staff"], fast["tie_break"], strict=True)) == slow
    assert list(fast.loc[fast["child"] == a.id, "staff"]) == ([there] if sites == 1 else [])  # not from Site 3
    assert there not in set(fast.loc[fast["child"] == b.id, "staff"])


def sites_helper(**rules):
    """Room A (Site 1): child a in Mon AM and PM, A1 and A2 working Mon AM. Room B (Site 2): child b in
    Mon AM with B1, B2 (Mon AM) and X working Mon PM."""
    rooms = (Room("A", None, 8, "Site 1"), Room("B", None, 8, "Site 2"))
    return tiny([kid("a", "Mon AM,Mon PM", room="A"), kid("b", "Mon AM", room="B")],
                [member("A1", "Mon AM", room="A"), member("A2", "Mon AM", room="A"),
                 member("B1", "Mon AM", room="B"), member("B2", "Mon AM", room="B"),
                 member("X", "Mon PM", room="B")],
                replace(only(coverage=10), co_workers_from_other_rooms=True, **rules), rooms=rooms)


def test_co_workers_from_other_rooms_come_from_the_same_site():
    """X (Site 2) would cover a's afternoon, but a's co-worker must be from Site 1: A2 (or A1), one
    session for a and one for b, 20 points. With 'Co-workers from other sites' X takes a: 30 points."""
    same = plan(sites_helper(), ON, time_limit=10)
    assert same.status is Status.OPTIMAL and same.objective == 20 and same.co_worker["a"] in {"A1", "A2"}
    anywhere = plan(sites_helper(co_workers_from_other_sites=True), ON, time_limit=10)
    assert anywhere.status is Status.OPTIMAL and anywhere.objective == 30 and anywhere.co_worker["a"] == "X"


def test_checker_flags_a_co_worker_from_another_site():
    """The checker names the room rule for a co-worker from another site, unless the Rules allow it."""
    kp, co = {"a": "A1", "b": "B1"}, {"a": "X", "b": "B2"}
    assert evaluate(sites_helper(), ON, kp, co).broken == {"room"}
    assert evaluate(sites_helper(co_workers_from_other_sites=True), ON, kp, co).broken == set()


def test_rooms_site_column_is_read_back(tmp_path):
    """A workbook written with Rooms' Site reads back with each room's site."""
    path = tmp_path / "group.xlsx"
    write_setting(generate(40, seed=5, sites=2), path)
    sites = {r.name: r.site for r in read_setting(path).rooms}
    assert sites["Site 1 Baby"] == "Site 1" and sites["Site 2 Pre-school"] == "Site 2"


def test_room_move_replans_plan_only_the_rooms_concerned():
    """Each move date's re-plan, of only the rooms children move into, gives every moving child the key
    person and co-worker the whole setting's re-plan gives (everyone else is held either way, as they are on
    the move date: a child moved on an earlier date with their key person from that move)."""
    setting = generate(90, seed=2)
    result = plan(setting, time_limit=30)
    moves = result.transitions
    assert moves is not None and len(moves) >= 2 and moves["Move date"].nunique() >= 2
    for move_date, group in moves.groupby("Move date"):
        planned = planned_on(result, move_date)
        later = replace(planned, locks=planned.locks + keep_locks(planned, move_date, set()))
        whole = plan(later, move_date, time_limit=30, room_moves=False, diagnose=False)
        assert len(only_rooms(later, move_date, set(group["To room"])).children) < len(whole.key_person)
        for child, key, co in zip(group["Child ID"], group["Key person from the move"],
                                  group["Co-worker from the move"], strict=True):
            assert (key, co) == (setting.member(whole.key_person[child]).name,
                                 setting.member(whole.co_worker[child]).name)


def test_rooms_solved_in_parallel_processes_give_the_same_plan(monkeypatch):
    """With the parallel thresholds lowered, the rooms are solved in forked processes (one solver thread
    each) and the plan, its points and its bound are those of the rooms solved one after another."""
    from scheduler.cpsat import by_room

    setting = across(generate(45, seed=1))
    serial = plan(setting, time_limit=30, room_moves=False)
    monkeypatch.setattr(by_room, "PARALLEL_ROOMS", 2)
    monkeypatch.setattr(by_room, "PARALLEL_CHILDREN", 0)
    monkeypatch.setattr(by_room.os, "cpu_count", lambda: 2)
    calls, in_processes = [], by_room._in_processes
    monkeypatch.setattr(by_room, "_in_processes", lambda *a: calls.append(1) or in_processes(*a))
    forked = plan(setting, time_limit=30, room_moves=False)
    assert calls == [1]
    assert forked.parts == serial.parts == 3 and forked.status is Status.OPTIMAL
    assert (forked.key_person, forked.co_worker, forked.objective, forked.bound) == (
        serial.key_person, serial.co_worker, serial.objective, serial.bound)


def test_greedy_key_persons_keep_the_caseload_cap():
    """Two children whose current key person A is capped at one: the greedy first plan keeps A for one
    of them and gives the other to B (A for both would break the cap)."""
    setting = tiny([kid("c1", key_person="A"), kid("c2", key_person="A")],
                   [member("A", max_key_children=1), member("B")])
    key_person = greedy_key_persons(Instance.build(setting))
    assert key_person is not None and sorted(key_person.values()) == ["A", "B"]


def test_greedy_first_plan_keeps_every_hard_rule():
    """On a generated three-room setting the greedy key persons with the flow's co-workers keep every hard
    rule, by the checker."""
    setting = generate(90, seed=4)
    inst = Instance.build(setting)
    key_person = greedy_key_persons(inst)
    assert key_person is not None
    co_worker = best_co_workers(inst, key_person)
    assert co_worker is not None
    assert evaluate(setting, inst.on, key_person, co_worker).violations == []


@pytest.mark.parametrize("search_bound", [False, True])
def test_a_room_whose_search_finds_no_plan_keeps_the_quick_first_plan(monkeypatch, search_bound):
    """When every room's search ends without a plan (as the 450-child room's did in its time), the setting
    still gets a plan, the rooms' greedy first plans, reported as not proven (feasible): with no bound
    when the searches had none to give, with the rooms' bound when they had."""
    monkeypatch.setattr(by_room, "FIRST_PLAN_CHILDREN", 0)
    solve = CPModel.solve

    def no_plan(self, *args, **kwargs):
        result = solve(self, *args, **kwargs)
        result.status, result.objective = Status.TIMED_OUT, None
        result.key_person, result.co_worker = {}, {}
        if not search_bound:
            result.bound = None
        return result

    monkeypatch.setattr(CPModel, "solve", no_plan)
    setting = generate(45, seed=1)
    result = plan(setting, time_limit=30, room_moves=False)
    assert result.parts == 3 and result.status is Status.FEASIBLE and result.objective is not None
    assert evaluate(setting, result.on, result.key_person, result.co_worker).objective == result.objective
    if search_bound:
        assert result.bound is not None and result.objective <= result.bound
    else:
        assert result.bound is None and result.gap is None


@pytest.mark.parametrize("by_highs", [False, True])
@pytest.mark.parametrize("seed", [0, 3, 5])
def test_the_rooms_certified_bound_is_never_below_the_best_plan(seed, by_highs, monkeypatch):
    """The rooms' bound, before any joint solve could tighten it (here switched off), is at least the single
    model's proven optimum and at least the rooms' own plan, with co-workers from any room (where the rooms
    can fall short of it), whether the rooms are solved by CP-SAT or by HiGHS."""
    from scheduler.cpsat import mip

    setting = across(generate(45, seed=seed))
    inst = Instance.build(setting)
    best = CPModel(inst).solve(time_limit=30)
    assert best.status is Status.OPTIMAL
    if by_highs:
        monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    monkeypatch.setattr(by_room, "_jointly", lambda inst, rooms, *args: rooms)
    rooms = by_room.solve_by_room(inst, time_limit=30)
    assert rooms.bound is not None and rooms.bound >= best.objective >= rooms.objective
