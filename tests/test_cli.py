"""The keyperson command: exit codes, the plan workbook, and never touching the input."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date

import openpyxl
from click.testing import CliRunner

from scheduler import read_setting, read_workbook, replace, write_setting
from scheduler.cli import main
from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "data" / "sample-nursery.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_the_sample():
    """`keyperson check` on the sample: exit 0 and the counts in words."""
    r = run("check", SAMPLE)
    assert r.exit_code == 0, r.output
    assert "60 children" in r.output and "19 staff" in r.output and "demand" in r.output


def test_plan_writes_every_sheet_and_leaves_the_input_alone(tmp_path):
    """`keyperson plan` writes NAME-plan.xlsx with every sheet; the input is byte-for-byte unchanged."""
    wb_in = tmp_path / "setting.xlsx"
    shutil.copy(SAMPLE, wb_in)
    before = digest(wb_in)
    r = run("plan", wb_in)
    assert r.exit_code == 0, r.output
    out = tmp_path / "setting-plan.xlsx"
    names = openpyxl.load_workbook(out).sheetnames
    for sheet in ("Summary", "Key persons", "Caseloads", "Daily record", "Changes", "Warnings", "Children", "Staff"):
        assert sheet in names
    assert digest(wb_in) == before
    kp = openpyxl.load_workbook(out)["Key persons"]
    assert [c.value for c in kp[1]][:3] == ["Child", "Key person", "Co-worker"]
    assert kp.cell(2, 1).value == "Baby: 15 children"  # each room's heading, then its children
    assert kp.cell(3, 1).value == "Rosie Owen (C001)"


def test_the_plan_is_next_terms_input(tmp_path):
    """The plan workbook reads back as a setting whose current key persons are the plan's."""
    out = tmp_path / "plan.xlsx"
    assert run("plan", SAMPLE, "-o", out).exit_code == 0
    again = read_setting(out)
    table = openpyxl.load_workbook(out)["Key persons"]
    ident = re.compile(r"\((\w+)\)$")  # "Rosie Owen (C001)" -> C001
    planned = {ident.search(child).group(1): ident.search(kp).group(1)
               for child, kp, *_ in table.iter_rows(min_row=2, values_only=True) if kp}
    assert {c.id: c.key_person for c in again.children} == planned


def test_output_onto_the_input_is_refused(tmp_path):
    """-o naming the input exits 2 and writes nothing."""
    wb_in = tmp_path / "s.xlsx"
    shutil.copy(SAMPLE, wb_in)
    before = digest(wb_in)
    r = run("plan", wb_in, "-o", wb_in)
    assert r.exit_code == 2 and "overwrite the input" in r.output
    assert digest(wb_in) == before


def test_output_open_in_excel_is_refused(tmp_path):
    """An Excel lock file beside the output: exit 2 asking to close it."""
    (tmp_path / "~$out.xlsx").write_text("lock")
    r = run("plan", SAMPLE, "-o", tmp_path / "out.xlsx")
    assert r.exit_code == 2 and "close it" in r.output


def test_impossible_setting_exits_3_and_writes_nothing(tmp_path):
    """A room whose caps can't hold its children: exit 3 naming the room; no plan file."""
    s = read_setting(SAMPLE)
    tight = replace(s, rules=replace(s.rules, max_key_children=1), rooms=tuple(replace(r, max_key_children=None)
                                                                               for r in s.rooms))
    path = write_setting(tight, tmp_path / "tight.xlsx")
    r = run("plan", path)
    assert r.exit_code == 3 and "Room Baby: its children need" in r.output, r.output
    assert not (tmp_path / "tight-plan.xlsx").exists()


