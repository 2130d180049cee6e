"""A student's exams should be spread out, no two within the institution's spread of periods."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.pairs import count_pair_cost, post_pair_cost
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "period spread"
HARD = False


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams 1 to PERIODSPREAD periods apart, on any days."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    spread = problem.weightings.period_spread
    return count_pair_cost(
        problem,
        solution,
        NAME,
        lambda earlier, later: int(0 < later - earlier <= spread),  # 0 apart is a hard conflict
        lambda who, first, second, here, there: (
            f"{who} exams {first} and {second} in periods {here} and {there}, "
            f"within the spread of {spread} periods"
        ),
    )


def post(view: ExamModelView) -> cp_model.LinearExprT:
    spread = view.problem.weightings.period_spread
    if spread == 0:
        return 0
    return post_pair_cost(
        view,
        lambda here, there: int(0 < abs(here - there) <= spread),
        lambda exam, other: view.within(exam, other, spread),
    )
