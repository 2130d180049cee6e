"""The semester lesson timetable: every meeting of every section into a day, periods and a room.

One native model serves the registrar's data and the benchmark formats: a CB-CTT course is a
section whose meetings last one period and whose curricula are cohorts; an ITC 2007
post-enrolment event is a section with one meeting and per-student registrations. The scoring
says which soft criteria apply and how they weigh.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from pydantic import Field, model_validator

from models.exams import Frozen

T = TypeVar("T", str, int)  # a section by name or by stored id


class Preference(StrEnum):
    """A teacher's wish for a time, on the scale UniTime and registrars use."""

    REQUIRED = "required"
    STRONGLY_PREFERRED = "strongly preferred"
    PREFERRED = "preferred"
    NEUTRAL = "neutral"
    DISCOURAGED = "discouraged"
    STRONGLY_DISCOURAGED = "strongly discouraged"
    PROHIBITED = "prohibited"


class TimeGrid(Frozen):
    """The teaching week: days of equal periods; slot = day * periods_per_day + period."""

    days: tuple[str, ...] = Field(min_length=1)
    periods_per_day: int = Field(ge=1)
    period_starts: tuple[str, ...] = Field(default=(), description="'08:30' per period, when known")
    period_names: tuple[str, ...] = Field(
        default=(), description="labels staff use ('1', '2'...), when known"
    )
    breaks_after: frozenset[int] = Field(
        default=frozenset(), description="periods of the day after which a meeting may not run on (lunch)"
    )

    @property
    def slot_count(self) -> int:
        return len(self.days) * self.periods_per_day

    def day_of(self, slot: int) -> int:
        return slot // self.periods_per_day

    def period_of(self, slot: int) -> int:
        return slot % self.periods_per_day

    def period_name(self, period: int) -> str:
        return self.period_names[period] if period < len(self.period_names) else str(period + 1)

    def slot(self, day: int, period: int) -> int:
        return day * self.periods_per_day + period

    def fits(self, start: int, length: int) -> bool:
        """A meeting of `length` periods from `start` stays in one day and crosses no break."""
        period = self.period_of(start)
        if period + length > self.periods_per_day:
            return False
        return not any(p in self.breaks_after for p in range(period, period + length - 1))


class LessonRoom(Frozen):
    """A teaching room: where it is, what it seats and offers, when it is taken."""

    index: int = Field(ge=0)
    name: str
    capacity: int = Field(ge=0)
    building: str = ""
    campus: str = ""
    kind: str = Field(default="", description="lecture hall, classroom, computer lab, ...")
    features: frozenset[str] = frozenset()
    unavailable: frozenset[int] = Field(default=frozenset(), description="slots")


class Teacher(Frozen):
    index: int = Field(ge=0)
    name: str
    unavailable: frozenset[int] = Field(default=frozenset(), description="slots")
    preferences: dict[int, Preference] = Field(default_factory=dict, description="slot -> wish")
    languages: frozenset[str] = frozenset()


class Section(Frozen):
    """A group taught together: a lecture stream, a practice group, a lab subgroup."""

    index: int = Field(ge=0)
    name: str
    course: str
    component: str = "lecture"
    teachers: tuple[int, ...] = ()
    size: int = Field(ge=0, description="students expected (registered or the size limit)")
    meetings: tuple[int, ...] = Field(min_length=1, description="length in periods of each weekly meeting")
    min_days: int = Field(default=0, ge=0, description="days the meetings should spread over (CB-CTT)")
    room_kind: str | None = None
    features: frozenset[str] = frozenset()
    unsuitable_rooms: frozenset[int] = frozenset()
    forbidden_slots: frozenset[int] = frozenset()
    language: str | None = None
    campus: str = Field(default="", description="when set, only rooms of this campus will do")


class Cohort(Frozen):
    """Sections taken as a block (a CB-CTT curriculum, a programme year): none may overlap."""

    index: int = Field(ge=0)
    name: str
    sections: tuple[int, ...]


class SectionRelation(StrEnum):
    SAME_TIME = "same time"  # parallel subgroups start together
    AVOID = "avoid"  # never overlap
    BEFORE = "before"  # every meeting of the first ends before any of the second starts

    def pair(self, first: T, second: T) -> tuple[T, T]:
        """The two sections in the order that tells relations apart: "same time" and "avoid" read
        both ways (smaller first), "before" one way."""
        if self is SectionRelation.BEFORE or first <= second:
            return first, second
        return second, first


class SectionConstraint(Frozen):
    first: int = Field(ge=0)
    relation: SectionRelation
    second: int = Field(ge=0)


class LessonScoring(StrEnum):
    UD2 = "UD2"  # CB-CTT, ITC 2007 track 3
    POST_ENROLMENT = "ITC2007-PE"  # ITC 2007 track 2
    REGISTRAR = "registrar"


class Meeting(Frozen):
    """One weekly meeting of a section: what the solver places."""

    index: int = Field(ge=0)
    section: int = Field(ge=0)
    ordinal: int = Field(ge=0)
    length: int = Field(ge=1)


