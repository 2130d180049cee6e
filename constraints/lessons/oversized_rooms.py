"""A small section should not be given a big hall: a room more than twice its size and at least 20
seats larger wastes the hall.

Each meeting in such a room costs 1.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonRoom, LessonSolution, Section, Violation

NAME = "small section in a big hall"
HARD = False

SPARE_SEATS = 20  # below this many empty seats a room is never too big


def weight(problem: LessonProblem) -> int:
    return 1


def too_big(room: LessonRoom, section: Section) -> bool:
    return room.capacity > 2 * section.size and room.capacity - section.size >= SPARE_SEATS


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting in a room too big for its section; cost 1 each."""
    violations = []
    for item in placed_meetings(problem, solution):
        section, room = problem.sections[item.section], problem.rooms[item.room]
        if not too_big(room, section):
            continue
        taught_by = ", ".join(problem.teachers[t].name for t in section.teachers)
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(section.index,),
                teachers=tuple(sorted(set(section.teachers))),
                rooms=(room.index,),
                periods=(item.start,),
                message=(
                    f"{section.name}{f' (taught by {taught_by})' if taught_by else ''}, "
                    f"{section.size} students, is in room {room.name} seating {room.capacity} "
                    f"at {slot_name(problem, item.start)}"
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """The free meetings' placements in rooms too big for them (fixed meetings are constant)."""
    problem = view.problem
    terms: list[cp_model.IntVar] = []
    for meeting in view.free_meetings():
        section = problem.sections[problem.meetings[meeting].section]
        big = {room.index for room in problem.rooms if too_big(room, section)}
        if not big:
            continue
        terms.extend(
            literal for (_, room), literal in view.placement_literals(meeting).items() if room in big
        )
    return cp_model.LinearExpr.sum(terms)
