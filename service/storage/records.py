"""A semester's records between the database and the engine's `RegistrarData`.

`store_semester` writes a whole semester (the demo load, a folder of the registrar's CSV files)
in the caller's transaction; records that outlive a semester (rooms, teachers, courses,
students, ...) are matched by name and updated, never duplicated. `load_semester` reads one
semester back in the order it was stored, so a round trip gives equal records and equal
timetabling problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from datasets import registrar_records as records
from datasets.masterclass_tables import MasterClassRequest, parse_window, window_text
from datasets.registrar_tables import SESSION_DATES, Known, TableRecord
from models.lessons import Preference
from models.lessons import SectionRelation as Relation
from service.storage import schema

Row = TypeVar("Row", bound=schema.Base)
LARGEST_ID = 2**31 - 1  # ids are the databases' integers (PostgreSQL's integer; larger keys overflow)


class StorageError(ValueError):
    """A request the stored records cannot take, said in the registrar's words."""


def store_semester(
    session: Session,
    data: records.RegistrarData,
    name: str,
    starts_on: dt.date | None = None,
    teaching_weeks: int = 15,
    exams: tuple[dt.date, dt.date] | None = None,
    academic_year: str = "",
    term: int = 1,
) -> schema.Semester:
    if session.scalar(select(schema.Semester).where(schema.Semester.name == name)) is not None:
        raise StorageError(f"Semester {name!r} already exists; import its records one kind at a time instead")
    semester = schema.Semester(
        name=name,
        starts_on=starts_on,
        teaching_weeks=teaching_weeks,
        exams_from=exams[0] if exams else None,
        exams_to=exams[1] if exams else None,
        days=list(data.calendar.days),
        academic_year=academic_year,
        term=term,
    )
    semester.periods = [
        schema.CalendarPeriod(position=i, name=p.name, start=p.start, lunch_after=p.lunch_after)
        for i, p in enumerate(data.calendar.periods)
    ]
    session.add(semester)
    named = {t.department for t in data.teachers} | {c.department for c in data.courses}
    named |= {p.department for p in data.programmes}
    departments = _by_key(
        session,
        schema.Department,
        "name",
        [
            *data.departments,
            *(records.Department(n) for n in sorted(named - {d.name for d in data.departments}) if n),
        ],
        _department,
    )
    _store_programmes(session, data, departments)
    buildings = _by_key(session, schema.Building, "name", data.buildings, _building)
    _by_key(session, schema.Room, "name", data.rooms, lambda row, r: _room(row, r, buildings))
    teachers = _by_key(
        session, schema.Teacher, "name", data.teachers, lambda row, t: _teacher(row, t, departments)
    )
    courses = _by_key(
        session, schema.Course, "code", data.courses, lambda row, c: _course(row, c, departments)
    )
    unlisted = dict.fromkeys(r.student for r in data.registrations).keys() - {s.id for s in data.students}
    students = _by_key(
        session,
        schema.Student,
        "number",
        [*data.students, *(records.Student(number) for number in sorted(unlisted))],
        _student,
        key=lambda s: s.id,
    )
    session.flush()
    sections: dict[str, schema.Section] = {}
    for record in data.sections:
        section = schema.Section(
            semester=semester,
            course=courses[record.course],
            name=record.name,
            component=record.component,
            size_limit=record.size_limit,
            meetings=list(record.meetings),
            language=record.language,
            room_kind=record.room_kind,
            features=list(record.features),
            allowed_times=list(record.allowed_times),
        )
        section.teachers = [
            schema.SectionTeacher(teacher=teachers[name], position=i)
            for i, name in enumerate(record.teachers)
        ]
        sections[record.ref] = section
    session.add_all(sections.values())
    for cohort in data.cohorts:
        row = schema.Cohort(semester=semester, programme=cohort.programme, year=cohort.year)
        row.sections = [
            schema.CohortSection(section=sections[ref], position=i) for i, ref in enumerate(cohort.sections)
        ]
        session.add(row)
    for relation in data.relations:
        session.add(
            schema.SectionRelation(
                first=sections[relation.first],
                relation=relation.relation.value,
                second=sections[relation.second],
            )
        )
    _store_exam_session(session, semester, data, courses)
    session.flush()
    _store_extra_load(session, semester, data, courses)
    session.flush()
    if data.registrations:  # tens of thousands: one bulk insert
        session.execute(
            insert(schema.Registration),
            [
                {
                    "student_id": students[r.student].id,
                    "section_id": sections[r.section].id,
                    "position": i,
                }
                for i, r in enumerate(data.registrations)
            ],
        )
    return semester


