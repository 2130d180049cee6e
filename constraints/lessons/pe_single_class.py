"""A student should not have a single class on a day."""

from __future__ import annotations

from constraints.lessons.pe_distance import event_places, slot_name, student_days
from models import LessonProblem, LessonSolution, Violation

NAME = "single class on a day"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation, cost 1, per student and day on which exactly one of their events is placed."""
    grid = problem.grid
    places = event_places(problem, solution)
    violations = []
    for student, days in sorted(student_days(problem, places).items()):
        for day, periods in sorted(days.items()):
            if len(periods) != 1:
                continue
            [(period, events)] = periods.items()
            if len(events) != 1:
                continue
            event, slot = events[0], grid.slot(day, period)
            place = places[event]
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(event,),
                    rooms=(place[1],) if place is not None else (),
                    periods=(slot,),
                    students=(student,),
                    message=(
                        f"Student {student} has a single class on {grid.days[day]}: "
                        f"event {event} in {slot_name(problem, slot)}"
                    ),
                )
            )
    return violations
