"""A commission's sitting days are evenly filled: a day it sits hears at least two thirds of its
daily limit of defences (in hearings of any kind); each hearing short of that costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import sitting_name
from models import AttestationProblem, AttestationSolution, Commission, Violation

NAME = "balanced days"
HARD = False


def weight(problem: AttestationProblem) -> int:
    return 1


def least(commission: Commission) -> int:
    """Hearings a sitting day should hold at least."""
    return -(-2 * commission.max_defences_per_day // 3)


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per sitting day that hears fewer hearings than the commission's least."""
    violations = []
    for (commission, day), hearings in solution.sittings.items():
        short = least(problem.commissions[commission]) - len(hearings)
        if short > 0:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=short,
                    commissions=(commission,),
                    days=(day,),
                    hearings=hearings,
                    message=f"{sitting_name(problem, commission, day)} hears only {len(hearings)}, "
                    f"{short} short of {least(problem.commissions[commission])}",
                )
            )
    return violations


def post(view: AttestationModelView) -> cp_model.LinearExprT:
    model = view.model
    penalties = []
    for (commission, day), sits in view.sits().items():
        target = least(view.problem.commissions[commission])
        short = model.new_int_var(0, target, f"short_day[{commission},{day}]")
        load = sum(lit for _, lit in view.hearings_at((commission, day)))
        model.add_max_equality(short, [target * sits - load, 0])
        penalties.append(short)
    return sum(penalties)
