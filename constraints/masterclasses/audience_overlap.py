"""Master classes sharing an audience do not overlap: each student expected at two at once costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.masterclasses.view import MasterClassModelView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "audience overlap"
HARD = False


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    """One violation per overlapping pair of master classes, costing the students they share."""
    violations = []
    for (first, second), shared in sorted(problem.shared_audience.items()):
        a, b = solution.starts[first], solution.starts[second]
        if a is None or b is None:
            continue
        if set(problem.slots_of(first, a)) & set(problem.slots_of(second, b)):
            names = f"{problem.classes[first].name} and {problem.classes[second].name}"
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=shared,
                    exams=(first, second),
                    message=f"{names} overlap; {shared} students are expected at both",
                )
            )
    return violations


def post(view: MasterClassModelView) -> cp_model.LinearExprT:
    model, problem = view.model, view.problem
    occupied: list[dict[int, list[cp_model.IntVar]]] = []
    for event in problem.classes:
        by_slot: dict[int, list[cp_model.IntVar]] = {}
        for (start, _), held in view.options(event.index).items():
            for slot in problem.slots_of(event.index, start):
                by_slot.setdefault(slot, []).append(held)
        occupied.append(by_slot)
    penalties = []
    for (first, second), shared in problem.shared_audience.items():
        both = []
        for slot in occupied[first].keys() & occupied[second].keys():
            together = model.new_bool_var(f"together[{first},{second},{slot}]")
            model.add(together >= sum(occupied[first][slot]) + sum(occupied[second][slot]) - 1)
            model.add(together <= sum(occupied[first][slot]))
            model.add(together <= sum(occupied[second][slot]))
            both.append(together)
        if both:
            overlap = model.new_bool_var(f"overlap[{first},{second}]")
            model.add_max_equality(overlap, both)
            penalties.append(shared * overlap)
    return sum(penalties, 0)
