"""Rooms on demand: a request for a free room at one time, what already occupies rooms, and the
rooms offered. Times are clock times on one date, as the request is asked; rooms by name."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RoomRequest(Frozen):
    """A room for `capacity` people with `features`, on `date` from `start` to `end`."""

    date: dt.date
    start: dt.time
    end: dt.time
    capacity: int = Field(ge=1)
    features: tuple[str, ...] = ()
    building: str | None = None  # only this building, when given

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> RoomRequest:
        if self.end <= self.start:
            raise ValueError(f"the room is wanted until {self.end:%H:%M}, not after {self.start:%H:%M}")
        return self


class BookableRoom(Frozen):
    name: str
    building: str
    capacity: int = Field(ge=0)
    kind: str
    features: tuple[str, ...] = ()


class Occupation(Frozen):
    """A room taken on a date from `start` to `end`: a class, an exam, a sitting, a booking."""

    room: str
    date: dt.date
    start: dt.time
    end: dt.time
    what: str  # "CSE2001 L1 lecture", "exam of MAT1001", "booking 17: office hours"


class RoomOffer(Frozen):
    room: str
    building: str
    capacity: int
    kind: str
    features: tuple[str, ...]
    spare_seats: int
    extra_features: tuple[str, ...]  # what it has that the request did not ask for
