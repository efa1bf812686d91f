"""The web page (keyperson serve) driven in a real headless browser: Debian's chromium with Playwright.

One server and one browser serve the whole module (a minute of CI in all). Set KP_SCREENSHOTS to a
folder to keep a PNG of each page.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import generate, read_setting, replace, write_setting
from scheduler.cli import main
from scheduler.web import make_server
from scheduler.web.desk import Job
from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "data" / "sample-nursery.xlsx"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("KP_SCREENSHOTS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site():
    """A keyperson server in a thread, on a free port, with nothing open."""
    server, keys, desk = make_server(port=free_port())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield keys, desk
    server.should_exit = True
    thread.join(10)
    desk.close()
    assert not desk.folder.exists()  # uploads and written plans go with the server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    keys, _ = site
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(int(os.environ.get("KP_TIMEOUT", "90000")))
    page.goto(keys.url())
    yield page
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def open_workbook(page, path: Path) -> None:
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Open", exact=True).click()
    page.wait_for_load_state()


def plan(page) -> None:
    page.get_by_role("button", name="Plan", exact=True).click()
    page.wait_for_selector("#key-persons, #diagnosis")


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    return Path(shutil.copy(SAMPLE, folder / SAMPLE.name))


def test_open_the_sample_plan_and_download_what_the_cli_writes(page, site, sample_copy, tmp_path):
    """Open the sample: its check as `keyperson check` says it; Plan: every child in #key-persons with their
    key person and co-worker; the downloaded workbook is byte-for-byte `keyperson plan`'s."""
    _, desk = site
    open_workbook(page, sample_copy)
    checked = CliRunner().invoke(main, ["check", str(sample_copy)])
    for line in checked.output.splitlines():  # every line, warnings and findings without their "warning: "
        said = line.strip().removeprefix("warning: ").removeprefix("error: ")
        assert page.get_by_text(said, exact=True).count() == 1, line
    shot(page, "1-check")
    plan(page)
    shot(page, "2-plan")
    rows = page.locator("#key-persons tr[data-child-id]")
    result = desk.result
    assert rows.count() == len(result.instance.children) == 60
    seen = {rows.nth(i).get_attribute("data-child-id"): (rows.nth(i).get_attribute("data-key-person-id"),
                                                          rows.nth(i).get_attribute("data-co-worker-id"))
            for i in range(rows.count())}
    assert seen == {c: (result.key_person[c], result.co_worker[c]) for c in result.key_person}
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile("^Download plan")).click()
    downloaded = tmp_path / got.value.suggested_filename
    got.value.save_as(downloaded)
    cli_out = tmp_path / "cli" / "plan.xlsx"
    cli_out.parent.mkdir()
    assert CliRunner().invoke(main, ["plan", str(sample_copy), "-o", str(cli_out)]).exit_code == 0
    assert downloaded.name == "sample-nursery-plan.xlsx"
    assert downloaded.read_bytes() == cli_out.read_bytes()
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile("^Download parent letters")).click()
    letters = tmp_path / got.value.suggested_filename
    got.value.save_as(letters)
    cli_letters = tmp_path / "cli" / "letters.docx"
    assert CliRunner().invoke(main, ["letters", str(downloaded), "-o", str(cli_letters)]).exit_code == 0
    assert letters.name == "sample-nursery-letters.docx"
    with zipfile.ZipFile(letters) as ours, zipfile.ZipFile(cli_letters) as theirs:  # the same letters, same day
        assert ours.read("word/document.xml") == theirs.read("word/document.xml")


