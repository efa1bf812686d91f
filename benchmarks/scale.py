"""Scale benchmarks: a group of settings, the pooled group, and the scaling curve of one setting.

    python benchmarks/scale.py --group --json benchmarks/group-sets-latest.json
    python benchmarks/scale.py --curve --json benchmarks/curve-latest.json
    python benchmarks/scale.py --threads --json benchmarks/threads-latest.json
    python benchmarks/scale.py --efficiency --json benchmarks/efficiency-latest.json

Every solve is ``plan()`` (the room-by-room solve for two or more rooms) in a fresh process, so its peak
memory is its own; every plan is re-checked by the plain-Python checker. Two memory figures: "peak MB" adds
the process's peak resident size and its largest child's (forked room processes, HiGHS's process), which
counts the pages they share twice; "tree MB" is the process tree's peak proportional set size (a shared
page counted once in all), sampled every 50 ms: what the machine gives the plan. The instances are generated with
fixed seeds and saved under ``benchmarks/instances/<set>/`` on first use.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from scheduler import generate, replace, write_setting  # noqa: E402

# the average English group setting has about 53 places and 15 staff; a chain's settings range 30-150
GROUP_SETTINGS = 50
CURVE = (60, 150, 300, 600, 1000)


def group_files() -> list[Path]:
    """50 settings of a chain (30-150 children, day nurseries and pre-schools), then the pooled group:
    2,000 children at 30 sites in one workbook, co-workers from any room of any site."""
    folder = HERE / "instances" / "group-sets"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(400)
    out = []
    for i in range(GROUP_SETTINGS):
        children, kind = rng.randint(30, 150), "preschool" if rng.random() < 0.25 else "nursery"
        out.append(_made(folder / f"s{i + 1:02d}-{kind}-{children}.xlsx",
                         lambda children=children, kind=kind, i=i: generate(children, seed=400 + i, kind=kind)))
    out.append(_made(folder / "pooled2000.xlsx", lambda: _anywhere(generate(2000, seed=301, sites=30))))
    return out


def curve_files() -> list[Path]:
    """One day nursery of each size (Baby, Toddler, Pre-school: 25/30/45% of the children), so the
    1,000-child setting has a 450-child Pre-school room."""
    folder = HERE / "instances" / "curve"
    folder.mkdir(parents=True, exist_ok=True)
    return [_made(folder / f"n{n:04d}.xlsx", lambda n=n: generate(n, seed=500 + n)) for n in CURVE]


def _anywhere(setting):
    return replace(setting, rules=replace(setting.rules, co_workers_from_other_rooms=True,
                                          co_workers_from_other_sites=True))


def _made(path: Path, make) -> Path:
    if not path.exists():
        write_setting(make(), path)
    return path


def solve_one(path: Path, time_limit: float, workers: int) -> dict:
    """Plan one workbook in this process (``--one``) and measure it."""
    from scheduler import evaluate_result, plan, read_setting

    setting = read_setting(path)
    start = time.perf_counter()
    result = plan(setting, time_limit=time_limit, workers=workers, room_moves=False)
    seconds = time.perf_counter() - start
    check = evaluate_result(result) if result.status.has_plan else None
    return {"instance": path.stem, "children": len(result.instance.children), "staff": len(result.instance.staff),
            "rooms": len({c.room_on(result.on) for c in result.instance.children}), "workers": workers,
            "status": result.status.value, "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "parts": result.parts, "seconds": seconds, "build_seconds": result.build_seconds,
            "checker_ok": None if check is None else (check.ok and check.objective == result.objective),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of process ``pid`` and all its descendants (a page shared by n of them
    counts 1/n to each, so forked room processes and HiGHS's process are not counted twice), in MB."""
    import psutil

    total = 0
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    for p in tree:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):  # ended between the listing and the reading
            continue
    return total / 2**20


