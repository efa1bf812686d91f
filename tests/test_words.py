"""Every sentence a manager reads is in their words: no solver terms, rounded shares, names with IDs."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pandas as pd
from click.testing import CliRunner

from scheduler import plan, read_setting
from scheduler.cli import main
from scheduler.result import Status
from scheduler.words import measures_table, quality, sweep_table
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "sample-nursery.xlsx"
JARGON = re.compile(r"\b(objective|bound|optimal|infeasible|int|bool|NaN|nan|None)\b|_pct|\d\.\d{3,}")


def text_of(path) -> list[str]:
    """Every text cell of the plan's own sheets (the manager's sheets are theirs)."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets[: wb.sheetnames.index("Glossary") + 1]:
        out += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    return out


def test_the_plan_workbook_and_terminal_speak_a_managers_words(tmp_path):
    """Summary says "Best possible plan (proven)" and explains points once; no solver word anywhere in the
    plan's sheets or the terminal summary; a Glossary sheet explains the words."""
    source = tmp_path / "sample.xlsx"
    shutil.copy(SAMPLE, source)
    r = CliRunner().invoke(main, ["plan", str(source)])
    assert r.exit_code == 0, r.output
    assert "Best possible plan (proven)" in r.output and "points" in r.output
    assert not JARGON.search(r.output.split("wrote")[0]), JARGON.search(r.output).group(0)
    out = tmp_path / "sample-plan.xlsx"
    cells = text_of(out)
    bad = [c for c in cells if JARGON.search(c)]
    assert not bad, bad[:5]
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True)
               if row[0]}
    assert summary["Plan"] == "Best possible plan (proven)"
    assert sum("Points: " in c for c in cells) == 2  # once on the Summary, once in the Glossary
    glossary = [row[0] for row in openpyxl.load_workbook(out)["Glossary"].iter_rows(min_row=2, values_only=True)]
    assert {"Key person", "Co-worker", "Caseload", "Points"} <= set(glossary)


def test_a_plan_not_yet_proven_says_how_close_it_is():
    """A plan the solver has not proven best reads "Good plan, not yet proven best (within 0.4%)"."""
    result = plan(read_setting(SAMPLE), time_limit=10)
    result.status, result.objective, result.bound = Status.FEASIBLE, 9960, 10000.0
    assert quality(result) == "Good plan, not yet proven best (within 0.4%)"


def test_compare_rounds_shares_and_says_plans_in_words():
    """The what-if Compare table: 91.86046511627907 is 92%, 'optimal' is the best possible plan."""
    frame = pd.DataFrame({"Measure": ["status", "overlap_pct", "objective"],
                          "Current plan": ["current", 91.86046511627907, 13000],
                          "S05 leaves": ["optimal", 88.4, 12000]})
    table = measures_table(frame)
    assert table.iloc[1].tolist() == ["Share of children's sessions their key person works", "92%", "88%"]
    assert table.iloc[0, 2] == "Best possible plan (proven)"


def test_sweep_prints_and_writes_a_table_in_words_with_its_chart(tmp_path):
    """`keyperson sweep -o` prints whole numbers (no NaN, no 13184.0, no coverage_pct) and writes the same
    table with a chart of the shares."""
    out = tmp_path / "sweep.xlsx"
    r = CliRunner().invoke(main, ["sweep", str(SAMPLE), "--cap", "5,6", "-o", str(out), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert not JARGON.search(r.output), JARGON.search(r.output).group(0)
    assert "Best possible plan (proven)" in r.output and "cap 5:" in r.output  # 5 leaves no plan: why
    ws = openpyxl.load_workbook(out)["Sweep"]
    assert [c.value for c in ws[1]][:3] == ["Cap", "Plan", "Points"]
    assert isinstance(ws.cell(3, 3).value, int)
    assert len(ws._charts) == 1


def test_sweep_table_leaves_blanks_where_there_is_no_plan():
    """A scenario without a plan has blank measures, not NaN; floats become whole numbers."""
    frame = pd.DataFrame({"cap": [4, 6], "status": ["infeasible", "optimal"], "objective": [None, 13184.0],
                          "coverage_pct": [None, 99.6], "reason": ["Room Baby: short", ""]})
    table = sweep_table(frame)
    assert table.to_dict("records") == [
        {"Cap": 4, "Plan": "No plan keeps every rule", "Points": None, "Key person or co-worker in (%)": None,
         "Why there is no plan": "Room Baby: short"},
        {"Cap": 6, "Plan": "Best possible plan (proven)", "Points": 13184, "Key person or co-worker in (%)": 100,
         "Why there is no plan": ""}]


def test_the_templates_rule_list_says_what_to_write(tmp_path):
    """The template's Rule names sheet says "a whole number" or "yes or no", never int or bool."""
    out = tmp_path / "t.xlsx"
    assert CliRunner().invoke(main, ["template", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out)["Rule names"]
    kinds = {row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert kinds <= {"a whole number", "a whole number from 1", "yes or no", "a date (DD/MM/YYYY)", "text"}
    assert "yes or no" in kinds and "a whole number" in kinds
