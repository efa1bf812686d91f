"""Nursery groups: every setting planned, checked or re-planned for a leaver, on this machine or a real
Dask cluster; one broken or impossible workbook never stops the rest."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduler import generate, read_setting, replace, write_setting
from scheduler import group as grp
from scheduler.cli import main
from tests.conftest import kid, member, tiny


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Two small generated settings, a file that is no workbook, and a setting no plan can keep (one
    practitioner: key person and co-worker must differ)."""
    d = tmp_path_factory.mktemp("group")
    acorns = generate(30, seed=1)  # its first practitioner renamed, so no other setting has her name
    write_setting(replace(acorns, staff=(replace(acorns.staff[0], name="Nadia Okafor"), *acorns.staff[1:])),
                  d / "acorns.xlsx")
    write_setting(generate(36, seed=2), d / "beeches.xlsx")
    (d / "broken.xlsx").write_text("this is not a workbook")
    write_setting(tiny([kid("c")], [member("A")]), d / "lonely.xlsx")
    return d


@pytest.fixture
def no_dask(monkeypatch):
    """Run the group on the process pool, as where Dask is not installed."""
    monkeypatch.setattr(grp, "_has_dask", lambda: False)


def test_group_plan_plans_the_rest_and_reports_both_failures(folder, tmp_path, no_dask):
    """`keyperson group plan` writes the two plans, names the broken workbook's problem and the
    impossible one's reason, and a summary with a row per setting and the group's totals."""
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["group", "plan", str(folder), "-o", str(out), "--time-limit", "20",
                                  "--on", "04/01/2027", "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["acorns-plan.xlsx", "beeches-plan.xlsx", "group-summary.xlsx"]
    summary = pd.read_excel(out / "group-summary.xlsx", sheet_name=None)
    rows = summary["Group summary"]
    assert rows["File"].tolist()[:4] == ["acorns.xlsx", "beeches.xlsx", "broken.xlsx", "lonely.xlsx"]
    assert rows["Status"].tolist() == [grp.PLANNED, grp.PLANNED, grp.BAD_WORKBOOK, grp.NO_PLAN,
                                       "2 planned, 2 not"]
    assert rows["Children"].tolist()[-1] == rows["Children"].tolist()[0] + rows["Children"].tolist()[1] + 1
    assert rows["Re-checked"].tolist()[:2] == [grp.RECHECKED, grp.RECHECKED]  # by the independent checker
    assert rows["Re-checked"].tolist()[-1] == "2 of 2 planned"
    problems = summary["Problems"]
    broken = problems[problems["File"] == "broken.xlsx"]["Problem or reason"].tolist()
    assert len(broken) == 1 and "broken.xlsx" in broken[0], broken
    lonely = problems[problems["File"] == "lonely.xlsx"]["Problem or reason"].tolist()
    assert lonely == ["Child c (c), in R (Children sheet, row 2), has no co-worker other than their key person: R "
                      "needs a second practitioner who can be a co-worker (or set the Rule 'Co-workers from other "
                      "rooms' to yes)."]
    # each plan is the plan `keyperson plan` makes of that workbook: read back, every child has a key person
    plan = read_setting(out / "acorns-plan.xlsx")
    assert all(c.key_person for c in plan.children if c.enrolled_on(pd.Timestamp("2027-01-04").date()))


def test_group_check_and_api_rows_in_file_order(folder, no_dask):
    """`check_group` gives one row per workbook, in file order, with the outcome in words."""
    rows = grp.check_group([folder], options=grp.Options(), workers=2)
    assert rows["File"].tolist() == ["acorns.xlsx", "beeches.xlsx", "broken.xlsx", "lonely.xlsx"]
    assert rows["Status"].tolist() == [grp.CHECKED, grp.CHECKED, grp.BAD_WORKBOOK, grp.CHECK_CLASH]


def test_group_whatif_replans_only_where_the_leaver_works(folder, tmp_path, no_dask):
    """A leaver named by her name in acorns' plan is re-planned there; elsewhere the row says they
    don't work there, and a what-if is written for acorns alone."""
    plans = tmp_path / "plans"
    grp.plan_group([folder / "acorns.xlsx", folder / "beeches.xlsx"], plans, workers=2,
                   options=grp.Options(time_limit=20))
    leaver = read_setting(folder / "acorns.xlsx").staff[0]
    name = leaver.name
    assert name == "Nadia Okafor" and name not in {s.name for s in read_setting(folder / "beeches.xlsx").staff}
    rows = grp.whatif_group([plans], name, tmp_path / "whatif", workers=2,  # she has no Leaves date: say when
                            options=grp.Options(time_limit=20, on=date(2027, 2, 1)))
    assert rows["Status"].tolist() == [grp.PLANNED, grp.NOT_THERE]
    assert [p.name for p in (tmp_path / "whatif").iterdir()] == ["acorns-plan-whatif.xlsx"]
    assert rows["Problems"][0][0].startswith(f"{name} ({leaver.id}) leaves:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_group_plan_on_a_real_dask_cluster(folder, tmp_path):
    """A `dask scheduler` and two `dask worker` processes started here on localhost plan the group
    through --scheduler, with the same outcome as on this machine."""
    pytest.importorskip("distributed")
    dask = shutil.which("dask", path=str(Path(sys.executable).parent))
    if dask is None:
        pytest.skip("the dask command is not installed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--no-dashboard", "--host", "127.0.0.1"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            assert len(client.scheduler_info()["workers"]) == 2
        out = tmp_path / "out"
        r = CliRunner().invoke(main, ["group", "plan", str(folder), "-o", str(out), "--scheduler", address,
                                      "--time-limit", "20", "--on", "04/01/2027"])
        assert r.exit_code == 0, r.output
        rows = pd.read_excel(out / "group-summary.xlsx")
        assert rows["Status"].tolist()[:4] == [grp.PLANNED, grp.PLANNED, grp.BAD_WORKBOOK, grp.NO_PLAN]
    finally:
        for p in reversed(procs):
            p.terminate()
        deadline = time.monotonic() + 20
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.parametrize("limit", ["nan", "-5", "0", "inf"])
def test_group_time_limit_must_be_a_positive_number(folder, tmp_path, limit):
    """`keyperson group plan --time-limit` is validated as `keyperson plan`'s is: exit 2, nothing written."""
    r = CliRunner().invoke(main, ["group", "plan", str(folder), "-o", str(tmp_path / "out"), "--time-limit", limit])
    assert r.exit_code == 2 and "time-limit" in r.output
    assert not (tmp_path / "out").exists()


def test_a_large_settings_rooms_are_tasks_on_the_cluster_too(monkeypatch):
    """A setting planned as a task on a Dask worker sends its rooms to the cluster as tasks of their own
    (here three rooms on a two-worker cluster in this process, the thresholds lowered so 45 children count
    as large), and its plan is the one planned here, point for point and child for child."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster, get_task_stream

    from scheduler import Status, plan
    from scheduler.cpsat import by_room

    setting = generate(45, seed=1)
    here = plan(setting, time_limit=30, room_moves=False)
    monkeypatch.setattr(by_room, "PARALLEL_ROOMS", 2)
    monkeypatch.setattr(by_room, "PARALLEL_CHILDREN", 1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, get_task_stream(client) as stream:
        there = client.submit(plan, setting, time_limit=30, room_moves=False, pure=False).result()
        workers = set(client.scheduler_info()["workers"])
    rooms = [t for t in stream.data if str(t["key"]).startswith("_solve_sent")]
    assert len({t["key"] for t in rooms}) == 3
    assert {t["worker"] for t in stream.data} == workers  # both workers had work
    assert here.status is there.status is Status.OPTIMAL
    assert (there.key_person, there.co_worker, there.objective) == (here.key_person, here.co_worker, here.objective)


def test_a_plan_the_independent_checker_faults_is_not_passed_as_planned(monkeypatch):
    """Should the plain-Python checker ever find a broken rule in a plan (here it is made to), the
    setting's row says so, is not counted as planned, and the problem asks for a report."""
    from scheduler import checker, plan

    setting = generate(30, seed=1)
    result = plan(setting, time_limit=20, room_moves=False)
    real = checker.evaluate_result

    def faulting(r):
        ev = real(r)
        ev.violations.append(checker.Violation("Caseload cap", "S01 has 9 key children, cap 8"))
        return ev

    monkeypatch.setattr(checker, "evaluate_result", faulting)
    row = {"Problems": [], "Status": grp.PLANNED}
    grp._recheck(row, result)
    assert row["Status"] == grp.FAILED and row["Re-checked"] == "faulted: Caseload cap: S01 has 9 key children, cap 8"
    assert row["Problems"] == ["the independent check found: Caseload cap: S01 has 9 key children, cap 8 "
                               "(please report)"]


def test_the_group_summary_prints_one_page_across(folder, tmp_path, no_dask):
    """Printed (LibreOffice to PDF), the summary sheet is one A4 page, every column on it, Re-checked and
    Output (the last) included: no second page across."""
    from tests.printing import pages, to_pdf

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["group", "plan", str(folder / "acorns.xlsx"), str(folder / "beeches.xlsx"),
                                  "-o", str(out), "--time-limit", "20", "--on", "04/01/2027"])
    assert r.exit_code == 0, r.output
    summary = [p for p in pages(to_pdf([out / "group-summary.xlsx"], tmp_path / "pdf")[0])
               if p.sheet == "Group summary"]
    assert len(summary) == 1 and summary[0].is_a4
    assert any("Re-checked" in line and "Output" in line for line in summary[0].lines), summary[0].lines[:3]
