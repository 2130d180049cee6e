"""A commission sits in one room all day, a room free of exams that day with seats for its graduates."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "sitting room"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per sitting spread over rooms, and per hearing in an unfit or unknown room."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        where = sitting_name(problem, commission, day)
        rooms = sorted({place.room for h in hearings if (place := solution.places[h]) is not None})
        if len(rooms) > 1:
            violations.append(_violation(hearings, tuple(rooms), day, f"{where} uses {len(rooms)} rooms"))
        for hearing in hearings:
            room = solution.places[hearing].room  # type: ignore[union-attr]
            name = problem.hearings[hearing].name
            if room >= len(problem.rooms):
                violations.append(_violation((hearing,), (), day, f"{name} is in an unknown room {room}"))
            elif day in problem.rooms[room].unavailable_days:
                text = f"{name} is in room {problem.rooms[room].name}, not free on that day"
                violations.append(_violation((hearing,), (room,), day, text))
            elif problem.rooms[room].capacity < problem.hearings[hearing].students:
                text = (
                    f"{name} seats {problem.hearings[hearing].students} graduates in room "
                    f"{problem.rooms[room].name} of {problem.rooms[room].capacity}"
                )
                violations.append(_violation((hearing,), (room,), day, text))
    return violations


def _violation(hearings: tuple[int, ...], rooms: tuple[int, ...], day: int, text: str) -> Violation:
    return Violation(
        constraint=NAME, hard=HARD, cost=1, hearings=hearings, rooms=rooms, days=(day,), message=text
    )


def post(view: AttestationModelView) -> int:
    problem = view.problem
    for sitting, sits in view.sits().items():
        rooms = view.rooms(sitting)
        view.model.add(sum(rooms.values()) == sits)
        for hearing, heard in view.hearings_at(sitting):
            seats = problem.hearings[hearing].students
            if any(problem.rooms[room].capacity < seats for room in rooms):
                fitting = [lit for room, lit in rooms.items() if problem.rooms[room].capacity >= seats]
                view.model.add(sum(fitting) >= heard)
    return 0
