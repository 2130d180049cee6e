"""A class timetable as a week in clock times: each placed meeting's weekday (0 Monday), start and
end in minutes from midnight, room and students; and the rooms' own closed periods. Room
booking and master classes place things around it."""

from __future__ import annotations

from dataclasses import dataclass

from datasets.registrar_csv import clock_minutes, lesson_problem
from datasets.registrar_records import RegistrarData
from models import LessonSolution

ACADEMIC_HOUR = 50  # minutes a period lasts
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class WeeklyMeeting:
    section: str  # "CSE2001 L1"
    component: str
    weekday: int
    start: int
    end: int
    room: str


def weekday_of(day_name: str) -> int | None:
    """Mon, Monday, mon... -> 0; None for a name that is no weekday."""
    short = day_name[:3].lower()
    return WEEKDAYS.index(short) if short in WEEKDAYS else None


def weekly_meetings(data: RegistrarData, solution: LessonSolution) -> list[WeeklyMeeting]:
    problem = lesson_problem(data, "week")
    grid = problem.grid
    found = []
    for meeting in problem.meetings:
        start, room = solution.starts[meeting.index], solution.rooms[meeting.index]
        if start is None or room is None:
            continue
        weekday = weekday_of(grid.days[grid.day_of(start)])
        if weekday is None:
            continue
        period = grid.period_of(start)
        section = data.sections[meeting.section]
        found.append(
            WeeklyMeeting(
                section=section.ref,
                component=section.component,
                weekday=weekday,
                start=clock_minutes(grid.period_starts[period]),
                end=clock_minutes(grid.period_starts[period + meeting.length - 1]) + ACADEMIC_HOUR,
                room=problem.rooms[room].name,
            )
        )
    return found


def room_closures(data: RegistrarData) -> list[tuple[str, int, int, int]]:
    """(room, weekday, start, end) of each period a room is closed in the teaching week."""
    problem = lesson_problem(data, "week")
    grid = problem.grid
    closed = []
    for room in problem.rooms:
        for slot in sorted(room.unavailable):
            weekday = weekday_of(grid.days[grid.day_of(slot)])
            if weekday is not None:
                start = clock_minutes(grid.period_starts[grid.period_of(slot)])
                closed.append((room.name, weekday, start, start + ACADEMIC_HOUR))
    return closed
