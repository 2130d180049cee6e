"""Each student of a master class's audience who has a class or an exam at some moment of it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.masterclasses.view import MasterClassView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "audience with a class then"
HARD = False


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    violations = []
    for event, place in zip(problem.events, solution.places, strict=True):
        if place is None:
            continue
        busy = problem.busy_students(event, place.day, place.start)
        if busy:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(busy),
                    students=tuple(busy),
                    message=f"{len(busy)} of the audience of {event.name} have a class or an exam then",
                )
            )
    return violations


def post(view: MasterClassView) -> cp_model.LinearExprT:
    terms = []
    for event in view.problem.events:
        priced: dict[tuple[int, int], int] = {}
        for day, start, _ in view.choices(event.index):
            if (day, start) not in priced:
                priced[day, start] = len(view.problem.busy_students(event, day, start))
        terms += [cost * view.start_literal(event.index, d, s) for (d, s), cost in priced.items() if cost]
    return sum(terms)
