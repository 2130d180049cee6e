"""Sections related by the registrar keep their relation: parallel subgroups start together, sections
to avoid never overlap, and a section to come first ends before the other begins."""

from __future__ import annotations

from itertools import product

from ortools.sat.python import cp_model

from constraints.lessons.timetable import Placed, placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, SectionConstraint, SectionRelation, Violation

NAME = "section relations"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def meeting_pairs(problem: LessonProblem, relation: SectionConstraint) -> list[tuple[int, int]]:
    """The meetings a relation ties: the i-th with the i-th for SAME_TIME, every pair otherwise."""
    first, second = problem.meetings_of[relation.first], problem.meetings_of[relation.second]
    if relation.relation is SectionRelation.SAME_TIME:
        return list(zip(first, second, strict=False))
    return list(product(first, second))


def broken(relation: SectionRelation, a: Placed, b: Placed) -> bool:
    if relation is SectionRelation.SAME_TIME:
        return a.start != b.start
    if relation is SectionRelation.AVOID:
        return bool(set(a.slots) & set(b.slots))
    return a.slots.stop > b.start  # BEFORE: a must end before b starts


_WORDS = {
    SectionRelation.SAME_TIME: "should start together",
    SectionRelation.AVOID: "should not overlap",
    SectionRelation.BEFORE: "are in the wrong order (the first should end before the second)",
}


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per relation and pair of its meetings that break it; cost 1 each."""
    placed = {item.meeting: item for item in placed_meetings(problem, solution)}
    violations = []
    for relation in problem.relations:
        first, second = problem.sections[relation.first], problem.sections[relation.second]
        for a, b in meeting_pairs(problem, relation):
            if a in placed and b in placed and broken(relation.relation, placed[a], placed[b]):
                ordinal_a, ordinal_b = problem.meetings[a].ordinal + 1, problem.meetings[b].ordinal + 1
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=1,
                        sections=(first.index, second.index),
                        message=(
                            f"Meeting {ordinal_a} of {first.name} and meeting {ordinal_b} of "
                            f"{second.name} {_WORDS[relation.relation]}"
                        ),
                    )
                )
    return violations


def post(view: LessonModelView) -> int:
    """Each tied pair with a free meeting: equal starts, no shared period, or ordered starts."""
    problem = view.problem
    fixed = {item.meeting: item for item in view.fixed_meetings()}
    for relation in problem.relations:
        for a, b in meeting_pairs(problem, relation):
            if not (view.is_free(a) or view.is_free(b)):
                continue
            if (not view.is_free(a) and a not in fixed) or (not view.is_free(b) and b not in fixed):
                continue  # a fixed meeting left out binds nothing
            _post_pair(view, relation.relation, a, b, fixed)
    return 0


def _post_pair(
    view: LessonModelView, relation: SectionRelation, a: int, b: int, fixed: dict[int, Placed]
) -> None:
    problem, model = view.problem, view.model

    def starts(meeting: int) -> dict[int, cp_model.LinearExprT]:
        if view.is_free(meeting):
            return dict(view.start_literals(meeting))
        return {fixed[meeting].start: 1}

    def start_of(meeting: int) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum(list(starts(meeting).values()), list(starts(meeting)))

    def covering(meeting: int) -> dict[int, list[cp_model.LinearExprT]]:
        length = problem.meetings[meeting].length
        cover: dict[int, list[cp_model.LinearExprT]] = {}
        for start, literal in starts(meeting).items():
            for slot in range(start, start + length):
                cover.setdefault(slot, []).append(literal)
        return cover

    if relation is SectionRelation.SAME_TIME:
        at_a, at_b = starts(a), starts(b)
        for start in set(at_a) | set(at_b):
            model.add(at_a.get(start, 0) == at_b.get(start, 0))
    elif relation is SectionRelation.AVOID:
        cover_a, cover_b = covering(a), covering(b)
        for slot in set(cover_a) & set(cover_b):
            model.add(cp_model.LinearExpr.sum(cover_a[slot] + cover_b[slot]) <= 1)
    else:
        model.add(start_of(a) + problem.meetings[a].length <= start_of(b))
