"""The students of all the exams sharing a room in a period fit in its seats."""

from __future__ import annotations

from ortools.sat.python import cp_model

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
    if not view.decides_rooms:
        _post_seats_per_period(view)
        return 0
    for (period, room), candidates in view.free_placements.items():
        seats = problem.rooms[room].capacity - sum(
            problem.exams[other].size for other in view.fixed_in(period, room)
        )
        if sum(problem.exams[exam].size for exam, _ in candidates) > seats:
            view.model.add(sum(problem.exams[exam].size * lit for exam, lit in candidates) <= seats)
    return 0


def _post_seats_per_period(view: ExamModelView) -> None:
    """When rooms are seated afterwards, a period can still offer no more seats than it has."""
    problem = view.problem
    seats = sum(room.capacity for room in problem.rooms)
    incoming: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for exam in view.free_exams():
        for period, literal in view.period_literals(exam).items():
            incoming.setdefault(period, []).append((problem.exams[exam].size, literal))
    for period, candidates in incoming.items():
        free_seats = seats - sum(problem.exams[e].size for e in view.fixed_in_period(period))
        if sum(size for size, _ in candidates) > free_seats:
            view.model.add(sum(size * literal for size, literal in candidates) <= free_seats)
