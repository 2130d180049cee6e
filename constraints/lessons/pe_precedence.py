"""An event that must come before another is in an earlier timeslot."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.pe_distance import event_places, free_meeting_of, slot_name
from constraints.lessons.view import LessonModelView
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


def post(view: LessonModelView) -> int:
    """Per BEFORE relation with a free event: the first event's timeslot is below the second's; a
    fixed event's timeslot is a constant, and an event left out binds nothing."""
    free = free_meeting_of(view)
    fixed = {item.section: item.start for item in view.fixed_meetings()}

    def slot_of(event: int) -> cp_model.LinearExprT:
        starts = view.start_literals(free[event])
        return cp_model.LinearExpr.weighted_sum(list(starts.values()), list(starts))

    for relation in view.problem.relations:
        first, second = relation.first, relation.second
        if relation.relation is not SectionRelation.BEFORE or not {first, second} & free.keys():
            continue
        if first in free and second in free:
            view.model.add(slot_of(first) < slot_of(second))
        elif first in free and second in fixed:
            view.model.add(slot_of(first) < fixed[second])
        elif second in free and first in fixed:
            view.model.add(slot_of(second) > fixed[first])
    return 0
