"""Students expected at two master classes that overlap in time: each misses one of them."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.masterclasses.view import MasterClassView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "audience at two master classes at once"
HARD = False


def weight(problem: MasterClassProblem) -> int:
    return 1


def _overlap(
    problem: MasterClassProblem, first: int, a: tuple[int, int], second: int, b: tuple[int, int]
) -> bool:
    return (
        a[0] == b[0]
        and a[1] < b[1] + problem.events[second].minutes
        and b[1] < a[1] + problem.events[first].minutes
    )


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    violations = []
    for (first, second), shared in sorted(problem.shared_audience.items()):
        a, b = solution.places[first], solution.places[second]
        if (
            a is not None
            and b is not None
            and _overlap(problem, first, (a.day, a.start), second, (b.day, b.start))
        ):
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=shared,
                    message=(
                        f"{shared} students expected at {problem.events[first].name} and "
                        f"{problem.events[second].name}, which overlap"
                    ),
                )
            )
    return violations


def post(view: MasterClassView) -> cp_model.LinearExprT:
    problem, model = view.problem, view.model
    terms = []
    for (first, second), shared in sorted(problem.shared_audience.items()):
        starts_a = {(d, s) for d, s, _ in view.choices(first)}
        starts_b = {(d, s) for d, s, _ in view.choices(second)}
        clashing = {(a, b) for a in starts_a for b in starts_b if _overlap(problem, first, a, second, b)}
        if not clashing:
            continue
        both = model.new_bool_var(f"overlap[{first},{second}]")
        for a in starts_a:
            against = [view.start_literal(second, *b) for b in starts_b if (a, b) in clashing]
            if against:
                # starting at a while the other starts in any clashing time means they overlap
                model.add(both >= view.start_literal(first, *a) + sum(against) - 1)
        terms.append(shared * both)
    return sum(terms)
