"""A teacher teaches one meeting at a time."""

from __future__ import annotations

from constraints.lessons.posting import at_most_one_each, holding
from constraints.lessons.timetable import crowding, placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "teacher clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per teacher and slot; cost: the meetings beyond the first."""
    taught: dict[tuple[int, int], list[int]] = {}
    sections = {}
    for item in placed_meetings(problem, solution):
        sections[item.meeting] = item.section
        for teacher in problem.sections[item.section].teachers:
            for slot in item.slots:
                taught.setdefault((teacher, slot), []).append(item.meeting)
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=len(meetings) - 1,
            sections=tuple(sorted({sections[m] for m in meetings})),
            teachers=(teacher,),
            periods=(slot,),
            message=(
                f"{problem.teachers[teacher].name} is due at {len(meetings)} meetings at "
                f"{slot_name(problem, slot)}: "
                + ", ".join(problem.sections[sections[m]].name for m in meetings)
            ),
        )
        for (teacher, slot), meetings in crowding(taught)
    ]


def post(view: LessonModelView) -> int:
    problem = view.problem
    sections = problem.sections
    return at_most_one_each(
        view, holding(view, lambda meeting: sections[problem.meetings[meeting].section].teachers)
    )
