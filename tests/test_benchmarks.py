"""The benchmark peers: HiGHS on the translated MIP must agree with CP-SAT (an independent solver
checking our optimum), the greedy peer is scored honestly, and the flow floor solves."""

from __future__ import annotations

import sys

import pytest

from scheduler import generate, plan
from scheduler.instance import Instance
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import peers  # noqa: E402


@pytest.fixture(scope="module")
def setting():
    return generate(30, seed=11)


def test_highs_on_the_translated_mip_finds_the_same_optimum(setting):
    """HiGHS (its own process) on the translated MIP proves the same optimum as CP-SAT, and the LP
    relaxation bounds it from above."""
    inst = Instance.build(setting)
    ours = plan(setting, time_limit=60)
    highs = peers.mip(inst, 60)
    lp = peers.mip(inst, 60, relax=True)
    assert highs["status"] == "optimal" and highs["objective"] == ours.objective
    assert lp["bound"] >= ours.objective


def test_greedy_is_scored_by_the_checker(setting):
    """The greedy peer gives everyone a key person; its score never beats the proven optimum."""
    inst = Instance.build(setting)
    row = peers.greedy(inst)
    assert row["objective"] <= plan(setting, time_limit=60).objective
    assert row["status"] in ("feasible", "violates rules") and (row["violations"] > 0) == (row["status"] != "feasible")


def test_flow_floor_solves_the_key_person_core(setting):
    row = peers.flow(Instance.build(setting))
    assert row["status"] == "optimal" and row["core_points"] > 0
