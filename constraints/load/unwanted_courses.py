"""A teacher is not given a course they asked not to teach: each such item costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "unwanted courses"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 50


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher on an item of a course they do not want."""
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=1,
            sections=(item.index,),
            teachers=(teacher,),
            message=f"{teacher_words(problem, teacher)} asked not to teach {item.course} "
            f"but has {item_words(item)}",
        )
        for item, given in zip(problem.items, solution.teachers, strict=False)
        for teacher in dict.fromkeys(given)
        if teacher < len(problem.teachers) and item.course in problem.teachers[teacher].unwanted
    ]


def post(view: LoadModelView) -> cp_model.LinearExprT:
    teachers = view.problem.teachers
    return sum(
        literal
        for item in view.problem.items
        for teacher, literal in view.assigned(item.index).items()
        if item.course in teachers[teacher].unwanted
    )
