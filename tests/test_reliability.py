"""Issue #15's findings, one test (or a few) each: no silent wrong answers, no destroyed or leaked inputs,
signals that mean the same at every moment, no tracebacks, exit codes from the status, bounded memory."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import generate, write_setting
from scheduler.cli import main
from tests.conftest import DATA, ROOT

GOOD = DATA / "good-sessions.xlsx"
BIG = ROOT / "benchmarks" / "instances" / "full" / "n300-tight.xlsx"  # a search of several seconds


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def edited(path: Path, out: Path, edit) -> Path:
    """A copy of the workbook at ``path`` changed by ``edit(wb)``, saved at ``out``."""
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(out)
    return out


def copy_row(ws, row: int, to: int) -> None:
    for c in ws[row]:
        ws.cell(to, c.column).value = c.value


def header_row(ws) -> int:
    """The sheet's header row: the first of the first three that names a Room or a Setting column."""
    return next(r for r in (1, 2, 3) if {"room", "setting"} & {str(c.value).strip().casefold() for c in ws[r]})


def column(ws, header: str) -> int:
    """The column of ``header`` in the sheet's header row, added after the last if missing."""
    r = header_row(ws)
    names = [str(c.value).strip().casefold() for c in ws[r]]
    if header.casefold() not in names:
        ws.cell(r, len(names) + 1).value = header
        return len(names) + 1
    return names.index(header.casefold()) + 1


@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory) -> Path:
    """good-sessions.xlsx planned: a plan workbook, the input of whatif and explain."""
    out = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    r = run("plan", GOOD, "-o", out)
    assert r.exit_code == 0, r.output
    return out


# -- 1. silent wrong answers --------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "plan", "whatif", "explain", "sweep", "pseudonymise"])
def test_every_command_shows_the_readers_warnings(command, plan_workbook, tmp_path):
    """A column keyperson ignores is a reader warning, and every command prints it (whatif, explain, sweep
    and pseudonymise used to drop it)."""
    def extra_column(wb):
        column(wb["Children"], "Favourite colour")
    w = edited(plan_workbook, tmp_path / "w.xlsx", extra_column)
    args = {"check": [w], "plan": [w, "-o", tmp_path / "o.xlsx"],
            "whatif": [w, "--leaves", "S1", "--on", "04/01/2027", "-o", tmp_path / "o.xlsx"], "explain": [w, "C2"],
            "sweep": [w, "--cap", "6", "--workers", "1"], "pseudonymise": [w, tmp_path / "o.xlsx"]}[command]
    r = run(command, *args)
    assert r.exit_code == 0, r.output
    assert "column 'Favourite colour' is not one keyperson uses; it is ignored" in r.output


def test_a_renamed_key_person_column_in_a_plan_is_warned_with_the_children_named(plan_workbook, tmp_path):
    """Rename the Children sheet's Key person header in a plan workbook: whatif warns that the Key persons
    sheet disagrees, naming each child (it used to say '0 children change key person' and nothing else)."""
    def rename(wb):
        ws = wb["Children"]
        ws.cell(header_row(ws), column(ws, "Key person")).value = "Keyperson"
    w = edited(plan_workbook, tmp_path / "w.xlsx", rename)
    r = run("whatif", w, "--leaves", "S1", "--on", "04/01/2027", "-o", tmp_path / "o.xlsx")
    assert "column 'Keyperson' is not one keyperson uses" in r.output
    for child in ("Ada Lovelace (1)", "Ben Byron (C2)", "Cy Young (C3)"):
        assert "Key persons row" in r.output and f"{child}'s key person here is" in r.output


