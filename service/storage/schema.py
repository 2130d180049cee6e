"""The registrar's records as database tables (SQLAlchemy 2).

Rooms, buildings, departments, teachers, courses and students outlive a semester; sections,
their teachers, cohorts, registrations and section relations belong to one semester, as does
the week grid (days and periods) they are timetabled on. Lists that are only ever read whole
(a room's features, a teacher's unavailable times as staff write them) are JSON columns; every
reference between records is a foreign key, so no record can name one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAME = 200  # longest name or code kept

# constraint names fixed, so migrations name them the same on SQLite and PostgreSQL
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        list[str]: JSON,
        list[int]: JSON,
        list[list[str]]: JSON,
        dict[str, Any]: JSON,
        list[dict[str, Any]]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


class Semester(Base):
    __tablename__ = "semester"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    teaching_weeks: Mapped[int] = mapped_column(default=15)
    exams_from: Mapped[dt.date | None] = mapped_column(Date)
    exams_to: Mapped[dt.date | None] = mapped_column(Date)
    days: Mapped[list[str]] = mapped_column(default=list)  # "Mon", "Tue", ...
    academic_year: Mapped[str] = mapped_column(
        String(20), default=""
    )  # "2026/27": its terms share a load plan
    term: Mapped[int] = mapped_column(default=1)
    periods: Mapped[list[CalendarPeriod]] = relationship(
        back_populates="semester", order_by="CalendarPeriod.position", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("teaching_weeks >= 1", name="teaching_weeks"),
        CheckConstraint("term in (1, 2)", name="term"),
    )


class CalendarPeriod(Base):
    __tablename__ = "calendar_period"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(NAME))
    start: Mapped[str] = mapped_column(String(5))  # "08:30"
    lunch_after: Mapped[bool] = mapped_column(default=False)
    semester: Mapped[Semester] = relationship(back_populates="periods")
    __table_args__ = (UniqueConstraint("semester_id", "position"),)


class Department(Base):
    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    faculty: Mapped[str] = mapped_column(String(NAME), default="")


class Programme(Base):
    """An educational programme; cohorts and students name it by its code."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    title: Mapped[str] = mapped_column(String(NAME), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    department: Mapped[Department | None] = relationship()


class Building(Base):
    __tablename__ = "building"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    campus: Mapped[str] = mapped_column(String(NAME), default="")


class Room(Base):
    __tablename__ = "room"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    capacity: Mapped[int]
    kind: Mapped[str] = mapped_column(String(NAME))
    features: Mapped[list[str]] = mapped_column(default=list)
    unavailable: Mapped[list[str]] = mapped_column(default=list)  # "Sat", "Wed 9-12"
    building: Mapped[Building] = relationship()
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity"),)


class Teacher(Base):
    __tablename__ = "teacher"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    languages: Mapped[list[str]] = mapped_column(default=list)
    unavailable: Mapped[list[str]] = mapped_column(default=list)
    preferences: Mapped[list[list[str]]] = mapped_column(default=list)  # [time, wish]
    rank: Mapped[str] = mapped_column(String(40), default="lecturer")
    rate: Mapped[float] = mapped_column(default=1.0)
    minimum_hours: Mapped[int] = mapped_column(default=0)
    qualifications: Mapped[list[str]] = mapped_column(default=list)  # "CSE1001", "CSE1001 practice"
    wanted: Mapped[list[str]] = mapped_column(default=list)
    unwanted: Mapped[list[str]] = mapped_column(default=list)
    department: Mapped[Department | None] = relationship()
    __table_args__ = (
        CheckConstraint("rate > 0 and rate <= 2", name="rate"),
        CheckConstraint("minimum_hours >= 0", name="minimum_hours"),
    )


class Course(Base):
    __tablename__ = "course"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(NAME), unique=True)
    title: Mapped[str] = mapped_column(String(NAME))
    credits: Mapped[int]
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    campus: Mapped[str] = mapped_column(String(NAME), default="")
    department: Mapped[Department | None] = relationship()
    __table_args__ = (CheckConstraint("credits >= 0", name="credits"),)


