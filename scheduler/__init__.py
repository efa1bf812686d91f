"""keyperson: plan key persons and co-workers for an early-years setting.

The public API, for notebooks and scripts::

    import scheduler as kp
    setting = kp.read_setting("data/sample-nursery.xlsx")
    result = kp.plan(setting)  # a plain record: status, plan, points, bound, timings
    report = kp.Report(result)  # the plan's tables, each built once
    report.assignments  # a DataFrame: one row per child
    kp.write_plan(report, "plan.xlsx")

or, file to file, as ``keyperson plan`` (and ``keyperson whatif``) do::

    planned = kp.plan_workbook("data/sample-nursery.xlsx", "plan.xlsx")
    planned.warnings, planned.result, planned.report, planned.output
"""

from .check import Check, check_workbook
from .checker import Evaluation, evaluate, evaluate_result
from .errors import DataError, Problem
from .excel.plan_writer import write_plan
from .excel.reader import Reading, read_setting, read_workbook
from .excel.setting_writer import write_setting
from .generator import generate
from .instance import Instance
from .planner import plan
from .progress import Progress
from .report import Report
from .result import Result, Status
from .rules import RULES, Rules
from .setting import Attachment, Child, Closure, Lock, Room, Session, Setting, Staff, default_sessions, replace
from .workbooks import StaffNotFound, WorkbookPlan, WorkbookWhatIf, plan_workbook, whatif_workbook

__all__ = [
    "Attachment", "Check", "Child", "Closure", "DataError", "Evaluation", "Instance", "Lock", "Problem", "Progress",
    "RULES", "Reading", "Report", "Result", "Room", "Rules", "Session", "Setting", "Staff", "StaffNotFound", "Status",
    "WorkbookPlan", "WorkbookWhatIf", "check_workbook", "default_sessions", "evaluate", "evaluate_result", "generate",
    "plan", "plan_workbook", "read_setting", "read_workbook", "replace", "whatif_workbook", "write_plan",
    "write_setting",
]
