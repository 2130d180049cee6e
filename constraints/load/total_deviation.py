"""Each teacher's load is close to their target: the hours above or below it, summed over teachers."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import hours, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "total deviation"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 1


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher off target, costing the hours between load and target."""
    violations = []
    for teacher, load in zip(problem.teachers, solution.loads(problem), strict=True):
        target = problem.target(teacher)
        if load != target:
            side = "above" if load > target else "below"
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=abs(load - target),
                    teachers=(teacher.index,),
                    message=f"{teacher_words(problem, teacher.index)} has {hours(load)}, "
                    f"{hours(abs(load - target))} {side} the target of {hours(target)}",
                )
            )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    problem = view.problem
    gaps = []
    for teacher in problem.teachers:
        target = problem.target(teacher)
        most = sum(problem.items[i].share for i in view.items_of(teacher.index))
        load = view.load(teacher.index)
        if most <= target:
            gaps.append(target - load)  # the load can never pass the target: no variable needed
            continue
        gap = view.model.new_int_var(0, max(target, most), f"deviation[{teacher.index}]")
        view.model.add(gap >= load - target)
        view.model.add(gap >= target - load)
        gaps.append(gap)
    return sum(gaps)
