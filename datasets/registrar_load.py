"""A year's teaching load from the registrar's records.

Each section of the year's semesters is a load item of its contact hours (weekly periods times
the semester's teaching weeks) in the semester's term, by component and language, shared by as
many teachers as it has now; the teachers it has now are the plan so far ("last year" to the
load model, so keeping them costs nothing). A practice or lab is linked to its course's lecture
when the course has one lecture stream in that term. Extra load (supervision) comes as items of
its own, planned for its teacher when one is named.

Teachers bring their load terms (rank, rate, least hours, wishes). One with no qualifications
listed may teach any component of the courses of their department and of what they teach now;
everyone may take their department's supervision. When only one term of the year is stored, the
norms, least hours and the contact-hour cap are that term's half of the year's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from datasets.load_tables import (
    DEFAULT_NORMS,
    WEEKS,
    ItemRow,
    TeacherRow,
    build_load_problem,
    read_load_problem,
)
from datasets.registrar_csv import read_records
from datasets.registrar_records import RegistrarData
from models.load import ANY, CONTACT_CAP, LoadProblem, LoadSolution


@dataclass(frozen=True)
class Term:
    """One semester of the year as stored: its records, its term (1 or 2) and teaching weeks."""

    name: str
    data: RegistrarData
    term: int
    teaching_weeks: int


def is_registrar_folder(folder: Path) -> bool:
    """A registrar's semester folder (its sections), as against the load's own tables (its items)."""
    tables = ("items.csv", "items.xlsx")
    return (folder / "sections.csv").is_file() and not any((folder / table).is_file() for table in tables)


def read_year_load(folder: Path, term: int = 1, teaching_weeks: int = WEEKS) -> LoadProblem:
    """The load of a folder: its teachers and items tables, or, for a registrar's semester folder,
    that semester's sections and extra load as the year's `term` (see `year_load_problem`)."""
    if not is_registrar_folder(folder):
        return read_load_problem(folder)
    name = folder.resolve().name
    return year_load_problem(name, [Term(name, read_records(folder), term, teaching_weeks)])


def named_now(problem: LoadProblem) -> LoadSolution:
    """The teachers the registrar's sections and extra load name now (an item's `previous` in a load
    read from them): the plan so far."""
    return LoadSolution(
        problem_name=problem.name, teachers=tuple(tuple(item.previous) for item in problem.items)
    )


def present_teachers(problem: LoadProblem) -> LoadSolution | None:
    """The plan so far when every item has its whole team (the distribution a timetable was
    published with), else None."""
    if any(len(set(item.previous)) != item.teachers for item in problem.items):
        return None
    return named_now(problem)


def year_load_problem(name: str, terms: Sequence[Term]) -> LoadProblem:
    share = len({term.term for term in terms}) / 2  # the year's part the stored terms make
    items: list[ItemRow] = []
    taught: dict[str, set[str]] = {}
    supervision: dict[str, set[tuple[str, str]]] = {}
    several = len(terms) > 1
    for term in terms:
        departments = {course.code: course.department for course in term.data.courses}
        lectures = Counter(s.course for s in term.data.sections if s.component == "lecture")
        lecture_of = {
            s.course: s.ref
            for s in term.data.sections
            if s.component == "lecture" and lectures[s.course] == 1
        }
        prefix = f"{term.name}: " if several else ""
        for section in term.data.sections:
            sharing = max(1, len(section.teachers))
            hours = sum(section.meetings) * term.teaching_weeks
            hours += -hours % sharing  # whole hours for each of its teachers
            lecture = lecture_of.get(section.course, "") if section.component != "lecture" else ""
            items.append(
                ItemRow(
                    name=prefix + section.ref,
                    course=section.course,
                    component=section.component,
                    hours=hours,
                    department=departments.get(section.course, ""),
                    language=section.language,
                    term=term.term,
                    teachers=sharing,
                    last_year=section.teachers,
                    lecture=prefix + lecture if lecture else "",
                    section=section.ref,
                    source="sections",
                )
            )
            for name_of_teacher in section.teachers:
                taught.setdefault(name_of_teacher, set()).add(section.course)
        for extra in term.data.extra_load:
            work = extra.course or f"{extra.department} {extra.component}".strip()
            supervision.setdefault(extra.department, set()).add((work, extra.component))
            items.append(
                ItemRow(
                    name=prefix + extra.name,
                    course=work,
                    component=extra.component,
                    hours=extra.hours,
                    department=extra.department,
                    language=extra.language,
                    term=term.term,
                    last_year=(extra.teacher,) if extra.teacher else (),
                    source="extra_load",
                )
            )
    records = {record.name: record for term in terms for record in term.data.teachers}
    courses_of: dict[str, set[str]] = {}
    for term in terms:
        for course in term.data.courses:
            courses_of.setdefault(course.department, set()).add(course.code)
    teachers = []
    for teacher in records.values():
        terms_of = teacher.terms  # the record's load terms
        listed = {_qualification(entry) for entry in terms_of.qualifications}
        if not listed:
            own = courses_of.get(teacher.department, set()) | taught.get(teacher.name, set())
            listed = {(course, ANY) for course in own}
        listed |= supervision.get(teacher.department, set())
        teachers.append(
            TeacherRow(
                name=teacher.name,
                department=teacher.department,
                rank=terms_of.rank,
                rate=terms_of.rate,
                norm=round(DEFAULT_NORMS[terms_of.rank] * share),
                minimum=round(terms_of.minimum_hours * share),
                languages=teacher.languages,
                qualifications=tuple(sorted(listed)),
                wanted=terms_of.wanted,
                unwanted=terms_of.unwanted,
            )
        )
    return build_load_problem(name, teachers, items, round(CONTACT_CAP * share))


def _qualification(entry: str) -> tuple[str, str]:
    course, _, component = entry.partition(" ")
    return course, component or ANY
