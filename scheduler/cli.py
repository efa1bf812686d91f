"""The ``keyperson`` command: a thin shell over the Python API.

Every command reads its workbook with :func:`read_input`, or ``plan`` and
``whatif`` with the API's :func:`scheduler.plan_workbook` and
:func:`scheduler.whatif_workbook` (which the group and the web page call too),
the reader's warnings always shown; checks every path it will write before any
work (:func:`scheduler.excel.safety.check_outputs`); and ends with one of the
exit codes below, taken from the result's :class:`Status`, never a traceback.

Ctrl-C and SIGTERM mean the same at every moment: once a plan is found (during
the search, or the room-move re-plans after it) it is written, labelled as the
best so far; before that, or while a file is being written, nothing (more) is.
Either way the exit code is 130, one line says which, and no temporary file is
left behind.
"""

from __future__ import annotations

import logging
import math
import signal
import sys
import threading
import traceback
from datetime import date
from functools import wraps
from pathlib import Path

import click

from .errors import DataError, Problem
from .result import Status

EXIT_PLAN = 0
EXIT_BAD_INPUT = 2  # the workbook or an option can't be used; every problem listed
EXIT_NO_PLAN = 3  # no plan can keep every rule; the reasons and the smallest change given
EXIT_TIMED_OUT = 4  # no plan found within the time limit
EXIT_MODEL_INVALID = 5  # CP-SAT rejected the model: a bug in keyperson (its reason is printed)
EXIT_INTERNAL = 70  # any other bug in keyperson
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM

EXIT_FOR_STATUS = {Status.INFEASIBLE: EXIT_NO_PLAN, Status.TIMED_OUT: EXIT_TIMED_OUT,
                   Status.INVALID: EXIT_MODEL_INVALID}

MAX_TIME_LIMIT = 7 * 24 * 3600.0

log = logging.getLogger("keyperson")


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


def _fail(problems, warnings=()) -> None:
    _warn(warnings)
    for p in problems:
        click.echo(f"error: {p}", err=True)


def handles_data_errors(f):
    """Turn a DataError into its messages and exit code 2, an interrupt into one line and exit 130, and
    any other exception into one line and exit 70 (never a traceback)."""
    @wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except DataError as exc:
            _fail(exc.errors, exc.warnings)
            n = len(exc.errors)
            click.echo(f"{n} problem{'s' if n != 1 else ''} to fix before keyperson can use this workbook.",
                       err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was written.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: say so in one line (where it happened with -v: code, never values)
            where = "".join(traceback.format_tb(exc.__traceback__))
            log.debug("internal error %s at\n%s", type(exc).__name__, where)
            click.echo(f"keyperson failed with an internal error ({type(exc).__name__}); this is a bug, please "
                       "report it (run with -v for the details).", err=True)
            sys.exit(EXIT_INTERNAL)
    return wrapper


def parse_on(value: str | None) -> date | None:
    if value is None:
        return None
    from .excel.cells import CellError, parse_date
    try:
        return parse_date(value)
    except CellError as exc:
        raise click.BadParameter(f"{value!r} {exc.message}; {exc.hint}") from None


def seconds(ctx, param, value: float) -> float:
    """A ``--time-limit``: a positive, finite number of seconds."""
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise click.BadParameter(f"{value:g} is not a number of seconds from above 0 to {MAX_TIME_LIMIT:g}")
    return value


def time_limit_option(default: float, help: str):
    return click.option("--time-limit", default=default, show_default=True, type=float, callback=seconds,
                        help=help)


def workers_option(default: int, help: str):
    from .planner import MAX_WORKERS
    return click.option("--workers", default=default, show_default=True, type=click.IntRange(0, MAX_WORKERS),
                        help=help)


def max_changes_option():
    return click.option("--max-changes", type=click.IntRange(0, 10**6),
                        help="Most children whose key person may change.")


def force_option():
    return click.option("--force", is_flag=True, help="Replace the output file if it exists.")


def refuse_existing(outputs: dict[str, Path], force: bool, replaced_after_saying: Path | None = None) -> None:
    """Refuse (exit 2) to write over an existing output unless ``force``, as ``template`` does; the default
    plan workbook (``replaced_after_saying``) is replaced, after saying so."""
    for what, out in outputs.items():
        if not out.exists() or force:
            continue
        if replaced_after_saying is not None and out == replaced_after_saying:
            click.echo(f"{out.name} exists: it will be replaced by the new plan (give -o to keep it)", err=True)
            continue
        raise DataError(Problem(f"{out.name} already exists (the {what})",
                                hint="choose another name with -o, or add --force to replace it"))


def read_input(path: Path):
    """Read a setting workbook, printing the reader's warnings (every command shows them)."""
    from .excel.reader import read_workbook

    reading = read_workbook(path)
    _warn(reading.warnings)
    return reading.setting


def stop_unless_planned(result, time_limit: float, infeasible_reasons: list[str] | None = None) -> None:
    """Exit with the status's code and its message when ``result`` holds no plan."""
    if result.status.has_plan:
        return
    if result.interrupted:
        raise KeyboardInterrupt
    if result.status is Status.TIMED_OUT:
        click.echo(f"No plan found within {time_limit:g} s: try a longer --time-limit. Nothing was written.",
                   err=True)
    elif result.status is Status.INVALID:
        click.echo("keyperson could not plan this setting because the solver rejected its model; this is a bug, "
                   "please report it. Nothing was written.", err=True)
        for reason in result.diagnosis:
            click.echo(f"  {reason}", err=True)
    else:
        _infeasible(infeasible_reasons or result.diagnosis or [
            "the rules contradict each other in a way the quick checks did not find: loosen a cap, a lock or "
            "--max-changes"])
    sys.exit(EXIT_FOR_STATUS[result.status])


def _interrupted_plan_note(result) -> None:
    if result.interrupted:
        click.echo("interrupted: the plan written is the best found so far"
                   + (", not yet proven best." if result.status is not Status.OPTIMAL else
                      "; later room moves were not planned."), err=True)
        sys.exit(EXIT_INTERRUPTED)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@click.group()
@click.version_option(package_name="keyperson")
@click.option("-v", "--verbose", is_flag=True, help="Log progress (IDs only, never names).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Plan key persons and co-workers for an early-years setting from its workbook."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s")
    if threading.current_thread() is threading.main_thread():  # SIGTERM stops a run as Ctrl-C does
        before = signal.signal(signal.SIGTERM, _raise_interrupt)
        ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, before))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--on", "on", help="Plan date (DD/MM/YYYY or YYYY-MM-DD); default the Plan date rule, else today.")
