"""Every workbook keyperson writes, printed through LibreOffice: A4, readable, footers, headers on every page."""

from __future__ import annotations

import shutil
from collections import defaultdict

import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import Room, write_setting
from scheduler.cli import main
from tests.conftest import ROOT, kid, member, tiny
from tests.printing import Page, pages, to_pdf
from tests.test_kept import manager_workbook

SAMPLE = ROOT / "data" / "sample-nursery.xlsx"
SMALLEST_PT = 8
KEY_PERSONS_PT = 9
pytestmark = pytest.mark.slow  # one LibreOffice run over five workbooks: about a minute


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The plan, what-if, sweep, template and pseudonymised workbooks of the sample, and the plan of a
    manager's own workbook (title row, own columns, day layout), and their pages."""
    d = tmp_path_factory.mktemp("print")
    setting = d / "sample.xlsx"
    shutil.copy(SAMPLE, setting)
    run("plan", setting, "--time-limit", 20)
    run("whatif", d / "sample-plan.xlsx", "--leaves", "S12", "--scenario", "S13", "--on", "01/02/2027",
        "--time-limit", 20)
    run("sweep", setting, "--cap", "4,6", "-o", d / "sweep.xlsx", "--workers", 1, "--time-limit", 20)
    run("template", d / "template.xlsx")
    run("pseudonymise", setting, d / "shared.xlsx")
    manager_workbook(d / "sunflower.xlsx")
    run("plan", d / "sunflower.xlsx", "--on", "04/01/2027", "--time-limit", 20)
    write_setting(_long_room_names(), d / "acorns.xlsx")
    run("plan", d / "acorns.xlsx", "--time-limit", 20)
    books = [d / n for n in ("sample-plan.xlsx", "sample-plan-whatif.xlsx", "sweep.xlsx", "template.xlsx",
                             "shared.xlsx", "sunflower-plan.xlsx", "acorns-plan.xlsx")]
    return {book.name: (book, pages(pdf)) for book, pdf in zip(books, to_pdf(books, d / "pdf"), strict=True)}


def _long_room_names():
    """Two rooms with long names (which widened the Ratios sheet's Room column past one page across), one
    child with an EHCP (two caseload places)."""
    rooms = (Room("Little Acorns Pre-school (3 to 5 years)", None, 8), Room("Bluebells Toddler Room (2 to 3)", None, 8))
    a, b = (r.name for r in rooms)
    return tiny([kid("c1", room=a, sen="EHCP"), kid("c2", room=a), kid("c3", room=b), kid("c4", room=b)],
                [member("A", room=a, sen_trained=True), member("B", room=a), member("P", room=b), member("Q", room=b)],
                rooms=rooms)


def by_sheet(book_pages: list[Page]) -> dict[str, list[Page]]:
    out: dict[str, list[Page]] = defaultdict(list)
    for p in book_pages:
        out[p.sheet].append(p)
    return out


def test_every_page_is_a4_and_readable(printed):
    """Every printed page of every workbook is A4, and no text on it is smaller than 8 pt."""
    for name, (_, book_pages) in printed.items():
        assert book_pages, name
        for p in book_pages:
            assert p.is_a4, (name, p.sheet, p.number, p.width, p.height)
            assert p.smallest >= SMALLEST_PT, (name, p.sheet, p.number, p.smallest)


def test_every_sheet_prints_with_its_name_and_page_number_in_the_footer(printed):
    """Each sheet of each workbook prints, every page footed with the sheet's name and its page number."""
    for name, (book, book_pages) in printed.items():
        assert all(p.sheet for p in book_pages), (name, [p.number for p in book_pages if not p.sheet])
        assert set(by_sheet(book_pages)) == set(openpyxl.load_workbook(book, read_only=True).sheetnames), name


