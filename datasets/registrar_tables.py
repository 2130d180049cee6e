"""One kind of the registrar's records from an uploaded table (CSV or XLSX), checked against the
records already stored, with every bad row reported, not just the first.

The columns and the checks are those of the registrar's CSV folder (`datasets/registrar_csv.py`,
`docs/registrar-format.md`); a table of rooms is `rooms.csv` on its own. Downloadable templates
give each kind's header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from datasets.errors import DatasetError
from datasets.masterclass_tables import REQUESTS as MASTERCLASSES
from datasets.masterclass_tables import MasterClassRequest, cohort_students, request_of, unknown_audience
from datasets.registrar_csv import (
    BUILDINGS,
    COHORTS,
    COURSES,
    DEPARTMENTS,
    EXAM_PERIODS,
    EXAMS,
    EXTRA_LOAD,
    PROGRAMMES,
    REGISTRATIONS,
    RELATIONS,
    ROOMS,
    SECTIONS,
    STUDENTS,
    TEACHERS,
    _check_header,
    _Clock,
    _cohort,
    _course,
    _exam,
    _exam_period,
    _extra_load,
    _programme,
    _registration,
    _relation,
    _room,
    _Row,
    _section_record,
    _Spec,
    _teacher,
    csv_records,
    relation_key,
)
from datasets.registrar_records import (
    Building,
    Calendar,
    CohortRecord,
    Course,
    Department,
    ExamPeriod,
    ExamRecord,
    ExtraLoad,
    Programme,
    RegistrarData,
    Registration,
    Relation,
    Room,
    SectionRecord,
    Student,
    TeacherRecord,
)

TableRecord = (
    Building
    | Department
    | Programme
    | Room
    | TeacherRecord
    | Course
    | Student
    | SectionRecord
    | CohortRecord
    | Registration
    | Relation
    | ExamRecord
    | ExamPeriod
    | ExtraLoad
    | MasterClassRequest
)
MOST_ERRORS = 200  # an upload with more bad rows reports the first ones and the count
SESSION_DATES = (
    "the session's dates are set by registrar db load --exams-from --exams-to, and changed on the "
    "semester's sittings page or by registrar db exam-session SEMESTER --exams-from --exams-to"
)


@dataclass
class Known:
    """What a row may name: the records stored already (for a semester, its calendar and sections),
    and the first and last day of its exam session when they are known."""

    calendar: Calendar
    departments: dict[str, Department] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)
    teachers: dict[str, TeacherRecord] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    sections: dict[str, SectionRecord] = field(default_factory=dict)
    extra_load: dict[str, ExtraLoad] = field(default_factory=dict)
    exam_session: tuple[dt.date, dt.date] | None = None

    @cached_property
    def cohorts(self) -> dict[str, list[str]]:
        """The stored students by cohort, worked out once for a whole upload."""
        return cohort_students(self.students.values())

    @classmethod
    def of(cls, data: RegistrarData, exam_session: tuple[dt.date, dt.date] | None = None) -> Known:
        return cls(
            calendar=data.calendar,
            departments={d.name: d for d in data.departments},
            programmes={p.name: p for p in data.programmes},
            buildings={b.name: b for b in data.buildings},
            rooms={r.name: r for r in data.rooms},
            teachers={t.name: t for t in data.teachers},
            courses={c.code: c for c in data.courses},
            students={s.id: s for s in data.students},
            sections={s.ref: s for s in data.sections},
            extra_load={x.name: x for x in data.extra_load},
            exam_session=exam_session,
        )


@dataclass(frozen=True)
class Kind:
    spec: _Spec
    build: Callable[[_Row, Known, _Clock], TableRecord]


def _department(row: _Row, known: Known, clock: _Clock) -> Department:
    return Department(row.text("name", required=True), row.text("faculty"))


def _building(row: _Row, known: Known, clock: _Clock) -> Building:
    return Building(row.text("name", required=True), row.text("campus"))


def _table_room(row: _Row, known: Known, clock: _Clock) -> Room:
    return _room(row, known.buildings, clock)


def _table_teacher(row: _Row, known: Known, clock: _Clock) -> TeacherRecord:
    """The courses a teacher names are checked once any is stored: teachers may be imported first."""
    missing = "no stored course has this code; import the course first if it is new"
    return _teacher(row, known.departments, clock, known.courses or None, missing)


def _table_course(row: _Row, known: Known, clock: _Clock) -> Course:
    campuses = {building.campus for building in known.buildings.values() if building.campus}
    return _course(row, known.departments, campuses)


def _table_student(row: _Row, known: Known, clock: _Clock) -> Student:
    """A student of a stored programme; its cohort need not be stored yet."""
    year = row.whole("year", least=1) if row.text("year") else None
    return Student(row.text("student", required=True), _stored_programme(row, known), year)


def _table_section(row: _Row, known: Known, clock: _Clock) -> SectionRecord:
    kinds = {room.kind for room in known.rooms.values()}
    features = {feature for room in known.rooms.values() for feature in room.features}
    section = _section_record(row, clock, kinds, features, known.teachers, known.courses)
    if section.ref in known.extra_load:  # the teaching load names its items by both
        reason = f"{section.ref!r} is also the name of the semester's extra load: rename that work first"
        raise row.error("section", reason)
    return section


def _table_registration(row: _Row, known: Known, clock: _Clock) -> Registration:
    return _registration(row, known.students, known.sections, set())


def _table_programme(row: _Row, known: Known, clock: _Clock) -> Programme:
    return _programme(row, known.departments)


def _table_cohort(row: _Row, known: Known, clock: _Clock) -> CohortRecord:
    _stored_programme(row, known)
    return _cohort(row, known.sections, known.programmes)


def _stored_programme(row: _Row, known: Known) -> str:
    programme = row.text("programme")
    if programme and programme not in known.programmes:
        raise row.error("programme", f"unknown programme {programme!r} (import it with the programmes first)")
    return programme


def _table_relation(row: _Row, known: Known, clock: _Clock) -> Relation:
    return _relation(row, known.sections)


def _table_exam(row: _Row, known: Known, clock: _Clock) -> ExamRecord:
    return _exam(row, known.courses)


def _table_exam_period(row: _Row, known: Known, clock: _Clock) -> ExamPeriod:
    # an import cannot widen a stored semester's session: only the row can be mended
    return _exam_period(row, known.exam_session, f"check its date; {SESSION_DATES}")


def _table_extra_load(row: _Row, known: Known, clock: _Clock) -> ExtraLoad:
    return _extra_load(row, known.departments, known.courses, known.teachers, known.sections)


def _table_masterclass(row: _Row, known: Known, clock: _Clock) -> MasterClassRequest:
    """A request whose audience names stored cohorts ('Physics 2') or students, and whose hall kind
    is a stored room's."""
    request = request_of(row, {room.kind for room in known.rooms.values()})
    for entry in request.audience:
        if entry not in known.cohorts and entry not in known.students:
            raise DatasetError(row.path, row.line, unknown_audience(entry, known.cohorts))
    return request


