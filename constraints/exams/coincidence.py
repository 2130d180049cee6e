"""Exams required to coincide are timetabled in the same period."""

from __future__ import annotations

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, PeriodRelation, Violation

NAME = "exam coincidence"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per broken EXAM_COINCIDENCE line of the problem."""
    periods = exam_periods(problem, solution)
    violations = []
    for constraint in problem.period_constraints:
        if constraint.relation is not PeriodRelation.EXAM_COINCIDENCE:
            continue
        first, second = constraint.first, constraint.second
        first_period, second_period = periods[first], periods[second]
        if first_period is None or second_period is None or first_period == second_period:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(first, second),
                periods=(first_period, second_period),
                message=(
                    f"Exams {first} and {second} must share a period "
                    f"but are in periods {first_period} and {second_period}"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    for constraint in view.problem.period_constraints:
        if constraint.relation is PeriodRelation.EXAM_COINCIDENCE:
            _post_same_period(view, constraint.first, constraint.second)
    return 0


def _post_same_period(view: ExamModelView, first: int, second: int) -> None:
    if view.is_free(first) and view.is_free(second):
        mine, theirs = view.period_literals(first), view.period_literals(second)
        for period in mine.keys() | theirs.keys():
            if period in mine and period in theirs:
                view.model.add(mine[period] == theirs[period])
            else:
                alone = mine[period] if period in mine else theirs[period]
                view.model.add(alone == 0)
    elif view.is_free(first) or view.is_free(second):
        free, fixed = (first, second) if view.is_free(first) else (second, first)
        target = view.fixed_period(fixed)
        literals = view.period_literals(free)
        if target not in literals:
            view.model.add_bool_or([])  # the fixed partner's period is closed to this exam
        else:
            view.model.add(literals[target] == 1)
