"""A plan as tables (pandas): who is whose key person, caseloads, the daily record, changes, warnings.

Built from a :class:`~scheduler.result.Result`, outside it. In a notebook::

    result = kp.plan(setting)
    report = kp.Report(result)
    report.assignments  # one row per child; also .caseloads, .week, .daily, .changes, .warnings, .metrics
    print(report)       # the summary keyperson plan prints

A :class:`Report` builds each table once, when first read (the plan workbook
writer reads several, and the warnings and measures read the others); the
functions below build one table of a result each, e.g. :func:`daily` for other
dates. Everything here is recomputed from the setting and the plan, never read
from the solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import ratios, term
from .checker import evaluate_result
from .words import called, covers, quality

if TYPE_CHECKING:
    from .result import Result
    from .setting import Child, Setting, Staff


@dataclass(frozen=True)
class Report:
    """The tables and measures of ``result``'s plan, each built once, when first read. Make it when the
    result is final: it doesn't see later changes to the result."""

    result: Result

    @cached_property
    def assignments(self) -> pd.DataFrame:
        """One row per child: key person, co-worker, the sessions they share, what changed and why."""
        return assignments(self.result)

    @cached_property
    def caseloads(self) -> pd.DataFrame:
        """One row per practitioner: caseload against the cap, busiest key group, co-worker load."""
        return caseloads(self.result)

    @cached_property
    def week(self) -> pd.DataFrame:
        """The plan as a week's pattern, one row per child and session."""
        return week(self.result)

    @cached_property
    def daily(self) -> pd.DataFrame:
        """The dated daily record of the first full week of the plan (:func:`daily` for other dates)."""
        return daily(self.result)

    @cached_property
    def handover(self) -> pd.DataFrame:
        """For each child whose key person leaves within the term: the handover sessions from today on."""
        return handover(self.result)

    @cached_property
    def changes(self) -> pd.DataFrame:
        """One row per child whose key person or co-worker changes (and again when a leaver hands over)."""
        return changes(self.result)

    @cached_property
    def ratios(self) -> pd.DataFrame:
        """The ratio check of the rota, one row per room and session (see :mod:`scheduler.ratios`)."""
        return ratios.table(self.result.instance)

    @cached_property
    def terms(self) -> dict[str, int]:
        """Each soft term's points in the plan, as the checker recomputes them."""
        return evaluate_result(self.result).terms

    @cached_property
    def warnings(self) -> pd.DataFrame:
        """Things a manager should look at: uncovered sessions, rules only just kept, and the ratio check's
        findings (shortfalls of staff, qualifications, missing dates of birth)."""
        result = self.result
        rows = []
        if result.status.has_plan:
            rows += uncovered(result)
            for _, r in self.caseloads.iterrows():
                if r["Key children"] and r["Weighted load"] == r["Cap"]:
                    rows.append({"Kind": "at cap", "Who": r["Staff ID"], "Session": "",
                                 "Message": f"{r['Name']} is at their cap ({r['Weighted load']} of {r['Cap']})"})
                if r["Busiest key group"] >= 1:
                    rows.append({"Kind": "at key group limit", "Who": r["Staff ID"], "Session": r["Busiest session"],
                                 "Message": f"{r['Name']}'s key children present on {r['Busiest session']} need one "
                                 "whole adult, the most the key group limit allows"})
            rows += unseen_co_workers(result)
            for c in result.instance.children:
                if not c.sessions:
                    rows.append({"Kind": "no sessions", "Who": c.id, "Session": "",
                                 "Message": f"{c.label} attends no sessions: check the Children sheet"})
        for sentence in term.coming_soon(result.setting, result.on, result.instance.term_ends):
            rows.append({"Kind": "starts or leaves soon", "Who": "", "Session": "", "Message": sentence})
        rows += ratios.warnings(result.instance)
        if result.interrupted or result.status.value == "feasible":
            rows.insert(0, {"Kind": "not yet proven best", "Who": "", "Session": "",
                            "Message": f"{quality(result)}: keyperson stopped before it could show that no plan "
                            "keeping every rule scores more points"})
        return pd.DataFrame(rows, columns=["Kind", "Who", "Session", "Message"])

    @cached_property
    def metrics(self) -> dict[str, Any]:
        """The plan's named measures (of mixed kinds: counts, percentages, points, seconds)."""
        result, a = self.result, self.assignments
        sessions = int(a["Sessions"].sum()) if len(a) else 0
        kp_changes = int(a["Key person change"].str.startswith("changed").sum()) if len(a) else 0
        cw_changes = int(a["Co-worker change"].str.startswith("changed").sum()) if len(a) else 0
        return {
            "status": result.status.value,
            "objective": result.objective,
            "bound": result.bound,
            "gap": result.gap,
            "children": len(result.instance.children),
            "key_persons": int(a["Key person ID"].nunique()) if len(a) else 0,
            "overlap_pct": 100 * a["Shared with key person"].sum() / sessions if sessions else 0.0,
            "coverage_pct": 100 * a["Covered"].sum() / sessions if sessions else 0.0,
            "uncovered_sessions": sessions - int(a["Covered"].sum()) if len(a) else 0,
            "key_person_changes": kp_changes,
            "co_worker_changes": cw_changes,
            "busiest_caseload": int(self.caseloads["Weighted load"].max()) if len(self.caseloads) else 0,
            "warnings": len(self.warnings),
            "solve_seconds": round(result.solve_seconds, 3),
            **{f"term_{k}": v for k, v in self.terms.items()},
        }

    def summary(self) -> str:
        """The plan in a few lines, as ``keyperson plan`` prints it."""
        result, m = self.result, self.metrics
        until = result.instance.term_ends
        when = f"from {result.on:%d/%m/%Y} to {until:%d/%m/%Y}" if until > result.on else f"for {result.on:%d/%m/%Y}"
        lines = [f"{result.setting.name}: plan {when}: {quality(result)}"]
        if result.status.has_plan:
            lines.append(f"  {m['children']} children, {m['key_persons']} key persons; {result.objective} points, "
                         f"found in {result.solve_seconds:.1f} s")
            lines.append(f"  key person works {m['overlap_pct']:.0f}% of children's sessions; "
                         f"{m['coverage_pct']:.0f}% of sessions covered by key person or co-worker")
            lines.append(f"  {m['key_person_changes']} children change key person and {m['co_worker_changes']} "
                         f"co-worker; fullest caseload {m['busiest_caseload']} places; {m['warnings']} warnings")
            lines += [f"  {event}" for event in term_events(result)]
        for reason in result.diagnosis:
            lines.append(f"  - {reason}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

STRENGTH = {0: "", 1: "weak", 2: "medium", 3: "strong"}


def reason(result: Result, child_id: str) -> str:
    """A sentence on why this key person: what they bring to the child."""
    s = result.setting
    c = s.child(child_id)
    kp = s.member(result.key_person[child_id])
    cw = s.member(result.co_worker[child_id])
    n = len(c.sessions)
    shared = len(c.sessions & kp.sessions)
    first, co_first = called(kp, cw)
    parts = [f"{first} works {shared} of the child's {n} sessions" if n else f"{first} works in {kp.room}"]
    bond = s.attachment(c.id, kp.id)
    if bond:
        parts.append(f"a {STRENGTH[bond]} bond was observed")
    locked = locked_in(result, child_id, kp.id, "key person", first)
    if locked:
        parts.append(locked)
    if c.key_person == kp.id:
        parts.append("already their key person, kept")
    siblings = [o for ids in s.sibling_groups().values() if c.id in ids for o in ids
                if o != c.id and result.key_person.get(o) == kp.id]
    if siblings:
        parts.append(("also key person to their sibling " if len(siblings) == 1 else "also key person to their "
                      "siblings ") + ", ".join(s.child(o).label for o in siblings))
    if kp.speaks(c.home_language):
        parts.append(f"speaks {c.home_language}")
    if c.sen != "none" and kp.sen_trained:
        parts.append("SEN trained")
    gaps = c.sessions - kp.sessions
    seen = len(c.sessions & cw.sessions)
    if gaps:
        parts.append(f"co-worker {co_first} {covers(len(gaps & cw.sessions), len(gaps), first)} and works {seen} "
                     f"of the child's {n}")
    elif n:
        parts.append(f"co-worker {co_first} works {seen} of the child's {n} sessions")
    if child_id in result.temporary:
        parts.append("temporary, for settling in")
    if child_id in result.successor:
        nxt = s.member(result.successor[child_id])
        parts.append(f"{first} leaves on {kp.leaves:%d/%m/%Y}: {nxt.name} takes over from "
                     f"{result.instance.handover_from[child_id]:%d/%m/%Y}")
    return "; ".join(parts) + "."


def locked_in(result: Result, child_id: str, staff_id: str, role: str, called: str) -> str:
    """``a lock says Amy must be key person (parents asked to keep her)`` when a lock (the Locks sheet's, or
    one pinned on the page) holds this choice; empty when none does (a what-if's held assignments are said
    as kept)."""
    lock = next((k for k in result.instance.locks_of(child_id, role)
                 if k.rule == "must" and k.staff == staff_id and not k.held), None)
    if lock is None:
        return ""
    return f"a lock says {called} must be {role}" + (f" ({lock.reason})" if lock.reason else "")


def shares(child, co_worker) -> str:
    """The co-worker's shared sessions with the child, as the Key persons sheet shows them: "shares 3 of 4"."""
    return f"shares {len(child.sessions & co_worker.sessions)} of {len(child.sessions)}"


def assignments(result: Result) -> pd.DataFrame:
    s = result.setting
    rows = []
    if result.status.has_plan:
        for c in result.instance.children:
            if c.id not in result.key_person:
                continue
            kp = s.member(result.key_person[c.id])
            cw = s.member(result.co_worker[c.id])
            covered = len(c.sessions & (kp.sessions | cw.sessions))
            rows.append({
                "Child ID": c.id, "Child": c.name, "Room": result.instance.room_of[c.id],
                "Key person ID": kp.id, "Key person": kp.name, "Co-worker ID": cw.id, "Co-worker": cw.name,
                "Sessions": len(c.sessions), "Shared with key person": len(c.sessions & kp.sessions),
                "Shared with co-worker": len(c.sessions & cw.sessions), "Co-worker shares": shares(c, cw),
                "Covered": covered,
                "Attachment": STRENGTH[s.attachment(c.id, kp.id)],
                "Key person change": change(c.key_person, kp.id, s),
                "Co-worker change": change(c.co_worker, cw.id, s),
                "Temporary": c.id in result.temporary,
                "Why": reason(result, c.id),
                **next_carers(result, c.id),
            })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "Room", "Key person ID", "Key person", "Co-worker ID",
                                       "Co-worker", "Sessions", "Shared with key person", "Shared with co-worker",
                                       "Co-worker shares", "Covered", "Attachment", "Key person change",
                                       "Co-worker change", "Temporary", "Why", *NEXT_COLUMNS])


