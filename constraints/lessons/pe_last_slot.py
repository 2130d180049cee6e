"""A student should not have a class in the last timeslot of a day."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.pe_distance import event_places, slot_name, students_named
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "last slot of day"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per event in the last timeslot of a day; cost: the students attending it."""
    last = problem.grid.periods_per_day - 1
    violations = []
    for event, place in enumerate(event_places(problem, solution)):
        students = problem.students_of[event]
        if place is None or problem.grid.period_of(place[0]) != last or not students:
            continue
        slot, room = place
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(students),
                sections=(event,),
                rooms=(room,),
                periods=(slot,),
                students=students,
                message=(
                    f"Event {event} is in {slot_name(problem, slot)}, the last of the day, "
                    f"for its {students_named(students)}"
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per free event: its students, if it starts in the last timeslot of a day."""
    problem = view.problem
    last = problem.grid.periods_per_day - 1
    terms = []
    for meeting in view.free_meetings():
        students = len(problem.students_of[problem.meetings[meeting].section])
        for slot, literal in view.start_literals(meeting).items():
            if students and problem.grid.period_of(slot) == last:
                terms.append(students * literal)
    return cp_model.LinearExpr.sum(terms)
