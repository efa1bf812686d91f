"""Opening workbooks safely, and writing them without harm.

Input: a file is sniffed by its bytes (not its name), its zip directory is
checked against size limits before any XML is parsed, and openpyxl parses
with defusedxml (entity-expansion bombs are refused). Output: text that Excel
would run as a formula is written as text, and every file is written to a
temporary file and renamed into place (:func:`write_atomic`), never over an
input or another output of the same run (:func:`check_outputs`).
"""

from __future__ import annotations

import gc
import io
import os
import signal
import stat
import sys
import tempfile
import threading
import warnings
import zipfile
from contextlib import contextmanager
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
    """Open a workbook for streaming its values (cached formula results), after :func:`sniff`.

    The workbook is opened read-only, so its rows are parsed one at a time as :func:`data_rows` asks for
    them: memory follows the cells that hold data, not the sheet's bounding box (one formatted blank
    cell at row 19,999, column 499 once made openpyxl build 10 million cells). Close it when done.
    """
    sniff(path)
    try:
        with warnings.catch_warnings():  # openpyxl's notes on parts it skips are not the manager's concern
            warnings.simplefilter("ignore", UserWarning)
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # any parser failure means the same to a manager
        raise _unreadable(path, exc) from None
    return wb


def _unreadable(path: Path, exc: Exception) -> DataError:
    name = type(exc).__name__
    causes = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    if any("Entit" in n or "DTD" in n or "Forbidden" in n for n in causes):
        return _refuse(path, "contains unsafe XML (entity definitions) and was not opened",
                       "use the setting's own workbook")
    return _refuse(path, f"could not be read as an Excel workbook ({name})")


def data_rows(ws, path: Path) -> list[tuple[int, tuple[object, ...]]]:
    """The rows of sheet ``ws`` that hold anything, as ``(Excel row number, values)`` with trailing blanks
    dropped; a :class:`DataError` for data beyond :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns, or
    a sheet that can't be parsed. Memory follows the cells present, never the sheet's bounding box."""
    out = []
    try:
        with warnings.catch_warnings():  # "a date serial outside the limits": read as an error value instead
            warnings.simplefilter("ignore", UserWarning)
            for r, values in _rows(ws):
                last = len(values)
                while last and (values[last - 1] is None or values[last - 1] == ""):
                    last -= 1
                if not last:
                    continue
                if r > MAX_ROWS or last > MAX_COLUMNS:
                    raise DataError(Problem(f"has data beyond the {MAX_ROWS} rows and {MAX_COLUMNS} columns "
                                            f"keyperson reads (row {r}, column {last})", sheet=ws.title,
                                            hint="delete the rows and columns below and right of the table"))
                out.append((r, tuple(values[:last])))
    except DataError:
        raise
    except Exception as exc:  # a damaged sheet
        raise _unreadable(path, exc) from None
    return out


def _rows(ws):
    """``(row number, values)`` of every row of ``ws`` present in the file, streamed from a read-only
    sheet (its stated size not trusted: rows come as long as their cells), or from the cells a fully
    loaded sheet holds (``iter_rows`` would create every cell of the bounding box)."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
        yield from enumerate(ws.iter_rows(values_only=True), start=1)
        return
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), cell in ws._cells.items():  # openpyxl's store of the cells the sheet really has
        by_row.setdefault(r, {})[c] = cell.value
    for r in sorted(by_row):
        row = by_row[r]
        yield r, tuple(row.get(c) for c in range(1, max(row) + 1))


# -- output --------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_text(cell: Cell, value: object) -> None:
    """Store ``value`` in ``cell``; text that Excel would read as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise write an '='-string as a formula


