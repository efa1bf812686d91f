"""What-if re-planning: a practitioner leaves (or joins), and as little else as possible changes.

By concern:

* :mod:`.leavers`: the scenario, the held assignments and the re-plan (:func:`whatif`);
* :mod:`.handover`: the sessions a leaver, their key child and the successor share before the leaving date;
* :mod:`.compare`: the current plan against each scenario's;
* :mod:`.moves`: children moving room later in the term, with settling visits.
"""

from __future__ import annotations

from ..term import session_dates
from .compare import compare
from .handover import HANDOVER_WEEKS, TOO_FEW_HANDOVER_SESSIONS, handover
from .leavers import (
           Scenario,
           WhatIf,
           apply,
           current_plan,
           keep_locks,
           no_leaving_date,
           no_room_left,
           planned_setting,
           undated_leaver,
           whatif,
)
from .moves import planned_on, transitions

__all__ = ["HANDOVER_WEEKS", "TOO_FEW_HANDOVER_SESSIONS", "Scenario", "WhatIf", "apply", "compare", "current_plan",
           "handover", "keep_locks", "no_leaving_date", "no_room_left", "planned_on", "planned_setting",
           "session_dates", "transitions", "undated_leaver", "whatif"]
