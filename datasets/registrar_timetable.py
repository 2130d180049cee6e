"""The registrar's timetable as files: `timetable.csv` (one row per weekly meeting, times as staff
write them, `Mon 3-4`), the same rows as `timetable.json`, and the week of every student, teacher
and room (`by_student.csv`, `by_teacher.csv`, `by_room.csv`). `read_timetable` reads
`timetable.csv` back, checking every row against the problem.

`docs/registrar-format.md` ("The timetable files") describes the columns.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from datasets.errors import PathLike
from datasets.registrar_csv import _Row, _rows, _Spec
from models import LessonProblem, LessonSolution, TimeGrid

TIMETABLE = "timetable.csv"
TIMETABLE_JSON = "timetable.json"
BY_STUDENT = "by_student.csv"
BY_TEACHER = "by_teacher.csv"
BY_ROOM = "by_room.csv"
FILES = (TIMETABLE, TIMETABLE_JSON, BY_STUDENT, BY_TEACHER, BY_ROOM)

COLUMNS = (
    "section",
    "meeting",
    "time",
    "starts_at",
    "room",
    "building",
    "teachers",
    "course",
    "component",
    "students",
)
# reading needs these; the other columns are there for people and are not checked
REQUIRED = ("section", "meeting", "time", "room")
STUDENT_COLUMNS = ("student", "day", "time", "starts_at", "section", "room", "building")
TEACHER_COLUMNS = ("teacher", "day", "time", "starts_at", "section", "room", "building")
ROOM_COLUMNS = ("room", "building", "capacity", "day", "time", "starts_at", "section", "teachers", "students")

_DASH = re.compile(r"\s*-\s*")


@dataclass(frozen=True)
class _Placed:
    """One meeting as the files show it; start and room are None when it is not (properly) placed."""

    meeting: int
    section: int
    ordinal: int
    start: int | None
    room: int | None
    time: str
    starts_at: str

    def week_order(self) -> tuple[int, int, int, int]:
        """Placed meetings by start, then section and ordinal; unplaced ones last."""
        unplaced = self.start is None
        return (int(unplaced), -1 if self.start is None else self.start, self.section, self.ordinal)


def format_time(grid: TimeGrid, start: int, length: int) -> str:
    """`Mon 3` for one period, `Mon 3-4` for two or more, with the calendar's names."""
    period = grid.period_of(start)
    day = grid.days[grid.day_of(start)]
    first = grid.period_name(period)
    if length == 1:
        return f"{day} {first}"
    return f"{day} {first}-{grid.period_name(period + length - 1)}"


def parse_time(grid: TimeGrid, time: str) -> tuple[int, int]:
    """The first slot and the length in periods of `Mon`, `Mon 3` or `Mon 3-5`; ValueError says
    what is wrong with it."""
    days = {day.lower(): index for index, day in enumerate(grid.days)}
    periods = {grid.period_name(period): period for period in range(grid.periods_per_day)}
    parts = _DASH.sub("-", time.strip()).split()
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"bad time {time!r}: write a day and periods, e.g. 'Mon 3' or 'Mon 3-4'")
    if parts[0].lower() not in days:
        raise ValueError(f"bad time {time!r}: unknown day {parts[0]!r}")
    day = days[parts[0].lower()]
    if len(parts) == 1:
        return grid.slot(day, 0), grid.periods_per_day
    first_label, dash, last_label = parts[1].partition("-")
    for label in (first_label, last_label) if dash else (first_label,):
        if label not in periods:
            raise ValueError(f"bad time {time!r}: unknown period {label!r}")
    first = periods[first_label]
    last = periods[last_label] if dash else first
    if last < first:
        raise ValueError(f"bad time {time!r}: period {last_label} comes before period {first_label}")
    return grid.slot(day, first), last - first + 1


