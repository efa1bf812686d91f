"""plan_workbook() and whatif_workbook(): the one sequence keyperson plan, keyperson group plan and the web
page go through, so all three give the same warnings and the same plan workbook."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from markupsafe import escape

from scheduler import (
    DataError,
    Lock,
    StaffNotFound,
    generate,
    plan_workbook,
    read_setting,
    replace,
    whatif_workbook,
    workbooks,
    write_setting,
)
from scheduler import group as grp
from scheduler.cli import main

ON, UNTIL = date(2027, 1, 4), date(2027, 2, 12)
LAST_DAY = date(2027, 1, 31)  # a what-if's leaver's last day: the re-plan is from Monday 01/02/2027


@pytest.fixture(scope="module")
def warned(tmp_path_factory) -> Path:
    """A generated setting whose second child has the first one's name and date of birth (a reader warning)."""
    s = generate(24, seed=5)
    twin = replace(s.children[1], name=s.children[0].name, date_of_birth=s.children[0].date_of_birth)
    folder = tmp_path_factory.mktemp("warned")
    return write_setting(replace(s, children=(s.children[0], twin, *s.children[2:])), folder / "warned.xlsx")


def cells(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, by sheet name, in the workbook's order."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def on_the_page(workbook: Path, folder: Path, leaver: str | None = None) -> dict[str, object]:
    """Open ``workbook`` on the page, plan from ON to UNTIL and download the plan; with ``leaver``, ask what
    if they leave after LAST_DAY and download that too. The plan's warnings and the files downloaded."""
    from starlette.testclient import TestClient

    from scheduler.web.desk import Desk
    from scheduler.web.guard import Keys
    from scheduler.web.pages import create_app

    desk, keys = Desk(folder / "desk"), Keys(port=8765)
    desk.folder.mkdir()
    (folder / "web").mkdir()

    def download(page, what: str, **params) -> Path:
        got = page.get(f"/download/{what}", params=params)
        assert got.status_code == 200 and got.headers["content-type"].startswith("application/vnd"), got.text
        out = folder / "web" / f"{what}.xlsx"
        out.write_bytes(got.content)
        return out

    def wait(job) -> None:
        while not job.done:
            time.sleep(0.1)

    try:
        with TestClient(create_app(desk, keys), base_url="http://127.0.0.1:8765") as page:
            page.get(keys.url())
            with workbook.open("rb") as f:
                page.post("/open", data={"csrf": keys.csrf}, files={"workbook": (workbook.name, f)})
            page.post("/plan", data={"csrf": keys.csrf, "on": ON.isoformat(), "until": UNTIL.isoformat()})
            wait(desk.plan_job)
            seen: dict[str, object] = {"warnings": [str(w) for w in desk.planned.warnings],
                                       "plan": download(page, "plan")}
            if leaver is not None:
                page.post(f"/staff/{leaver}/leaves", data={"csrf": keys.csrf, "leaves": LAST_DAY.isoformat()})
                wait(desk.whatifs[(leaver, LAST_DAY, False)])
                seen["whatif"] = download(page, "whatif", staff=leaver, leaves=LAST_DAY.isoformat(), reshuffle="0")
                seen["whatif page"] = page.get(f"/staff/{leaver}", params={"leaves": LAST_DAY.isoformat()}).text
        return seen
    finally:
        desk.close()


def calls_to(api: str, monkeypatch) -> list[str]:
    """The names of the workbooks the API function ``api`` is called on from now on, by any caller (the
    group's tasks run in this process, on threads, so they are seen too)."""
    monkeypatch.setattr(grp, "_has_dask", lambda: False)
    monkeypatch.setattr(grp, "ProcessPoolExecutor", ThreadPoolExecutor)
    real, calls = getattr(workbooks, api), []

    def spy(workbook, *args, **kwargs):
        calls.append(Path(workbook).name)
        return real(workbook, *args, **kwargs)

    monkeypatch.setattr(workbooks, api, spy)
    return calls


def test_plan_group_plan_and_the_page_give_the_api_s_warnings_and_workbook(warned, tmp_path, monkeypatch):
    """One workbook with a reader warning, planned to a term end (--until): keyperson plan's stderr, group
    plan's summary and the page's plan each come from one plan_workbook() call, carry exactly its warnings,
    and hold the same cells as the plan workbook it writes (the term's dates in its Summary)."""
    calls = calls_to("plan_workbook", monkeypatch)
    api = plan_workbook(warned, tmp_path / "api.xlsx", on=ON, until=UNTIL)
    said = [str(w) for w in api.warnings]
    assert api.output == tmp_path / "api.xlsx" and api.result.instance.until == UNTIL
    assert any("same name and date of birth" in w and "Children row 3" in w for w in said), said
    expected = cells(api.output)
    assert ["Term ends", datetime(2027, 2, 12)] in expected["Summary"]

    dates = ["--on", f"{ON:%d/%m/%Y}", "--until", f"{UNTIL:%d/%m/%Y}"]
    cli = CliRunner().invoke(main, ["plan", str(warned), "-o", str(tmp_path / "cli.xlsx"), *dates])
    assert cli.exit_code == 0, cli.output
    assert [line.removeprefix("warning: ") for line in cli.stderr.splitlines() if line.startswith("warning: ")] == said
    assert calls == ["warned.xlsx"]

    group = CliRunner().invoke(main, ["group", "plan", str(warned), "-o", str(tmp_path / "group"), *dates,
                                      "--workers", "1"])
    assert group.exit_code == 0, group.output
    problems = pd.read_excel(tmp_path / "group" / "group-summary.xlsx", sheet_name="Problems")
    assert problems["Problem or reason"].tolist() == [f"warning: {w}" for w in said]
    assert calls == ["warned.xlsx"] * 2

    web = on_the_page(warned, tmp_path)
    assert web["warnings"] == said and calls == ["warned.xlsx"] * 3
    for out in (tmp_path / "cli.xlsx", tmp_path / "group" / "warned-plan.xlsx", web["plan"]):
        assert cells(out) == expected, out


def test_whatif_group_whatif_and_the_page_give_the_api_s_what_if(warned, tmp_path, monkeypatch):
    """The lightest-loaded key person, named in a Locks-sheet lock, leaves after 31/01/2027: keyperson whatif,
    group whatif and the page's "what if they leave" each make one whatif_workbook() call on the plan workbook
    and write the same cells (Compare in words); the lock not kept is said by all three, and group whatif's
    summary carries the warnings and sentences."""
    calls = calls_to("whatif_workbook", monkeypatch)
    first = plan_workbook(warned, on=ON, until=UNTIL).result
    leaver = lightest(first)
    child = next(c for c, k in first.key_person.items() if k == leaver)
    s = read_setting(warned)
    (tmp_path / "src").mkdir()
    locked = write_setting(replace(s, locks=(*s.locks, Lock(child, leaver, "key person", "must"))),
                           tmp_path / "src" / "warned.xlsx")
    (tmp_path / "plans").mkdir()
    plan_path = plan_workbook(locked, tmp_path / "plans" / "warned-plan.xlsx", on=ON, until=UNTIL).output
    on = ["--on", "01/02/2027", "--until", f"{UNTIL:%d/%m/%Y}"]
    api = whatif_workbook(plan_path, tmp_path / "api.xlsx", leaves=[leaver], on=date(2027, 2, 1), until=UNTIL)
    expected = cells(api.output)
    assert expected["Compare"][1][:2] == ["Plan", "The current plan"]
    not_kept = api.not_kept()
    assert len(not_kept) == 1 and s.member(leaver).name in not_kept[0] and s.child(child).name in not_kept[0]
    cli = CliRunner().invoke(main, ["whatif", str(plan_path), "--leaves", leaver, "-o", str(tmp_path / "cli.xlsx"),
                                    *on])
    assert cli.exit_code == 0 and calls == ["warned-plan.xlsx"], cli.output
    assert all(line in cli.stdout.splitlines() for line in api.said())
    group = CliRunner().invoke(main, ["group", "whatif", str(tmp_path / "plans"), "--leaves", leaver,
                                      "-o", str(tmp_path / "group"), *on, "--workers", "1"])
    assert group.exit_code == 0 and calls == ["warned-plan.xlsx"] * 2, group.output
    problems = pd.read_excel(tmp_path / "group" / "group-summary.xlsx", sheet_name="Problems")
    assert problems["Problem or reason"].tolist() == [f"warning: {w}" for w in api.warnings] + api.said()
    web = on_the_page(locked, tmp_path, leaver)
    assert escape(not_kept[0]) in web["whatif page"]  # as the page's template writes it
    assert calls == ["warned-plan.xlsx", "warned-plan.xlsx", "warned.xlsx"]  # the page's, under the workbook's name
    for out in (tmp_path / "cli.xlsx", tmp_path / "group" / "warned-plan-whatif.xlsx", web["whatif"]):
        assert cells(out) == expected, out


def lightest(result) -> str:
    """The practitioner with the fewest key children (one at least): the others have room for them."""
    load = {m.id: sum(k == m.id for k in result.key_person.values()) for m in result.instance.staff}
    return min((m for m in load if load[m]), key=load.__getitem__)


def test_a_bad_term_end_is_refused_with_the_readers_warnings(warned, tmp_path):
    """A term end before the plan date: a DataError naming --until that still carries the reader's warning,
    and nothing written."""
    with pytest.raises(DataError) as caught:
        plan_workbook(warned, tmp_path / "plan.xlsx", on=UNTIL, until=ON)
    assert "--until" in str(caught.value.errors[0])
    assert any("same name and date of birth" in str(w) for w in caught.value.warnings)
    assert not (tmp_path / "plan.xlsx").exists()


def test_the_output_is_checked_before_the_workbook_is_read(warned, tmp_path):
    """The plan workbook may not be the setting workbook itself: refused before anything is planned."""
    before = warned.read_bytes()
    with pytest.raises(DataError, match="would overwrite the input workbook"):
        plan_workbook(warned, warned)
    assert warned.read_bytes() == before


def test_whatif_workbook_names_the_leaver_and_writes_compare_in_words(warned, tmp_path):
    """A leaver by name: the re-plan moves only their key children, says so, and writes Compare in words;
    a name not on the Staff sheet is a StaffNotFound naming the setting (group whatif's 'not there')."""
    plan_path = shutil.copy(plan_workbook(warned, tmp_path / "warned-plan.xlsx", on=ON, until=UNTIL).output,
                            tmp_path / "plan.xlsx")
    planned = plan_workbook(plan_path, on=ON, until=UNTIL).result
    leaver = planned.setting.member(lightest(planned))
    asked = whatif_workbook(plan_path, tmp_path / "whatif.xlsx", leaves=[leaver.name], on=date(2027, 2, 1))
    theirs = {c for c, k in planned.key_person.items() if k == leaver.id}
    assert set(asked.first.handover["Child ID"]) == theirs and asked.output == tmp_path / "whatif.xlsx"
    assert f"{leaver.name} ({leaver.id}) leaves: {len(theirs)} children change key person" in asked.said()[-1]
    compare = cells(asked.output)["Compare"]
    assert compare[1][:2] == ["Plan", "The current plan"], compare[:2]
    with pytest.raises(StaffNotFound) as caught:
        whatif_workbook(plan_path, leaves=["Nobody Here"], on=date(2027, 2, 1))
    assert caught.value.setting == planned.setting.name == "warned"
