"""A teacher fixed on an item by the department teaches it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "fixed assignments"
HARD = True


def weight(problem: LoadProblem) -> int:
    return 1


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per fixed teacher missing from their item."""
    violations = []
    for item in problem.items:
        given = solution.teachers[item.index] if item.index < len(solution.teachers) else ()
        for teacher in dict.fromkeys(item.fixed):
            if teacher not in given:
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=1,
                        sections=(item.index,),
                        teachers=(teacher,),
                        message=f"{teacher_words(problem, teacher)} is fixed on {item_words(item)} "
                        "but does not teach it",
                    )
                )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    missing: list[cp_model.LinearExprT] = []
    for item in view.problem.items:
        literals = view.assigned(item.index)
        for teacher in dict.fromkeys(item.fixed):
            if NAME in view.relaxed:
                missing.append(1 - literals[teacher])
            else:
                view.model.add(literals[teacher] == 1)
    return sum(missing)
