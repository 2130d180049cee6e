"""Members sit on the days they prefer: each member present on another day costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import person_name, sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "preferred days"
HARD = False


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per member present on a day outside the days they prefer."""
    violations = []
    for (commission, day), members in sorted(solution.panel_of.items()):
        if commission >= len(problem.commissions):
            continue
        for person in sorted(members & set(problem.commissions[commission].members)):
            preferred = problem.people[person].preferred_days
            if preferred and day not in preferred:
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=1,
                        people=(person,),
                        commissions=(commission,),
                        days=(day,),
                        message=f"{person_name(problem, person)} sits with "
                        f"{sitting_name(problem, commission, day)}, "
                        "not a preferred day",
                    )
                )
    return violations


def post(view: AttestationModelView) -> cp_model.LinearExprT:
    people = view.problem.people
    return sum(
        (
            present
            for sitting in view.sits()
            for person, present in view.present(sitting).items()
            if people[person].preferred_days and sitting[1] not in people[person].preferred_days
        ),
        0,
    )
