"""Fuzzing the commands: a real plan workbook, mutated (cells swapped and blanked, sheets dropped, rows
duplicated, extreme numbers and dates, unicode), through check, plan, whatif and explain.

Every run must end with 0, 2, 3 or 4 (never a traceback, the internal-error 70 or the invalid-model 5),
within its time limit (a watchdog alarm stands guard against a hang), and a workbook `check` passes must
not then make `plan` fail with bad input. The examples are derandomised, so CI runs the same ones.
"""

from __future__ import annotations

import re
import signal
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scheduler.cli import main
from tests.conftest import DATA

INPUT_SHEETS = ["Children", "Staff", "Rooms", "Rules", "Locks", "Attachments", "Key persons"]
EXTREMES = st.sampled_from([
    1e308, -1e308, 2**63, 10**20, -1, 0, 0.5, 1e-300, "1:100000000000000000000", "1:0", "0:3",
    date(9999, 12, 31), datetime(1900, 1, 1), "31/12/9999", "00/00/0000", "29/02/2027",
    "\u200b", "S1\u200b", "C2\u200b", "\u202eC2", "Ünïcödé Çhïld", "😀", "ｓ１", "#REF!", "=1+1", "   ",
])
CELL = st.tuples(st.sampled_from(INPUT_SHEETS), st.integers(1, 6), st.integers(1, 22))
# the cells the findings of #15 were in: numbers the model holds, dates, IDs (a column by its header)
NAMED = st.sampled_from([("Children", "Child ID"), ("Children", "Starts"), ("Children", "Date of birth"),
                         ("Children", "Support ratio"), ("Children", "Key person"), ("Staff", "Staff ID"),
                         ("Staff", "Max key children"), ("Staff", "Leaves"), ("Rooms", "Ratio"),
                         ("Rooms", "Max key children"), ("Rules", "Value")])
MUTATION = st.one_of(
    st.tuples(st.just("swap"), CELL, CELL),
    st.tuples(st.just("blank"), CELL),
    st.tuples(st.just("drop"), st.sampled_from(INPUT_SHEETS)),
    st.tuples(st.just("duplicate"), st.sampled_from(INPUT_SHEETS), st.integers(1, 5)),
    st.tuples(st.just("put"), CELL, EXTREMES),
    st.tuples(st.just("put named"), NAMED, st.integers(0, 3), EXTREMES),
    st.tuples(st.just("rule"), st.sampled_from(["Weight overlap", "Max changes", "Max key children",
                                                "SEN caseload weight", "Settling-in weeks", "Plan date"]), EXTREMES),
)
ALLOWED = {0, 2, 3, 4}
TIME_LIMIT = "3"
WATCHDOG_SECONDS = 120  # far beyond any command's time limit: only a hang reaches it


@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fuzz") / "plan.xlsx"
    r = CliRunner().invoke(main, ["plan", str(DATA / "good-sessions.xlsx"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def header_row(ws) -> int | None:
    """The header row of an input sheet: the first of the first three holding a Room or Setting column."""
    for r in (1, 2, 3):
        if {"room", "setting"} & {str(c.value).strip().casefold() for c in ws[r]}:
            return r
    return None


def put(cell, value) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def mutate(wb, mutation) -> None:
    kind, *args = mutation
    if kind == "rule" and "Rules" in wb.sheetnames:
        ws = wb["Rules"]
        r = ws.max_row + 1
        ws.cell(r, 1).value = args[0]
        put(ws.cell(r, 2), args[1])
        return
    if kind == "put named":
        (sheet, header), offset, value = args
        ws = wb[sheet] if sheet in wb.sheetnames else None
        r = header_row(ws) if ws is not None else None
        if r is None:
            return
        names = [str(c.value).strip().casefold() for c in ws[r]]
        j = names.index(header.casefold()) + 1 if header.casefold() in names else len(names) + 1
        ws.cell(r, j).value = header
        put(ws.cell(r + 1 + offset, j), value)
        return
    if kind == "drop":
        if args[0] in wb.sheetnames:
            wb.remove(wb[args[0]])
        return
    if kind == "duplicate":
        sheet, row = args
        if sheet in wb.sheetnames:
            ws = wb[sheet]
            ws.append([c.value for c in ws[row]])
        return
    cells = [c for c in args if isinstance(c, tuple)]
    if any(sheet not in wb.sheetnames for sheet, _, _ in cells):
        return
    if kind == "swap":
        (s1, r1, c1), (s2, r2, c2) = cells
        a, b = wb[s1].cell(r1, c1), wb[s2].cell(r2, c2)
        a.value, b.value = b.value, a.value
    elif kind == "blank":
        sheet, r, c = cells[0]
        wb[sheet].cell(r, c).value = None
    else:  # put
        (sheet, r, c), value = cells[0], args[1]
        put(wb[sheet].cell(r, c), value)


class Hang(Exception):
    pass


def run(*args) -> int:
    """One command in process, under a watchdog; its exit code (a traceback fails the test)."""
    def hung(signum, frame):
        raise Hang(f"keyperson {' '.join(map(str, args))} ran past {WATCHDOG_SECONDS} s")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(WATCHDOG_SECONDS)
    try:
        r = CliRunner().invoke(main, [str(a) for a in args])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"keyperson {args[0]} raised {r.exception!r}\n{r.output}") from r.exception
    assert r.exit_code in ALLOWED, (args[0], r.exit_code, r.output[-2000:])
    assert not re.search(r"^\s*-\s*$", r.output, re.MULTILINE), f"an empty reason:\n{r.output}"
    return r.exit_code


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
# the workbooks of #15's findings, always among the examples
@example(mutations=[("rule", "Weight overlap", 10**12)])
@example(mutations=[("rule", "Max changes", 1e308)])
@example(mutations=[("rule", "Settling-in weeks", 1e308)])
@example(mutations=[("put named", ("Staff", "Max key children"), 0, 1e308)])
@example(mutations=[("put named", ("Rooms", "Ratio"), 0, "1:100000000000000000000")])
@example(mutations=[("put named", ("Children", "Starts"), 0, "31/12/9999")])
def test_mutated_workbooks_end_in_a_known_exit_code(plan_workbook, tmp_path_factory, mutations):
    """check, plan, whatif and explain on a mutated plan workbook each end in 0, 2, 3 or 4, and a workbook
    that check passes does not make plan report bad input."""
    folder = tmp_path_factory.mktemp("case")
    wb = openpyxl.load_workbook(plan_workbook)
    for m in mutations:
        try:
            mutate(wb, m)
        except (ValueError, TypeError):  # a value openpyxl itself can't store: not keyperson's concern
            continue
    path = folder / "w.xlsx"
    try:
        wb.save(path)
    except (ValueError, TypeError, OverflowError):
        return
    checked = run("check", path)
    planned = run("plan", path, "-o", folder / "p.xlsx", "--time-limit", TIME_LIMIT, "--workers", "1")
    if checked == 0:
        assert planned in (0, 3, 4), "check said usable, plan said bad input"
    run("whatif", path, "--leaves", "S1", "--on", "04/01/2027", "-o", folder / "wi.xlsx", "--time-limit", TIME_LIMIT,
        "--workers", "1")
    run("explain", path, "C2", "--time-limit", TIME_LIMIT)
