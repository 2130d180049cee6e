"""A room hosts at most one commission's sitting a day."""

from __future__ import annotations

from constraints.attestation.booking import clashes, once_a_day
from constraints.attestation.view import AttestationModelView
from models import AttestationProblem, AttestationSolution, Violation

NAME = "room double booking"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per room and day, costing the sittings beyond the first."""
    sittings = (
        (place.room, place.day, place.commission)
        for place in solution.places[: len(problem.hearings)]
        if place is not None and place.room < len(problem.rooms)
    )
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=len(commissions) - 1,
            rooms=(room,),
            commissions=commissions,
            days=(day,),
            message=f"room {problem.rooms[room].name} hosts {names} on {problem.days[day].date.isoformat()}",
        )
        for room, day, commissions, names in clashes(problem, sittings)
    ]


def post(view: AttestationModelView) -> int:
    once_a_day(
        view.model,
        ((room, sitting[1], held) for sitting in view.sits() for room, held in view.rooms(sitting).items()),
    )
    return 0
