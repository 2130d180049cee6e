"""How attestation violations name their entities: commissions, days, people and hearings."""

from __future__ import annotations

from models import AttestationProblem


def sitting_name(problem: AttestationProblem, commission: int, day: int) -> str:
    return f"commission {problem.commissions[commission].name} on {problem.days[day].date.isoformat()}"


def person_name(problem: AttestationProblem, person: int) -> str:
    return problem.people[person].name


def hearing_name(problem: AttestationProblem, hearing: int) -> str:
    return problem.hearings[hearing].name
