"""Build and solve the CP-SAT model for an :class:`Instance`, returning a :class:`Result`.

The build is three steps: :class:`Variables`, the hard rules of
:mod:`.constraints`, the soft terms of :mod:`.objective`. ``CPModel.model`` is
public so a notebook can add a rule of its own before :meth:`CPModel.solve`.

Ties are broken inside the model, in two solves. The first maximises
``scale * objective - key_tie``, where ``key_tie`` sums fixed pseudo-random
16-bit weights of the chosen key-person pairs and ``scale`` exceeds their
largest total: among the best plans, the key persons with the smallest total
weight. The second fixes those key persons and maximises
``scale * objective - co_tie`` over the co-workers. So among equally good
plans exactly one is chosen, and the same workbook gives the same plan
whatever the number of workers. (Measured on the benchmark's 150-child
settings: 3.2 s and 5.0 s in two solves, against 4.7 s and 13.9 s with both
tie-breaks in one solve, and 14-37 s for a tie-break solve after proving the
objective.)

With the key persons fixed, choosing co-workers is a transportation problem:
each child one co-worker other than their key person, each practitioner
within their co-worker cap, a fixed number of points per pair (the
sessions the two together cover, the child's sessions the co-worker works,
co-worker continuity) and a convex cost per practitioner (co-worker balance).
So the second solve is a min-cost flow (:mod:`.coworkers`), exact and in
milliseconds, unless a notebook has added rules of its own to
``CPModel.model``: then it is a CP-SAT solve.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace as dc_replace

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from ..instance import Instance, rows
from ..progress import Progress
from ..result import Result, Status
from . import constraints, coworkers, mip, objective
from .solving import new_solver, run, run_or_raise
from .variables import Variables

# CP-SAT's full-problem workers in the order they are given threads, the one with the full LP relaxation
# (linearization level 2) first: this model's LP bound is within 1% of the optimum from 60 children up,
# and on the benchmark sets the full LP proves optima 2-15 times sooner than CP-SAT's default first
# worker (n300: 4 s against no proof in 60 s, 2 cores). The rest is CP-SAT's default portfolio, for
# machines with more cores.
PORTFOLIO = ("max_lp", "default_lp", "core", "no_lp", "quick_restart", "reduced_costs", "pseudo_costs",
             "lb_tree_search", "probing", "quick_restart_no_lp")


class CPModel:
    def __init__(self, inst: Instance, max_changes: int | None = None,
                 guard: Callable[[tuple], list] = constraints.no_guard):
        start = time.perf_counter()
        if max_changes is not None and max_changes != inst.max_changes:
            inst = dc_replace(inst, max_changes=max_changes)
        self.instance = inst
        self.max_changes = inst.change_limit
        self.model = cp_model.CpModel()
        self.vars = Variables.build(self.model, inst)
        constraints.add_hard_rules(self.model, inst, self.vars, guard)
        self.terms = {name: term(self.model, inst, self.vars) for name, term in objective.TERMS.items()}
        self.objective = cp_model.LinearExpr.sum(list(self.terms.values()))
        self.model.maximize(self.objective)
        self._built = len(self.model.proto.constraints)
        self.build_seconds = time.perf_counter() - start

    def hint(self, key_person: dict[str, str], co_worker: dict[str, str] | None = None) -> None:
        """Suggest a plan (e.g. the current one) as the search's starting point."""
        _hint(self.model, self.vars.key, key_person)
        _hint(self.model, self.vars.co, co_worker or {})

    def hint_current(self) -> None:
        """Start from the current plan when there is a whole one (every child's key person and co-worker
        still here). A partial one is no hint: completing it slowed the benchmark's proofs by a half
        (90 and 120 children: 0.22 -> 0.33 s, 0.46 -> 0.78 s, one worker)."""
        employed = {m.id for m in self.instance.staff}
        children = self.instance.children
        if all(c.key_person in employed and c.co_worker in employed for c in children):
            self.hint({c.id: c.key_person for c in children if c.key_person},
                      {c.id: c.co_worker for c in children if c.co_worker})

    def solve(self, time_limit: float = 30.0, workers: int = 0, log: bool = False,
              progress: Progress | None = None) -> Result:
        """Solve to proven optimality within ``time_limit`` seconds (``workers`` 0 = all cores; a model of
        :data:`.mip.MIP_CHILDREN` children or more goes to HiGHS first, see :mod:`.mip`); ``progress``
        hears of each better plan, and its :meth:`~scheduler.progress.Progress.stop` ends the search as the
        time limit would (the best plan kept, ``interrupted``)."""
        start = time.perf_counter()
        if len(self.instance.children) >= mip.MIP_CHILDREN:
            by_mip = mip.solve(self, time_limit, log, progress)
            if by_mip is not None:
                if len(self.model.proto.constraints) == self._built and not self.instance.handover_from:
                    self._co_workers_by_flow(by_mip)
                if progress is not None and by_mip.objective is not None:
                    progress.found(by_mip.objective)
                return by_mip
            time_limit -= time.perf_counter() - start
        result = Result(self.instance, Status.TIMED_OUT, build_seconds=self.build_seconds,
                        max_changes=self.max_changes)
        scale = self._maximize_with_tie_break()
        solver = self._solver(time_limit, workers, log)
        forget = progress.on_stop(solver.stop_search) if progress else (lambda: None)
        reporter = _Reporter(self.objective, progress) if progress else None
        try:
            code, result.interrupted = run(solver, self.model, reporter)
        finally:
            forget()
        result.interrupted |= bool(progress and progress.stopped and code in (cp_model.FEASIBLE, cp_model.UNKNOWN))
        invalid = self.model.validate() if code == cp_model.MODEL_INVALID else ""  # of the model as solved
        self.model.maximize(self.objective)  # leave the model as built, for a notebook
        if code == cp_model.INFEASIBLE:
            result.status = Status.INFEASIBLE
        elif code == cp_model.MODEL_INVALID:
            result.status = Status.INVALID
            result.diagnosis = [f"CP-SAT rejected the model: {invalid or 'its parameters are invalid'}"]
        elif code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            result.status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
            result.objective = int(solver.value(self.objective))
            # the bound of an integer objective, read as a float (7439015.999999999): rounded, not truncated
            result.bound = float((round(solver.best_objective_bound) + scale - 1) // scale)
            self._read_plan(solver, result)
            left = time_limit - (time.perf_counter() - start)
            # the flow knows no handovers: with one, or with rules added since the build, a CP-SAT solve
            if len(self.model.proto.constraints) == self._built and not self.instance.handover_from:
                result.tie_break_proven = self._co_workers_by_flow(result) and code == cp_model.OPTIMAL
            elif not result.interrupted and left > 0:
                result.tie_break_proven = self._co_workers(result, left, workers, log) and code == cp_model.OPTIMAL
            if code == cp_model.FEASIBLE:
                result.objective = self.points_of(result)
        result.solve_seconds = time.perf_counter() - start
        return result

    def points_of(self, result: Result) -> int:
        """The points of ``result``'s plan (see :meth:`exact_points`), or its objective as reported when the
        plan can't be scored."""
        points = self.exact_points(result)
        return int(result.objective or 0) if points is None else points

    def exact_points(self, result: Result) -> int | None:
        """The points of ``result``'s plan, with every choice in it fixed (key persons, co-workers, and any
        successors and their co-workers within the term); None when the plan breaks a rule. A search stopped
        before its proof may leave a penalty term's helper variables looser than its plan needs (a caseload
        counted further above its fair share than it is), so the objective it reports can fall short of the
        plan's points; with the plan fixed, CP-SAT tightens them at once."""
        model = self.model.clone()
        model.clear_hints()
        for frame, plan in self._choices(result):
            for c, s, var in rows(frame, "child", "staff", "var"):
                model.add(var == int(plan.get(c) == s))
        model.maximize(self.objective)
        solver = self._solver(10.0, 1, False)
        code = run_or_raise(solver, model)
        return int(solver.value(self.objective)) if code == cp_model.OPTIMAL else None

    def _maximize_with_tie_break(self) -> int:
        """Set the first solve's objective (points, then the tie-break of the key persons, and of successors
        and co-workers from a handover within the term); return its scale."""
        v = self.vars
        scale = _scale(v.key) + _scale(v.succ) + _scale(v.next_co) + 1  # one point outweighs every tie-break
        self.model.maximize(scale * self.objective - objective.tie_break(v.key) - objective.tie_break(v.succ)
                            - objective.tie_break(v.next_co))
        return scale

    def validate(self) -> str:
        """CP-SAT's own check of the model as :meth:`solve` solves it: empty when valid, else its reason."""
        self._maximize_with_tie_break()
        try:
            return self.model.validate()
        finally:
            self.model.maximize(self.objective)

    def co_worker_points(self, key_person: dict[str, str]) -> np.ndarray:
        """Each co-worker pair's points (``vars.co`` order) given the key persons (see
        :func:`coworkers.co_worker_points`)."""
        return coworkers.co_worker_points(self.instance, key_person)

    def _co_workers_by_flow(self, result: Result) -> bool:
        """With the key persons fixed, the co-workers by min-cost flow (:func:`coworkers.best_co_workers`);
        True when solved. ``result``'s co-workers and objective are replaced."""
        inst = self.instance
        chosen = coworkers.best_co_workers(inst, result.key_person)
        if chosen is None:
            return False
        assert result.objective is not None  # the first solve found a plan
        before = coworkers.co_worker_score(inst, result.key_person, result.co_worker)
        result.co_worker.update(chosen)
        result.objective += coworkers.co_worker_score(inst, result.key_person, result.co_worker) - before
        return True

    def _co_workers(self, result: Result, time_limit: float, workers: int, log: bool) -> bool:
        """With the key persons fixed, the co-workers with the smallest tie-break weights among the best;
        True when proven."""
        model = self.model.clone()
        # the key persons fixed, and the successors from a handover within the term (tie-broken in the first solve)
        for frame, plan in ((self.vars.key, result.key_person), (self.vars.succ, result.successor)):
            for c, s, var in rows(frame, "child", "staff", "var"):
                model.add(var == int(plan.get(c) == s))
        scale = _scale(self.vars.co) + _scale(self.vars.next_co) + 1
        model.maximize(scale * self.objective - objective.tie_break(self.vars.co)
                       - objective.tie_break(self.vars.next_co))
        model.clear_hints()
        _hint(model, self.vars.co, result.co_worker)
        solver = self._solver(time_limit, workers, log)
        code, result.interrupted = run(solver, model)
        assert result.objective is not None  # the first solve found a plan
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and int(solver.value(self.objective)) >= result.objective:
            self._read_plan(solver, result)  # the same key persons; every child's co-worker replaced
            result.objective = int(solver.value(self.objective))
        return code == cp_model.OPTIMAL

    def fewest_changes(self, time_limit: float = 30.0) -> int | None:
        """The fewest key-person changes any plan keeping the hard rules needs (None if none is found)."""
        current = self.instance.current_key_person
        key = self.vars.key
        kept = [var for c, s, var in rows(key, "child", "staff", "var") if current.get(c) == s]
        self.model.minimize(len(current) - sum(kept))
        solver = self._solver(time_limit, 0, False)
        try:
            code = run_or_raise(solver, self.model)
        finally:
            self.model.maximize(self.objective)
        return round(solver.objective_value) if code == cp_model.OPTIMAL else None

    def _solver(self, time_limit: float, workers: int, log: bool) -> cp_model.CpSolver:
        solver = new_solver(time_limit, workers, log)
        if (workers or os.cpu_count() or 1) == 1:
            solver.parameters.linearization_level = 2  # the single search, with the full LP
        else:
            solver.parameters.subsolvers.extend(PORTFOLIO)
        solver.parameters.random_seed = 0
        return solver

    def _choices(self, result: Result) -> tuple[tuple[pd.DataFrame, dict[str, str]], ...]:
        """Each kind of choice a plan makes: its pair variables, and the result's mapping child -> staff."""
        v = self.vars
        return ((v.key, result.key_person), (v.co, result.co_worker), (v.succ, result.successor),
                (v.next_co, result.next_co_worker))

    def _read_plan(self, solver: cp_model.CpSolver, result: Result) -> None:
        self.read_plan(result, lambda variables: solver.boolean_values(variables).tolist())

    def read_plan(self, result: Result, chosen: Callable[[pd.Series], list[bool]]) -> None:
        """Set ``result``'s choices (key persons, co-workers, successors and their co-workers) from
        ``chosen``, which tells for a column of pair variables which are on (a CP-SAT solution, or HiGHS's)."""
        result.successor.clear()
        result.next_co_worker.clear()
        for frame, plan in self._choices(result):
            for c, s, on in zip(frame["child"].tolist(), frame["staff"].tolist(), chosen(frame["var"]), strict=True):
                if on:
                    plan[c] = s


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Tells a :class:`Progress` of each better plan's points, and stops the search once it is asked to."""

    def __init__(self, points: cp_model.LinearExpr, progress: Progress):
        super().__init__()
        self._points = points
        self._progress = progress

    def on_solution_callback(self) -> None:
        self._progress.found(int(self.value(self._points)))
        if self._progress.stopped:
            self.stop_search()


def _hint(model: cp_model.CpModel, pairs: pd.DataFrame, chosen: dict[str, str]) -> None:
    """Hint each pair (``Variables.key`` or ``.co``) of a child in ``chosen``: on if it is the chosen one."""
    for c, s, var in rows(pairs, "child", "staff", "var"):
        if c in chosen:
            model.add_hint(var, chosen[c] == s)


def _scale(pairs: pd.DataFrame) -> int:
    """The largest total tie-break weight any plan can have over these pairs (one pair per child)."""
    return int(pairs["tie_break"].groupby(pairs["child"]).max().sum())