def _placements(problem: LessonProblem, solution: LessonSolution) -> list[_Placed]:
    """Every meeting in problem order; a start off the week or running past the day's end, or a
    room that does not exist, is shown empty."""
    if len(solution.starts) != len(problem.meetings):
        raise ValueError(
            f"the timetable has {len(solution.starts)} meetings "
            f"but {problem.name} has {len(problem.meetings)}"
        )
    grid = problem.grid
    placed = []
    for meeting in problem.meetings:
        start, room = solution.starts[meeting.index], solution.rooms[meeting.index]
        if start is not None and not (
            0 <= start < grid.slot_count and grid.period_of(start) + meeting.length <= grid.periods_per_day
        ):
            start = None
        if room is not None and not 0 <= room < len(problem.rooms):
            room = None
        period = None if start is None else grid.period_of(start)
        placed.append(
            _Placed(
                meeting=meeting.index,
                section=meeting.section,
                ordinal=meeting.ordinal,
                start=start,
                room=room,
                time="" if start is None else format_time(grid, start, meeting.length),
                starts_at=grid.period_starts[period]
                if period is not None and period < len(grid.period_starts)
                else "",
            )
        )
    return placed


def timetable_rows(
    problem: LessonProblem, solution: LessonSolution
) -> list[dict[str, str | int | list[str]]]:
    """One row per meeting, as in `timetable.json` (teachers as a list)."""
    return _timetable_rows(problem, _placements(problem, solution))


def _timetable_rows(problem: LessonProblem, placed: list[_Placed]) -> list[dict[str, str | int | list[str]]]:
    rows: list[dict[str, str | int | list[str]]] = []
    for item in placed:
        section = problem.sections[item.section]
        room = None if item.room is None else problem.rooms[item.room]
        rows.append(
            {
                "section": section.name,
                "meeting": item.ordinal + 1,
                "time": item.time,
                "starts_at": item.starts_at,
                "room": "" if room is None else room.name,
                "building": "" if room is None else room.building,
                "teachers": [problem.teachers[teacher].name for teacher in section.teachers],
                "course": section.course,
                "component": section.component,
                "students": section.size,
            }
        )
    return rows


