"""A master class is held when its audience is free: each expected student with a lesson then costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.masterclasses.view import MasterClassModelView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "audience conflicts"
HARD = False


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    """One violation per master class whose audience has lessons at the time, costing the students."""
    violations = []
    for event, start in enumerate(solution.starts):
        if start is None:
            continue
        busy = problem.conflicts(event, start)
        if busy:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(busy),
                    exams=(event,),
                    students=busy,
                    periods=tuple(problem.slots_of(event, start)),
                    message=f"{len(busy)} of the audience of {problem.classes[event].name} "
                    "have a lesson then",
                )
            )
    return violations


def post(view: MasterClassModelView) -> cp_model.LinearExprT:
    problem = view.problem
    return sum(
        (
            len(problem.conflicts(event.index, start)) * held
            for event in problem.classes
            for (start, _), held in view.options(event.index).items()
        ),
        0,
    )
