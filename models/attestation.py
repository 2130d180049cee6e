"""The State Attestation Commission problem: defences and state exams before commissions.

Time is an integer grid: each attestation day has a sitting of `slots` slots of SLOT_MINUTES
minutes from its start time. A commission sits at most once a day, in one room, and hears its
defences and state exams one after another from the start of the sitting.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

SLOT_MINUTES = 10


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HearingKind(StrEnum):
    DEFENCE = "defence"
    STATE_EXAM = "state exam"


class AttestationDay(Frozen):
    """One attestation day and its sitting hours."""

    index: int = Field(ge=0)
    date: dt.date
    start: dt.time = dt.time(9, 0)
    slots: int = Field(ge=1, description=f"length of the sitting in {SLOT_MINUTES}-minute slots")


class AttestationRoom(Frozen):
    """A room free of exams on the days not listed as unavailable."""

    index: int = Field(ge=0)
    name: str
    capacity: int = Field(ge=0)
    unavailable_days: frozenset[int] = frozenset()


class Person(Frozen):
    """A commission member, supervisor or reviewer, with the days they can and would sit."""

    index: int = Field(ge=0)
    name: str
    degree: str = ""
    unavailable_days: frozenset[int] = frozenset()
    leaves: tuple[tuple[int, int], ...] = Field(
        default=(), description="(day, slot): away from that slot of the day's sitting on"
    )
    preferred_days: frozenset[int] = Field(
        default=frozenset(), description="days they would rather sit on (empty: no preference)"
    )

    def leaves_at(self, day: int) -> int | None:
        """The slot of the day's sitting from which they are away; None: there all day."""
        slots = [slot for on, slot in self.leaves if on == day]
        return min(slots) if slots else None


