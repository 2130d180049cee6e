"""A planner's scenario in the registrar's words, turned into a lesson problem and the engine's
index-based `Scenario`.

Names, not indices: soft criteria reweighed or switched off by name, rooms closed and teachers
absent at times as staff write them (`Fri`, `Wed 3-5`; no times: the whole week), meetings
pinned as in `timetable.csv` (section, meeting numbered from 1, time, room), and a baseline
timetable to stay close to (each meeting moved then costs one, after the other criteria).
Every mistake is reported with the field it is in, all at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from datasets.registrar_csv import _Clock, lesson_problem
from datasets.registrar_records import RegistrarData
from datasets.registrar_timetable import parse_time
from models import LessonProblem, LessonSolution, Pin, Scenario


class PinnedMeeting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str = Field(description="course code, a space, section name")
    meeting: int = Field(strict=True, ge=1, description="the section's meeting, numbered from 1")
    time: str = Field(description="as staff write it: 'Mon 3' or 'Mon 3-4'")
    room: str


MOST_WEIGHT = 1_000_000  # a criterion's weight: the defaults are 1 and 2

# Times a room is closed or a teacher away: a week of the demo semester has 72 periods.
Times = Annotated[list[str], Field(max_length=100)]


class ScenarioRecord(BaseModel):
    """What a planner changes for a run (stored as JSON on the scenario). The lists are capped far
    above a semester's own (the 5,000-student one has 118 rooms, 346 teachers, 2,430 meetings)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, StrictInt] = Field(
        default_factory=dict, max_length=100, description="soft criterion -> weight"
    )
    disabled: list[str] = Field(
        default_factory=list, max_length=100, description="soft criteria switched off"
    )
    closed_rooms: dict[str, Times] = Field(
        default_factory=dict, max_length=2_000, description="room -> times closed"
    )
    absent_teachers: dict[str, Times] = Field(
        default_factory=dict, max_length=5_000, description="teacher -> times away"
    )
    pins: list[PinnedMeeting] = Field(default_factory=list, max_length=20_000)


class ScenarioError(ValueError):
    """The scenario does not fit the semester; `errors` are (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))


def scenario_problem(
    data: RegistrarData,
    record: ScenarioRecord,
    name: str,
    criteria: Collection[str],
    scenario_name: str = "default",
    baseline: LessonSolution | None = None,
) -> tuple[LessonProblem, Scenario]:
    """The semester's lesson problem with the scenario's closures and baseline, and its scenario;
    `criteria` are the soft criteria a scenario may reweigh or switch off."""
    errors: list[tuple[str, str]] = []
    for criterion in record.weights:
        if criterion not in criteria:
            errors.append((f"weights.{criterion}", _unknown_criterion(criterion, criteria)))
        elif record.weights[criterion] < 0:
            errors.append((f"weights.{criterion}", "a weight cannot be negative"))
        elif record.weights[criterion] > MOST_WEIGHT:
            errors.append((f"weights.{criterion}", f"a weight is at most {MOST_WEIGHT:,}"))
    for position, criterion in enumerate(record.disabled):
        if criterion not in criteria:
            errors.append((f"disabled.{position}", _unknown_criterion(criterion, criteria)))
    clock = _Clock(data.calendar)
    closed = _times(
        record.closed_rooms, {room.name for room in data.rooms}, "room", "closed_rooms", clock, errors
    )
    away = _times(
        record.absent_teachers, {t.name for t in data.teachers}, "teacher", "absent_teachers", clock, errors
    )
    every_day = tuple(data.calendar.days)
    data = dataclasses.replace(
        data,
        rooms=tuple(
            dataclasses.replace(room, unavailable=room.unavailable + (closed[room.name] or every_day))
            if room.name in closed
            else room
            for room in data.rooms
        ),
        teachers=tuple(
            dataclasses.replace(teacher, unavailable=teacher.unavailable + (away[teacher.name] or every_day))
            if teacher.name in away
            else teacher
            for teacher in data.teachers
        ),
    )
    problem = lesson_problem(data, name)
    pins = _pins(problem, record.pins, errors)
    if baseline is not None:
        if len(baseline.starts) != len(problem.meetings):
            errors.append(
                (
                    "baseline",
                    f"the baseline timetable has {len(baseline.starts)} meetings, "
                    f"the semester now has {len(problem.meetings)}",
                )
            )
        else:
            places = tuple(
                None if start is None or room is None else (start, room)
                for start, room in zip(baseline.starts, baseline.rooms, strict=True)
            )
            problem = problem.replaced(baseline=places)
    if errors:
        raise ScenarioError(errors)
    scenario = Scenario(
        name=scenario_name, weights=record.weights, disabled=frozenset(record.disabled), pins=pins
    )
    return problem, scenario


def _unknown_criterion(criterion: str, criteria: Collection[str]) -> str:
    return f"no soft criterion {criterion!r}; they are {', '.join(sorted(criteria))}"


def _times(
    wanted: dict[str, list[str]],
    names: set[str],
    what: str,
    field: str,
    clock: _Clock,
    errors: list[tuple[str, str]],
) -> dict[str, tuple[str, ...]]:
    checked: dict[str, tuple[str, ...]] = {}
    for name, times in wanted.items():
        if name not in names:
            errors.append((f"{field}.{name}", f"unknown {what} {name!r}"))
            continue
        valid = []
        for position, time in enumerate(times):
            try:
                clock.slots(time)
            except ValueError as error:
                errors.append((f"{field}.{name}.{position}", str(error)))
            else:
                valid.append(time)
        if len(valid) == len(times):  # a name with a bad time is left out, not closed all week
            checked[name] = tuple(valid)
    return checked


def _pins(
    problem: LessonProblem, pinned: list[PinnedMeeting], errors: list[tuple[str, str]]
) -> dict[int, Pin]:
    sections = {section.name: section.index for section in problem.sections}
    rooms = {room.name: room.index for room in problem.rooms}
    pins: dict[int, Pin] = {}
    for position, pin in enumerate(pinned):
        where = f"pins.{position}"
        if pin.section not in sections:
            errors.append((f"{where}.section", f"unknown section {pin.section!r}"))
            continue
        meetings = problem.meetings_of[sections[pin.section]]
        if pin.meeting > len(meetings):
            errors.append(
                (f"{where}.meeting", f"{pin.section} has {len(meetings)} meetings (numbered from 1)")
            )
            continue
        meeting = problem.meetings[meetings[pin.meeting - 1]]
        try:
            start, length = parse_time(problem.grid, pin.time)
        except ValueError as error:
            errors.append((f"{where}.time", str(error)))
            continue
        if length != meeting.length:
            errors.append(
                (f"{where}.time", f"{pin.time!r} is {length} periods; the meeting lasts {meeting.length}")
            )
            continue
        if pin.room not in rooms:
            errors.append((f"{where}.room", f"unknown room {pin.room!r}"))
            continue
        if meeting.index in pins:
            errors.append((where, f"meeting {pin.meeting} of {pin.section} is pinned twice"))
            continue
        pins[meeting.index] = Pin(period=start, room=rooms[pin.room])
    return pins
