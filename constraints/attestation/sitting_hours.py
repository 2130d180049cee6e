"""A commission hears one defence or exam at a time, all within the sitting hours of the day."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import hearing_name, sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "sitting hours"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per hearing running past the sitting, and per pair of hearings overlapping."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        where = sitting_name(problem, commission, day)
        ends = 0
        previous: int | None = None
        for hearing in hearings:
            place = solution.places[hearing]
            assert place is not None
            length = problem.hearings[hearing].slots
            if place.start + length > problem.days[day].slots:
                violations.append(
                    _violation(problem, (hearing,), day, f"runs past the end of the sitting of {where}")
                )
            if previous is not None and place.start < ends:
                violations.append(
                    _violation(problem, (previous, hearing), day, f"overlap in the sitting of {where}")
                )
            if place.start + length > ends:
                ends, previous = place.start + length, hearing
    return violations


def _violation(problem: AttestationProblem, hearings: tuple[int, ...], day: int, text: str) -> Violation:
    names = " and ".join(hearing_name(problem, hearing) for hearing in hearings)
    return Violation(
        constraint=NAME, hard=HARD, cost=1, hearings=hearings, days=(day,), message=f"{names} {text}"
    )


def post(view: AttestationModelView) -> int:
    # Hearings are packed one after another, so a sitting fits when their lengths fit.
    for (commission, day), sits in view.sits().items():
        hearings = view.hearings_at((commission, day))
        length = view.problem.days[day].slots
        if sum(view.problem.hearings[h].slots for h, _ in hearings) > length:
            view.model.add(sum(view.problem.hearings[h].slots * lit for h, lit in hearings) <= length * sits)
    return 0