NEXT_COLUMNS = ["Next key person ID", "Next key person", "Next co-worker", "From"]


def next_carers(result: Result, child_id: str) -> dict:
    """The child's key person and co-worker from the day after their key person leaves within the term
    (blank when nobody hands over)."""
    if child_id not in result.successor:
        return dict.fromkeys(NEXT_COLUMNS, "")
    s, nxt = result.setting, result.successor[child_id]
    return {"Next key person ID": nxt, "Next key person": s.member(nxt).name,
            "Next co-worker": s.member(result.next_co_worker[child_id]).name,
            "From": result.instance.handover_from[child_id]}


def change(old: str | None, new: str, setting) -> str:
    if old is None:
        return "new"
    if old == new:
        return "kept"
    return f"changed from {setting.member(old).name}"


def caseloads(result: Result) -> pd.DataFrame:
    inst = result.instance
    rows = []
    children = {c.id: c for c in inst.children}
    for m in inst.staff:
        mine = [children[c] for c, k in result.key_person.items() if k == m.id]
        groups = {t: sum((inst.share(c, t) for c in mine if t in c.sessions), Fraction(0))
                  for t in inst.setting.ordered_sessions(m.sessions)}  # the key group in each session worked
        busiest = max(groups, key=lambda t: (groups[t], -inst.setting.session_index[t]), default=None)
        busiest = busiest if busiest is not None and groups[busiest] else None
        rows.append({
            "Staff ID": m.id, "Name": m.name, "Room": m.room, "Role": m.role,
            "Sessions worked": len(m.sessions), "Key children": len(mine),
            "Weighted load": sum(inst.caseload_weight(c) for c in mine), "Cap": inst.cap[m.id],
            "Cap from": inst.setting.cap_derivation(m.id, inst.on)[1],
            "Fair share": inst.fair_share.get(m.id), "Busiest session": busiest or "",
            "Busiest key group": groups[busiest] if busiest else Fraction(0),
            "Co-worker for": sum(1 for k in result.co_worker.values() if k == m.id),
            "Co-worker cap": inst.co_cap[m.id], "Co-worker fair share": inst.co_fair_share.get(m.id, ""),
            "Key children IDs": ", ".join(c.id for c in mine),
        })
    return pd.DataFrame(rows)