def test_explain_a_child_and_ask_what_if_a_practitioner_leaves(page, site):
    """A child's page says why and what each alternative costs; a practitioner's what-if lists who moves to
    whom with handover sessions and compares the plans."""
    _, desk = site
    result = desk.result
    assert result is not None, "runs after the test above"
    # the leaver: Pre-school's busiest key person named in no lock (the Pre-school room has places to spare;
    # Baby and Toddler are full, so there a what-if holding everyone else finds no plan)
    locked = {k.staff for k in result.setting.locks}
    caseloads = desk.report.caseloads
    loads = caseloads[(caseloads["Room"] == "Pre-school") & ~caseloads["Staff ID"].isin(locked)]
    leaver = loads.sort_values("Key children", kind="stable")["Staff ID"].iloc[-1]
    child = next(c for c in result.instance.children if result.key_person[c.id] == leaver)
    page.locator(f"#key-persons tr[data-child-id='{child.id}'] a").first.click()
    page.wait_for_selector("#alternatives")
    assert child.name in page.locator("h1").inner_text()
    alternatives = page.locator("#alternatives").inner_text()
    assert "costs" in alternatives or "no plan" in alternatives
    assert result.setting.member(result.co_worker[child.id]).name in page.locator("#co-worker h2").inner_text()
    shot(page, "3-explain")
    page.get_by_role("link", name="Back to the plan").click()
    page.locator(f"#key-persons tr[data-child-id='{child.id}'] td:nth-of-type(2) a").click()
    page.get_by_label("Last working day").fill("2027-01-29")
    page.get_by_role("button", name="See who moves").click()
    page.wait_for_selector("#whatif-result")
    shot(page, "4-whatif")
    moved = page.locator("#handover tr[data-child-id]")
    theirs = {c for c, s in result.key_person.items() if s == leaver}
    assert {moved.nth(i).get_attribute("data-child-id") for i in range(moved.count())} == theirs
    assert page.locator("#compare").get_by_role("columnheader", name="The plan now").count() == 1


def test_pin_a_key_person_and_plan_again(page, site):
    """'Keep' on a child's row pins their key person as a must lock, and the plan is made again with it."""
    _, desk = site
    row = page.locator("#key-persons tr[data-child-id]").first
    child, staff = row.get_attribute("data-child-id"), row.get_attribute("data-key-person-id")
    row.get_by_role("button").click()
    page.wait_for_selector("#key-persons")
    assert [(k.child, k.staff, k.rule) for k in desk.pins] == [(child, staff, "must")]
    assert page.locator(f"#key-persons tr[data-child-id='{child}']").get_attribute("data-key-person-id") == staff
    page.get_by_role("button", name=re.compile("^Unpin")).click()
    page.wait_for_selector("#key-persons")
    assert desk.pins == []