@click.option("--until", "until", help="Last day the plan must hold (DD/MM/YYYY); default the Term ends rule, "
              "else the plan date alone.")
@handles_data_errors
def check(workbook: Path, on: str | None, until: str | None) -> None:
    """Read WORKBOOK, report every problem, and summarise the setting."""
    from .check import check_workbook

    found = check_workbook(workbook, parse_on(on), parse_on(until))
    _warn(found.warnings)
    for line in found.summary:
        click.echo(line)
    for line in found.rooms:
        click.echo(f"  {line}")
    click.echo(found.ratio_heading)
    for line in found.ratios:
        click.echo(f"  {line}")
    if found.untold:
        click.echo(f"Parents not yet told of their child's key person ({len(found.untold)}; "
                   "`keyperson letters` writes the letters, then fill in Parents told):")
        for line in found.untold:
            click.echo(f"  {line}")
    if found.problems:
        for p in found.problems:
            click.echo(f"error: {p}", err=True)
        click.echo("No plan can keep every rule until these are fixed.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if found.invalid:
        click.echo("keyperson could not plan this setting because the solver rejects its model; this is a bug, "
                   f"please report it.\n  {found.invalid}", err=True)
        sys.exit(EXIT_MODEL_INVALID)


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@handles_data_errors
def template(out: Path, force: bool) -> None:
    """Write a blank setting workbook, with instructions and an example row per sheet."""
    from .excel.safety import check_output
    from .excel.template import write_template

    check_output(out)
    write_template(out, force=force)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Plan workbook (default NAME-plan.xlsx).")
@click.option("--on", "on", help="Plan date (DD/MM/YYYY or YYYY-MM-DD); default the Plan date rule, else today.")
@click.option("--until", "until", help="Last day the plan must hold (DD/MM/YYYY); default the Term ends rule, "
              "else the plan date alone.")
@time_limit_option(30.0, "Seconds the whole plan may take (the model's build, the search, the room moves).")
@workers_option(0, "Solver threads (0 = all cores).")
@max_changes_option()
@click.option("--record-from", "record_from", help="First date of the Daily record (default: the plan's first "
              "full week).")
@click.option("--record-to", "record_to", help="Last date of the Daily record (within the term).")
@click.option("--plots", type=click.Path(path_type=Path, file_okay=False),
              help="Also write the caseload and coverage charts as PNG files into this folder.")
@force_option()
@handles_data_errors
def plan(workbook: Path, output: Path | None, on: str | None, until: str | None, time_limit: float, workers: int,
         max_changes: int | None, record_from: str | None, record_to: str | None, plots: Path | None,
         force: bool) -> None:
    """Plan every child's key person and co-worker, and write the plan workbook."""
    from .excel.safety import check_output, check_outputs
    from .workbooks import plan_workbook

    out = output or workbook.with_name(f"{workbook.stem}-plan.xlsx")
    check_output(out, (workbook,))  # as plan_workbook will, before the charts' paths and --force are looked at
    check_outputs({"plan workbook": out, **_chart_paths(plots)}, (workbook,))
    refuse_existing({"plan workbook": out}, force, replaced_after_saying=None if output else out)
    planned = plan_workbook(workbook, out, on=parse_on(on), until=parse_on(until), max_changes=max_changes,
                            time_limit=time_limit, workers=workers, record_from=parse_on(record_from),
                            record_to=parse_on(record_to))
    result = planned.result
    _warn(planned.warnings)
    stop_unless_planned(result, time_limit)
    click.echo(planned.report.summary())
    moves = result.transitions
    if moves is not None and len(moves):
        click.echo(f"  {len(moves)} children move room later: see the Transitions sheet")
    click.echo(f"wrote {out}")
    if plots is not None:
        from .plots import save_charts
        try:
            for path in save_charts(result, plots):
                click.echo(f"wrote {path}")
        except KeyboardInterrupt:
            click.echo(f"interrupted: the plan {out.name} was written, the charts were not.", err=True)
            sys.exit(EXIT_INTERRUPTED)
    _interrupted_plan_note(result)


def _chart_paths(folder: Path | None) -> dict[str, Path]:
    if folder is None:
        return {}
    from .plots import chart_paths

    if folder.exists() and not folder.is_dir():
        raise DataError(Problem(f"{folder} is a file, not a folder", hint="give --plots a folder"))
    if not folder.exists() and not folder.parent.is_dir():
        raise DataError(Problem(f"{folder.parent}: no such folder (for --plots)", hint="create it first"))
    return {f"chart {p.name}": p for p in chart_paths(folder)} if folder.exists() else {}


@main.command()
@click.argument("plan_workbook", type=click.Path(path_type=Path))
@click.option("--leaves", multiple=True, help="A practitioner (ID or name) who leaves; repeatable.")
@click.option("--joins", multiple=True, help="A practitioner on the Staff sheet (with a Starts date) who joins.")
@click.option("--scenario", "scenarios", multiple=True,
              help="Another scenario for the Compare sheet: IDs that leave, comma-separated ('S03,S07').")
@click.option("--on", "on", help="Plan date; default the day after the leaver's Leaves date, else today.")
@click.option("--until", "until", help="Last day the plan must hold (DD/MM/YYYY); default the Term ends rule, "
              "else the plan date alone.")
@click.option("--reshuffle", is_flag=True, help="Let every child's key person change, not only the leaver's.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Default NAME-whatif.xlsx.")
@time_limit_option(30.0, "Seconds each re-plan may take.")
@workers_option(0, "Solver threads (0 = all cores).")
@max_changes_option()
@force_option()
@handles_data_errors
def whatif(plan_workbook: Path, leaves, joins, scenarios, on, until, reshuffle, output, time_limit, workers,
           max_changes, force) -> None:
    """Re-plan a plan workbook when practitioners leave or join, changing as little as possible."""
    from .excel.safety import check_output
    from .report import Report
    from .workbooks import whatif_workbook

    out = output or plan_workbook.with_name(f"{plan_workbook.stem}-whatif.xlsx")
    check_output(out, (plan_workbook,))  # as whatif_workbook will, before --force is looked at
    refuse_existing({"what-if workbook": out}, force)
    if not (leaves or joins or scenarios):
        raise click.UsageError("say who leaves (--leaves ID) or joins (--joins ID), or give --scenario lines")
    asked = whatif_workbook(plan_workbook, out, leaves=leaves, joins=joins,
                            scenarios=[[x.strip() for x in line.split(",") if x.strip()] for line in scenarios],
                            on=parse_on(on), until=parse_on(until), reshuffle=reshuffle, max_changes=max_changes,
                            time_limit=time_limit, workers=workers)
    _warn(asked.warnings)
    if asked.interrupted:
        raise KeyboardInterrupt  # the Compare sheet would be incomplete: nothing was written
    first = asked.first.result
    stop_unless_planned(first, time_limit, asked.reasons() if first.status is Status.INFEASIBLE else None)
    click.echo(Report(first).summary())
    for line in asked.said():
        click.echo(line)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("plan_workbook", type=click.Path(path_type=Path))
@click.argument("child")
@click.option("--on", "on", help="Plan date; default the Plan date rule, else today.")
@time_limit_option(20.0, "Seconds for the plan and for each re-solve.")
@handles_data_errors
def explain(plan_workbook: Path, child: str, on: str | None, time_limit: float) -> None:
    """Explain CHILD's (ID or name) key person: what they bring, and what each alternative would cost."""
    from .excel.kept import input_state
    from .explain import explain as why
    from .planner import plan as solve

    setting = input_state(read_input(plan_workbook))  # on a plan workbook: as before that plan
    child_id = _person({c.id: c.name for c in setting.children}, "Children", child)
    base = solve(setting, parse_on(on), time_limit=time_limit, room_moves=False)
    stop_unless_planned(base, time_limit)
    if base.interrupted:
        raise KeyboardInterrupt
    if child_id not in base.key_person:
        raise DataError(Problem(f"{child!r} is not on roll on {base.on:%d/%m/%Y}, so has no key person then",
                                hint="give a plan date (--on) when the child attends"))
    click.echo(str(why(setting, child_id, base.on, base=base, time_limit=time_limit)))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--key", "key_file", type=click.Path(path_type=Path),
              help="Also write a CSV from each code back to the real name (keep it; don't share it).")
