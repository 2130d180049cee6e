"""Two runs of one semester side by side: every criterion, the counts planners look at, and what
moved from the first timetable to the second."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from constraints.lessons import student_clash, student_windows, teacher_windows
from datasets.registrar_csv import lesson_problem
from datasets.registrar_timetable import format_time
from models import Evaluation, LessonProblem, LessonSolution
from service.storage import schema
from service.storage.records import StorageError, load_semester, stored_row
from service.timetables import lesson_names

WINDOWS = (student_windows.NAME, teacher_windows.NAME)


class NotComparable(ValueError):
    """Runs that cannot be compared, said why."""


def compare_runs(session: Session, first_id: int, second_id: int) -> dict[str, Any]:
    runs = [stored_row(session, schema.Run, run_id) for run_id in (first_id, second_id)]
    for run_id, run in zip((first_id, second_id), runs, strict=True):
        if run is None:
            raise StorageError(f"no run {run_id}")
        if run.solution is None or run.evaluation is None:
            raise NotComparable(f"run {run_id} has no timetable to compare (it is {run.status})")
    first, second = runs
    assert first is not None and second is not None
    if first.kind != "lessons" or second.kind != "lessons":
        raise NotComparable("comparisons cover class timetables (lessons runs) so far")
    if first.semester_id != second.semester_id:
        raise NotComparable(
            f"run {first.id} is of {first.semester.name!r} and run {second.id} of {second.semester.name!r}"
        )
    problem = lesson_problem(load_semester(session, first.semester.name), first.semester.name)
    names = lesson_names(problem)
    timetables = [LessonSolution.model_validate(run.solution) for run in (first, second)]
    for run, timetable in zip((first, second), timetables, strict=True):
        if (run.solved_for or names) != names or len(timetable.starts) != len(problem.meetings):
            raise NotComparable(
                f"the semester's sections, rooms or week changed since run {run.id}; its meetings no "
                "longer match"
            )
    evaluations = [Evaluation.model_validate(run.evaluation) for run in (first, second)]
    return {
        "first": first.id,
        "second": second.id,
        "criteria": _criteria(*evaluations),
        "counts": {
            "soft total": [e.total for e in evaluations],
            "hard violations": [e.hard_violations for e in evaluations],
            "student conflicts": [
                sum(s.penalty for s in e.scores if s.name == student_clash.NAME) for e in evaluations
            ],
            "windows": [sum(s.penalty for s in e.scores if s.name in WINDOWS) for e in evaluations],
            "room utilisation %": [_utilisation(problem, t) for t in timetables],
            "most periods a teacher teaches": [
                max(_teacher_periods(problem, t), default=0) for t in timetables
            ],
        },
        "moved": _moved(problem, *timetables),
    }


def _criteria(first: Evaluation, second: Evaluation) -> list[dict[str, Any]]:
    before = {score.name: score for score in first.scores}
    after = {score.name: score for score in second.scores}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        a = before[name].penalty if name in before else None
        b = after[name].penalty if name in after else None
        hard = (before.get(name) or after[name]).hard
        change = None if a is None or b is None else b - a
        rows.append({"criterion": name, "hard": hard, "first": a, "second": b, "change": change})
    return rows


def _utilisation(problem: LessonProblem, timetable: LessonSolution) -> float:
    """Room-periods taken, against every room's periods of the week."""
    taken = sum(
        meeting.length
        for meeting in problem.meetings
        if timetable.starts[meeting.index] is not None and timetable.rooms[meeting.index] is not None
    )
    return round(100 * taken / max(1, len(problem.rooms) * problem.grid.slot_count), 1)


def _teacher_periods(problem: LessonProblem, timetable: LessonSolution) -> list[int]:
    periods = [0] * len(problem.teachers)
    for meeting in problem.meetings:
        if timetable.starts[meeting.index] is not None:
            for teacher in problem.sections[meeting.section].teachers:
                periods[teacher] += meeting.length
    return periods


def _moved(problem: LessonProblem, first: LessonSolution, second: LessonSolution) -> list[dict[str, Any]]:
    """Per section, its places in the first timetable no meeting of it keeps, paired with its new
    ones (a section's meetings are interchangeable: two trading places moved nothing)."""
    moved = []
    for section in problem.sections:
        meetings = problem.meetings_of[section.index]
        was = Counter(_place(problem, first, m) for m in meetings)
        now = Counter(_place(problem, second, m) for m in meetings)
        gone, new = sorted((was - now).elements()), sorted((now - was).elements())
        for before, after in zip(gone, new, strict=True):  # as many meetings either way
            moved.append({"section": section.name, "from": before, "to": after})
    return moved


def _place(problem: LessonProblem, timetable: LessonSolution, meeting: int) -> str:
    start, room = timetable.starts[meeting], timetable.rooms[meeting]
    if start is None or room is None:
        return "not placed"
    return f"{format_time(problem.grid, start, problem.meetings[meeting].length)} {problem.rooms[room].name}"