def week(result: Result) -> pd.DataFrame:
    """The plan as a week's pattern: for each session, each child in, their key person and who covers."""
    s = result.setting
    rows: list[dict[str, object]] = []
    if not result.status.has_plan:
        return pd.DataFrame(rows)
    for t in s.sessions:
        for c in result.instance.children:
            if t.name not in c.sessions or c.id not in result.key_person:
                continue
            kp, cw = s.member(result.key_person[c.id]), s.member(result.co_worker[c.id])
            kp_in, cw_in = t.name in kp.sessions, t.name in cw.sessions
            rows.append({
                "Day": t.day, "Session": t.name, "Room": result.instance.room_of[c.id], "Child ID": c.id,
                "Child": c.name, "Key person": kp.name, "Key person in": kp_in, "Co-worker": cw.name,
                "Co-worker in": cw_in,
                "Cared for by": kp.name if kp_in else cw.name + " (co-worker)" if cw_in else NOBODY,
            })
    return pd.DataFrame(rows)


NOBODY = "nobody familiar"
DAILY_COLUMNS = ["Date", "Room", "Child ID", "Child", "Sessions", "Planned hours", "Key person", "Co-worker",
                 "Cared for by", "Arrived", "Left"]


def carer_periods(result: Result, child_id: str) -> list[tuple[date, str, str]]:
    """The child's key person and co-worker (staff IDs) through the term, as (first day, key person,
    co-worker), in date order: the plan's from the plan date; the successor and the co-worker from then from
    the day after a key person leaving within the term has left; the re-plan's from a room move (which holds
    from its date whatever the old room's plan said)."""
    periods = [(result.on, result.key_person[child_id], result.co_worker[child_id])]
    start = result.instance.handover_from.get(child_id)
    if child_id in result.successor and start is not None:
        periods.append((start, result.successor[child_id], result.next_co_worker[child_id]))
    if child_id in result.moved:
        move = result.moved[child_id]
        periods = [p for p in periods if p[0] < move[0]] + [move]
    return periods


