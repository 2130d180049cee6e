"""A student should not sit idle between classes: every free period between their first and last
class of a day counts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.wording import counted
from constraints.lessons.person_days import (
    idle_expression,
    idle_periods,
    student_days,
    student_pictures,
)
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "student windows"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per student and day with idle periods between classes; cost: the idle periods."""
    grid = problem.grid
    violations = []
    for student, days in student_days(problem, solution).items():
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
                    periods=tuple(grid.slot(day, period) for period in idle),
                    students=(student,),
                    message=(
                        f"Student {problem.student_name(student)} has {counted(len(idle), 'idle period')} "
                        f"on {grid.days[day]} between classes"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per student-day a free meeting may touch, the idle periods; students alike share one term."""
    pictures = student_pictures(view)
    return cp_model.LinearExpr.sum(
        [students * idle_expression(view, picture) for picture, students in pictures.items()]
    )
