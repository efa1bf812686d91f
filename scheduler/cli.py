"""The ``keyperson`` command: a thin shell over the Python API.

Exit codes: 0 done; 2 the workbook (or an option) can't be used, with every
problem listed; 3 no plan can keep every rule, with the reasons; 130
interrupted (Ctrl-C) — the best plan found so far is still written.
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from functools import wraps
from pathlib import Path

import click

from .errors import DataError, Problem

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_INTERRUPTED = 130


def _fail(problems, warnings=()) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for p in problems:
        click.echo(f"error: {p}", err=True)


def handles_data_errors(f):
    """Turn a DataError into its messages and exit code 2, Ctrl-C into exit 130 (never a traceback)."""
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
            click.echo("interrupted before a plan was found: nothing was written.", err=True)
            sys.exit(EXIT_INTERRUPTED)
    return wrapper


def parse_on(value: str | None) -> date | None:
    if value is None:
        return None
    from .excel.cells import CellError, parse_date
    try:
        return parse_date(value)
    except CellError as exc:
        raise click.BadParameter(f"{value!r} {exc.message}; {exc.hint}") from None


@click.group()
@click.version_option(package_name="keyperson")
@click.option("-v", "--verbose", is_flag=True, help="Log progress (IDs only, never names).")
def main(verbose: bool) -> None:
    """Plan key persons and co-workers for an early-years setting from its workbook."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


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
    for w in found.warnings:
        click.echo(f"warning: {w}")
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


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@handles_data_errors
def template(out: Path, force: bool) -> None:
    """Write a blank setting workbook, with instructions and an example row per sheet."""
    from .excel.template import write_template

    write_template(out, force=force)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Plan workbook (default NAME-plan.xlsx).")
@click.option("--on", "on", help="Plan date (DD/MM/YYYY or YYYY-MM-DD); default the Plan date rule, else today.")
@click.option("--until", "until", help="Last day the plan must hold (DD/MM/YYYY); default the Term ends rule, "
              "else the plan date alone.")
@click.option("--time-limit", default=30.0, show_default=True, help="Seconds the search may take.")
@click.option("--workers", default=0, show_default=True, help="Solver threads (0 = all cores).")
@click.option("--max-changes", type=click.IntRange(min=0), help="Most children whose key person may change.")
@click.option("--record-from", "record_from", help="First date of the Daily record (default: the plan's first "
              "full week).")
@click.option("--record-to", "record_to", help="Last date of the Daily record (within the term).")
@click.option("--plots", type=click.Path(path_type=Path, file_okay=False),
              help="Also write the caseload and coverage charts as PNG files into this folder.")
