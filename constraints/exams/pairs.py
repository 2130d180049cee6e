"""What the per-student pair criteria share: walking the pairs of exams that share students."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import students_sit
from models import ExamProblem, ExamSolution, Violation


def post_pair_cost(
    view: ExamModelView,
    cost_at: Callable[[int, int], int],
    together: Callable[[int, int], cp_model.LinearExprT],
) -> cp_model.LinearExprT:
    """Per shared student: `cost_at(period, partner's period)` beside a fixed exam (linear in the
    free exam's period literals), `together(exam, other)` when both exams are free."""
    terms: list[cp_model.LinearExprT] = []
    for exam in view.free_exams():
        literals = view.period_literals(exam)
        for other, students in view.shared(exam).items():
            if view.is_free(other):
                if other > exam:
                    terms.append(students * together(exam, other))
                continue
            there = view.fixed_period(other)
            for period, literal in literals.items():
                cost = cost_at(period, there)
                if cost:
                    terms.append(students * cost * literal)
    return sum(terms)


def count_pair_cost(
    problem: ExamProblem,
    solution: ExamSolution,
    name: str,
    cost_at: Callable[[int, int], int],
    describe: Callable[[str, int, int, int, int], str],
) -> list[Violation]:
    """One violation per pair of exams with `cost_at(earlier period, later period)` > 0 per
    shared student; `describe(who sit, first exam, second exam, its period, the other's)`."""
    periods = exam_periods(problem, solution)
    violations = []
    for (first, second), students in problem.common_students.items():
        first_period, second_period = periods[first], periods[second]
        if first_period is None or second_period is None:
            continue
        if first_period > second_period:
            first, second, first_period, second_period = second, first, second_period, first_period
        each = cost_at(first_period, second_period)
        if not each:
            continue
        violations.append(
            Violation(
                constraint=name,
                hard=False,
                cost=len(students) * each,
                exams=(first, second),
                periods=(first_period, second_period),
                students=students,
                message=describe(students_sit(students), first, second, first_period, second_period),
            )
        )
    return violations