def test_an_edit_in_the_key_persons_sheet_is_warned(plan_workbook, tmp_path):
    """A manager changes Ben's key person on the Key persons sheet: check says that sheet is not read and
    names Ben and both practitioners."""
    def edit(wb):
        ws = wb["Key persons"]
        row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Ben Byron"))
        ws.cell(row, 2).value = "Lee Chan (S4)" if "S4" not in str(ws.cell(row, 2).value) else "Sam Green (S1)"
    w = edited(plan_workbook, tmp_path / "w.xlsx", edit)
    r = run("check", w)
    assert r.exit_code == 0, r.output
    assert "Ben Byron (C2)'s key person here is" in r.output and "keyperson reads the Children sheet" in r.output


def test_ids_differing_by_a_zero_width_space_are_refused(tmp_path):
    """C2 and C2 + U+200B look the same to everyone: exit 2 naming the row and the character (they used to
    be two children)."""
    def twin(wb):
        copy_row(wb["Children"], 3, 10)
        wb["Children"].cell(10, 1).value = "C2\u200b"
    r = run("check", edited(GOOD, tmp_path / "w.xlsx", twin))
    assert r.exit_code == 2
    assert "Children row 10, Child ID" in r.output and "zero width space (U+200B)" in r.output


def test_a_child_entered_twice_is_warned(tmp_path):
    """The same name and date of birth under two IDs: a warning naming both rows (it used to pass unseen)."""
    def again(wb):
        copy_row(wb["Children"], 3, 10)
        wb["Children"].cell(10, 1).value = "C9"
    r = run("check", edited(GOOD, tmp_path / "w.xlsx", again))
    assert ("warning: Children row 10, Child ID: 'C9' Ada Lovelace (C9) has the same name and date of birth "
            "(12/02/2024) as Ada Lovelace (1) on row 3: the same child entered twice?") in r.output


# -- 2. inputs destroyed or leaked ---------------------------------------------------------------------

