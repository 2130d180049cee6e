"""A teacher prepares few different courses: each course a teacher gives any class of costs one."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "courses prepared"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 10


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per teacher giving classes, costing the number of courses they prepare."""
    courses: dict[int, set[str]] = defaultdict(set)
    for item, given in zip(problem.items, solution.teachers, strict=False):
        if item.is_class:
            for teacher in given:
                courses[teacher].add(item.course)
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=len(prepared),
            teachers=(teacher,),
            message=f"{teacher_words(problem, teacher)} prepares {len(prepared)} course(s): "
            + ", ".join(sorted(prepared)),
        )
        for teacher, prepared in sorted(courses.items())
        if teacher < len(problem.teachers)
    ]


def post(view: LoadModelView) -> cp_model.LinearExprT:
    prepares: dict[tuple[int, str], cp_model.IntVar] = {}
    hours: dict[tuple[int, str], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for item in view.problem.items:
        if not item.is_class:
            continue
        for teacher, literal in view.assigned(item.index).items():
            key = (teacher, item.course)
            if key not in prepares:
                prepares[key] = view.model.new_bool_var(f"prepares[{teacher},{item.course}]")
            view.model.add_implication(literal, prepares[key])
            hours[key].append((item.share, literal))
    # Redundant, for the bound: the hours a teacher gives of a course need them to prepare it, and a
    # teacher who must have more class hours than their best courses hold prepares more courses.
    courses_of: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (teacher, course), taught in hours.items():
        most = sum(share for share, _ in taught)
        view.model.add(sum(share * literal for share, literal in taught) <= most * prepares[teacher, course])
        courses_of[teacher].append((most, prepares[teacher, course]))
    for teacher, courses in courses_of.items():
        items = view.problem.items
        other = sum(items[i].share for i in view.items_of(teacher) if not items[i].is_class)
        needed = view.least_load(teacher) - other
        ranked = sorted((most for most, _ in courses), reverse=True)
        fewest = next((k for k in range(1, len(ranked) + 1) if sum(ranked[:k]) >= needed), len(ranked))
        if needed > 0:
            view.model.add(sum(literal for _, literal in courses) >= fewest)
    return sum(prepares.values())
