"""A teacher there in both terms has about as many hours in each: the hours by which the two terms'
loads differ beyond a fifth of the teacher's target, summed over teachers."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import hours, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution, LoadTeacher

NAME = "term balance"
HARD = False
TOLERANCE = 5  # terms may differ by target / TOLERANCE hours at no cost


def weight(problem: LoadProblem) -> int:
    return 1


def tolerance(problem: LoadProblem, teacher: LoadTeacher) -> int:
    return problem.target(teacher) // TOLERANCE


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher whose terms differ by more than the tolerance, costing the excess."""
    first, second = solution.loads(problem, 1), solution.loads(problem, 2)
    violations = []
    for teacher in problem.teachers:
        allowed = tolerance(problem, teacher)
        one, two = first[teacher.index], second[teacher.index]
        excess = abs(one - two) - allowed
        if teacher.unavailable_terms or excess <= 0:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=excess,
                teachers=(teacher.index,),
                message=f"{teacher_words(problem, teacher.index)} has {hours(one)} in term 1 "
                f"and {hours(two)} in term 2, {hours(excess)} more apart than the "
                f"{hours(allowed)} allowed",
            )
        )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    excesses = []
    for teacher in view.problem.teachers:
        if teacher.unavailable_terms:
            continue
        reach = sum(view.problem.items[i].share for i in view.items_of(teacher.index))
        allowed = tolerance(view.problem, teacher)
        if reach <= allowed:
            continue
        excess = view.model.new_int_var(0, reach, f"term_excess[{teacher.index}]")
        between = view.load(teacher.index, 1) - view.load(teacher.index, 2)
        view.model.add(excess >= between - allowed)
        view.model.add(excess >= -between - allowed)
        excesses.append(excess)
    return sum(excesses)
