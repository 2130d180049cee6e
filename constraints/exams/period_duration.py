"""No exam is longer than the period it is timetabled in."""

from __future__ import annotations

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Violation

NAME = "period duration"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per exam too long for its period."""
    violations = []
    for exam, period in enumerate(exam_periods(problem, solution)):
        if period is None:
            continue
        needed, available = problem.exams[exam].duration, problem.periods[period].duration
        if needed <= available:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(exam,),
                periods=(period,),
                message=(f"Exam {exam} lasts {needed} minutes but period {period} lasts only {available}"),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    """Too-short periods never enter a free exam's domain; verify rather than trust."""
    for exam in view.free_exams():
        duration = view.problem.exams[exam].duration
        for period, literal in view.period_literals(exam).items():
            if view.problem.periods[period].duration < duration:
                view.model.add(literal == 0)
    return 0
