"""Planning whole settings: the sample, generated settings, layouts and determinism."""

from __future__ import annotations

import pytest

from scheduler import Report, Status, generate, plan, read_setting, write_setting
from tests.conftest import ON, ROOT, kid, member, only, tiny


def test_the_sample_is_planned_to_proven_optimality():
    """The shipped sample solves optimally; the checker (autouse) confirms every rule and the objective."""
    r = plan(read_setting(ROOT / "data" / "sample-nursery.xlsx"), time_limit=60)
    assert r.status is Status.OPTIMAL and r.bound == r.objective
    a = Report(r).assignments
    assert len(a) == 60 and a["Why"].str.len().min() > 20


@pytest.mark.slow
def test_a_150_child_setting_is_planned_to_proven_optimality():
    """A generated 150-child nursery solves to proven optimality."""
    r = plan(generate(150, seed=2), time_limit=120)
    assert r.status is Status.OPTIMAL


@pytest.mark.parametrize("kind, seed", [("nursery", 3), ("preschool", 4)])
def test_layouts_give_the_same_plan(tmp_path, kind, seed):
    """The same setting written in session columns and in day columns gives the identical plan."""
    s = generate(40, seed=seed, kind=kind)
    plans = []
    for layout in ("sessions", "days"):
        r = plan(read_setting(write_setting(s, tmp_path / f"{layout}.xlsx", layout)), time_limit=60)
        plans.append((r.key_person, r.co_worker))
    assert plans[0] == plans[1]


def test_same_plan_whatever_the_number_of_workers():
    """Eight children, four identical practitioners: many equally good plans, yet one answer every run."""
    s = tiny([kid(f"c{i}") for i in range(8)], [member(x) for x in "ABCD"])
    runs = [plan(s, ON, workers=w) for w in (1, 2, 1, 2, 8)]
    assert all((r.key_person, r.co_worker) == (runs[0].key_person, runs[0].co_worker) for r in runs)


def test_tables_for_analysts():
    """Report tables: one assignment row per child, a caseload row per practitioner, a daily record."""
    s = generate(30, seed=7)
    r = Report(plan(s, time_limit=30))
    assert list(r.assignments["Child ID"]) == [c.id for c in s.children]
    assert len(r.caseloads) == len(s.staff)
    assert r.caseloads["Weighted load"].sum() == sum(2 if c.needs_enhanced_support else 1 for c in s.children)
    assert len(r.week) == sum(len(c.sessions) for c in s.children)
    assert r.metrics["children"] == 30 and 0 <= r.metrics["coverage_pct"] <= 100


def test_tie_break_weights_rarely_tie_on_a_swap():
    """Swapping two children between two practitioners leaves the tie-break sum equal about once in
    65,536 swaps (79,650 swaps here: chance allows a handful; CRC32's XOR structure gave 402)."""
    import itertools

    from scheduler.instance import tie_break
    kids = [f"C{i:03d}" for i in range(1, 61)]
    staff = [f"S{i:02d}" for i in range(1, 11)]
    ties = sum(tie_break("key", a, x) + tie_break("key", b, y) == tie_break("key", a, y) + tie_break("key", b, x)
               for a, b in itertools.combinations(kids, 2) for x, y in itertools.combinations(staff, 2))
    assert ties <= 10


def test_ties_go_to_the_smallest_key_then_co_worker_weights():
    """Three children, three identical practitioners with caps of 1 (so 1 key child and 1 co-child
    each): all 12 rule-abiding plans score the same. Enumerating every assignment, the plan must be the
    one whose key-person tie-break weights are smallest, then, with those key persons, whose co-worker
    weights are smallest (the two solves of CPModel.solve)."""
    from itertools import product

    from scheduler import Room, evaluate
    from scheduler.instance import tie_break

    s = tiny([kid(f"c{i}") for i in range(3)], [member(x) for x in "ABC"], rooms=(Room("R", 1, 8),))
    best = None
    for key in product("ABC", repeat=3):
        for co in product("ABC", repeat=3):
            kp, cw = dict(zip(["c0", "c1", "c2"], key, strict=True)), dict(zip(["c0", "c1", "c2"], co, strict=True))
            ev = evaluate(s, ON, kp, cw)
            if ev.violations:
                continue
            rank = (-ev.objective, sum(tie_break("key", c, x) for c, x in kp.items()),
                    sum(tie_break("co", c, x) for c, x in cw.items()))
            best = min(best or (rank, kp, cw), (rank, kp, cw), key=lambda r: r[0])
    r = plan(s, ON)
    assert (r.key_person, r.co_worker) == (best[1], best[2]) and r.tie_break_proven


