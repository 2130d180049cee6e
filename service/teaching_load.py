"""Teaching-load runs in the service: the load of the academic year a semester belongs to (its
semesters sharing `academic_year`, or the semester alone), published by writing the teachers it
chose into the sections (so the class timetable takes them from here) and into the extra load,
and its statement per teacher and per department.

A class timetable run may also re-staff one department (`Restaffing`): the department's part of the
year's load is decided with its sections' meetings, every other meeting kept where the published
class timetable has it (`solver.load.together`); publishing it writes that department's teachers
the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from datasets.registrar_load import Term, present_teachers, year_load_problem
from models import LessonProblem, LessonSolution
from models.load import LoadProblem, LoadSolution
from models.names import did_you_mean
from service.storage import schema
from service.storage.records import StorageError, load_semester, published
from service.timetables import lesson_timetable
from solver.load.components import of_departments
from solver.load.summary import department_lines, teacher_lines

SHOWN_WARNINGS = 20


@dataclass(frozen=True)
class Restaffing:
    """What a class timetable run that re-staffs a department solves."""

    load: LoadProblem  # the department's part of the year's load
    lessons: LessonProblem
    published: LessonSolution  # the semester's published class timetable
    term: int
    present: LoadSolution | None  # the teachers the records name now, the published timetable's


def year_of(session: Session, semester: schema.Semester) -> list[schema.Semester]:
    """The semesters whose load is planned together with this one, in term order."""
    if not semester.academic_year:
        return [semester]
    return list(
        session.scalars(
            select(schema.Semester)
            .where(schema.Semester.academic_year == semester.academic_year)
            .order_by(schema.Semester.term, schema.Semester.id)
        )
    )


def load_problem(session: Session, semester: schema.Semester) -> LoadProblem:
    terms = [
        Term(s.name, load_semester(session, s.name), s.term, s.teaching_weeks)
        for s in year_of(session, semester)
    ]
    return year_load_problem(semester.academic_year or semester.name, terms)


def course_warnings(session: Session, department: str | None = None) -> list[str]:
    """The teachers' qualifications and wishes naming a code no stored course has (taken unchecked
    when the teachers came before the courses): such a code qualifies for nothing and grants nothing.
    Given a department, only its teachers' (those a re-staffing of it is about)."""
    codes = set(session.scalars(select(schema.Course.code)))
    teachers = select(schema.Teacher).order_by(schema.Teacher.id)
    if department is not None:
        teachers = teachers.join(schema.Teacher.department).where(schema.Department.name == department)
    warnings = []
    for teacher in session.scalars(teachers):
        named = [("is qualified for", entry.partition(" ")[0]) for entry in teacher.qualifications]
        named += [("asks for", code) for code in teacher.wanted]
        named += [("asks to be spared", code) for code in teacher.unwanted]
        warnings += [
            f"Teacher {teacher.name} {words} {code!r}, which no course is coded as{did_you_mean(code, codes)}"
            for words, code in dict.fromkeys(named)
            if code not in codes
        ]
    if len(warnings) > SHOWN_WARNINGS:
        more = len(warnings) - SHOWN_WARNINGS
        return [
            *warnings[:SHOWN_WARNINGS],
            f"... and {more:,} more course codes in the teachers' records that no course has.",
        ]
    return warnings


def department_load(session: Session, semester: schema.Semester, department: str) -> LoadProblem:
    """The department's part of the year's load (with whoever may teach it)."""
    try:
        return of_departments(load_problem(session, semester), {department}).problem
    except ValueError as error:
        raise StorageError(str(error)) from None


def published_timetable(session: Session, semester: schema.Semester) -> LessonSolution:
    """The semester's published class timetable."""
    run = published(session, semester, "lessons")
    if run is None or run.solution is None:
        raise StorageError(
            f"semester {semester.name!r} has no published class timetable to keep the other departments' "
            "meetings in: publish a lessons run first"
        )
    return lesson_timetable(run, load_semester(session, semester.name))


def restaffing(session: Session, run: schema.Run, lessons: LessonProblem) -> Restaffing:
    assert run.department is not None
    load = department_load(session, run.semester, run.department)
    return Restaffing(
        load, lessons, published_timetable(session, run.semester), run.semester.term, present_teachers(load)
    )


def run_load(session: Session, run: schema.Run) -> tuple[LoadProblem, LoadSolution] | None:
    """The load a run decided and its distribution: a load run's, the year's; a class timetable run
    that re-staffed a department, that department's."""
    if run.kind == "load" and run.solution is not None:
        return load_problem(session, run.semester), LoadSolution.model_validate(run.solution)
    if run.department is not None and run.load_solution is not None:
        problem = department_load(session, run.semester, run.department)
        return problem, LoadSolution.model_validate(run.load_solution)
    return None


def apply_load(session: Session, run: schema.Run) -> int:
    """The run's teachers into the sections and extra load of its year; returns items changed."""
    decided = run_load(session, run)
    if decided is None:
        return 0
    problem, solution = decided
    semesters = year_of(session, run.semester)
    prefix = {s.id: f"{s.name}: " if len(semesters) > 1 else "" for s in semesters}
    chosen = {
        item.name: [problem.teachers[t].name for t in teachers]
        for item, teachers in zip(problem.items, solution.teachers, strict=True)
    }
    teachers = {t.name: t for t in session.scalars(select(schema.Teacher))}
    changed = 0
    for section in session.scalars(
        select(schema.Section)
        .where(schema.Section.semester_id.in_([s.id for s in semesters]))
        .options(selectinload(schema.Section.course), selectinload(schema.Section.teachers))
    ):
        names = chosen.get(f"{prefix[section.semester_id]}{section.course.code} {section.name}")
        if names is None or [t.teacher.name for t in section.teachers] == names:
            continue
        section.teachers = [
            schema.SectionTeacher(teacher=teachers[name], position=place) for place, name in enumerate(names)
        ]
        changed += 1
    for extra in session.scalars(
        select(schema.ExtraLoad).where(schema.ExtraLoad.semester_id.in_([s.id for s in semesters]))
    ):
        names = chosen.get(f"{prefix[extra.semester_id]}{extra.name}")
        if names and (extra.teacher is None or extra.teacher.name != names[0]):
            extra.teacher = teachers[names[0]]
            changed += 1
    return changed


def statement(session: Session, run: schema.Run) -> dict[str, Any] | None:
    """Planned hours by component against each teacher's limits, then each department's (None: the
    run decided no load)."""
    decided = run_load(session, run)
    if decided is None:
        return None
    problem, solution = decided

    def shown(line: Any) -> dict[str, Any]:
        return {
            "name": line.name,
            "department": line.department,
            "hours": line.by_component,
            "total": line.total,
            "minimum": line.minimum,
            "norm": line.norm,
            "target": line.target,
            "over": line.over,
            "under": line.under,
        }

    return {
        "year": problem.name,
        "teachers": [shown(line) for line in teacher_lines(problem, solution)],
        "departments": [shown(line) for line in department_lines(problem, solution)],
    }
