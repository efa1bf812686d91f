"""Running CP-SAT so that Ctrl-C (or a stop signal) means the same thing at every moment.

CP-SAT installs a SIGINT handler of its own during a solve and, after the
first one, leaves SIGINT at its default action (the process dies with no
message and temporary files stay behind). So every solver here is made with
``catch_sigint_signal`` off, and :func:`run` solves in a worker thread while
the main thread waits: a KeyboardInterrupt (Python's own SIGINT handler, or
the command's SIGTERM handler) reaches the main thread at once, stops the
search, and the solve returns the best solution found so far, flagged as
interrupted. The same model and parameters give the same answer either way.
"""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model


def new_solver(time_limit: float, workers: int = 0, log: bool = False) -> cp_model.CpSolver:
    """A CpSolver with ``time_limit`` seconds (at least 0.01), ``workers`` threads and no SIGINT handler."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    solver.parameters.log_search_progress = log
    return solver


def run(solver: cp_model.CpSolver, model: cp_model.CpModel,
        callback: cp_model.CpSolverSolutionCallback | None = None) -> tuple[int, bool]:
    """Solve ``model`` (``callback`` hears of each solution); return CP-SAT's status code and whether a
    KeyboardInterrupt stopped the search.

    The interrupt is absorbed: the caller decides what a stopped search means (a plan so far, or raise).
    """
    solver.parameters.catch_sigint_signal = False
    outcome: dict[str, object] = {}
    done = threading.Event()

    def solve() -> None:
        try:
            outcome["code"] = solver.solve(model, callback)
        except BaseException as exc:  # handed to the main thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=solve, name="cp-sat", daemon=True).start()
    interrupted = False
    while True:
        try:
            if interrupted:
                done.wait()
            elif not done.wait(0.2):
                continue
            break
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()  # the search stops within milliseconds; further interrupts wait for it
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return int(outcome["code"]), interrupted  # type: ignore[call-overload]


def run_or_raise(solver: cp_model.CpSolver, model: cp_model.CpModel) -> int:
    """:func:`run` for a solve whose partial answer is of no use: an interrupt is raised again, after the
    search has stopped."""
    code, interrupted = run(solver, model)
    if interrupted:
        raise KeyboardInterrupt
    return code
