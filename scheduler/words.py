"""A plan in a manager's words: how good it is, its measures, what the points mean, a small glossary.

One place for the phrases the terminal, the workbook and the page share, so a manager reads the same
words everywhere: "Best possible plan (proven)", never "objective", "bound" or "optimal".
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from .setting import DAYS

if TYPE_CHECKING:
    from .result import Result
    from .setting import Lock, Setting, Staff

DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                     strict=True))

# The choices a sentence may point a manager to, as the command line names them and as the page does
# (scheduler/web shows every sentence through :func:`on_page`). Longest first: one may begin another.
UNTIL = "--until DD/MM/YYYY"
RESHUFFLE = "--reshuffle"
MAX_CHANGES = "--max-changes"
RECORD_DATES = "give --record-from and --record-to within the term, the first on or before the second"
ON_PAGE = {
    UNTIL: "the Term ends box on this page",
    "--until": "the Term ends box on this page",
    RESHUFFLE: "tick the box above",
    MAX_CHANGES: "the Most children whose key person may change box on this page",
    RECORD_DATES: "choose a date within the term",
}

POINTS = ("Points: the plan earns points for what our key person policy values (a key person who works the "
          "child's sessions, familiar adults in every session, bonds, continuity, siblings together, a shared "
          "language) and loses a few for uneven caseloads; the rules (caps, key group limits, SEN, locks) are never "
          "traded for points. Among the plans that keep every rule, keyperson looks for the one with the most.")

TIE_BREAK = ("among plans with the same points keyperson keeps the one with the smallest total of fixed weights "
             "drawn once for each child and practitioner pair (for key persons first, then co-workers), so the "
             "same workbook always gives the same plan")
# the same for a plan with a room of 150 children or more (solved by HiGHS, see scheduler.cpsat.mip)
TIE_BREAK_LARGE = ("among plans with the same points keyperson keeps the first its search settles on in a room of "
                   "150 children or more, so the same workbook always gives the same plan")

QUALITY = {"optimal": "Best possible plan (proven)", "feasible": "Good plan, not yet proven best",
           "current": "The current plan", "infeasible": "No plan keeps every rule",
           "timed out": "No plan found in the time allowed", "invalid": "No plan (keyperson failed: please report)"}

MEANING = {  # what a plan's quality means, said once (the glossary, the page)
    "optimal": "No plan that keeps every rule scores more points.",
    "feasible": "A plan that keeps every rule; within the time allowed keyperson could not yet show that none "
                "scores more (the percentage says how close it is at most).",
}

MEASURES = {
    "status": "Plan", "objective": "Points (higher is better)", "children": "Children",
    "key_persons": "Practitioners who are key persons",
    "overlap_pct": "Share of children's sessions their key person works",
    "coverage_pct": "Share of sessions with the key person or co-worker in",
    "uncovered_sessions": "Sessions with neither in", "key_person_changes": "Children changing key person",
    "co_worker_changes": "Children changing co-worker", "busiest_caseload": "Fullest caseload (places)",
    "warnings": "Warnings",
}

GLOSSARY = [
    ("Key person", "The practitioner who builds a bond with the child and their family, and is the family's "
                   "first contact (an EYFS requirement)."),
    ("Co-worker", "The key person's buddy for the child: cares for them when the key person is not in."),
    ("Session", "A part of the week the setting is open, such as Mon AM."),
    ("Caseload", "A practitioner's key children. A child with an EHCP or a funded support ratio takes two "
                 "places (the SEN caseload weight on the Rules sheet)."),
    ("Cap", "The most caseload places a practitioner may have (Max key children on the Staff or Rooms sheet, "
            "or the Rules default)."),
    ("Ratio", "Adults to children, such as 1:3 for under twos. The EYFS statutory ratios go by each child's age "
              "(1:3 under 2, 1:5 aged 2, 1:8 from 3) unless the Rooms sheet gives one; the Ratios sheet checks "
              "the rota against them (all staff who count in ratio, against all children present)."),
    ("Key group limit", "Our policy, not the law: in each session a practitioner works, their key children "
                        "present need at most one adult between them (a child under 2 needs 1/3 of an adult, "
                        "aged 2 1/5, from 3 1/8)."),
    ("Fair share", "A practitioner's share of their room's caseload places, in proportion to the sessions "
                   "they work."),
    ("Covered", "A session the child attends with their key person or co-worker in."),
    ("Temporary", "A new starter's key person for the settling-in weeks, to be confirmed."),
    ("Points", POINTS),
    ("Tie-break", f"How keyperson chooses between plans that score the same: {TIE_BREAK}; {TIE_BREAK_LARGE}."),
    (QUALITY["optimal"], MEANING["optimal"]),
    (QUALITY["feasible"], MEANING["feasible"]),
]


def lock_said(setting: Setting, lock: Lock) -> str:
    """A lock as a manager knows it: a what-if's held assignment as what it is ("keeping Rosie Owen (C001)
    with Amy Jones (S05) as key person, as in the current plan"), a Locks-sheet lock as on the sheet."""
    child = setting.child(lock.child).label if lock.child in setting.child_index else lock.child
    staff = setting.member(lock.staff).label if lock.staff in setting.staff_index else lock.staff
    if lock.held:
        return f"keeping {child} with {staff} as {lock.role}, as in the current plan"
    return f"the lock '{staff} {lock.rule} be {lock.role} of {child}' (Locks sheet)"


