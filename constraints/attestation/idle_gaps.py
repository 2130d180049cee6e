"""A sitting runs without idle gaps: each idle slot between its first and last hearing costs one.

The solver packs every sitting's hearings one after another from its start, so its timetables
have no gaps and the CP-SAT model needs no term for them; the checker still prices timetables
made by hand or elsewhere.
"""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "idle gaps"
HARD = False


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per sitting with idle slots, costing their number."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        idle, busy_until = 0, None
        for hearing in hearings:
            place = solution.places[hearing]
            assert place is not None
            if busy_until is not None and place.start > busy_until:
                idle += place.start - busy_until
            end = place.start + problem.hearings[hearing].slots
            busy_until = end if busy_until is None else max(busy_until, end)
        if idle:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=idle,
                    commissions=(commission,),
                    days=(day,),
                    hearings=hearings,
                    message=f"{sitting_name(problem, commission, day)} waits {idle} idle slots "
                    "between hearings",
                )
            )
    return violations


def post(view: AttestationModelView) -> int:
    return 0
