"""No event is in a timeslot it is not available in."""

from __future__ import annotations

from constraints.lessons.pe_distance import event_places, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "event availability"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per event in one of its forbidden timeslots."""
    violations = []
    for event, place in enumerate(event_places(problem, solution)):
        if place is None or place[0] not in problem.sections[event].forbidden_slots:
            continue
        slot, room = place
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(event,),
                rooms=(room,),
                periods=(slot,),
                message=f"Event {event} is in {slot_name(problem, slot)}, where it cannot take place",
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    return 0  # the model offers a free event only the timeslots it is available in
