"""Master-class requests as the office writes them (`masterclasses.csv`), and the problem of
placing them around a semester's fixed class timetable, exams and bookings.

A request names its audience by cohort (`Computer Science 2`: the programme and the year) or by
student ID, its windows as dates and clock times (`2026-10-05 14:00-17:00`), the seats it needs
(by default its audience) and the hall's features and kind. `docs/masterclasses.md` has the
columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from datasets.errors import DatasetError, validation_reason
from datasets.registrar_csv import _Row, _rows, _Spec
from datasets.registrar_records import RegistrarData, Room, Student
from datasets.registrar_week import WeeklyMeeting
from models import Hall, Interval, MasterClass, MasterClassProblem, MasterClassSolution
from models.names import did_you_mean

REQUESTS = _Spec(
    "masterclasses.csv", ("name", "minutes", "windows"), ("audience", "seats", "features", "hall_kind")
)
_WINDOW = re.compile(r"(\d{4}-\d{2}-\d{2})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
Taken = tuple[str, dt.date, int, int]  # (room, date, start, end): an exam, a booking, a sitting


@dataclass(frozen=True, slots=True)
class MasterClassRequest:
    name: str
    minutes: int
    windows: tuple[tuple[dt.date, int, int], ...]
    audience: tuple[str, ...] = ()  # "Programme Year" cohorts or student IDs
    seats: int | None = None
    features: tuple[str, ...] = ()
    hall_kind: str = ""
    source: str = field(default=REQUESTS.file, compare=False)  # the file and line it was read from
    line: int | None = field(default=None, compare=False)


def read_requests(folder: Path, rooms: Iterable[Room] | None = None) -> list[MasterClassRequest]:
    """The requests of a folder's `masterclasses.csv`, each bad cell named by line and column;
    given the folder's rooms, a hall kind none of them is of is one."""
    path = folder / REQUESTS.file
    if not path.exists():
        raise DatasetError(path, None, "no master-class requests: the file is missing")
    kinds = None if rooms is None else {room.kind for room in rooms}
    requests: dict[str, MasterClassRequest] = {}
    for row in _rows(folder, REQUESTS):
        request = request_of(row, kinds)
        if request.name in requests:
            raise row.error("name", f"{request.name!r} is listed twice")
        requests[request.name] = request
    if not requests:
        raise DatasetError(path, None, "no master-class requests: the file has its header and no rows")
    return list(requests.values())


def request_of(row: _Row, hall_kinds: Collection[str] | None = None) -> MasterClassRequest:
    """The request of a row; given the kinds of the halls, one asking for another kind is refused
    here rather than found unplaceable at solve time."""
    minutes = row.whole("minutes")
    if minutes == 0:
        raise row.error("minutes", "a master class lasts at least a minute")
    windows = []
    for entry in row.items("windows"):
        try:
            window = parse_window(entry)
        except ValueError as error:
            raise row.error("windows", str(error)) from None
        if window[2] - window[1] < minutes:
            raise row.error("windows", f"{entry!r} is shorter than the {minutes} minutes it lasts")
        windows.append(window)
    if not windows:
        raise row.error("windows", "give at least one window, e.g. 2026-10-05 14:00-17:00")
    hall_kind = row.text("hall_kind")
    if hall_kinds is not None and hall_kind and hall_kind not in hall_kinds:
        raise row.error("hall_kind", _unknown_hall_kind(hall_kind, hall_kinds))
    return MasterClassRequest(
        name=row.text("name", required=True),
        minutes=minutes,
        windows=tuple(windows),
        audience=row.items("audience"),
        seats=row.whole("seats") if row.text("seats") else None,
        features=row.items("features"),
        hall_kind=hall_kind,
        source=str(row.path),
        line=row.line,
    )


def unknown_audience(entry: str, cohorts: Iterable[str]) -> str:
    """Why an audience entry names nobody, with the cohort it most resembles if one is close."""
    return f"audience: {entry!r} is no cohort ('Programme Year') and no student{did_you_mean(entry, cohorts)}"


def _unknown_hall_kind(kind: str, kinds: Collection[str]) -> str:
    """Why no hall can hold a request asking for `kind`, with the kinds there are."""
    there = f"the halls are of kinds: {', '.join(sorted(kinds))}" if kinds else "no room is recorded"
    return f"asks for a {kind!r} hall; {there}"


def cohort_students(students: Iterable[Student]) -> dict[str, list[str]]:
    """The students of each cohort, by the name an audience gives it: 'Programme Year'."""
    cohorts: dict[str, list[str]] = defaultdict(list)
    for student in students:
        if student.programme and student.year is not None:
            cohorts[f"{student.programme} {student.year}"].append(student.id)
    return cohorts


def parse_window(text: str) -> tuple[dt.date, int, int]:
    """'2026-10-05 14:00-17:00' as (date, start, end) in minutes; ValueError says what is wrong."""
    found = _WINDOW.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not like 2026-10-05 14:00-17:00")
    try:
        date = dt.date.fromisoformat(found[1])
    except ValueError:
        raise ValueError(f"{found[1]!r} is not a date") from None
    start, end = int(found[2]) * 60 + int(found[3]), int(found[4]) * 60 + int(found[5])
    if not start < end <= 24 * 60:
        raise ValueError(f"{text!r} must end after it starts, the same day")
    return date, start, end