def _store_programmes(
    session: Session, data: records.RegistrarData, departments: dict[str, schema.Department]
) -> None:
    """The programmes listed, and any a cohort or student names that is not stored yet."""
    listed = {programme.name for programme in data.programmes}
    named = {c.programme for c in data.cohorts} | {s.programme for s in data.students if s.programme}
    implied = [records.Programme(name) for name in sorted(named - listed)]
    stored = set(session.scalars(select(schema.Programme.name).where(schema.Programme.name.in_(named))))
    _by_key(
        session,
        schema.Programme,
        "name",
        [*data.programmes, *(p for p in implied if p.name not in stored)],
        lambda row, p: _programme(row, p, departments),
    )
    session.flush()


def _store_exam_session(
    session: Session,
    semester: schema.Semester,
    data: records.RegistrarData,
    courses: dict[str, schema.Course],
) -> None:
    session.add_all(
        schema.Exam(semester=semester, course=courses[exam.course], minutes=exam.minutes)
        for exam in data.exams
    )
    session.add_all(
        schema.ExamPeriod(semester=semester, date=p.date, start=p.start, minutes=p.minutes, penalty=p.penalty)
        for p in data.exam_periods
    )


def _store_extra_load(
    session: Session,
    semester: schema.Semester,
    data: records.RegistrarData,
    courses: dict[str, schema.Course],
) -> None:
    departments = {d.name: d for d in session.scalars(select(schema.Department))}
    teachers = {t.name: t for t in session.scalars(select(schema.Teacher))}
    for extra in data.extra_load:
        row = schema.ExtraLoad(semester=semester, name=extra.name)
        _fill_extra_load(row, extra, departments, courses, teachers)
        session.add(row)


def _fill_extra_load(
    row: schema.ExtraLoad,
    record: records.ExtraLoad,
    departments: dict[str, schema.Department],
    courses: dict[str, schema.Course],
    teachers: dict[str, schema.Teacher],
) -> None:
    row.component, row.hours, row.language = record.component, record.hours, record.language
    row.department = departments[record.department] if record.department else None
    row.course = courses[record.course] if record.course else None
    row.teacher = teachers[record.teacher] if record.teacher else None


