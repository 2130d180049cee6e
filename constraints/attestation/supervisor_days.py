"""A supervisor's graduates defend on the same day: each extra day a supervisor must come costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.attestation.view import AttestationModelView
from constraints.attestation.wording import person_name
from models import AttestationProblem, AttestationSolution, Violation

NAME = "supervisor days"
HARD = False


def weight(problem: AttestationProblem) -> int:
    return 2


def count(problem: AttestationProblem, solution: AttestationSolution) -> list[Violation]:
    """One violation per supervisor whose graduates defend on more than one day."""
    violations = []
    for person, hearings in sorted(problem.supervised.items()):
        days = sorted({place.day for h in hearings if (place := solution.places[h]) is not None})
        if len(days) < 2:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(days) - 1,
                people=(person,),
                hearings=hearings,
                days=tuple(days),
                message=f"{person_name(problem, person)}'s {len(hearings)} graduates defend "
                f"on {len(days)} days",
            )
        )
    return violations


def post(view: AttestationModelView) -> cp_model.LinearExprT:
    model = view.model
    penalties = []
    for person, hearings in view.problem.supervised.items():
        if len(hearings) < 2:
            continue
        on_day: dict[int, list[cp_model.IntVar]] = {}
        for hearing in hearings:
            for (_, day), heard in view.heard(hearing).items():
                on_day.setdefault(day, []).append(heard)
        if len(on_day) < 2:
            continue
        days_used = []
        for day, defences in on_day.items():
            used = model.new_bool_var(f"supervisor_day[{person},{day}]")
            for heard in defences:
                model.add_implication(heard, used)
            model.add(sum(defences) >= used)
            days_used.append(used)
        extra = model.new_int_var(0, len(days_used) - 1, f"supervisor_extra_days[{person}]")
        model.add_max_equality(extra, [sum(days_used) - 1, 0])
        penalties.append(extra)
    return sum(penalties)