@handles_data_errors
def plan(workbook: Path, output: Path | None, on: str | None, until: str | None, time_limit: float, workers: int,
         max_changes: int | None, record_from: str | None, record_to: str | None, plots: Path | None) -> None:
    """Plan every child's key person and co-worker, and write the plan workbook."""
    from .excel.plan_writer import write_plan
    from .excel.reader import read_workbook
    from .excel.safety import check_output
    from .planner import plan as solve

    reading = read_workbook(workbook)
    out = output or workbook.with_name(f"{workbook.stem}-plan.xlsx")
    check_output(out, (workbook,))
    for w in reading.warnings:
        click.echo(f"warning: {w}", err=True)
    from .instance import Instance
    from .term import coming_soon, record_range
    term = Instance.build(reading.setting, parse_on(on), parse_on(until))
    record = record_range(term.on, term.until, parse_on(record_from), parse_on(record_to))
    result = solve(reading.setting, term.on, until=term.until, time_limit=time_limit, workers=workers,
                   max_changes=max_changes)
    for w in coming_soon(result.setting, result.on, result.instance.term_ends):
        click.echo(f"warning: {w}", err=True)
    if not result.status.has_plan:
        if result.status.value == "timed out":
            click.echo(f"No plan found within {time_limit:g} s: try a longer --time-limit.", err=True)
            sys.exit(EXIT_INTERRUPTED if result.interrupted else EXIT_INFEASIBLE)
        _infeasible(result.diagnosis or ["the rules contradict each other in a way the quick checks did not "
                                         "find: loosen a cap, a lock or --max-changes"])
    from .whatif import transitions
    moves = transitions(result, time_limit)
    write_plan(result, out, (workbook,), extra={"Transitions": moves} if len(moves) else None, record=record)
    click.echo(result.summary())
    if len(moves):
        click.echo(f"  {len(moves)} children move room later: see the Transitions sheet")
    click.echo(f"wrote {out}")
    if plots is not None:
        for path in _write_plots(result, plots):
            click.echo(f"wrote {path}")
    if result.interrupted:
        click.echo("interrupted: the plan written is the best found so far, not proven optimal.", err=True)
        sys.exit(EXIT_INTERRUPTED)


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
@click.option("--time-limit", default=30.0, show_default=True, help="Seconds each re-plan may take.")
@click.option("--workers", default=0, show_default=True, help="Solver threads (0 = all cores).")
@click.option("--max-changes", type=click.IntRange(min=0), help="Most children whose key person may change.")
@handles_data_errors
def whatif(plan_workbook: Path, leaves, joins, scenarios, on, until, reshuffle, output, time_limit, workers,
           max_changes) -> None:
    """Re-plan a plan workbook when practitioners leave or join, changing as little as possible."""
    from .excel.plan_writer import write_plan
    from .excel.reader import read_workbook
    from .excel.safety import check_output
    from .whatif import Scenario, compare
    from .whatif import whatif as replan

    setting = read_workbook(plan_workbook).setting
    staff = {s.id: s.name for s in setting.staff}

    def ids(names) -> tuple[str, ...]:
        return tuple(_person(staff, "Staff", name) for name in names)

    runs_wanted = []
    if leaves or joins:
        runs_wanted.append(Scenario(ids(leaves), ids(joins)))
    for line in scenarios:
        runs_wanted.append(Scenario(ids(x.strip() for x in line.split(",") if x.strip())))
    if not runs_wanted:
        raise click.UsageError("say who leaves (--leaves ID) or joins (--joins ID), or give --scenario lines")
    out = output or plan_workbook.with_name(f"{plan_workbook.stem}-whatif.xlsx")
    check_output(out, (plan_workbook,))
    runs = [replan(setting, sc, parse_on(on), until=parse_on(until), reshuffle=reshuffle, time_limit=time_limit,
                   workers=workers, max_changes=max_changes) for sc in runs_wanted]
    first = runs[0]
    if not first.result.status.has_plan:
        from .whatif import no_room_left
        _infeasible(no_room_left(first.result) or first.result.diagnosis or [
            f"{first.scenario.label()}: keeping everyone else's key person leaves no way to place the leaver's "
            "children; try --reshuffle, or loosen a cap"])
    write_plan(first.result, out, (plan_workbook,),
               extra={"Handover": first.handover, "Compare": compare(runs)})
    click.echo(first.result.summary())
    moved = len(first.handover)
    click.echo(f"{first.scenario.label()}: {moved} children change key person; handover in the 4 weeks to "
               f"{first.last_day:%d/%m/%Y}: {int((first.handover['Flag'] != '').sum()) if moved else 0} flagged")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("plan_workbook", type=click.Path(path_type=Path))
@click.argument("child")
@click.option("--on", "on", help="Plan date; default the Plan date rule, else today.")
@click.option("--time-limit", default=20.0, show_default=True, help="Seconds for each re-solve.")
@handles_data_errors
def explain(plan_workbook: Path, child: str, on: str | None, time_limit: float) -> None:
    """Explain CHILD's (ID or name) key person: what they bring, and what each alternative would cost."""
    from .excel.reader import read_workbook
    from .explain import explain as why

    setting = read_workbook(plan_workbook).setting
    child_id = _person({c.id: c.name for c in setting.children}, "Children", child)
    try:
        click.echo(str(why(setting, child_id, parse_on(on), time_limit=time_limit)))
    except ValueError:
        _infeasible(["there is no plan to explain: run `keyperson plan` to see why"])


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--key", "key_file", type=click.Path(path_type=Path),
              help="Also write a CSV from each code back to the real name (keep it; don't share it).")