def load_semester(session: Session, name: str) -> records.RegistrarData:
    semester = session.scalar(
        select(schema.Semester)
        .where(schema.Semester.name == name)
        .options(selectinload(schema.Semester.periods))
    )
    if semester is None:
        known = (
            ", ".join(session.scalars(select(schema.Semester.name).order_by(schema.Semester.id))) or "none"
        )
        raise StorageError(f"No semester {name!r} (stored: {known})")
    sections = session.scalars(
        select(schema.Section)
        .where(schema.Section.semester_id == semester.id)
        .order_by(schema.Section.id)
        .options(
            selectinload(schema.Section.course),
            selectinload(schema.Section.teachers).selectinload(schema.SectionTeacher.teacher),
        )
    ).all()
    ref = {section.id: f"{section.course.code} {section.name}" for section in sections}
    cohorts = session.scalars(
        select(schema.Cohort)
        .where(schema.Cohort.semester_id == semester.id)
        .order_by(schema.Cohort.id)
        .options(selectinload(schema.Cohort.sections))
    ).all()
    registrations = session.execute(
        select(schema.Student.number, schema.Registration.section_id)
        .join(schema.Registration.student)
        .join(schema.Registration.section)
        .where(schema.Section.semester_id == semester.id)
        .order_by(schema.Registration.position, schema.Registration.id)
    ).all()
    relations = session.scalars(
        select(schema.SectionRelation)
        .join(schema.SectionRelation.first)
        .where(schema.Section.semester_id == semester.id)
        .order_by(schema.SectionRelation.id)
    ).all()
    return records.RegistrarData(
        calendar=records.Calendar(
            days=tuple(semester.days),
            periods=tuple(records.Period(p.name, p.start, p.lunch_after) for p in semester.periods),
        ),
        departments=tuple(records.Department(d.name, d.faculty) for d in _all(session, schema.Department)),
        buildings=tuple(records.Building(b.name, b.campus) for b in _all(session, schema.Building)),
        rooms=tuple(
            records.Room(r.name, r.building.name, r.capacity, r.kind, tuple(r.features), tuple(r.unavailable))
            for r in _all(session, schema.Room, schema.Room.building)
        ),
        teachers=tuple(
            records.TeacherRecord(
                t.name,
                t.department.name if t.department else "",
                tuple(t.languages),
                tuple(t.unavailable),
                tuple((time, Preference(wish)) for time, wish in t.preferences),
                records.TeachingTerms(
                    t.rank,
                    t.rate,
                    t.minimum_hours,
                    tuple(t.qualifications),
                    tuple(t.wanted),
                    tuple(t.unwanted),
                ),
            )
            for t in _all(session, schema.Teacher, schema.Teacher.department)
        ),
        courses=tuple(
            records.Course(c.code, c.title, c.credits, c.department.name if c.department else "", c.campus)
            for c in _all(session, schema.Course, schema.Course.department)
        ),
        sections=tuple(
            records.SectionRecord(
                course=s.course.code,
                name=s.name,
                component=s.component,
                size_limit=s.size_limit,
                meetings=tuple(s.meetings),
                teachers=tuple(t.teacher.name for t in s.teachers),
                language=s.language,
                room_kind=s.room_kind,
                features=tuple(s.features),
                allowed_times=tuple(s.allowed_times),
            )
            for s in sections
        ),
        cohorts=tuple(
            records.CohortRecord(c.programme, c.year, tuple(ref[m.section_id] for m in c.sections))
            for c in cohorts
        ),
        students=tuple(
            records.Student(s.number, s.programme or "", s.year) for s in _all(session, schema.Student)
        ),
        registrations=tuple(records.Registration(number, ref[section]) for number, section in registrations),
        relations=tuple(
            records.Relation(ref[r.first_id], Relation(r.relation), ref[r.second_id]) for r in relations
        ),
        programmes=tuple(
            records.Programme(p.name, p.title, p.department.name if p.department else "")
            for p in _all(session, schema.Programme, schema.Programme.department)
        ),
        exams=tuple(
            records.ExamRecord(e.course.code, e.minutes)
            for e in session.scalars(
                select(schema.Exam)
                .where(schema.Exam.semester_id == semester.id)
                .order_by(schema.Exam.id)
                .options(selectinload(schema.Exam.course))
            )
        ),
        extra_load=tuple(
            records.ExtraLoad(
                x.name,
                x.component,
                x.hours,
                x.department.name if x.department else "",
                x.course.code if x.course else "",
                x.language,
                x.teacher.name if x.teacher else "",
            )
            for x in session.scalars(
                select(schema.ExtraLoad)
                .where(schema.ExtraLoad.semester_id == semester.id)
                .order_by(schema.ExtraLoad.id)
                .options(
                    selectinload(schema.ExtraLoad.department),
                    selectinload(schema.ExtraLoad.course),
                    selectinload(schema.ExtraLoad.teacher),
                )
            )
        ),
        exam_periods=tuple(
            records.ExamPeriod(p.date, p.start, p.minutes, p.penalty)
            for p in stored_sittings(session, semester)
        ),
    )


