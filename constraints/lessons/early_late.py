"""Classes should not start before 08:30 nor run in periods starting at 18:00 or later.

Each period of a meeting in an early period (starting before 08:30) or a late one (starting at
18:00 or later) costs 1. Periods without a known start time (no period_starts, or a start that
is not a clock time like 08:30) are neither early nor late.
"""

from __future__ import annotations

import re

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, TimeGrid, Violation

NAME = "early or late classes"
HARD = False

EARLY_BEFORE = 8 * 60 + 30  # minutes after midnight
LATE_FROM = 18 * 60
_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


def weight(problem: LessonProblem) -> int:
    return 1


def odd_hours(grid: TimeGrid) -> dict[int, str]:
    """The periods of the day that are early or late, each with the word for it."""
    odd = {}
    for period, start in enumerate(grid.period_starts[: grid.periods_per_day]):
        clock = _CLOCK.fullmatch(start)
        if clock is None:
            continue
        minutes = int(clock[1]) * 60 + int(clock[2])
        if minutes < EARLY_BEFORE:
            odd[period] = "an early period"
        elif minutes >= LATE_FROM:
            odd[period] = "a late period"
    return odd


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting with early or late periods; cost: those periods."""
    grid = problem.grid
    odd = odd_hours(grid)
    if not odd:
        return []
    violations = []
    for item in placed_meetings(problem, solution):
        slots = [slot for slot in item.slots if grid.period_of(slot) in odd]
        if not slots:
            continue
        section, room = problem.sections[item.section], problem.rooms[item.room]
        taught_by = ", ".join(problem.teachers[t].name for t in section.teachers)
        when = " and ".join(f"{slot_name(problem, slot)}, {odd[grid.period_of(slot)]}" for slot in slots)
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(slots),
                sections=(section.index,),
                teachers=tuple(sorted(set(section.teachers))),
                rooms=(room.index,),
                periods=tuple(slots),
                message=(
                    f"{section.name}{f' (taught by {taught_by})' if taught_by else ''} meets in room "
                    f"{room.name} at {when}"
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per free meeting and start: its early or late periods (fixed meetings are constant)."""
    problem = view.problem
    grid = problem.grid
    odd = odd_hours(grid)
    if not odd:
        return 0
    terms = []
    for meeting in view.free_meetings():
        length = problem.meetings[meeting].length
        for start, literal in view.start_literals(meeting).items():
            periods = sum(grid.period_of(slot) in odd for slot in range(start, start + length))
            if periods:
                terms.append(periods * literal)
    return cp_model.LinearExpr.sum(terms)
