"""The shape of a constraint unit: a module stating one rule, with a CP-SAT post and a checker.

A unit module defines:

- ``NAME``: the criterion's name as reports show it ("two in a row");
- ``HARD``: whether breaking the rule makes a timetable infeasible;
- its module docstring: the rule in one sentence a registrar would say;
- ``weight(problem) -> int``: the default weight (hard rules: 1);
- ``count(problem, solution) -> list[Violation]``: plain Python, no CP-SAT; each violation's
  ``cost`` is in the rule's own units (students, exams, seats...), before the weight;
- ``post(view) -> linear expression``: adds the rule to a CP-SAT model and returns the same
  units as ``count`` for the terms that involve a free exam (hard rules return 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from models import ConstraintScore, Evaluation, Scenario


def score(unit: ModuleType, problem: Any, solution: Any, weight: int | None = None) -> ConstraintScore:
    """Run a unit's checker and weigh its violations."""
    violations = unit.count(problem, solution)
    used_weight = unit.weight(problem) if weight is None else weight
    units = sum(violation.cost for violation in violations)
    return ConstraintScore(
        name=unit.NAME,
        hard=unit.HARD,
        weight=used_weight,
        penalty=units if unit.HARD else units * used_weight,
        violations=tuple(violations),
    )


def scenario_weights(units: Iterable[ModuleType], problem: Any, scenario: Scenario) -> dict[str, int]:
    """Each unit's weight in this scenario: its own unless the scenario sets one, 0 when switched off."""
    return {
        unit.NAME: 0
        if unit.NAME in scenario.disabled
        else scenario.weight_of(unit.NAME, unit.weight(problem))
        for unit in units
    }


def evaluate_units(
    units: Iterable[ModuleType], problem: Any, solution: Any, scenario: Scenario | None
) -> Evaluation:
    """Every unit's verdict on a solution; a scenario reweighs or switches off soft rules (hard rules
    are always checked)."""
    scenario = scenario or Scenario()
    scores = [
        score(unit, problem, solution, scenario.weight_of(unit.NAME, unit.weight(problem)))
        for unit in units
        if unit.HARD or unit.NAME not in scenario.disabled
    ]
    hard_violations = sum(item.penalty for item in scores if item.hard)
    return Evaluation(
        feasible=hard_violations == 0,
        hard_violations=hard_violations,
        total=sum(item.penalty for item in scores if not item.hard),
        scores=tuple(scores),
    )
