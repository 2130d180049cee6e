"""A student should not sit two exams on the same day, even with a free period between them."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "two in a day"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.two_in_a_day


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams on one day but not back to back; cost: students in both."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        first_period, second_period = periods[first], periods[second]
        # Back-to-back exams are "two in a row" instead, and the same period is a hard conflict.
        if first_period is None or second_period is None or abs(first_period - second_period) < 2:
            continue
        day = problem.periods[first_period].day
        if problem.periods[second_period].day != day:
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
                    f"{students_sit(students)} exams {first} and {second} "
                    f"in periods {first_period} and {second_period}, both on day {day}"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    problem = view.problem
    terms = []
    for exam in view.free_exams():
        literals = view.period_literals(exam)
        for other, students in view.shared(exam).items():
            if view.is_free(other):
                if other > exam:
                    terms.append(students * view.apart_same_day(exam, other))
                continue
            there = problem.periods[view.fixed_period(other)]
            for period, literal in literals.items():
                here = problem.periods[period]
                if here.day == there.day and abs(here.index - there.index) > 1:
                    terms.append(students * literal)
    return sum(terms)