def carers_on(result: Result, child_id: str, day: date) -> tuple[str, str]:
    """The child's key person and co-worker (staff IDs) on ``day`` (see :func:`carer_periods`)."""
    periods = carer_periods(result, child_id)
    _, key, co = next((p for p in reversed(periods) if p[0] <= day), periods[0])
    return key, co


TOO_FEW_HANDOVER_SESSIONS = 4
HANDOVER_COLUMNS = ["Child ID", "Child", "Room", "Leaving key person", "Next key person",
                    "Next key person was co-worker", "Next co-worker", "From", "Handover sessions", "Dates", "Flag"]


def handover_dates(setting: Setting, child: Child, leaver: Staff, successor: Staff, first: date,
                   last: date) -> list[str]:
    """The sessions from ``first`` (or the child's first day, if later) to ``last`` in which ``child``,
    ``leaver`` and ``successor`` are all in (Closed dates left out), as 'Mon 07/12 AM'."""
    start = max(first, child.starts) if child.starts else first
    return term.session_dates(setting, child.sessions & leaver.sessions & successor.sessions, start, last)


def handover(result: Result, today: date | None = None) -> pd.DataFrame:
    """For each child whose key person leaves within the term: the dated sessions from the plan date (or
    ``today``, default today, if later: days already past never count) to the leaving date in which child,
    leaver and successor are all in; fewer than four are flagged."""
    s, inst = result.setting, result.instance
    first = max(inst.on, today or date.today())
    rows = []
    for c in inst.children:
        if c.id not in result.successor:
            continue
        leaver, successor = s.member(result.key_person[c.id]), s.member(result.successor[c.id])
        assert leaver.leaves is not None  # a successor only follows a leaver
        dates = handover_dates(s, c, leaver, successor, first, leaver.leaves)
        rows.append({
            "Child ID": c.id, "Child": c.name, "Room": inst.room_of[c.id], "Leaving key person": leaver.name,
            "Next key person": successor.name,
            "Next key person was co-worker": "yes" if successor.id == result.co_worker[c.id] else "no",
            "Next co-worker": s.member(result.next_co_worker[c.id]).name, "From": inst.handover_from[c.id],
            "Handover sessions": len(dates), "Dates": ", ".join(dates),
            "Flag": "too few: arrange extra time together" if len(dates) < TOO_FEW_HANDOVER_SESSIONS else "",
        })
    return pd.DataFrame(rows, columns=HANDOVER_COLUMNS)