class Commission(Frozen):
    """A commission of one programme: its voting members (chair and deputy among them) and secretary."""

    index: int = Field(ge=0)
    name: str
    programme: str
    chair: int = Field(ge=0)
    deputy: int | None = Field(default=None, ge=0)
    members: tuple[int, ...] = Field(description="voting members, the chair and deputy included")
    secretary: int | None = Field(default=None, ge=0)
    max_defences_per_day: int = Field(ge=1, default=8)

    @model_validator(mode="after")
    def _presidents_are_members(self) -> Commission:
        if self.chair not in self.members:
            raise ValueError(f"commission {self.name}: the chair must be one of its members")
        if self.deputy is not None and self.deputy not in self.members:
            raise ValueError(f"commission {self.name}: the deputy must be one of its members")
        if len(set(self.members)) != len(self.members):
            raise ValueError(f"commission {self.name}: a member is listed twice")
        return self

    @property
    def quorum(self) -> int:
        """Members who must be present: at least two thirds, rounded up."""
        return -(-2 * len(self.members) // 3)

    @property
    def presidents(self) -> tuple[int, ...]:
        """Who may preside: the chair, or the deputy in the chair's absence."""
        return (self.chair,) if self.deputy is None else (self.chair, self.deputy)


class Hearing(Frozen):
    """A defence (one graduate) or a state exam (a group of graduates) heard by a commission."""

    index: int = Field(ge=0)
    name: str
    kind: HearingKind = HearingKind.DEFENCE
    programme: str
    slots: int = Field(ge=1, description=f"duration in {SLOT_MINUTES}-minute slots")
    graduate: str = ""
    title: str = Field(default="", description="thesis title, or the state exam's discipline")
    language: str = ""
    supervisor: int | None = Field(default=None, ge=0)
    reviewer: int | None = Field(default=None, ge=0)
    students: int = Field(ge=1, default=1, description="graduates seated")
    written: bool = False
    commission: int | None = Field(
        default=None, ge=0, description="the commission the registrar's order names, if any"
    )

    @property
    def recused(self) -> frozenset[int]:
        """People who may not sit on this hearing: its supervisor and reviewer."""
        return frozenset(p for p in (self.supervisor, self.reviewer) if p is not None)


class AttestationProblem(Frozen):
    """A whole attestation: the calendar, rooms, people, commissions and what they must hear."""

    name: str
    days: tuple[AttestationDay, ...]
    rooms: tuple[AttestationRoom, ...]
    people: tuple[Person, ...]
    commissions: tuple[Commission, ...]
    hearings: tuple[Hearing, ...]

    @model_validator(mode="after")
    def _references_consistent(self) -> AttestationProblem:
        groups: tuple[tuple[str, tuple[BaseModel, ...]], ...] = (
            ("day", self.days),
            ("room", self.rooms),
            ("person", self.people),
            ("commission", self.commissions),
            ("hearing", self.hearings),
        )
        for kind, items in groups:
            for position, item in enumerate(items):
                if getattr(item, "index", None) != position:
                    raise ValueError(
                        f"{kind} at position {position} has index {getattr(item, 'index', None)}"
                    )
        people = len(self.people)
        for commission in self.commissions:
            named = [*commission.members, commission.secretary]
            if any(person is not None and person >= people for person in named):
                raise ValueError(f"commission {commission.name} names an unknown person")
        for hearing in self.hearings:
            if any(person >= people for person in hearing.recused):
                raise ValueError(f"{hearing.name} names an unknown person")
            if hearing.programme not in self.commissions_of:
                raise ValueError(f"{hearing.name}: no commission examines programme {hearing.programme}")
            if (
                hearing.commission is not None
                and hearing.commission not in self.commissions_of[hearing.programme]
            ):
                raise ValueError(f"{hearing.name}: its commission does not examine {hearing.programme}")
        return self

    def candidates(self, hearing: int) -> tuple[int, ...]:
        """The commissions that may hear a hearing: the one named, or any of its programme."""
        item = self.hearings[hearing]
        return (item.commission,) if item.commission is not None else self.commissions_of[item.programme]

    @cached_property
    def commissions_of(self) -> dict[str, tuple[int, ...]]:
        """The commissions of each programme."""
        found: dict[str, list[int]] = {}
        for commission in self.commissions:
            found.setdefault(commission.programme, []).append(commission.index)
        return {programme: tuple(indices) for programme, indices in found.items()}

    def available(self, person: int, day: int) -> bool:
        return day not in self.people[person].unavailable_days

    @cached_property
    def supervised(self) -> dict[int, tuple[int, ...]]:
        """The defences of each supervisor."""
        found: dict[int, list[int]] = {}
        for hearing in self.hearings:
            if hearing.supervisor is not None:
                found.setdefault(hearing.supervisor, []).append(hearing.index)
        return {person: tuple(hearings) for person, hearings in found.items()}


class HearingPlace(Frozen):
    """Where and when one hearing happens."""

    commission: int = Field(ge=0)
    day: int = Field(ge=0)
    start: int = Field(ge=0, description="slot from the start of the day's sitting")
    room: int = Field(ge=0)


class Panel(Frozen):
    """The members of a commission present at its sitting on a day."""

    commission: int = Field(ge=0)
    day: int = Field(ge=0)
    members: tuple[int, ...]


class AttestationSolution(Frozen):
    """A timetable of the attestation: each hearing's place and each sitting's panel."""

    problem_name: str
    places: tuple[HearingPlace | None, ...]
    panels: tuple[Panel, ...] = ()

    @cached_property
    def panel_of(self) -> dict[tuple[int, int], frozenset[int]]:
        """Present members per (commission, day); a sitting listed twice joins both lists."""
        found: dict[tuple[int, int], set[int]] = {}
        for panel in self.panels:
            found.setdefault((panel.commission, panel.day), set()).update(panel.members)
        return {key: frozenset(members) for key, members in found.items()}

    @cached_property
    def sittings(self) -> dict[tuple[int, int], tuple[int, ...]]:
        """The hearings of each (commission, day), in order of start."""
        found: dict[tuple[int, int], list[int]] = {}
        for hearing, place in enumerate(self.places):
            if place is not None:
                found.setdefault((place.commission, place.day), []).append(hearing)
        return {
            key: tuple(sorted(hearings, key=lambda h: (self.places[h].start, h)))  # type: ignore[union-attr]
            for key, hearings in sorted(found.items())
        }