def in_process(path: Path, time_limit: float, workers: int = 0) -> dict:
    """Plan ``path`` in a fresh process (``--one``), sampling its process tree's memory every 50 ms."""
    child = subprocess.Popen([sys.executable, __file__, "--one", str(path), "--time-limit", str(time_limit),
                              "--workers", str(workers)], stdout=subprocess.PIPE, text=True)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, tree_pss_mb(child.pid))
        time.sleep(0.05)
    stdout = child.stdout.read() if child.stdout else ""
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    row = json.loads(stdout.strip().splitlines()[-1])
    row["peak_tree_mb"] = peak
    gap = "" if row["gap"] is None else f"{row['gap']:.3%}"
    print(f"{row['instance']:24} {row['children']:5} {row['rooms']:3} {row['workers']:3} {row['status']:10} "
          f"{row['objective']!s:>8} {row['bound']!s:>10} {gap:>7} {row['parts']:3} {row['seconds']:7.2f} "
          f"{row['peak_mb']:7.0f} {row['peak_tree_mb']:7.0f} {row['checker_ok']}", flush=True)
    return row


def efficiency(time_limit: float) -> list[dict]:
    """``plan_group`` on the chain's 50 settings: one worker process (the sum of single solves, run one
    after another), two workers of a Dask ``LocalCluster``, two of a process pool (no Dask), and a Dask
    cluster of a ``dask scheduler`` and two ``dask worker`` processes started here. Parallel efficiency:
    the one-worker wall time over twice the two-worker one."""
    import shutil
    import socket
    import tempfile

    from scheduler import group as grp
    from scheduler.group import Options, plan_group

    chain = [p for p in group_files() if p.stem != "pooled2000"]
    options = Options(time_limit=time_limit)
    rows = []

    def timed(label: str, **kw) -> dict:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            summary = plan_group(chain, out, options=options, **kw)
            wall = time.perf_counter() - start
        row = {"run": label, "settings": len(summary), "wall_seconds": wall,
               "sum_of_settings_seconds": float(summary["Seconds"].sum()),
               "planned": int(summary["Status"].isin(grp.PLANNED_ANY).sum())}
        rows.append(row)
        print(f"{label:34} {row['settings']:3} settings, {row['planned']:3} planned, wall {wall:7.1f} s, "
              f"the settings' own seconds {row['sum_of_settings_seconds']:7.1f}", flush=True)
        return row

    one = timed("1 worker (Dask LocalCluster)", workers=1)
    for row in (timed("2 workers (Dask LocalCluster)", workers=2),):
        row["efficiency"] = one["wall_seconds"] / (2 * row["wall_seconds"])
    has_dask = grp._has_dask
    grp._has_dask = lambda: False
    try:
        pool = timed("2 workers (process pool, no Dask)", workers=2)
    finally:
        grp._has_dask = has_dask
    pool["efficiency"] = one["wall_seconds"] / (2 * pool["wall_seconds"])
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        procs += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                    "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for _ in range(2)]
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            cluster = timed("2 dask worker processes (cluster)", client=client)
        cluster["efficiency"] = one["wall_seconds"] / (2 * cluster["wall_seconds"])
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(20)
    for row in rows[1:]:
        print(f"{row['run']:34} parallel efficiency {row['efficiency']:.0%}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="store_true")
    parser.add_argument("--curve", action="store_true")
    parser.add_argument("--threads", action="store_true", help="the curve's 150-1000 on 1 and 2 threads")
    parser.add_argument("--efficiency", action="store_true",
                        help="the chain planned as a group on 1 and 2 workers, locally and on a Dask cluster")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(solve_one(args.one, args.time_limit, args.workers)))
        return
    print(f"{'instance':24} {'kids':>5} {'rms':3} {'wrk':3} {'status':10} {'points':>8} {'bound':>10} {'gap':>7} "
          f"{'prt':3} {'seconds':>7} {'peak MB':>7} {'tree MB':>7} checker")
    rows = []
    if args.group:
        rows += [in_process(p, args.time_limit) for p in group_files()]
        chain = [r for r in rows if r["instance"] != "pooled2000"]
        print(f"chain of {len(chain)}: {sum(r['seconds'] for r in chain):.1f} s in all, "
              f"{sum(r['status'] == 'optimal' for r in chain)} proven optimal")
    if args.curve:
        rows += [in_process(p, args.time_limit) for p in curve_files()]
    if args.threads:
        rows += [in_process(p, args.time_limit, w) for p in curve_files()[1:] for w in (1, 2)]
    if args.efficiency:
        rows += efficiency(args.time_limit)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
