"""The master-class rules, one unit each, and the checker that scores a placement."""

from __future__ import annotations

from types import ModuleType

from constraints.base import score
from constraints.masterclasses import audience_clash, hall_fit, hall_free, placement, shared_audience
from models import Evaluation, MasterClassProblem, MasterClassSolution, Scenario

UNITS: tuple[ModuleType, ...] = (placement, hall_fit, hall_free, audience_clash, shared_audience)


def units_for(problem: MasterClassProblem) -> tuple[ModuleType, ...]:
    return UNITS


def evaluate(
    problem: MasterClassProblem, solution: MasterClassSolution, scenario: Scenario | None = None
) -> Evaluation:
    """Check a placement against every rule; a scenario reweighs or switches off soft criteria."""
    scores = []
    for unit in units_for(problem):
        if scenario is None:
            scores.append(score(unit, problem, solution))
        elif unit.HARD or unit.NAME not in scenario.disabled:
            scores.append(score(unit, problem, solution, scenario.weight_of(unit.NAME, unit.weight(problem))))
    hard = sum(item.penalty for item in scores if item.hard)
    return Evaluation(
        feasible=hard == 0,
        hard_violations=hard,
        total=sum(item.penalty for item in scores if not item.hard),
        scores=tuple(scores),
    )
