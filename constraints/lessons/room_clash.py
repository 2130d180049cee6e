"""A room holds one meeting at a time."""

from __future__ import annotations

from constraints.lessons.posting import at_most_one_each
from constraints.lessons.timetable import crowding, placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "room clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per room and slot; cost: the meetings beyond the first."""
    held: dict[tuple[int, int], list[int]] = {}
    sections = {}
    for item in placed_meetings(problem, solution):
        sections[item.meeting] = item.section
        for slot in item.slots:
            held.setdefault((item.room, slot), []).append(item.meeting)
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=len(meetings) - 1,
            sections=tuple(sorted({sections[m] for m in meetings})),
            rooms=(room,),
            periods=(slot,),
            message=(
                f"Room {problem.rooms[room].name} holds {len(meetings)} meetings "
                f"at {slot_name(problem, slot)}: "
                + ", ".join(problem.sections[sections[m]].name for m in meetings)
            ),
        )
        for (room, slot), meetings in crowding(held)
    ]


def post(view: LessonModelView) -> int:
    held: dict[tuple[int, int], list] = {}  # (room, slot) -> placements holding it
    problem = view.problem
    for meeting in view.free_meetings():
        length = problem.meetings[meeting].length
        for (start, room), literal in view.placement_literals(meeting).items():
            for slot in range(start, start + length):
                held.setdefault((room, slot), []).append(literal)
    return at_most_one_each(view, held)
