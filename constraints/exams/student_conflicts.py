"""No student sits two exams in the same period."""

from __future__ import annotations

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
from models import ExamProblem, ExamSolution, Violation

NAME = "student conflicts"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams in the same period; its cost is the students sitting both."""
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        period = periods[first]
        if period is None or period != periods[second]:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(students),
                exams=(first, second),
                periods=(period,),
                students=students,
                message=(f"{students_sit(students)} exams {first} and {second} both in period {period}"),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    for exam in view.free_exams():
        mine = view.period_literals(exam)
        for other in view.shared(exam):
            if other > exam and view.is_free(other):
                theirs = view.period_literals(other)
                for period in mine.keys() & theirs.keys():
                    view.model.add_bool_or([mine[period].negated(), theirs[period].negated()])
    return 0  # conflicts with fixed exams are excluded from the free exams' periods
