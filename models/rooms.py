"""Rooms on demand: a request for a free room at one time, what already occupies rooms, and the
rooms offered. Times are local clock times on one date, as the request is asked; rooms by name.
Dates are those a registrar plans rooms on (a mistyped year such as 9999 is refused)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def planned_date(date: dt.date) -> dt.date:
    """The date, when it is one rooms are planned on (a ValueError saying so otherwise)."""
    if not FIRST_DATE <= date <= LAST_DATE:
        raise PydanticCustomError(
            "date_range",
            "rooms are planned on dates from {first} to {last}, not {date}",
            {"first": str(FIRST_DATE), "last": str(LAST_DATE), "date": str(date)},
        )
    return date


def _local(clock: dt.time) -> dt.time:
    if clock.tzinfo is not None:
        raise PydanticCustomError(
            "local_time",
            "a local time such as 14:00, without a time zone, not {clock}",
            {"clock": clock.isoformat()},
        )
    return clock


PlannedDate = Annotated[dt.date, AfterValidator(planned_date)]
LocalTime = Annotated[dt.time, AfterValidator(_local)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RoomRequest(Frozen):
    """A room for `capacity` people with `features`, on `date` from `start` to `end`."""

    date: PlannedDate
    start: LocalTime
    end: LocalTime
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
