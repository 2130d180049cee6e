"""No student has two events in the same timeslot."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.wording import listing
from constraints.lessons.pe_distance import event_places, slot_name, weeks_with_free_events
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "student clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per student and timeslot holding several of their events; cost: the events
    beyond the first (a student with three events in one timeslot costs 2)."""
    places = event_places(problem, solution)
    violations = []
    for student, registered in sorted(problem.registrations.items()):
        by_slot: dict[int, list[tuple[int, int]]] = {}
        for event in dict.fromkeys(registered):
            place = places[event]
            if place is not None:
                by_slot.setdefault(place[0], []).append((event, place[1]))
        for slot, held in sorted(by_slot.items()):
            if len(held) < 2:
                continue
            events = tuple(event for event, _ in sorted(held))
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(events) - 1,
                    sections=events,
                    rooms=tuple(room for _, room in sorted(held)),
                    periods=(slot,),
                    students=(student,),
                    message=(
                        f"Student {student} has events {listing(events)} "
                        f"{'both' if len(events) == 2 else 'all'} in {slot_name(problem, slot)}"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> int:
    """Per student and timeslot, at most one of their free events; the model already keeps free
    events out of the timeslots their students' fixed events hold."""
    crowds: dict[tuple[int, frozenset[int]], list[cp_model.IntVar]] = {}  # students alike share one
    for free, _ in weeks_with_free_events(view):
        if len(free) < 2:
            continue
        by_slot: dict[int, dict[int, cp_model.IntVar]] = {}
        for meeting in free:
            for slot, literal in view.start_literals(meeting).items():
                by_slot.setdefault(slot, {})[meeting] = literal
        for slot, here in by_slot.items():
            if len(here) > 1:
                crowds[slot, frozenset(here)] = list(here.values())
    for literals in crowds.values():
        view.model.add_at_most_one(literals)
    return 0
