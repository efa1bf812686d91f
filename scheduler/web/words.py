"""The page's sentences about a plan, made from the shared words of :mod:`scheduler.words` (names, dates,
rooms; no solver terms), so the page says what the workbook and the terminal say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..result import Result, Status
from ..words import MEANING, MEASURES, long_date, measures_table, percent, plural, quality

if TYPE_CHECKING:
    from ..report import Report


def summary(report: Report) -> list[str]:
    """A few plain sentences: what was planned, how good it is, what changes, what to look at."""
    result, m = report.result, report.metrics
    on, ends = result.on, result.instance.term_ends
    rooms = len(set(result.instance.room_of.values()))
    when = f"for the term from {long_date(on)} to {long_date(ends)}" if ends > on else f"for {long_date(on)}"
    lines = [f"A key person and a co-worker for each of the {plural(m['children'], 'child', 'children')} "
             f"in {plural(rooms, 'room')}, {when}."]
    if result.status is Status.OPTIMAL:
        lines.append(f"{quality(result)}: {MEANING['optimal'].lower()}")
    elif result.interrupted:
        lines.append(f"{quality(result)}. You stopped the planner early: this is the best plan it had found, "
                     "and a better one may exist. Plan again and let it finish to be sure.")
    else:
        lines.append(f"{quality(result)}. The planner ran out of time before it could show that no plan scores "
                     "more: a better one may exist.")
    lines.append(f"{MEASURES['overlap_pct']}: {percent(m['overlap_pct'])}. "
                 f"{MEASURES['coverage_pct']}: {percent(m['coverage_pct'])}.")
    lines.append(f"{plural(m['key_person_changes'], 'child changes', 'children change')} key person and "
                 f"{plural(m['co_worker_changes'], 'child changes', 'children change')} co-worker since the "
                 f"workbook was filled in; the fullest caseload has {m['busiest_caseload']} places taken.")
    if m["warnings"]:
        lines.append(f"{plural(m['warnings'], 'thing')} to look at: see Warnings below.")
    return lines


def rooms(report: Report) -> list[tuple[str, list[dict]]]:
    """The plan's rows room by room, rooms in the Rooms sheet's order, children in the Children sheet's."""
    a = report.assignments
    order = report.result.setting.room_index
    groups: dict[str, list[dict]] = {}
    for row in a.to_dict("records"):
        groups.setdefault(row["Room"], []).append(row)
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


def daily(result: Result, day) -> list[dict]:
    """The daily record for one date, as on the plan workbook's Daily record (rooms, then children, in sheet
    order); a DataError when the date is outside the plan's term."""
    from ..report import daily as record

    return record(result, day, day).to_dict("records")


def compare_rows(table) -> list[list[str]]:
    """The what-if Compare table as the workbook's Compare sheet says it, a list of cells per measure."""
    return [["" if v is None else str(v) for v in row] for row in measures_table(table).itertuples(index=False)]
