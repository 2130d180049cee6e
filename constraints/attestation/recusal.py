"""A member never sits on the defence of a graduate they supervise or review, and the panel left
without them still has two thirds of the members and a chair or deputy to preside."""

from __future__ import annotations

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import hearing_name, sitting_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "recusal"
HARD = True


def weight(problem: AttestationProblem) -> int:
    return 1


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per hearing whose panel, less the recused members, lacks a quorum or a president."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        board = problem.commissions[commission]
        present = solution.panel_of.get((commission, day), frozenset()) & set(board.members)
        for hearing in hearings:
            recused = problem.hearings[hearing].recused & present
            if not recused:
                continue  # the sitting's own quorum rule judges it
            panel = present - recused
            if len(panel) >= board.quorum and panel & set(board.presidents):
                continue
            names = ", ".join(problem.people[p].name for p in sorted(recused))
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    hearings=(hearing,),
                    commissions=(commission,),
                    people=tuple(sorted(recused)),
                    days=(day,),
                    message=(
                        f"{hearing_name(problem, hearing)} before {sitting_name(problem, commission, day)}: "
                        f"without {names} (recused) {len(panel)} members remain, {board.quorum} needed"
                        + ("" if panel & set(board.presidents) else ", and no chair or deputy")
                    ),
                )
            )
    return violations


def post(view: AttestationModelView) -> int:
    problem = view.problem
    for sitting in view.sits():
        board = problem.commissions[sitting[0]]
        present = view.present(sitting)
        for hearing, heard in view.hearings_at(sitting):
            recused = problem.hearings[hearing].recused & set(present)
            if not recused:
                continue
            others = [lit for person, lit in present.items() if person not in recused]
            presidents = [present[p] for p in board.presidents if p in present and p not in recused]
            # Binding only when the hearing is heard with a recused member present; otherwise the
            # sitting's own quorum rule applies.
            for person in recused:
                view.model.add(sum(others) >= board.quorum * (heard + present[person] - 1))
                view.model.add(sum(presidents) >= heard + present[person] - 1)
    return 0