@handles_data_errors
def pseudonymise(workbook: Path, out: Path, key_file: Path | None) -> None:
    """Write a copy of WORKBOOK with names replaced by stable codes, for sharing with analysts."""
    import csv

    from .excel.reader import read_workbook
    from .excel.safety import check_output
    from .excel.setting_writer import write_setting
    from .privacy import pseudonymise as scramble

    check_output(out, (workbook,))
    setting, key = scramble(read_workbook(workbook).setting)
    write_setting(setting, out)
    if key_file is not None:
        with key_file.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Code", "Name"])
            writer.writerows(sorted(key.items()))
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
    from .excel.reader import read_workbook
    from .instance import plan_date
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
    reading = read_workbook(plan_workbook)
    for w in reading.warnings:
        click.echo(f"warning: {w}", err=True)
    setting = reading.setting
    found = family_letters(setting, plan_date(setting, parse_on(on)), which="changed" if changed else "all",
                           dated=date.today())
    if not found:
        click.echo("No letters to write: every family has been told about their child's key person "
                   "(use --all for a letter to every family).")
        return
    out = output or plan_workbook.with_name(plan_workbook.stem.removesuffix("-plan") + "-letters.docx")
    inputs = tuple(p for p in (plan_workbook, template) if p is not None)
    word.save(word.render(found, template), out, inputs, force=force)
    children = sum(len(letter.children) for letter in found)
    click.echo(f"wrote {out}: {len(found)} letter{'s' if len(found) != 1 else ''} for {children} "
               f"child{'ren' if children != 1 else ''}" + (" (families told of a new or changed key person)"
                                                           if changed else ""))


def _person(names: dict[str, str], sheet: str, ref: str) -> str:
    """A person named on the command line, by ID or unique name; a DataError (exit 2) if not found."""
    from .excel.cells import CellError
    from .excel.reader import PeopleIndex

    try:
        return PeopleIndex(names, sheet).resolve(ref)
    except CellError as exc:
        raise DataError(Problem(f"{ref!r} {exc.message}", hint=exc.hint)) from None


def _write_plots(result, folder: Path) -> list[Path]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import plot_caseloads, plot_coverage

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, draw in (("caseloads", plot_caseloads), ("coverage", plot_coverage)):
        ax = draw(result)
        path = folder / f"{name}.png"
        ax.figure.savefig(path, dpi=110)
        plt.close(ax.figure)
        out.append(path)
    return out


def parse_range(value: str) -> list[int]:
    """``4..10`` or ``4,6,8`` -> a list of whole numbers."""
    try:
        if ".." in value:
            lo, hi = (int(x) for x in value.split(".."))
            return list(range(lo, hi + 1))
        return [int(x) for x in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a range; write 4..10 or 4,6,8") from None


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--cap", "caps", default=None, help="Caseload caps to try for every room: 4..10 or 4,6,8.")
@click.option("--ratio", "ratios", default=None, help="Room ratios (k in 1:k) to try: 5..8 or 3,5,8.")
@click.option("--on", "on", help="Plan date; default the Plan date rule, else today.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Also write the table (and its chart) here.")
@click.option("--workers", default=2, show_default=True, help="Scenarios solved side by side.")
@click.option("--time-limit", default=30.0, show_default=True, help="Seconds for each scenario.")
@handles_data_errors
def sweep(workbook: Path, caps, ratios, on, output, workers, time_limit) -> None:
    """Plan the setting under several caps (and/or ratios) and tabulate what each costs."""
    from .excel.reader import read_workbook
    from .excel.safety import check_output
    from .sweep import sweep as run_sweep

    setting = read_workbook(workbook).setting
    if output is not None:
        check_output(output, (workbook,))
    frame = run_sweep(setting, caps=parse_range(caps) if caps else (None,),
                      ratios=parse_range(ratios) if ratios else (None,), on=parse_on(on), workers=workers,
                      time_limit=time_limit)
    shown = [c for c in ("cap", "ratio", "status", "objective", "coverage_pct", "overlap_pct", "key_person_changes",
                         "busiest_caseload", "solve_seconds") if c in frame.columns]
    click.echo(frame[shown].to_string(index=False, float_format=lambda x: f"{x:.1f}"))
    for _, row in frame[~frame["feasible"]].iterrows():
        click.echo(f"  cap {row.get('cap')}: {row['reason']}")
    if output is not None:
        import openpyxl

        from .excel.safety import save_atomic
        from .excel.style import write_table
        wb = openpyxl.Workbook()
        wb.active.title = "Sweep"
        write_table(wb.active, list(frame.columns), [tuple(None if v != v else v for v in r)
                                                     for r in frame.itertuples(index=False)])
        save_atomic(wb, output)
        click.echo(f"wrote {output}")


def _infeasible(reasons: list[str]) -> None:
    click.echo("No plan can keep every rule:", err=True)
    for r in reasons:
        click.echo(f"  - {r}", err=True)
    click.echo("Nothing was written.", err=True)
    sys.exit(EXIT_INFEASIBLE)


if __name__ == "__main__":
    main()