class Section(Base):
    __tablename__ = "section"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    name: Mapped[str] = mapped_column(String(NAME))
    component: Mapped[str] = mapped_column(String(20))
    size_limit: Mapped[int]
    meetings: Mapped[list[int]]  # length in periods of each weekly meeting
    language: Mapped[str] = mapped_column(String(NAME), default="")
    room_kind: Mapped[str] = mapped_column(String(NAME), default="")
    features: Mapped[list[str]] = mapped_column(default=list)
    allowed_times: Mapped[list[str]] = mapped_column(default=list)
    semester: Mapped[Semester] = relationship()
    course: Mapped[Course] = relationship()
    teachers: Mapped[list[SectionTeacher]] = relationship(
        order_by="SectionTeacher.position", cascade="all, delete-orphan"
    )
    __table_args__ = (
        UniqueConstraint("semester_id", "course_id", "name"),
        CheckConstraint("size_limit >= 0", name="size_limit"),
    )


class SectionTeacher(Base):
    __tablename__ = "section_teacher"
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    teacher: Mapped[Teacher] = relationship()


class Cohort(Base):
    __tablename__ = "cohort"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    programme: Mapped[str] = mapped_column(ForeignKey("programme.name", onupdate="CASCADE"))
    year: Mapped[int]
    semester: Mapped[Semester] = relationship()
    sections: Mapped[list[CohortSection]] = relationship(
        order_by="CohortSection.position", cascade="all, delete-orphan"
    )
    __table_args__ = (UniqueConstraint("semester_id", "programme", "year"),)


class CohortSection(Base):
    __tablename__ = "cohort_section"
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[Section] = relationship()


class Student(Base):
    """A student; name and e-mail are personal data, shown to the office only."""

    __tablename__ = "student"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(NAME), unique=True)  # the ID staff use
    programme: Mapped[str | None] = mapped_column(ForeignKey("programme.name", onupdate="CASCADE"))
    year: Mapped[int | None]
    full_name: Mapped[str] = mapped_column(String(NAME), default="")
    email: Mapped[str] = mapped_column(String(NAME), default="")


class Registration(Base):
    __tablename__ = "registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)  # file order, kept for exact round trips
    student: Mapped[Student] = relationship()
    section: Mapped[Section] = relationship()
    __table_args__ = (UniqueConstraint("student_id", "section_id"),)


class SectionRelation(Base):
    __tablename__ = "section_relation"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(20))  # "same time", "avoid", "before"
    second_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    first: Mapped[Section] = relationship(foreign_keys=[first_id])
    second: Mapped[Section] = relationship(foreign_keys=[second_id])


class Exam(Base):
    """A course's exam in a semester's exam session."""

    __tablename__ = "exam"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    minutes: Mapped[int]
    semester: Mapped[Semester] = relationship()
    course: Mapped[Course] = relationship()
    __table_args__ = (
        UniqueConstraint("semester_id", "course_id"),
        CheckConstraint("minutes > 0", name="minutes"),
    )


class ExamPeriod(Base):
    """One sitting of a semester's exam session."""

    __tablename__ = "exam_period"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    start: Mapped[str] = mapped_column(String(5))  # "09:00"
    minutes: Mapped[int]
    penalty: Mapped[int] = mapped_column(default=0)
    semester: Mapped[Semester] = relationship()
    __table_args__ = (
        UniqueConstraint("semester_id", "date", "start"),
        CheckConstraint("minutes > 0", name="minutes"),
        CheckConstraint("penalty >= 0", name="penalty"),
    )


class ExtraLoad(Base):
    """Work of a semester that counts as teaching load besides classes (supervision, ...)."""

    __tablename__ = "extra_load"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    component: Mapped[str] = mapped_column(String(NAME))
    hours: Mapped[int]
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    language: Mapped[str] = mapped_column(String(NAME), default="")
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teacher.id"))
    semester: Mapped[Semester] = relationship()
    department: Mapped[Department | None] = relationship()
    course: Mapped[Course | None] = relationship()
    teacher: Mapped[Teacher | None] = relationship()
    __table_args__ = (
        UniqueConstraint("semester_id", "name"),
        CheckConstraint("hours >= 0", name="hours"),
    )


