"""Shared look of every sheet keyperson writes: headers, widths, wrapping, safe text, and printing on A4.

Every sheet of every workbook keyperson writes goes through :func:`print_setup` (directly, or through
:func:`print_all` just before saving): A4, fit to the page width (or to as few pages across as keep the
text readable), never squeezed to one page in height, the header rows repeated on every page, the sheet
name and page number in the footer.
"""

from __future__ import annotations

import math
import textwrap
import weakref
from collections.abc import Mapping
from datetime import date, datetime

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
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
TOP = Alignment(vertical="top")
BOX = Border(*(Side(style="thin", color="999999"),) * 4)  # a cell of a form filled in by hand

WIDEST_COLUMN = 30  # characters; longer text wraps in a column this wide
DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody has sized
LINE_HEIGHT = 14.5  # points: a line of 11 pt text
CHARACTERS_PER_WIDTH = 1.1  # letters of running text in one unit of column width (a unit is a digit)
BOLD_CHARACTERS_PER_WIDTH = 0.9  # the same for a bold header

# Printing. A4 is paper size 9 in the Office page-setup codes. Widths are in Excel's characters: at
# 100% about 76 fit across portrait A4 and 111 across landscape within these margins (measured by
# printing through LibreOffice with its fallback for Calibri, the widest case). A sheet is fitted to
# as many pages across as keep its 11 pt text (and the footer) at 8.3 pt or more (scale 0.76).
A4 = 9
MARGINS = PageMargins(left=0.35, right=0.35, top=0.55, bottom=0.65, header=0.25, footer=0.3)
FOOTER_PT = 11
CHARACTERS_ACROSS = {"portrait": 100, "landscape": 146}
PORTRAIT_UP_TO = 80  # characters: wider sheets print landscape, at a larger size than portrait allows
_set_up: weakref.WeakSet[Worksheet] = weakref.WeakSet()  # sheets print_setup has seen


def write_table(ws: Worksheet, headers: list[str], rows, start_row: int = 1,
                widths: Mapping[str, float] | None = None, freeze: bool = True, autofilter: bool = True) -> int:
    """Write a header and rows at ``start_row``; return the next free row.

    Columns are sized to their text up to :data:`WIDEST_COLUMN`; a column whose text is longer, or
    whose width is given in ``widths``, wraps its text.
    """
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(start_row, j)
        set_text(cell, h)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP
    r = start_row
    for r, row in enumerate(rows, start=start_row + 1):
        for j, value in enumerate(row, start=1):
            put(ws.cell(r, j), value)
    if freeze:
        ws.freeze_panes = ws.cell(start_row + 1, 1)
    if autofilter and headers:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{max(r, start_row)}"
    wrapped = fit_widths(ws, headers, widths, start_row)
    for j in wrapped:
        for row_cells in ws.iter_rows(min_row=start_row + 1, max_row=r, min_col=j, max_col=j):
            row_cells[0].alignment = WRAP_TOP
    fit_heights(ws, start_row, start_row, range(1, len(headers) + 1), BOLD_CHARACTERS_PER_WIDTH)
    fit_heights(ws, start_row + 1, r, wrapped)
    return r + 1


def put(cell, value) -> None:
    """Store ``value`` (a date gets the DD/MM/YYYY format; a blank float becomes an empty cell)."""
    if isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, float) and value != value:
        cell.value = None
    else:
        set_text(cell, value)
    cell.alignment = TOP


def fit_widths(ws: Worksheet, headers: list[str], widths: Mapping[str, float] | None = None,
               start_row: int = 1) -> list[int]:
    """Size each column to its text (capped at :data:`WIDEST_COLUMN`); return the columns that wrap."""
    widths = widths or {}
    wrapped = []
    for j, h in enumerate(headers, start=1):
        letter = get_column_letter(j)
        current = ws.column_dimensions[letter].width if letter in ws.column_dimensions else None
        body = [len(str(c.value)) for c in ws[letter][start_row:start_row + 300] if c.value is not None]
        longest = max(body, default=0)
        if h in widths:
            width = widths[h]
        else:
            width = min(max(longest + 2, _header_width(h), 7), WIDEST_COLUMN)
        if current and start_row > 1:
            width = max(width, current)  # a second table on the sheet keeps the first one's widths
        ws.column_dimensions[letter].width = width
        if longest + 1 > width:
            wrapped.append(j)
    return wrapped


def fit_heights(ws: Worksheet, first: int, last: int, columns,
                characters_per_width: float = CHARACTERS_PER_WIDTH) -> None:
    """Make rows ``first`` to ``last`` tall enough for their wrapped text in ``columns``.

    Neither Excel nor LibreOffice grows a row for wrapped text in a file they did not lay out
    themselves, so the lines are counted here (words wrapped at the column's width in characters).
    """
    widths = column_widths(ws)
    for r in range(first, last + 1):
        lines = 1
        for j in columns:
            value = ws.cell(r, j).value
            if value is not None and j <= len(widths):
                per_line = max(1, int(widths[j - 1] * characters_per_width))
                lines = max(lines, len(textwrap.wrap(str(value), per_line)) or 1)
        if lines > 1:
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 0, LINE_HEIGHT * lines + 2)