def write_timetable(problem: LessonProblem, solution: LessonSolution, folder: PathLike) -> None:
    """Write the timetable and its views into a folder (created if missing)."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    placed = _placements(problem, solution)
    rows = _timetable_rows(problem, placed)
    _write_csv(
        root / TIMETABLE,
        COLUMNS,
        (
            [";".join(cell) if isinstance(cell, list) else cell for cell in (row[c] for c in COLUMNS)]
            for row in rows
        ),
    )
    document = {"problem": problem.name, "meetings": rows}
    (root / TIMETABLE_JSON).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    _write_csv(root / BY_STUDENT, STUDENT_COLUMNS, _by_student(problem, placed))
    _write_csv(root / BY_TEACHER, TEACHER_COLUMNS, _by_teacher(problem, placed))
    _write_csv(root / BY_ROOM, ROOM_COLUMNS, _by_room(problem, placed))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _day(problem: LessonProblem, item: _Placed) -> str:
    return "" if item.start is None else problem.grid.days[problem.grid.day_of(item.start)]


def _where(problem: LessonProblem, item: _Placed) -> tuple[str, str]:
    if item.room is None:
        return "", ""
    room = problem.rooms[item.room]
    return room.name, room.building


def _person_rows(
    problem: LessonProblem, placed: list[_Placed], people: dict[str, set[int]]
) -> list[tuple[str, ...]]:
    """Per person (by name), the meetings of their sections in week order."""
    of_section: list[list[_Placed]] = [[] for _ in problem.sections]
    for item in placed:
        of_section[item.section].append(item)
    rows: list[tuple[str, ...]] = []
    for name in sorted(people):
        week = sorted(
            (item for section in people[name] for item in of_section[section]), key=_Placed.week_order
        )
        for item in week:
            room, building = _where(problem, item)
            section = problem.sections[item.section].name
            rows.append((name, _day(problem, item), item.time, item.starts_at, section, room, building))
    return rows


def _by_student(problem: LessonProblem, placed: list[_Placed]) -> list[tuple[str, ...]]:
    people: dict[str, set[int]] = {}
    for student, sections in problem.registrations.items():
        if sections:
            people.setdefault(problem.student_name(student), set()).update(sections)
    return _person_rows(problem, placed, people)


def _by_teacher(problem: LessonProblem, placed: list[_Placed]) -> list[tuple[str, ...]]:
    people: dict[str, set[int]] = {}
    for section in problem.sections:
        for teacher in section.teachers:
            people.setdefault(problem.teachers[teacher].name, set()).add(section.index)
    return _person_rows(problem, placed, people)


def _by_room(problem: LessonProblem, placed: list[_Placed]) -> list[tuple[object, ...]]:
    held: list[list[_Placed]] = [[] for _ in problem.rooms]
    for item in sorted(placed, key=_Placed.week_order):
        if item.room is not None:
            held[item.room].append(item)
    rows: list[tuple[object, ...]] = []
    for room in sorted(problem.rooms, key=lambda room: room.name):
        for item in held[room.index]:
            section = problem.sections[item.section]
            teachers = ";".join(problem.teachers[teacher].name for teacher in section.teachers)
            rows.append(
                (
                    room.name,
                    room.building,
                    room.capacity,
                    _day(problem, item),
                    item.time,
                    item.starts_at,
                    section.name,
                    teachers,
                    section.size,
                )
            )
    return rows


def read_timetable(path: PathLike, problem: LessonProblem) -> LessonSolution:
    """Read `timetable.csv` (or a folder holding it) against the problem. A meeting not listed, or
    listed with an empty time and room, stays unplaced; a time without a room (or the reverse) is
    kept as written, for the checker to report."""
    file = Path(path)
    if file.is_dir():
        file = file / TIMETABLE
    spec = _Spec(file.name, REQUIRED, tuple(column for column in COLUMNS if column not in REQUIRED))
    section_index = {section.name: section.index for section in problem.sections}
    room_index = {room.name: room.index for room in problem.rooms}
    starts: list[int | None] = [None] * len(problem.meetings)
    rooms: list[int | None] = [None] * len(problem.meetings)
    listed: dict[int, int] = {}
    for row in _rows(file.parent, spec):
        name = row.text("section", required=True)
        if name not in section_index:
            raise row.error(
                "section", f"unknown section {name!r} (write the course code, a space, the section)"
            )
        section = problem.sections[section_index[name]]
        meetings = problem.meetings_of[section.index]
        ordinal = row.whole("meeting")
        if not 1 <= ordinal <= len(meetings):
            count = f"{len(meetings)} meeting{'s' * (len(meetings) != 1)}"
            raise row.error("meeting", f"{name} has {count} (numbered from 1), found {ordinal}")
        meeting = problem.meetings[meetings[ordinal - 1]]
        if meeting.index in listed:
            raise row.error(
                "meeting", f"meeting {ordinal} of {name} is already listed on line {listed[meeting.index]}"
            )
        listed[meeting.index] = row.line
        starts[meeting.index] = _start(row, problem.grid, name, ordinal, meeting.length)
        room = row.text("room")
        if room and room not in room_index:
            raise row.error("room", f"unknown room {room!r}")
        rooms[meeting.index] = room_index[room] if room else None
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


def _start(row: _Row, grid: TimeGrid, section: str, ordinal: int, length: int) -> int | None:
    time = row.text("time")
    if not time:
        return None
    try:
        start, periods = parse_time(grid, time)
    except ValueError as err:
        raise row.error("time", str(err)) from None
    if periods != length:
        lasts = f"{length} period{'s' * (length != 1)}"
        written = f"{periods} period{'s' * (periods != 1)}"
        example = (
            format_time(grid, start, length) if grid.period_of(start) + length <= grid.periods_per_day else ""
        )
        hint = f" (e.g. {example!r})" if example else ""
        raise row.error(
            "time", f"{time!r} is {written} but meeting {ordinal} of {section} lasts {lasts}{hint}"
        )
    return start
