"""Shared pieces of the CP-SAT posts: which free-meeting literals hold an owner's slot."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from constraints.lessons.view import LessonModelView


def holding(
    view: LessonModelView, owners: Callable[[int], Iterable[int]]
) -> dict[tuple[int, int], list[cp_model.IntVar]]:
    """Per (owner, slot): the start literals of free meetings that would hold it."""
    problem = view.problem
    held: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for meeting in view.free_meetings():
        length = problem.meetings[meeting].length
        for owner in owners(meeting):
            for start, literal in view.start_literals(meeting).items():
                for slot in range(start, start + length):
                    held.setdefault((owner, slot), []).append(literal)
    return held


def at_most_one_each(view: LessonModelView, held: dict[tuple[int, int], list[cp_model.IntVar]]) -> int:
    for literals in held.values():
        if len(literals) > 1:
            view.model.add_at_most_one(literals)
    return 0
