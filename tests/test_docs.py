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


def test_quick_start_is_two_commands():
    """The quick start is exactly two commands: install and plan the sample; install and test."""
    block = README.split("## Quick start")[1].split("```bash")[1].split("```")[0].strip().splitlines()
    assert len(block) == 2 and "keyperson plan data/sample-nursery.xlsx" in block[0] and "pytest" in block[1]
