"""Exams required to be apart are timetabled in different periods."""

from __future__ import annotations

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, PeriodRelation, Violation

NAME = "exclusion"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per broken EXCLUSION line of the problem."""
    periods = exam_periods(problem, solution)
    violations = []
    for constraint in problem.period_constraints:
        if constraint.relation is not PeriodRelation.EXCLUSION:
            continue
        first, second = constraint.first, constraint.second
        period = periods[first]
        if period is None or period != periods[second]:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(first, second),
                periods=(period,),
                message=(
                    f"Exams {first} and {second} must be in different periods but both are in period {period}"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    for constraint in view.problem.period_constraints:
        if constraint.relation is PeriodRelation.EXCLUSION:
            _post_apart(view, constraint.first, constraint.second)
    return 0


def _post_apart(view: ExamModelView, first: int, second: int) -> None:
    if view.is_free(first) and view.is_free(second):
        mine, theirs = view.period_literals(first), view.period_literals(second)
        for period in mine.keys() & theirs.keys():
            view.model.add_bool_or([mine[period].negated(), theirs[period].negated()])
    elif view.is_free(first) or view.is_free(second):
        free, fixed = (first, second) if view.is_free(first) else (second, first)
        literal = view.period_literals(free).get(view.fixed_period(fixed))
        if literal is not None:
            view.model.add(literal == 0)