class LessonProblem(Frozen):
    name: str
    grid: TimeGrid
    rooms: tuple[LessonRoom, ...]
    teachers: tuple[Teacher, ...] = ()
    sections: tuple[Section, ...]
    cohorts: tuple[Cohort, ...] = ()
    registrations: dict[int, tuple[int, ...]] = Field(
        default_factory=dict, description="student -> sections registered"
    )
    relations: tuple[SectionConstraint, ...] = ()
    scoring: LessonScoring = LessonScoring.REGISTRAR
    student_names: tuple[str, ...] = Field(default=(), description="per student index, the ID staff use")
    baseline: tuple[tuple[int, int] | None, ...] = Field(
        default=(),
        description="a timetable to stay close to (minimal perturbation): per meeting its (start, room)",
    )

    def replaced(self, **changes: object) -> LessonProblem:
        """The same problem with some fields changed, validated again (model_copy would keep
        derived values such as `meetings` computed for the old fields)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self).model_validate(fields | changes)

    def student_name(self, student: int) -> str:
        return self.student_names[student] if student < len(self.student_names) else str(student)

    @model_validator(mode="after")
    def _indices_consistent(self) -> LessonProblem:
        named: tuple[tuple[str, tuple[LessonRoom | Teacher | Section, ...]], ...] = (
            ("room", self.rooms),
            ("teacher", self.teachers),
            ("section", self.sections),
        )
        for kind, items in named:
            for position, item in enumerate(items):
                if item.index != position:
                    raise ValueError(f"{kind} {item.name!r} has index {item.index}, expected {position}")
        sections, teachers, rooms = len(self.sections), len(self.teachers), len(self.rooms)
        for section in self.sections:
            for teacher in section.teachers:
                if teacher >= teachers:
                    raise ValueError(
                        f"section {section.name!r} names teacher {teacher}, which does not exist"
                    )
            for room in section.unsuitable_rooms:
                if room >= rooms:
                    raise ValueError(f"section {section.name!r} names room {room}, which does not exist")
        for cohort in self.cohorts:
            for member in cohort.sections:
                if member >= sections:
                    raise ValueError(f"cohort {cohort.name!r} names section {member}, which does not exist")
        for student, registered in self.registrations.items():
            for member in registered:
                if member >= sections:
                    raise ValueError(
                        f"student {student} is registered on section {member}, which does not exist"
                    )
        for relation in self.relations:
            if max(relation.first, relation.second) >= sections:
                raise ValueError(f"a {relation.relation} relation names a section that does not exist")
        meetings = sum(len(section.meetings) for section in self.sections)
        if self.baseline and len(self.baseline) != meetings:
            raise ValueError(f"the baseline places {len(self.baseline)} meetings, the problem has {meetings}")
        return self

    @cached_property
    def meetings(self) -> tuple[Meeting, ...]:
        """Every meeting of every section, sections in order."""
        meetings: list[Meeting] = []
        for section in self.sections:
            for ordinal, length in enumerate(section.meetings):
                meetings.append(
                    Meeting(index=len(meetings), section=section.index, ordinal=ordinal, length=length)
                )
        return tuple(meetings)

    @cached_property
    def meetings_of(self) -> tuple[tuple[int, ...], ...]:
        """Per section, the indices of its meetings."""
        by_section: list[list[int]] = [[] for _ in self.sections]
        for meeting in self.meetings:
            by_section[meeting.section].append(meeting.index)
        return tuple(tuple(meetings) for meetings in by_section)

    @cached_property
    def rooms_by_campus(self) -> dict[str, tuple[LessonRoom, ...]]:
        """The rooms of each campus (a campus's sections look only there)."""
        by_campus: dict[str, list[LessonRoom]] = {}
        for room in self.rooms:
            by_campus.setdefault(room.campus, []).append(room)
        return {campus: tuple(rooms) for campus, rooms in by_campus.items()}

    def rooms_open_to(self, section: Section) -> tuple[LessonRoom, ...]:
        """The rooms a section may look at before its kind, features and size are checked: its
        campus's, or all (ten campuses' sections each checking every room took seconds)."""
        return self.rooms_by_campus.get(section.campus, ()) if section.campus else self.rooms

    @cached_property
    def students_of(self) -> tuple[tuple[int, ...], ...]:
        """Per section, its registered students (sorted)."""
        by_section: list[list[int]] = [[] for _ in self.sections]
        for student, registered in sorted(self.registrations.items()):
            for member in set(registered):
                by_section[member].append(student)
        return tuple(tuple(students) for students in by_section)


class LessonSolution(Frozen):
    """Per meeting, its first slot and its room; None where a meeting is left unplaced."""

    problem_name: str
    starts: tuple[int | None, ...]
    rooms: tuple[int | None, ...]

    @model_validator(mode="after")
    def _same_length(self) -> LessonSolution:
        if len(self.starts) != len(self.rooms):
            raise ValueError(f"{len(self.starts)} starts but {len(self.rooms)} rooms")
        return self
