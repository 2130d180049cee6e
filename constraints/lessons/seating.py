"""Every class is in a room that seats its whole section."""

from __future__ import annotations

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "seating"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting in a room too small; cost 1 each."""
    violations = []
    for item in placed_meetings(problem, solution):
        section, room = problem.sections[item.section], problem.rooms[item.room]
        if section.size <= room.capacity:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(section.index,),
                rooms=(room.index,),
                periods=(item.start,),
                message=(
                    f"{section.name} ({section.size} students) is in room {room.name} at "
                    f"{slot_name(problem, item.start)}, which seats {room.capacity}"
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    return 0  # the model offers a free meeting only rooms that seat its section
