"""A lecturer also teaches in their stream: each lecture whose teachers give none of its practices
or labs costs one."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.load.view import LoadModelView
from constraints.load.wording import item_words
from models import Violation
from models.load import LoadProblem, LoadSolution

NAME = "lecture and practice split"
HARD = False


def weight(problem: LoadProblem) -> int:
    return 5


def count(problem: LoadProblem, solution: LoadSolution) -> list[Violation]:
    """One violation per lecture none of whose teachers teaches a practice or lab of its stream."""
    violations = []
    for lecture, practices in sorted(problem.practices_of.items()):
        lecturers = set(solution.teachers[lecture])
        if any(lecturers & set(solution.teachers[p]) for p in practices):
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                sections=(lecture, *practices),
                teachers=tuple(sorted(lecturers)),
                message=f"the teachers of {item_words(problem.items[lecture])} give none of its "
                f"{len(practices)} practice or lab sections",
            )
        )
    return violations


def post(view: LoadModelView) -> cp_model.LinearExprT:
    split: list[cp_model.LinearExprT] = []
    for lecture, practices in view.problem.practices_of.items():
        lecturers = view.assigned(lecture)
        both = []
        for practice in practices:
            for teacher, literal in view.assigned(practice).items():
                if teacher in lecturers:
                    pair = view.model.new_bool_var(f"lectures_and_practises[{lecture},{practice},{teacher}]")
                    view.model.add_implication(pair, literal)
                    view.model.add_implication(pair, lecturers[teacher])
                    both.append(pair)
        if not both:
            split.append(1)
            continue
        together = view.model.new_bool_var(f"lecturer_in_stream[{lecture}]")
        view.model.add(together <= sum(both))
        split.append(1 - together)
    return sum(split)
