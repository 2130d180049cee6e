"""A student's exams should be spread out, no two within the institution's spread of periods."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
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
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        first_period, second_period = periods[first], periods[second]
        if first_period is None or second_period is None:
            continue
        gap = abs(first_period - second_period)
        if not 0 < gap <= spread:  # a gap of 0 is a hard conflict, not a spread penalty
            continue
        if first_period > second_period:
            first, second, first_period, second_period = second, first, second_period, first_period
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(students),
                exams=(first, second),
                periods=(first_period, second_period),
                students=students,
                message=(
                    f"{students_sit(students)} exams {first} and {second} in periods "
                    f"{first_period} and {second_period}, within the spread of {spread} periods"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    spread = view.problem.weightings.period_spread
    terms = []
    if spread == 0:
        return 0
    for exam in view.free_exams():
        literals = view.period_literals(exam)
        for other, students in view.shared(exam).items():
            if view.is_free(other):
                if other > exam:
                    terms.append(students * view.within(exam, other, spread))
                continue
            there = view.fixed_period(other)
            for period, literal in literals.items():
                if 0 < abs(period - there) <= spread:
                    terms.append(students * literal)
    return sum(terms)
