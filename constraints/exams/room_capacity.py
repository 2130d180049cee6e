"""The students of all the exams sharing a room in a period fit in its seats."""

from __future__ import annotations

from constraints.exams.placement import room_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import exams_listing
from models import ExamProblem, ExamSolution, Violation

NAME = "room capacity"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per overfull room in a period."""
    if not problem.uses_rooms:
        return []
    violations = []
    for (period, room), exams in sorted(room_periods(problem, solution).items()):
        seated = sum(problem.exams[exam].size for exam in exams)
        capacity = problem.rooms[room].capacity
        if seated <= capacity:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=tuple(exams),
                rooms=(room,),
                periods=(period,),
                message=(
                    f"Room {room} seats {capacity} but {exams_listing(exams)} "
                    f"put {seated} students in it in period {period}"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    problem = view.problem
    if not problem.uses_rooms:
        return 0
    for (period, room), candidates in view.free_placements.items():
        seats = problem.rooms[room].capacity - sum(
            problem.exams[other].size for other in view.fixed_in(period, room)
        )
        if sum(problem.exams[exam].size for exam, _ in candidates) > seats:
            view.model.Add(sum(problem.exams[exam].size * lit for exam, lit in candidates) <= seats)
    return 0
