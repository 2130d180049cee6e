"""Reader and writer for the ITC 2007 examination track (.exam instances, .sln solutions)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import (
    DatasetError,
    PathLike,
    numbered_lines,
    parse_int,
    read_text,
    validation_reason,
    write_text,
)
from models.exams import (
    Exam,
    ExamProblem,
    ExamSolution,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Room,
    Scoring,
    Weightings,
)

_HEADER = re.compile(r"\[\s*([A-Za-z]+)\s*(?::\s*([^\]]*?)\s*)?\]")
_COUNTED = {"Exams": "exam", "Periods": "period", "Rooms": "room"}
_OPTIONAL = ("PeriodHardConstraints", "RoomHardConstraints")
_REQUIRED = (*_COUNTED, "InstitutionalWeightings")
_WEIGHTS = {
    "TWOINAROW": ("two_in_a_row",),
    "TWOINADAY": ("two_in_a_day",),
    "PERIODSPREAD": ("period_spread",),
    "NONMIXEDDURATIONS": ("non_mixed_durations",),
    "FRONTLOAD": ("front_load_exams", "front_load_periods", "front_load_weight"),
}


@dataclass
class _Section:
    name: str
    line: int
    count: int | None
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _split_sections(text: str, source: str) -> dict[str, _Section]:
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    for number, line in numbered_lines(text):
        if line.startswith("["):
            current = _header(source, number, line, sections)
            sections[current.name] = current
            continue
        if current is None:
            raise DatasetError(source, number, "data before the first section header")
        fields = [part.strip() for part in line.split(",")]
        while fields and not fields[-1]:  # trailing commas occur in hand-edited files
            fields.pop()
        if not fields or "" in fields:
            raise DatasetError(source, number, "empty field")
        current.rows.append((number, fields))
    for name in _REQUIRED:
        if name not in sections:
            raise DatasetError(source, None, f"missing section [{name}]")
    for name, noun in _COUNTED.items():
        section = sections[name]
        if len(section.rows) != section.count:
            reason = f"expected {section.count} {noun} lines, found {len(section.rows)}"
            raise DatasetError(source, section.line, reason)
    return sections


def _header(source: str, number: int, line: str, sections: dict[str, _Section]) -> _Section:
    match = _HEADER.fullmatch(line)
    if match is None:
        raise DatasetError(source, number, f"malformed section header {line!r}")
    name, count_text = match.groups()
    if name not in _REQUIRED and name not in _OPTIONAL:
        raise DatasetError(source, number, f"unknown section [{name}]")
    if name in sections:
        raise DatasetError(source, number, f"section [{name}] appears twice")
    if name not in _COUNTED:
        if count_text:
            raise DatasetError(source, number, f"section [{name}] takes no count")
        return _Section(name, number, None)
    if not count_text:
        raise DatasetError(source, number, f"section [{name}] needs a count, as in [{name}:N]")
    return _Section(name, number, parse_int(source, number, count_text, f"{_COUNTED[name]} count"))


def _exams(source: str, section: _Section) -> list[Exam]:
    exams = []
    for index, (line, fields) in enumerate(section.rows):
        duration = parse_int(source, line, fields[0], "exam duration")
        students = tuple(parse_int(source, line, text, "student id") for text in fields[1:])
        exams.append(Exam(index=index, duration=duration, students=students))
    return exams


def _periods(source: str, section: _Section) -> list[Period]:
    periods: list[Period] = []
    day, previous = -1, None
    for index, (line, fields) in enumerate(section.rows):
        if len(fields) != 4:
            raise DatasetError(source, line, "period line needs date, time, duration, penalty")
        try:
            date = dt.datetime.strptime(fields[0], "%d:%m:%Y").date()
        except ValueError:
            reason = f"bad date {fields[0]!r}, expected dd:mm:yyyy"
            raise DatasetError(source, line, reason) from None
        try:
            start = dt.datetime.strptime(fields[1], "%H:%M:%S").time()
        except ValueError:
            reason = f"bad time {fields[1]!r}, expected hh:mm:ss"
            raise DatasetError(source, line, reason) from None
        # Days are numbered by distinct date, so the dates must never go back in time.
        if previous is not None and date < previous:
            raise DatasetError(source, line, f"period date {fields[0]} is before the previous one")
        if date != previous:
            day += 1
        previous = date
        duration = parse_int(source, line, fields[2], "period duration")
        penalty = parse_int(source, line, fields[3], "period penalty")
        periods.append(
            Period(index=index, day=day, date=date, start=start, duration=duration, penalty=penalty)
        )
    return periods


def _rooms(source: str, section: _Section) -> list[Room]:
    rooms = []
    for index, (line, fields) in enumerate(section.rows):
        if len(fields) != 2:
            raise DatasetError(source, line, "room line needs capacity, penalty")
        capacity = parse_int(source, line, fields[0], "room capacity")
        penalty = parse_int(source, line, fields[1], "room penalty")
        rooms.append(Room(index=index, capacity=capacity, penalty=penalty))
    return rooms


def _exam_ref(source: str, line: int, text: str, exam_count: int) -> int:
    exam = parse_int(source, line, text, "exam index")
    if exam >= exam_count:
        raise DatasetError(source, line, f"exam {exam} does not exist ({exam_count} exams)")
    return exam


def _period_constraints(source: str, section: _Section | None, exams: int) -> list[PeriodConstraint]:
    constraints = []
    for line, fields in section.rows if section else []:
        if len(fields) != 3:
            raise DatasetError(source, line, "period constraint needs exam, relation, exam")
        if fields[1] not in PeriodRelation.__members__:
            raise DatasetError(source, line, f"unknown period constraint {fields[1]!r}")
        first = _exam_ref(source, line, fields[0], exams)
        second = _exam_ref(source, line, fields[2], exams)
        constraints.append(PeriodConstraint(first=first, relation=PeriodRelation(fields[1]), second=second))
    return constraints


def _room_exclusive(source: str, section: _Section | None, exams: int) -> frozenset[int]:
    exclusive = set()
    for line, fields in section.rows if section else []:
        if len(fields) != 2:
            raise DatasetError(source, line, "room constraint needs exam, ROOM_EXCLUSIVE")
        if fields[1] != "ROOM_EXCLUSIVE":
            raise DatasetError(source, line, f"unknown room constraint {fields[1]!r}")
        exclusive.add(_exam_ref(source, line, fields[0], exams))
    return frozenset(exclusive)


def _weightings(source: str, section: _Section) -> Weightings:
    values: dict[str, int] = {}
    seen: set[str] = set()
    for line, fields in section.rows:
        key, numbers = fields[0], fields[1:]
        if key not in _WEIGHTS:
            raise DatasetError(source, line, f"unknown weighting {key!r}")
        if key in seen:
            raise DatasetError(source, line, f"weighting {key} given twice")
        seen.add(key)
        names = _WEIGHTS[key]
        if len(numbers) != len(names):
            reason = f"{key} needs {len(names)} value(s), found {len(numbers)}"
            raise DatasetError(source, line, reason)
        for name, text in zip(names, numbers, strict=True):
            values[name] = parse_int(source, line, text, f"{key} value")
    for key in _WEIGHTS:
        if key not in seen:
            raise DatasetError(source, section.line, f"missing weighting {key}")
    return Weightings(**values)


def parse_itc2007_exam(text: str, source: str, name: str | None = None) -> ExamProblem:
    """Parse the text of an ITC 2007 .exam file; source names the file in error messages."""
    sections = _split_sections(text, source)
    try:
        exams = _exams(source, sections["Exams"])
        return ExamProblem(
            name=name if name is not None else _stem(source),
            scoring=Scoring.ITC2007,
            exams=tuple(exams),
            periods=tuple(_periods(source, sections["Periods"])),
            rooms=tuple(_rooms(source, sections["Rooms"])),
            period_constraints=tuple(
                _period_constraints(source, sections.get("PeriodHardConstraints"), len(exams))
            ),
            room_exclusive=_room_exclusive(source, sections.get("RoomHardConstraints"), len(exams)),
            weightings=_weightings(source, sections["InstitutionalWeightings"]),
        )
    except ValidationError as err:
        raise DatasetError(source, None, validation_reason(err)) from None


def _stem(path: PathLike) -> str:
    name = Path(path).name.removesuffix(".gz")
    return name.removesuffix(".exam")


def read_itc2007_exam(path: PathLike) -> ExamProblem:
    """Read an ITC 2007 .exam file, gzipped or not."""
    return parse_itc2007_exam(read_text(path), str(path), _stem(path))


def format_itc2007_solution(solution: ExamSolution) -> str:
    """Return the competition's solution text: one `period, room` line per exam in exam order."""
    lines = []
    for exam, (period, room) in enumerate(zip(solution.periods, solution.rooms, strict=True)):
        if room is None:
            raise ValueError(f"exam {exam} has no room, which the ITC 2007 format requires")
        lines.append(f"{period}, {room}\n")
    return "".join(lines)


