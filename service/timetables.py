"""A run's class timetable or exam schedule against the semester as it is now. The solver numbers
meetings, exams, rooms and periods by position; an import after the run (a section or exam added,
meetings changed, a room or a period gone) moves those positions. So a run keeps what its numbers
stood for, and is read back by those names: each meeting (exam) of today's records where the run
put the same one, if its room and period are still there, and unplaced otherwise."""

from __future__ import annotations

from collections import Counter
from typing import Any

from datasets.registrar_csv import lesson_problem
from datasets.registrar_exams import exam_courses
from datasets.registrar_records import RegistrarData
from models import ExamProblem, ExamSolution, LessonProblem, LessonSolution
from service.storage import schema
from service.storage.records import StorageError

ExamPlace = (
    tuple[int, int | None] | None
)  # an exam's period and room (None: no room needed); None: not placed


class StaleTimetable(StorageError):
    """A run's timetable that can no longer be read against the semester, said why."""


def lesson_names(problem: LessonProblem) -> dict[str, Any]:
    """What a lesson solution's numbers stand for: each meeting's section, ordinal and length, each
    room's name, and the week's days and periods."""
    return {
        "meetings": [[problem.sections[m.section].name, m.ordinal, m.length] for m in problem.meetings],
        "rooms": [room.name for room in problem.rooms],
        "days": list(problem.grid.days),
        "periods_per_day": problem.grid.periods_per_day,
    }


def lesson_timetable(run: schema.Run, data: RegistrarData) -> LessonSolution:
    """The run's timetable numbered as the semester's records now number meetings, rooms and slots."""
    return _timetable_in(run, lesson_problem(data, "week"))


def _timetable_in(run: schema.Run, problem: LessonProblem) -> LessonSolution:
    """The run's timetable numbered as `problem` numbers meetings, rooms and slots."""
    solution = LessonSolution.model_validate(run.solution)
    names = run.solved_for
    if names is None:
        _unmoved(run, len(solution.starts), len(problem.meetings), "sections")
        return solution
    grid, days = problem.grid, names["days"]
    placed: dict[tuple[str, int, int], tuple[str, int]] = {}
    for (section, ordinal, length), start, room in zip(
        names["meetings"], solution.starts, solution.rooms, strict=True
    ):
        if start is not None and room is not None:
            day, period = divmod(start, names["periods_per_day"])
            placed[section, ordinal, length] = (names["rooms"][room], _slot(problem, days[day], period))
    rooms = {room.name: room.index for room in problem.rooms}
    starts: list[int | None] = []
    chosen: list[int | None] = []
    for meeting in problem.meetings:
        start, room = None, None
        found = placed.get((problem.sections[meeting.section].name, meeting.ordinal, meeting.length))
        if found is not None:
            name, slot = found
            within_day = slot >= 0 and grid.period_of(slot) + meeting.length <= grid.periods_per_day
            if name in rooms and within_day:
                start, room = slot, rooms[name]
        starts.append(start)
        chosen.append(room)
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(chosen))


def _slot(problem: LessonProblem, day: str, period: int) -> int:
    """The slot of that day and period in the problem's week (-1: the week has no such day or period)."""
    grid = problem.grid
    if day not in grid.days or period >= grid.periods_per_day:
        return -1
    return grid.days.index(day) * grid.periods_per_day + period


def exam_schedule_names(problem: ExamProblem, data: RegistrarData) -> dict[str, Any]:
    """What an exam solution's numbers stand for: each exam's course and part (a course no room
    seats sits in parts), each sitting's date and start, and each room's name."""
    parts: Counter[str] = Counter()
    exams = []
    for course in exam_courses(data):
        exams.append([course, parts[course]])
        parts[course] += 1
    return {
        "exams": exams,
        "periods": [
            [str(period.date or ""), period.start.strftime("%H:%M") if period.start else ""]
            for period in problem.periods
        ],
        "rooms": [room.name for room in data.rooms],  # the exam problem's rooms, in order
    }


def exam_places(run: schema.Run, problem: ExamProblem, data: RegistrarData) -> list[ExamPlace]:
    """Per exam of `problem` (today's records), the period and room the run gave the same exam."""
    solution = ExamSolution.model_validate(run.solution)
    names = run.solved_for
    if names is None:
        _unmoved(run, len(solution.periods), len(problem.exams), "exams")
        return list(zip(solution.periods, solution.rooms, strict=True))
    now = exam_schedule_names(problem, data)
    sittings = {tuple(key): position for position, key in enumerate(now["periods"])}
    rooms = {name: position for position, name in enumerate(now["rooms"])}
    placed: dict[tuple[str, int], ExamPlace] = {}
    for key, period, room in zip(names["exams"], solution.periods, solution.rooms, strict=True):
        sitting = sittings.get(tuple(names["periods"][period]))
        if sitting is None:
            continue
        if room is None:
            placed[key[0], key[1]] = (sitting, None)
        elif names["rooms"][room] in rooms:
            placed[key[0], key[1]] = (sitting, rooms[names["rooms"][room]])
    return [placed.get((course, part)) for course, part in now["exams"]]


def _unmoved(run: schema.Run, solved: int, now: int, what: str) -> None:
    """A run stored before its names were kept is read by position, while the count still matches."""
    if solved != now:
        raise StaleTimetable(
            f"run {run.id} was made for the semester's {what} as they were then, and they have changed "
            "since: solve again"
        )
