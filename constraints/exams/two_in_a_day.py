"""A student should not sit two exams on the same day, even with a free period between them."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.pairs import count_pair_cost, post_pair_cost
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "two in a day"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.two_in_a_day


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams on one day but not back to back; cost: students in both."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    periods = problem.periods

    def same_day_apart(earlier: int, later: int) -> int:
        # back-to-back exams are "two in a row" instead, and the same period is a hard conflict
        return int(later - earlier > 1 and periods[earlier].day == periods[later].day)

    return count_pair_cost(
        problem,
        solution,
        NAME,
        same_day_apart,
        lambda who, first, second, here, there: (
            f"{who} exams {first} and {second} in periods {here} and {there}, both on day {periods[here].day}"
        ),
    )


def post(view: ExamModelView) -> cp_model.LinearExprT:
    periods = view.problem.periods

    def same_day_apart(here: int, there: int) -> int:
        return int(periods[here].day == periods[there].day and abs(here - there) > 1)

    return post_pair_cost(view, same_day_apart, view.apart_same_day)