def write_itc2007_solution(solution: ExamSolution, path: PathLike) -> None:
    """Write a solution in the ITC 2007 format."""
    write_text(path, format_itc2007_solution(solution))


def parse_itc2007_solution(text: str, source: str, problem: ExamProblem) -> ExamSolution:
    """Parse ITC 2007 solution text for a problem, checking every period and room is in range."""
    rows = numbered_lines(text)
    exams = len(problem.exams)
    if len(rows) != exams:
        surplus = rows[exams][0] if len(rows) > exams else None
        raise DatasetError(source, surplus, f"expected {exams} solution lines, found {len(rows)}")
    periods, rooms = [], []
    for line, row in rows:
        fields = [part for part in re.split(r"[,\s]+", row) if part]
        if len(fields) != 2:
            raise DatasetError(source, line, "solution line needs period, room")
        period = parse_int(source, line, fields[0], "period")
        room = parse_int(source, line, fields[1], "room")
        if period >= len(problem.periods):
            reason = f"period {period} out of range ({len(problem.periods)} periods)"
            raise DatasetError(source, line, reason)
        if room >= len(problem.rooms):
            reason = f"room {room} out of range ({len(problem.rooms)} rooms)"
            raise DatasetError(source, line, reason)
        periods.append(period)
        rooms.append(room)
    return ExamSolution(problem_name=problem.name, periods=tuple(periods), rooms=tuple(rooms))


def read_itc2007_solution(path: PathLike, problem: ExamProblem) -> ExamSolution:
    """Read an ITC 2007 solution file for a problem."""
    return parse_itc2007_solution(read_text(path), str(path), problem)
