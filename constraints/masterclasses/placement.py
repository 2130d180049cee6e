"""Each master class takes place once, inside one of the guest's windows, starting on the step."""

from __future__ import annotations

from constraints.masterclasses.view import MasterClassView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "placement"
HARD = True


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    violations = []
    for event, place in zip(problem.events, solution.places, strict=True):
        if place is None:
            reason = "has no time and hall"
        elif (place.day, place.start) not in problem.starts(event):
            reason = f"starts at minute {place.start} of day {place.day}, outside the guest's windows"
        elif place.hall >= len(problem.halls):
            reason = f"is in hall {place.hall}, which does not exist"
        else:
            continue
        violations.append(
            Violation(constraint=NAME, hard=HARD, cost=1, message=f"Master class {event.name} {reason}")
        )
    return violations


def post(view: MasterClassView) -> int:
    return 0  # the solver offers only starts inside the windows, exactly one of them taken
