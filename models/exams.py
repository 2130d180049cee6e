"""The examination timetabling problem: exams into periods and rooms over the exam session."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

# No count, length, capacity, penalty or weight of a university comes near; larger numbers overflow
# the solvers' 64-bit arithmetic or build models no machine holds. The readers take it too.
LARGEST_WHOLE = 1_000_000


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Exam(Frozen):
    """One exam: its length and the students who sit it."""

    index: int = Field(ge=0)
    name: str = Field(default="", description="what the registrar calls it; empty: known by its number")
    duration: int = Field(
        ge=0, le=LARGEST_WHOLE, description="minutes (ITC 2007) or 0 when periods have no length"
    )
    students: tuple[int, ...] = ()

    @cached_property
    def size(self) -> int:
        """Seats the exam needs: its students, each counted once even if listed twice."""
        return len(set(self.students))


class Period(Frozen):
    """One exam period of the session; periods sharing a date form a day."""

    index: int = Field(ge=0)
    day: int = Field(ge=0)
    date: dt.date | None = None
    start: dt.time | None = None
    duration: int = Field(ge=0, le=LARGEST_WHOLE, description="minutes")
    penalty: int = Field(ge=0, le=LARGEST_WHOLE, default=0)


class Room(Frozen):
    """An exam room; several exams may share it as long as the seats suffice."""

    index: int = Field(ge=0)
    capacity: int = Field(ge=0, le=LARGEST_WHOLE)
    penalty: int = Field(ge=0, le=LARGEST_WHOLE, default=0)


class PeriodRelation(StrEnum):
    AFTER = "AFTER"  # first exam strictly after the second
    EXAM_COINCIDENCE = "EXAM_COINCIDENCE"  # same period
    EXCLUSION = "EXCLUSION"  # different periods


class PeriodConstraint(Frozen):
    first: int = Field(ge=0)
    relation: PeriodRelation
    second: int = Field(ge=0)


class Weightings(Frozen):
    """The institutional weightings of ITC 2007 (all zero for Toronto)."""

    two_in_a_row: int = Field(ge=0, le=LARGEST_WHOLE, default=0)
    two_in_a_day: int = Field(ge=0, le=LARGEST_WHOLE, default=0)
    period_spread: int = Field(ge=0, le=LARGEST_WHOLE, default=0, description="window length in periods")
    non_mixed_durations: int = Field(ge=0, le=LARGEST_WHOLE, default=0)
    front_load_exams: int = Field(ge=0, le=LARGEST_WHOLE, default=0)
    front_load_periods: int = Field(ge=0, le=LARGEST_WHOLE, default=0)
    front_load_weight: int = Field(ge=0, le=LARGEST_WHOLE, default=0)


class Scoring(StrEnum):
    ITC2007 = "itc2007"  # capacitated, rooms and the ITC 2007 soft criteria
    TORONTO = "toronto"  # uncapacitated, proximity cost averaged over students


class ExamProblem(Frozen):
    """A whole exam-session instance as read from a file or the registrar's records."""

    name: str
    scoring: Scoring = Scoring.ITC2007
    exams: tuple[Exam, ...]
    periods: tuple[Period, ...]
    rooms: tuple[Room, ...] = ()
    period_constraints: tuple[PeriodConstraint, ...] = ()
    room_exclusive: frozenset[int] = frozenset()
    weightings: Weightings = Weightings()

    @model_validator(mode="after")
    def _indices_consistent(self) -> ExamProblem:
        groups: tuple[tuple[str, tuple[Exam | Period | Room, ...]], ...] = (
            ("exam", self.exams),
            ("period", self.periods),
            ("room", self.rooms),
        )
        for kind, items in groups:
            for position, item in enumerate(items):
                if item.index != position:
                    raise ValueError(f"{kind} at position {position} has index {item.index}")
        exam_count = len(self.exams)
        for constraint in self.period_constraints:
            for exam in (constraint.first, constraint.second):
                if exam >= exam_count:
                    raise ValueError(f"period constraint names unknown exam {exam}")
        for exam in self.room_exclusive:
            if exam >= exam_count:
                raise ValueError(f"room-exclusive constraint names unknown exam {exam}")
        days = [period.day for period in self.periods]
        if days != sorted(days):
            raise ValueError("periods must be in chronological order (days never decrease)")
        return self

    @property
    def uses_rooms(self) -> bool:
        return self.scoring is Scoring.ITC2007

    @cached_property
    def students(self) -> frozenset[int]:
        return frozenset(self.student_exams)

    @cached_property
    def student_exams(self) -> dict[int, tuple[int, ...]]:
        """The exams of each student, in exam order (a student listed twice counts once)."""
        exams_of: dict[int, list[int]] = {}
        for exam in self.exams:
            for student in dict.fromkeys(exam.students):
                exams_of.setdefault(student, []).append(exam.index)
        return {student: tuple(exams) for student, exams in exams_of.items()}

    @cached_property
    def common_students(self) -> dict[tuple[int, int], tuple[int, ...]]:
        """For each pair of exams (lower index first) the students who sit both."""
        common: dict[tuple[int, int], list[int]] = {}
        for student, exams in self.student_exams.items():
            for position, first in enumerate(exams):
                for second in exams[position + 1 :]:
                    common.setdefault((first, second), []).append(student)
        return {pair: tuple(students) for pair, students in common.items()}

    @cached_property
    def largest_exams(self) -> frozenset[int]:
        """The front-load exams: the largest by enrolment, ties broken by exam order."""
        count = self.weightings.front_load_exams
        # Ties by exam order, as in Muller's winning ITC 2007 model; the reference breakdowns of
        # sets 3, 5, 7 and 8, where the cut falls among equally large exams, agree only with this.
        ranked = sorted(self.exams, key=lambda exam: (-exam.size, exam.index))
        return frozenset(exam.index for exam in ranked[:count])

    @cached_property
    def last_periods(self) -> frozenset[int]:
        count = self.weightings.front_load_periods
        return frozenset(range(max(0, len(self.periods) - count), len(self.periods)))


class ExamSolution(Frozen):
    """A timetable: the period and room of every exam (rooms are None when uncapacitated)."""

    problem_name: str
    periods: tuple[int, ...]
    rooms: tuple[int | None, ...]

    @model_validator(mode="after")
    def _same_length(self) -> ExamSolution:
        if len(self.periods) != len(self.rooms):
            raise ValueError("a solution needs one period and one room entry per exam")
        return self
