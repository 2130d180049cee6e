"""A teacher teaches only courses and components they are qualified for, in a language they speak,
in a term they are there."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words, teacher_words, work_words
from models import Violation
from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher

NAME = "qualification"
HARD = True


def weight(problem: LoadProblem) -> int:
    return 1


def fault(item: LoadItem, teacher: LoadTeacher) -> str | None:
    """What is wrong with this teacher on this item, in the registrar's words (None: nothing)."""
    if not teacher.qualified(item.course, item.component):
        return f"is not qualified for {work_words(item)}"
    if item.language and item.language not in teacher.languages:
        return f"does not teach in {item.language}"
    if item.term in teacher.unavailable_terms:
        return f"is away in term {item.term}"
    return None


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher on an item they cannot teach (unknown teachers included)."""
    violations = []
    for item, given in zip(problem.items, solution.teachers, strict=False):
        for teacher in dict.fromkeys(given):
            if teacher >= len(problem.teachers):
                reason, who = "is not on the staff", f"teacher {teacher}"
            else:
                found = fault(item, problem.teachers[teacher])
                if found is None:
                    continue
                reason, who = found, teacher_words(problem, teacher)
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(item.index,),
                    teachers=(teacher,),
                    message=f"{who} teaches {item_words(item)} but {reason}",
                )
            )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    problem = view.problem
    breaches: list[cp_model.IntVar] = []
    for item in problem.items:
        for teacher, literal in view.assigned(item.index).items():
            if fault(item, problem.teachers[teacher]) is not None:
                if NAME in view.relaxed:
                    breaches.append(literal)
                else:
                    view.model.add(literal == 0)
    return sum(breaches)