def csv_text(value: object) -> object:
    """A CSV cell that Excel will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are the same file: the same path once links are followed, or hard links."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def check_outputs(outputs: dict[str, Path], inputs: tuple[Path, ...] = ()) -> None:
    """Refuse (a :class:`DataError`) any output that is, or links to, an input or another output of the
    same run, or whose folder is missing or not writable. ``outputs`` maps what each file is ("plan
    workbook", "key") to its path."""
    seen: list[tuple[str, Path]] = []
    for what, out in outputs.items():
        for p in inputs:
            if same_file(out, p):
                raise DataError(Problem(f"{out.name}: the {what} would overwrite the input workbook {p.name}",
                                        hint="choose another file name"))
        for other_what, other in seen:
            if same_file(out, other):
                raise DataError(Problem(f"{out.name}: the {what} and the {other_what} would be the same file",
                                        hint="give each its own file name"))
        seen.append((what, out))
        _check_writable(out, what)


def _check_writable(out: Path, what: str) -> None:
    folder = out.parent
    if not folder.exists():
        raise DataError(Problem(f"{folder}: no such folder (for the {what})",
                                hint="create it, or choose another folder"))
    if not folder.is_dir():
        raise DataError(Problem(f"{folder} is a file, not a folder (for the {what})", hint="choose a folder"))
    if out.is_dir():
        raise DataError(Problem(f"{out} is a folder; the {what} must be a file", hint="give a file name"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataError(Problem(f"{folder}: you may not write in this folder (for the {what})",
                                hint="choose a folder you can save files in"))


def check_output(out: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse to write a workbook over an input, onto one open in Excel, or where it can't be written."""
    check_outputs({"output": out}, inputs)
    lock = out.with_name("~$" + out.name)
    if lock.exists():
        raise DataError(Problem(f"{out.name} is open in Excel (it has a lock file {lock.name})",
                                hint="close it in Excel and run again, or choose another file with -o"))
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DataError(Problem(f"{out.name}: the output must be an .xlsx file", hint="end the name with .xlsx"))


@contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM (delivered when the block ends), so a temporary file is never left behind
    between its creation and its rename or removal."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def write_atomic(out: Path, data: bytes, private: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``out`` and rename it into place: ``out`` is whole or as it
    was, and no temporary file survives an error or a signal. An existing file keeps its permissions; a
    new one is readable by its owner only when ``private`` (it holds names), else as the umask allows."""
    out = Path(out)
    mode = _mode_for(out, private)
    tmp: str | None = None
    try:
        with signals_held():
            fd, tmp = tempfile.mkstemp(prefix=".keyperson-", suffix=out.suffix, dir=out.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        with signals_held():
            os.replace(tmp, out)
            tmp = None
    except PermissionError:
        raise DataError(Problem(f"{out.name} can't be written: permission denied",
                                hint="close it in Excel (or any other program) and run again")) from None
    except OSError as exc:
        raise DataError(Problem(f"{out.name} can't be written ({exc.strerror or exc})",
                                hint="check the folder has space and you may write to it")) from None
    finally:
        with signals_held():
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)


def _mode_for(out: Path, private: bool) -> int:
    try:
        return stat.S_IMODE(os.stat(out).st_mode)
    except OSError:
        pass
    if private:
        return 0o600
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def workbook_bytes(wb: openpyxl.Workbook, stamp: datetime | None = None) -> bytes:
    """The .xlsx file of ``wb``, made in memory; the same workbook always gives the same bytes, its document
    dates ``stamp`` (see :mod:`.stable`). openpyxl still streams each sheet through a temporary file: when
    that fails (a full disk), its half-written streams complain as they are collected ("Exception ignored
    ... Traceback"), so they are collected here, quietly, before the one error goes on."""
    buffer = io.BytesIO()
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    failed: Exception | None = None
    try:
        save_stable(wb, buffer, stamp)
    except write_errors() as exc:
        failed = exc.with_traceback(None)  # no frames kept: the streams can be collected now
        failed.__context__ = failed.__cause__ = None
    finally:
        gc.collect()
        sys.unraisablehook = hook
    if failed is not None:
        raise failed
    return buffer.getvalue()


def save_atomic(wb: openpyxl.Workbook, out: Path, stamp: datetime | None = None, private: bool = True) -> None:
    """Write ``wb`` at ``out`` with :func:`write_atomic`."""
    try:
        data = workbook_bytes(wb, stamp)
    except write_errors() as exc:
        reason = getattr(exc, "strerror", None) or "the disk or the temporary folder may be full"
        raise DataError(Problem(f"{out.name} can't be written ({reason})",
                                hint="check the disk has space and you may write to it")) from None
    write_atomic(out, data, private)


def write_errors() -> tuple[type[Exception], ...]:
    """What writing a workbook may raise: an OSError, or lxml's serialisation error."""
    return (OSError, *lxml_errors())


def lxml_errors() -> tuple[type[Exception], ...]:
    """The error lxml (openpyxl's writer, when installed) raises when it can't write a sheet's stream."""
    try:
        from lxml.etree import SerialisationError
    except ImportError:
        return ()
    return (SerialisationError,)


def write_csv(rows: list[tuple[object, ...]], out: Path, private: bool = True) -> None:
    """Write ``rows`` as a UTF-8 CSV file with :func:`write_atomic`; text that Excel would run as a formula
    is written with a leading apostrophe."""
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([tuple(csv_text(v) for v in row) for row in rows])
    write_atomic(out, buffer.getvalue().encode("utf-8"), private)