def test_every_control_has_a_label_and_forms_leave_the_printed_page(page, site):
    """On the plan page every visible input, select and button is named for a screen reader and the keyboard
    (a label, or its text); Tab reaches the skip link first, then the file input; printed, no form or
    button is shown, only the plan."""
    assert site[1].result.status.has_plan, "runs after a plan"
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, button')]
        .filter(e => !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label'))
        .map(e => e.outerHTML)""")
    assert unnamed == []
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert reached[0] == "Skip to the page" and "workbook" in reached, reached
    page.emulate_media(media="print")
    assert page.locator("#key-persons").is_visible()
    assert not page.locator("form").first.is_visible()
    assert page.locator("button:visible").count() == 0
    page.emulate_media(media="screen")


def test_a_broken_workbook_shows_its_located_errors(page, tmp_path):
    """A workbook with a bad date of birth and an unknown room: each problem listed with sheet, row and column."""
    path = tmp_path / "broken.xlsx"
    shutil.copy(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Children"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("Date of birth") + 1, "next Tuesday")
    ws.cell(4, header.index("Room") + 1, "Attic")
    wb.save(path)
    open_workbook(page, path)
    problems = page.locator("#problems li").all_inner_texts()
    assert any(p.startswith("Children row 3, Date of birth: 'next Tuesday'") for p in problems), problems
    assert any(p.startswith("Children row 4, Room: 'Attic'") for p in problems), problems
    assert page.get_by_role("button", name="Plan", exact=True).count() == 0
    shot(page, "5-broken")


def test_an_impossible_setting_shows_the_diagnosis(page, tmp_path):
    """Caps too small for the Baby room: the quick checks name the room, and Plan gives the diagnosis with
    the smallest change, as `keyperson plan` prints it."""
    s = read_setting(SAMPLE)
    tight = replace(s, rules=replace(s.rules, max_key_children=1),
                    rooms=tuple(replace(r, max_key_children=None) for r in s.rooms))
    path = write_setting(tight, tmp_path / "tight.xlsx")
    open_workbook(page, path)
    assert "Baby" in page.locator("#quick-checks").inner_text()
    plan(page)
    diagnosis = page.locator("#diagnosis li").all_inner_texts()
    printed = CliRunner().invoke(main, ["plan", str(path)]).output
    assert diagnosis and all(f"  - {reason}" in printed for reason in diagnosis)
    shot(page, "6-no-plan")


def test_the_page_names_a_choice_as_the_page_offers_it(page, tmp_path):
    """The sentences that name a command-line choice (--until, --reshuffle) say the page's own control: the
    term warning (L leaves within 13 weeks of a one-day plan) points to the Term ends box, and a held what-if
    with no room left (A and B full with children kept as they are) to the tick box."""
    from datetime import date

    from tests.test_sentences import full_house

    s = full_house()
    s = replace(s, staff=tuple(replace(m, leaves=date(2027, 2, 26)) if m.id == "L" else m for m in s.staff))
    open_workbook(page, write_setting(s, tmp_path / "full.xlsx"))
    warned = page.locator(".warnings li").all_inner_texts()
    shot(page, "8-term-warning")
    assert ("Practitioner Lily Shah (L) leaves on 26/02/2027, within 13 weeks, but this plan is for 04/01/2027 alone: "
            "set Term ends on the Rules sheet (or the Term ends box on this page) to plan the term around it"
            in warned), warned
    assert "--" not in page.locator("body").inner_text()
    page.get_by_label("Term ends (blank: plan that date alone)").fill("")
    plan(page)
    page.goto(page.url.split("?")[0].split("#")[0].rstrip("/") + "/staff/L")
    page.get_by_label("Last working day").fill("2027-01-29")
    page.get_by_role("button", name="See who moves").click()
    page.wait_for_selector("#whatif-result")
    reasons = page.locator("#whatif-result li").all_inner_texts()
    assert reasons == [
        "Mia Khan (c3), in R, needs a key person, but everyone who could take them is full with children kept "
        "with their key person as in the current plan: Amy Jones (A) with 1 of 1 places, Bo Li (B) with 1 of 1 "
        "places. Let other children's key persons change too (tick the box above), or raise a cap."], reasons
    shot(page, "9-no-room")
    assert "--" not in page.locator("body").inner_text()


def test_a_zip_bomb_is_refused_by_the_readers_limits(page):
    """An upload goes through the reader's size and zip-bomb limits: refused in plain words, nothing read."""
    open_workbook(page, DATA / "broken" / "zip-bomb.xlsx")
    assert "zip bomb" in page.locator("#problems").inner_text()


def test_a_second_solve_waits_its_turn_and_stop_keeps_the_plan_found(page, site, tmp_path):
    """While another solve runs, Plan waits and the page says so; Stop (the progress form's) keeps the first
    plan found, said plainly (150 children: the search would otherwise go on to better ones)."""
    keys, desk = site
    open_workbook(page, write_setting(generate(150, seed=3), tmp_path / "big.xlsx"))
    release = threading.Event()
    desk.queue.submit(Job("Something else"), lambda job: release.wait(60))
    page.get_by_role("button", name="Plan", exact=True).click()
    assert "Waiting for 1 other plan to finish first" in page.locator("#progress").inner_text()
    shot(page, "7-waiting")
    stopped = page.request.post(f"http://127.0.0.1:{keys.port}/stop",
                                form={"csrf": keys.csrf, "job": str(desk.plan_job.number)})
    assert stopped.ok
    release.set()
    page.wait_for_selector("#key-persons")
    assert desk.result.interrupted and desk.result.status.value == "feasible"
    assert "You stopped the planner early" in page.locator("#summary").inner_text()


def test_no_token_or_a_foreign_host_is_refused(site):
    """Without the launch token, with a wrong one, or with another Host header (DNS rebinding): 403. With
    the token: the page, and the token moved from the address into a cookie."""
    keys, _ = site
    base = f"http://127.0.0.1:{keys.port}"
    assert httpx.get(base + "/").status_code == 403
    assert httpx.get(base + "/?token=wrong").status_code == 403
    assert httpx.get(keys.url(), headers={"Host": f"evil.example:{keys.port}"}).status_code == 403
    with httpx.Client(base_url=base) as c:
        first = c.get(keys.url())
        assert first.status_code == 303 and "token" not in first.headers["location"]
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "attacker.example"}).status_code == 403
        assert c.post("/plan", data={"csrf": "not-it"}).status_code == 403  # a form from another page


