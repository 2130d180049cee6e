"""An exam required to come after another is timetabled in a strictly later period."""

from __future__ import annotations

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, PeriodRelation, Violation

NAME = "after"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per broken AFTER line of the problem."""
    periods = exam_periods(problem, solution)
    violations = []
    for constraint in problem.period_constraints:
        if constraint.relation is not PeriodRelation.AFTER:
            continue
        later, earlier = constraint.first, constraint.second
        later_period, earlier_period = periods[later], periods[earlier]
        if later_period is None or earlier_period is None or later_period > earlier_period:
            continue
        where = (
            f"both are in period {later_period}"
            if later_period == earlier_period
            else f"it is in period {later_period} and exam {earlier} in period {earlier_period}"
        )
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(later, earlier),
                periods=(later_period, earlier_period),
                message=f"Exam {later} must come after exam {earlier} but {where}",
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    for constraint in view.problem.period_constraints:
        if constraint.relation is PeriodRelation.AFTER:
            _post_after(view, constraint.first, constraint.second)
    return 0


def _post_after(view: ExamModelView, later: int, earlier: int) -> None:
    free_later, free_earlier = view.is_free(later), view.is_free(earlier)
    if free_later and free_earlier:
        view.model.add(view.period_var(later) > view.period_var(earlier))
    elif free_later:
        limit = view.fixed_period(earlier)
        for period, literal in view.period_literals(later).items():
            if period <= limit:
                view.model.add(literal == 0)
    elif free_earlier:
        limit = view.fixed_period(later)
        for period, literal in view.period_literals(earlier).items():
            if period >= limit:
                view.model.add(literal == 0)
