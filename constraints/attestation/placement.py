"""Every defence and state exam is heard once, by a commission of its own programme (the one the
registrar's order names, when it names one)."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import hearing_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "placement"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per hearing left out, or placed before another programme's commission."""
    violations = []
    for hearing in problem.hearings:
        place = solution.places[hearing.index] if hearing.index < len(solution.places) else None
        if place is None:
            reason = "is not scheduled"
        elif place.commission >= len(problem.commissions) or place.day >= len(problem.days):
            reason = "is placed on an unknown commission or day"
        elif place.commission not in problem.candidates(hearing.index):
            named = problem.commissions[place.commission].name
            reason = f"is heard by {named}, not a commission it may go before"
        else:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                hearings=(hearing.index,),
                message=f"{hearing_name(problem, hearing.index)} {reason}",
            )
        )
    return violations


def post(view: AttestationModelView) -> int:
    for hearing in view.problem.hearings:
        view.model.add_exactly_one(view.heard(hearing.index).values())
    return 0
