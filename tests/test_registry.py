"""The registry is complete: every hard rule and soft term has each of its parts, and nothing lives outside it."""

from __future__ import annotations

import inspect
from dataclasses import fields, replace

import pytest
from ortools.sat.python import cp_model

from scheduler import Lock, Room, Rules, checker, precheck
from scheduler.cpsat import constraints, objective, relax
from scheduler.cpsat.variables import Variables
from scheduler.instance import Instance
from scheduler.registry import HARD_RULES, SOFT_TERMS, rule_for_group

from .conftest import ON, ROOT, kid, member, tiny

README = " ".join((ROOT / "README.md").read_text().split())
RULE_IDS = [r.name for r in HARD_RULES]
TERM_IDS = [t.name for t in SOFT_TERMS]


def _functions(module, first: str) -> set[str]:
    """Public functions defined in ``module`` whose first parameter is called ``first``."""
    return {name for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__ and not name.startswith("_")
            and list(inspect.signature(f).parameters)[:1] == [first]}


@pytest.mark.parametrize("rule", HARD_RULES, ids=RULE_IDS)
def test_every_hard_rule_has_each_part(rule):
    """A hard rule is enforced somewhere, checked by the checker, named in the README, and a group it names
    has a sentence for the diagnosis and a relaxation that exists (or none: not relaxable)."""
    assert rule.build or rule.key_exclusion or rule.co_exclusion, "enforced nowhere"
    if rule.build:
        assert rule.build in _functions(constraints, "model"), f"no builder {rule.build} in cpsat/constraints.py"
    assert rule.check in _functions(checker, "p"), f"no check {rule.check} in checker.py"
    assert " ".join(rule.readme.split()) in README, "its README line is missing"
    assert (rule.group is None) == (rule.says is None), "a rule group needs its diagnosis sentence"
    if rule.group:
        assert rule.build, "only a builder names rule groups"
    if rule.relax is not None:
        assert rule.relax in relax.SLACK and rule.relax in relax.COST, f"relax.py has no slack for {rule.relax}"
    for name in rule.prechecks:
        assert callable(getattr(precheck, name, None)), f"no pre-check {name} in precheck.py"


@pytest.mark.parametrize("term", SOFT_TERMS, ids=TERM_IDS)
def test_every_soft_term_has_each_part(term):
    """A soft term has exactly one way to be built (its own builder or its pair points), a Rules weight, a
    checker function, a Summary label and a README line."""
    assert sum(x is not None for x in (term.build, term.key_points, term.co_points)) == 1
    if term.build:
        assert term.build in _functions(objective, "model"), f"no builder {term.build} in cpsat/objective.py"
    assert term.weight in {f.name for f in fields(Rules)}
    assert term.check in _functions(checker, "p"), f"no check {term.check} in checker.py"
    assert term.label and term.readme in README


def test_nothing_lives_outside_the_registry():
    """Every builder, check, relaxation and Weight setting belongs to a registry row."""
    named_builders = {r.build for r in HARD_RULES} | {t.build for t in SOFT_TERMS}
    assert _functions(constraints, "model") - {"add_hard_rules"} <= named_builders
    assert _functions(objective, "model") <= named_builders
    assert _functions(checker, "p") == {r.check for r in HARD_RULES} | {t.check for t in SOFT_TERMS}
    assert set(relax.SLACK) == set(relax.COST) == {r.relax for r in HARD_RULES} - {None}
    assert {f.name for f in fields(Rules) if f.name.startswith("weight_")} == {t.weight for t in SOFT_TERMS}
    assert set(precheck.prechecks.__code__.co_names) >= {"HARD_RULES"}  # the pre-checks are the registry's


def test_every_rule_group_a_builder_names_is_declared():
    """Built on a relaxed instance where every rule bites, the builders name exactly the declared groups
    (a group without a row would print as raw words in the diagnosis)."""
    children = [kid("e", sen="EHCP", key_person="A"), kid("c", key_person="B"), kid("d", "Mon AM")]
    staff = [member("A", max_key_children=1), member("B", max_key_children=1), member("C", sen_trained=True)]
    s = tiny(children, staff, replace(Rules(plan_date=ON), max_changes=0, max_co_worker_children=1),
             rooms=(Room("R", None, 1),), locks=(Lock("c", "A", "key person", "must"),))
    inst = replace(Instance.build(s, ON), relaxed=True)
    model = cp_model.CpModel()
    asked = set()

    def guard(group):
        asked.add(group[0])
        rule_for_group(group)
        return [model.new_bool_var(str(group))]

    constraints.add_hard_rules(model, inst, Variables.build(model, inst), guard)
    assert asked == {r.group for r in HARD_RULES} - {None}
