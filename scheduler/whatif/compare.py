"""Compare: the current plan and each scenario's plan, measure by measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..report import Report

if TYPE_CHECKING:
    from .leavers import WhatIf

MEASURES = ["status", "objective", "children", "key_persons", "overlap_pct", "coverage_pct", "uncovered_sessions",
            "key_person_changes", "co_worker_changes", "busiest_caseload", "warnings"]


def compare(runs: list[WhatIf]) -> pd.DataFrame:
    """Measures of the current plan and of each scenario's plan, side by side."""
    columns: dict[str, dict[str, object]] = {"Current plan": dict(Report(runs[0].before).metrics)} if runs else {}
    for run in runs:
        m: dict[str, object] = {"status": run.result.status.value}
        if run.result.status.has_plan:
            m = dict(Report(run.result).metrics)
            m["key_person_changes"] = sum(1 for c, k in run.result.key_person.items()
                                          if run.before.key_person.get(c) not in (None, k))
        columns[run.scenario.label(run.before.setting)] = m
    frame = pd.DataFrame({name: [m.get(k) for k in MEASURES] for name, m in columns.items()}, index=MEASURES)
    frame.index.name = "Measure"
    return frame.reset_index()