def test_header_rows_on_every_page_of_the_long_sheets(printed):
    """A sheet printed over several pages repeats its header rows on each (the daily record its title too)."""
    long_sheets = 0
    for name, (book, book_pages) in printed.items():
        wb = openpyxl.load_workbook(book, read_only=True)
        for sheet, sheet_pages in by_sheet(book_pages).items():
            if len(sheet_pages) < 2 or sheet in ("Instructions", "Summary"):
                continue
            long_sheets += 1
            if sheet == "Daily record":
                for p in sheet_pages:
                    top = " ".join(p.lines[:4])
                    assert "Cared for by" in top, (name, p.number, top)
            first_header = str(next(wb[sheet].iter_rows(max_row=1, values_only=True))[0]).split()[0]
            for p in sheet_pages:
                assert p.lines and p.lines[0].startswith(first_header), (name, sheet, p.number, p.lines[:1])
    assert long_sheets >= 5  # Key persons, Daily record, Children ... in the plan and the what-if


def test_key_persons_print_one_room_at_a_time_at_9_pt(printed):
    """Key persons: every page at 9 pt or more, and each page's children are from one room."""
    _, book_pages = printed["sample-plan.xlsx"]
    sheet_pages = by_sheet(book_pages)["Key persons"]
    assert len(sheet_pages) >= 3  # three rooms, each from a new page
    for p in sheet_pages:
        assert p.smallest_body >= KEY_PERSONS_PT, (p.number, p.smallest_body)
    starts = [line for p in sheet_pages for line in p.lines[:4] if line.endswith(" children")]
    assert [s.split(":")[0] for s in starts] == ["Baby", "Toddler", "Pre-school"]


WIDE_SHEET_PT = 8.4
ONE_PAGE_ACROSS = ("Caseloads", "Ratios", "Letters", "Daily record", "Handover", "Key persons", "Changes",
                   "Transitions")


def test_the_plan_s_own_sheets_print_one_page_across_at_a_readable_size(printed):
    """Caseloads, Ratios (however long a room's name), Letters (every field of the mail merge), the Daily
    record, Handover, Key persons, Changes and Transitions each print one landscape page across: every page
    shows the last column's header, and no text on them is below the size the widest of them (the Daily
    record, 146 characters across) prints at: 8.49 pt."""
    for name in ("sample-plan.xlsx", "acorns-plan.xlsx"):
        book, book_pages = printed[name]
        wb = openpyxl.load_workbook(book, read_only=True)
        for sheet, sheet_pages in by_sheet(book_pages).items():
            if sheet not in ONE_PAGE_ACROSS:
                continue
            header_row = 2 if sheet == "Daily record" else 1
            header = next(wb[sheet].iter_rows(min_row=header_row, max_row=header_row, values_only=True))
            last = [str(h) for h in header if h][-1]
            for p in sheet_pages:
                top = " ".join(p.lines[:5]).split()
                assert all(word in top for word in last.split()), (name, sheet, p.number, last, p.lines[:2])
                assert p.smallest_body >= WIDE_SHEET_PT, (name, sheet, p.number, p.smallest_body)


def test_the_caseloads_sheet_says_each_caseload_once(printed):
    """Caseloads: a practitioner's key children said once, as places used of the cap ('3 of 4'), with the
    children counted only where an EHCP makes it a different number ('3 of 8 (2 children)'); no column of
    key children beside it (it printed '3 3 of 4')."""
    import re
    for name in ("sample-plan.xlsx", "acorns-plan.xlsx"):
        ws = openpyxl.load_workbook(printed[name][0], read_only=True)["Caseloads"]
        rows = list(ws.iter_rows(values_only=True))
        header = list(rows[0])
        assert "Key children" not in header, header
        column = header.index("Key children: places used (of cap)")
        for row in rows[1:]:
            said = re.fullmatch(r"(\d+) of \d+(?: \((\d+) child(?:ren)?\))?", row[column])
            assert said and said[1] != said[2], (name, row)
    sample = openpyxl.load_workbook(printed["sample-plan.xlsx"][0], read_only=True)["Caseloads"]
    assert any(row[4] == "3 of 4" for row in sample.iter_rows(min_row=2, values_only=True))
