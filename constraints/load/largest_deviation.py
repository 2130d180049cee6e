"""The largest gap between any teacher's load and their target is as small as possible (in hours).

Its default weight, one more than the number of teachers, puts it first: an hour off the largest
gap is worth more than an hour off every teacher's gap.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import hours, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "largest deviation"
HARD = False


def weight(problem: LoadProblem) -> int:
    return len(problem.teachers) + 1


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation naming the teacher furthest from target, costing that many hours."""
    gaps = [
        (abs(load - problem.target(teacher)), teacher.index)
        for teacher, load in zip(problem.teachers, solution.loads(problem), strict=True)
    ]
    gap, teacher = max(gaps, default=(0, 0))
    if not gap:
        return []
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=gap,
            teachers=(teacher,),
            message=f"{teacher_words(problem, teacher)} is {hours(gap)} from target, the most of anyone",
        )
    ]


def post(view: LoadModelView) -> cp_model.LinearExprT:
    problem = view.problem
    widest = max(
        [
            problem.target(t) + sum(problem.items[i].share for i in view.items_of(t.index))
            for t in problem.teachers
        ],
        default=0,
    )
    largest = view.model.new_int_var(0, widest, "largest_deviation")
    for teacher in problem.teachers:
        gap = view.load(teacher.index) - problem.target(teacher)
        view.model.add(largest >= gap)
        view.model.add(largest >= -gap)
    return largest
