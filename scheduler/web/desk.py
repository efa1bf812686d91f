"""What the page keeps while it runs: the workbook open, its check, the plan, explanations, what-ifs and
pinned choices, and the one queue every solve goes through (one solve at a time; the rest wait, and say so).

Nothing is kept after the server stops: uploads live in a private temporary folder removed at exit.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..check import Check, check_workbook
from ..errors import DataError, Problem
from ..progress import Progress
from ..report import Report
from ..result import Result
from ..setting import Lock, Setting
from ..workbooks import WorkbookPlan, WorkbookWhatIf, pinned

log = logging.getLogger("keyperson.web")

TIME_LIMIT = 30.0  # seconds, as keyperson plan's default
EXPLAIN_TIME_LIMIT = 20.0  # as keyperson explain's default


@dataclass
class Job:
    """One solve: waiting in the queue, running, or done (``value``, or ``problems`` if it failed)."""

    label: str
    progress: Progress = field(default_factory=Progress)
    state: str = "waiting"
    value: Any = None
    problems: list[str] = field(default_factory=list)
    number: int = 0

    @property
    def done(self) -> bool:
        return self.state == "done"


class Queue:
    """One solve at a time, in the order asked."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keyperson-solve")
        self._lock = threading.Lock()
        self._jobs: list[Job] = []
        self._count = 0

    def submit(self, job: Job, work: Callable[[Job], Any]) -> Job:
        with self._lock:
            self._count += 1
            job.number = self._count
            self._jobs.append(job)

        def run() -> None:
            job.state = "running"
            job.progress.started = time.monotonic()  # time the run, not the wait
            try:
                job.value = work(job)
            except DataError as exc:
                job.problems = [str(p) for p in exc.errors]
            except Exception as exc:  # noqa: BLE001 - a manager gets a sentence; the log the kind of failure
                log.error("job %d failed: %s", job.number, type(exc).__name__)  # no message: it may hold names
                job.problems = ["keyperson could not finish this: please report it, saying what you did just "
                                "before"]
            finally:
                job.state = "done"
                with self._lock:
                    self._jobs.remove(job)
        self._pool.submit(run)
        return job

    def ahead_of(self, job: Job) -> int:
        """How many solves will run before ``job`` starts."""
        with self._lock:
            return sum(1 for j in self._jobs if j.number < job.number) if job.state == "waiting" else 0

    def running(self) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs if j.state == "running"), None)

    def shutdown(self) -> None:
        with self._lock:
            for j in self._jobs:
                j.progress.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Options:
    """The plan's options, as keyperson plan's: --on, --until and --max-changes."""

    on: date | None = None
    until: date | None = None
    max_changes: int | None = None


