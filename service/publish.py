"""A timetable as people read it: the week of one teacher, room, student or cohort, as an HTML
grid, an iCalendar file of weekly events over the teaching weeks, CSV and XLSX; and the exams of
one student, room or course likewise (a list, and one event per exam)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from datasets.registrar_csv import lesson_problem
from datasets.registrar_exams import exam_courses, exam_students
from datasets.registrar_records import RegistrarData
from datasets.registrar_timetable import format_time
from datasets.registrar_week import ACADEMIC_HOUR
from models import ExamProblem, LessonSolution
from service.timetables import ExamPlace

WHOSE = ("teacher", "room", "student", "cohort")
COLUMNS = (
    "day",
    "time",
    "starts_at",
    "ends_at",
    "section",
    "title",
    "component",
    "room",
    "building",
    "teachers",
)


@dataclass(frozen=True)
class Entry:
    """One weekly meeting in someone's week."""

    day: str
    day_index: int
    period: int  # first period, from 0
    length: int
    time: str  # "Mon 3-4"
    starts_at: str
    ends_at: str
    section: str
    title: str
    component: str
    room: str
    building: str
    teachers: str


def week(data: RegistrarData, solution: LessonSolution, whose: str, name: str) -> list[Entry]:
    """The placed meetings of one teacher, room, student (by ID) or cohort ('Programme Year'),
    in week order; LookupError names what is unknown."""
    problem = lesson_problem(data, "week")
    refs = {section.ref: section for section in data.sections}
    courses = {course.code: course for course in data.courses}
    buildings = {room.name: room.building for room in data.rooms}
    if whose == "teacher":
        if name not in {t.name for t in data.teachers}:
            raise LookupError(f"no teacher {name!r}")
        wanted = {s.ref for s in data.sections if name in s.teachers}
    elif whose == "student":
        if name not in {s.id for s in data.students}:
            raise LookupError(f"no student {name!r}")
        wanted = {r.section for r in data.registrations if r.student == name}
    elif whose == "cohort":
        cohorts = {f"{c.programme} {c.year}": c for c in data.cohorts}
        if name not in cohorts:
            raise LookupError(f"no cohort {name!r} (write the programme, a space, the year)")
        wanted = set(cohorts[name].sections)
    elif whose == "room":
        if name not in buildings:
            raise LookupError(f"no room {name!r}")
        wanted = set(refs)
    else:
        raise LookupError(f"no kind of week {whose!r}: the kinds are {', '.join(WHOSE)}")
    grid = problem.grid
    entries = []
    for meeting in problem.meetings:
        start, room = solution.starts[meeting.index], solution.rooms[meeting.index]
        section = data.sections[meeting.section]
        if start is None or room is None or section.ref not in wanted:
            continue
        room_name = problem.rooms[room].name
        if whose == "room" and room_name != name:
            continue
        period = grid.period_of(start)
        entries.append(
            Entry(
                day=grid.days[grid.day_of(start)],
                day_index=grid.day_of(start),
                period=period,
                length=meeting.length,
                time=format_time(grid, start, meeting.length),
                starts_at=grid.period_starts[period],
                ends_at=_ends_at(grid.period_starts[period + meeting.length - 1]),
                section=section.ref,
                title=courses[section.course].title,
                component=section.component,
                room=room_name,
                building=buildings[room_name],
                teachers=", ".join(section.teachers),
            )
        )
    return sorted(entries, key=lambda e: (e.day_index, e.period, e.section))


def _ends_at(last_start: str) -> str:
    hours, minutes = map(int, last_start.split(":"))
    end = hours * 60 + minutes + ACADEMIC_HOUR
    return f"{end // 60:02d}:{end % 60:02d}"


def as_csv(entries: list[Entry]) -> str:
    return _csv(COLUMNS, [_fields(entry) for entry in entries])


