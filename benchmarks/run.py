"""Run keyperson and its peers on seeded instance sets; print a table and optionally write JSON.

    python benchmarks/run.py --quick --json out.json
    python benchmarks/run.py --full --time-limit 120

Instances are made by ``scheduler.generator`` with fixed seeds and saved under
``benchmarks/instances/<set>/`` (the quick set is committed; others are made on first use).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from peers import greedy, mip  # noqa: E402

from scheduler import generate, plan, read_setting, replace, write_setting  # noqa: E402
from scheduler.instance import Instance  # noqa: E402

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


def run(paths: list[Path], time_limit: float, solvers: list[str]) -> list[dict]:
    records = []
    for path in paths:
        setting = read_setting(path)
        inst = Instance.build(setting)
        rows = []
        for solver in solvers:
            start = time.perf_counter()
            if solver == "greedy":
                row = greedy(inst)
            elif solver in ("highs", "lp"):
                row = mip(inst, time_limit, relax=solver == "lp")
            else:
                workers = 1 if solver == "keyperson-1" else 0
                r = plan(setting, time_limit=time_limit, workers=workers)
                row = {"solver": "keyperson", "workers": workers or "all", "status": r.status.value,
                       "objective": r.objective, "bound": r.bound, "seconds": r.solve_seconds,
                       "build_seconds": r.build_seconds}
            row.update(instance=path.stem, children=len(inst.children), staff=len(inst.staff),
                       wall_seconds=time.perf_counter() - start,
                       peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            if row.get("objective") is not None and row.get("bound"):
                row["gap"] = abs(row["bound"] - row["objective"]) / max(1.0, abs(row["bound"]))
            rows.append(row)
            print(f"{row['instance']:16} {row['solver']:10} {str(row.get('workers', '')):4} {row['status']:15} "
                  f"{row.get('objective')!s:>9} {row.get('bound')!s:>10} {row.get('gap', ''):>8.4}"
                  if isinstance(row.get("gap"), float) else
                  f"{row['instance']:16} {row['solver']:10} {str(row.get('workers', '')):4} {row['status']:15} "
                  f"{row.get('objective')!s:>9} {row.get('bound')!s:>10} {'':>8}", end="")
            print(f" {row['seconds']:8.2f}s build {row.get('build_seconds', 0):6.2f}s peak {row['peak_mb']:7.0f} MB",
                  flush=True)
        records += rows
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    for name in SETS:
        group.add_argument(f"--{name}", action="store_const", dest="set", const=name)
    parser.add_argument("--json", type=Path, help="write the records here")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--solvers", default="greedy,keyperson-1,keyperson,highs,lp")
    args = parser.parse_args()
    name = args.set or "quick"
    print(f"# {name}: {platform.machine()}, Python {platform.python_version()}, time limit {args.time_limit:g} s")
    print(f"{'instance':16} {'solver':10} {'wrk':4} {'status':15} {'objective':>9} {'bound':>10} {'gap':>8}")
    records = run(instance_files(name), args.time_limit, args.solvers.split(","))
    if args.json:
        args.json.write_text(json.dumps(records, indent=1, default=str))


if __name__ == "__main__":
    main()
