"""A run's class timetable against the semester as it is now. The solver numbers meetings, rooms and
slots by position; an import after the run (a section added, its meetings changed, a room or a
period gone) moves those positions. So a run keeps what its numbers stood for, and is read back
by those names: each meeting of today's sections where the run put the same meeting, if its room
and period are still there, and unplaced otherwise."""

from __future__ import annotations

from typing import Any

from datasets.registrar_csv import lesson_problem
from datasets.registrar_records import RegistrarData
from models import LessonProblem, LessonSolution
from service.storage import schema
from service.storage.records import StorageError


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
    return timetable_in(run, lesson_problem(data, "week"))


def timetable_in(run: schema.Run, problem: LessonProblem) -> LessonSolution:
    """The run's timetable numbered as `problem` numbers meetings, rooms and slots."""
    solution = LessonSolution.model_validate(run.solution)
    names = run.solved_for
    if names is None:  # a run stored before its names were kept: usable while nothing has moved
        if len(solution.starts) != len(problem.meetings):
            raise StaleTimetable(
                f"run {run.id} was made for the semester's sections as they were then, and they have "
                "changed since: solve again"
            )
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
