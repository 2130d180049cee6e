"""What occupies the rooms on a date, in clock times: the weekly meetings of each semester's
published class timetable (during its teaching weeks) and the rooms' own closed times then,
the sittings of its published exam schedule, and the bookings.

A published run's timetable never changes, so its rooms' week is worked out once per run and
kept in memory; bookings are read from the database on every call, since two requests a moment
apart must see each other's booking."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.registrar_exams import exam_courses
from datasets.registrar_week import room_closures, weekly_meetings
from models import AttestationSolution, ExamProblem, MasterClassSolution
from models.rooms import Occupation
from service.attestation import attestation_problem_of, sittings
from service.scenarios import run_problem
from service.storage import schema
from service.storage.records import load_semester
from service.timetables import exam_places, lesson_timetable

PLACED = ("lessons", "exams", "masterclasses", "sac")  # kinds of published runs that take rooms
# (room, start, end, what) by weekday (0 Monday) for a class run; by date for the others
Use = tuple[str, dt.time, dt.time, str]

_kept: dict[tuple[int, str], dict[object, list[Use]]] = {}
_keeping = threading.Lock()


def occupations(session: Session, date: dt.date, kinds: tuple[str, ...] = PLACED) -> list[Occupation]:
    """Everything in a room on `date`: the published runs of `kinds`, and the bookings."""
    found: list[Occupation] = []
    # which runs are published, without their timetables: reading those is the slow part, and
    # their weeks are kept once worked out
    shown = session.execute(
        select(schema.Run.id, schema.Run.kind, schema.Run.published_at, schema.Run.semester_id).where(
            schema.Run.published_at.is_not(None), schema.Run.kind.in_(kinds)
        )
    ).all()
    semesters = {s.id: s for s in session.scalars(select(schema.Semester))}
    for run_id, kind, published_at, semester_id in sorted(shown):
        if kind == "lessons" and not _teaching(semesters[semester_id], date):
            continue
        uses = _uses(session, run_id, published_at)
        key: object = date.weekday() if kind == "lessons" else date
        found += [Occupation(room=r, date=date, start=s, end=e, what=w) for r, s, e, w in uses.get(key, ())]
    day = dt.datetime.combine(date, dt.time())
    for booking, room in session.execute(
        select(schema.Booking, schema.Room.name)
        .join(schema.Booking.room)
        .where(schema.Booking.starts_at < day + dt.timedelta(days=1), schema.Booking.ends_at > day)
    ):
        found.append(
            Occupation(
                room=room,
                date=date,
                start=max(booking.starts_at, day).time(),
                end=min(booking.ends_at, day + dt.timedelta(hours=23, minutes=59)).time(),
                what=f"booking {booking.id}: {booking.purpose}".rstrip(": "),
            )
        )
    return found


def _teaching(semester: schema.Semester, date: dt.date) -> bool:
    if semester.starts_on is None:
        return False
    return semester.starts_on <= date < semester.starts_on + dt.timedelta(weeks=semester.teaching_weeks)


def _uses(session: Session, run_id: int, published_at: dt.datetime | None) -> dict[object, list[Use]]:
    key = (run_id, str(published_at))
    with _keeping:
        if key in _kept:
            return _kept[key]
    run = session.get(schema.Run, run_id)
    assert run is not None
    if run.kind == "lessons":
        uses = _class_week(session, run)
    elif run.kind == "exams":
        uses = _exam_sittings(session, run)
    elif run.kind == "sac":
        uses = sittings(
            attestation_problem_of(session, run.semester), AttestationSolution.model_validate(run.solution)
        )
    else:
        uses = _master_classes(session, run)
    with _keeping:
        _kept[key] = uses
    return uses


def _class_week(session: Session, run: schema.Run) -> dict[object, list[Use]]:
    """Each weekday's meetings of a class timetable, and the rooms' closed periods then."""
    data = load_semester(session, run.semester.name)
    uses: dict[object, list[Use]] = defaultdict(list)
    for meeting in weekly_meetings(data, lesson_timetable(run, data)):
        what = f"{meeting.section} {meeting.component}"
        uses[meeting.weekday].append((meeting.room, _clock(meeting.start), _clock(meeting.end), what))
    for room, weekday, start, end in room_closures(data):
        uses[weekday].append((room, _clock(start), _clock(end), "closed"))
    return dict(uses)


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _exam_sittings(session: Session, run: schema.Run) -> dict[object, list[Use]]:
    """Each date's exams of an exam schedule, a room taken for the whole sitting."""
    problem, _ = run_problem(session, run)
    assert isinstance(problem, ExamProblem)
    data = load_semester(session, run.semester.name)
    courses = exam_courses(data)
    uses: dict[object, list[Use]] = defaultdict(list)
    for exam, place in enumerate(exam_places(run, problem, data)):
        if place is None:
            continue
        period_index, room = place
        period = problem.periods[period_index]
        if room is None or period.date is None or period.start is None:
            continue
        ends = (dt.datetime.combine(period.date, period.start) + dt.timedelta(minutes=period.duration)).time()
        uses[period.date].append((data.rooms[room].name, period.start, ends, f"exam of {courses[exam]}"))
    return dict(uses)


def _master_classes(session: Session, run: schema.Run) -> dict[object, list[Use]]:
    """Each date's master classes of a published placement, in their halls."""
    from service.masterclasses import masterclass_problem_of  # it builds on these occupations

    problem = masterclass_problem_of(session, run.semester)
    solution = MasterClassSolution.model_validate(run.solution)
    uses: dict[object, list[Use]] = defaultdict(list)
    if len(solution.places) != len(problem.events):  # the requests changed since: nothing to read
        return {}
    for event, place in zip(problem.events, solution.places, strict=True):
        if place is not None:
            end = place.start + event.minutes
            uses[problem.dates[place.day]].append(
                (
                    problem.halls[place.hall].name,
                    _clock(place.start),
                    _clock(end),
                    f"master class {event.name}",
                )
            )
    return dict(uses)