def _csv(columns: tuple[str, ...], rows: list[list[object]]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return stream.getvalue()


def _fields(entry: Entry) -> list[object]:
    values = asdict(entry)
    return [values[column] for column in COLUMNS]


def grid_cells(entries: list[Entry], data: RegistrarData) -> list[list[list[Entry]]]:
    """Per period of the day, per day: the entries starting then (a grid to draw)."""
    cells: list[list[list[Entry]]] = [[[] for _ in data.calendar.days] for _ in data.calendar.periods]
    for entry in entries:
        cells[entry.period][entry.day_index].append(entry)
    return cells


def as_xlsx(entries: list[Entry], data: RegistrarData, title: str) -> bytes:
    """A week grid (periods down, days across) and the list of meetings."""
    workbook = Workbook()
    grid_sheet = workbook.active
    assert grid_sheet is not None
    grid_sheet.title = "Week"
    grid_sheet.append([title])
    grid_sheet["A1"].font = Font(bold=True, size=13)
    grid_sheet.append(["Period", *data.calendar.days])
    for cell in grid_sheet[2]:
        cell.font = Font(bold=True)
    for period, row in zip(data.calendar.periods, grid_cells(entries, data), strict=True):
        texts = ["\n".join(f"{e.section}\n{e.room}" for e in cell) for cell in row]
        grid_sheet.append([f"{period.name} ({period.start})", *texts])
    for row in grid_sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    listing = workbook.create_sheet("Meetings")
    listing.append(list(COLUMNS))
    for entry in entries:
        listing.append(_fields(entry))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def as_ics(
    entries: list[Entry], title: str, first_day: dt.date, weeks: int, key: str, stamp: dt.datetime
) -> bytes:
    """Weekly events over the teaching weeks; `first_day` is the date of the calendar's first
    day (e.g. Monday) in the first teaching week. Times are local (floating)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Registrar scheduling engine//timetable//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for number, entry in enumerate(entries):
        date = first_day + dt.timedelta(days=entry.day_index)
        event = Event()
        event.add("uid", f"{key}-{number}-{entry.section}-{entry.time}@registrar".replace(" ", "_"))
        event.add("summary", f"{entry.section} {entry.component}: {entry.title}")
        event.add("location", f"{entry.room}, {entry.building}")
        event.add("description", f"Teachers: {entry.teachers}" if entry.teachers else "")
        event.add("dtstart", dt.datetime.combine(date, _clock(entry.starts_at)))
        event.add("dtend", dt.datetime.combine(date, _clock(entry.ends_at)))
        event.add("rrule", {"freq": "weekly", "count": weeks})
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical()


def _clock(text: str) -> dt.time:
    hours, minutes = map(int, text.split(":"))
    return dt.time(hours, minutes)


# --- the exam schedule ---------------------------------------------------------------------------

EXAM_WHOSE = ("student", "room", "course")
EXAM_COLUMNS = ("date", "day", "starts_at", "ends_at", "course", "title", "room", "building", "students")


@dataclass(frozen=True)
class ExamEntry:
    """One exam in someone's session."""

    date: str
    day: str
    starts_at: str
    ends_at: str
    course: str
    title: str
    room: str
    building: str
    students: int


def exam_entries(
    data: RegistrarData, problem: ExamProblem, places: Sequence[ExamPlace], whose: str, name: str
) -> list[ExamEntry]:
    """The exams of one student (by ID), room or course, by date, from each exam's place (period and
    room; None: not placed); LookupError names what is unknown."""
    courses = exam_courses(data)
    titles = {course.code: course.title for course in data.courses}
    sitter: int | None = None  # the student's index: of a course sitting in parts, theirs only
    course_of = {section.ref: section.course for section in data.sections}
    if whose == "student":
        if name not in {s.id for s in data.students}:
            raise LookupError(f"no student {name!r}")
        wanted = {course_of[r.section] for r in data.registrations if r.student == name}
        sitter = exam_students(data).index(name) if wanted else None
    elif whose == "course":
        if name not in titles:
            raise LookupError(f"no course {name!r}")
        wanted = {name}
    elif whose == "room":
        if name not in {room.name for room in data.rooms}:
            raise LookupError(f"no room {name!r}")
        wanted = set(courses)
    else:
        raise LookupError(f"no kind of exam list {whose!r}: the kinds are {', '.join(EXAM_WHOSE)}")
    entries = []
    for exam, course in zip(problem.exams, courses, strict=True):
        place = places[exam.index]
        if place is None:
            continue
        period, room = place
        room_name = data.rooms[room].name if room is not None else ""
        if course not in wanted or (whose == "room" and room_name != name):
            continue
        if sitter is not None and sitter not in exam.students:
            continue
        sitting = problem.periods[period]
        assert sitting.date is not None and sitting.start is not None
        end = (dt.datetime.combine(sitting.date, sitting.start) + dt.timedelta(minutes=exam.duration)).time()
        entries.append(
            ExamEntry(
                date=sitting.date.isoformat(),
                day=sitting.date.strftime("%a"),
                starts_at=sitting.start.strftime("%H:%M"),
                ends_at=end.strftime("%H:%M"),
                course=course,
                title=titles[course],
                room=room_name,
                building=data.rooms[room].building if room is not None else "",
                students=exam.size,
            )
        )
    return sorted(entries, key=lambda e: (e.date, e.starts_at, e.course))


def exams_as_csv(entries: list[ExamEntry]) -> str:
    return _csv(EXAM_COLUMNS, [_exam_fields(entry) for entry in entries])


def exams_as_xlsx(entries: list[ExamEntry], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Exams"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(EXAM_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append(_exam_fields(entry))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def exams_as_ics(entries: list[ExamEntry], title: str, key: str, stamp: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Registrar scheduling engine//exams//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for entry in entries:
        date = dt.date.fromisoformat(entry.date)
        event = Event()
        event.add("uid", f"{key}-{entry.course}@registrar".replace(" ", "_"))
        event.add("summary", f"Exam: {entry.course} {entry.title}")
        event.add("location", f"{entry.room}, {entry.building}" if entry.room else "")
        event.add("dtstart", dt.datetime.combine(date, _clock(entry.starts_at)))
        event.add("dtend", dt.datetime.combine(date, _clock(entry.ends_at)))
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical()


def _exam_fields(entry: ExamEntry) -> list[object]:
    values = asdict(entry)
    return [values[column] for column in EXAM_COLUMNS]
