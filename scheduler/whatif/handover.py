"""The handover: the sessions in the weeks before a leaving date when the child, the leaver and the
successor are all in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from ..setting import DAYS, Setting

if TYPE_CHECKING:
    from ..result import Result
    from .leavers import Scenario

HANDOVER_WEEKS = 4
TOO_FEW_HANDOVER_SESSIONS = 4


def session_dates(setting: Setting, sessions: set[str] | frozenset[str], first: date, last: date) -> list[str]:
    """Each of ``sessions`` on each day from ``first`` to ``last`` inclusive, as "Mon 04/01 AM"."""
    out = []
    day = first
    while day <= last:
        out += [f"{day:%a %d/%m} {t.name.split()[-1]}" for t in setting.sessions
                if t.name in sessions and DAYS.index(t.day) == day.weekday()]
        day += timedelta(days=1)
    return out


def handover(setting: Setting, result: Result, scenario: Scenario, last_day: date) -> pd.DataFrame:
    """For each of a leaver's key children: the sessions in the last weeks before the leaving date in
    which the child, the leaver and the successor are all in."""
    window = last_day - timedelta(days=7 * HANDOVER_WEEKS - 1)
    rows = []
    for c in setting.children:
        if c.key_person not in scenario.leaves or c.id not in result.key_person:
            continue
        leaver, successor = setting.member(c.key_person), setting.member(result.key_person[c.id])
        together = c.sessions & leaver.sessions & successor.sessions
        dates = session_dates(setting, together, max(window, c.starts) if c.starts else window, last_day)
        rows.append({
            "Child ID": c.id, "Child": c.name, "Leaving key person": leaver.name,
            "New key person": successor.name,
            "Successor was co-worker": successor.id == c.co_worker,
            "Handover sessions": len(dates), "Dates": ", ".join(dates),
            "Flag": "too few: arrange extra time together" if len(dates) < TOO_FEW_HANDOVER_SESSIONS else "",
        })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "Leaving key person", "New key person",
                                       "Successor was co-worker", "Handover sessions", "Dates", "Flag"])