def term_events(result: Result) -> list[str]:
    """What happens when within the term, in date order: 'From 16/01/2027: Amy Jones (S05) leaves; 4 children
    move to their successors', and practitioners joining."""
    inst = result.instance
    events: list[tuple[date, str]] = []
    for m in inst.staff:
        moving = sum(1 for c, k in result.key_person.items() if k == m.id and c in result.successor)
        if moving and m.leaves is not None:
            moves = "1 child moves to a successor" if moving == 1 else f"{moving} children move to their successors"
            events.append((m.leaves + timedelta(days=1),
                           f"From {m.leaves + timedelta(days=1):%d/%m/%Y}: {m.name} ({m.id}) leaves; {moves}"))
        if m.starts is not None and m.starts > inst.on:
            mine = sum(1 for k in result.key_person.values() if k == m.id)
            taken = f"; key person for {mine} child{'ren' if mine != 1 else ''} starting then or later" if mine else ""
            events.append((m.starts, f"From {m.starts:%d/%m/%Y}: {m.name} ({m.id}) joins{taken}"))
    return [sentence for _, sentence in sorted(events, key=lambda e: e[0])]


def daily(result: Result, first: date | None = None, last: date | None = None) -> pd.DataFrame:
    """The dated daily record, ``first`` to ``last`` (default the first full week of the plan): for each open
    date and room, every child on the roll and in that day, their session times and planned hours, and who
    cares for them in each session (the key person, or the co-worker covering). Arrived and Left are left
    blank for the register."""
    s, inst = result.setting, result.instance
    first, last = term.record_range(inst.on, inst.until, first, last)
    rows: list[dict[str, object]] = []
    if not result.status.has_plan:
        return pd.DataFrame(rows, columns=DAILY_COLUMNS)
    rooms = s.room_index
    for day in term.days(first, last):
        todays = term.sessions_on(s, day)
        found = []
        for i, c in enumerate(inst.children):
            mine = [t for t in todays if t.name in c.sessions]
            if not mine or c.id not in result.key_person or not term.present_on(c, day):
                continue
            kp, cw = (s.member(x) for x in carers_on(result, c.id, day))
            who = [kp.name if t.name in kp.sessions else f"{cw.name} (co-worker, covering)"
                   if t.name in cw.sessions else NOBODY for t in mine]
            times = [f"{t.start:%H:%M}-{t.end:%H:%M}" for t in mine]
            cared = who[0] if len(set(who)) == 1 else "; ".join(f"{x}: {w}" for x, w in zip(times, who, strict=True))
            room = c.room_on(day)
            found.append(((rooms[room], i), {
                "Date": day, "Room": room, "Child ID": c.id, "Child": c.name, "Sessions": ", ".join(times),
                "Planned hours": sum(t.minutes for t in mine) / 60, "Key person": kp.name, "Co-worker": cw.name,
                "Cared for by": cared, "Arrived": "", "Left": ""}))
        rows += [row for _, row in sorted(found, key=lambda item: item[0])]
    return pd.DataFrame(rows, columns=DAILY_COLUMNS)


