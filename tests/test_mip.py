"""Large rooms by HiGHS: the CP-SAT model read as a mixed-integer program, solved to the same optimum."""

from __future__ import annotations

import itertools
import random
import threading

import numpy as np
import pytest
from ortools.sat.python import cp_model

from scheduler import Progress, Status, generate, plan, replace
from scheduler.cpsat import CPModel, mip
from scheduler.instance import Instance


def test_program_keeps_exactly_the_assignments_cp_sat_keeps():
    """Every kind of constraint the model uses (at most one, exactly one, a clause, a linear row over
    negated literals, enforced rows on either side, with a negated enforcement literal): over all 128
    assignments of four Booleans and an integer in 0-7, the program's rows hold exactly where CP-SAT
    finds the assignment feasible, and the program's points equal the model's objective there."""
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{i}") for i in range(4)]
    y = m.new_int_var(0, 7, "y")
    m.add_at_most_one(x[0], ~x[1])
    m.add_exactly_one(x[1], x[2], x[3])
    m.add_bool_or(~x[0], x[3], x[2])
    m.add(2 * x[0] + y - 3 * ~x[2] <= 5)
    m.add(x[1] + y >= 3).only_enforce_if(x[3])
    m.add(y <= 2).only_enforce_if(~x[0])
    m.add(y - x[1] >= 1)
    m.maximize(5 * x[0] - 2 * ~x[1] + y + 1)
    prog = mip.program(m)
    assert prog is not None
    A = np.zeros((len(prog.row_lower), 5))
    for r in range(len(prog.row_lower)):
        for k in range(prog.starts[r], prog.starts[r + 1]):
            A[r, prog.index[k]] += prog.value[k]
    feasible = 0
    for *bits, value in itertools.product((0, 1), (0, 1), (0, 1), (0, 1), range(8)):
        fixed = m.clone()
        for var, v in zip([fixed.get_bool_var_from_proto_index(i) for i in range(4)], bits, strict=True):
            fixed.add(var == v)
        fixed.add(fixed.get_int_var_from_proto_index(4) == value)
        solver = cp_model.CpSolver()
        ok = solver.solve(fixed) == cp_model.OPTIMAL
        point = np.array([*bits, value], dtype=float)
        activity = A @ point
        assert ok == bool(np.all(activity >= prog.row_lower - 1e-9) and np.all(activity <= prog.row_upper + 1e-9)), \
            (bits, value)
        if ok:
            feasible += 1
            assert prog.points(float(prog.cost @ point)) == pytest.approx(solver.objective_value)
    assert 0 < feasible < 128  # the rows cut some assignments and keep others


def test_a_model_with_no_linear_form_is_left_to_cp_sat():
    """A constraint kind the program can't hold (here a multiplication) makes program() say None, so
    CP-SAT solves the model instead."""
    m = cp_model.CpModel()
    a, b, c = (m.new_int_var(0, 3, n) for n in "abc")
    m.add_multiplication_equality(c, [a, b])
    m.maximize(c)
    assert mip.program(m) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_highs_proves_the_optimum_cp_sat_proves(seed, monkeypatch):
    """With every room handed to HiGHS, plan() proves the same points as CP-SAT alone on generated
    three-room settings (siblings, SEN, languages, locks from the generator; a change limit on seed 2), and
    every plan passes the checker (conftest). Ties may be broken differently, so the points are compared."""
    setting = generate(45, seed=seed)
    limit = 6 if seed == 2 else None
    exact = plan(setting, time_limit=30, max_changes=limit, room_moves=False)
    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    by_highs = plan(setting, time_limit=30, max_changes=limit, room_moves=False)
    assert exact.status is by_highs.status is Status.OPTIMAL
    assert by_highs.objective == exact.objective == by_highs.bound
    assert by_highs.tie_break_proven is False


def test_a_plan_highs_has_not_proven_is_not_called_best(monkeypatch):
    """HiGHS stopped by its time limit with the best plan and a bound 10 points above it (its answer
    altered so, on a 30-child room): the plan is kept, said not proven, with that bound."""
    real = mip.highs

    def stopped_early(prog, *args, **kwargs):
        answer = real(prog, *args, **kwargs)
        answer["status"] = "Time limit reached"
        answer["bound"] += 10 * prog.sign  # points = sign * (bound + offset): 10 points more
        return answer

    setting = generate(30, seed=6, kind="preschool")
    exact = plan(setting, time_limit=30, room_moves=False)
    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    monkeypatch.setattr(mip, "highs", stopped_early)
    early = plan(setting, time_limit=30, room_moves=False)
    assert early.status is Status.FEASIBLE and early.objective == exact.objective
    assert early.bound == exact.objective + 10


