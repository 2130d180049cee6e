"""A section's meetings are spread over the week: two of them on consecutive days is bad.

Each pair of a section's meetings on adjacent days (day d and day d + 1 of the grid; the week does
not wrap round) costs 1. Two meetings on the same day cost nothing here: that is a hard fault
another rule reports.
"""

from __future__ import annotations

from itertools import combinations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import Placed, placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "badly spread meetings"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per pair of a section's meetings on adjacent days; cost 1 each."""
    grid = problem.grid
    by_section: dict[int, list[Placed]] = {}
    for item in placed_meetings(problem, solution):
        by_section.setdefault(item.section, []).append(item)
    violations = []
    for section_index, items in sorted(by_section.items()):
        section = problem.sections[section_index]
        taught_by = ", ".join(problem.teachers[t].name for t in section.teachers)
        for first, second in combinations(sorted(items, key=lambda item: item.start), 2):
            if grid.day_of(second.start) - grid.day_of(first.start) != 1:
                continue
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(section.index,),
                    teachers=tuple(sorted(set(section.teachers))),
                    rooms=tuple(sorted({first.room, second.room})),
                    periods=(first.start, second.start),
                    message=(
                        f"{section.name}{f' (taught by {taught_by})' if taught_by else ''} meets on "
                        f"consecutive days: {slot_name(problem, first.start)} in room "
                        f"{problem.rooms[first.room].name} and {slot_name(problem, second.start)} in "
                        f"room {problem.rooms[second.room].name}"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per section with a free meeting: its pairs on adjacent days that involve a free meeting.

    A free meeting against a fixed one is linear in the free meeting's day; two free meetings
    share a Boolean that is forced up when they land on adjacent days (the objective keeps it
    down otherwise).
    """
    problem, model = view.problem, view.model
    grid = problem.grid
    free_by_section: dict[int, list[int]] = {}
    for meeting in view.free_meetings():
        section = problem.meetings[meeting].section
        if len(problem.sections[section].meetings) > 1:
            free_by_section.setdefault(section, []).append(meeting)
    fixed_days: dict[int, list[int]] = {}
    for item in view.fixed_meetings():
        if item.section in free_by_section:
            fixed_days.setdefault(item.section, []).append(grid.day_of(item.start))
    terms: list[cp_model.LinearExprT] = []
    for section, meetings in free_by_section.items():
        on_day: dict[int, dict[int, list[cp_model.IntVar]]] = {}  # meeting -> day -> start literals
        for meeting in meetings:
            days = on_day.setdefault(meeting, {})
            for start, literal in view.start_literals(meeting).items():
                days.setdefault(grid.day_of(start), []).append(literal)
        for meeting in meetings:
            for fixed_day in fixed_days.get(section, ()):
                for day in (fixed_day - 1, fixed_day + 1):
                    terms.extend(on_day[meeting].get(day, ()))
        for first, second in combinations(meetings, 2):
            adjacent = None
            for day, literals in on_day[first].items():
                next_to = on_day[second].get(day - 1, []) + on_day[second].get(day + 1, [])
                if not next_to:
                    continue
                if adjacent is None:
                    adjacent = model.new_bool_var(f"adjacent_days[{first},{second}]")
                # at most one of next_to holds: the second meeting has exactly one start
                model.add(adjacent >= sum(literals) + sum(next_to) - 1)
            if adjacent is not None:
                terms.append(adjacent)
    return cp_model.LinearExpr.sum(terms)
