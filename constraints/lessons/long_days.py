"""A student should not have more than six periods of class on a day: each period beyond counts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.wording import counted
from constraints.lessons.person_days import student_days, student_pictures
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "long days"
HARD = False
DAILY_LIMIT = 6  # periods of class a student may have on a day


def weight(problem: LessonProblem) -> int:
    return 2


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per student and day with more than DAILY_LIMIT periods of class; cost: the
    periods beyond."""
    grid = problem.grid
    violations = []
    for student, days in student_days(problem, solution).items():
        for day, periods in sorted(days.items()):
            if len(periods) <= DAILY_LIMIT:
                continue
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(periods) - DAILY_LIMIT,
                    sections=tuple(sorted(set().union(*periods.values()))),
                    periods=tuple(grid.slot(day, period) for period in sorted(periods)),
                    students=(student,),
                    message=(
                        f"Student {problem.student_name(student)} has {counted(len(periods), 'period')} "
                        f"of class on {grid.days[day]}, {len(periods) - DAILY_LIMIT} beyond the limit "
                        f"of {DAILY_LIMIT}"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per student-day a free meeting may touch and that may run long, the periods beyond the
    limit; students alike share one term."""
    model = view.model
    terms: list[cp_model.LinearExprT] = []
    for picture, students in student_pictures(view).items():
        most = sum(not busy.never for busy in picture)
        if most <= DAILY_LIMIT:
            continue  # never long, whatever the free meetings do
        beyond = model.new_int_var(0, most - DAILY_LIMIT, f"beyond_limit[{len(terms)}]")
        model.add_max_equality(
            beyond, [0, cp_model.LinearExpr.sum([busy.expr for busy in picture]) - DAILY_LIMIT]
        )
        terms.append(students * beyond)
    return cp_model.LinearExpr.sum(terms)
