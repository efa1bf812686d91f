"""Large rooms by HiGHS's branch and bound: the CP-SAT model itself, read as a mixed-integer program.

Measured on this machine (2 cores), the 450-child Pre-school room of the curve's 1,000-child setting:
CP-SAT ended 0.94% below its bound (121,025 points against 122,170) after 60 s on two threads, where
HiGHS proved the optimum, 122,017 points, in 15 s on one (SCIP: the same optimum in 37 s). From about
150 children a room HiGHS proves the optimum 2-4 times sooner than CP-SAT (150, 180 and 270 children:
3.7, 8.9 and 7.0 s against 8.5, 20.6 and 27.5 s, at load 3-4); below that the two are alike.

So :meth:`CPModel.solve` hands rooms of :data:`MIP_CHILDREN` children or more to :func:`solve`. The
program is the built CP-SAT model, constraint by constraint (an at-most-one, exactly-one or clause as
one linear row; an enforced linear row by a big-M from its variables' bounds), so no rule has a
second copy here, and rules a notebook adds come along. HiGHS runs in a process of its own, from
:mod:`.highs_child` (highspy and OR-Tools each bundle a HiGHS: a process each keeps them apart, and a
stop signal ends its search with the best plan kept). Its plan is read back and scored exactly by
CP-SAT with every choice fixed; its bound, a float, is rounded down to whole points.

Among equally good plans HiGHS keeps its own choice (one thread and a fixed seed, so the same workbook
gives the same plan), not the one CPModel's tie-break weights pick: ``tie_break_proven`` stays False.
"""

from __future__ import annotations

import logging
import math
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from ..progress import Progress
from ..result import Result, Status

if TYPE_CHECKING:
    from .cpmodel import CPModel

log = logging.getLogger("keyperson")

MIP_CHILDREN = 150  # rooms of this many children or more are solved by HiGHS (see the module docstring)
CHILD = Path(__file__).with_name("highs_child.py")


@dataclass
class Program:
    """``minimise cost @ x`` over whole numbers ``lower <= x <= upper`` and ``row_lower <= A x <= row_upper``,
    A in compressed rows (``starts``, ``index``, ``value``). The model's points are
    ``sign * (cost @ x + offset)``."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    value: np.ndarray
    offset: float
    sign: float

    def points(self, objective: float) -> float:
        return self.sign * (objective + self.offset)


def proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message (``CpModel.proto`` is a wrapper that can't be read field by field)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.pb"
        model.export_to_file(str(path))
        out = cp_model_pb2.CpModelProto()
        out.ParseFromString(path.read_bytes())
        return out


def program(model: cp_model.CpModel) -> Program | None:
    """``model`` (its constraints and objective) as a :class:`Program`; None when a constraint has no
    linear form here (a domain with holes, several enforcement literals, or a kind other than at most one,
    exactly one, clause and linear)."""
    p = proto(model)
    lower = np.array([v.domain[0] for v in p.variables], dtype=float)
    upper = np.array([v.domain[-1] for v in p.variables], dtype=float)
    if any(len(v.domain) != 2 for v in p.variables):
        return None
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    starts: list[int] = [0]
    index: list[int] = []
    value: list[float] = []

    def row(refs: list[int], coeffs: list[float], lo: float, hi: float) -> None:
        """Add ``lo <= sum(coeff * literal) <= hi``, a negated literal ``-r-1`` read as ``1 - x[r]`` (the
        objective's and a linear row's references are never negated: CP-SAT writes ``1 - x`` for them)."""
        constant = 0.0
        for r, c in zip(refs, coeffs, strict=True):
            if r < 0:
                constant += c
                index.append(-r - 1)
                value.append(-c)
            else:
                index.append(r)
                value.append(c)
        starts.append(len(index))
        rows_lo.append(lo - constant)
        rows_hi.append(hi - constant)

    for ct in p.constraints:
        kind = ct.WhichOneof("constraint")
        if kind in ("at_most_one", "exactly_one", "bool_or"):
            if ct.enforcement_literal:
                return None
            literals = list(getattr(ct, kind).literals)
            lo, hi = {"at_most_one": (-math.inf, 1), "exactly_one": (1, 1), "bool_or": (1, math.inf)}[kind]
            row(literals, [1.0] * len(literals), lo, hi)
        elif kind == "linear":
            if len(ct.linear.domain) != 2 or len(ct.enforcement_literal) > 1:
                return None
            refs, coeffs = list(ct.linear.vars), [float(c) for c in ct.linear.coeffs]
            lo, hi = float(ct.linear.domain[0]), float(ct.linear.domain[1])
            least = sum(c * (lower[v] if c > 0 else upper[v]) for v, c in zip(refs, coeffs, strict=True))
            most = sum(c * (upper[v] if c > 0 else lower[v]) for v, c in zip(refs, coeffs, strict=True))
            if not ct.enforcement_literal:
                row(refs, coeffs, lo if lo > least else -math.inf, hi if hi < most else math.inf)
                continue
            (e,) = ct.enforcement_literal  # when e holds the row holds; else it may reach its extremes
            if hi < most:  # sum + (most - hi) e <= most
                row([*refs, e], [*coeffs, most - hi], -math.inf, most)
            if lo > least:  # sum - (lo - least) e >= least
                row([*refs, e], [*coeffs, least - lo], least, math.inf)
        else:
            return None
    cost = np.zeros(len(p.variables))
    np.add.at(cost, np.array(p.objective.vars, dtype=int), np.array(p.objective.coeffs, dtype=float))
    offset = float(p.objective.offset)
    return Program(cost, lower, upper, np.array(rows_lo), np.array(rows_hi),
                   np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32), np.array(value),
                   offset, float(p.objective.scaling_factor or 1))


def solve(cpm: CPModel, time_limit: float, log_search: bool = False,
          progress: Progress | None = None) -> Result | None:
    """The built model ``cpm`` solved by HiGHS within ``time_limit`` seconds, its plan scored exactly;
    None when the model has no linear form here, HiGHS's process failed, or HiGHS found no plan or says
    there is none (CP-SAT then decides: its answer is exact). ``progress``'s stop ends the search with its best plan."""
    begin = time.perf_counter()
    prog = program(cpm.model)
    if prog is None:
        log.info("the model has a constraint with no linear form: CP-SAT solves it")
        return None
    translated = time.perf_counter()
    try:
        answer = highs(prog, time_limit - (translated - begin), log_search, progress)
    except RuntimeError as exc:  # HiGHS's process failed (highspy missing or broken, memory): CP-SAT decides
        log.warning("%s: CP-SAT solves the room", exc)
        return None
    searched = time.perf_counter()
    result = Result(cpm.instance, Status.TIMED_OUT, build_seconds=cpm.build_seconds, max_changes=cpm.max_changes)
    result.interrupted = answer.pop("interrupted")
    if answer["x"] is None:
        return None
    on = answer["x"] > 0.5
    cpm.read_plan(result, lambda variables: [bool(on[v.index]) for v in variables])
    points = cpm.exact_points(result)
    if points is None:  # rounding broke a rule: never seen, but then CP-SAT decides
        log.warning("HiGHS's plan breaks a rule when rounded: CP-SAT solves the room")
        return None
    result.objective = points
    if math.isfinite(answer["bound"]):  # a float: rounded down to whole points, never below the plan's
        result.bound = float(max(points, math.floor(prog.points(answer["bound"]) + 1e-6)))
    proven = answer["status"] == "Optimal" and result.bound is not None and points >= result.bound
    result.status = Status.OPTIMAL if proven else Status.FEASIBLE
    result.solve_seconds = time.perf_counter() - begin
    log.info("HiGHS: %s, %d points, bound %s, in %.2f s: translating %.2f s, searching %.2f s, scoring %.2f s",
             answer["status"], points, result.bound, result.solve_seconds, translated - begin, searched - translated,
             time.perf_counter() - searched)
    return result


