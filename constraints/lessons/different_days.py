"""A section's weekly meetings are on different days."""

from __future__ import annotations

from constraints.lessons.timetable import placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "meetings on one day"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per section and day with several of its meetings; cost: those beyond the first."""
    grid = problem.grid
    on_day: dict[tuple[int, int], int] = {}
    for item in placed_meetings(problem, solution):
        key = (item.section, grid.day_of(item.start))
        on_day[key] = on_day.get(key, 0) + 1
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=meetings - 1,
            sections=(section,),
            message=f"{problem.sections[section].name} meets {meetings} times on {grid.days[day]}",
        )
        for (section, day), meetings in sorted(on_day.items())
        if meetings > 1
    ]


def post(view: LessonModelView) -> int:
    """Per section with a free meeting and day: its fixed meetings there plus its free ones, at most one."""
    problem, model = view.problem, view.model
    grid = problem.grid
    fixed: dict[tuple[int, int], int] = {}
    for item in view.fixed_meetings():
        key = (item.section, grid.day_of(item.start))
        fixed[key] = fixed.get(key, 0) + 1
    free: dict[tuple[int, int], list] = {}
    for meeting in view.free_meetings():
        section = problem.meetings[meeting].section
        for start, literal in view.start_literals(meeting).items():
            free.setdefault((section, grid.day_of(start)), []).append(literal)
    for key, literals in free.items():
        room_left = 1 - fixed.get(key, 0)
        if room_left <= 0:
            for literal in literals:
                model.add(literal == 0)
        elif len(literals) > 1:
            model.add_at_most_one(literals)
    return 0
