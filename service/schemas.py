"""The API's request and response bodies as pydantic models: they validate what comes in, shape
what goes out, and are the source of the OpenAPI document (`service/openapi.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from datasets.registrar_scenario import ScenarioRecord
from models.rooms import LocalTime, PlannedDate
from service.runs import KINDS
from service.storage.records import LARGEST_ID

MOST_WORKERS = 64
LONGEST_RUN = 24 * 3600.0
# A name people will read and type again: not blank, no control character (a NUL or a line feed
# would be stored and shown), trimmed.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$"),
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunRequest(Request):
    """What `POST /api/runs` takes."""

    kind: str = Field(description=f"one of {', '.join(KINDS)}")
    semester: str = Field(min_length=1)
    time_limit: float = Field(default=60.0, strict=True, gt=0, le=LONGEST_RUN, description="seconds")
    workers: int = Field(default=2, strict=True, ge=1, le=MOST_WORKERS)
    seed: int = Field(default=0, strict=True, ge=0, le=2**31 - 1)
    scenario: str | None = Field(default=None, description="name of a stored scenario of the semester")
    department: str | None = Field(
        default=None,
        min_length=1,
        description="lessons runs only: also decide this department's teaching load, its sections' "
        "meetings re-timed with it and every other meeting kept where the published timetable has it",
    )


class ScenarioRequest(Request):
    """What `POST /api/semesters/SEMESTER/scenarios` takes."""

    name: Name
    description: str = Field(default="", max_length=2000)
    changes: ScenarioRecord = Field(default_factory=ScenarioRecord)
    baseline_run: int | None = Field(
        default=None, strict=True, ge=1, le=LARGEST_ID, description="run to stay close to"
    )


class CloneRequest(Request):
    name: Name


class UserRequest(Request):
    username: Name
    password: str = Field(min_length=8, max_length=200)
    role: str = Field(pattern="^(admin|planner|viewer)$")


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 7807 problem body (`application/problem+json`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class RunSummary(BaseModel):
    id: int
    kind: str
    semester: str
    status: str = Field(description="queued, running, finished, cancelled or failed")
    cancel_requested: bool
    time_limit: float
    workers: int
    seed: int
    created_at: str
    started_at: str | None
    finished_at: str | None
    elapsed: float | None
    objective: int | None
    bound: int | None
    gap: float | None
    error: str
    published_at: str | None
    department: str | None = Field(description="the department a class timetable run re-staffed")


class RunDetail(RunSummary):
    progress: list[dict[str, Any]]
    report: dict[str, Any] | None
    evaluation: dict[str, Any] | None
    scenario: dict[str, Any]


class RunStarted(BaseModel):
    id: int
    status: str
    href: str


class SemesterItem(BaseModel):
    name: str
    sections: int


class Criterion(BaseModel):
    criterion: str
    weight: int


class ScenarioOut(BaseModel):
    id: int
    semester: str
    name: str
    description: str
    changes: dict[str, Any]
    baseline_run: int | None
    cloned_from: int | None
    created_at: str


class ExamSessionRequest(Request):
    """What `PUT /api/semesters/SEMESTER/exam-session` takes."""

    first: dt.date = Field(description="first day of the exam session")
    last: dt.date = Field(description="last day of the exam session")


class ExamSession(BaseModel):
    semester: str
    first: dt.date
    last: dt.date
    warnings: list[str] = Field(
        description="the sittings exam runs will leave out, and published exams in them"
    )


class ImportResult(BaseModel):
    kind: str
    rows: int
    added: int
    updated: int


class Comparison(BaseModel):
    first: int
    second: int
    criteria: list[dict[str, Any]]
    counts: dict[str, list[float]]
    moved: list[dict[str, Any]]


class UserOut(BaseModel):
    username: str
    role: str


class TokenOut(BaseModel):
    username: str
    token: str


class RoomSearch(Request):
    """What `POST /api/rooms/free` takes: a room for `capacity` people on `date`, `start` to `end`."""

    date: PlannedDate
    start: LocalTime = Field(description="e.g. 14:00 (local time)")
    end: LocalTime = Field(description="e.g. 16:00 (local time)")
    capacity: int = Field(strict=True, ge=1, le=100_000)
    features: list[str] = Field(default_factory=list, max_length=50)
    building: str | None = Field(default=None, max_length=200)


class RoomFound(BaseModel):
    room: str
    building: str
    capacity: int
    kind: str
    features: list[str]
    spare_seats: int
    extra_features: list[str]


class RoomsFree(BaseModel):
    """What `POST /api/rooms/free` answers: the free rooms, best fit first, and why there is none."""

    rooms: list[RoomFound]
    reason: str | None = Field(
        description="when no room is free: no such building, a feature or size no room has, "
        "or what takes each room that would do"
    )


class BookingRequest(Request):
    """What `POST /api/rooms/bookings` takes: the room on `date` (and each week up to
    `weekly_until`) from `start` to `end`."""

    room: str = Field(min_length=1, max_length=200)
    date: PlannedDate
    start: LocalTime
    end: LocalTime
    purpose: str = Field(default="", max_length=2000)
    weekly_until: PlannedDate | None = None


class BookingOut(BaseModel):
    id: int
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str
    booked_by: str
    series: str | None


class LoadLineOut(BaseModel):
    name: str
    department: str
    hours: dict[str, int] = Field(description="planned hours by component (lecture, practice, lab, other)")
    total: int
    minimum: int
    norm: int = Field(description="the most allowed: the rank's norm at the rate, within the cap")
    target: int
    over: int
    under: int


class LoadStatement(BaseModel):
    year: str
    teachers: list[LoadLineOut]
    departments: list[LoadLineOut]


class AttestationImport(BaseModel):
    kind: str
    rows: int
    missing: list[str] = Field(description="SAC tables still to import before a run can be asked")
