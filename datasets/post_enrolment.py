"""Reader and writer for ITC 2007 track 2, post-enrolment course timetabling (.tim, .sln)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import (
    DatasetError,
    PathLike,
    integer_value,
    numbered_lines,
    parse_int,
    read_text,
    shown,
    validation_reason,
    write_text,
)
from models.lessons import (
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Section,
    SectionConstraint,
    SectionRelation,
    TimeGrid,
)

# Five days of nine one-hour timeslots; slot t is day t // 9, period t % 9.
POST_ENROLMENT_GRID = TimeGrid(days=("Mon", "Tue", "Wed", "Thu", "Fri"), periods_per_day=9)

_INTEGER = re.compile(r"[+-]?[0-9]+")
_FLAGS = {"0": 0, "1": 1}
_ORDERS = {"-1": -1, "0": 0, "1": 1}

Describe = Callable[[int], str]  # a value's offset in its block -> what it is, for error messages


class _Lines:
    """The one-integer lines after a .tim header, taken block by block in file order."""

    def __init__(self, source: str, rows: list[tuple[int, str]]) -> None:
        self.source = source
        self.rows = rows
        self.position = 1  # rows[0] is the header

    def take(self, count: int, describe: Describe) -> list[tuple[int, str]]:
        block = self.rows[self.position : self.position + count]
        if len(block) < count:
            reason = f"the file ends early: expected the {describe(len(block))} on this line"
            raise DatasetError(self.source, self.rows[-1][0] + 1, reason)
        self.position += count
        return block

    def values(self, count: int, allowed: dict[str, int], describe: Describe) -> list[int]:
        return _checked(self.source, self.take(count, describe), allowed, describe)

    def sizes(self, count: int, describe: Describe) -> list[int]:
        block = self.take(count, describe)
        return [
            parse_int(self.source, line, text, describe(offset)) for offset, (line, text) in enumerate(block)
        ]

    def finish(self, last_block: str) -> None:
        if self.position < len(self.rows):
            line = self.rows[self.position][0]
            raise DatasetError(self.source, line, f"unexpected data after the {last_block}")


def _checked(
    source: str, block: list[tuple[int, str]], allowed: dict[str, int], describe: Describe
) -> list[int]:
    """The block's values, each one of `allowed` (keyed by their usual spelling)."""
    values = [allowed.get(text) for _, text in block]
    if None not in values:  # the usual case, checked without a Python loop of its own
        return [value for value in values if value is not None]
    checked = []
    for offset, ((line, text), value) in enumerate(zip(block, values, strict=True)):
        if value is None:
            if not _INTEGER.fullmatch(text):
                found = shown(text)
                raise DatasetError(source, line, f"{describe(offset)} must be an integer, found {found!r}")
            value = integer_value(text)
            if value not in allowed.values():
                choices = " or ".join(", ".join(allowed).rsplit(", ", 1))
                raise DatasetError(source, line, f"{describe(offset)} must be {choices}, found {shown(text)}")
        checked.append(value)
    return checked


def _header(source: str, rows: list[tuple[int, str]]) -> tuple[int, int, int, int]:
    if not rows:
        raise DatasetError(source, 1, "empty file: expected the header 'events rooms features students'")
    line, text = rows[0]
    fields = text.split()
    if len(fields) != 4:
        raise DatasetError(source, line, f"header needs events, rooms, features, students; found {text!r}")
    what = ("event count", "room count", "feature count", "student count")
    events, rooms, features, students = (
        parse_int(source, line, field, name) for field, name in zip(fields, what, strict=True)
    )
    return events, rooms, features, students


def _grid_of(values: list[int], rows: int, columns: int) -> list[list[int]]:
    return [values[row * columns : (row + 1) * columns] for row in range(rows)]


def _relations(source: str, block: list[tuple[int, str]], order: list[list[int]]) -> list[SectionConstraint]:
    """The BEFORE relations of an antisymmetric precedence matrix (1 opposite -1, 0 opposite 0)."""
    events = len(order)
    relations = []
    for first in range(events):
        for second in range(first + 1):
            value, mirrored = order[first][second], order[second][first]
            if first == second and value != 0:
                line = block[first * events + second][0]
                raise DatasetError(source, line, f"event {first} cannot come before or after itself")
            if value != -mirrored:
                line = block[first * events + second][0]
                reason = (
                    f"precedence of event {first} over event {second} is {value} but of event {second} "
                    f"over event {first} is {mirrored}: the matrix must be antisymmetric"
                )
                raise DatasetError(source, line, reason)
    for first in range(events):
        for second in range(events):
            if order[first][second] == 1:
                relations.append(
                    SectionConstraint(first=first, relation=SectionRelation.BEFORE, second=second)
                )
    return relations


