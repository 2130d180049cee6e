"""Master classes: one-off events (a guest lecture, an industry workshop) placed around the fixed
class and exam timetables, at a time within the guest's windows and in a hall that fits, so that
as few of their audience as possible have a class, an exam or another master class then.

Times are minutes from midnight on the problem's dates (day indices); an event starts on the
problem's step (10 minutes) and lasts its minutes.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

STEP_MINUTES = 10


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(Frozen):
    """A stretch of one day, in minutes from midnight."""

    day: int = Field(ge=0)
    start: int = Field(ge=0, le=24 * 60)
    end: int = Field(ge=0, le=24 * 60)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Interval:
        if self.end <= self.start:
            raise ValueError(
                f"an interval ending at minute {self.end} must start before it, not at {self.start}"
            )
        return self

    def overlaps(self, day: int, start: int, end: int) -> bool:
        return self.day == day and self.start < end and start < self.end


class Hall(Frozen):
    """A room a master class may use; `busy` is what the fixed timetables and bookings hold."""

    index: int = Field(ge=0)
    name: str
    capacity: int = Field(ge=0)
    kind: str = ""
    features: frozenset[str] = frozenset()
    busy: tuple[Interval, ...] = ()


class MasterClass(Frozen):
    index: int = Field(ge=0)
    name: str
    minutes: int = Field(gt=0)
    audience: tuple[int, ...] = Field(default=(), description="the students expected, by index")
    seats: int = Field(ge=0, description="seats it needs (at least its audience)")
    windows: tuple[Interval, ...] = Field(min_length=1, description="when the guest can come")
    features: frozenset[str] = frozenset()
    hall_kind: str = Field(default="", description="empty: any kind of room")


class MasterClassProblem(Frozen):
    name: str
    dates: tuple[dt.date, ...] = Field(min_length=1)
    halls: tuple[Hall, ...]
    events: tuple[MasterClass, ...]
    student_busy: tuple[tuple[Interval, ...], ...] = Field(
        default=(), description="per student, their classes and exams on the problem's dates"
    )
    step: int = Field(default=STEP_MINUTES, gt=0)

    @model_validator(mode="after")
    def _consistent(self) -> MasterClassProblem:
        named: tuple[tuple[str, tuple[Hall | MasterClass, ...]], ...] = (
            ("hall", self.halls),
            ("event", self.events),
        )
        for kind, entries in named:
            for position, entry in enumerate(entries):
                if entry.index != position:
                    raise ValueError(f"{kind} {entry.name!r} has index {entry.index}, expected {position}")
        for event in self.events:
            for student in event.audience:
                if student >= len(self.student_busy):
                    raise ValueError(
                        f"master class {event.name!r} names student {student}, who is not listed"
                    )
            for window in event.windows:
                if window.day >= len(self.dates):
                    raise ValueError(
                        f"master class {event.name!r} has a window on day {window.day}, not listed"
                    )
        return self

    def starts(self, event: MasterClass) -> list[tuple[int, int]]:
        """(day, minute) starts on the step that keep the event inside one of its windows."""
        found: dict[tuple[int, int], None] = {}
        for window in event.windows:
            first = -(-window.start // self.step) * self.step
            for start in range(first, window.end - event.minutes + 1, self.step):
                found[window.day, start] = None
        return list(found)

    def fits(self, event: MasterClass, hall: Hall) -> bool:
        return (
            hall.capacity >= event.seats
            and event.features <= hall.features
            and (not event.hall_kind or hall.kind == event.hall_kind)
        )

    def busy_students(self, event: MasterClass, day: int, start: int) -> list[int]:
        """The audience who have a class or an exam at some moment of the event."""
        end = start + event.minutes
        return [s for s in event.audience if any(i.overlaps(day, start, end) for i in self.student_busy[s])]

    @cached_property
    def shared_audience(self) -> dict[tuple[int, int], int]:
        """Students two events share, for each pair that shares any (first index lower)."""
        shared: dict[tuple[int, int], int] = {}
        sets = [set(event.audience) for event in self.events]
        for first in range(len(sets)):
            for second in range(first + 1, len(sets)):
                common = len(sets[first] & sets[second])
                if common:
                    shared[first, second] = common
        return shared


class Placement(Frozen):
    day: int = Field(ge=0)
    start: int = Field(ge=0, description="minutes from midnight")
    hall: int = Field(ge=0)


class MasterClassSolution(Frozen):
    problem_name: str
    places: tuple[Placement | None, ...]
