"""An exam that needs a room to itself shares its room with no other exam in its period."""

from __future__ import annotations

from constraints.exams.placement import exam_periods, exam_rooms, room_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import exams_listing
from models import ExamProblem, ExamSolution, Violation

NAME = "room exclusive"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per ROOM_EXCLUSIVE exam that has company in its room."""
    if not problem.uses_rooms or not problem.room_exclusive:
        return []
    periods, rooms = exam_periods(problem, solution), exam_rooms(problem, solution)
    held = room_periods(problem, solution)
    violations = []
    for exam in sorted(problem.room_exclusive):
        period, room = periods[exam], rooms[exam]
        if period is None or room is None:
            continue
        others = [other for other in held[period, room] if other != exam]
        if not others:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=1,
                exams=(exam, *others),
                rooms=(room,),
                periods=(period,),
                message=(
                    f"Exam {exam} must have its room to itself but shares room {room} "
                    f"in period {period} with {exams_listing(others)}"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    problem = view.problem
    if not problem.uses_rooms:
        return 0
    if not view.decides_rooms:
        _post_rooms_per_period(view)
        return 0
    for candidates in view.free_placements.values():
        for exam, literal in candidates:
            if exam in problem.room_exclusive and len(candidates) > 1:
                others = [other_literal for other, other_literal in candidates if other != exam]
                view.model.add(sum(others) == 0).only_enforce_if(literal)
    return 0  # fixed exams are never left beside a free exclusive one, and vice versa


def _post_rooms_per_period(view: ExamModelView) -> None:
    """When rooms are seated afterwards, a period has only so many rooms to give away whole."""
    problem = view.problem
    for period in range(len(problem.periods)):
        taken = {view.fixed_room(e) for e in view.fixed_in_period(period)}
        exclusive = [
            view.period_literals(exam)[period]
            for exam in view.free_exams()
            if exam in problem.room_exclusive and period in view.period_literals(exam)
        ]
        if len(exclusive) > len(problem.rooms) - len(taken):
            view.model.add(sum(exclusive) <= len(problem.rooms) - len(taken))