def _key(record: TableRecord) -> str | tuple[str, str]:
    """The natural key a kind's records are matched on (in the file and in the database)."""
    match record:
        case Course():
            return record.code
        case Student():
            return record.id
        case SectionRecord():
            return record.ref
        case Registration():
            return (record.student, record.section)
        case CohortRecord():
            return (record.programme, f"year {record.year}")
        case Relation():
            return relation_key(record)
        case ExamRecord():
            return record.course
        case ExamPeriod():
            return (record.date.isoformat(), record.start)
        case _:
            return record.name


KINDS: dict[str, Kind] = {
    "departments": Kind(DEPARTMENTS, _department),
    "programmes": Kind(PROGRAMMES, _table_programme),
    "buildings": Kind(BUILDINGS, _building),
    "rooms": Kind(ROOMS, _table_room),
    "teachers": Kind(TEACHERS, _table_teacher),
    "courses": Kind(COURSES, _table_course),
    "students": Kind(STUDENTS, _table_student),
    "sections": Kind(SECTIONS, _table_section),
    "cohorts": Kind(COHORTS, _table_cohort),
    "registrations": Kind(REGISTRATIONS, _table_registration),
    "section_relations": Kind(RELATIONS, _table_relation),
    "exams": Kind(EXAMS, _table_exam),
    "exam_periods": Kind(EXAM_PERIODS, _table_exam_period),
    "extra_load": Kind(EXTRA_LOAD, _table_extra_load),
    "masterclasses": Kind(MASTERCLASSES, _table_masterclass),
}


