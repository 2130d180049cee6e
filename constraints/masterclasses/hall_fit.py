"""A master class's hall seats its audience, has the features it asks for and is of its kind."""

from __future__ import annotations

from constraints.masterclasses.view import MasterClassView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "hall fit"
HARD = True


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    violations = []
    for event, place in zip(problem.events, solution.places, strict=True):
        if place is None or place.hall >= len(problem.halls):
            continue
        hall = problem.halls[place.hall]
        if not problem.fits(event, hall):
            missing = ", ".join(sorted(event.features - hall.features))
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    rooms=(hall.index,),
                    message=(
                        f"{hall.name} ({hall.capacity} seats, {hall.kind or 'any kind'}"
                        f"{', no ' + missing if missing else ''}) does not fit master class {event.name} "
                        f"({event.seats} seats{', ' + event.hall_kind if event.hall_kind else ''})"
                    ),
                )
            )
    return violations


def post(view: MasterClassView) -> int:
    for event in view.problem.events:
        for (_, _, hall), literal in view.choices(event.index).items():
            if not view.problem.fits(event, view.problem.halls[hall]):
                view.model.add(literal == 0)
    return 0
