"""Teaching-load runs in the service: the load of the academic year a semester belongs to (its
semesters sharing `academic_year`, or the semester alone), published by writing the teachers it
chose into the sections (so the class timetable takes them from here) and into the extra load,
and its statement per teacher and per department."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from datasets.registrar_load import Term, year_load_problem
from models.load import LoadProblem, LoadSolution
from service.storage import schema
from service.storage.records import load_semester
from solver.load.summary import department_lines, teacher_lines


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


def apply_load(session: Session, run: schema.Run) -> int:
    """The run's teachers into the sections and extra load of its year; returns items changed."""
    problem = load_problem(session, run.semester)
    solution = LoadSolution.model_validate(run.solution)
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


def statement(session: Session, run: schema.Run) -> dict[str, Any]:
    """Planned hours by component against each teacher's limits, then each department's."""
    problem = load_problem(session, run.semester)
    solution = LoadSolution.model_validate(run.solution)

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
