"""Master classes: one-off events (a guest lecture, an industry workshop) placed around the fixed
lesson timetable, on the lesson grid's slots (slot = day * periods_per_day + period)."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.lessons import TimeGrid


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Hall(Frozen):
    """A room that can host a master class, and the slots its lessons already take."""

    index: int = Field(ge=0)
    name: str
    capacity: int = Field(ge=0)
    busy: frozenset[int] = Field(default=frozenset(), description="slots taken by lessons or closures")


class MasterClass(Frozen):
    """An event: its length, when the guest can come, who is expected and how many seats it needs."""

    index: int = Field(ge=0)
    name: str
    length: int = Field(ge=1, description="periods")
    starts: frozenset[int] = Field(description="slots it may start at (the guest's availability)")
    audience: tuple[int, ...] = Field(default=(), description="students expected")
    seats: int = Field(ge=0, default=0, description="seats needed (at least the audience)")
    halls: frozenset[int] = Field(default=frozenset(), description="halls allowed (empty: any)")

    @property
    def needed_seats(self) -> int:
        return max(self.seats, len(set(self.audience)))


class MasterClassProblem(Frozen):
    name: str
    grid: TimeGrid
    halls: tuple[Hall, ...]
    classes: tuple[MasterClass, ...]
    student_busy: dict[int, frozenset[int]] = Field(
        default_factory=dict, description="student -> slots of their lessons (and exams)"
    )
    student_names: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> MasterClassProblem:
        indices = (("hall", [h.index for h in self.halls]), ("master class", [c.index for c in self.classes]))
        for kind, numbers in indices:
            for position, number in enumerate(numbers):
                if number != position:
                    raise ValueError(f"{kind} at position {position} has index {number}")
        for event in self.classes:
            if any(hall >= len(self.halls) for hall in event.halls):
                raise ValueError(f"{event.name} names an unknown hall")
        return self

    def slots_of(self, event: int, start: int) -> range:
        return range(start, start + self.classes[event].length)

    def allowed_halls(self, event: int) -> tuple[int, ...]:
        item = self.classes[event]
        return tuple(sorted(item.halls)) if item.halls else tuple(h.index for h in self.halls)

    def conflicts(self, event: int, start: int) -> tuple[int, ...]:
        """The audience students who have a lesson during the event started there."""
        slots = set(self.slots_of(event, start))
        audience = dict.fromkeys(self.classes[event].audience)
        return tuple(s for s in audience if self.student_busy.get(s, frozenset()) & slots)

    @cached_property
    def shared_audience(self) -> dict[tuple[int, int], int]:
        """For each pair of events (lower first), the students expected at both."""
        shared: dict[tuple[int, int], int] = {}
        audiences = [set(event.audience) for event in self.classes]
        for first in range(len(audiences)):
            for second in range(first + 1, len(audiences)):
                common = len(audiences[first] & audiences[second])
                if common:
                    shared[(first, second)] = common
        return shared


class MasterClassSolution(Frozen):
    problem_name: str
    starts: tuple[int | None, ...]
    halls: tuple[int | None, ...]
