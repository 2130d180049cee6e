"""A commission hears no more defences a day than its limit."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import sitting_name
from models import AttestationProblem, AttestationSolution, HearingKind, Violation

NAME = "daily limit"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per sitting over its commission's limit of defences."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        defences = tuple(h for h in hearings if problem.hearings[h].kind is HearingKind.DEFENCE)
        limit = problem.commissions[commission].max_defences_per_day
        if len(defences) > limit:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    hearings=defences,
                    commissions=(commission,),
                    days=(day,),
                    message=f"{sitting_name(problem, commission, day)} hears {len(defences)} defences, "
                    f"at most {limit} allowed",
                )
            )
    return violations


def post(view: AttestationModelView) -> int:
    for sitting in view.sits():
        limit = view.problem.commissions[sitting[0]].max_defences_per_day
        defences = [
            lit
            for h, lit in view.hearings_at(sitting)
            if view.problem.hearings[h].kind is HearingKind.DEFENCE
        ]
        if len(defences) > limit:
            view.model.add(sum(defences) <= limit)
    return 0