def parse_post_enrolment(text: str, source: str, name: str | None = None) -> LessonProblem:
    """Parse the text of an ITC 2007 track 2 .tim file; source names the file in error messages."""
    rows = numbered_lines(text)
    events, room_count, features, students = _header(source, rows)
    slots = POST_ENROLMENT_GRID.slot_count
    lines = _Lines(source, rows)
    capacities = lines.sizes(room_count, lambda o: f"size of room {o}")

    def attendance(o: int) -> str:
        return f"attendance of student {o // events} at event {o % events}"

    def room_feature(o: int) -> str:
        return f"feature {o % features} of room {o // features}"

    def event_feature(o: int) -> str:
        return f"feature {o % features} of event {o // features}"

    def availability(o: int) -> str:
        return f"availability of event {o // slots} in timeslot {o % slots}"

    def precedence(o: int) -> str:
        return f"precedence of event {o // events} over event {o % events}"

    attends = _grid_of(lines.values(students * events, _FLAGS, attendance), students, events)
    room_has = _grid_of(lines.values(room_count * features, _FLAGS, room_feature), room_count, features)
    event_needs = _grid_of(lines.values(events * features, _FLAGS, event_feature), events, features)
    available = _grid_of(lines.values(events * slots, _FLAGS, availability), events, slots)
    order_block = lines.take(events * events, precedence)
    order = _grid_of(_checked(source, order_block, _ORDERS, precedence), events, events)
    lines.finish("precedence matrix, the last block")
    relations = _relations(source, order_block, order)

    registrations = {
        student: tuple(event for event, attending in enumerate(row) if attending)
        for student, row in enumerate(attends)
        if any(row)
    }
    sizes = [sum(row[event] for row in attends) for event in range(events)]
    try:
        return LessonProblem(
            name=name if name is not None else _stem(source),
            grid=POST_ENROLMENT_GRID,
            rooms=tuple(
                LessonRoom(
                    index=room,
                    name=f"room {room}",
                    capacity=capacity,
                    features=frozenset(str(f) for f, has in enumerate(room_has[room]) if has),
                )
                for room, capacity in enumerate(capacities)
            ),
            sections=tuple(
                Section(
                    index=event,
                    name=f"event {event}",
                    course=f"event {event}",
                    meetings=(1,),
                    size=sizes[event],
                    features=frozenset(str(f) for f, needed in enumerate(event_needs[event]) if needed),
                    forbidden_slots=frozenset(t for t, free in enumerate(available[event]) if not free),
                )
                for event in range(events)
            ),
            registrations=registrations,
            relations=tuple(relations),
            scoring=LessonScoring.POST_ENROLMENT,
        )
    except ValidationError as err:
        raise DatasetError(source, None, validation_reason(err)) from None


def _stem(path: PathLike) -> str:
    return Path(path).name.removesuffix(".gz").removesuffix(".tim")


def read_post_enrolment(path: PathLike) -> LessonProblem:
    """Read an ITC 2007 track 2 .tim file, gzipped or not."""
    return parse_post_enrolment(read_text(path), str(path), _stem(path))


def format_post_enrolment_solution(problem: LessonProblem, solution: LessonSolution) -> str:
    """Return the competition's solution text: `timeslot room` per event, `-1 -1` if unplaced."""
    events = len(problem.sections)
    if len(solution.starts) != events:
        raise ValueError(f"solution has {len(solution.starts)} meetings, {problem.name} has {events} events")
    lines = []
    for start, room in zip(solution.starts, solution.rooms, strict=True):
        lines.append("-1 -1\n" if start is None or room is None else f"{start} {room}\n")
    return "".join(lines)


def write_post_enrolment_solution(path: PathLike, problem: LessonProblem, solution: LessonSolution) -> None:
    """Write a solution in the ITC 2007 track 2 format, gzipped if the name ends in .gz."""
    write_text(path, format_post_enrolment_solution(problem, solution))


def _unplaced(source: str, line: int, fields: list[str]) -> bool:
    if fields == ["-1", "-1"]:
        return True
    if "-1" in fields:
        raise DatasetError(source, line, "an unplaced event needs -1 for both its timeslot and its room")
    return False


def parse_post_enrolment_solution(text: str, source: str, problem: LessonProblem) -> LessonSolution:
    """Parse `timeslot room` lines, one per event in event order, checking every value's range."""
    rows = numbered_lines(text)
    events, slots, rooms = len(problem.sections), problem.grid.slot_count, len(problem.rooms)
    if len(rows) > events:
        raise DatasetError(source, rows[events][0], f"expected {events} solution lines, found {len(rows)}")
    if len(rows) < events:
        after_last = rows[-1][0] + 1 if rows else 1
        reason = f"the file ends early: expected {events} solution lines, found {len(rows)}"
        raise DatasetError(source, after_last, reason)
    starts: list[int | None] = []
    placed_rooms: list[int | None] = []
    for line, row in rows:
        fields = row.split()
        if len(fields) != 2:
            raise DatasetError(source, line, f"solution line needs timeslot, room; found {row!r}")
        if _unplaced(source, line, fields):
            starts.append(None)
            placed_rooms.append(None)
            continue
        slot = parse_int(source, line, fields[0], "timeslot")
        room = parse_int(source, line, fields[1], "room")
        if slot >= slots:
            raise DatasetError(source, line, f"timeslot {slot} out of range (0 to {slots - 1})")
        if room >= rooms:
            raise DatasetError(source, line, f"room {room} out of range (0 to {rooms - 1})")
        starts.append(slot)
        placed_rooms.append(room)
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(placed_rooms))


def read_post_enrolment_solution(path: PathLike, problem: LessonProblem) -> LessonSolution:
    """Read an ITC 2007 track 2 solution file for a problem, gzipped or not."""
    return parse_post_enrolment_solution(read_text(path), str(path), problem)
