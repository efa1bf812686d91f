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
objective; the co-worker solve takes 0.2 s.)
"""

from __future__ import annotations

import time
from typing import Callable

from ortools.sat.python import cp_model

from ..instance import Instance
from ..result import Result, Status
from . import constraints, objective
from .variables import Variables


class CPModel:
    def __init__(self, inst: Instance, max_changes: int | None = None,
                 guard: Callable[[tuple], list] = constraints.no_guard):
        start = time.perf_counter()
        self.instance = inst
        self.max_changes = max_changes if max_changes is not None else inst.setting.rules.max_changes
        self.model = cp_model.CpModel()
        self.vars = Variables.build(self.model, inst)
        for rule in constraints.RULES:
            rule(self.model, inst, self.vars, guard)
        constraints.max_changes(self.model, inst, self.vars, self.max_changes, guard)
        self.terms = {name: term(self.model, inst, self.vars) for name, term in objective.TERMS.items()}
        self.objective = sum(self.terms.values())
        self.model.maximize(self.objective)
        self.build_seconds = time.perf_counter() - start

    def hint(self, key_person: dict[str, str], co_worker: dict[str, str] | None = None) -> None:
        """Suggest a plan (e.g. the current one) as the search's starting point."""
        co_worker = co_worker or {}
        for frame, chosen in ((self.vars.key, key_person), (self.vars.co, co_worker)):
            for c, s, var in zip(frame["child"], frame["staff"], frame["var"]):
                if c in chosen:
                    self.model.add_hint(var, chosen[c] == s)

    def hint_current(self) -> None:
        self.hint({c.id: c.key_person for c in self.instance.children if c.key_person},
                  {c.id: c.co_worker for c in self.instance.children if c.co_worker})

    def solve(self, time_limit: float = 30.0, workers: int = 0, log: bool = False) -> Result:
        """Solve to proven optimality within ``time_limit`` seconds (``workers`` 0 = all cores)."""
        start = time.perf_counter()
        result = Result(self.instance, Status.TIMED_OUT, build_seconds=self.build_seconds,
                        max_changes=self.max_changes)
        key, co = self.vars.key, self.vars.co
        scale = _scale(key) + 1  # one point of objective outweighs every key tie-break weight together
        self.model.maximize(scale * self.objective - objective.tie_break(key))
        solver = self._solver(time_limit, workers, log)
        code = solver.solve(self.model)
        self.model.maximize(self.objective)  # leave the model as built, for a notebook
        result.interrupted = (code in (cp_model.FEASIBLE, cp_model.UNKNOWN)
                              and solver.wall_time < 0.95 * time_limit)
        if code == cp_model.INFEASIBLE:
            result.status = Status.INFEASIBLE
        elif code == cp_model.MODEL_INVALID:
            result.status = Status.INVALID
            result.diagnosis = [self.model.validate()]
        elif code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            result.status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
            result.objective = int(solver.value(self.objective))
            result.bound = float((int(solver.best_objective_bound) + scale - 1) // scale)
            self._read_plan(solver, result)
            left = time_limit - (time.perf_counter() - start)
            if not result.interrupted and left > 0:
                result.tie_break_proven = self._co_workers(result, left, workers, log) and code == cp_model.OPTIMAL
        result.solve_seconds = time.perf_counter() - start
        return result

    def _co_workers(self, result: Result, time_limit: float, workers: int, log: bool) -> bool:
        """With the key persons fixed, the co-workers with the smallest tie-break weights among the best;
        True when proven."""
        model = self.model.clone()
        for var, chosen in zip(self.vars.key["var"], self.vars.key["staff"] == self.vars.key["child"].map(
                result.key_person)):
            model.add(var == int(chosen))
        scale = _scale(self.vars.co) + 1
        model.maximize(scale * self.objective - objective.tie_break(self.vars.co))
        model.clear_hints()
        for c, s, var in zip(self.vars.co["child"], self.vars.co["staff"], self.vars.co["var"]):
            model.add_hint(var, result.co_worker.get(c) == s)
        solver = self._solver(time_limit, workers, log)
        code = solver.solve(model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and int(solver.value(self.objective)) >= result.objective:
            self._read_plan(solver, result)  # the same key persons; every child's co-worker replaced
        return code == cp_model.OPTIMAL

    def fewest_changes(self, time_limit: float = 30.0) -> int | None:
        """The fewest key-person changes any plan keeping the hard rules needs (None if none is found)."""
        current = self.instance.current_key_person
        key = self.vars.key
        kept = [var for c, s, var in zip(key["child"], key["staff"], key["var"]) if current.get(c) == s]
        self.model.minimize(len(current) - sum(kept))
        solver = self._solver(time_limit, 0, False)
        code = solver.solve(self.model)
        self.model.maximize(self.objective)
        return round(solver.objective_value) if code == cp_model.OPTIMAL else None

    def _solver(self, time_limit: float, workers: int, log: bool) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 0
        solver.parameters.log_search_progress = log
        return solver

    def _read_plan(self, solver: cp_model.CpSolver, result: Result) -> None:
        for frame, plan in ((self.vars.key, result.key_person), (self.vars.co, result.co_worker)):
            values = solver.boolean_values(frame["var"])
            for c, s, on in zip(frame["child"], frame["staff"], values):
                if on:
                    plan[c] = s


def _scale(pairs) -> int:
    """The largest total tie-break weight any plan can have over these pairs (one pair per child)."""
    return int(pairs["tie_break"].groupby(pairs["child"]).max().sum())
