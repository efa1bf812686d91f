"""Write a group's summary workbook: one row per setting with the group's totals, then every setting's
located problems or reasons, so a group's operations team sees at a glance which settings need them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from ..group import DONE
from .safety import check_output, save_atomic
from .style import BOLD, GOOD_FILL, WARN_FILL, print_all, write_table

SUMMARY_COLUMNS = ["Setting", "File", "Status", "Children", "Staff", "Coverage %", "Key person changes",
                   "Warnings", "Ratio shortfalls", "Re-checked", "Seconds", "Output"]

# one landscape A4 page across at a readable size (146 characters; tests/test_group.py prints it)
WIDTHS: dict[str, float] = {"Setting": 16, "File": 16, "Status": 26, "Children": 9, "Staff": 7, "Coverage %": 9,
          "Key person changes": 9, "Warnings": 9, "Ratio shortfalls": 9, "Re-checked": 12, "Seconds": 8, "Output": 16}


def write_group_summary(summary: pd.DataFrame, totals: dict, out: str | Path,
                        inputs: tuple[Path, ...] = ()) -> Path:
    """``summary`` (from :func:`scheduler.group.run_group`) and its ``totals`` at ``out``."""
    out = Path(out)
    check_output(out, inputs)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Group summary"
    rows = [tuple(r[c] for c in SUMMARY_COLUMNS) for _, r in summary.iterrows()]
    rows.append(tuple(totals.get(c) for c in SUMMARY_COLUMNS))
    write_table(ws, SUMMARY_COLUMNS, rows, widths=WIDTHS)
    for r in range(2, len(rows) + 1):
        ok = ws.cell(r, 3).value in DONE
        ws.cell(r, 3).fill = GOOD_FILL if ok else WARN_FILL
    for cell in ws[len(rows) + 1]:
        cell.font = BOLD
    problems = wb.create_sheet("Problems")
    write_table(problems, ["Setting", "File", "Status", "Problem or reason"],
                [(r["Setting"], r["File"], r["Status"], p) for _, r in summary.iterrows() for p in r["Problems"]],
                widths={"Setting": 24, "File": 24, "Status": 30, "Problem or reason": 100})
    print_all(wb)
    save_atomic(wb, out, private=False)  # names of settings and counts, no child's name
    return out
