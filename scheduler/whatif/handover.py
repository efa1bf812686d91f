"""The handover: the sessions in the weeks before a leaving date when the child, the leaver and the
successor are all in (never a day already past, nor a Closed date)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from ..report import TOO_FEW_HANDOVER_SESSIONS, handover_dates
from ..setting import Setting

if TYPE_CHECKING:
    from ..result import Result
    from .leavers import Scenario

HANDOVER_WEEKS = 4


def handover(setting: Setting, result: Result, scenario: Scenario, last_day: date,
             today: date | None = None) -> pd.DataFrame:
    """For each of a leaver's key children: the sessions in the last weeks before the leaving date in
    which the child, the leaver and the successor are all in, from ``today`` on (default today: days
    already past never count, nor do Closed dates)."""
    window = max(last_day - timedelta(days=7 * HANDOVER_WEEKS - 1), today or date.today())
    rows = []
    for c in setting.children:
        if c.key_person not in scenario.leaves or c.id not in result.key_person:
            continue
        leaver, successor = setting.member(c.key_person), setting.member(result.key_person[c.id])
        dates = handover_dates(setting, c, leaver, successor, window, last_day)
        rows.append({
            "Child ID": c.id, "Child": c.name, "Leaving key person": leaver.name,
            "New key person": successor.name,
            "Successor was co-worker": successor.id == c.co_worker,
            "Handover sessions": len(dates), "Dates": ", ".join(dates),
            "Flag": "too few: arrange extra time together" if len(dates) < TOO_FEW_HANDOVER_SESSIONS else "",
        })
    return pd.DataFrame(rows, columns=["Child ID", "Child", "Leaving key person", "New key person",
                                       "Successor was co-worker", "Handover sessions", "Dates", "Flag"])
