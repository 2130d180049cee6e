"""A hall hosts one master class at a time."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.masterclasses.view import MasterClassModelView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "hall clash"
HARD = True


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    """One violation per pair of master classes overlapping in a hall."""
    violations = []
    placed = [
        (event, start, hall)
        for event, (start, hall) in enumerate(zip(solution.starts, solution.halls, strict=True))
        if start is not None and hall is not None
    ]
    for position, (first, start, hall) in enumerate(placed):
        for second, other_start, other_hall in placed[position + 1 :]:
            overlap = set(problem.slots_of(first, start)) & set(problem.slots_of(second, other_start))
            if hall == other_hall and overlap:
                names = f"{problem.classes[first].name} and {problem.classes[second].name}"
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=1,
                        exams=(first, second),
                        rooms=(hall,),
                        periods=tuple(sorted(overlap)),
                        message=f"{names} are both in hall {problem.halls[hall].name}",
                    )
                )
    return violations


def post(view: MasterClassModelView) -> int:
    covering: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for event in view.problem.classes:
        for (start, hall), held in view.options(event.index).items():
            for slot in view.problem.slots_of(event.index, start):
                covering.setdefault((hall, slot), []).append(held)
    for options in covering.values():
        if len(options) > 1:
            view.model.add_at_most_one(options)
    return 0
