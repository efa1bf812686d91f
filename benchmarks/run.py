"""Run keyperson and its peers on seeded instance sets; print a table and optionally write JSON.

    python benchmarks/run.py --quick --json out.json
    python benchmarks/run.py --full --time-limit 120

Instances are made by ``scheduler.generator`` with fixed seeds and saved under
``benchmarks/instances/<set>/`` (the quick set is committed; others are made on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ortools

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from peers import flow, greedy, mip  # noqa: E402

from scheduler import generate, plan, read_setting, replace, write_setting  # noqa: E402
from scheduler.instance import Instance  # noqa: E402
from scheduler.report import caseloads  # noqa: E402
from scheduler.whatif import Scenario, apply, planned_setting, whatif  # noqa: E402

# name -> (children, seed, options)
SETS = {
    "quick": {
        "n030-loose": (30, 101, {}), "n060-loose": (60, 102, {}), "n090-tight": (90, 103, {"cap_slack": 1.1}),
        "n120-sen": (120, 104, {"sen_rate": 0.2}), "n150-loose": (150, 105, {}),
        "n150-tight-sen": (150, 106, {"cap_slack": 1.1, "sen_rate": 0.2}),
    },
    "full": {
        "n200": (200, 201, {}), "n250-sen": (250, 202, {"sen_rate": 0.2}), "n300": (300, 203, {}),
        "n300-tight": (300, 204, {"cap_slack": 1.1}),
    },
    "group": {"group2000": (2000, 301, {"sites": 30})},
}
WHATIF = {"quick": ("n150-loose",), "full": ("n300",), "group": ()}  # leavers 1, 2, 3 on these
END_TO_END = {"quick": ("n150-loose", "n150-tight-sen"), "full": (), "group": ()}
IMPORTS = "import scheduler.cli, scheduler.cpsat, scheduler.excel.reader, scheduler.excel.plan_writer"


def instance_files(name: str) -> list[Path]:
    folder = HERE / "instances" / name
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for label, (children, seed, opts) in SETS[name].items():
        path = folder / f"{label}.xlsx"
        if not path.exists():
            s = generate(children, seed=seed, name=label, **opts)
            if name == "group":
                s = replace(s, rules=replace(s.rules, co_workers_from_other_rooms=True))
            write_setting(s, path)
        out.append(path)
    return out


def keyperson(result, workers: int | str = "all") -> dict:
    return {"solver": "keyperson", "workers": workers, "status": result.status.value,
            "objective": result.objective, "bound": result.bound, "seconds": result.solve_seconds,
            "build_seconds": result.build_seconds}


def run(paths: list[Path], time_limit: float, solvers: list[str]) -> list[dict]:
    records = []
    for path in paths:
        setting = read_setting(path)
        inst = Instance.build(setting)
        for solver in solvers:
            start = time.perf_counter()
            if solver == "greedy":
                row = greedy(inst)
            elif solver == "flow":
                row = flow(inst)
            elif solver in ("highs", "lp"):
                row = mip(inst, time_limit, relax=solver == "lp")
            else:
                workers = 1 if solver == "keyperson-1" else 0
                row = keyperson(plan(setting, time_limit=time_limit, workers=workers), workers or "all")
            records.append(report(row, path.stem, inst, start))
    return records


def whatif_runs(path: Path, time_limit: float) -> list[dict]:
    """The busiest 1, 2, 3 practitioners leave a planned setting: the what-if re-plan (everyone else
    held) against a cold plan of the same setting without them."""
    setting = read_setting(path)
    inst = Instance.build(setting)
    base = plan(setting, time_limit=time_limit)
    current = planned_setting(base)
    loads = caseloads(base).sort_values(["Weighted load", "Staff ID"], ascending=[False, True])
    busiest = list(loads.drop_duplicates("Room")["Staff ID"])  # the busiest in each room, busiest room first
    records = []
    for k in (1, 2, 3):
        scenario = Scenario(leaves=tuple(busiest[:k]))
        label = f"{path.stem}-leave{k}"
        start = time.perf_counter()
        w = whatif(current, scenario, inst.on, time_limit=time_limit)
        records.append(report({**keyperson(w.result), "solver": "keyperson-whatif"}, label, inst, start))
        changed, _ = apply(current, scenario, inst.on)
        start = time.perf_counter()
        cold = plan(changed, inst.on, time_limit=time_limit)
        records.append(report({**keyperson(cold), "solver": "keyperson-cold"}, label, inst, start))
    return records


def end_to_end(path: Path, time_limit: float) -> dict:
    """``keyperson plan`` in a fresh process, against a fresh process that only imports what it uses
    (best of three each)."""
    def best(args: list[str]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)

    with tempfile.TemporaryDirectory() as tmp:
        imports = best([sys.executable, "-c", IMPORTS])
        command = best([sys.executable, "-m", "scheduler.cli", "plan", str(path), "-o", f"{tmp}/plan.xlsx",
                        "--time-limit", str(time_limit), "--force"])
    row = {"instance": path.stem, "solver": "keyperson-plan-command", "status": "", "seconds": command,
           "import_seconds": imports, "ratio": command / imports}
    print(f"end to end {path.stem}: `keyperson plan` {command:.2f} s, imports alone {imports:.2f} s "
          f"(ratio {row['ratio']:.2f})", flush=True)
    return row


def report(row: dict, label: str, inst: Instance, start: float) -> dict:
    """Complete a record and print it as a table line."""
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    row.update(instance=label, children=len(inst.children), staff=len(inst.staff),
               wall_seconds=time.perf_counter() - start, peak_mb=peak / 1024)
    if row.get("objective") is not None and row.get("bound"):
        row["gap"] = abs(row["bound"] - row["objective"]) / max(1.0, abs(row["bound"]))
    gap = f"{row['gap']:.2%}" if "gap" in row else ""
    bound = "" if row.get("bound") is None else f"{row['bound']:.1f}"
    print(f"{row['instance']:20} {row['solver']:16} {str(row.get('workers', '')):4} {row['status']:15} "
          f"{row.get('objective')!s:>9} {bound:>10} {gap:>7} {row['seconds']:8.2f} "
          f"{row.get('build_seconds', 0):7.2f} {row['peak_mb']:7.0f}", flush=True)
    return row


def summarise(records: list[dict]) -> None:
    """The targets' ratios, measured in this run."""
    def times(solver, workers=None):
        return {r["instance"]: r["seconds"] for r in records
                if r["solver"] == solver and (workers is None or r.get("workers") == workers)}

    ours, highs = times("keyperson", "all"), times("highs")
    if ours and highs:
        print(f"median seconds: keyperson {statistics.median(ours.values()):.2f}, "
              f"keyperson 1 worker {statistics.median(times('keyperson', 1).values() or [float('nan')]):.2f}, "
              f"highs {statistics.median(highs.values()):.2f}")
    objective = {(r["instance"], r["solver"]): r for r in records if r["status"] == "optimal"}
    for inst in sorted({i for i, s in objective if s == "highs"}):
        ok = objective.get((inst, "keyperson"))
        if ok and ok["objective"] != objective[(inst, "highs")]["objective"]:
            highs = objective[(inst, "highs")]["objective"]
            print(f"DISAGREEMENT on {inst}: keyperson {ok['objective']}, highs {highs}")
    unproven = [r["instance"] for r in records if r["solver"] == "keyperson" and r["status"] != "optimal"]
    print("keyperson proved every instance optimal" if not unproven else f"not proven optimal: {unproven}")
    cold, what = times("keyperson-cold"), times("keyperson-whatif")
    for inst in what:
        if cold[inst] and what[inst]:
                print(f"what-if {inst}: {what[inst]:.2f} s against cold {cold[inst]:.2f} s "
                  f"(ratio {what[inst] / cold[inst]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    for name in SETS:
        group.add_argument(f"--{name}", action="store_const", dest="set", const=name)
    parser.add_argument("--json", type=Path, help="write the records here")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--solvers", default="greedy,flow,keyperson-1,keyperson,highs,lp")
    parser.add_argument("--no-whatif", action="store_true", help="skip the leavers' what-if and end-to-end runs")
    args = parser.parse_args()
    name = args.set or "quick"
    print(f"# {name}: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"OR-Tools {ortools.__version__}, time limit {args.time_limit:g} s")
    print(f"{'instance':20} {'solver':16} {'wrk':4} {'status':15} {'objective':>9} {'bound':>10} {'gap':>7} "
          f"{'seconds':>8} {'build s':>7} {'peak MB':>7}")
    paths = instance_files(name)
    records = run(paths, args.time_limit, args.solvers.split(","))
    for path in paths if not args.no_whatif else ():
        if path.stem in WHATIF[name]:
            records += whatif_runs(path, args.time_limit)
        if path.stem in END_TO_END[name]:
            records.append(end_to_end(path, args.time_limit))
    summarise(records)
    if args.json:
        args.json.write_text(json.dumps(records, indent=1, default=str))


if __name__ == "__main__":
    main()
