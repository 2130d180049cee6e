"""Every event is in a room that seats all its students and has every feature it needs."""

from __future__ import annotations

from constraints.lessons.pe_distance import event_places, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "room suitability"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def _features(names: frozenset[str]) -> str:
    ordered = sorted(names, key=lambda name: (len(name), name))  # "2" before "10"
    return ("feature " if len(ordered) == 1 else "features ") + ", ".join(ordered)


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per event in a room too small for it, lacking a feature it needs, or both."""
    violations = []
    for event, place in enumerate(event_places(problem, solution)):
        if place is None:
            continue
        slot, room_index = place
        section, room = problem.sections[event], problem.rooms[room_index]
        lacking = section.features - room.features
        faults = []
        if section.size > room.capacity:
            faults.append(f"seats {room.capacity} of its {section.size} students")
        if lacking:
            faults.append(f"lacks {_features(lacking)}")
        if not faults:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(event,),
                rooms=(room_index,),
                periods=(slot,),
                students=problem.students_of[event],
                message=(
                    f"Event {event} is in room {room_index} in {slot_name(problem, slot)}, "
                    f"which {' and '.join(faults)}"
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    return 0  # the model offers a free event only rooms that seat its students and have its features
