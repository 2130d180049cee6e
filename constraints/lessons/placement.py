"""Every meeting of every section has a start inside the week and a room."""

from __future__ import annotations

from constraints.lessons.timetable import placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "placement"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per meeting left out, or placed off the week or across a break."""
    placed = {item.meeting for item in placed_meetings(problem, solution)}
    violations = []
    for meeting in problem.meetings:
        if meeting.index in placed:
            continue
        section = problem.sections[meeting.section]
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(section.index,),
                message=f"Meeting {meeting.ordinal + 1} of {section.name} has no proper time and room",
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    return 0  # the model gives every free meeting exactly one of the places it may take
