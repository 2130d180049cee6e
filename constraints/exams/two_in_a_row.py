"""A student should not sit two exams back to back on the same day."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "two in a row"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.two_in_a_row


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams in consecutive periods of a day; cost: students in both."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        first_period, second_period = periods[first], periods[second]
        if first_period is None or second_period is None or abs(first_period - second_period) != 1:
            continue
        day = problem.periods[first_period].day
        if problem.periods[second_period].day != day:
            continue  # the last period of one day and the first of the next are overnight
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
                    f"in consecutive periods {first_period} and {second_period} of day {day}"
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
                    terms.append(students * view.in_a_row(exam, other))
                continue
            there = problem.periods[view.fixed_period(other)]
            for period, literal in literals.items():
                here = problem.periods[period]
                if here.day == there.day and abs(here.index - there.index) == 1:
                    terms.append(students * literal)
    return sum(terms)
