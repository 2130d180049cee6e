"""The registrar's records as the office keeps them: names, not indices, one class per CSV file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.lessons import Preference, SectionRelation

COMPONENTS = ("lecture", "practice", "lab")
RANKS = ("professor", "associate professor", "senior lecturer", "lecturer", "assistant")


@dataclass(frozen=True, slots=True)
class Period:
    name: str  # the label staff use in times, usually 1, 2, ...
    start: str  # "08:30"
    lunch_after: bool = False


@dataclass(frozen=True, slots=True)
class Calendar:
    days: tuple[str, ...]
    periods: tuple[Period, ...]


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    faculty: str = ""


@dataclass(frozen=True, slots=True)
class Building:
    name: str
    campus: str = ""


@dataclass(frozen=True, slots=True)
class Room:
    name: str
    building: str
    capacity: int
    kind: str
    features: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()  # times as staff write them: "Sat", "Wed 9-12"


@dataclass(frozen=True, slots=True)
class TeachingTerms:
    """What the teaching-load plan knows of a teacher: rank and rate (which set the annual norm),
    the least load they must have, what they are qualified to teach and what they ask for."""

    rank: str = "lecturer"
    rate: float = 1.0  # share of a full rate
    minimum_hours: int = 0  # a year
    qualifications: tuple[str, ...] = ()  # "CSE1001" (any component) or "CSE1001 practice"
    wanted: tuple[str, ...] = ()  # course codes
    unwanted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TeacherRecord:
    name: str
    department: str = ""
    languages: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()
    preferences: tuple[tuple[str, Preference], ...] = ()  # (time, wish)
    terms: TeachingTerms = TeachingTerms()


@dataclass(frozen=True, slots=True)
class Course:
    code: str
    title: str
    credits: int
    department: str = ""
    campus: str = ""  # its sections use rooms of this campus only; empty: any campus


@dataclass(frozen=True, slots=True)
class SectionRecord:
    course: str
    name: str
    component: str
    size_limit: int
    meetings: tuple[int, ...]  # length in periods of each weekly meeting
    teachers: tuple[str, ...] = ()
    language: str = ""
    room_kind: str = ""
    features: tuple[str, ...] = ()
    allowed_times: tuple[str, ...] = ()  # empty: any time

    @property
    def ref(self) -> str:
        """How the other files name the section: course code, a space, section name."""
        return f"{self.course} {self.name}"


@dataclass(frozen=True, slots=True)
class Programme:
    """An educational programme; cohorts and students name it by `name` (its code)."""

    name: str
    title: str = ""
    department: str = ""


@dataclass(frozen=True, slots=True)
class CohortRecord:
    programme: str
    year: int
    sections: tuple[str, ...]  # section refs


@dataclass(frozen=True, slots=True)
class Student:
    id: str
    programme: str = ""
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    student: str
    section: str  # section ref


@dataclass(frozen=True, slots=True)
class Relation:
    first: str
    relation: SectionRelation
    second: str


@dataclass(frozen=True, slots=True)
class ExamRecord:
    """A course's end-of-semester exam: every student registered on one of its sections sits it."""

    course: str
    minutes: int


@dataclass(frozen=True, slots=True)
class ExamPeriod:
    """One sitting of the exam session."""

    date: dt.date
    start: str  # "09:00"
    minutes: int
    penalty: int = 0  # the office's dislike of using it (a Saturday, a late sitting)


@dataclass(frozen=True, slots=True)
class ExtraLoad:
    """Work that counts as teaching load besides classes: exam or practice supervision, thesis
    supervision (hours per student times students), with the teacher it is planned for, if any."""

    name: str
    component: str  # "thesis supervision", "exam supervision", "practice supervision", ...
    hours: int
    department: str = ""
    course: str = ""
    language: str = ""
    teacher: str = ""


@dataclass(frozen=True)
class RegistrarData:
    """One semester's records, in file order."""

    calendar: Calendar
    departments: tuple[Department, ...]
    buildings: tuple[Building, ...]
    rooms: tuple[Room, ...]
    teachers: tuple[TeacherRecord, ...]
    courses: tuple[Course, ...]
    sections: tuple[SectionRecord, ...]
    cohorts: tuple[CohortRecord, ...] = ()
    students: tuple[Student, ...] = ()
    registrations: tuple[Registration, ...] = ()
    relations: tuple[Relation, ...] = ()
    programmes: tuple[Programme, ...] = ()  # empty: the programmes the cohorts name
    exams: tuple[ExamRecord, ...] = ()  # empty: one exam per course with registered students
    exam_periods: tuple[ExamPeriod, ...] = ()  # empty: two sittings a day of the exam session
    extra_load: tuple[ExtraLoad, ...] = ()
