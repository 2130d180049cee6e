"""Reader and writer for curriculum-based course timetabling (CB-CTT): `.ctt` (ITC 2007 track 3)
and `.ectt` (the CB-CTT site's extended format), and their `course room day period` solutions.

A course becomes a section with one one-period meeting per lecture; a curriculum becomes a
cohort; the course's unavailable periods become forbidden slots; an `.ectt` room constraint
makes the room unsuitable for the course. The `.ectt` extras used only by the UD3–UD5
formulations (daily lecture bounds, double lectures) are read and checked but not kept: UD2
does not score them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import (
    LARGEST_WHOLE,
    DatasetError,
    PathLike,
    numbered_lines,
    parse_int,
    read_text,
    validation_reason,
    write_text,
)
from models.lessons import (
    Cohort,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Section,
    Teacher,
    TimeGrid,
)

_CTT_HEADER = ("Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints")
_ECTT_HEADER = (
    "Name",
    "Courses",
    "Rooms",
    "Days",
    "Periods_per_day",
    "Curricula",
    "Min_Max_Daily_Lectures",
    "UnavailabilityConstraints",
    "RoomConstraints",
)

# The bundled instances have weeks of at most 45 periods (comp11: 5 days of 9) and courses of at
# most 9 lectures; far past these, a few lines of text made a model no solve got through (a course
# of 10**8 lectures hung before any output, deaf to the time limit and Ctrl+C).
LARGEST_WEEK = 1_000
MOST_LECTURES = 100


@dataclass
class _Course:
    name: str
    teacher: int
    lectures: int
    min_days: int
    students: int
    forbidden: set[int] = field(default_factory=set)
    unsuitable: set[int] = field(default_factory=set)


@dataclass
class _Block:
    line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _stem(path: PathLike) -> str:
    name = Path(path).name.removesuffix(".gz")
    for suffix in (".ectt", ".ctt"):
        name = name.removesuffix(suffix)
    return name


def read_cbctt(path: PathLike) -> LessonProblem:
    """Read a `.ctt` or `.ectt` instance (optionally gzipped)."""
    return parse_cbctt(read_text(path), str(path))


def parse_cbctt(text: str, source: str) -> LessonProblem:
    lines = numbered_lines(text.replace("\r", ""))
    extended = any(line.startswith("Min_Max_Daily_Lectures") for _, line in lines[:12])
    names = _ECTT_HEADER if extended else _CTT_HEADER
    header, position = _header(lines, names, source)
    blocks = _blocks(lines[position:], source)
    days = _count(header, "Days", source, least=1, most=LARGEST_WEEK)
    per_day = _count(header, "Periods_per_day", source, least=1, most=LARGEST_WEEK)
    if days * per_day > LARGEST_WEEK:
        line = header["Periods_per_day"][0]
        reason = f"{days} days of {per_day} periods make {days * per_day:,}, at most {LARGEST_WEEK:,}"
        raise DatasetError(source, line, reason)
    grid = TimeGrid(days=tuple(f"day {d}" for d in range(days)), periods_per_day=per_day)

    room_rows = _rows(blocks, "ROOMS", _count(header, "Rooms", source), source)
    rooms: list[LessonRoom] = []
    room_index: dict[str, int] = {}
    for line, fields in room_rows:
        _width(
            fields,
            3 if extended else 2,
            "room line needs ID, capacity" + (", site" if extended else ""),
            source,
            line,
        )
        if fields[0] in room_index:
            raise DatasetError(source, line, f"room {fields[0]} is listed twice")
        room_index[fields[0]] = len(rooms)
        capacity = parse_int(source, line, fields[1], "room capacity")
        site = fields[2] if extended else ""
        rooms.append(LessonRoom(index=len(rooms), name=fields[0], capacity=capacity, building=site))

    course_rows = _rows(blocks, "COURSES", _count(header, "Courses", source), source)
    teachers: dict[str, int] = {}
    courses: list[_Course] = []
    course_index: dict[str, int] = {}
    for line, fields in course_rows:
        what = "course line needs ID, teacher, lectures, minimum working days, students"
        _width(fields, 6 if extended else 5, what + (", double lectures" if extended else ""), source, line)
        name = fields[0]
        if name in course_index:
            raise DatasetError(source, line, f"course {name} is listed twice")
        lectures = parse_int(source, line, fields[2], "number of lectures", most=MOST_LECTURES)
        if lectures == 0:
            raise DatasetError(source, line, f"course {name} has no lectures")
        if lectures > grid.slot_count:  # one teacher gives them all, so no two at once
            reason = (
                f"course {name} has {lectures} lectures, more than the {grid.slot_count} periods of the week"
            )
            raise DatasetError(source, line, reason)
        if extended and fields[5] not in ("0", "1"):
            raise DatasetError(source, line, f"double lectures must be 0 or 1, found {fields[5]!r}")
        course_index[name] = len(courses)
        teacher = teachers.setdefault(fields[1], len(teachers))
        min_days = parse_int(source, line, fields[3], "minimum working days")
        students = parse_int(source, line, fields[4], "number of students")
        courses.append(_Course(name, teacher, lectures, min_days, students))

    cohorts: list[Cohort] = []
    for line, fields in _rows(blocks, "CURRICULA", _count(header, "Curricula", source), source):
        if len(fields) < 2:
            raise DatasetError(source, line, "curriculum line needs ID, number of courses, courses")
        members = parse_int(source, line, fields[1], "number of courses")
        if len(fields) != 2 + members:
            raise DatasetError(
                source, line, f"curriculum {fields[0]} announces {members} courses, lists {len(fields) - 2}"
            )
        sections = tuple(_course(course_index, name, source, line) for name in fields[2:])
        cohorts.append(Cohort(index=len(cohorts), name=fields[0], sections=sections))

    unavailable = "UnavailabilityConstraints" if extended else "Constraints"
    for line, fields in _rows(
        blocks, "UNAVAILABILITY_CONSTRAINTS", _count(header, unavailable, source), source
    ):
        _width(fields, 3, "unavailability line needs course, day, period", source, line)
        course = _course(course_index, fields[0], source, line)
        day = parse_int(source, line, fields[1], "day")
        period = parse_int(source, line, fields[2], "period")
        if day >= days or period >= per_day:
            raise DatasetError(
                source, line, f"day {day}, period {period} is outside the {days} x {per_day} week"
            )
        courses[course].forbidden.add(grid.slot(day, period))
    if extended:
        _check_daily_lectures(header, source)
        for line, fields in _rows(
            blocks, "ROOM_CONSTRAINTS", _count(header, "RoomConstraints", source), source
        ):
            _width(fields, 2, "room constraint line needs course, room", source, line)
            course = _course(course_index, fields[0], source, line)
            if fields[1] not in room_index:
                raise DatasetError(source, line, f"unknown room {fields[1]}")
            courses[course].unsuitable.add(room_index[fields[1]])

    try:
        return LessonProblem(
            name=_stem(source),
            grid=grid,
            rooms=tuple(rooms),
            teachers=tuple(Teacher(index=i, name=name) for name, i in teachers.items()),
            sections=tuple(
                Section(
                    index=i,
                    name=course.name,
                    course=course.name,
                    teachers=(course.teacher,),
                    size=course.students,
                    meetings=(1,) * course.lectures,
                    min_days=course.min_days,
                    forbidden_slots=frozenset(course.forbidden),
                    unsuitable_rooms=frozenset(course.unsuitable),
                )
                for i, course in enumerate(courses)
            ),
            cohorts=tuple(cohorts),
            scoring=LessonScoring.UD2,
        )
    except ValidationError as err:
        raise DatasetError(source, None, validation_reason(err)) from None


def _header(
    lines: list[tuple[int, str]], names: tuple[str, ...], source: str
) -> tuple[dict[str, tuple[int, str]], int]:
    header: dict[str, tuple[int, str]] = {}
    for position, name in enumerate(names):
        if position >= len(lines):
            raise DatasetError(source, None, f"file ends before the header line {name}:")
        line, text = lines[position]
        key, _, value = text.partition(":")
        if key.strip() != name or not _:
            raise DatasetError(source, line, f"expected header line '{name}: ...', found {text!r}")
        header[name] = (line, value.strip())
    return header, len(names)


def _count(
    header: dict[str, tuple[int, str]], name: str, source: str, least: int = 0, most: int = LARGEST_WHOLE
) -> int:
    line, value = header[name]
    count = parse_int(source, line, value, name, most)
    if count < least:
        raise DatasetError(source, line, f"{name} must be at least {least}, found {count}")
    return count


def _blocks(lines: list[tuple[int, str]], source: str) -> dict[str, _Block]:
    blocks: dict[str, _Block] = {}
    current: _Block | None = None
    for line, text in lines:
        if text == "END.":
            return blocks
        if text.endswith(":") and text[:-1].isupper():
            current = blocks[text[:-1]] = _Block(line)
            continue
        if current is None:
            raise DatasetError(source, line, "data before the first section (COURSES:, ROOMS:, ...)")
        current.rows.append((line, text.split()))
    raise DatasetError(source, None, "missing END. (the file may be truncated)")


def _rows(blocks: dict[str, _Block], name: str, expected: int, source: str) -> list[tuple[int, list[str]]]:
    if name not in blocks:
        if expected == 0:
            return []
        raise DatasetError(source, None, f"missing section {name}:")
    block = blocks[name]
    if len(block.rows) != expected:
        what = name.lower().replace("_", " ")
        reason = f"the header announces {expected} {what}, the {name}: section lists {len(block.rows)}"
        raise DatasetError(source, block.line, reason)
    return block.rows


def _width(fields: list[str], width: int, what: str, source: str, line: int) -> None:
    if len(fields) != width:
        raise DatasetError(source, line, what)


def _course(index: dict[str, int], name: str, source: str, line: int) -> int:
    if name not in index:
        raise DatasetError(source, line, f"unknown course {name}")
    return index[name]


def _check_daily_lectures(header: dict[str, tuple[int, str]], source: str) -> None:
    """The `.ectt` curricula's fewest and most lectures a day (`Min_Max_Daily_Lectures: 2 3`): two
    whole numbers, the first no larger."""
    line, value = header["Min_Max_Daily_Lectures"]
    fields = value.split()
    if len(fields) != 2:
        example = "the fewest and the most lectures a day, e.g. '2 3'"
        reason = f"Min_Max_Daily_Lectures needs {example}, found {value!r}"
        raise DatasetError(source, line, reason)
    fewest = parse_int(source, line, fields[0], "minimum daily lectures")
    most = parse_int(source, line, fields[1], "maximum daily lectures")
    if fewest > most:
        reason = f"Min_Max_Daily_Lectures: the minimum, {fewest} a day, is above the maximum, {most}"
        raise DatasetError(source, line, reason)


def read_cbctt_solution(path: PathLike, problem: LessonProblem) -> LessonSolution:
    """Read `course room day period` lines; a course's lines fill its lectures in order."""
    return parse_cbctt_solution(read_text(path), str(path), problem)