def _all(session: Session, table: type[Row], *loaded: object) -> list[Row]:
    query = select(table).order_by(table.id)  # type: ignore[attr-defined]
    for relationship in loaded:
        query = query.options(selectinload(relationship))  # type: ignore[arg-type]
    return list(session.scalars(query))


Record = TypeVar("Record")


def _by_key(
    session: Session,
    table: type[Row],
    column: str,
    items: Iterable[Record],
    fill: Callable[[Row, Record], None],
    key: Callable[[Record], str] | None = None,
) -> dict[str, Row]:
    """Each record's row, matched on `column` (its natural key) and updated, or added."""
    items = list(items)
    keys = [key(item) if key else getattr(item, column) for item in items]
    existing = {
        getattr(row, column): row
        for row in session.scalars(select(table).where(getattr(table, column).in_(keys)))
    }
    rows: dict[str, Row] = {}
    for item, name in zip(items, keys, strict=True):
        row = existing.get(name)
        if row is None:
            row = table(**{column: name})
            session.add(row)
        fill(row, item)
        rows[name] = row
    return rows


def _department(row: schema.Department, record: records.Department) -> None:
    row.faculty = record.faculty


def _building(row: schema.Building, record: records.Building) -> None:
    row.campus = record.campus


def _room(row: schema.Room, record: records.Room, buildings: dict[str, schema.Building]) -> None:
    row.building = buildings[record.building]
    row.capacity, row.kind = record.capacity, record.kind
    row.features, row.unavailable = list(record.features), list(record.unavailable)


def _teacher(
    row: schema.Teacher, record: records.TeacherRecord, departments: dict[str, schema.Department]
) -> None:
    row.department = departments[record.department] if record.department else None
    row.languages, row.unavailable = list(record.languages), list(record.unavailable)
    row.preferences = [[time, wish.value] for time, wish in record.preferences]
    terms = record.terms
    row.rank, row.rate, row.minimum_hours = terms.rank, terms.rate, terms.minimum_hours
    row.qualifications, row.wanted, row.unwanted = (
        list(terms.qualifications),
        list(terms.wanted),
        list(terms.unwanted),
    )


def _course(row: schema.Course, record: records.Course, departments: dict[str, schema.Department]) -> None:
    row.title, row.credits, row.campus = record.title, record.credits, record.campus
    row.department = departments[record.department] if record.department else None


def _programme(
    row: schema.Programme, record: records.Programme, departments: dict[str, schema.Department]
) -> None:
    row.title = record.title
    row.department = departments[record.department] if record.department else None


def _student(row: schema.Student, record: records.Student) -> None:
    row.programme, row.year = record.programme or None, record.year


def store_table(session: Session, semester: str, kind: str, rows: list[TableRecord]) -> tuple[int, int]:
    """Records of one kind (already checked by `read_table`) into the database: a record whose
    natural key is stored already is updated, others are added. Sections, cohorts, registrations,
    relations and the exam session go to `semester`. Returns (added, updated); the caller's
    transaction makes it all or nothing."""
    stored = semester_named(session, semester)
    by_semester = {
        "sections": _store_sections,
        "cohorts": _store_cohorts,
        "section_relations": _store_relations,
        "exams": _store_exams,
        "exam_periods": _store_exam_periods,
        "registrations": _store_registrations,
        "extra_load": _store_extra_rows,
        "masterclasses": _store_masterclasses,
    }
    if kind in by_semester:
        return by_semester[kind](session, stored, rows)
    departments = {d.name: d for d in session.scalars(select(schema.Department))}
    buildings = {b.name: b for b in session.scalars(select(schema.Building))}
    tables: dict[str, tuple[type[Any], str, Callable[[Any, Any], None], Callable[[Any], str] | None]] = {
        "departments": (schema.Department, "name", _department, None),
        "programmes": (schema.Programme, "name", lambda row, p: _programme(row, p, departments), None),
        "buildings": (schema.Building, "name", _building, None),
        "rooms": (schema.Room, "name", lambda row, r: _room(row, r, buildings), None),
        "teachers": (schema.Teacher, "name", lambda row, t: _teacher(row, t, departments), None),
        "courses": (schema.Course, "code", lambda row, c: _course(row, c, departments), None),
        "students": (schema.Student, "number", _student, lambda s: s.id),
    }
    table, column, fill, key = tables[kind]
    before = session.scalar(select(func.count()).select_from(table)) or 0
    _by_key(session, table, column, rows, fill, key)
    session.flush()
    after = session.scalar(select(func.count()).select_from(table)) or 0
    return after - before, len(rows) - (after - before)


