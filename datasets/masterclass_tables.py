"""Master-class requests as the registrar keeps them: `masterclasses.csv` in a registrar semester
folder that also holds the fixed lesson timetable (`timetable.csv`), read into the master-class
model; and the placements written back.

`masterclasses.csv`: `master_class` (a name), `periods` (its length in lesson periods), `windows`
(`;`-separated times when the guest can come, e.g. `Mon 3-6; Thu`), `audience` (`;`-separated
cohorts as `programme year`, e.g. `Computer Science 2`, or student IDs), [`seats`: at least this
many, besides the audience], [`halls`: `;`-separated room names allowed].
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import DatasetError, PathLike, validation_reason
from datasets.registrar_csv import _Row as Row
from datasets.registrar_csv import _rows as csv_rows
from datasets.registrar_csv import _Spec as Spec
from datasets.registrar_csv import lesson_problem, read_records
from datasets.registrar_records import RegistrarData
from datasets.registrar_timetable import format_time, parse_time, read_timetable
from models import Hall, LessonProblem, LessonSolution, MasterClass, MasterClassProblem, MasterClassSolution

REQUESTS = Spec("masterclasses.csv", ("master_class", "periods", "windows", "audience"), ("seats", "halls"))
PLACEMENTS = Spec("masterclass_placements.csv", ("master_class", "time", "hall"))


def read_masterclasses(folder: PathLike) -> MasterClassProblem:
    """Read the requests and the semester (with its timetable) they must fit around."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetError(root, None, "not a registrar semester folder with masterclasses.csv")
    data = read_records(root)
    lessons = lesson_problem(data, root.name)
    timetable = read_timetable(root / "timetable.csv", lessons)
    return masterclass_problem(root.name, data, lessons, timetable, list(csv_rows(root, REQUESTS)))


def masterclass_problem(
    name: str,
    data: RegistrarData,
    lessons: LessonProblem,
    timetable: LessonSolution,
    requests: Sequence[Row | Mapping[str, str]],
) -> MasterClassProblem:
    """The master-class problem from a semester's records, its timetable and the request rows."""
    rows = [_row(line, request) for line, request in enumerate(requests, 2)]
    student_index = {sid: index for index, sid in enumerate(lessons.student_names)}
    cohorts: dict[str, list[int]] = {}
    for student in data.students:
        if student.id in student_index and student.programme:
            cohorts.setdefault(f"{student.programme} {student.year}", []).append(student_index[student.id])
    busy_students: dict[int, set[int]] = {}
    busy_halls: dict[int, set[int]] = {}
    for meeting in lessons.meetings:
        start, room = timetable.starts[meeting.index], timetable.rooms[meeting.index]
        if start is None:
            continue
        slots = range(start, start + meeting.length)
        for member in lessons.students_of[meeting.section]:
            busy_students.setdefault(member, set()).update(slots)
        if room is not None:
            busy_halls.setdefault(room, set()).update(slots)
    halls = tuple(
        Hall(
            index=room.index,
            name=room.name,
            capacity=room.capacity,
            busy=frozenset(busy_halls.get(room.index, ())),
        )
        for room in lessons.rooms
    )
    hall_names = {hall.name: hall.index for hall in halls}
    events = [
        _event(index, row, lessons, cohorts, student_index, hall_names) for index, row in enumerate(rows)
    ]
    try:
        return MasterClassProblem(
            name=name,
            grid=lessons.grid,
            halls=halls,
            classes=tuple(events),
            student_busy={s: frozenset(slots) for s, slots in busy_students.items()},
            student_names=dict(enumerate(lessons.student_names)),
        )
    except ValidationError as err:
        raise DatasetError(REQUESTS.file, None, validation_reason(err)) from None


def _row(line: int, request: Row | Mapping[str, str]) -> Row:
    """A request row from the file, or one from memory numbered as the file would number it."""
    return request if isinstance(request, Row) else Row(Path(REQUESTS.file), line, dict(request.items()))


def _event(
    index: int,
    row: Row,
    lessons: LessonProblem,
    cohorts: Mapping[str, list[int]],
    student_index: Mapping[str, int],
    hall_names: Mapping[str, int],
) -> MasterClass:
    length = row.whole("periods")
    if length == 0:
        raise row.error("periods", "must be positive")
    starts: set[int] = set()
    for window in row.items("windows"):
        try:
            first, span = parse_time(lessons.grid, window)
        except ValueError as err:
            raise row.error("windows", str(err)) from None
        starts.update(range(first, first + span - length + 1))
    if not starts:
        raise row.error("windows", f"no window is {length} periods long")
    audience: list[int] = []
    for name in row.items("audience"):
        if name in cohorts:
            audience += cohorts[name]
        elif name in student_index:
            audience.append(student_index[name])
        else:
            raise row.error("audience", f"{name!r} is neither a cohort (programme year) nor a student")
    halls = set()
    for name in row.items("halls"):
        if name not in hall_names:
            raise row.error("halls", f"unknown room {name!r}")
        halls.add(hall_names[name])
    return MasterClass(
        index=index,
        name=row.text("master_class", required=True),
        length=length,
        starts=frozenset(starts),
        audience=tuple(dict.fromkeys(audience)),
        seats=row.whole("seats") if row.text("seats") else 0,
        halls=frozenset(halls),
    )


def write_placements(solution: MasterClassSolution, problem: MasterClassProblem, folder: PathLike) -> None:
    """One row per master class: its time as staff write it (`Tue 3-4`) and its hall."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLACEMENTS.columns)
    for event, start, hall in zip(problem.classes, solution.starts, solution.halls, strict=True):
        time = "" if start is None else format_time(problem.grid, start, event.length)
        writer.writerow([event.name, time, "" if hall is None else problem.halls[hall].name])
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / PLACEMENTS.file).write_text(buffer.getvalue(), encoding="utf-8")


TOPICS = ("AI in industry", "Oil and gas today", "Start-ups", "Green energy", "Fintech", "Careers in IT")


def generate_requests(data: RegistrarData, lessons: LessonProblem, seed: int, count: int = 20) -> str:
    """The text of a `masterclasses.csv` of `count` requests for the semester's cohorts, each
    audience small enough for the largest room."""
    rng = random.Random(seed)
    sizes: dict[str, int] = {}
    for student in data.students:
        if student.programme:
            key = f"{student.programme} {student.year}"
            sizes[key] = sizes.get(key, 0) + 1
    cohorts = sorted(sizes)
    largest = max((room.capacity for room in lessons.rooms), default=0)
    grid = lessons.grid
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REQUESTS.columns)
    for number in range(count):
        length = rng.choice((1, 2, 2, 3))
        days = rng.sample(range(len(grid.days)), min(2, len(grid.days)))
        windows = "; ".join(grid.days[day] for day in sorted(days))
        chosen: list[str] = []
        for cohort in rng.sample(cohorts, min(len(cohorts), rng.randint(1, 3))):
            if sum(sizes[c] for c in chosen) + sizes[cohort] <= largest:  # a hall must hold them
                chosen.append(cohort)
        audience = "; ".join(chosen)
        writer.writerow([f"{rng.choice(TOPICS)} #{number + 1}", length, windows, audience, "", ""])
    return buffer.getvalue()