def changes(result: Result) -> pd.DataFrame:
    """One row per child whose key person or co-worker changes from the workbook's, and one more for each
    child whose key person leaves within the term, from the day after."""
    s = result.setting
    rows = []
    for c in result.instance.children:
        if c.id not in result.key_person:
            continue
        new_kp, new_cw = result.key_person[c.id], result.co_worker[c.id]
        if c.key_person != new_kp or c.co_worker != new_cw:
            rows.append({
                "Child ID": c.id, "Child": c.name, "Room": result.instance.room_of[c.id],
                "Old key person ID": c.key_person,
                "Old key person": s.member(c.key_person).name if c.key_person else "(none)",
                "New key person ID": new_kp, "New key person": s.member(new_kp).name,
                "Old co-worker ID": c.co_worker,
                "Old co-worker": s.member(c.co_worker).name if c.co_worker else "(none)",
                "New co-worker ID": new_cw, "New co-worker": s.member(new_cw).name,
                "What changes": "key person" if c.key_person != new_kp and c.co_worker == new_cw else
                "co-worker" if c.key_person == new_kp else "both",
                "Why": reason(result, c.id),
            })
        if c.id in result.successor:  # later in the term: the key person leaves, the successor takes over
            new_co, nxt = result.next_co_worker[c.id], result.successor[c.id]
            rows.append({
                "Child ID": c.id, "Child": c.name, "Room": result.instance.room_of[c.id],
                "Old key person ID": new_kp, "Old key person": s.member(new_kp).name,
                "New key person ID": nxt, "New key person": s.member(nxt).name,
                "Old co-worker ID": new_cw, "Old co-worker": s.member(new_cw).name,
                "New co-worker ID": new_co, "New co-worker": s.member(new_co).name,
                "What changes": f"from {result.instance.handover_from[c.id]:%d/%m/%Y}: key person"
                + (" and co-worker" if new_co != new_cw else ""),
                "Why": f"{s.member(new_kp).name} leaves on {s.member(new_kp).leaves:%d/%m/%Y}",
            })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "Room", "Old key person ID", "Old key person",
                                       "New key person ID", "New key person", "Old co-worker ID", "Old co-worker",
                                       "New co-worker ID", "New co-worker", "What changes", "Why"])


