"""The room-by-room solve: every room alone, then every child's co-worker in one min-cost flow.

Each room's part (:mod:`scheduler.rooms`) is solved by CP-SAT to proven
optimality, with the same tie-break as the whole model (the key persons with
the smallest pseudo-random weights among the room's best). The parts are
relaxations that cover the setting, so the sum of their optima is a valid
upper bound on any plan (the *certified bound*). Their key persons are kept
and every child's co-worker is chosen at once by :func:`.coworkers.best_co_workers`
under the real, setting-wide co-worker caps. When that plan's points equal the
bound it is proven best, and it is the plan the single model picks: the
whole model's best key persons are among the product of the rooms' best
ones, the smallest tie-break weights of a product is the product of each
room's smallest, and the co-worker step is the same flow.

When the plan falls short of the bound (co-worker caps that bind across
rooms), or breaks ``Max changes`` (which counts across rooms), the whole
setting is solved as one model, starting from this plan; the rooms' bound
still holds. So "optimal" is only ever said with a proof.

Large settings' rooms are solved in parallel: in forked processes on this
machine, or, when the setting is itself a task on a Dask worker (``keyperson
group``), as tasks of their own on that cluster.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import replace as dc_replace
from typing import Any

from ..first_plan import greedy_key_persons
from ..instance import Instance
from ..progress import Progress
from ..result import Result, Status
from ..rooms import RoomPart, room_parts
from . import mip
from .coworkers import best_co_workers, co_worker_score
from .cpmodel import CPModel

log = logging.getLogger("keyperson")

# Rooms are solved in parallel processes from this many rooms and children (below it, starting the
# processes costs more than it saves), or when two or more are large enough for HiGHS (one thread each).
PARALLEL_ROOMS = 4
PARALLEL_CHILDREN = 400
# Rooms of this many children start their search from a quick greedy plan, which is their plan if the search
# finds none better in its time (the 450-child room of the 1,000-child curve setting: no plan of CP-SAT's own
# in 19 s at load 7; the greedy plan in 0.8 s, 3.1% below the room's bound).
FIRST_PLAN_CHILDREN = 200


def solve_by_room(inst: Instance, *, time_limit: float, workers: int = 0, max_changes: int | None = None,
                  hint: dict[str, str] | None = None, log_search: bool = False,
                  progress: Progress | None = None) -> Result:
    """Plan ``inst`` room by room; see the module docstring. ``max_changes`` as :class:`CPModel`'s;
    ``progress`` hears of the whole plan; its stop ends each room's search at its first plan."""
    start = time.perf_counter()
    if max_changes is not None and max_changes != inst.max_changes:
        inst = dc_replace(inst, max_changes=max_changes)
    limit = inst.change_limit
    parts = room_parts(inst)
    processes = min(os.cpu_count() or 1, workers or os.cpu_count() or 1)
    many = len(parts) >= PARALLEL_ROOMS and len(inst.children) >= PARALLEL_CHILDREN
    large = sum(len(p.children) >= mip.MIP_CHILDREN for p in parts) >= 2  # HiGHS's searches use a core each
    on_dask = _dask_worker_client()
    if (many or large) and on_dask is not None and progress is None and not log_search:
        solved = _on_cluster(on_dask, parts, time_limit, hint)  # a group's setting: its rooms are tasks too
    elif (processes > 1 and (many or large)
            and progress is None and not log_search and not multiprocessing.current_process().daemon):
        # (a daemon process, such as a Dask worker's, may not start processes of its own)
        solved = _in_processes(parts, processes, time_limit, hint)
    else:
        # the smallest room first, each a share of the time left by its children squared (a room's search
        # grows faster than its size), so what the small rooms leave goes to the large ones
        solved = []
        remaining = sum(len(p.children) ** 2 for p in parts)
        for part in sorted(parts, key=lambda p: len(p.children)):
            left = time_limit - (time.perf_counter() - start)
            share = max(0.05, left * len(part.children) ** 2 / remaining)
            remaining -= len(part.children) ** 2
            solved.append((part, _solve_part(part, share, workers, hint, log_search, progress)))
    solved.sort(key=lambda pr: inst.setting.room_index[min(pr[0].rooms)])
    result = _combine(inst, solved, limit)
    result.solve_seconds = time.perf_counter() - start
    rooms_proven = all(r.status is Status.OPTIMAL for _, (r, _) in solved)
    short = result.status.has_plan and (result.objective is None or (
        rooms_proven and result.bound is not None and result.objective < result.bound))
    over = result.status.has_plan and limit is not None and _changes(inst, result) > limit
    if short or over:
        log.info("rooms' plans %s (bound %s, plan %s): solving the setting as one model",
                 "fall short of the bound: co-worker caps bind across rooms" if short else
                 "break Max changes across rooms", result.bound, result.objective)
        result = _jointly(inst, result, time_limit - result.solve_seconds, workers, log_search, start, progress)
    if progress is not None and result.objective is not None:
        progress.found(result.objective)
    return result


