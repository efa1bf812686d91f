"""Opening workbooks safely, and writing them without harm.

Input: a file is sniffed by its bytes (not its name), its zip directory is
checked against size limits before any XML is parsed, and openpyxl parses
with defusedxml (entity-expansion bombs are refused). Output: text that Excel
would run as a formula is written as text, and a workbook is written to a
temporary file and renamed into place, never over the input.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import defusedxml  # noqa: F401  (openpyxl parses with defusedxml when it is importable)
import openpyxl
from openpyxl.cell.cell import Cell

from ..errors import DataError, Problem
from .stable import save_stable

MAX_FILE_BYTES = 50 * 2**20
MAX_UNCOMPRESSED_BYTES = 200 * 2**20
MAX_COMPRESSION_RATIO = 150
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 20_000
MAX_COLUMNS = 500

SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)"


def _refuse(path: Path, message: str, hint: str = SAVE_AS_XLSX) -> DataError:
    return DataError(Problem(f"{path.name} {message}", hint=hint))


def sniff(path: Path) -> None:
    """Raise :class:`DataError` unless ``path`` looks like a safe-sized .xlsx/.xlsm zip."""
    if not path.exists():
        raise _refuse(path, "no such file", "check the file name and folder")
    if path.is_dir():
        raise _refuse(path, "is a folder, not a workbook", "give the path of the .xlsx file")
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise _refuse(path, f"can't be read ({exc.strerror or exc})",
                      "check you have permission to open it, and close it in other programs") from None
    if size == 0:
        raise _refuse(path, "is empty (0 bytes)", "choose the workbook itself; this file has nothing in it")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"is {size // 2**20} MB, more than the {MAX_FILE_BYTES // 2**20} MB limit",
                      "a setting's workbook is far smaller: remove pictures and unused sheets")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(path, "is an old-style Excel 97-2003 (.xls) workbook or is password-protected",
                      SAVE_AS_XLSX + ", without a password")
    if not head.startswith(b"PK"):
        kind = "a text or CSV file" if _looks_like_text(head) else "not an Excel workbook"
        raise _refuse(path, f"is {kind}, not an Excel workbook")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and b"opendocument" in z.read("mimetype")[:100]:
                raise _refuse(path, "is an OpenDocument (.ods) spreadsheet, not an Excel workbook")
    except zipfile.BadZipFile:
        raise _refuse(path, "is damaged or not an Excel workbook") from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _refuse(path, "is a zip file but not an Excel workbook")
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(path, f"holds {len(infos)} parts, more than a workbook needs", "save a clean copy as .xlsx")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or (total > 10 * 2**20 and total / packed > MAX_COMPRESSION_RATIO):
        raise _refuse(path, f"unpacks to {total // 2**20} MB, too large to be a setting's workbook "
                      "(possibly a zip bomb)", "use the setting's own workbook")


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def load(path: Path) -> openpyxl.Workbook:
    """Open a workbook for reading values (cached formula results), after :func:`sniff`."""
    sniff(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True, keep_links=False)
    except Exception as exc:  # any parser failure means the same to a manager
        name = type(exc).__name__
        causes = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
        if any("Entit" in n or "DTD" in n or "Forbidden" in n for n in causes):
            raise _refuse(path, "contains unsafe XML (entity definitions) and was not opened",
                          "use the setting's own workbook") from None
        raise _refuse(path, f"could not be read as an Excel workbook ({name})") from None
    for ws in wb.worksheets:
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
            raise DataError(Problem(f"has {ws.max_row} rows and {ws.max_column} columns, more than the "
                                    f"{MAX_ROWS} rows and {MAX_COLUMNS} columns keyperson reads",
                                    sheet=ws.title, hint="delete unused rows and columns"))
    return wb


# -- output --------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Cell, value: object) -> None:
    """Store ``value`` in ``cell``; text that Excel would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise write an '='-string as a formula


def check_output(out: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse to write over an input or onto a workbook that is open in Excel."""
    for p in inputs:
        if out.resolve() == p.resolve():
            raise DataError(Problem(f"{out.name}: the output would overwrite the input workbook",
                                    hint="choose another file with -o"))
    lock = out.with_name("~$" + out.name)
    if lock.exists():
        raise DataError(Problem(f"{out.name} is open in Excel (it has a lock file {lock.name})",
                                hint="close it in Excel and run again, or choose another file with -o"))
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DataError(Problem(f"{out.name}: the output must be an .xlsx file", hint="end the name with .xlsx"))
    if not out.parent.exists():
        raise DataError(Problem(f"{out.parent}: no such folder", hint="create it, or choose another folder"))


def save_atomic(wb: openpyxl.Workbook, out: Path, stamp: datetime | None = None) -> None:
    """Write ``wb`` to a temporary file beside ``out`` and rename it into place; the same workbook always
    gives the same bytes, its document dates ``stamp`` (see :mod:`.stable`)."""
    fd, tmp = tempfile.mkstemp(prefix=".keyperson-", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    try:
        save_stable(wb, tmp, stamp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a plan is for sharing like any file
        os.replace(tmp, out)
    except PermissionError:
        raise DataError(Problem(f"{out.name} can't be written: permission denied",
                                hint="close it in Excel (or any other program) and run again")) from None
    except OSError as exc:
        raise DataError(Problem(f"{out.name} can't be written ({exc.strerror or exc})",
                                hint="check the folder has space and you may write to it")) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
