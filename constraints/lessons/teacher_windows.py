"""A teacher should not wait idle between classes: every free period between their first and last
class of a day counts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.wording import counted
from constraints.lessons.person_days import (
    idle_expression,
    idle_periods,
    teacher_days,
    teacher_pictures,
)
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "teacher windows"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per teacher and day with idle periods between classes; cost: the idle periods."""
    grid = problem.grid
    violations = []
    for teacher, days in teacher_days(problem, solution).items():
        for day, periods in sorted(days.items()):
            idle = idle_periods(periods)
            if not idle:
                continue
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(idle),
                    sections=tuple(sorted(set().union(*periods.values()))),
                    teachers=(teacher,),
                    periods=tuple(grid.slot(day, period) for period in idle),
                    message=(
                        f"Teacher {problem.teachers[teacher].name} has {counted(len(idle), 'idle period')} "
                        f"on {grid.days[day]} between classes"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per teacher-day a free meeting may touch, the idle periods; teachers alike share one term."""
    pictures = teacher_pictures(view)
    return cp_model.LinearExpr.sum(
        [teachers * idle_expression(view, picture) for picture, teachers in pictures.items()]
    )
