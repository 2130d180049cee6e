"""A teacher gets the courses they asked for: each wanted course they could teach but give no
class of costs one."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import teacher_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "wanted courses"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 5


def _open_wishes(problem: LoadProblem) -> dict[tuple[int, str], list[int]]:
    """(teacher, wanted course) -> the items of that course the teacher can teach."""
    wishes: dict[tuple[int, str], list[int]] = defaultdict(list)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        for teacher in candidates:
            person = problem.teachers[teacher]
            if item.course in person.wanted and problem.can_teach(person, item):
                wishes[teacher, item.course].append(item.index)
    return wishes


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per wish left unmet."""
    return [
        Violation(
            constraint=NAME,
            hard=HARD,
            cost=1,
            sections=tuple(items),
            teachers=(teacher,),
            message=f"{teacher_words(problem, teacher)} asked for {course} but teaches none of it",
        )
        for (teacher, course), items in sorted(_open_wishes(problem).items())
        if not any(teacher in solution.teachers[item] for item in items if item < len(solution.teachers))
    ]


def post(view: LoadModelView) -> cp_model.LinearExprT:
    unmet = []
    for (teacher, course), items in _open_wishes(view.problem).items():
        met = view.model.new_bool_var(f"wish_met[{teacher},{course}]")
        view.model.add(met <= sum(view.assigned(item)[teacher] for item in items))
        unmet.append(1 - met)
    return sum(unmet)