@pytest.mark.parametrize("key", ["input", "output"])
def test_the_key_may_not_be_the_input_or_the_copy(key, tmp_path):
    """pseudonymise IN OUT --key IN (or --key OUT) is refused and both files stay as they were (the input
    used to become a CSV, the copy the name key)."""
    w = shutil.copy(GOOD, tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    before = Path(w).read_bytes()
    r = run("pseudonymise", w, out, "--key", w if key == "input" else out)
    assert r.exit_code == 2 and ("would overwrite the input" in r.output or "the same file" in r.output)
    assert Path(w).read_bytes() == before and not out.exists()


def test_an_output_linked_to_the_input_is_refused(tmp_path):
    """-o a symbolic link to the input, or a hard link of it: refused, the input untouched."""
    w = shutil.copy(GOOD, tmp_path / "in.xlsx")
    (tmp_path / "soft.xlsx").symlink_to(w)
    os.link(w, tmp_path / "hard.xlsx")
    before = Path(w).read_bytes()
    for link in ("soft.xlsx", "hard.xlsx"):
        r = run("plan", w, "-o", tmp_path / link)
        assert r.exit_code == 2 and "would overwrite the input" in r.output, r.output
    assert Path(w).read_bytes() == before


def test_the_key_is_private_and_formula_safe(tmp_path):
    """The key CSV is 0600 and a name that starts like a formula is written with an apostrophe."""
    def evil(wb):
        cell = wb["Children"].cell(4, 2)  # Ben Byron, whom no other sheet names
        cell.value, cell.data_type = "=HYPERLINK(\"http://example.invalid\")", "s"  # text, not a formula
    w = edited(GOOD, tmp_path / "w.xlsx", evil)
    key = tmp_path / "key.csv"
    assert run("pseudonymise", w, tmp_path / "o.xlsx", "--key", key).exit_code == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert ',"\'=HYPERLINK(' in key.read_text()  # the CSV quotes the cell, which starts with an apostrophe


def test_the_key_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """A full disk while writing the key: exit 2, and neither a key nor a temporary file is left."""
    real_write = os.write

    def disk_full(fd, data):
        if bytes(data[:4]) == b"Code":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    r = run("pseudonymise", GOOD, tmp_path / "o.xlsx", "--key", tmp_path / "key.csv")
    assert r.exit_code == 2 and "No space left on device" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.xlsx"]


def test_rewriting_a_plan_keeps_its_permissions(tmp_path):
    """A plan re-written keeps its 0600 (it used to be widened to 0644); a new plan is 0600 (it holds
    names)."""
    out = tmp_path / "plan.xlsx"
    assert run("plan", GOOD, "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o640)
    assert run("plan", GOOD, "-o", out, "--force").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# -- 3. signals ---------------------------------------------------------------------------------------

# Each moment patches the command so that it sends itself the signal at that point of the run.
MOMENTS = {
    "reading": "patch('scheduler.excel.reader.WorkbookReader.read', before=kill)",
    "building": "patch('scheduler.cpsat.cpmodel.CPModel.__init__', before=kill)",
    "searching": "first_plan_kills()",
    "room processes": "rooms_in_processes_for_ever()",
    "room moves": "patch('scheduler.whatif.transitions', before=kill)",
    "writing": "patch('scheduler.excel.safety.os.write', before=kill)",
    "charts": "patch('scheduler.plots.plot_coverage', before=kill)",
}
HARNESS = """
import os, signal, sys, threading
import scheduler.cli, scheduler.excel.reader, scheduler.excel.safety, scheduler.plots
import scheduler.whatif
import scheduler.cpsat.cpmodel
def kill(*args):
    os.kill(os.getpid(), signal.{sig})
def patch(target, before):
    module, name = target.rsplit('.', 1)
    try:
        owner = sys.modules[module]
    except KeyError:
        module, cls = module.rsplit('.', 1)
        owner = getattr(sys.modules[module], cls)
    real = getattr(owner, name)
    fired = []
    def wrapper(*args, **kwargs):
        if not fired:
            fired.append(1)
            before(*args)
        return real(*args, **kwargs)
    setattr(owner, name, wrapper)
def first_plan_kills():
    # the signal comes from CP-SAT's own thread as it finds its first plan: mid-search, with a plan to keep
    from ortools.sat.python import cp_model
    class Kill(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self):
            if not fired:
                fired.append(1)
                kill()
    fired = []
    real = cp_model.CpSolver.solve
    cp_model.CpSolver.solve = lambda self, model, callback=None: real(self, model, callback or Kill())
def rooms_in_processes_for_ever():
    # the rooms solved in forked processes (the thresholds lowered for this small setting), each a search
    # that would outlast the test; the signal reaches the command and its room processes, as Ctrl-C does
    import multiprocessing, time
    import scheduler.cpsat.by_room as by_room
    by_room.PARALLEL_ROOMS, by_room.PARALLEL_CHILDREN = 2, 1
    by_room._solve_sent = lambda *args: time.sleep(600)
    def signal_all_once_they_run():
        while len(multiprocessing.active_children()) < 2:
            time.sleep(0.05)
        time.sleep(0.5)
        for p in multiprocessing.active_children():
            os.kill(p.pid, signal.{sig})
        kill()
    real = by_room._in_processes
    def started(*args):
        threading.Thread(target=signal_all_once_they_run, daemon=True).start()
        return real(*args)
    by_room._in_processes = started
{moment}
sys.argv = ['keyperson'] + sys.argv[1:]
scheduler.cli.main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_an_interrupt_at_any_moment_exits_130_leaving_no_temporary_file(moment, sig, tmp_path):
    """Ctrl-C or SIGTERM while reading, building, searching (in this process, or in room processes),
    re-planning room moves, writing or drawing: exit 130 with one line, no traceback, no temporary file,
    at once (room processes that would search for ten minutes included); a plan is on disk only when the
    search (or a later step) was interrupted after a plan was found, and it says so."""
    w = shutil.copy(BIG if moment == "searching" else GOOD, tmp_path / "in.xlsx")
    if moment == "room processes":  # three rooms for two processes: one room waits for a process
        w = write_setting(generate(45, seed=1), tmp_path / "in.xlsx")
    if moment == "room moves":  # a child moving room after the plan date, so plan() re-plans
        def moves(wb):
            ws = wb["Children"]
            ws.cell(3, column(ws, "Moves to")).value = "Pre-school"
            ws.cell(3, column(ws, "Move date")).value = "01/03/2027"
        w = edited(w, tmp_path / "in.xlsx", moves)
    script = HARNESS.format(sig=sig, moment=MOMENTS[moment])
    done = subprocess.run([sys.executable, "-c", script, "plan", str(w), "-o", str(tmp_path / "out.xlsx"),
                           "--plots", str(tmp_path), "--time-limit", "120", "--workers", "2"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("interrupted: ")
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".keyperson-")]
    written = (tmp_path / "out.xlsx").exists()
    if moment in ("searching", "room moves", "charts"):
        assert written and last.startswith("interrupted: the plan")
    else:
        assert not written and last == "interrupted: nothing was written."


SWEEP_HARNESS = """
import os, pathlib, signal, sys, threading, time
import scheduler.cli, scheduler.sweep
started = pathlib.Path(sys.argv.pop(1))
real = scheduler.sweep._solve
def solve_for_ever(job):
    # a worker's scenario that would run far past the test's timeout: only being stopped ends it
    started.write_text(str(os.getpid()))
    while True:
        time.sleep(1)
scheduler.sweep._solve = solve_for_ever
def signal_once_a_scenario_runs():
    while not started.exists():
        time.sleep(0.05)
    os.kill(os.getpid(), signal.{sig})
threading.Thread(target=signal_once_a_scenario_runs, daemon=True).start()
sys.argv = ['keyperson'] + sys.argv[1:]
scheduler.cli.main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_an_interrupted_sweep_stops_its_scenarios_at_once(sig, tmp_path):
    """Ctrl-C or SIGTERM while the sweep's worker processes are mid-scenario (each would run for ever): exit
    130 with one line, nothing written, no temporary file, and the workers are gone. Before, the workers
    ignored Ctrl-C and the sweep waited for every scenario to end (here: the test's timeout)."""
    started = tmp_path / "started"
    script = SWEEP_HARNESS.format(sig=sig)
    done = subprocess.run([sys.executable, "-c", script, str(started), "sweep", str(GOOD), "--cap", "4,6,8",
                           "--workers", "2", "-o", str(tmp_path / "sweep.xlsx")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "interrupted: nothing was written."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["started"]  # no sweep.xlsx, no .keyperson-* file
    worker = int(started.read_text())
    with pytest.raises(ProcessLookupError):  # (reaped by the sweep: a zombie would still take signal 0)
        os.kill(worker, 0)


@pytest.mark.slow
def test_an_interrupt_in_a_sweep_on_one_worker_stops_the_sweep(tmp_path):
    """With one worker the scenarios are planned in this process, where plan() keeps the best plan found so
    far on Ctrl-C: the sweep must stop there (exit 130, nothing written), not go on to the next cap."""
    w = shutil.copy(BIG, tmp_path / "in.xlsx")
    script = HARNESS.format(sig="SIGINT", moment=MOMENTS["searching"])
    done = subprocess.run([sys.executable, "-c", script, "sweep", str(w), "--cap", "6,8", "--workers", "1",
                           "--time-limit", "120", "-o", str(tmp_path / "sweep.xlsx")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert done.stderr.strip().splitlines()[-1] == "interrupted: nothing was written."
    assert not (tmp_path / "sweep.xlsx").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".keyperson-")]


# -- 4. tracebacks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["plan", "template", "pseudonymise", "sweep", "plots", "key"])
def test_an_unwritable_folder_is_exit_2(command, tmp_path, monkeypatch):
    """Every output in a folder that refuses new files: exit 2 with the file's name, never a traceback."""
    import tempfile
    real = tempfile.mkstemp
    refused = {"plots": ".png", "key": ".csv"}.get(command, ".xlsx")

    def refuse(*args, suffix="", **kwargs):
        if suffix == refused:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, suffix=suffix, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "o.xlsx"
    args = {"plan": ["plan", GOOD, "-o", out], "template": ["template", out],
            "pseudonymise": ["pseudonymise", GOOD, out], "sweep": ["sweep", GOOD, "--cap", "6", "-o", out],
            "plots": ["plan", GOOD, "-o", out, "--plots", tmp_path / "charts"],
            "key": ["pseudonymise", GOOD, out, "--key", tmp_path / "key.csv"]}[command]
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "can't be written: permission denied" in r.output


ABSURD = {
    "a cap of 1e308": ("Staff", "Max key children", 1e308, "Staff row 2, Max key children"),
    "a ratio of 1:1e20": ("Rooms", "Ratio", "1:100000000000000000000", "Rooms row 2, Ratio"),
    "Max changes 1e308": ("Rules", "Max changes", 1e308, "Rules row 2, Value"),
    "a weight of 10^12": ("Rules", "Weight overlap", 10**12, "Rules row 2, Value"),
    "a Starts date of 31/12/9999": ("Children", "Starts", "31/12/9999", "Children row 3, Starts"),
}


@pytest.mark.parametrize("case", list(ABSURD))
def test_absurd_numbers_and_dates_are_located_errors_in_check_and_plan(case, tmp_path):
    """Numbers beyond what the model can hold and dates beyond 2199: exit 2 from check and plan alike, with
    sheet, row and column (plan used to crash, or CP-SAT to reject the model, after check said 0)."""
    sheet, header, value, where = ABSURD[case]

    def put(wb):
        ws = wb[sheet]
        if sheet == "Rules":
            ws.cell(2, 1).value, ws.cell(2, 2).value = header, value
        else:
            ws.cell(3 if sheet == "Children" else 2, column(ws, header)).value = value
    w = edited(GOOD, tmp_path / "w.xlsx", put)
    for command in (["check", w], ["plan", w, "-o", tmp_path / "o.xlsx"]):
        r = run(*command)
        assert r.exit_code == 2, r.output
        assert where in r.output


def test_an_empty_sweep_range_is_a_usage_error():
    """sweep --cap 4..3 (nothing to try) is exit 2 with the fix (it used to end in a KeyError)."""
    r = run("sweep", GOOD, "--cap", "4..3")
    assert r.exit_code == 2 and "write the smaller number first" in r.output


def test_a_full_disk_is_one_message_and_no_traceback(tmp_path):
    """A file-size limit stands in for a full disk: exit 2, one message, no 'Exception ignored ...
    Traceback' from openpyxl's half-written zip, no temporary file."""
    script = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))
        from scheduler.cli import main
        sys.argv = ["keyperson"] + sys.argv[1:]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script, "plan", str(GOOD), "-o", str(tmp_path / "o.xlsx")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert "o.xlsx can't be written" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert list(tmp_path.iterdir()) == []


# -- 5. exit codes and messages -----------------------------------------------------------------------

def test_an_invalid_model_prints_cp_sats_reason_and_exits_5(monkeypatch, tmp_path):
    """A model CP-SAT rejects (here an objective whose coefficient overflows, as a weight of 10^12 once
    made) is exit 5 from check and plan with CP-SAT's own words, not exit 3 with an empty bullet."""
    from scheduler.cpsat.cpmodel import CPModel

    def overflowing(self):
        self.model.maximize(2**62 * sum(self.vars.key["var"]) + 2**62 * sum(self.vars.co["var"]))
        return 1

    monkeypatch.setattr(CPModel, "_maximize_with_tie_break", overflowing)
    for command in (["check", GOOD], ["plan", GOOD, "-o", tmp_path / "o.xlsx"]):
        r = run(*command)
        assert r.exit_code == 5, r.output
        assert "the solver rejected" in r.output or "the solver rejects" in r.output
        assert "overflow" in r.output.lower() or "invalid" in r.output.lower()
        assert "  - \n" not in r.output
    assert not (tmp_path / "o.xlsx").exists()


def test_no_plan_in_the_time_limit_is_exit_4(monkeypatch, tmp_path):
    """A search that ends without a plan (CP-SAT's UNKNOWN) is exit 4, not the 3 of 'no plan keeps every
    rule'."""
    from ortools.sat.python import cp_model

    from scheduler.cpsat import cpmodel
    monkeypatch.setattr(cpmodel, "run", lambda solver, model, callback=None: (cp_model.UNKNOWN, False))
    r = run("plan", GOOD, "-o", tmp_path / "o.xlsx", "--time-limit", "1")
    assert r.exit_code == 4 and "No plan found within 1 s" in r.output
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("option", [("--time-limit", "nan"), ("--time-limit", "-5"), ("--time-limit", "inf"),
                                    ("--time-limit", "0"), ("--workers", "-1")])
def test_bad_time_limits_and_workers_are_usage_errors(option):
    """--time-limit must be a positive finite number and --workers 0 or more (they used to be accepted)."""
    r = run("plan", GOOD, *option)
    assert r.exit_code == 2 and f"Invalid value for '{option[0]}'" in r.output


def test_the_time_limit_covers_building_the_model(monkeypatch):
    """With a 10 s limit and a setting whose reading into an instance takes 4 s (a fake clock), the search
    gets the 6 s left, not 10 (the build used to come on top of the limit)."""
    from scheduler import planner
    from scheduler.cpsat.cpmodel import CPModel
    from scheduler.instance import Instance

    clock = [1000.0]
    monkeypatch.setattr(planner.time, "monotonic", lambda: clock[0])
    real_build, real_solve = Instance.build, CPModel.solve
    given = []

    def slow_build(*args, **kwargs):
        clock[0] += 4.0
        return real_build(*args, **kwargs)

    def solve(self, time_limit=30.0, *args, **kwargs):
        given.append(time_limit)
        return real_solve(self, time_limit, *args, **kwargs)

    monkeypatch.setattr(Instance, "build", staticmethod(slow_build))
    monkeypatch.setattr(CPModel, "solve", solve)
    from tests.conftest import kid, member, tiny
    one_room = tiny([kid("a"), kid("b")], [member("A"), member("B")])  # one room: one solve, no split
    planner.plan(one_room, time_limit=10.0, room_moves=False)
    assert given == [6.0]


# -- 6. memory ----------------------------------------------------------------------------------------

READER_BUDGET_MB = 200


def test_a_sparse_workbook_is_read_within_the_memory_budget(tmp_path):
    """One formatted blank cell at row 19,999, column 499 on every sheet (a 9 KB file): the reader's peak
    Python allocations and the process's growth stay under 200 MB (it used to take 2.3 GB for one such
    sheet and a MemoryError for six). Measured in a fresh process, not timed."""
    from openpyxl.styles import Font

    def far_cell(wb):
        for ws in wb.worksheets:
            ws.cell(19999, 499).font = Font(bold=True)
    w = edited(GOOD, tmp_path / "sparse.xlsx", far_cell)
    assert w.stat().st_size < 13_000
    script = textwrap.dedent("""
        import resource, sys, tracemalloc
        from scheduler.excel.reader import read_workbook
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        read_workbook(sys.argv[1])
        peak = tracemalloc.get_traced_memory()[1]
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(peak / 2**20, grown / 2**10)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(w)], capture_output=True, text=True, timeout=600,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    traced, grown = (float(x) for x in done.stdout.split())
    assert traced < READER_BUDGET_MB and grown < READER_BUDGET_MB, (traced, grown)
