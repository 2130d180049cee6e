"""A hall holds one thing at a time: no master class where a class, an exam or a booking already
is, and no two master classes in one hall at once."""

from __future__ import annotations

from collections import defaultdict

from constraints.masterclasses.view import MasterClassView
from models import MasterClassProblem, MasterClassSolution, Violation

NAME = "hall free"
HARD = True


def weight(problem: MasterClassProblem) -> int:
    return 1


def count(problem: MasterClassProblem, solution: MasterClassSolution) -> list[Violation]:
    violations = []
    placed = [
        (event, place)
        for event, place in zip(problem.events, solution.places, strict=True)
        if place is not None and place.hall < len(problem.halls)
    ]
    for event, place in placed:
        hall = problem.halls[place.hall]
        end = place.start + event.minutes
        if any(busy.overlaps(place.day, place.start, end) for busy in hall.busy):
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    rooms=(hall.index,),
                    message=f"{hall.name} is already taken during master class {event.name}",
                )
            )
    for position, (event, place) in enumerate(placed):
        for other, elsewhere in placed[position + 1 :]:
            if (
                place.hall == elsewhere.hall
                and place.day == elsewhere.day
                and place.start < elsewhere.start + other.minutes
                and elsewhere.start < place.start + event.minutes
            ):
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=1,
                        rooms=(place.hall,),
                        message=(
                            f"Master classes {event.name} and {other.name} are both in "
                            f"{problem.halls[place.hall].name} at once"
                        ),
                    )
                )
    return violations


def post(view: MasterClassView) -> int:
    problem = view.problem
    covering: dict[tuple[int, int, int], list[object]] = defaultdict(list)  # (hall, day, minute)
    for event in problem.events:
        for (day, start, hall), literal in view.choices(event.index).items():
            end = start + event.minutes
            if any(busy.overlaps(day, start, end) for busy in problem.halls[hall].busy):
                view.model.add(literal == 0)
                continue
            for minute in range(start, end, problem.step):
                covering[hall, day, minute].append(literal)
    for literals in covering.values():
        if len(literals) > 1:
            view.model.add_at_most_one(literals)  # type: ignore[arg-type]
    return 0