def widen_unsized(ws: Worksheet, first_row: int = 1) -> None:
    """Give each column nobody sized a width that shows its values from ``first_row`` (the header row: a
    title above it may run across) up to :data:`WIDEST_COLUMN`, so a manager's sheet prints dates rather
    than ``###``; columns they sized keep their width."""
    sized = {j for dim in ws.column_dimensions.values() if dim.width and dim.customWidth
             for j in range(dim.min or column_index_from_string(dim.index),
                            (dim.max or column_index_from_string(dim.index)) + 1)}
    longest: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row, max_row=min(ws.max_row, first_row + 500)):
        for cell in row:
            if cell.value is None or cell.column in sized or cell.coordinate in ws.merged_cells:
                continue
            n = 11 if isinstance(cell.value, (date, datetime)) else len(str(cell.value))
            longest[cell.column] = max(longest.get(cell.column, 0), n)
    for j, n in longest.items():
        if n + 2 > DEFAULT_WIDTH:
            ws.column_dimensions[get_column_letter(j)].width = min(n + 2, WIDEST_COLUMN)


def _header_width(header: str) -> float:
    """Wide enough for the header's longest word, and for the header on at most three lines."""
    longest_word = max((len(w) for w in header.split()), default=0)
    return max(longest_word + 1.5, len(header) / 3 + 1.5)


def print_setup(ws: Worksheet, header_rows: int | None = 1, title_columns: str | None = "A:A",
                orientation: str | None = None, keep_own: bool = False) -> None:
    """Set ``ws`` up to print on A4.

    Parameters
    ----------
    ws
        The sheet.
    header_rows
        Rows 1 to ``header_rows`` are repeated at the top of every page (None: none).
    title_columns
        Columns repeated at the left of every page when the sheet is too wide for one (e.g. ``"A:B"``).
    orientation
        ``"portrait"`` or ``"landscape"``; by default portrait when the columns fit across it.
    keep_own
        For a manager's own sheet: keep the rows and columns they repeat, their footer and margins, and
        their orientation when they chose one; A4 and the fit to the width (never to one page high) are
        still set, so it prints readably.
    """
    if keep_own and ws.page_setup.orientation in ("portrait", "landscape") and orientation is None:
        orientation = ws.page_setup.orientation
    widths = column_widths(ws)
    total = sum(widths)
    if orientation is None:
        orientation = "portrait" if total <= PORTRAIT_UP_TO else "landscape"
    across = CHARACTERS_ACROSS[orientation]
    pages = max(1, math.ceil(total / across))
    if pages > 1 and title_columns:  # the repeated columns take room on every page after the first
        repeated = sum(widths[j - 1] for j in _columns(title_columns) if j <= len(widths))
        pages = max(1, math.ceil((total + repeated * (pages - 1)) / across))
    setup = ws.page_setup
    setup.paperSize = A4
    setup.orientation = orientation
    setup.fitToWidth = pages
    setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _set_up.add(ws)
    if keep_own and ws.print_title_rows:
        header_rows = None
    if keep_own and ws.print_title_cols:
        title_columns = None
    if not keep_own or ws.page_margins.left == PageMargins().left:
        ws.page_margins = MARGINS
    if header_rows and ws.max_row > header_rows:
        ws.print_title_rows = f"1:{header_rows}"
    if title_columns and setup.fitToWidth > 1:
        ws.print_title_cols = title_columns
    if keep_own and (ws.oddFooter.left.text or ws.oddFooter.center.text or ws.oddFooter.right.text):
        return
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = FOOTER_PT


def _columns(span: str) -> range:
    """``"A:B"`` -> the column numbers 1 and 2."""
    first, _, last = span.partition(":")
    return range(column_index_from_string(first), column_index_from_string(last or first) + 1)


def column_widths(ws: Worksheet) -> list[float]:
    """Each used column's width in Excel's characters (hidden columns 0), reading grouped
    ``<col min max>`` entries as a manager's workbook may have them."""
    n = ws.max_column or 1
    out = [DEFAULT_WIDTH] * n
    for dim in ws.column_dimensions.values():
        lo = dim.min or column_index_from_string(dim.index)
        hi = dim.max or lo
        for j in range(lo, min(hi, n) + 1):
            out[j - 1] = 0 if dim.hidden else (dim.width or DEFAULT_WIDTH)
    return out


def is_set_up(ws: Worksheet) -> bool:
    """Whether :func:`print_setup` has set ``ws`` up."""
    return ws in _set_up


def print_all(wb: Workbook) -> None:
    """Give every sheet not yet set up the default page setup (header row 1), just before saving."""
    for ws in wb.worksheets:
        if ws not in _set_up:
            print_setup(ws)