class Desk:
    """The manager's desk: one workbook at a time."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or Path(tempfile.mkdtemp(prefix="keyperson-"))  # 0700: this user only
        self.queue = Queue()
        self.workbook: Path | None = None  # the manager's file (given at launch) or its uploaded copy
        self.check: Check | None = None
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.options = Options()
        self.pins: list[Lock] = []
        self.plan_job: Job | None = None
        self.explanations: dict[str, Job] = {}
        self.whatifs: dict[tuple[str, date, bool], Job] = {}
        self._uploads = 0

    # -- the workbook ---------------------------------------------------------------
    def upload_path(self, filename: str) -> Path:
        """A fresh private place for an uploaded file, keeping its name (the plan is titled by it)."""
        self._uploads += 1
        folder = self.folder / f"upload-{self._uploads}"
        folder.mkdir(mode=0o700)
        name = Path(filename.replace("\\", "/")).name.strip() or "workbook.xlsx"
        name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*') or "workbook.xlsx"
        return folder / name

    def open(self, path: Path, options: Options | None = None) -> None:
        """Read and check the workbook at ``path``; every earlier plan, pin and answer is dropped."""
        self.workbook = path
        self.options = options or Options()
        self.pins = []
        self.plan_job = None
        self.explanations.clear()
        self.whatifs.clear()
        self.recheck()

    def recheck(self) -> None:
        self.check, self.errors, self.warnings = None, [], []
        if self.workbook is None:
            return
        try:
            self.check = check_workbook(self.workbook, self.options.on, self.options.until)
            self.warnings = self.check.warnings
        except DataError as exc:
            self.errors, self.warnings = exc.errors, exc.warnings
        log.info("workbook opened: %s", "usable" if self.check and self.check.usable else "not usable")

    @property
    def setting(self) -> Setting | None:
        """The workbook's setting with the manager's pinned choices as locks."""
        if self.check is None:
            return None
        return pinned(self.check.instance.setting, self.pins)

    # -- solves -------------------------------------------------------------------------
    def start_plan(self) -> Job:
        """Plan the workbook (with any pins) as keyperson plan does, in the queue."""
        from ..workbooks import plan_workbook

        workbook, options, pins = self.workbook, self.options, tuple(self.pins)
        if self.check is None or workbook is None:
            raise ValueError("no usable workbook is open")
        if self.plan_job is not None and not self.plan_job.done:
            self.plan_job.progress.stop()  # superseded (a pin changed what to plan): end it soon, plan anew

        def work(job: Job) -> WorkbookPlan:
            planned = plan_workbook(workbook, on=options.on, until=options.until, max_changes=options.max_changes,
                                    time_limit=TIME_LIMIT, pins=pins, progress=job.progress)
            log.info("plan %d: %s", job.number, planned.result.status.value)
            return planned

        self.explanations.clear()
        self.whatifs.clear()
        self.plan_job = self.queue.submit(Job("Planning"), work)
        return self.plan_job

    @property
    def planned(self) -> WorkbookPlan | None:
        """The workbook planned (with its warnings and Daily record dates), once the plan job is done."""
        job = self.plan_job
        return job.value if job is not None and job.done and job.value else None

    @property
    def report(self) -> Report | None:
        """The last plan's tables (built once, for every page visit and the download), once it is done."""
        planned = self.planned
        return planned.report if planned is not None else None

    @property
    def result(self) -> Result | None:
        planned = self.planned
        return planned.result if planned is not None else None

    def plan_path(self) -> Path | None:
        """The plan workbook in the private folder, byte for byte what keyperson plan writes; None without a
        plan."""
        planned = self.planned
        if planned is None or not planned.result.status.has_plan:
            return None
        return planned.write(self.folder / f"{planned.workbook.stem}-plan.xlsx")

    def pin(self, lock: Lock) -> Job:
        """Keep a choice (a must / must-not lock) and plan again."""
        self.pins = [k for k in self.pins if not (k.child == lock.child and k.role == lock.role
                                                   and (k.staff == lock.staff or lock.rule == k.rule == "must"))]
        self.pins.append(lock)
        log.info("pinned %s %s %s %s", lock.child, lock.rule, lock.role, lock.staff)
        return self.start_plan()

    def unpin(self, index: int) -> Job:
        del self.pins[index]
        return self.start_plan()

    def explain(self, child_id: str) -> Job:
        from ..explain import explain

        result = self.result
        if result is None or not result.status.has_plan:
            raise ValueError("there is no plan to explain")
        if child_id not in self.explanations:
            self.explanations[child_id] = self.queue.submit(
                Job("Working out why"),
                lambda job: explain(result.setting, child_id, result.on, base=result,
                                    time_limit=EXPLAIN_TIME_LIMIT))
        return self.explanations[child_id]

    def what_if_leaves(self, staff_id: str, last_day: date, reshuffle: bool = False) -> Job:
        """Re-plan from the day after ``last_day`` without ``staff_id``, holding everyone else's key person
        unless ``reshuffle``: keyperson whatif on this plan's workbook (whose Key person columns are the plan),
        written under the workbook's own name, so the setting keeps its name."""
        from ..workbooks import whatif_workbook

        planned = self.planned
        if planned is None or not planned.result.status.has_plan:
            raise ValueError("there is no plan to start from")
        key = (staff_id, last_day, reshuffle)
        if key not in self.whatifs:
            def work(job: Job) -> WorkbookWhatIf:
                folder = self.folder / f"whatif-{job.number}"
                folder.mkdir(mode=0o700)
                asked = whatif_workbook(planned.write(folder / planned.workbook.name), leaves=(staff_id,),
                                        on=last_day + timedelta(days=1), until=self.options.until,
                                        reshuffle=reshuffle, time_limit=TIME_LIMIT,
                                        max_changes=self.options.max_changes)
                log.info("what-if %s leaves: %s", staff_id, asked.first.result.status.value)
                return asked
            self.whatifs[key] = self.queue.submit(Job("Planning without them"), work)
        return self.whatifs[key]

    def close(self) -> None:
        self.queue.shutdown()
        shutil.rmtree(self.folder, ignore_errors=True)