_FORKED: tuple = ()  # (parts, time shares, hint, deadline): what forked processes read, not a pickled copy


def _in_processes(parts: list[RoomPart], processes: int, time_limit: float,
                  hint: dict[str, str] | None) -> list[tuple[RoomPart, tuple[Result, int]]]:
    """Each room solved in one of ``processes`` forked processes, one solver thread each, the largest
    rooms first, each within its share (:func:`_shares`) and the limit.
    A KeyboardInterrupt here ends them all at once and is raised again: the rooms' plans are of no use
    apart."""
    global _FORKED
    order = sorted(range(len(parts)), key=lambda i: -len(parts[i].children))
    shares = _shares(parts, processes, time_limit)
    for part in parts:  # the pools read the whole setting's pairs and fair shares: made once, before the fork
        assert part.pools is not None
    _FORKED = (parts, shares, hint, time.time() + time_limit)
    try:
        pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_leave_signals_to_the_parent)
        try:
            out = dict(zip(order, pool.map(_solve_forked, order), strict=True))
        except BaseException:  # Ctrl-C, or a room's process failing: no room waits for a process, none runs on
            _terminate(pool)  # first: shutting down forgets the processes
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        _FORKED = ()
    return [(parts[i], out[i]) for i in range(len(parts))]


def _leave_signals_to_the_parent() -> None:
    """In a room's process: Ctrl-C (the terminal sends it to every process of the command) is the
    parent's to act on, and a stop signal ends the process at once (the parent's Python handler, which
    the fork copied, would only raise where nothing can act on it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """End ``pool``'s processes now (``terminate_workers`` from Python 3.14; its process table before)."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _solve_forked(i: int) -> tuple[Result, int]:
    parts, shares, hint, deadline = _FORKED
    return _solve_sent(parts[i], shares[i], hint, deadline)


def _solve_sent(part: RoomPart, time_limit: float, hint: dict[str, str] | None,
                deadline: float = math.inf) -> tuple[Result, int]:
    """A room solved in another process (forked, or a Dask worker), on one thread, within ``time_limit``
    seconds and by ``deadline`` (``time.time()``: a room that waited for a process has only what is left)."""
    time_limit = max(0.05, min(time_limit, deadline - time.time()))
    result, key_points = _solve_part(part, time_limit, 1, hint, False, None)
    result.instance = None  # type: ignore[assignment]  # sent back without the setting (the caller has it)
    return result, key_points


def _shares(parts: list[RoomPart], processes: int, time_limit: float) -> list[float]:
    """Each room's time when ``processes`` solve them at once, the largest first: the rooms dealt out as
    the largest to the process with the least work so far (children squared, as a room's search grows),
    and each room's share of the limit its part of its process's work. (The 1,000-child curve setting on
    2 processes: 450 children alone for the whole limit; 300 and 250 children 59% and 41% of it, where a
    share of twice the limit by children squared gave the 300-child room 51%, too little for HiGHS.)"""
    work = [len(p.children) ** 2 for p in parts]
    load = [0] * max(1, processes)
    process_of = {}
    for i in sorted(range(len(parts)), key=lambda i: -work[i]):
        process_of[i] = min(range(len(load)), key=load.__getitem__)
        load[process_of[i]] += work[i]
    return [max(0.05, time_limit * work[i] / load[process_of[i]]) for i in range(len(parts))]


