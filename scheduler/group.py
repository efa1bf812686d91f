"""Nursery groups: plan, check or ask "what if" for every setting of a group at once.

Each setting workbook is one task (a large setting's rooms are then tasks of their own on the same cluster:
see :mod:`scheduler.cpsat.by_room`). The tasks run on a Dask cluster when one is given (a ``Client``, or a
scheduler's address), else on this machine: a Dask ``LocalCluster`` of single-threaded worker processes,
or a process pool where Dask is not installed (``keyperson[group]`` brings it). One bad or impossible
workbook never stops the group: every task returns a row, and the rows make one DataFrame, a setting a
row, for ``group-summary.xlsx`` or a notebook.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from functools import partial, wraps
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError
from .result import Status

log = logging.getLogger("keyperson")

# the words a group summary uses for each outcome, best first
PLANNED = "Planned: best possible plan (proven)"
PLANNED_UNPROVEN = "Planned: good plan, not proven best"
NO_PLAN = "No plan: the rules clash"
NO_PLAN_IN_TIME = "No plan found in the time allowed"
BAD_WORKBOOK = "Workbook has problems to fix"
CHECKED = "Checked: ready to plan"
CHECK_CLASH = "Checked: no plan can keep every rule"
FAILED = "Could not be processed"
NOT_THERE = "Not on this setting's Staff sheet"
PLANNED_ANY = frozenset({PLANNED, PLANNED_UNPROVEN})
DONE = PLANNED_ANY | {CHECKED}  # the outcomes that need nothing from the group's staff
COLUMNS = ["Setting", "File", "Status", "Children", "Staff", "Coverage %", "Key person changes", "Warnings",
           "Ratio shortfalls", "Re-checked", "Seconds", "Output", "Problems"]
RECHECKED = "every rule kept"  # the independent checker's word on a plan that keeps every hard rule

Progress = Callable[[int, int, int], None]  # (done, failed, remaining)


@dataclass(frozen=True)
class Options:
    """What every setting of the group is planned with (the CLI's options)."""

    on: date | None = None
    until: date | None = None
    time_limit: float = 30.0
    max_changes: int | None = None


def setting_files(paths: Iterable[str | Path], plans: bool = False) -> list[Path]:
    """The workbooks named, a folder standing for the .xlsx/.xlsm files in it, in name order, each once:
    the settings (not the plans, what-ifs, summaries or Excel's lock files written beside them), or with
    ``plans`` the plan workbooks (``NAME-plan.xlsx``) alone."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in (".xlsx", ".xlsm") and f.is_file()
                           and not f.name.startswith(("~$", "."))
                           and (f.stem.lower().endswith("-plan") if plans else not is_output(f)))
            out.extend(found)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def is_output(path: Path) -> bool:
    stem = path.stem.lower()
    return stem.endswith(("-plan", "-whatif")) or stem == "group-summary"


def _row(path: Path, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(Setting=path.stem, File=path.name, Problems=[], **values)
    return row


def _one_row(task: Callable[..., None]) -> Callable[..., dict[str, Any]]:
    """Make ``task(row, path, outdir, options, ...)``, which fills in a summary row, a group task: the row
    is returned whatever happens (a workbook's located problems, or what went wrong, for a bug report),
    with the seconds it took, so one workbook never stops the group."""
    @wraps(task)
    def run(path: Path, outdir: Path | None = None, options: Options = Options(), **kw: Any) -> dict[str, Any]:
        start = time.perf_counter()
        row = _row(path)
        try:
            task(row, path, outdir, options, **kw)
        except DataError as exc:
            row.update(Status=BAD_WORKBOOK, Problems=[str(p) for p in exc.problems])
        except Exception as exc:
            log.exception("group: %s failed", path.name)
            row.update(Status=FAILED, Problems=[f"{type(exc).__name__}: {exc}"])
        row["Seconds"] = round(time.perf_counter() - start, 1)
        return row
    return run


def _measures(row: dict[str, Any], tables) -> None:
    """Fill a row from a plan's report."""
    from . import ratios

    m, inst = tables.metrics, tables.result.instance
    row.update(Children=m["children"], Staff=len(inst.staff),
               **{"Coverage %": round(m["coverage_pct"]), "Key person changes": m["key_person_changes"],
                  "Warnings": len(tables.warnings),
                  "Ratio shortfalls": sum(x.difference < 0 for x in ratios.checks(inst))})


def _planned(row: dict[str, Any], tables, output: Path) -> None:
    """Fill a row from a plan written to ``output``: its measures, whether it is proven best, and the
    independent checker's verdict on it."""
    result = tables.result
    _measures(row, tables)
    proven = result.status is Status.OPTIMAL and not result.interrupted
    row.update(Status=PLANNED if proven else PLANNED_UNPROVEN, Output=output.name)
    _recheck(row, result)


def _recheck(row: dict[str, Any], result) -> None:
    """Every plan of the group re-checked by the plain-Python checker (scheduler.checker), a second
    implementation of every hard rule and of the points: a plan it faults is reported, never passed as planned."""
    from .checker import evaluate_result

    ev = evaluate_result(result)
    if not ev.violations and ev.objective == result.objective:
        row["Re-checked"] = RECHECKED
        return
    found = [str(v) for v in ev.violations] or [f"the plan scores {ev.objective} points, not {result.objective}"]
    row.update({"Re-checked": f"faulted: {found[0]}", "Status": FAILED})
    row["Problems"] = [*row["Problems"], *(f"the independent check found: {f} (please report)" for f in found)]


@_one_row
def plan_one(row: dict[str, Any], path: Path, outdir: Path, options: Options) -> None:
    """Plan one setting workbook and write ``OUTDIR/NAME-plan.xlsx``, as ``keyperson plan`` does."""
    from .workbooks import plan_workbook

    planned = plan_workbook(path, outdir / f"{path.stem}-plan.xlsx", on=options.on, until=options.until,
                            max_changes=options.max_changes, time_limit=options.time_limit, workers=1)
    result = planned.result
    row.update(Setting=result.setting.name, Children=len(result.instance.children), Staff=len(result.instance.staff),
               Problems=[f"warning: {w}" for w in planned.warnings])
    if planned.output is not None:
        _planned(row, planned.report, planned.output)
    elif result.status is Status.TIMED_OUT:
        row["Status"] = NO_PLAN_IN_TIME
        row["Problems"] += [f"no plan found within {options.time_limit:g} s: give it longer"]
    else:
        row["Status"] = NO_PLAN
        row["Problems"] += result.diagnosis


@_one_row
def check_one(row: dict[str, Any], path: Path, outdir: Path | None, options: Options) -> None:
    """``keyperson check`` on one setting workbook."""
    from .check import check_workbook

    found = check_workbook(path, options.on, options.until)
    inst = found.instance
    row.update(Setting=inst.setting.name, Children=len(inst.children), Staff=len(inst.staff),
               Warnings=len(found.warnings), Status=CHECK_CLASH if found.problems else CHECKED,
               Problems=[f"warning: {w}" for w in found.warnings] + list(found.problems))


@_one_row
def whatif_one(row: dict[str, Any], path: Path, outdir: Path, options: Options, leaves: str = "") -> None:
    """A what-if on one plan workbook when the practitioner ``leaves`` (an ID or a name) works there, as
    ``keyperson whatif`` does: writes ``OUTDIR/NAME-whatif.xlsx``; elsewhere the row says they are not on the
    Staff sheet."""
    from .report import Report
    from .workbooks import StaffNotFound, whatif_workbook

    try:
        asked = whatif_workbook(path, outdir / f"{path.stem}-whatif.xlsx", leaves=(leaves,), on=options.on,
                                until=options.until, max_changes=options.max_changes,
                                time_limit=options.time_limit, workers=1)
    except StaffNotFound as exc:
        row.update(Setting=exc.setting, Status=NOT_THERE, Problems=[f"warning: {w}" for w in exc.warnings])
        return
    result = asked.first.result
    row.update(Setting=result.setting.name, Problems=[f"warning: {w}" for w in asked.warnings])
    if asked.output is not None:
        _planned(row, Report(result), asked.output)
        row["Problems"] += asked.said()
    else:
        row.update(Status=NO_PLAN)
        row["Problems"] += asked.reasons()


def run_group(task: Callable[..., dict[str, Any]], paths: Iterable[str | Path], outdir: str | Path | None = None,
              *, client: Any = None, scheduler: str | None = None, workers: int | None = None,
              progress: Progress | None = None, plans: bool = False, **kw: Any) -> pd.DataFrame:
    """Run ``task(path, outdir, ...)`` for every setting workbook (or plan workbook, with ``plans``): on
    ``client`` (a Dask ``Client``), on the Dask scheduler at ``scheduler`` (e.g. ``tcp://host:8786``), else
    on this machine with ``workers`` processes (default: the cores). Rows in the order of the files."""
    files = setting_files(paths, plans)
    outdir = Path(outdir) if outdir is not None else None
    fn = partial(task, outdir=outdir, **kw)
    results: dict[Path, dict[str, Any]] = {}
    failed = 0

    def record(path: Path, row: dict[str, Any]) -> None:
        nonlocal failed
        results[path] = row
        failed += row["Status"] not in DONE
        if progress:
            progress(len(results) - failed, failed, len(files) - len(results))

    if progress:
        progress(0, 0, len(files))
    if files:
        n = workers or min(len(files), os.cpu_count() or 1)
        if client is None and scheduler is None and not _has_dask():
            with ProcessPoolExecutor(max_workers=n) as pool:
                futures = {pool.submit(fn, path): path for path in files}
                for future in as_completed(futures):
                    record(futures[future], future.result())
        else:
            _on_dask(fn, files, client, scheduler, n, record)
    rows = [results[p] for p in files]
    return pd.DataFrame(rows, columns=COLUMNS)


def _has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def _on_dask(fn: Callable[[Path], dict[str, Any]], files: list[Path], client: Any, scheduler: str | None,
             workers: int, record: Callable[[Path, dict[str, Any]], None]) -> None:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)  # the cluster's chatter is not the manager's
    cluster = None
    own = client is None
    if own:
        if scheduler is None:  # on this machine: loopback only, no dashboard, a worker process per core
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, scheduler_kwargs={"dashboard": False},
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(scheduler)
    try:
        futures = {client.submit(fn, path, pure=False): path for path in files}
        for future in dask_completed(list(futures)):
            record(futures[future], future.result())
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def plan_group(paths: Iterable[str | Path], outdir: str | Path, client: Any = None, *,
               options: Options = Options(), **kw: Any) -> pd.DataFrame:
    """Plan every setting workbook in ``paths`` (files or folders), writing each plan to ``outdir``; one
    summary row per setting (for notebooks: pass a Dask ``client`` to use a cluster)."""
    Path(outdir).mkdir(parents=True, exist_ok=True)
    return run_group(plan_one, paths, outdir, client=client, options=options, **kw)


def check_group(paths: Iterable[str | Path], client: Any = None, *, options: Options = Options(),
                **kw: Any) -> pd.DataFrame:
    """``keyperson check`` on every setting workbook; one row per setting."""
    return run_group(check_one, paths, None, client=client, options=options, **kw)


def whatif_group(paths: Iterable[str | Path], leaves: str, outdir: str | Path, client: Any = None, *,
                 options: Options = Options(), **kw: Any) -> pd.DataFrame:
    """What if ``leaves`` (a staff ID or name) leaves every setting of the group they work in: ``paths``
    are plan workbooks, or folders holding them."""
    Path(outdir).mkdir(parents=True, exist_ok=True)
    return run_group(whatif_one, paths, outdir, client=client, options=options, leaves=leaves, plans=True, **kw)


def totals(summary: pd.DataFrame) -> dict[str, Any]:
    """The group's totals, for the summary's last row."""
    planned = summary["Status"].isin(PLANNED_ANY)
    children = summary["Children"].fillna(0)
    coverage = summary["Coverage %"].fillna(0)
    covered = (coverage * children)[planned].sum()
    return {"Setting": f"Group: {len(summary)} settings", "File": "",
            "Status": f"{int(planned.sum())} planned, {int((~planned).sum())} not",
            "Children": int(children.sum()), "Staff": int(summary["Staff"].fillna(0).sum()),
            "Coverage %": round(covered / children[planned].sum()) if children[planned].sum() else None,
            "Key person changes": int(summary["Key person changes"].fillna(0).sum()),
            "Warnings": int(summary["Warnings"].fillna(0).sum()),
            "Ratio shortfalls": int(summary["Ratio shortfalls"].fillna(0).sum()),
            "Re-checked": f"{int((summary['Re-checked'] == RECHECKED).sum())} of {int(planned.sum())} planned",
            "Seconds": round(float(summary["Seconds"].fillna(0).sum()), 1), "Output": "", "Problems": []}
