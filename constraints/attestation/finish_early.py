"""The attestation finishes early: each commission's last sitting costs its day's number (0 the first)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.attestation.view import AttestationModelView
from models import AttestationProblem, AttestationSolution, Violation

NAME = "finish early"
HARD = False


def weight(problem: AttestationProblem) -> int:
    return 3


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per commission sitting after the first day, costing its last day's number."""
    last: dict[int, int] = {}
    for commission, day in solution.sittings:
        last[commission] = max(day, last.get(commission, 0))
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=day,
            commissions=(commission,),
            days=(day,),
            message=f"commission {problem.commissions[commission].name} last sits on "
            f"{problem.days[day].date.isoformat()}, day {day + 1} of the attestation",
        )
        for commission, day in sorted(last.items())
        if day > 0
    ]


def post(view: AttestationModelView) -> cp_model.LinearExprT:
    model = view.model
    by_commission: dict[int, dict[int, cp_model.IntVar]] = {}
    for (commission, day), sits in view.sits().items():
        by_commission.setdefault(commission, {})[day] = sits
    penalties = []
    for commission, sittings in by_commission.items():
        # The last day as the number of days from which the commission still sits: this unary
        # form keeps the bound tight, as sitting on k days then ends no earlier than the k-th.
        later: cp_model.IntVar | None = None
        for day in sorted(sittings, reverse=True):
            if day == 0:
                break
            sits_from = model.new_bool_var(f"sits_from[{commission},{day}]")
            model.add_implication(sittings[day], sits_from)
            if later is None:
                model.add_implication(sits_from, sittings[day])
            else:
                model.add_implication(later, sits_from)
                model.add_bool_or([later, sittings[day], sits_from.negated()])
            later = sits_from
            penalties.append(sits_from)
    return sum(penalties)