def highs(prog: Program, time_limit: float, log_search: bool = False, progress: Progress | None = None,
          relax: bool = False) -> dict:
    """HiGHS (one thread, a fixed seed, no gap tolerated) on ``prog`` within ``time_limit`` seconds, in its own
    process: a dict of its ``status`` in its words, its best ``x`` (None without one), its ``bound`` on
    ``cost @ x`` and whether ``progress``'s stop or a KeyboardInterrupt ``interrupted`` it. ``relax``: the
    program with no whole-number columns (the LP relaxation, for benchmarks)."""
    job = {name: getattr(prog, name) for name in
           ("cost", "lower", "upper", "row_lower", "row_upper", "starts", "index", "value")}
    job |= {"integer": np.full(len(prog.cost), not relax), "time_limit": max(0.01, time_limit), "log": log_search}
    return _run(job, progress)


def _run(job: dict, progress: Progress | None) -> dict:
    """Run :mod:`.highs_child` on ``job``; a KeyboardInterrupt here, or ``progress``'s stop, closes its input,
    which ends its search, and its best plan so far is still read (``interrupted`` set)."""
    child = subprocess.Popen([sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=None if job["log"] else subprocess.DEVNULL, start_new_session=True)
    assert child.stdin is not None and child.stdout is not None
    to_child, from_child = child.stdin, child.stdout
    lock = threading.Lock()
    stopped, sent = threading.Event(), threading.Event()

    def close() -> None:
        try:
            to_child.close()
        except BrokenPipeError:  # it has ended already: its exit code says how
            pass

    def send() -> None:
        with lock:
            try:
                to_child.write(pickle.dumps(job))
                to_child.flush()
            except BrokenPipeError:
                pass
            sent.set()
            if stopped.is_set():  # asked to stop while sending
                close()

    def stop() -> None:
        with lock:  # the closed input means "stop" once the program is sent
            if not stopped.is_set():
                stopped.set()
                if sent.is_set():
                    close()

    out: dict[str, bytes] = {}
    talk = threading.Thread(target=lambda: out.setdefault("answer", from_child.read()), daemon=True)
    talk.start()
    forget = progress.on_stop(stop) if progress else (lambda: None)
    try:
        send()
        while talk.is_alive():
            try:
                talk.join(0.2)
            except KeyboardInterrupt:
                stop()  # further interrupts wait for its answer too
    finally:
        forget()
        interrupted = stopped.is_set()
        if not to_child.closed:
            close()
        child.wait()
    if child.returncode != 0 or not out.get("answer"):
        raise RuntimeError(f"HiGHS's process ended with code {child.returncode}")
    answer = pickle.loads(out["answer"])
    answer["interrupted"] = interrupted
    return answer
