"""Where a lesson timetable puts each meeting, read safely: the shared ground of the checkers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from models import LessonProblem, LessonRoom, LessonScoring, LessonSolution, Section

T = TypeVar("T")


@dataclass(frozen=True)
class Placed:
    """A meeting with a real start inside the week and a real room."""

    meeting: int
    section: int
    start: int
    room: int
    slots: range  # the slots it covers


# The rules of one evaluation read the same timetable and the same people's days (a semester of ten
# campuses took 2 s reading it 17 times): what is worked out from a timetable is kept for the latest
# few, by identity (timetables and problems are immutable).
_RECENT: list[tuple[LessonProblem, LessonSolution, str, Any]] = []
KEPT = 6  # the timetable, students' and teachers' days, of the latest two timetables


def remembered(problem: LessonProblem, solution: LessonSolution, what: str, work: Callable[[], T]) -> T:
    """`work()`, worked out once for this problem, timetable and `what` while they are recent."""
    for known_problem, known_solution, known_what, found in _RECENT:
        if known_problem is problem and known_solution is solution and known_what == what:
            return cast(T, found)
    found = work()
    _RECENT.insert(0, (problem, solution, what, found))
    del _RECENT[KEPT:]
    return found


def placed_meetings(problem: LessonProblem, solution: LessonSolution) -> tuple[Placed, ...]:
    """The meetings the timetable places properly; the placement rule reports the others."""
    return remembered(problem, solution, "placed", lambda: _placed(problem, solution))


def _placed(problem: LessonProblem, solution: LessonSolution) -> tuple[Placed, ...]:
    grid, rooms = problem.grid, len(problem.rooms)
    placed = []
    for meeting in problem.meetings:
        position = meeting.index
        start = solution.starts[position] if position < len(solution.starts) else None
        room = solution.rooms[position] if position < len(solution.rooms) else None
        if start is None or room is None or not 0 <= room < rooms:
            continue
        if not 0 <= start < grid.slot_count or not grid.fits(start, meeting.length):
            continue
        placed.append(Placed(position, meeting.section, start, room, range(start, start + meeting.length)))
    return tuple(placed)


def suits(problem: LessonProblem, section: Section, room: LessonRoom) -> bool:
    """Whether the room is one the section may use: kind, features, campus, and (unless seats
    short are only a soft cost, as in CB-CTT) its size."""
    return (
        room.index not in section.unsuitable_rooms
        and (not section.room_kind or room.kind == section.room_kind)
        and section.features <= room.features
        and (not section.campus or room.campus == section.campus)
        and (problem.scoring is LessonScoring.UD2 or room.capacity >= section.size)
    )


def crowding(groups: dict[tuple[int, int], list[int]]) -> list[tuple[tuple[int, int], list[int]]]:
    """The (owner, slot) keys holding more than one meeting, in order."""
    return [(key, meetings) for key, meetings in sorted(groups.items()) if len(meetings) > 1]


def slot_name(problem: LessonProblem, slot: int) -> str:
    grid = problem.grid
    period = grid.period_of(slot)
    start = f" ({grid.period_starts[period]})" if period < len(grid.period_starts) else ""
    return f"{grid.days[grid.day_of(slot)]} period {period}{start}"