class MasterClassRequest(Base):
    """A one-off event of a semester to place: a guest's windows, its audience, the hall it needs."""

    __tablename__ = "master_class"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    minutes: Mapped[int]
    windows: Mapped[list[str]] = mapped_column(default=list)  # "2026-10-05 14:00-17:00"
    audience: Mapped[list[str]] = mapped_column(default=list)  # cohorts ("Physics 2") or student IDs
    seats: Mapped[int | None]
    features: Mapped[list[str]] = mapped_column(default=list)
    hall_kind: Mapped[str] = mapped_column(String(NAME), default="")
    semester: Mapped[Semester] = relationship()
    __table_args__ = (
        UniqueConstraint("semester_id", "name"),
        CheckConstraint("minutes > 0", name="minutes"),
    )


class AttestationTable(Base):
    """One table of a semester's State Attestation Commission data (calendar, rooms, people,
    commissions, defences, state exams), its rows as the office's CSV gives them, checked whole
    by the attestation reader before it is kept."""

    __tablename__ = "attestation_table"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    semester: Mapped[Semester] = relationship()
    __table_args__ = (UniqueConstraint("semester_id", "kind"),)


class Scenario(Base):
    """Named data a planner runs the semester with (`datasets.registrar_scenario.ScenarioRecord`
    as JSON) and, for minimal perturbation, the run whose timetable to stay close to."""

    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(primary_key=True)
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME))
    description: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # run and scenario point at each other; use_alter tells SQLAlchemy how to order them
    baseline_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("run.id", ondelete="SET NULL", use_alter=True)
    )
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    semester: Mapped[Semester] = relationship()
    __table_args__ = (UniqueConstraint("semester_id", "name"),)


class RunStatus:
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"  # a solve that ended by itself, with or without a timetable
    CANCELLED = "cancelled"  # stopped on request; keeps its best timetable so far
    FAILED = "failed"  # the solve raised or its worker died; `error` says why
    UNFINISHED = (QUEUED, RUNNING)


class Run(Base):
    """One solver run: what was asked, how far it got, and what it found."""

    __tablename__ = "run"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "lessons", ...
    semester_id: Mapped[int] = mapped_column(ForeignKey("semester.id", ondelete="CASCADE"))
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="SET NULL"))
    scenario: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the changes as run, kept
    time_limit: Mapped[float]
    workers: Mapped[int]
    seed: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED, index=True)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)  # times a worker started it
    created_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    elapsed: Mapped[float | None]
    objective: Mapped[int | None]
    bound: Mapped[int | None]
    progress: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    solution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None]  # the semester's published timetable of its kind
    # a class timetable run that re-staffs one department: it, and the load it gave that department
    department: Mapped[str | None] = mapped_column(String(NAME))
    load_solution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # what the solution's numbers stand for (a class timetable's meetings, rooms and week), so it is
    # read back by name after imports move them (service.timetables)
    solved_for: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    semester: Mapped[Semester] = relationship()
    __table_args__ = (
        CheckConstraint("time_limit > 0", name="time_limit"),
        CheckConstraint("workers >= 1", name="workers"),
    )


class Booking(Base):
    """A room taken for a one-off use or one date of a weekly series; times are local."""

    __tablename__ = "booking"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=False))
    purpose: Mapped[str] = mapped_column(Text, default="")
    booked_by: Mapped[str] = mapped_column(String(NAME), default="")
    series: Mapped[str | None] = mapped_column(String(36), index=True)  # the dates of one weekly booking
    created_at: Mapped[dt.datetime]
    room: Mapped[Room] = relationship()
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_booking_room_starts", "room_id", "starts_at"),
    )


class Role:
    ADMIN = "admin"  # everything, users too
    PLANNER = "planner"  # records, scenarios, runs, publishing
    VIEWER = "viewer"  # published timetables, no student's
    ALL = (ADMIN, PLANNER, VIEWER)


class User(Base):
    """Someone who signs in to the pages or calls the API; only hashes are kept."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(NAME), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of the API token
    created_at: Mapped[dt.datetime]
    __table_args__ = (CheckConstraint("role in ('admin', 'planner', 'viewer')", name="role"),)
