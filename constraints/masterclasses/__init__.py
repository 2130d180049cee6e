"""The master-class rules, one unit each, and the checker that scores placements."""

from __future__ import annotations

from types import ModuleType

from constraints.base import evaluate_units
from constraints.masterclasses import audience_conflicts, audience_overlap, hall_clash, placement
from models import Evaluation, MasterClassProblem, MasterClassSolution, Scenario

UNITS: tuple[ModuleType, ...] = (placement, hall_clash, audience_conflicts, audience_overlap)


def units_for(problem: MasterClassProblem) -> tuple[ModuleType, ...]:
    return UNITS


def evaluate(
    problem: MasterClassProblem, solution: MasterClassSolution, scenario: Scenario | None = None
) -> Evaluation:
    """Check master-class placements against every rule; a scenario reweighs or switches off soft ones."""
    return evaluate_units(units_for(problem), problem, solution, scenario)