def published(session: Session, semester: schema.Semester, kind: str) -> schema.Run | None:
    """The semester's published run of `kind`, whole."""
    return session.scalar(
        select(schema.Run).where(
            schema.Run.semester_id == semester.id,
            schema.Run.kind == kind,
            schema.Run.published_at.is_not(None),
        )
    )


def stored_row(session: Session, table: type[Row], key: int) -> Row | None:
    """The row of `table` with the id `key`, or None: an id a request names may be one no row can
    have, too large for the database to be asked about."""
    return session.get(table, key) if 0 < key <= LARGEST_ID else None


def known_records(session: Session, semester: str) -> Known:
    """What an upload to `semester` may name, checked against its exam session when it has one."""
    stored = semester_named(session, semester)
    return Known.of(load_semester(session, semester), exam_session(stored))


def exam_session(semester: schema.Semester) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the semester's exam session, or None when not given."""
    if semester.exams_from is None or semester.exams_to is None:
        return None
    return semester.exams_from, semester.exams_to


def outside_session(semester: schema.Semester, day: dt.date) -> bool:
    """Whether a sitting on `day` lies outside the semester's exam session (never, when its dates are
    not known)."""
    dates = exam_session(semester)
    return dates is not None and not dates[0] <= day <= dates[1]


def stored_sittings(session: Session, semester: schema.Semester) -> list[schema.ExamPeriod]:
    """The semester's sittings in the order exam runs number them."""
    return list(
        session.scalars(
            select(schema.ExamPeriod)
            .where(schema.ExamPeriod.semester_id == semester.id)
            .order_by(schema.ExamPeriod.date, schema.ExamPeriod.start)
        )
    )


def stray_sittings(session: Session, semester: schema.Semester) -> list[schema.ExamPeriod]:
    """The semester's stored sittings outside its exam session: a database older than the imports'
    check may hold a mistyped year or month."""
    return [
        sitting for sitting in stored_sittings(session, semester) if outside_session(semester, sitting.date)
    ]


def stray_warning(semester: schema.Semester, strays: list[schema.ExamPeriod]) -> str:
    """What an exam run says of the sittings it leaves out, and what the planner can do."""
    return f"the run leaves out the sittings outside the exam session, {_strays_said(semester, strays)}"


def check_sittings(session: Session, semester: schema.Semester) -> None:
    """Refuses (StorageError) a semester whose stored sittings all lie outside its exam session: an
    exam run leaves those out and would have none (with some inside, it runs on those)."""
    stored = stored_sittings(session, semester)
    strays = [sitting for sitting in stored if outside_session(semester, sitting.date)]
    if strays and len(strays) == len(stored):
        raise StorageError(
            f"semester {semester.name!r} has no sitting in its exam session, {_strays_said(semester, strays)}"
        )


