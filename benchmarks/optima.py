"""The proven optimum and the plan's fingerprint for each benchmark instance, to show a refactor changed
no plan.

    python benchmarks/optima.py [--set quick] [--json before.json]

Prints one line per instance: status, objective, each soft term, and a short hash of the plan (every
child's key person and co-worker). Two runs agree exactly when the model and the checker agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from scheduler import Report, plan, read_setting  # noqa: E402


def optima(folder: Path, time_limit: float, workers: int) -> dict[str, dict]:
    """Instance name -> status, objective, soft terms and plan hash."""
    out = {}
    for path in sorted(folder.glob("*.xlsx")):
        result = plan(read_setting(path), time_limit=time_limit, workers=workers)
        chosen = sorted((c, result.key_person[c], result.co_worker[c]) for c in result.key_person)
        out[path.stem] = {"status": result.status.value, "objective": result.objective,
                          "terms": dict(Report(result).terms),
                          "plan": hashlib.blake2b(repr(chosen).encode(), digest_size=6).hexdigest()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="quick")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    found = optima(HERE / "instances" / args.set, args.time_limit, args.workers)
    for name, row in found.items():
        print(f"{name:16} {row['status']:9} {row['objective']!s:>7} plan {row['plan']}")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
