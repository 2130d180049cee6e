"""A panel holds only the commission's own members, on days they are available and the commission sits."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import person_name, sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "panel"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per outsider or unavailable person on a panel, and per panel with nothing to hear."""
    violations = []
    for (commission, day), members in sorted(solution.panel_of.items()):
        if commission >= len(problem.commissions) or day >= len(problem.days):
            violations.append(_violation(commission, day, (), "a panel of an unknown commission or day"))
            continue
        where = sitting_name(problem, commission, day)
        if (commission, day) not in solution.sittings:
            violations.append(_violation(commission, day, (), f"{where} has a panel but nothing to hear"))
        board = problem.commissions[commission]
        for person in sorted(members):
            if person >= len(problem.people):
                violations.append(_violation(commission, day, (person,), f"{where}: unknown person {person}"))
            elif person not in board.members:
                text = f"{where}: {person_name(problem, person)} is not a member"
                violations.append(_violation(commission, day, (person,), text))
            elif not problem.available(person, day):
                text = f"{where}: {person_name(problem, person)} is not available that day"
                violations.append(_violation(commission, day, (person,), text))
    return violations


def _violation(commission: int, day: int, people: tuple[int, ...], text: str) -> Violation:
    return Violation(
        constraint=NAME,
        hard=HARD,
        cost=1,
        commissions=(commission,),
        days=(day,),
        people=people,
        message=text,
    )


def post(view: AttestationModelView) -> int:
    # Presence exists only for available members; here it is tied to the sitting taking place.
    for sitting, sits in view.sits().items():
        for present in view.present(sitting).values():
            view.model.add_implication(present, sits)
    return 0