def _strays_said(semester: schema.Semester, strays: list[schema.ExamPeriod]) -> str:
    dates = exam_session(semester)
    assert dates is not None  # a sitting is outside only a known session
    named = ", ".join(f"{sitting.date} at {sitting.start}" for sitting in strays[:5])
    more = f" and {len(strays) - 5} more" if len(strays) > 5 else ""
    return (
        f"{dates[0]} to {dates[1]}: {named}{more}; remove the mistyped ones on the semester's sittings "
        f"page (or DELETE /api/semesters/SEMESTER/sittings/DATE/START); {SESSION_DATES}"
    )


def semester_named(session: Session, name: str) -> schema.Semester:
    stored = session.scalar(select(schema.Semester).where(schema.Semester.name == name))
    if stored is None:
        known = (
            ", ".join(session.scalars(select(schema.Semester.name).order_by(schema.Semester.id))) or "none"
        )
        raise StorageError(f"No semester {name!r} (stored: {known})")
    return stored


def _update_or_add(
    session: Session,
    existing: dict[Any, Row],
    rows: list[Any],
    key: Callable[[Any], Any],
    add: Callable[[Any], Row],
    fill: Callable[[Row, Any], None],
) -> tuple[int, int]:
    """Each record's stored row (by its key in the semester) updated, or a new one added;
    returns (added, updated)."""
    added = 0
    for record in rows:
        row = existing.get(key(record))
        if row is None:
            row = existing[key(record)] = add(record)
            session.add(row)
            added += 1
        fill(row, record)
    session.flush()
    return added, len(rows) - added


def _store_sections(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    courses = {c.code: c for c in session.scalars(select(schema.Course))}
    teachers = {t.name: t for t in session.scalars(select(schema.Teacher))}
    existing = {
        (s.course.code, s.name): s
        for s in session.scalars(
            select(schema.Section)
            .where(schema.Section.semester_id == semester.id)
            .options(selectinload(schema.Section.course))
        )
    }

    def fill(section: schema.Section, record: records.SectionRecord) -> None:
        section.component, section.size_limit = record.component, record.size_limit
        section.meetings, section.language = list(record.meetings), record.language
        section.room_kind, section.features = record.room_kind, list(record.features)
        section.allowed_times = list(record.allowed_times)
        section.teachers = [
            schema.SectionTeacher(teacher=teachers[name], position=i)
            for i, name in enumerate(record.teachers)
        ]

    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: (r.course, r.name),
        lambda r: schema.Section(semester=semester, course=courses[r.course], name=r.name),
        fill,
    )


def _section_ids(session: Session, semester: schema.Semester) -> dict[str, int]:
    return {
        f"{code} {name}": section_id
        for section_id, code, name in session.execute(
            select(schema.Section.id, schema.Course.code, schema.Section.name)
            .join(schema.Section.course)
            .where(schema.Section.semester_id == semester.id)
        )
    }


def _store_cohorts(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    """Each cohort's block of sections, replaced when the programme's year is stored already."""
    sections = _section_ids(session, semester)
    existing = {
        (c.programme, c.year): c
        for c in session.scalars(select(schema.Cohort).where(schema.Cohort.semester_id == semester.id))
    }

    def fill(cohort: schema.Cohort, record: records.CohortRecord) -> None:
        cohort.sections = [
            schema.CohortSection(section_id=sections[ref], position=place)
            for place, ref in enumerate(record.sections)
        ]

    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: (r.programme, r.year),
        lambda r: schema.Cohort(semester=semester, programme=r.programme, year=r.year),
        fill,
    )