def test_names_that_look_like_formulas_are_written_as_text(tmp_path):
    """A child named '=HYPERLINK(...)' comes out as text in the plan, never a formula."""
    s = read_setting(SAMPLE)
    evil = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    s = replace(s, children=(replace(s.children[0], name=evil), *s.children[1:]))
    path = write_setting(s, tmp_path / "evil.xlsx")
    assert run("plan", path, "-o", tmp_path / "out.xlsx").exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Key persons"]
    cell = ws.cell(3, 1)  # row 2 is the room's heading
    assert cell.value == f"{evil} ({s.children[0].id})" and cell.data_type == "s"
    assert read_workbook(path).setting.children[0].name == evil


def test_template_refuses_to_overwrite(tmp_path):
    """`keyperson template` writes a readable workbook, and won't replace a file without --force."""
    out = tmp_path / "t.xlsx"
    assert run("template", out).exit_code == 0
    assert read_workbook(out).setting.children[0].id == "C001"
    assert run("template", out).exit_code == 2
    assert run("template", out, "--force").exit_code == 0


def test_bad_plan_date_option():
    """--on that is not a date is a usage error (exit 2), not a traceback."""
    r = run("check", DATA / "good-sessions.xlsx", "--on", "someday")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_daily_record_lists_each_rooms_children_in_sheet_order(tmp_path):
    """Monday's block: room Y (first on the Rooms sheet) before room X, and within X, x1 (in only for
    the afternoon) stays before x2: sheet order, not the order children first appear in the day."""
    from scheduler import Room, plan
    from scheduler.excel.plan_writer import write_plan
    from tests.conftest import kid, member, tiny

    s = tiny([kid("x1", "Mon PM", "X"), kid("x2", "Mon AM,Mon PM", "X"), kid("y1", "Mon AM", "Y")],
             [member("A", "Mon AM,Mon PM", "X"), member("B", "Mon PM", "X"), member("C", "Mon AM", "Y"),
              member("D", "Mon AM", "Y")], rooms=(Room("Y", None, 8), Room("X", None, 8)))
    result = plan(s)
    write_plan(result, tmp_path / "plan.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "plan.xlsx")["Daily record"].iter_rows(values_only=True))
    assert rows[1][:4] == ("Date", "Room", "Child", "Sessions")
    monday = [r[1:3] for r in rows[2:] if r[0].date() == date(2027, 1, 4)]  # the plan date, a Monday
    assert monday == [("Y", "Child y1 (y1)"), ("X", "Child x1 (x1)"), ("X", "Child x2 (x2)")]
    x1 = rows[3]
    assert x1[3] == "13:00-18:00" and x1[7] == f"Staff {result.key_person['x1']}"  # A and B both work Mon PM


def test_outputs_are_never_overwritten_without_force(tmp_path):
    """plan -o, whatif, sweep -o and pseudonymise refuse an existing output (exit 2, the file untouched)
    unless --force, as template does; the default NAME-plan.xlsx is replaced after saying so."""
    wb_in = tmp_path / "s.xlsx"
    shutil.copy(SAMPLE, wb_in)
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"the manager's own file")
    for args in (["plan", wb_in, "-o", taken], ["pseudonymise", wb_in, taken],
                 ["sweep", wb_in, "--cap", "6", "-o", taken, "--workers", "1"]):
        r = run(*args)
        assert r.exit_code == 2 and "already exists" in r.output and "--force" in r.output, (args, r.output)
        assert taken.read_bytes() == b"the manager's own file"
    assert run("plan", wb_in, "-o", taken, "--force").exit_code == 0
    assert run("plan", wb_in).exit_code == 0
    again = run("plan", wb_in)
    assert again.exit_code == 0 and "s-plan.xlsx exists: it will be replaced" in again.output
    plan_wb = tmp_path / "s-plan.xlsx"
    shutil.copy(taken, tmp_path / "s-plan-whatif.xlsx")
    r = run("whatif", plan_wb, "--leaves", "S12", "--on", "04/01/2027", "--time-limit", 20)
    assert r.exit_code == 2 and "already exists" in r.output
    assert run("whatif", plan_wb, "--leaves", "S12", "--on", "04/01/2027", "--time-limit", 20, "--force").exit_code == 0