def parse_cbctt_solution(text: str, source: str, problem: LessonProblem) -> LessonSolution:
    course_index = {section.name: section.index for section in problem.sections}
    room_index = {room.name: room.index for room in problem.rooms}
    starts: list[int | None] = [None] * len(problem.meetings)
    rooms: list[int | None] = [None] * len(problem.meetings)
    filled = [0] * len(problem.sections)
    grid = problem.grid
    for line, row in numbered_lines(text.replace("\r", "")):
        fields = row.split()
        _width(fields, 4, "solution line needs course, room, day, period", source, line)
        section = _course(course_index, fields[0], source, line)
        if fields[1] not in room_index:
            raise DatasetError(source, line, f"unknown room {fields[1]}")
        day = parse_int(source, line, fields[2], "day")
        period = parse_int(source, line, fields[3], "period")
        if day >= len(grid.days) or period >= grid.periods_per_day:
            raise DatasetError(source, line, f"day {day}, period {period} is outside the week")
        meetings = problem.meetings_of[section]
        if filled[section] == len(meetings):
            raise DatasetError(source, line, f"course {fields[0]} has only {len(meetings)} lectures")
        meeting = meetings[filled[section]]
        filled[section] += 1
        starts[meeting] = grid.slot(day, period)
        rooms[meeting] = room_index[fields[1]]
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


