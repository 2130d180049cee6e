"""A meeting's students all find a seat in its room; each student without one costs."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "room capacity"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting in too small a room; cost: the students beyond its seats."""
    violations = []
    for item in placed_meetings(problem, solution):
        section, room = problem.sections[item.section], problem.rooms[item.room]
        short = section.size - room.capacity
        if short > 0:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=short,
                    sections=(section.index,),
                    rooms=(room.index,),
                    periods=(item.start,),
                    message=(
                        f"{section.name} ({section.size} students) meets in room {room.name} "
                        f"({room.capacity} seats) at {slot_name(problem, item.start)}"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    problem = view.problem
    terms = []
    for meeting in view.free_meetings():
        size = problem.sections[problem.meetings[meeting].section].size
        for (_, room), literal in view.placement_literals(meeting).items():
            short = size - problem.rooms[room].capacity
            if short > 0:
                terms.append(short * literal)
    return sum(terms)