def window_text(window: tuple[dt.date, int, int]) -> str:
    date, start, end = window
    return f"{date.isoformat()} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def masterclass_problem(
    name: str,
    data: RegistrarData,
    meetings: Sequence[WeeklyMeeting],
    requests: Sequence[MasterClassRequest],
    starts_on: dt.date,
    teaching_weeks: int,
    taken: Iterable[Taken] = (),
    closures: Iterable[tuple[str, int, int, int]] = (),
    sitting: Mapping[str, Sequence[tuple[dt.date, int, int]]] | None = None,
) -> MasterClassProblem:
    """The placement problem: halls busy with the classes (during the teaching weeks), closures
    and `taken`; each audience student busy with their classes then and with what `sitting`
    gives them (their exams) on the dates."""
    dates = sorted({date for request in requests for date, _, _ in request.windows})
    day_of = {date: day for day, date in enumerate(dates)}
    last = starts_on + dt.timedelta(weeks=teaching_weeks)
    teaching = [date for date in dates if starts_on <= date < last]
    cohorts = cohort_students(data.students)
    known = {student.id for student in data.students} | {r.student for r in data.registrations}
    audiences: list[list[str]] = []
    for request in requests:
        members: dict[str, None] = {}
        for entry in request.audience:
            if entry in cohorts:
                members.update(dict.fromkeys(cohorts[entry]))
            elif entry in known:
                members[entry] = None
            else:
                reason = unknown_audience(entry, cohorts)
                raise DatasetError(request.source, request.line, f"{request.name}: {reason}")
        audiences.append(list(members))
    students = list(dict.fromkeys(s for audience in audiences for s in audience))
    index = {student: position for position, student in enumerate(students)}
    sections_of: dict[str, list[str]] = defaultdict(list)
    for registration in data.registrations:
        if registration.student in index:
            sections_of[registration.student].append(registration.section)
    by_section: dict[str, list[WeeklyMeeting]] = defaultdict(list)
    by_room: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for meeting in meetings:
        by_section[meeting.section].append(meeting)
        by_room[meeting.room].append((meeting.weekday, meeting.start, meeting.end))
    for room, weekday, start, end in closures:
        by_room[room].append((weekday, start, end))
    busy: list[list[Interval]] = [[] for _ in students]
    for number, position in index.items():
        for section in sections_of[number]:
            for meeting in by_section[section]:
                for date in teaching:
                    if date.weekday() == meeting.weekday:
                        busy[position].append(
                            Interval(day=day_of[date], start=meeting.start, end=meeting.end)
                        )
    for number, position in index.items():
        for date, start, end in (sitting or {}).get(number, ()):
            if date in day_of:
                busy[position].append(Interval(day=day_of[date], start=start, end=end))
    held: dict[str, list[Interval]] = defaultdict(list)
    for room, uses in by_room.items():
        for date in teaching:
            held[room] += [
                Interval(day=day_of[date], start=s, end=e)
                for weekday, s, e in uses
                if weekday == date.weekday()
            ]
    for room, date, start, end in taken:
        if date in day_of:
            held[room].append(Interval(day=day_of[date], start=start, end=end))
    halls = tuple(
        Hall(
            index=position,
            name=room.name,
            capacity=room.capacity,
            kind=room.kind,
            features=frozenset(room.features),
            busy=tuple(held[room.name]),
        )
        for position, room in enumerate(data.rooms)
    )
    try:
        events = tuple(
            MasterClass(
                index=position,
                name=request.name,
                minutes=request.minutes,
                audience=tuple(index[s] for s in audience),
                seats=request.seats if request.seats is not None else len(audience),
                windows=tuple(Interval(day=day_of[d], start=s, end=e) for d, s, e in request.windows),
                features=frozenset(request.features),
                hall_kind=request.hall_kind,
            )
            for position, (request, audience) in enumerate(zip(requests, audiences, strict=True))
        )
        return MasterClassProblem(
            name=name, dates=tuple(dates), halls=halls, events=events, student_busy=tuple(map(tuple, busy))
        )
    except ValidationError as error:
        raise DatasetError(REQUESTS.file, None, validation_reason(error)) from None


def placement_rows(problem: MasterClassProblem, solution: MasterClassSolution) -> list[dict[str, object]]:
    """The placement as the office reads it: each master class's date, times, hall and clashes."""
    rows = []
    for event, place in zip(problem.events, solution.places, strict=True):
        if place is None:
            continue
        end = place.start + event.minutes
        rows.append(
            {
                "master_class": event.name,
                "date": problem.dates[place.day].isoformat(),
                "start": f"{place.start // 60:02d}:{place.start % 60:02d}",
                "end": f"{end // 60:02d}:{end % 60:02d}",
                "hall": problem.halls[place.hall].name,
                "audience": len(event.audience),
                "with_a_class_then": len(problem.busy_students(event, place.day, place.start)),
            }
        )
    return rows