def lock_removal(setting: Setting, lock: Lock) -> str:
    """What to do about a lock that stands in the way: let a held assignment change, or remove the lock."""
    if lock.held:
        child = setting.child(lock.child).label if lock.child in setting.child_index else lock.child
        return f"let {child}'s {lock.role} change too ({RESHUFFLE})"
    return f"remove {lock_said(setting, lock).removesuffix(' (Locks sheet)')} from the Locks sheet"


def on_page(text: str) -> str:
    """A sentence as the page says it: the page's own words for a choice instead of the command line's
    (``(--reshuffle)`` -> ``(tick the box above)``, ``--until DD/MM/YYYY`` -> ``the Term ends box on this page``)."""
    for command, page in ON_PAGE.items():
        text = text.replace(command, page)
    return text


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 child``, ``3 children``."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def spoken_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def first_name(name: str) -> str:
    """``Amy Jones`` -> ``Amy`` (a one-word or blank name as it is)."""
    return name.split()[0] if name.split() else name


def called(*people: Staff) -> list[str]:
    """How a sentence about several practitioners calls each: by first name, or by full name where another of
    them has the same first name (a key person and a co-worker both called Priya)."""
    def shared(p: Staff) -> bool:
        return any(q.id != p.id and first_name(q.name) == first_name(p.name) for q in people)
    return [p.name if shared(p) else first_name(p.name) for p in people]


def covers(covered: int, missed: int, who: str) -> str:
    """How many of the sessions ``who`` misses a co-worker is in for: ``covers 1 of the 3 sessions Kai misses``,
    ``covers the 1 session Iris misses``, ``covers both sessions Kai misses``, ``covers all 3 sessions ...``."""
    if covered == missed:
        every = "the 1 session" if missed == 1 else "both sessions" if missed == 2 else f"all {missed} sessions"
        return f"covers {every} {who} misses"
    return f"covers {covered} of the {plural(missed, 'session')} {who} misses"


def long_date(day: date) -> str:
    """'Tuesday 1 December 2026'."""
    return f"{DAY_NAMES[DAYS[day.weekday()]]} {day.day} {day:%B %Y}"


def percent(value: float | None) -> str:
    """``91.86...`` -> ``92%``."""
    return "" if value is None or value != value else f"{value:.0f}%"


def quality(result: Result) -> str:
    """How good the plan is, in words: "Best possible plan (proven)" or
    "Good plan, not yet proven best (within 0.4%)"."""
    words = QUALITY.get(result.status.value, result.status.value)
    if result.status.value == "feasible" and result.gap is not None:
        return f"{words} (within {100 * result.gap:.1f}%)"
    return words


def measure(name: str, value) -> str | int | None:
    """A measure's value as a manager reads it: plans in words, shares as whole percentages."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if name == "status":
        return QUALITY.get(value, value)
    if name.endswith("_pct"):
        return percent(value)
    if isinstance(value, float):
        return round(value)
    return value


def measures_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of measures (one row per ``Measure``, as the what-if's Compare) in words."""
    out = frame.copy().astype(object)
    for i, name in enumerate(frame["Measure"]):
        for column in frame.columns[1:]:
            out.at[i, column] = measure(name, frame.at[i, column])
        out.at[i, "Measure"] = MEASURES.get(name, name)
    return out


SWEEP_COLUMNS = {"cap": "Cap", "ratio": "Ratio", "ratio_held": "Held at the statutory ratio", "weights": "Weights",
                 "status": "Plan", "objective": "Points",
                 "overlap_pct": "Key person in for the child (%)",
                 "coverage_pct": "Key person or co-worker in (%)",
                 "key_person_changes": "Key person changes", "busiest_caseload": "Fullest caseload",
                 "reason": "Why there is no plan"}


def sweep_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A sweep's rows (see :func:`scheduler.sweep.sweep`) in words, one row per cap and/or ratio tried:
    plans in words, points and percentages whole numbers, blank where there is no plan."""
    columns = [c for c in SWEEP_COLUMNS if c in frame.columns and frame[c].astype(bool).any()]
    out = {}
    for c in columns:
        if c == "status":
            out[SWEEP_COLUMNS[c]] = [QUALITY.get(v, v) for v in frame[c]]
        else:
            out[SWEEP_COLUMNS[c]] = [None if v is None or v != v else round(v) if isinstance(v, float) else v
                                     for v in frame[c]]
    return pd.DataFrame(out, dtype=object)
