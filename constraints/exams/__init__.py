"""The exam-timetabling rules, one unit each, and the checker that scores timetables."""

from __future__ import annotations

from types import ModuleType

from constraints.base import score
from constraints.exams import (
    after,
    coincidence,
    exclusion,
    front_load,
    mixed_durations,
    period_duration,
    period_penalty,
    period_spread,
    placement,
    proximity,
    room_capacity,
    room_exclusive,
    room_penalty,
    student_conflicts,
    two_in_a_day,
    two_in_a_row,
)
from models import Evaluation, ExamProblem, ExamSolution, Scenario, Scoring

_HARD = (
    placement,
    student_conflicts,
    room_capacity,
    period_duration,
    after,
    coincidence,
    exclusion,
    room_exclusive,
)
_ROOM_RULES = (room_capacity, room_exclusive)
_SOFT_BY_SCORING: dict[Scoring, tuple[ModuleType, ...]] = {
    Scoring.ITC2007: (
        two_in_a_row,
        two_in_a_day,
        period_spread,
        mixed_durations,
        front_load,
        room_penalty,
        period_penalty,
    ),
    Scoring.TORONTO: (proximity,),
}

UNITS: tuple[ModuleType, ...] = _HARD + tuple(unit for units in _SOFT_BY_SCORING.values() for unit in units)


def units_for(problem: ExamProblem) -> tuple[ModuleType, ...]:
    """The rules judging this problem: the hard ones it can break, then its scoring's criteria."""
    hard = tuple(unit for unit in _HARD if problem.uses_rooms or unit not in _ROOM_RULES)
    return hard + _SOFT_BY_SCORING[problem.scoring]


def evaluate(problem: ExamProblem, solution: ExamSolution, scenario: Scenario | None = None) -> Evaluation:
    """Check a timetable against every rule; a scenario reweighs or switches off soft criteria.

    Hard rules are always checked: switching one off in a scenario does not make a timetable that
    breaks it feasible.
    """
    scores = []
    for unit in units_for(problem):
        if scenario is None:
            scores.append(score(unit, problem, solution))
        elif unit.HARD or unit.NAME not in scenario.disabled:
            weight = scenario.weight_of(unit.NAME, unit.weight(problem))
            scores.append(score(unit, problem, solution, weight))
    hard_violations = sum(item.penalty for item in scores if item.hard)
    total = sum(item.penalty for item in scores if not item.hard)
    normalised = None
    if problem.scoring is Scoring.TORONTO:
        normalised = total / len(problem.students) if problem.students else 0.0
    return Evaluation(
        feasible=hard_violations == 0,
        hard_violations=hard_violations,
        total=total,
        scores=tuple(scores),
        normalised_total=normalised,
    )