@force_option()
@handles_data_errors
def pseudonymise(workbook: Path, out: Path, key_file: Path | None, force: bool) -> None:
    """Write a copy of WORKBOOK with names replaced by stable codes, for sharing with analysts."""
    from .excel.safety import check_output, check_outputs, write_csv
    from .excel.setting_writer import write_setting
    from .privacy import pseudonymise as scramble

    check_output(out, (workbook,))
    check_outputs({"pseudonymised workbook": out, **({"key": key_file} if key_file else {})}, (workbook,))
    refuse_existing({"pseudonymised workbook": out, **({"key": key_file} if key_file else {})}, force)
    setting, key = scramble(read_input(workbook))
    write_setting(setting, out, private=False)  # no names left in it
    if key_file is not None:
        write_csv([("Code", "Name"), *sorted(key.items())], key_file)
    click.echo(f"wrote {out}" + (f" and the key {key_file}" if key_file else ""))


@main.command()
@click.argument("plan_workbook", type=click.Path(path_type=Path), required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="The Word file to write; default PLAN-letters.docx beside the plan.")
@click.option("--template", type=click.Path(path_type=Path),
              help="The setting's own letter (.docx with placeholders); default keyperson's.")
@click.option("--template-out", type=click.Path(path_type=Path),
              help="Write keyperson's letter template here to start your own from, and stop.")