def uncovered(result: Result) -> list[dict]:
    """A warning for each session a child attends in which neither their key person nor their co-worker
    works, for each part of the term (:func:`carer_periods`: after a handover the successor and the co-worker
    from then must be in, after a room move the new room's)."""
    s, rows = result.setting, []
    for c in result.instance.children:
        if c.id not in result.key_person:
            continue
        for start, key, co in carer_periods(result, c.id):
            kp, cw = s.member(key), s.member(co)
            when = f" from {start:%d/%m/%Y}" if start > result.on else ""
            for t in s.ordered_sessions(c.sessions - kp.sessions - cw.sessions):
                rows.append({"Kind": "uncovered session", "Who": c.id, "Session": t,
                             "Message": f"{c.label} is in on {t}{when} but neither key person {kp.name} nor "
                             f"co-worker {cw.name} works then"})
    return rows


def unseen_co_workers(result: Result) -> list[dict]:
    """A warning for each child whose co-worker works none of their sessions, with why no co-worker who does
    was possible (the Locks sheet, nobody else works them, or everyone who does is at their co-worker cap)."""
    inst, s = result.instance, result.setting
    load: dict[str, int] = {}
    for x in result.co_worker.values():
        load[x] = load.get(x, 0) + 1
    rows = []
    for c in inst.children:
        if c.id not in result.co_worker or not c.sessions:
            continue
        cw = s.member(result.co_worker[c.id])
        if c.sessions & cw.sessions:
            continue
        first = c.name.split()[0]
        seen = [m for m in inst.staff if m.id not in (cw.id, result.key_person[c.id]) and c.sessions & m.sessions
                and inst.co_worker_exclusion(c, m) is None]
        locked = any(k.child == c.id and k.role == "co-worker" and k.rule == "must" for k in s.locks)
        if locked:
            why = "the Locks sheet names them"
        elif not seen:
            why = f"nobody else who may be co-worker works any of {first}'s sessions"
        elif all(load.get(m.id, 0) >= inst.co_cap[m.id] for m in seen):
            why = (", ".join(f"{m.name} ({m.id})" for m in seen) + f" work some of {first}'s sessions but are "
                   "each co-worker for as many children as their cap allows")
        else:
            why = (", ".join(f"{m.name} ({m.id})" for m in seen) + f" work some of {first}'s sessions, but another "
                   "co-worker child for them costs the plan more elsewhere (fair co-worker loads, other children's "
                   "cover)")
        rows.append({"Kind": "co-worker never in with the child", "Who": c.id, "Session": "",
                     "Message": f"{c.name} ({c.id})'s co-worker {cw.name} ({cw.id}) works none of {first}'s "
                     f"sessions: {why}"})
    return rows + unseen_later_co_workers(result)


def unseen_later_co_workers(result: Result) -> list[dict]:
    """A warning for each child whose new co-worker later in the term (from a handover, or a room move) works
    none of their sessions, dated; for a handover, with whether anyone else who may be co-worker from then
    works them."""
    s, rows = result.setting, []
    for c in result.instance.children:
        if c.id not in result.co_worker or not c.sessions:
            continue
        first = c.name.split()[0]
        for start, key, co in carer_periods(result, c.id)[1:]:
            cw = s.member(co)
            if co == result.co_worker[c.id] or c.sessions & cw.sessions:
                continue  # the plan's own co-worker is warned about above
            if c.id in result.moved and start == result.moved[c.id][0]:
                why = "the re-plan of the room move chose them (see the Transitions sheet)"
            else:
                pairs = result.instance.next_co_pairs
                others = [s.member(m) for m in pairs.loc[pairs["child"] == c.id, "staff"] if m not in (co, key)]
                seen = [m for m in others if c.sessions & m.sessions]
                why = (f"nobody else who may be co-worker from then works any of {first}'s sessions" if not seen else
                       ", ".join(m.label for m in seen) + f" work some of {first}'s sessions, but are at their "
                       "co-worker cap or cost the plan more elsewhere")
            rows.append({"Kind": "co-worker never in with the child", "Who": c.id, "Session": "",
                         "Message": f"From {start:%d/%m/%Y}, {c.label}'s co-worker {cw.label} works none of "
                         f"{first}'s sessions: {why}"})
    return rows

