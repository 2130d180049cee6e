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
    problem = view.problem
    prepares: dict[tuple[int, str], cp_model.IntVar] = {}
    course_hours: dict[str, int] = defaultdict(int)
    reachable: dict[tuple[int, str], int] = defaultdict(int)  # hours of the course a teacher could take
    for item in problem.items:
        if not item.is_class:
            continue
        course_hours[item.course] += item.hours
        for teacher, literal in view.assigned(item.index).items():
            key = (teacher, item.course)
            if key not in prepares:
                prepares[key] = view.model.new_bool_var(f"prepares[{teacher},{item.course}]")
            view.model.add_implication(literal, prepares[key])
            reachable[key] += item.share
    # Redundant, for the bound: a course's hours need enough teachers preparing it to give them.
    by_course: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (teacher, course), literal in prepares.items():
        capacity = min(reachable[teacher, course], problem.maximum(problem.teachers[teacher]))
        by_course[course].append((capacity, literal))
    for course, options in by_course.items():
        if "coverage" in view.relaxed:  # hours may then go untaught
            break
        view.model.add(sum(capacity * literal for capacity, literal in options) >= course_hours[course])
    return sum(prepares.values())
