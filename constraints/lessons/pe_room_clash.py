"""No two events share a room in the same timeslot."""

from __future__ import annotations

from itertools import combinations

from constraints.lessons import room_clash
from constraints.lessons.pe_distance import event_places, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "room clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per pair of events in the same room and timeslot (three events make three)."""
    held: dict[tuple[int, int], list[int]] = {}
    for event, place in enumerate(event_places(problem, solution)):
        if place is not None:
            held.setdefault(place, []).append(event)
    violations = []
    for (slot, room), events in sorted(held.items()):
        for first, second in combinations(events, 2):
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(first, second),
                    rooms=(room,),
                    periods=(slot,),
                    message=(
                        f"Events {first} and {second} are both in room {room} in {slot_name(problem, slot)}"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> int:
    # the lesson rule, counted per pair here but feasible in the same timetables; the model
    # already keeps free events out of the rooms fixed ones hold
    return room_clash.post(view)