@click.option("--changed/--all", "changed", default=True, show_default=True,
              help="Only families whose parents haven't been told of the current key person, or every family.")
@click.option("--on", "on", help="Plan date (DD/MM/YYYY); default the Plan date rule, else today.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@handles_data_errors
def letters(plan_workbook: Path | None, output: Path | None, template: Path | None, template_out: Path | None,
            changed: bool, on: str | None, force: bool) -> None:
    """Write one letter per family telling parents their child's key person, from PLAN_WORKBOOK."""
    from . import word
    from .instance import plan_date
    from .letters import NO_LETTERS
    from .letters import letters as family_letters

    if template_out is not None:
        word.save(word.default_template(), template_out, force=force)
        click.echo(f"wrote {template_out}: edit it in Word, keep the {{{{ ... }}}} placeholders, and pass it with "
                   "--template")
        return
    if plan_workbook is None:
        raise click.UsageError("give the plan workbook, e.g. keyperson letters my-setting-plan.xlsx")
    if template is not None:
        word.check_template(template)
    setting = read_input(plan_workbook)
    found = family_letters(setting, plan_date(setting, parse_on(on)), which="changed" if changed else "all",
                           dated=date.today())
    if not found:
        click.echo(f"{NO_LETTERS} Use --all for a letter to every family.")
        return
    out = output or word.letters_path(plan_workbook)
    inputs = tuple(p for p in (plan_workbook, template) if p is not None)
    word.save(word.render(found, template), out, inputs, force=force)
    children = sum(len(letter.children) for letter in found)
    click.echo(f"wrote {out}: {len(found)} letter{'s' if len(found) != 1 else ''} for {children} "
               f"child{'ren' if children != 1 else ''}" + (" (families told of a new or changed key person)"
                                                           if changed else ""))


@main.group()
def group() -> None:
    """Plan, check or ask what if for every setting of a nursery group (on Dask when installed)."""


def group_command(kind: str, output_help: str, output_required: bool = True):
    """Make the function below (its docstring the help, its own options above it) ``keyperson group KIND``:
    PATHS, its own options, ``-o`` with ``output_help``, then the options every group command shares
    (--on, --until, --time-limit, --scheduler, --workers), run on every workbook by :func:`_run_group`."""
    shared = [click.option("--on", "on", help="Plan date (DD/MM/YYYY); default each workbook's Plan date rule, "
                           "else today."),
              click.option("--until", "until", help="Last day each plan must hold (DD/MM/YYYY)."),
              time_limit_option(30.0, "Seconds each setting's plan may take."),
              click.option("--scheduler", "scheduler_address", metavar="ADDRESS",
                           help="A Dask scheduler to run on, e.g. tcp://10.0.0.5:8786 (default: this machine)."),
              click.option("--workers", type=click.IntRange(1, 256), default=None,
                           help="Settings planned at once on this machine (default: the cores).")]

    def register(f):
        @wraps(f)
        def run(paths, outdir, on, until, time_limit, scheduler_address, workers, **own) -> None:
            _run_group(kind, paths, outdir, on, until, time_limit, scheduler_address, workers, **own)

        own = run.__dict__.pop("__click_params__", [])  # the command's own options, copied by wraps
        command = handles_data_errors(run)
        for option in reversed(shared):
            command = option(command)
        command = click.option("-o", "--output", "outdir", type=click.Path(path_type=Path),
                               required=output_required, help=output_help)(command)
        command.__click_params__.extend(own)  # click lists the parameters last added first
        command = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(command)
        return group.command(kind)(command)
    return register


def _run_group(kind: str, paths, outdir: Path | None, on, until, time_limit, scheduler_address, workers,
               **kw) -> None:
    import pandas as pd

    from .group import Options, check_one, plan_one, run_group, setting_files, totals, whatif_one

    task = {"plan": plan_one, "check": check_one, "whatif": whatif_one}[kind]
    options = Options(on=parse_on(on), until=parse_on(until), time_limit=time_limit)
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
    files = setting_files(paths, plans=kind == "whatif")
    if not files:
        raise DataError(Problem("no setting workbooks (.xlsx) found there", hint="name workbooks or folders"))
    with click.progressbar(length=len(files), label=f"{kind}: {len(files)} settings", file=sys.stderr,
                           show_eta=False) as bar:
        def progress(done: int, failed: int, remaining: int) -> None:
            bar.label = f"{kind}: {done} done, {failed} failed, {remaining} remaining"
            bar.update(done + failed - bar.pos)

        summary = run_group(task, files, outdir, scheduler=scheduler_address, workers=workers, progress=progress,
                            options=options, plans=kind == "whatif", **kw)
    for _, r in summary.iterrows():
        click.echo(f"{r['Setting']}: {r['Status']}" + (f" ({r['Output']})" if pd.notna(r["Output"]) else ""))
    if outdir is not None:
        from .excel.group_writer import write_group_summary
        out = write_group_summary(summary, totals(summary), outdir / "group-summary.xlsx", tuple(files))
        click.echo(f"wrote {out}")


@group_command("plan", "Folder for NAME-plan.xlsx per setting and group-summary.xlsx.")
def group_plan() -> None:
    """Plan every setting workbook in PATHS (files or folders); one bad workbook never stops the rest."""


@group_command("check", "Also write group-summary.xlsx in this folder.", output_required=False)
def group_check() -> None:
    """Check every setting workbook in PATHS, as keyperson check does."""


@group_command("whatif", "Folder for NAME-whatif.xlsx per setting they work in, and group-summary.xlsx.")
@click.option("--leaves", required=True, help="The practitioner (ID or name) who leaves, wherever they work.")
def group_whatif() -> None:
    """Re-plan each plan workbook in PATHS in which the practitioner LEAVES works."""


def _room(setting, ref: str) -> str:
    """A room named on the command line (any case); a DataError (exit 2) naming the rooms if not found."""
    from .excel.cells import norm

    found = {norm(r.name): r.name for r in setting.rooms}.get(norm(ref))
    if found is None:
        rooms = ", ".join(r.name for r in setting.rooms)
        raise DataError(Problem(f"no room {ref!r} on the Rooms sheet", hint=f"give one of: {rooms}"))
    return found


def _person(names: dict[str, str], sheet: str, ref: str) -> str:
    """A person named on the command line, by ID or unique name; a DataError (exit 2) if not found."""
    from .excel.cells import CellError
    from .excel.reader import PeopleIndex

    try:
        return PeopleIndex(names, sheet).resolve(ref)
    except CellError as exc:
        raise DataError(Problem(f"{ref!r} {exc.message}", hint=exc.hint)) from None


MAX_SWEEP_VALUES = 100


def parse_range(value: str) -> list[int]:
    """``4..10`` or ``4,6,8`` -> a list of whole numbers from 1 to 100 (at most 100 of them)."""
    try:
        if ".." in value:
            lo, hi = (int(x) for x in value.split(".."))
            numbers = list(range(lo, min(hi, lo + MAX_SWEEP_VALUES) + 1))
        else:
            numbers = [int(x) for x in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a range; write 4..10 or 4,6,8") from None
    if not numbers:
        raise click.BadParameter(f"{value!r} is an empty range: write the smaller number first, e.g. 4..10")
    if not all(1 <= n <= 100 for n in numbers) or len(numbers) > MAX_SWEEP_VALUES:
        raise click.BadParameter(f"{value!r}: give whole numbers from 1 to 100, at most {MAX_SWEEP_VALUES} of them")
    return numbers


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--cap", "caps", default=None, help="Caseload caps to try for every room: 4..10 or 4,6,8.")
@click.option("--ratio", "ratios", default=None, help="Room ratios (k in 1:k) to try: 5..8 or 3,5,8 (never looser "
              "than a room's statutory ratio for its children: a Baby room stays at 1:3).")
@click.option("--room", default=None, help="Sweep this room alone (its children and staff); default every room.")
@click.option("--on", "on", help="Plan date; default the Plan date rule, else today.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write the table and its chart to this workbook.")
@workers_option(2, "Scenarios solved side by side.")
@time_limit_option(30.0, "Seconds for each scenario.")
@force_option()
@handles_data_errors
def sweep(workbook: Path, caps, ratios, room, on, output, workers, time_limit, force) -> None:
    """Plan the setting under several caps (and/or ratios) and tabulate what each costs."""
    from .excel.safety import check_output
    from .excel.sweep_writer import write_sweep
    from .sweep import sweep as run_sweep
    from .words import sweep_table

    if output is not None:
        check_output(output, (workbook,))
        refuse_existing({"sweep workbook": output}, force)
    cap_values = parse_range(caps) if caps else (None,)
    ratio_values = parse_range(ratios) if ratios else (None,)
    setting = read_input(workbook)
    if room is not None:
        room = _room(setting, room)
    frame = run_sweep(setting, caps=cap_values, ratios=ratio_values, on=parse_on(on), workers=max(1, workers),
                      time_limit=time_limit, room=room)
    table = sweep_table(frame)
    reasons = table.pop("Why there is no plan") if "Why there is no plan" in table else None
    click.echo(table.fillna("").to_string(index=False))
    if reasons is not None:
        for (_, row), reason in zip(table.iterrows(), reasons, strict=True):
            if reason:
                click.echo(f"  {table.columns[0].lower()} {row.iloc[0]}: {reason}")
    if output is not None:
        write_sweep(frame, output, (workbook,))
        click.echo(f"wrote {output}")


@main.command()
@click.argument("workbook", required=False, type=click.Path(path_type=Path))
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--no-browser", is_flag=True, help="Don't open the page in the browser.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; another than this computer's only with care (the launch token is "
                   "always required).")
@handles_data_errors
def serve(workbook: Path | None, port: int, no_browser: bool, host: str) -> None:
    """Open the keyperson page in the browser (on this computer), with WORKBOOK if given, until Ctrl-C."""
    try:
        from .web import CannotListen
        from .web import serve as run
    except ImportError:
        raise DataError(Problem("the web page needs the web extra", hint="pip install 'keyperson[web]'")) from None
    try:
        run(workbook, port=port, host=host, open_browser=not no_browser, echo=click.echo)
    except CannotListen as exc:
        raise click.UsageError(str(exc)) from None


def _infeasible(reasons: list[str]) -> None:
    click.echo("No plan can keep every rule:", err=True)
    for r in reasons:
        click.echo(f"  - {r}", err=True)
    click.echo("Nothing was written.", err=True)
    sys.exit(EXIT_NO_PLAN)


if __name__ == "__main__":
    main()
