"""An event that must come before another is in an earlier timeslot."""

from __future__ import annotations

from constraints.lessons.pe_distance import event_places, slot_name
from models import LessonProblem, LessonSolution, SectionRelation, Violation

NAME = "precedence"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per BEFORE relation whose events are both placed, the first not earlier."""
    places = event_places(problem, solution)
    violations = []
    for relation in problem.relations:
        if relation.relation is not SectionRelation.BEFORE:
            continue
        first, second = relation.first, relation.second
        here, there = places[first], places[second]
        if here is None or there is None or here[0] < there[0]:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(first, second),
                rooms=(here[1], there[1]),
                periods=(here[0], there[0]),
                message=(
                    f"Event {first} must come before event {second}, but event {first} is in "
                    f"{slot_name(problem, here[0])} and event {second} in {slot_name(problem, there[0])}"
                ),
            )
        )
    return violations
