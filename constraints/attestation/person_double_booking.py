"""A person sits on at most one commission's panel a day."""

from __future__ import annotations

from constraints.attestation.booking import clashes, once_a_day
from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import person_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "person double booking"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per person and day, costing the panels beyond the first."""
    panels = (
        (person, day, commission)
        for (commission, day), members in solution.panel_of.items()
        for person in members
        if person < len(problem.people)
    )
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=len(commissions) - 1,
            people=(person,),
            commissions=commissions,
            days=(day,),
            message=f"{person_name(problem, person)} sits on {names} on {problem.days[day].date.isoformat()}",
        )
        for person, day, commissions, names in clashes(problem, panels)
    ]


def post(view: AttestationModelView) -> int:
    once_a_day(
        view.model,
        (
            (person, sitting[1], present)
            for sitting in view.sits()
            for person, present in view.present(sitting).items()
        ),
    )
    return 0
