"""Each teacher's year load lies between their minimum and their norm at their rate (never above
the contact-hour cap of a rate); the cost is the hours outside."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import hours, teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "load limits"
HARD = True


def weight(problem: LoadProblem) -> int:
    return 1


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per overloaded or underloaded teacher, costing the hours outside the limits."""
    violations = []
    for teacher, load in zip(problem.teachers, solution.loads(problem), strict=True):
        most = problem.maximum(teacher)
        if load > most:
            outside, words = load - most, f"overloaded: {hours(load)} against a norm of {hours(most)}"
        elif load < teacher.minimum:
            outside = teacher.minimum - load
            words = f"underloaded: {hours(load)} against a minimum of {hours(teacher.minimum)}"
        else:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=outside,
                teachers=(teacher.index,),
                message=f"{teacher_words(problem, teacher.index)} is {words}",
            )
        )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    problem = view.problem
    outside: list[cp_model.IntVar] = []
    for teacher in problem.teachers:
        load = view.load(teacher.index)
        most = problem.maximum(teacher)
        if NAME in view.relaxed:
            reach = sum(problem.items[i].share for i in view.items_of(teacher.index))
            over = view.model.new_int_var(0, reach, f"over[{teacher.index}]")
            under = view.model.new_int_var(0, teacher.minimum, f"under[{teacher.index}]")
            view.model.add(load - over <= most)
            view.model.add(load + under >= teacher.minimum)
            outside += [over, under]
        else:
            view.model.add_linear_constraint(load, teacher.minimum, most)
    return sum(outside)
