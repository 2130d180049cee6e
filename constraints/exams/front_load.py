"""The largest exams should be held early, not in the last periods of the session."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "front load"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.front_load_weight


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per large exam in one of the last periods."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    periods = exam_periods(problem, solution)
    largest, last = problem.weightings.front_load_exams, problem.weightings.front_load_periods
    violations = []
    for exam in sorted(problem.largest_exams):
        period = periods[exam]
        if period is None or period not in problem.last_periods:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(exam,),
                periods=(period,),
                message=(
                    f"Exam {exam}, one of the {largest} largest ({problem.exams[exam].size} "
                    f"students), is in period {period}, one of the last {last} periods"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    problem = view.problem
    late = problem.last_periods
    return sum(
        literal
        for exam in view.free_exams()
        if exam in problem.largest_exams
        for period, literal in view.period_literals(exam).items()
        if period in late
    )