def test_highs_plans_are_the_same_each_time_and_for_any_number_of_workers(monkeypatch):
    """One room of 60 children planned by HiGHS three times (0, 1 and 2 workers): the same plan each time."""
    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    setting = generate(60, seed=4, kind="preschool")
    plans = [plan(setting, time_limit=30, workers=w, room_moves=False) for w in (0, 1, 2)]
    assert {p.status for p in plans} == {Status.OPTIMAL}
    assert all((p.key_person, p.co_worker) == (plans[0].key_person, plans[0].co_worker) for p in plans)


def market_split(seed: int = 7, rows: int = 4, columns: int = 30) -> dict:
    """A market-split problem (Cornuéjols and Dawande): equality rows of random weights, each summing to
    half its total, which branch and bound takes hours to settle at this size."""
    rng = random.Random(seed)
    a = np.array([[rng.randint(0, 99) for _ in range(columns)] for _ in range(rows)], dtype=float)
    half = np.floor(a.sum(axis=1) / 2)
    return {"cost": np.zeros(columns), "lower": np.zeros(columns), "upper": np.ones(columns),
            "integer": np.ones(columns, dtype=bool), "row_lower": half, "row_upper": half,
            "starts": np.arange(0, rows * columns + 1, columns, dtype=np.int32),
            "index": np.tile(np.arange(columns, dtype=np.int32), rows), "value": a.ravel(),
            "time_limit": 60.0, "log": False}


@pytest.mark.parametrize("after", [0.0, 0.5])
def test_a_stop_ends_highs_search_and_its_answer_still_comes_back(after):
    """A stop asked at once (while HiGHS's process is starting) or half a second into the search ends a
    search that would run for its whole minute: the process answers, interrupted, not at its time limit."""
    progress = Progress()
    threading.Timer(after, progress.stop).start()
    answer = mip._run(market_split(), progress)
    assert answer["interrupted"] is True
    assert answer["status"] == "Interrupted by user"


def test_a_large_single_room_is_planned_by_highs(monkeypatch):
    """A one-room setting at or above MIP_CHILDREN goes to HiGHS (its plan is not tie-break proven) and is
    proven best at CP-SAT's optimum; just below, CP-SAT plans it with its tie-break proven."""
    setting = generate(40, seed=5, kind="preschool")
    inst = Instance.build(setting)
    assert len({c.room for c in inst.children}) == 1
    monkeypatch.setattr(mip, "MIP_CHILDREN", len(inst.children) + 1)
    exact = plan(setting, time_limit=30, room_moves=False)
    monkeypatch.setattr(mip, "MIP_CHILDREN", len(inst.children))
    by_highs = plan(setting, time_limit=30, room_moves=False)
    assert exact.tie_break_proven and not by_highs.tie_break_proven
    assert exact.status is by_highs.status is Status.OPTIMAL and exact.objective == by_highs.objective


def test_cp_sat_decides_when_the_model_has_a_rule_with_no_linear_form(monkeypatch):
    """A rule a notebook adds with no linear form (here a product) leaves the room to CP-SAT, which keeps
    the rule."""
    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    setting = generate(30, seed=6, kind="preschool")
    model = CPModel(Instance.build(replace(setting, rules=replace(setting.rules))))
    n = model.model.new_int_var(0, 4, "n")
    model.model.add_multiplication_equality(n, [n, n])
    result = model.solve(time_limit=30)
    assert result.status is Status.OPTIMAL and result.tie_break_proven


def test_a_failed_highs_process_leaves_the_room_to_cp_sat(monkeypatch):
    """When HiGHS's process can't run (here its script is one that exits at once with an error, as a missing
    highspy would), the room is planned by CP-SAT all the same: proven, with its tie-break."""
    monkeypatch.setattr(mip, "MIP_CHILDREN", 1)
    monkeypatch.setattr(mip, "CHILD", mip.CHILD.with_name("no_such_highs_child.py"))
    result = plan(generate(30, seed=6, kind="preschool"), time_limit=30, room_moves=False)
    assert result.status is Status.OPTIMAL and result.tie_break_proven
