"""Teachers keep what they taught last year: each of last year's teachers no longer on an item
costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "changes from last year"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 3


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher of last year who no longer teaches the item."""
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=1,
            sections=(item.index,),
            teachers=(teacher,),
            message=f"{teacher_words(problem, teacher)} taught {item_words(item)} last year but not now",
        )
        for item, given in zip(problem.items, solution.teachers, strict=False)
        for teacher in dict.fromkeys(item.previous)
        if teacher not in given
    ]


def post(view: LoadModelView) -> cp_model.LinearExprT:
    changed: list[cp_model.LinearExprT] = []
    for item in view.problem.items:
        literals = view.assigned(item.index)
        for teacher in dict.fromkeys(item.previous):
            changed.append(1 - literals[teacher] if teacher in literals else 1)
    return sum(changed)