class TableRejected(ValueError):
    """An upload with bad rows: each named by line and column; nothing of it is to be stored."""

    def __init__(self, source: str, errors: list[DatasetError], total: int) -> None:
        self.source, self.errors, self.total = source, errors, total
        shown = "; ".join(f"line {e.line}: {e.reason}" for e in errors[:3])
        more = f" (and {total - 3} more)" if total > 3 else ""
        super().__init__(f"{source}: {total} bad row{'s' * (total != 1)}: {shown}{more}")


def read_table(kind: str, source: str, content: bytes, known: Known) -> list[TableRecord]:
    """The records of one kind in an uploaded CSV or XLSX file (by its name), all checked."""
    if kind not in KINDS:
        raise DatasetError(source, None, f"unknown kind of record {kind!r}: the kinds are {', '.join(KINDS)}")
    how = KINDS[kind]
    path = Path(source)
    header, rows = _xlsx(path, content) if path.suffix.lower() == ".xlsx" else _csv(path, content)
    _check_header(path, header, how.spec)
    clock = _Clock(known.calendar)
    records: list[TableRecord] = []
    seen: dict[str | tuple[str, str], int] = {}
    errors: list[DatasetError] = []
    total = 0
    for line, cells in rows:
        row = _Row(path, line, dict(zip(header, cells, strict=False)))
        try:
            if len(cells) > len(header):
                raise DatasetError(
                    path, line, f"{len(cells)} fields but the header names {len(header)} columns"
                )
            record = how.build(row, known, clock)
            key = _key(record)
            if key in seen:
                raise DatasetError(
                    path,
                    line,
                    f"{' '.join(key) if isinstance(key, tuple) else key} is also on line {seen[key]}",
                )
            seen[key] = line
            records.append(record)
        except DatasetError as error:
            total += 1
            if len(errors) < MOST_ERRORS:
                errors.append(error)
    if total:
        raise TableRejected(source, errors, total)
    return records


def _csv(path: Path, content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DatasetError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise DatasetError(path, 1, "empty file: expected a header row") from None
    except csv.Error as error:
        raise DatasetError(path, 1, f"bad CSV: {error}") from None

    return header, csv_records(path, reader)


def _xlsx(path: Path, content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DatasetError(path, None, f"not an Excel workbook ({type(error).__name__})") from None
    values = _read(path, sheet.iter_rows(values_only=True))
    first = next(values, None)
    if first is None:
        raise DatasetError(path, 1, "empty sheet: expected a header row")
    header = [_cell(value).lower() for value in first[1]]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in values:
            cells = [_cell(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield number, cells

    return header, rows()


def _read(path: Path, values: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The sheet's rows numbered from 1; a damaged sheet (openpyxl reads it row by row, as it is
    asked) is refused at the row where it breaks."""
    number = 0
    try:
        for number, row in enumerate(values, start=1):
            yield number, row
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged sheet
        raise DatasetError(
            path, number + 1, f"damaged sheet: unreadable here ({type(error).__name__})"
        ) from None


def _cell(value: object) -> str:
    """A workbook cell as the CSV's text: whole numbers without a point, and dates and times typed
    into Excel as the tables write them (2026-12-21, 09:00), not as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        midnight = value.time() == dt.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return str(value).strip()


def template(kind: str, file_format: str) -> bytes:
    """An empty table of one kind: its header row (required columns first)."""
    columns = KINDS[kind].spec.columns
    if file_format == "csv":
        return (",".join(columns) + "\n").encode()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
