"""Every exam has one of the session's periods and, where rooms are used, one of its rooms."""

from __future__ import annotations

from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Violation

NAME = "placement"
HARD = True


def weight(problem: ExamProblem) -> int:
    return 1


def exam_periods(problem: ExamProblem, solution: ExamSolution) -> list[int | None]:
    """The period of each exam, or None where the timetable gives it no real period."""
    listed, count = solution.periods, len(problem.periods)
    return [
        listed[exam] if exam < len(listed) and 0 <= listed[exam] < count else None
        for exam in range(len(problem.exams))
    ]


def exam_rooms(problem: ExamProblem, solution: ExamSolution) -> list[int | None]:
    """The room of each exam, or None where it has no real room (or the problem uses none)."""
    listed, count = solution.rooms, len(problem.rooms)
    rooms: list[int | None] = []
    for exam in range(len(problem.exams)):
        room = listed[exam] if exam < len(listed) else None
        placed = problem.uses_rooms and room is not None and 0 <= room < count
        rooms.append(room if placed else None)
    return rooms


def room_periods(problem: ExamProblem, solution: ExamSolution) -> dict[tuple[int, int], list[int]]:
    """The exams held in each used (period, room), for the exams placed in both."""
    held: dict[tuple[int, int], list[int]] = {}
    rooms = exam_rooms(problem, solution)
    for exam, period in enumerate(exam_periods(problem, solution)):
        room = rooms[exam]
        if period is not None and room is not None:
            held.setdefault((period, room), []).append(exam)
    return held


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    violations = []
    periods, rooms = exam_periods(problem, solution), exam_rooms(problem, solution)
    for exam in range(len(problem.exams)):
        faults = []
        if exam >= len(solution.periods):
            faults.append("has no entry in the timetable")
        else:
            if periods[exam] is None:
                faults.append(
                    f"is given period {solution.periods[exam]}, "
                    f"but the session has periods 0 to {len(problem.periods) - 1}"
                )
            if problem.uses_rooms and rooms[exam] is None:
                given = solution.rooms[exam]
                last = len(problem.rooms) - 1
                faults.append(
                    "has no room"
                    if given is None
                    else f"is given room {given}, but the rooms are numbered 0 to {last}"
                )
        if faults:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    exams=(exam,),
                    message=f"Exam {exam} " + " and ".join(faults),
                )
            )
    surplus = len(solution.periods) - len(problem.exams)
    if surplus > 0:
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=surplus,
                message=(
                    f"The timetable has {len(solution.periods)} entries "
                    f"but the problem has only {len(problem.exams)} exams"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> int:
    """Each free exam already takes exactly one place in the model; nothing more to add."""
    return 0
