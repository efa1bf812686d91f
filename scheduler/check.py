"""What ``keyperson check`` says about a workbook, as sentences: shared by the command and the web page,
so both say exactly the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import Problem
from .instance import Instance
from .letters import untold
from .precheck import prechecks, room_summary
from .ratios import age_warnings
from .ratios import summary as ratio_summary
from .term import coming_soon, term_words
from .words import plural


@dataclass
class Check:
    """A read workbook's summary and the quick feasibility checks' findings (``problems``)."""

    instance: Instance
    warnings: list[Problem] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the setting, then SEN
    rooms: list[str] = field(default_factory=list)  # each room's demand against key-person capacity
    ratios: list[str] = field(default_factory=list)  # the ratio check of the rota, a line a room, shortfalls first
    ratio_heading: str = "Ratio check (all staff who count in ratio against all children present, by age band):"
    problems: list[str] = field(default_factory=list)  # why no plan can keep every rule
    untold: list[str] = field(default_factory=list)  # children whose parents haven't been told their key person
    invalid: str = ""  # CP-SAT's reason for rejecting the model plan() would solve (a bug); empty when valid

    @property
    def usable(self) -> bool:
        return not self.problems


def check_workbook(path: str | Path, on: date | None = None, until: date | None = None) -> Check:
    """Read the workbook at ``path`` (a :class:`~scheduler.DataError` lists every problem) and check it for
    the plan date ``on`` and the term to ``until`` (default the Term ends rule)."""
    from .excel.reader import read_workbook

    path = Path(path)
    reading = read_workbook(path)
    inst = Instance.build(reading.setting, on, until)
    s, kids = reading.setting, inst.children
    soon = [Problem(sentence, severity="warning") for sentence in coming_soon(reading.setting, inst.on, inst.term_ends)]
    ages = [Problem(w["Message"], severity="warning") for w in age_warnings(inst)]
    out = Check(inst, list(reading.warnings) + soon + ages)
    out.summary.append(f"{path.name}: {plural(len(kids), 'child', 'children')}, {len(inst.staff)} staff, "
                       f"{plural(len(s.rooms), 'room')}, {plural(len(s.sessions), 'session')}; "
                       f"{term_words(s, inst.on, inst.term_ends)}")
    out.summary.append(f"SEN: {sum(c.sen == 'SEN support' for c in kids)} SEN support, "
                       f"{sum(c.sen == 'EHCP' for c in kids)} EHCP, "
                       f"{sum(c.support_ratio is not None for c in kids)} with a funded support ratio; "
                       f"{sum(m.sen_trained for m in inst.staff)} SEN-trained staff")
    for _, r in room_summary(inst).iterrows():
        flag = "  <- short" if r["Demand"] > r["Capacity"] else ""
        out.rooms.append(f"{r['Room']}: {plural(r['Children'], 'child', 'children')}, demand "
                         f"{plural(r['Demand'], 'place')} against key-person capacity {r['Capacity']} "
                         f"({plural(r['Key persons'], 'key person')}, ratio {r['Ratio']}){flag}")
    out.ratios = ratio_summary(inst)
    out.untold = untold(s, inst.on)
    out.problems = prechecks(inst)
    if not out.problems:  # the model plan() builds, checked as plan() solves it: after check, plan won't fail
        from .cpsat import CPModel
        out.invalid = CPModel(inst).validate()
    return out
