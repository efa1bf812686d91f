"""Named settings a workbook's Rules sheet can change, with their defaults.

:data:`RULES` is the one table of them: the reader parses a Rules sheet by it,
the template lists it, and the README's table is generated from it, so a name
means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True)
class Rules:
    """Policy knobs; every field has a Rules-sheet name in :data:`RULES`."""

    # the setting
    setting_name: str | None = None
    # caseloads and ratios
    max_key_children: int | None = None
    max_co_worker_children: int | None = None
    sen_caseload_weight: int = 2
    ehcp_needs_sen_trained: bool = True
    sen_support_needs_sen_trained: bool = False
    co_workers_from_other_rooms: bool = False
    co_workers_from_other_sites: bool = False
    co_worker_must_be_key_person_eligible: bool = True
    pro_rata_caps: bool = True
    key_group_within_ratio: bool = True
    # re-planning
    plan_date: date | None = None
    term_ends: date | None = None
    max_changes: int | None = None
    settling_in_weeks: int = 6
    # objective weights (points; the plan maximises the sum)
    weight_overlap: int = 100
    weight_coverage: int = 20
    weight_attachment: int = 40
    weight_continuity: int = 60
    weight_co_worker_continuity: int = 20
    weight_co_worker_familiarity: int = 5
    weight_successor: int = 40
    weight_siblings: int = 30
    weight_language: int = 15
    weight_sen_support_trained: int = 15
    weight_caseload_balance: int = 10
    weight_session_balance: int = 2
    weight_co_worker_balance: int = 4

    def default_cap(self, ratio: int) -> int:
        """A practitioner's caseload cap when neither Staff nor Rooms sets one: our default for the room's
        ratio (4 at 1:3 or tighter, 6 up to 1:5, 8 otherwise), or the Rules' Max key children where that
        is tighter. A Rules-wide cap never loosens a room's default: a blank Baby room cap stays 4 with a
        Rules cap of 8 (raise a room's cap on the Rooms sheet)."""
        default = ratio_default_cap(ratio)
        if self.max_key_children is not None:
            return min(self.max_key_children, default)
        return default

    @property
    def weights(self) -> dict[str, int]:
        return {f.name.removeprefix("weight_"): getattr(self, f.name)
                for f in fields(self) if f.name.startswith("weight_")}


def ratio_default_cap(ratio: int) -> int:
    """Our default caseload cap for a room at 1:``ratio`` (our policy, not the law's)."""
    if ratio <= 3:
        return 4
    if ratio <= 5:
        return 6
    return 8


@dataclass(frozen=True)
class RuleSpec:
    field: str
    name: str  # as written in the Rules sheet
    kind: str  # "int", "bool", "date", "text"
    help: str
    minimum: int = 0
    maximum: int = 1000  # a whole number's largest value: weights beyond it could overflow the model's objective


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("setting_name", "Setting name", "text",
             "The setting's name, as parents know it, for the plan's title and the parents' letters. "
             "Blank: the workbook's file name."),
    RuleSpec("max_key_children", "Max key children", "int",
             "Caseload cap for every room without its own (Rooms and Staff sheets override it), where it is "
             "tighter than the room's default: 4 in rooms at 1:3 or tighter, 6 up to 1:5, 8 otherwise "
             "(our defaults). It never loosens a room's default: to raise a room's cap, set it on the Rooms "
             "sheet.", 1),
    RuleSpec("max_co_worker_children", "Max co-worker children", "int",
             "Most children one practitioner is co-worker for. Blank: their key-children cap.", 1),
    RuleSpec("sen_caseload_weight", "SEN caseload weight", "int",
             "How many places a child with an EHCP or a support ratio takes in a caseload.", 1),
    RuleSpec("ehcp_needs_sen_trained", "EHCP needs SEN trained key person", "bool",
             "A child with an EHCP or a support ratio must have an SEN-trained key person."),
    RuleSpec("sen_support_needs_sen_trained", "SEN support needs SEN trained key person", "bool",
             "A child on SEN support must have an SEN-trained key person (otherwise only preferred)."),
    RuleSpec("co_workers_from_other_rooms", "Co-workers from other rooms", "bool",
             "Allow a child's co-worker to work in another room."),
    RuleSpec("co_workers_from_other_sites", "Co-workers from other sites", "bool",
             "With Co-workers from other rooms: allow a co-worker from a room of another site (Rooms sheet's "
             "Site). No: only from the child's own site."),
    RuleSpec("co_worker_must_be_key_person_eligible", "Co-worker must be able to be key person", "bool",
             "Only practitioners who may be key persons can be co-workers (no students)."),
    RuleSpec("pro_rata_caps", "Pro-rata caps", "bool",
             "A practitioner's cap (the room's or the Rules default) times the share of the room's open sessions "
             "they work, rounded up, never below 1. A Staff sheet Max key children is taken as already pro rata."),
    RuleSpec("key_group_within_ratio", "Key group within ratio", "bool",
             "The key group limit: in every session a practitioner works, their key children present need at "
             "most one adult between them (a child under 2 needs 1/3, aged 2 1/5, 3 and over 1/8, or 1/k at "
             "the room's Ratio 1:k or a support ratio 1:k). No: no limit (the legal ratio is still checked)."),
    RuleSpec("plan_date", "Plan date", "date",
             "The date the plan is for (--on overrides it). Blank: today."),
    RuleSpec("term_ends", "Term ends", "date",
             "The last day the plan must hold (--until overrides it): practitioners leaving before then hand "
             "their key children to successors, joiners take children who start after them. Blank: the plan "
             "date alone, with a warning about anyone who starts or leaves in the next 13 weeks."),
    RuleSpec("max_changes", "Max changes", "int",
             "Most children whose key person may change (--max-changes overrides it). Blank: no cap.",
             maximum=100_000),
    RuleSpec("settling_in_weeks", "Settling-in weeks", "int",
             "How long a new starter's key person is marked temporary."),
    RuleSpec("weight_overlap", "Weight overlap", "int",
             "Points for a key person who works all the child's sessions (pro rata)."),
    RuleSpec("weight_coverage", "Weight coverage", "int",
             "Points for each session the child attends with the key person or co-worker in."),
    RuleSpec("weight_attachment", "Weight attachment", "int",
             "Points per strength level (1-3) of an observed bond with the key person."),
    RuleSpec("weight_continuity", "Weight continuity", "int",
             "Points for keeping the child's current key person."),
    RuleSpec("weight_co_worker_continuity", "Weight co-worker continuity", "int",
             "Points for keeping the child's current co-worker, if they work at least one of the child's sessions."),
    RuleSpec("weight_co_worker_familiarity", "Weight co-worker familiarity", "int",
             "Points for each of the child's sessions the co-worker works (so the child knows them)."),
    RuleSpec("weight_successor", "Weight successor", "int",
             "Points for making a child's co-worker their key person when the key person has left."),
    RuleSpec("weight_siblings", "Weight siblings", "int",
             "Points for each pair of siblings sharing a key person."),
    RuleSpec("weight_language", "Weight language", "int",
             "Points for a key person who speaks the child's home language."),
    RuleSpec("weight_sen_support_trained", "Weight SEN support trained", "int",
             "Points for an SEN-trained key person for a child on SEN support."),
    RuleSpec("weight_caseload_balance", "Weight caseload balance", "int",
             "Points lost per weighted key child above a practitioner's fair share "
             "(the room's load shared in proportion to sessions worked)."),
    RuleSpec("weight_session_balance", "Weight session balance", "int",
             "Points lost per unit of the busiest practitioner's load in each room and session."),
    RuleSpec("weight_co_worker_balance", "Weight co-worker balance", "int",
             "Points lost per co-worker child above a practitioner's fair share (the room's children shared in "
             "proportion to sessions worked). Keep it below Weight co-worker familiarity, so balance never "
             "gives a child a co-worker they never see when one they see has room."),
)

RULES_BY_NAME = {spec.name: spec for spec in RULES}
assert {s.field for s in RULES} == {f.name for f in fields(Rules)}, "RULES and Rules disagree"
