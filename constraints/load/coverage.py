"""Every item is taught by exactly as many different teachers as it needs (one, or its co-teachers)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "coverage"
HARD = True


def weight(problem: LoadProblem) -> int:
    return 1


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per item, costing the seats left empty or taken twice or too many."""
    violations = []
    for item in problem.items:
        given = solution.teachers[item.index] if item.index < len(solution.teachers) else ()
        distinct = len(set(given))
        wrong = abs(item.teachers - distinct) + (len(given) - distinct)
        if wrong:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=wrong,
                    sections=(item.index,),
                    teachers=tuple(sorted(set(given))),
                    message=f"{item_words(item)} needs {item.teachers} teacher(s) but has {distinct}",
                )
            )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    penalty: list[cp_model.LinearExprT] = []
    for item in view.problem.items:
        seats = sum(view.assigned(item.index).values())
        if NAME in view.relaxed:
            empty = view.model.new_int_var(0, item.teachers, f"empty_seats[{item.index}]")
            extra = view.model.new_int_var(0, len(view.assigned(item.index)), f"extra_teachers[{item.index}]")
            view.model.add(seats + empty - extra == item.teachers)
            penalty += [empty, extra]
        else:
            view.model.add(seats == item.teachers)
    return sum(penalty)
