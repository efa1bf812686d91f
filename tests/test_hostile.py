"""Hostile and damaged input: bombs, random cell values, privacy, and the same answer every time."""

from __future__ import annotations

import csv
import errno
import os
import shutil
from datetime import date, datetime, time

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import DataError, generate, plan, read_workbook, write_setting
from scheduler.cli import main
from tests.conftest import DATA, ROOT

GOOD = DATA / "good-sessions.xlsx"


@pytest.mark.parametrize("name, says", [("zip-bomb", "zip bomb"), ("xml-bomb", "unsafe XML")])
def test_bombs_are_refused(name, says):
    """A zip bomb is refused from its zip directory, an entity bomb by defusedxml: exit 2, plain words."""
    r = CliRunner().invoke(main, ["check", str(DATA / "broken" / f"{name}.xlsx")])
    assert r.exit_code == 2 and says in r.output, r.output


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["#REF!", "=1+1", "1:0", "0:3", "31/02/2025", "8-1", "Full", "✓",
                                           "1:1", "EHCP", "-5", "2.5", "S1", "Sam Green", "   ", "\t"]),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)), st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
    st.times(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["Children", "Staff", "Rooms", "Rules", "Locks", "Attachments"]),
                                st.integers(1, 8), st.integers(1, 22), CELL_VALUES), min_size=1, max_size=6))
def test_random_cells_are_read_or_reported(tmp_path_factory, edits):
    """Whatever lands in any cell, the reader either reads the workbook or raises its own DataError."""
    path = tmp_path_factory.mktemp("prop") / "w.xlsx"
    wb = openpyxl.load_workbook(GOOD)
    for sheet, row, col, value in edits:
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch.isprintable() or ch == "\t")
        try:
            wb[sheet].cell(row, col).value = value
        except (ValueError, TypeError):  # a value openpyxl itself can't store: not the reader's concern
            continue
    wb.save(path)
    try:
        read_workbook(path)
    except DataError as exc:
        assert exc.errors and all(p.message for p in exc.errors)


def test_pseudonymise_replaces_every_name(tmp_path):
    """No child or staff name survives; codes are stable across runs; the key maps them back."""
    out, key = tmp_path / "p.xlsx", tmp_path / "key.csv"
    sample = ROOT / "data" / "sample-nursery.xlsx"
    assert CliRunner().invoke(main, ["pseudonymise", str(sample), str(out), "--key", str(key)]).exit_code == 0
    original = read_workbook(sample).setting
    scrambled = read_workbook(out).setting
    names = {c.name for c in original.children} | {s.name for s in original.staff}
    cells = {str(c.value) for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row}
    assert not names & cells
    assert [c.id for c in scrambled.children] == [c.id for c in original.children]
    with key.open() as f:
        mapping = {row["Code"]: row["Name"] for row in csv.DictReader(f)}
    assert {mapping[c.name] for c in scrambled.children} == {c.name for c in original.children}
    again = tmp_path / "q.xlsx"
    CliRunner().invoke(main, ["pseudonymise", str(sample), str(again)])
    assert read_workbook(again).setting.children == scrambled.children


def test_output_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """If saving fails midway, the previous output is left as it was and no temporary file remains."""
    from scheduler.excel import safety
    target = tmp_path / "out.xlsx"
    shutil.copy(GOOD, target)
    before = target.read_bytes()

    real_write = os.write

    def disk_fills(fd, data):  # half the bytes land, then the disk is full
        if len(data) > 1:
            return real_write(fd, bytes(data[:len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_fills)
    with pytest.raises(DataError, match="can't be written .No space left on device"):
        safety.save_atomic(openpyxl.Workbook(), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.slow
def test_two_runs_on_a_150_child_setting_are_identical(tmp_path):
    """Reading and planning the same 150-child workbook twice (1 and 2 workers) gives the identical plan."""
    path = write_setting(generate(150, seed=11), tmp_path / "s.xlsx")
    runs = [plan(read_workbook(path).setting, time_limit=120, workers=w) for w in (1, 2)]
    assert runs[0].key_person == runs[1].key_person and runs[0].co_worker == runs[1].co_worker


def test_times_and_dates_in_odd_places_do_not_crash(tmp_path):
    """A time in a ratio cell and a date in a session cell are read or reported, never a traceback."""
    wb = openpyxl.load_workbook(GOOD)
    wb["Rooms"]["C2"] = time(1, 5)  # Excel's reading of '1:5'
    wb["Children"]["K3"] = datetime(2026, 1, 8)
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as info:
        read_workbook(path)
    assert "Children row 3, Mon AM" in str(info.value)
