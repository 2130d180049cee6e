"""An exam held in a room the institution would rather not use pays that room's penalty."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import exam_rooms
from constraints.exams.view import ExamModelView
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "room penalty"
HARD = False


def weight(problem: ExamProblem) -> int:
    return 1


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per exam in a room with a penalty; cost: the room's penalty."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    violations = []
    for exam, room in enumerate(exam_rooms(problem, solution)):
        if room is None or problem.rooms[room].penalty == 0:
            continue
        penalty = problem.rooms[room].penalty
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=penalty,
                exams=(exam,),
                rooms=(room,),
                message=f"Exam {exam} is in room {room}, which carries a penalty of {penalty}",
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    rooms = view.problem.rooms
    return sum(
        rooms[room].penalty * literal
        for exam in view.free_exams()
        for (_, room), literal in view.placement_literals(exam).items()
        if rooms[room].penalty
    )
