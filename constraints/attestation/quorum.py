"""A commission sits only with two thirds of its members present, its chair or deputy among them."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "quorum"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per sitting short of two thirds, and per sitting with no chair or deputy."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        board = problem.commissions[commission]
        present = solution.panel_of.get((commission, day), frozenset()) & set(board.members)
        where = sitting_name(problem, commission, day)
        if len(present) < board.quorum:
            text = f"{where}: {len(present)} of {len(board.members)} members present, {board.quorum} needed"
            violations.append(_violation(commission, day, hearings, text))
        if not present & set(board.presidents):
            violations.append(
                _violation(commission, day, hearings, f"{where}: neither chair nor deputy present")
            )
    return violations


def _violation(commission: int, day: int, hearings: tuple[int, ...], text: str) -> Violation:
    return Violation(
        constraint=NAME,
        hard=HARD,
        cost=1,
        commissions=(commission,),
        days=(day,),
        hearings=hearings,
        message=text,
    )


def post(view: AttestationModelView) -> int:
    for (commission, day), sits in view.sits().items():
        board = view.problem.commissions[commission]
        present = view.present((commission, day))
        view.model.add(sum(present.values()) >= board.quorum * sits)
        view.model.add(sum(present.get(p, 0) for p in board.presidents) >= sits)
    return 0