def _dask_worker_client() -> Callable[[], AbstractContextManager[Any]] | None:
    """``distributed.worker_client`` (a context manager giving a Client) when this runs as a task on a Dask
    worker, else None."""
    if "distributed" not in sys.modules:  # a Dask worker has it imported; importing it here costs 2 s a plan
        return None
    from distributed import get_worker, worker_client
    try:
        get_worker()
    except ValueError:  # not on one of its workers
        return None
    return worker_client


def _on_cluster(worker_client: Callable[[], AbstractContextManager[Any]], parts: list[RoomPart], time_limit: float,
                hint: dict[str, str] | None) -> list[tuple[RoomPart, tuple[Result, int]]]:
    """Each room a task on the Dask cluster this setting's own task runs on (its worker thread is handed
    back while the rooms run, so they may run there too), the largest first, with the time shares of
    :func:`_in_processes` for as many rooms at once as the cluster has threads."""
    with worker_client() as client:
        threads = max(1, sum(client.nthreads().values()))
        shares = _shares(parts, min(threads, len(parts)), time_limit)
        order = sorted(range(len(parts)), key=lambda i: -len(parts[i].children))
        deadline = time.time() + time_limit
        futures = {i: client.submit(_solve_sent, parts[i], shares[i], hint, deadline, pure=False,
                                    priority=len(parts) - rank)
                   for rank, i in enumerate(order)}
        out = dict(zip(futures, client.gather(list(futures.values())), strict=True))
    log.info("%d rooms solved as tasks on the Dask cluster (%d threads)", len(parts), threads)
    return [(parts[i], out[i]) for i in range(len(parts))]


def _solve_part(part: RoomPart, time_limit: float, workers: int, hint: dict[str, str] | None,
                log_search: bool, progress: Progress | None) -> tuple[Result, int]:
    """The part's result, and its points without its own (pooled) co-workers' share, all within
    ``time_limit`` seconds (the build and the first plan included)."""
    began = time.perf_counter()
    # every child of the part at most once: a change limit that can't bind ("Max changes" is for the setting)
    model = CPModel(part, max_changes=len(part.children))
    model.hint_current()
    start = _first_plan(part) if len(part.children) >= FIRST_PLAN_CHILDREN else None
    if hint or start:
        model.model.clear_hints()
        model.hint(*((hint, None) if hint else start))  # type: ignore[misc]
    stopper, forget = None, (lambda: None)
    if progress is not None:  # the room's search stops with the whole solve
        stopper = Progress()
        forget = progress.on_stop(stopper.stop)
    try:
        left = max(0.05, time_limit - (time.perf_counter() - began))
        result = model.solve(time_limit=left, workers=workers, log=log_search, progress=stopper)
    finally:
        forget()
    result.build_seconds = model.build_seconds
    if start and result.status in (Status.TIMED_OUT, Status.FEASIBLE):
        _keep_better(model, result, *start)
    if result.objective is None:
        return result, 0
    return result, result.objective - co_worker_score(model.instance, result.key_person, result.co_worker)


def _first_plan(part: RoomPart) -> tuple[dict[str, str], dict[str, str]] | None:
    """A plan keeping the hard rules, made in well under a second: greedy key persons
    (:func:`~scheduler.first_plan.greedy_key_persons`) and their best co-workers by the flow."""
    key_person = greedy_key_persons(part)
    co_worker = best_co_workers(part, key_person) if key_person is not None else None
    return None if co_worker is None or key_person is None else (key_person, co_worker)


