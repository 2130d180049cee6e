"""A student should have a free period for lunch: a day with class in every period starting
between 12:00 and 13:59 counts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.person_days import all_of, student_days, student_pictures
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, TimeGrid, Violation

NAME = "no lunch break"
HARD = False
LUNCH_FROM, LUNCH_UNTIL = 12 * 60, 14 * 60  # minutes after midnight: periods starting in between


def weight(problem: LessonProblem) -> int:
    return 1


def lunch_window(grid: TimeGrid) -> list[int]:
    """The periods of the day starting from 12:00 to 13:59 (none when start times are unknown)."""
    window = []
    for period, start in enumerate(grid.period_starts[: grid.periods_per_day]):
        minutes = _minutes(start)
        if minutes is not None and LUNCH_FROM <= minutes < LUNCH_UNTIL:
            window.append(period)
    return window


def _minutes(time: str) -> int | None:
    hours, _, minutes = time.strip().partition(":")
    try:
        return int(hours) * 60 + int(minutes or 0)
    except ValueError:
        return None  # an unreadable start time is not a lunch period


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation, cost 1, per student and day with class in every period of the lunch window."""
    grid = problem.grid
    window = lunch_window(grid)
    if not window:
        return []
    starts = [grid.period_starts[period] for period in window]
    taken = (
        f"a class at {starts[0]}"
        if len(starts) == 1
        else f"classes at {', '.join(starts[:-1])} and {starts[-1]}"
    )
    violations = []
    names = problem.student_name
    for student, days in student_days(problem, solution).items():
        for day, periods in sorted(days.items()):
            if not all(period in periods for period in window):
                continue
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=tuple(sorted({s for period in window for s in periods[period]})),
                    periods=tuple(grid.slot(day, period) for period in window),
                    students=(student,),
                    message=(f"Student {names(student)} has no lunch break on {grid.days[day]}: {taken}"),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per student-day a free meeting may touch, 1 when every lunch period is busy; students
    alike share one term."""
    window = lunch_window(view.problem.grid)
    if not window:
        return 0
    terms: list[cp_model.LinearExprT] = []
    for picture, students in student_pictures(view).items():
        missed = all_of(view, (picture[period] for period in window))
        if not isinstance(missed, int) or missed:
            terms.append(students * missed)
    return cp_model.LinearExpr.sum(terms)
