"""A panel holds only the commission's own members, on days they are available and the commission
sits, and only members there until the sitting's last hearing ends (one who leaves at 13:00 can
sit only on a sitting over by then)."""

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
            elif (leaves := problem.people[person].leaves_at(day)) is not None and leaves < _end(
                problem, solution, commission, day
            ):
                text = f"{where}: {person_name(problem, person)} leaves before the sitting ends"
                violations.append(_violation(commission, day, (person,), text))
    return violations


def _end(problem: AttestationProblem, solution: AttestationSolution, commission: int, day: int) -> int:
    """The slot the sitting's last hearing ends at."""
    return max(
        (
            place.start + problem.hearings[hearing].slots
            for hearing in solution.sittings.get((commission, day), ())
            if (place := solution.places[hearing]) is not None
        ),
        default=0,
    )


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
    # Presence exists only for available members; here it is tied to the sitting taking place,
    # and a member who leaves during the day is there only if the (packed) hearings end by then.
    problem = view.problem
    for sitting, sits in view.sits().items():
        hearings = view.hearings_at(sitting)
        length = sum(problem.hearings[h].slots * heard for h, heard in hearings)
        for person, present in view.present(sitting).items():
            view.model.add_implication(present, sits)
            leaves = problem.people[person].leaves_at(sitting[1])
            if leaves is not None:
                view.model.add(length <= leaves).only_enforce_if(present)
    return 0