def format_cbctt_solution(problem: LessonProblem, solution: LessonSolution) -> str:
    """One `course room day period` line per placed lecture, courses in instance order."""
    grid = problem.grid
    lines = []
    for meeting in problem.meetings:
        start, room = solution.starts[meeting.index], solution.rooms[meeting.index]
        if start is None or room is None:
            continue
        name = problem.sections[meeting.section].name
        lines.append(f"{name} {problem.rooms[room].name} {grid.day_of(start)} {grid.period_of(start)}")
    return "\n".join(lines) + "\n"


def write_cbctt_solution(path: PathLike, problem: LessonProblem, solution: LessonSolution) -> None:
    write_text(path, format_cbctt_solution(problem, solution))


BUNDLED = Path(__file__).parent / "instances" / "cbctt"
BUNDLED_CTT: tuple[str, ...] = tuple(f"comp{n:02d}" for n in range(1, 15))


def bundled_cbctt(name: str, extended: bool = False) -> Path:
    """A bundled instance: `comp01`..`comp14` as `.ctt`, or any bundled `.ectt` by name."""
    path = BUNDLED / ("ectt" if extended else "ctt") / f"{name}.{'ectt' if extended else 'ctt'}.gz"
    if not path.exists():
        raise DatasetError(path, None, "no such bundled instance")
    return path


def bundled_cbctt_reference(name: str) -> Path:
    """UniTime's 60 s timetable of a `.ctt` instance, as bundled with its UD2 breakdown."""
    path = BUNDLED / "reference_solutions" / f"{name}.sol"
    if not path.exists():
        raise DatasetError(path, None, "no such bundled reference solution")
    return path
