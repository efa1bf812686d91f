"""Problems found in a workbook, and the one exception the reader raises."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in a workbook, located as Excel shows it."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    hint: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = ""
        if self.sheet:
            where = self.sheet
            if self.row is not None:
                where += f" row {self.row}"
            if self.column:
                where += f", {self.column}"
            where += ": "
        text = where
        if self.value is not None and str(self.value) != "":
            text += f"{str(self.value)[:60]!r} "
        text += self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


class DataError(Exception):
    """The workbook can't be used; ``problems`` lists every error found (and any warnings)."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.errors) or "the workbook can't be used")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
