"""A student's exams should be far apart: two exams 1 to 5 periods apart cost 16, 8, 4, 2 or 1."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "proximity"
HARD = False

_COST_BY_GAP = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}  # Carter, Laporte and Lee (1996)


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per pair of exams 1 to 5 periods apart; cost: common students x 2^(5-gap)."""
    if problem.scoring is not Scoring.TORONTO:
        return []
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        first_period, second_period = periods[first], periods[second]
        if first_period is None or second_period is None:
            continue
        each = _COST_BY_GAP.get(abs(first_period - second_period))
        if each is None:
            continue
        if first_period > second_period:
            first, second, first_period, second_period = second, first, second_period, first_period
        gap = second_period - first_period
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(students) * each,
                exams=(first, second),
                periods=(first_period, second_period),
                students=students,
                message=(
                    f"{students_sit(students)} exams {first} and {second} {gap} period"
                    f"{'s' if gap > 1 else ''} apart (periods {first_period} and {second_period}), "
                    f"costing {each} each"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    if view.problem.scoring is not Scoring.TORONTO:
        return 0
    # 16/8/4/2/1 by distance is a sum of nested windows: 8 within 1, 4 within 2, 2 within 3,
    # 1 within 4 and 1 within 5; windows keep the linear relaxation tight
    steps = [(gap, cost - _COST_BY_GAP.get(gap + 1, 0)) for gap, cost in _COST_BY_GAP.items()]
    terms = []
    for exam in view.free_exams():
        literals = view.period_literals(exam)
        for other, students in view.shared(exam).items():
            if view.is_free(other):
                if other > exam:
                    terms += [students * step * view.within(exam, other, gap) for gap, step in steps]
                continue
            there = view.fixed_period(other)
            for period, literal in literals.items():
                cost = _COST_BY_GAP.get(abs(period - there), 0)
                if cost:
                    terms.append(students * cost * literal)
    return sum(terms)
