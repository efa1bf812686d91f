"""The page's sentences about a plan, in a manager's words (names, dates, rooms; no solver terms)."""

from __future__ import annotations

from ..result import Result, Status


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def long_date(day) -> str:
    """``Monday 4 January 2027``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def summary(result: Result) -> list[str]:
    """A few plain sentences: what was planned, how good it is, what changes, what to look at."""
    m = result.metrics
    rooms = len({r for r in result.instance.room_of.values()})
    lines = [f"A key person and a co-worker for each of the {plural(m['children'], 'child', 'children')} "
             f"in {plural(rooms, 'room')}, for {long_date(result.on)}."]
    if result.status is Status.OPTIMAL:
        lines.append("keyperson proved that no other plan is better under your rules and priorities.")
    elif result.interrupted:
        lines.append("You stopped the planner early: this is the best plan it had found, and a better one "
                     "may exist. Plan again and let it finish to be sure.")
    else:
        lines.append("The planner ran out of time before it could show this plan is the best; a better one "
                     "may exist.")
    lines.append(f"Each child's key person works {m['overlap_pct']:.0f}% of the sessions the child attends; "
                 f"the key person or the co-worker is in for {m['coverage_pct']:.0f}% of them.")
    lines.append(f"{plural(m['key_person_changes'], 'child changes', 'children change')} key person and "
                 f"{plural(m['co_worker_changes'], 'child changes', 'children change')} co-worker since the "
                 f"workbook was filled in; the fullest caseload has {m['busiest_caseload']} places taken.")
    if m["warnings"]:
        lines.append(f"{plural(m['warnings'], 'thing')} to look at: see Warnings below.")
    return lines


def rooms(result: Result) -> list[tuple[str, list[dict]]]:
    """The plan's rows room by room, rooms in the Rooms sheet's order, children in the Children sheet's."""
    a = result.assignments
    order = result.setting.room_index
    groups: dict[str, list[dict]] = {}
    for row in a.to_dict("records"):
        groups.setdefault(row["Room"], []).append(row)
    return sorted(groups.items(), key=lambda item: order.get(item[0], len(order)))


def daily(result: Result, day) -> list[dict]:
    """The daily record for one date, as on the plan workbook's Daily record (rooms, then children, in sheet
    order); a DataError when the date is outside the plan's term."""
    from ..report import daily as record

    return record(result, day, day).to_dict("records")


MEASURES = {
    "status": "Plan", "objective": "Points (higher is better)", "children": "Children",
    "key_persons": "Practitioners who are key persons", "overlap_pct": "Key person in for the child's sessions",
    "coverage_pct": "Key person or co-worker in", "uncovered_sessions": "Sessions with neither in",
    "key_person_changes": "Children changing key person", "co_worker_changes": "Children changing co-worker",
    "busiest_caseload": "Fullest caseload (places)", "warnings": "Warnings",
}
STATUS = {"optimal": "the best possible", "feasible": "good, not shown best", "current": "as it is now",
          "infeasible": "no plan keeps every rule", "timed out": "none found in time"}


def compare_rows(table) -> list[list[str]]:
    """The what-if Compare table with its measures and values in words."""
    out = []
    for row in table.to_dict("records"):
        measure = row.pop("Measure")
        values = []
        for v in row.values():
            if v is None or v != v:
                values.append("")
            elif measure == "status":
                values.append(STATUS.get(v, v))
            elif measure.endswith("_pct"):
                values.append(f"{v:.0f}%")
            else:
                values.append(str(v))
        out.append([MEASURES.get(measure, measure), *values])
    return out