def _store_relations(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    """Relations not stored yet are added; one stored already stays as it is."""
    sections = _section_ids(session, semester)
    stored = {
        (r.relation, *Relation(r.relation).pair(r.first_id, r.second_id))
        for r in session.scalars(
            select(schema.SectionRelation).where(schema.SectionRelation.first_id.in_(sections.values()))
        )
    }
    added = 0
    for record in rows:
        first, second = sections[record.first], sections[record.second]
        key = (record.relation.value, *record.relation.pair(first, second))
        if key not in stored:
            stored.add(key)
            session.add(
                schema.SectionRelation(first_id=first, relation=record.relation.value, second_id=second)
            )
            added += 1
    session.flush()
    return added, len(rows) - added


def _store_exams(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    courses = {c.code: c for c in session.scalars(select(schema.Course))}
    existing = {
        e.course.code: e
        for e in session.scalars(
            select(schema.Exam)
            .where(schema.Exam.semester_id == semester.id)
            .options(selectinload(schema.Exam.course))
        )
    }

    def fill(exam: schema.Exam, record: records.ExamRecord) -> None:
        exam.minutes = record.minutes

    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: r.course,
        lambda r: schema.Exam(semester=semester, course=courses[r.course]),
        fill,
    )


def _store_exam_periods(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    existing = {(p.date, p.start): p for p in stored_sittings(session, semester)}

    def fill(sitting: schema.ExamPeriod, record: records.ExamPeriod) -> None:
        sitting.minutes, sitting.penalty = record.minutes, record.penalty

    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: (r.date, r.start),
        lambda r: schema.ExamPeriod(semester=semester, date=r.date, start=r.start),
        fill,
    )


def _store_extra_rows(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    departments = {d.name: d for d in session.scalars(select(schema.Department))}
    courses = {c.code: c for c in session.scalars(select(schema.Course))}
    teachers = {t.name: t for t in session.scalars(select(schema.Teacher))}
    existing = {
        x.name: x
        for x in session.scalars(select(schema.ExtraLoad).where(schema.ExtraLoad.semester_id == semester.id))
    }
    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: r.name,
        lambda r: schema.ExtraLoad(semester=semester, name=r.name),
        lambda row, r: _fill_extra_load(row, r, departments, courses, teachers),
    )


def _store_masterclasses(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    existing = {
        m.name: m
        for m in session.scalars(
            select(schema.MasterClassRequest).where(schema.MasterClassRequest.semester_id == semester.id)
        )
    }

    def fill(row: schema.MasterClassRequest, request: MasterClassRequest) -> None:
        row.minutes, row.seats, row.hall_kind = request.minutes, request.seats, request.hall_kind
        row.windows = [window_text(window) for window in request.windows]
        row.audience, row.features = list(request.audience), list(request.features)

    return _update_or_add(
        session,
        existing,
        rows,
        lambda r: r.name,
        lambda r: schema.MasterClassRequest(semester=semester, name=r.name),
        fill,
    )


def load_masterclasses(session: Session, semester: schema.Semester) -> list[MasterClassRequest]:
    return [
        MasterClassRequest(
            name=row.name,
            minutes=row.minutes,
            windows=tuple(parse_window(text) for text in row.windows),
            audience=tuple(row.audience),
            seats=row.seats,
            features=tuple(row.features),
            hall_kind=row.hall_kind,
        )
        for row in session.scalars(
            select(schema.MasterClassRequest)
            .where(schema.MasterClassRequest.semester_id == semester.id)
            .order_by(schema.MasterClassRequest.id)
        )
    ]


def _store_registrations(session: Session, semester: schema.Semester, rows: list[Any]) -> tuple[int, int]:
    students = {
        number: key for number, key in session.execute(select(schema.Student.number, schema.Student.id))
    }
    sections = _section_ids(session, semester)
    stored = {
        (student, section)
        for student, section in session.execute(
            select(schema.Registration.student_id, schema.Registration.section_id).where(
                schema.Registration.section_id.in_(sections.values())
            )
        )
    }
    last = session.scalar(select(func.max(schema.Registration.position))) or 0
    new: list[dict[str, int]] = []
    for record in rows:
        pair = (students[record.student], sections[record.section])
        if pair not in stored:
            stored.add(pair)
            new.append({"student_id": pair[0], "section_id": pair[1], "position": last + 1 + len(new)})
    if new:
        session.execute(insert(schema.Registration), new)
    return len(new), 0
