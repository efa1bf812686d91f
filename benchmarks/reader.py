"""How fast and how lean the workbook reader is, and what python-calamine would give instead.

    python benchmarks/reader.py                 # keyperson's reader (openpyxl, read-only, streamed)
    pip install python-calamine && python benchmarks/reader.py --calamine

Each measurement runs in a fresh process: seconds to read every sheet's rows, and the growth of the
process's peak memory. Workbooks: a sparse one (one formatted blank cell at row 19,999, column 499 on
every sheet of tests/data/good-sessions.xlsx, about 9 KB), and the benchmark settings n300 and group2000.

Measured on the 2-core build machine (December 2026):

    reader               workbook      seconds   peak growth
    openpyxl read-only   sparse            0.10        0.6 MB
    python-calamine      sparse            0.00        0.4 MB
    openpyxl read-only   n300              0.22        1.4 MB
    python-calamine      n300              0.02        0.7 MB
    openpyxl read-only   group2000         0.77        1.5 MB
    python-calamine      group2000         0.07        3.1 MB

(openpyxl's default mode, which the reader used before, took 76 s and 2.3 GB for the sparse cell on one
sheet, and a MemoryError on six.) calamine is ten times faster, but it reads an error cell (#REF!) as a
blank, which would turn a broken date of birth into a silently missing one; the reader keeps openpyxl.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parent.parent

MEASURE = """
import resource, sys, time
from pathlib import Path
method, path = sys.argv[1], Path(sys.argv[2])
if method == "calamine":
    import python_calamine
else:
    from scheduler.excel import safety
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
rows = 0
if method == "calamine":
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        rows += sum(1 for row in wb.get_sheet_by_name(name).iter_rows() if any(v != "" for v in row))
else:
    wb = safety.load(path)
    rows = sum(len(safety.data_rows(ws, path)) for ws in wb.worksheets)
    wb.close()
seconds = time.perf_counter() - start
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(f"{seconds:.2f} {grown:.1f} {rows}")
"""


def sparse_workbook(out: Path) -> Path:
    """tests/data/good-sessions.xlsx with one formatted blank cell at row 19,999, column 499 on every sheet."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.load_workbook(ROOT / "tests" / "data" / "good-sessions.xlsx")
    for ws in wb.worksheets:
        ws.cell(19999, 499).font = Font(bold=True)
    wb.save(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calamine", action="store_true", help="also measure python-calamine")
    args = parser.parse_args()
    methods = ["openpyxl read-only"] + (["calamine"] if args.calamine else [])
    with tempfile.TemporaryDirectory() as folder:
        books = {"sparse": sparse_workbook(Path(folder) / "sparse.xlsx"),
                 "n300": ROOT / "benchmarks" / "instances" / "full" / "n300.xlsx",
                 "group2000": ROOT / "benchmarks" / "instances" / "group" / "group2000.xlsx"}
        print(f"{'reader':20s} {'workbook':12s} {'seconds':>8s} {'peak growth':>12s} {'rows':>6s}")
        for method in methods:
            for name, path in books.items():
                done = subprocess.run([sys.executable, "-c", MEASURE, method.split()[0], str(path)], cwd=ROOT,
                                      capture_output=True, text=True, check=True)
                seconds, grown, rows = done.stdout.split()
                print(f"{method:20s} {name:12s} {float(seconds):8.2f} {float(grown):9.1f} MB {rows:>6s}")


if __name__ == "__main__":
    main()
