"""Reading workbooks: both layouts, forgiving cells, and every broken kind named by sheet, row and column."""

from __future__ import annotations

import shutil
from datetime import date, time

import pytest
from click.testing import CliRunner

from scheduler import DataError, generate, read_workbook, write_setting
from scheduler.cli import main
from scheduler.excel import cells
from tests.conftest import DATA
from tests.data.make_fixtures import BROKEN

FILE_LEVEL = {"empty": "empty", "csv-renamed": "CSV", "old-excel": "97-2003", "not-a-workbook": "damaged",
              "opendocument": "OpenDocument"}


def test_day_and_session_layouts_read_equal():
    """The same setting typed with session columns and with day columns (AM/PM/Full/8-1) reads equal."""
    assert read_workbook(DATA / "good-days.xlsx").setting == read_workbook(DATA / "good-sessions.xlsx").setting


def test_a_workbook_written_by_libreoffice_reads_the_same():
    """LibreOffice's own .xlsx (not openpyxl's) reads to the same setting."""
    assert read_workbook(DATA / "good-libreoffice.xlsx").setting == read_workbook(DATA / "good-sessions.xlsx").setting


def test_forgiving_reading_of_the_good_workbook():
    """Title row, odd headers, numeric IDs, references by name, UK dates and yes-marks all read as meant."""
    s = read_workbook(DATA / "good-sessions.xlsx").setting
    ada = s.child("1")  # Child ID typed as the number 1
    assert ada.room == "Toddler" and ada.key_person == "S1"  # room 'toddler', key person by name
    assert ada.date_of_birth == date(2024, 2, 12)
    assert ada.sessions == {"Mon AM", "Mon PM", "Tue AM", "Tue PM", "Thu AM", "Thu PM"}
    ben = s.child("C2")
    assert ben.sen == "EHCP" and ben.support_ratio == 2 and ben.co_worker == "12"
    assert s.child("C3").home_language is None  # English
    assert s.member("S1").languages == ("Polish", "Urdu") and s.member("S1").can_be_key_person
    assert not s.member("S5").can_be_key_person
    assert s.room("Toddler").ratio == 5 and s.room("Toddler").max_key_children == 3
    assert s.rules.weight_siblings == 50 and s.rules.plan_date == date(2027, 1, 4)
    assert s.attachments[0].child == "1" and s.attachments[0].strength == 3
    assert len(s.sibling_groups()) == 1  # 'Lovelace' and 'lovelace'


def test_a_setting_s_own_sessions():
    """A pre-school's 9:00-12:00 / 12:00-15:00 sessions, with day cells like 9-12, 12-3 and 9-3."""
    s = read_workbook(DATA / "good-preschool.xlsx").setting
    assert [x.name for x in s.sessions][:2] == ["Mon morning", "Tue morning"]
    assert s.sessions[0].start == time(9) and s.sessions[-1].end == time(15)
    assert s.child("P2").sessions == {"Mon afternoon", "Tue morning", "Wed morning", "Wed afternoon"}


def test_hidden_sheet_is_read_with_a_warning():
    """A hidden Rules sheet still applies, and the manager is told it is hidden."""
    reading = read_workbook(DATA / "good-hidden-rules.xlsx")
    assert reading.setting.rules.weight_siblings == 50
    assert any("hidden" in str(w) for w in reading.warnings)


@pytest.mark.parametrize("layout", ["sessions", "days"])
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_settings_round_trip(tmp_path, layout, seed):
    """Writing a setting and reading it back gives the same setting, in either layout."""
    s = generate(40, seed=seed, kind="preschool" if seed else "nursery")
    assert read_workbook(write_setting(s, tmp_path / "s.xlsx", layout)).setting == s


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_workbook_names_sheet_row_and_column(name):
    """Each broken workbook exits 2 from `keyperson check`, naming where the problem is."""
    result = CliRunner().invoke(main, ["check", str(DATA / "broken" / f"{name}.xlsx")])
    assert result.exit_code == 2, result.output
    for fragment in BROKEN[name][1]:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(FILE_LEVEL))
def test_files_that_are_not_workbooks(name):
    """Empty files, CSV, old .xls, a damaged zip and .ods under an .xlsx name: exit 2 with a plain message."""
    path = DATA / "broken" / f"{name}.xlsx"
    if not path.exists():
        pytest.skip("made only where LibreOffice is installed")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and FILE_LEVEL[name] in result.output, result.output


def test_merged_header_cell_hides_a_column():
    """A header merged over two cells keeps only its first: the Room column is missing, said with a hint."""
    r = CliRunner().invoke(main, ["check", str(DATA / "broken" / "merged-header.xlsx")])
    assert r.exit_code == 2 and "Children row 2" in r.output and "no Room column" in r.output
    assert "merged header cells" in r.output


def test_macro_enabled_workbook_reads():
    """An .xlsm reads like an .xlsx (macros are never run)."""
    assert read_workbook(DATA / "good-macro-enabled.xlsm").setting == read_workbook(DATA / "good-sessions.xlsx").setting


def test_missing_file_and_folder(tmp_path):
    """A missing file or a folder is exit 2, not a traceback."""
    for target in (tmp_path / "nope.xlsx", tmp_path):
        result = CliRunner().invoke(main, ["check", str(target)])
        assert result.exit_code == 2 and "Traceback" not in result.output


def test_all_errors_are_reported_together(tmp_path):
    """Two broken cells in different sheets are both reported in one run."""
    import openpyxl
    path = tmp_path / "two.xlsx"
    shutil.copy(DATA / "good-sessions.xlsx", path)
    wb = openpyxl.load_workbook(path)
    wb["Children"]["C3"] = "31/02/2025"
    wb["Staff"]["F3"] = "maybe"
    wb.save(path)
    with pytest.raises(DataError) as info:
        read_workbook(path)
    text = str(info.value)
    assert "Children row 3, Date of birth" in text and "Staff row 3, SEN trained" in text


@pytest.mark.parametrize("raw, expected", [
    ("y", True), ("YES", True), ("x", True), ("✓", True), ("✔", True), ("1", True), ("True", True), (1, True),
    (None, False), ("", False), ("n", False), ("No", False), ("0", False), ("false", False), ("-", False),
])
def test_yes_no(raw, expected):
    """Every yes/no spelling of the contract."""
    assert cells.parse_yes_no(raw) is expected


@pytest.mark.parametrize("raw, expected", [
    ("12/02/2025", date(2025, 2, 12)), ("2025-02-12", date(2025, 2, 12)), (date(2025, 2, 12), date(2025, 2, 12)),
    ("1/9/2026", date(2026, 9, 1)), (45700, date(2025, 2, 12)),
])
def test_dates(raw, expected):
    """UK text dates, ISO dates, real dates and Excel serial numbers."""
    assert cells.parse_date(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("1:3", 3), ("1 : 5", 5), (8, 8), (time(1, 3), 3), ("1:1", 1),
])
def test_ratios(raw, expected):
    """Ratios as text, as a bare number, and as the time 01:03 Excel makes of typing 1:3."""
    assert cells.parse_ratio(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("08:00-13:00", (480, 780)), ("7:30-18", (450, 1080)), ("9-3", (540, 900)), ("8-1", (480, 780)),
    ("1pm-6pm", (780, 1080)), ("nonsense", None),
])
def test_time_ranges(raw, expected):
    """Time ranges in day cells; an end before the start is read as afternoon."""
    assert cells.parse_time_range(raw) == expected