def test_an_upload_is_written_whole_and_private(site):
    """An uploaded workbook is written in one go (the project's atomic write) and readable by this user
    alone, whatever the umask (a plain open() gave 0644 under the usual umask 022), with no temporary file
    beside it; the page then reads it."""
    keys, desk = site
    before = os.umask(0o022)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{keys.port}") as c:
            c.get(keys.url())
            r = c.post("/open", data={"csrf": keys.csrf},
                       files={"workbook": ("sample.xlsx", SAMPLE.read_bytes(), "application/octet-stream")})
    finally:
        os.umask(before)
    assert r.status_code in (200, 303), r.text[:200]
    stored = desk.workbook
    assert stored.name == "sample.xlsx" and stored.read_bytes() == SAMPLE.read_bytes()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in stored.parent.iterdir()] == ["sample.xlsx"]
    assert desk.check is not None


def test_serve_prints_its_address_and_stops_on_ctrl_c(tmp_path):
    """`keyperson serve --no-browser` prints the address with its token, answers it, and stops on Ctrl-C."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--no-browser", "--port", str(port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"keyperson is running at http://127.0.0.1:{port}/?token=")
        url = line.split()[-1]
        for _ in range(100):
            try:
                reply = httpx.get(url, follow_redirects=True)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert reply.status_code == 200 and "Open the setting's workbook" in reply.text
    finally:
        proc.send_signal(2)  # Ctrl-C
        assert proc.wait(20) == 0


def test_serve_refuses_a_busy_port_and_a_host_it_cannot_check():
    """A port in use, or --host 0.0.0.0 (every address: no Host header to check against), is exit 2 with
    what to do, before any address is printed."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        r = CliRunner().invoke(main, ["serve", "--no-browser", "--port", str(busy.getsockname()[1])])
    assert r.exit_code == 2 and "in use" in r.output and "keyperson is running" not in r.output
    r = CliRunner().invoke(main, ["serve", "--no-browser", "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "--host 192.168.1.20" in r.output


def test_a_pin_while_a_plan_waits_supersedes_it(tmp_path):
    """Planning again (a pin) while a plan is queued stops that one and queues a plan with the pin: the
    page's plan is always of what the manager asked last."""
    from scheduler import Lock
    from scheduler.web.desk import Desk

    desk = Desk(tmp_path / "desk")
    desk.folder.mkdir()
    try:
        desk.open(Path(shutil.copy(SAMPLE, tmp_path / SAMPLE.name)))
        release = threading.Event()
        desk.queue.submit(Job("Something else"), lambda job: release.wait(60))
        first = desk.start_plan()
        s = desk.setting
        child = next(c for c in s.children if c.key_person and s.member(c.key_person).room == c.room)
        second = desk.pin(Lock(child.id, child.key_person, "key person", "must"))
        assert first.progress.stopped and not second.progress.stopped and desk.plan_job is second
        release.set()
        while not second.done:
            time.sleep(0.1)
        assert desk.result.key_person[child.id] == child.key_person
    finally:
        desk.close()


def test_the_page_summary_and_compare_say_what_the_workbook_says():
    """The page's summary of a term plan: the term it covers (not its first day alone), the plan's quality
    and the two shares in the Summary sheet's words; its Compare rows are the Compare sheet's."""
    from datetime import date

    from scheduler import plan as make_plan
    from scheduler.report import Report
    from scheduler.web import words
    from scheduler.whatif import Scenario, compare, whatif
    from tests.conftest import ON, kid, member, only, tiny

    s = tiny([kid("c1", key_person="A"), kid("c2", "Mon AM")], [member("A"), member("B", "Tue AM")],
             only(overlap=100, continuity=60))
    r = Report(make_plan(s, ON, until=date(2027, 1, 8)))
    assert words.summary(r) == [
        "A key person and a co-worker for each of the 2 children in 1 room, for the term from Monday 4 January "
        "2027 to Friday 8 January 2027.",
        "Best possible plan (proven): no plan that keeps every rule scores more points.",
        "Share of children's sessions their key person works: 100%. Share of sessions with the key person or "
        "co-worker in: 100%.",
        "0 children change key person and 0 children change co-worker since the workbook was filled in; the fullest "
        "caseload has 2 places taken.",
        "1 thing to look at: see Warnings below."]  # B, c2's co-worker, works none of c2's sessions
    table = compare([whatif(s, Scenario(("B",)), ON)])
    # without B nobody but A may be co-worker: no plan; the words are the Compare sheet's, not the page's own
    assert words.compare_rows(table)[0] == ["Plan", "The current plan", "No plan keeps every rule"]
