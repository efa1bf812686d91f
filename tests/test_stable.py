"""The same input and options give a byte-for-byte identical plan workbook, whenever it is written."""

from __future__ import annotations

import time
import zipfile

import openpyxl

from scheduler import plan, read_setting, write_plan
from tests.conftest import ROOT


def test_plan_workbooks_written_apart_are_identical(tmp_path, monkeypatch):
    """Two writes of one plan, the clock moved between them, give the same bytes: the zip parts carry 1980-01-01
    and the document dated the plan date (openpyxl would stamp both with the time of saving)."""
    result = plan(read_setting(ROOT / "data" / "sample-nursery.xlsx"))
    first = write_plan(result, tmp_path / "first.xlsx")
    monkeypatch.setattr(time, "time", lambda: 946_684_800.0)  # the clock of another day (1 January 2000)
    second = write_plan(result, tmp_path / "second.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = openpyxl.load_workbook(first).properties
    assert props.created.date() == props.modified.date() == result.on
