"""A student's exams should be far apart: two exams 1 to 5 periods apart cost 16, 8, 4, 2 or 1."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.pairs import count_pair_cost, post_pair_cost
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "proximity"
HARD = False

_COST_BY_GAP = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}  # Carter, Laporte and Lee (1996)


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams 1 to 5 periods apart; cost: common students x 2^(5-gap)."""
    if problem.scoring is not Scoring.TORONTO:
        return []

    def describe(who: str, first: int, second: int, here: int, there: int) -> str:
        gap = there - here
        return (
            f"{who} exams {first} and {second} {gap} period{'s' if gap > 1 else ''} apart "
            f"(periods {here} and {there}), costing {_COST_BY_GAP[gap]} each"
        )

    return count_pair_cost(
        problem, solution, NAME, lambda earlier, later: _COST_BY_GAP.get(later - earlier, 0), describe
    )


def post(view: ExamModelView) -> cp_model.LinearExprT:
    if view.problem.scoring is not Scoring.TORONTO:
        return 0
    # 16/8/4/2/1 by distance is a sum of nested windows: 8 within 1, 4 within 2, 2 within 3,
    # 1 within 4 and 1 within 5; windows keep the linear relaxation tight
    steps = [(gap, cost - _COST_BY_GAP.get(gap + 1, 0)) for gap, cost in _COST_BY_GAP.items()]
    return post_pair_cost(
        view,
        lambda here, there: _COST_BY_GAP.get(abs(here - there), 0),
        lambda exam, other: sum(step * view.within(exam, other, gap) for gap, step in steps),
    )
