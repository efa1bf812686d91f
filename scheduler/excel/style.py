"""Shared look of every sheet keyperson writes: headers, widths, frozen panes, safe text."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .safety import set_text

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WARN_FILL = PatternFill("solid", fgColor="FCE4D6")
GOOD_FILL = PatternFill("solid", fgColor="E2EFDA")
SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")  # a shortfall (stronger than a warning)
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
DATE_FORMAT = "DD/MM/YYYY"
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
BOX = Border(*(Side(style="thin", color="999999"),) * 4)  # a cell of a form filled in by hand


def write_table(ws: Worksheet, headers: list[str], rows, start_row: int = 1,
                widths: dict[str, int] | None = None, freeze: bool = True, autofilter: bool = True) -> int:
    """Write a header and rows at ``start_row``; return the next free row."""
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(start_row, j)
        set_text(cell, h)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for j, value in enumerate(row, start=1):
            put(ws.cell(r, j), value)
    if freeze:
        ws.freeze_panes = ws.cell(start_row + 1, 1)
    if autofilter and headers:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{max(r, start_row)}"
    fit_widths(ws, headers, widths)
    return r + 1


def put(cell, value) -> None:
    if isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        set_text(cell, value)


def fit_widths(ws: Worksheet, headers: list[str], widths: dict[str, int] | None = None) -> None:
    widths = widths or {}
    for j, h in enumerate(headers, start=1):
        letter = get_column_letter(j)
        if h in widths:
            ws.column_dimensions[letter].width = widths[h]
            continue
        longest = max((len(str(c.value)) for c in ws[letter][:200] if c.value is not None), default=8)
        ws.column_dimensions[letter].width = min(max(longest + 2, len(h) * 0.9 + 2, 7), 60)
