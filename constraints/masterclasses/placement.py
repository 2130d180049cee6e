"""Every master class is held once, at a start the guest can make, in an allowed hall with the seats
it needs and free of lessons for its whole length, within one day."""

from __future__ import annotations

from constraints.masterclasses.view import MasterClassModelView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "placement"
HARD = True


def weight(problem: MasterClassProblem) -> int:
    return 1


def problem_with(problem: MasterClassProblem, event: int, start: int, hall: int) -> str | None:
    """Why the event cannot be held there then, or None when it can."""
    item = problem.classes[event]
    if start not in item.starts:
        return "starts when the guest cannot come"
    if not problem.grid.fits(start, item.length) or start + item.length > problem.grid.slot_count:
        return "runs past the end of the day"
    if hall >= len(problem.halls) or hall not in problem.allowed_halls(event):
        return "is in a hall it may not use"
    if problem.halls[hall].capacity < item.needed_seats:
        return (
            f"needs {item.needed_seats} seats, {problem.halls[hall].name} has {problem.halls[hall].capacity}"
        )
    if problem.halls[hall].busy & set(problem.slots_of(event, start)):
        return f"is in {problem.halls[hall].name} while lessons are held there"
    return None


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    """One violation per master class not held, or held where or when it cannot be."""
    violations = []
    for event in problem.classes:
        start, hall = solution.starts[event.index], solution.halls[event.index]
        reason = (
            "is not scheduled"
            if start is None or hall is None
            else problem_with(problem, event.index, start, hall)
        )
        if reason is not None:
            violations.append(
                Violation(
                    constraint=NAME, hard=HARD, cost=1, exams=(event.index,), message=f"{event.name} {reason}"
                )
            )
    return violations


def post(view: MasterClassModelView) -> int:
    for event in view.problem.classes:
        view.model.add_exactly_one(view.options(event.index).values())
    return 0
