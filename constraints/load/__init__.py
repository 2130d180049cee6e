"""The teaching-load rules, one unit each, and the checker that scores a distribution of load."""

from __future__ import annotations

from types import ModuleType

from constraints.base import scenario_weights, score
from constraints.load import (
    changes,
    courses_prepared,
    coverage,
    fixed,
    largest_deviation,
    lecture_practice_split,
    load_limits,
    qualification,
    term_balance,
    total_deviation,
    unwanted_courses,
    wanted_courses,
)
from models import Evaluation, Scenario
from models.load import LoadProblem, LoadSolution

HARD_UNITS: tuple[ModuleType, ...] = (coverage, qualification, load_limits, fixed)
SOFT_UNITS: tuple[ModuleType, ...] = (
    largest_deviation,
    total_deviation,
    courses_prepared,
    unwanted_courses,
    wanted_courses,
    lecture_practice_split,
    changes,
    term_balance,
)
UNITS = HARD_UNITS + SOFT_UNITS
SOFT_NAMES = frozenset(unit.NAME for unit in SOFT_UNITS)


def units_for(problem: LoadProblem) -> tuple[ModuleType, ...]:
    """The rules judging a load distribution: the hard ones, then the soft criteria."""
    return UNITS


def weights_for(problem: LoadProblem, scenario: Scenario) -> dict[str, int]:
    """Each soft criterion's weight in this scenario (0 when switched off). A load of one term alone
    (one semester stored) has no other term to balance against: term balance is off, or it would
    charge every hour given as much as the deviation from target saves."""
    weights = scenario_weights(SOFT_UNITS, problem, scenario)
    if len({item.term for item in problem.items}) < 2:
        weights[term_balance.NAME] = 0
    return weights


def evaluate(problem: LoadProblem, solution: LoadSolution, scenario: Scenario | None = None) -> Evaluation:
    """Check a distribution against every rule; a scenario reweighs or switches off soft criteria.

    Hard rules are always checked, whatever the scenario says.
    """
    scenario = scenario or Scenario()
    weights = weights_for(problem, scenario)
    scores = [
        score(unit, problem, solution, None if unit.HARD else weights[unit.NAME])
        for unit in units_for(problem)
        if unit.HARD or weights[unit.NAME]
    ]
    hard_violations = sum(item.penalty for item in scores if item.hard)
    return Evaluation(
        feasible=hard_violations == 0,
        hard_violations=hard_violations,
        total=sum(item.penalty for item in scores if not item.hard),
        scores=tuple(scores),
    )


def soft_total(problem: LoadProblem, solution: LoadSolution, weights: dict[str, int]) -> int:
    """The weighted total of these criteria alone, no hard rule checked (a running total's part)."""
    return sum(
        score(unit, problem, solution, weights[unit.NAME]).penalty
        for unit in SOFT_UNITS
        if weights.get(unit.NAME)
    )
