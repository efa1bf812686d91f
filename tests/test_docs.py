"""The README stays true: every Rules name documented, every module in the package map."""

from __future__ import annotations

import pytest

from scheduler.rules import RULES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", [r.name for r in RULES])
def test_every_rule_is_documented(name):
    """Each Rules-sheet setting appears in the README's table."""
    assert f"`{name}`" in README


@pytest.mark.parametrize("module", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scheduler").rglob("*.py")
                                          if p.name != "__init__.py"))
def test_every_module_is_in_the_package_map(module):
    """Each module of the package is named in the README's package map."""
    assert f"`{module}`" in README


def quick_start(shell: str) -> list[str]:
    return README.split("## Quick start")[1].split(f"```{shell}")[1].split("```")[0].strip().splitlines()


def test_quick_start_is_two_commands():
    """The quick start is exactly two commands, in bash and in PowerShell: make a virtual environment, then
    install keyperson alone and plan the sample; make one, install with the test tools and test."""
    for shell, plan in (("bash", "keyperson plan data/sample-nursery.xlsx"),
                        ("powershell", r"keyperson plan data\sample-nursery.xlsx")):
        first, second = quick_start(shell)
        assert first.startswith(("python3 -m venv .venv", "py -m venv .venv")) and plan in first
        assert "[test]" not in first and "pytest" not in first  # the first installs no test tools
        assert "venv .venv" in second and "'.[test]'" in second and second.endswith("python -m pytest -q")


def test_ci_runs_the_readmes_test_command():
    """.ci/run runs the README's test command: the same virtual environment, install and pytest."""
    ci = (ROOT / ".ci" / "run").read_text()
    for part in quick_start("bash")[1].split(" && "):
        assert part in ci, part


def test_the_readme_says_the_tie_break_as_the_plan_does():
    """The README quotes the tie-break sentences explain, the page and the Glossary sheet use, word for word
    (for the tie-break weights, and for a large room's plan from HiGHS)."""
    from scheduler.words import TIE_BREAK, TIE_BREAK_LARGE

    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f'"{TIE_BREAK}"' in readme and f'"{TIE_BREAK_LARGE}"' in readme