@pytest.mark.parametrize("co_cap, balance", [(None, 4), (5, 4), (None, 30)])
def test_co_worker_flow_agrees_with_the_co_worker_solve(co_cap, balance):
    """With key persons fixed, the co-workers come from a min-cost flow; a model a notebook has added a
    rule to gets them from a CP-SAT solve instead. A rule that binds nothing must give the same plan
    both ways, with the Rules' co-worker cap binding (5: without it someone co-works 7) and without, and
    with co-worker balance at its default weight and weighing more than co-worker continuity."""
    from scheduler import replace
    from scheduler.cpsat import CPModel
    from scheduler.instance import Instance

    s = generate(40, seed=12)
    s = replace(s, rules=replace(s.rules, max_co_worker_children=co_cap, weight_co_worker_balance=balance))
    inst = Instance.build(s)
    by_flow = CPModel(inst).solve(time_limit=60)
    model = CPModel(inst)
    model.model.add(sum(model.vars.co["var"]) == len(inst.children))  # true of every plan
    by_solve = model.solve(time_limit=60)
    assert by_flow.status is by_solve.status is Status.OPTIMAL
    assert by_flow.tie_break_proven and by_solve.tie_break_proven
    assert (by_flow.key_person, by_flow.co_worker, by_flow.objective) == \
        (by_solve.key_person, by_solve.co_worker, by_solve.objective)
    if co_cap:
        assert max(list(by_flow.co_worker.values()).count(x) for x in set(by_flow.co_worker.values())) == co_cap


def test_a_rule_added_in_a_notebook_binds_the_co_workers():
    """Two children; A works every session, B and C Mondays only; overlap is the only weight. A is both
    children's key person (100 points each against 50), and B and C score the same as co-workers, so the
    tie-break picks c0's. A rule added to the model giving c0 the other one must be kept."""
    from scheduler.cpsat import CPModel
    from scheduler.instance import Instance

    s = tiny([kid("c0"), kid("c1")], [member("A"), member("B", "Mon AM,Mon PM"), member("C", "Mon AM,Mon PM")],
             rules=only(overlap=100))
    inst = Instance.build(s, ON)
    free = CPModel(inst).solve(time_limit=10)
    other = ({"B", "C"} - {free.co_worker["c0"]}).pop()
    model = CPModel(inst)
    co = model.vars.co
    model.model.add(co.loc[(co["child"] == "c0") & (co["staff"] == other), "var"].item() == 1)
    r = model.solve(time_limit=10)
    assert free.key_person == r.key_person == {"c0": "A", "c1": "A"} and free.objective == r.objective == 200
    assert r.co_worker["c0"] == other


def test_the_current_plan_is_a_hint_only_when_whole():
    """Two children, A and B: with both children's key person and co-worker given, the search starts
    from them (one hint a pair variable); with one co-worker missing, from nothing."""
    from dataclasses import replace as with_

    from scheduler.cpsat import CPModel
    from scheduler.instance import Instance

    whole = tiny([kid("c0", key_person="A", co_worker="B"), kid("c1", key_person="B", co_worker="A")],
                 [member("A"), member("B")])
    model = CPModel(Instance.build(whole, ON))
    model.hint_current()
    assert len(model.model.proto.solution_hint.vars) == len(model.vars.key) + len(model.vars.co) == 8
    partial = with_(whole, children=(whole.children[0], with_(whole.children[1], co_worker=None)))
    model = CPModel(Instance.build(partial, ON))
    model.hint_current()
    assert len(model.model.proto.solution_hint.vars) == 0


def test_a_key_group_at_the_limit_is_warned():
    """In a 1:3 room A has three key children in on Mon AM (B works no sessions, so has none): their shares
    add up to one whole adult, and the Warnings say so for A alone."""
    from scheduler import Room

    s = tiny([kid(f"c{i}", "Mon AM") for i in range(3)], [member("A"), member("B", "")], only(overlap=100),
             rooms=(Room("R", 8, 3),))
    w = Report(plan(s, ON)).warnings
    at_limit = w[w["Kind"] == "at key group limit"]
    assert at_limit["Who"].tolist() == ["A"]
    assert at_limit["Message"].iloc[0] == ("Staff A's key children present on Mon AM need one whole adult, the "
                                           "most the key group limit allows")
