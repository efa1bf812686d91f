"""Write a sweep as a workbook: the table in words with its chart, and every measure for analysts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.chart import LineChart, Reference

from .. import words
from .plan_writer import table_sheet
from .safety import check_output, save_atomic
from .style import print_all

CHARTED = ("Key person or co-worker in (%)", "Key person in for the child (%)")


def write_sweep(frame: pd.DataFrame, out: str | Path, inputs: tuple[Path, ...] = ()) -> Path:
    """Write ``frame`` (:func:`scheduler.sweep.sweep`'s rows) at ``out``: a ``Sweep`` sheet in words with a
    chart of the shares of sessions against each cap or ratio tried, and ``All measures`` as computed."""
    out = Path(out)
    check_output(out, inputs)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sweep"
    table = words.sweep_table(frame)
    table_sheet(ws, table)
    _chart(ws, table)
    table_sheet(wb.create_sheet("All measures"), frame.astype(object).where(frame.notna(), None))
    print_all(wb)
    save_atomic(wb, out)
    return out


def _chart(ws, table: pd.DataFrame) -> None:
    """The charted shares against the first column (the cap or ratio tried), below the table."""
    charted = [c for c in CHARTED if c in table.columns]
    if not charted or len(table) < 2:
        return
    chart = LineChart()
    chart.title = f"What each {table.columns[0].lower()} gives (a gap: no plan)"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.x_axis.title = table.columns[0]
    chart.height, chart.width = 8, 16
    for name in charted:
        j = list(table.columns).index(name) + 1
        chart.add_data(Reference(ws, min_col=j, min_row=1, max_row=len(table) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(table) + 1))
    ws.add_chart(chart, f"A{len(table) + 3}")
