"""The master-class rules, one unit each, and the checker that scores a placement."""

from __future__ import annotations

from types import ModuleType

from constraints.base import evaluate_units
from constraints.masterclasses import audience_clash, hall_fit, hall_free, placement, shared_audience
from models import Evaluation, MasterClassProblem, MasterClassSolution, Scenario

UNITS: tuple[ModuleType, ...] = (placement, hall_fit, hall_free, audience_clash, shared_audience)


def units_for(problem: MasterClassProblem) -> tuple[ModuleType, ...]:
    return UNITS


def evaluate(
    problem: MasterClassProblem, solution: MasterClassSolution, scenario: Scenario | None = None
) -> Evaluation:
    """Check a placement against every rule; a scenario reweighs or switches off soft criteria."""
    return evaluate_units(units_for(problem), problem, solution, scenario)