def _keep_better(model: CPModel, result: Result, key_person: dict[str, str], co_worker: dict[str, str]) -> None:
    """When the search ended without a plan, or with one worse than the quick first plan, the first plan
    is the room's, not proven best: with the search's bound when it found a plan, else with none (a search
    stopped before its first plan has no bound to give)."""
    first = Result(model.instance, Status.FEASIBLE, key_person=dict(key_person), co_worker=dict(co_worker))
    points = model.points_of(first)
    if result.objective is None or points > result.objective:
        log.info("room of %d children: the quick first plan (%d points) kept, the search's best %s, bound %s",
                 len(model.instance.children), points, result.objective, result.bound)
        result.status, result.objective = Status.FEASIBLE, points
        result.key_person, result.co_worker = first.key_person, first.co_worker
        result.tie_break_proven = False


def _combine(inst: Instance, solved: list[tuple[RoomPart, tuple[Result, int]]], limit: int | None) -> Result:
    """The rooms' key persons, every co-worker by one flow, and the rooms' bound."""
    results = [r for _, (r, _) in solved]
    out = Result(inst, Status.TIMED_OUT, max_changes=limit, parts=len(solved),
                 build_seconds=sum(r.build_seconds for r in results))
    out.interrupted = any(r.interrupted for r in results)
    if any(r.status is Status.INFEASIBLE for r in results):
        out.status = Status.INFEASIBLE
        return out
    if any(r.status is Status.INVALID for r in results):
        out.status, out.diagnosis = Status.INVALID, [d for r in results for d in r.diagnosis]
        return out
    if not all(r.status.has_plan for r in results):
        return out
    out.key_person = {c: s for r in results for c, s in r.key_person.items()}
    # every room with a plan from its search has its bound; a room's quick first plan alone has none
    bounds = [r.bound for r in results if r.bound is not None]
    out.bound = float(sum(bounds)) if len(bounds) == len(results) else None
    proven = all(r.status is Status.OPTIMAL for r in results)
    out.status = Status.FEASIBLE
    co_worker = best_co_workers(inst, out.key_person)
    if co_worker is None:  # the co-worker caps can't hold these key persons together: the joint model decides
        out.objective = None
        return out
    out.co_worker = co_worker
    out.objective = sum(key_points for _, (_, key_points) in solved) + co_worker_score(inst, out.key_person, co_worker)
    if out.bound is None:
        return out
    if proven and out.objective >= out.bound:  # reaches the bound: proven best
        out.status = Status.OPTIMAL
        out.tie_break_proven = all(r.tie_break_proven for r in results)
    if out.objective > out.bound:
        raise AssertionError(f"plan {out.objective} above the rooms' bound {out.bound}: a bug, please report")
    return out


def _changes(inst: Instance, result: Result) -> int:
    return sum(result.key_person.get(c) != s for c, s in inst.current_key_person.items())


def _jointly(inst: Instance, by_room: Result, time_limit: float, workers: int, log_search: bool, start: float,
             progress: Progress | None) -> Result:
    """The setting as one model, from the rooms' plan where it keeps the rules; the rooms' bound (a
    relaxation, with or without a change limit) still holds, so the tighter of the two is kept."""
    model = CPModel(inst)
    limit = inst.change_limit
    usable = by_room.co_worker and (limit is None or _changes(inst, by_room) <= limit)
    if usable:
        model.hint(by_room.key_person, by_room.co_worker)
    else:
        model.hint_current()
    joint = model.solve(time_limit=max(0.05, time_limit), workers=workers, log=log_search, progress=progress)
    joint.build_seconds += by_room.build_seconds
    rooms_points, rooms_bound = by_room.objective, by_room.bound
    if usable and rooms_points is not None and (joint.objective is None or joint.objective < rooms_points):
        # the one model found nothing better in the time left: the rooms' plan stands, not proven best
        if joint.bound is not None and rooms_bound is not None:
            by_room.bound = rooms_bound = min(rooms_bound, joint.bound)
        proven = rooms_bound is not None and rooms_points >= rooms_bound
        by_room.status = Status.OPTIMAL if proven else Status.FEASIBLE
        by_room.solve_seconds = time.perf_counter() - start
        return by_room
    if joint.objective is not None and joint.bound is not None and rooms_bound is not None:
        joint.bound = min(joint.bound, rooms_bound)
        if joint.objective >= joint.bound:
            joint.status = Status.OPTIMAL
    joint.solve_seconds = time.perf_counter() - start
    return joint
