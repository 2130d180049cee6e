"""A student should not sit two exams back to back on the same day."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.pairs import count_pair_cost, post_pair_cost
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "two in a row"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.two_in_a_row


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams in consecutive periods of a day; cost: students in both."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    periods = problem.periods

    def back_to_back(earlier: int, later: int) -> int:
        # the last period of one day and the first of the next are overnight
        return int(later - earlier == 1 and periods[earlier].day == periods[later].day)

    return count_pair_cost(
        problem,
        solution,
        NAME,
        back_to_back,
        lambda who, first, second, here, there: (
            f"{who} exams {first} and {second} in consecutive periods {here} and {there} "
            f"of day {periods[here].day}"
        ),
    )


def post(view: ExamModelView) -> cp_model.LinearExprT:
    periods = view.problem.periods

    def back_to_back(here: int, there: int) -> int:
        return int(periods[here].day == periods[there].day and abs(here - there) == 1)

    return post_pair_cost(view, back_to_back, view.in_a_row)
