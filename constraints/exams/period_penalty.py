"""An exam held in a period the institution would rather not use pays that period's penalty."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "period penalty"
HARD = False


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per exam in a period with a penalty; cost: the period's penalty."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    violations = []
    for exam, period in enumerate(exam_periods(problem, solution)):
        if period is None or problem.periods[period].penalty == 0:
            continue
        penalty = problem.periods[period].penalty
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=penalty,
                exams=(exam,),
                periods=(period,),
                message=f"Exam {exam} is in period {period}, which carries a penalty of {penalty}",
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    periods = view.problem.periods
    return sum(
        periods[period].penalty * literal
        for exam in view.free_exams()
        for period, literal in view.period_literals(exam).items()
        if periods[period].penalty
    )
