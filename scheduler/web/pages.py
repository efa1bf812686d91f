"""The page's routes: open a workbook, plan, explain a child, a practitioner's what-if, pins, downloads."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import DataError, Problem
from ..excel.safety import MAX_FILE_BYTES, write_atomic
from ..setting import Lock
from ..words import long_date, on_page, plural
from . import words
from .desk import Desk, Job, Options
from .guard import Guard, Keys

HERE = Path(__file__).parent
log = logging.getLogger("keyperson.web")


def create_app(desk: Desk, keys: Keys) -> Guard:
    """The page as an ASGI app, behind the token and Host checks."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(csrf=keys.csrf, plural=plural, long_date=long_date)
    templates.env.finalize = _in_page_words

    def page(request: Request, name: str, status_code: int = 200, **context) -> Response:
        return templates.TemplateResponse(request, name, {"desk": desk, **context}, status_code=status_code)

    async def form(request: Request):
        data = await request.form(max_files=1, max_fields=20)
        if not keys.csrf_ok(data.get("csrf")):  # type: ignore[arg-type]
            raise Refused()
        return data

    async def home(request: Request) -> Response:
        result = desk.result
        planned = result is not None and result.status.has_plan
        day, daily, message = None, [], request.query_params.get("message")
        if result is not None and planned:
            record = desk.planned.record  # type: ignore[union-attr]
            try:
                day = _date(request.query_params.get("day")) or record[0]
                daily = words.daily(result, day)
            except (ValueError, DataError) as exc:
                message = "; ".join(str(p) for p in exc.errors) if isinstance(exc, DataError) else str(exc)
                day, daily = record[0], words.daily(result, record[0])
        report = desk.report
        return page(request, "home.html", result=result, report=report, day=day, daily=daily,
                    summary=words.summary(report) if report is not None and planned else [],
                    rooms=words.rooms(report) if report is not None and planned else [],
                    job=desk.plan_job, ahead=desk.queue.ahead_of(desk.plan_job) if desk.plan_job else 0,
                    message=message)

    async def open_workbook(request: Request) -> Response:
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_FILE_BYTES + 2**20:
            return _home(f"That file is {length // 2**20} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                         "limit: a setting's workbook is far smaller.")
        data = await form(request)
        upload = data.get("workbook")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _home("Choose a workbook first.")
        received = bytearray()  # at most the limit, held in memory and then written in one go
        while chunk := await upload.read(2**16):
            received += chunk
            if len(received) > MAX_FILE_BYTES:
                return _home(f"That file is more than the {MAX_FILE_BYTES // 2**20} MB limit: a setting's "
                             "workbook is far smaller.")
        path = desk.upload_path(upload.filename)
        try:
            write_atomic(path, bytes(received))  # whole or not at all, readable by this user only
        except DataError as e:
            return _home(str(e))
        desk.open(path)
        return _home()

    async def start_plan(request: Request) -> Response:
        data = await form(request)
        try:
            options = Options(_date(data.get("on")), _date(data.get("until")), _count(data.get("max_changes")))
        except ValueError as exc:
            return _home(str(exc))
        if options != desk.options:
            desk.options = options
            desk.recheck()
        if desk.check is None:
            return _home()
        desk.start_plan()
        return _home()

    async def stop(request: Request) -> Response:
        data = await form(request)
        job = _job(data.get("job")) or desk.queue.running()
        if job is not None:  # a job still waiting keeps the first plan it finds
            job.progress.stop()
        return RedirectResponse(request.headers.get("referer") or "/", status_code=303)

    async def progress(request: Request) -> Response:
        job = _job(request.query_params.get("job"))
        if job is None:
            return JSONResponse({"state": "done"})
        return JSONResponse({"state": job.state, "seconds": round(job.progress.seconds),
                             "best": job.progress.best, "found": job.progress.plans_found,
                             "ahead": desk.queue.ahead_of(job)})

    def _job(number) -> Job | None:
        jobs = [desk.plan_job, *desk.explanations.values(), *desk.whatifs.values()]
        return next((j for j in jobs if j is not None and str(j.number) == number), None)

    async def child(request: Request) -> Response:
        result = desk.result
        child_id = request.path_params["child"]
        if result is None or child_id not in result.key_person:
            return _home("Plan first, then choose a child.")
        job = desk.explain(child_id)
        row = desk.report.assignments.set_index("Child ID").loc[child_id]  # type: ignore[union-attr]
        room_staff = [m for m in result.instance.staff if m.room == result.instance.room_of[child_id]]
        return page(request, "child.html", result=result, child=result.setting.child(child_id), row=row, job=job,
                    ahead=desk.queue.ahead_of(job), staff=room_staff)

    async def staff(request: Request) -> Response:
        result = desk.result
        staff_id = request.path_params["staff"]
        if result is None or staff_id not in {m.id for m in result.instance.staff}:
            return _home("Plan first, then choose a practitioner.")
        member = result.setting.member(staff_id)
        job, leaves, reshuffle = None, None, request.query_params.get("reshuffle") == "1"
        try:
            leaves = _date(request.query_params.get("leaves"))
        except ValueError as exc:
            return _home(str(exc))
        if leaves is not None:
            job = desk.whatifs.get((staff_id, leaves, reshuffle))
        report = desk.report
        assert report is not None  # there is a result
        load = report.caseloads.set_index("Staff ID").loc[staff_id]
        a = report.assignments
        compare_rows, no_room = [], []
        if job is not None and job.done and job.value:
            asked = job.value
            if asked.first.result.status.has_plan:
                compare_rows = words.compare_rows(asked.compare)
            else:
                from ..whatif import no_room_left
                no_room = no_room_left(asked.first.result)
        return page(request, "staff.html", result=result, member=member, load=load, leaves=leaves, job=job,
                    reshuffle=reshuffle,
                    compare_rows=compare_rows, no_room=no_room,
                    ahead=desk.queue.ahead_of(job) if job else 0,
                    key_children=a[a["Key person ID"] == staff_id], co_children=a[a["Co-worker ID"] == staff_id])

    async def leaves(request: Request) -> Response:
        data = await form(request)
        staff_id = request.path_params["staff"]
        try:
            last_day = _date(data.get("leaves"))
        except ValueError as exc:
            return _home(str(exc))
        if last_day is None or desk.result is None:
            return RedirectResponse(f"/staff/{staff_id}", status_code=303)
        reshuffle = data.get("reshuffle") == "1"
        desk.what_if_leaves(staff_id, last_day, reshuffle)
        return RedirectResponse(f"/staff/{staff_id}?leaves={last_day.isoformat()}&reshuffle={int(reshuffle)}",
                                status_code=303)

    async def pin(request: Request) -> Response:
        data = await form(request)
        result = desk.result
        child_id, staff_id = str(data.get("child")), str(data.get("staff"))
        role, rule = str(data.get("role", "key person")), str(data.get("rule", "must"))
        if (result is None or child_id not in result.key_person or role not in ("key person", "co-worker")
                or rule not in ("must", "must not") or staff_id not in {m.id for m in result.setting.staff}):
            return _home("That choice can't be pinned: plan first, then pin from a child's row.")
        desk.pin(Lock(child_id, staff_id, role, rule, "pinned on the keyperson page"))
        return _home()

    async def unpin(request: Request) -> Response:
        data = await form(request)
        try:
            desk.unpin(int(str(data.get("index"))))
        except (ValueError, IndexError):
            return _home()
        return _home()

    async def download_plan(request: Request) -> Response:
        out = desk.plan_path()
        if out is None:
            return _home("There is no plan to download yet.")
        return FileResponse(out, filename=out.name, media_type=XLSX)

    async def download_letters(request: Request) -> Response:
        """The parents' letters, as keyperson letters writes them from the downloaded plan (families told of
        a new or changed key person)."""
        from .. import word
        from ..excel.reader import read_workbook
        from ..letters import NO_LETTERS, letters

        plan_path = desk.plan_path()
        if plan_path is None:
            return _home("Plan first: the letters tell parents their child's key person in the plan.")
        found = letters(read_workbook(plan_path).setting, desk.result.on, which="changed",  # type: ignore[union-attr]
                        dated=date.today())
        if not found:
            return _home(NO_LETTERS)
        out = word.letters_path(plan_path)
        word.save(word.render(found), out, (plan_path,), force=True)
        return FileResponse(out, filename=out.name, media_type=DOCX)

    async def download_whatif(request: Request) -> Response:
        try:
            key = (request.query_params.get("staff", ""), _date(request.query_params.get("leaves")),
                   request.query_params.get("reshuffle") == "1")
        except ValueError:
            key = ("", None, False)
        job = desk.whatifs.get(key)  # type: ignore[arg-type]
        if job is None or not job.done or not job.value or not job.value.first.result.status.has_plan:
            return _home("There is no what-if to download.")
        out = job.value.write(desk.folder / f"{job.value.workbook.stem}-plan-whatif.xlsx")
        return FileResponse(out, filename=out.name, media_type=XLSX)

    async def download_template(request: Request) -> Response:
        from ..excel.template import write_template

        out = write_template(desk.folder / "keyperson-template.xlsx", force=True)
        return FileResponse(out, filename=out.name, media_type=XLSX)

    async def refused(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("This form is out of date or came from another page: go back, reload the page "
                                 "and try again.", status_code=403)

    async def data_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DataError)
        return _home("; ".join(str(p) for p in exc.errors))

    routes = [
        Route("/", home), Route("/open", open_workbook, methods=["POST"]),
        Route("/plan", start_plan, methods=["POST"]), Route("/stop", stop, methods=["POST"]),
        Route("/progress", progress), Route("/child/{child}", child), Route("/staff/{staff}", staff),
        Route("/staff/{staff}/leaves", leaves, methods=["POST"]), Route("/pin", pin, methods=["POST"]),
        Route("/unpin", unpin, methods=["POST"]), Route("/download/plan", download_plan),
        Route("/download/whatif", download_whatif), Route("/download/letters", download_letters),
        Route("/download/template", download_template),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={Refused: refused, DataError: data_error})
    return Guard(app, keys)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Refused(Exception):
    """A form without this server's CSRF token."""


def _in_page_words(value):
    """Every sentence the page shows (text, or a reader's Problem), in the page's words: a choice named as the
    page offers it, not as a command-line option."""
    if isinstance(value, str | Problem):
        return on_page(str(value)) if not isinstance(value, Markup) else value
    return value


def _home(message: str | None = None) -> Response:
    from urllib.parse import urlencode
    return RedirectResponse("/" + (f"?{urlencode({'message': message})}" if message else ""), status_code=303)


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date: choose one from the calendar") from None


def _count(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number of children") from None
    if n < 0:
        raise ValueError("The most key-person changes can't be below 0")
    return n


