"""Master-class runs in the service: the semester's stored requests placed around its published
class timetable (required: they are placed around it), its published exam schedule (halls and
students taken) and the bookings; a published placement takes its halls in room search."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.orm import Session

from datasets.masterclass_tables import MasterClassRequest, masterclass_problem
from datasets.registrar_exams import exam_students
from datasets.registrar_week import room_closures, weekly_meetings
from models import ExamProblem, MasterClassProblem
from service.occupancy import occupations
from service.scenarios import run_problem
from service.storage import schema
from service.storage.records import StorageError, load_masterclasses, load_semester, published
from service.timetables import exam_places, lesson_timetable


def masterclass_inputs(
    session: Session, semester: schema.Semester
) -> tuple[list[MasterClassRequest], schema.Run, dt.date]:
    """The requests, the published class timetable and the start date a master-class run of the
    semester is placed with (StorageError saying which is missing)."""
    requests = load_masterclasses(session, semester)
    if not requests:
        raise StorageError(
            f"semester {semester.name!r} has no master-class requests stored; import them first "
            "(record kind masterclasses)"
        )
    if semester.starts_on is None:
        raise StorageError(f"semester {semester.name!r} has no start date to put the teaching weeks on")
    classes = published(session, semester, "lessons")
    if classes is None:
        raise StorageError(
            f"semester {semester.name!r} has no published class timetable to place master classes around"
        )
    return requests, classes, semester.starts_on


def masterclass_problem_of(session: Session, semester: schema.Semester) -> MasterClassProblem:
    requests, classes, starts_on = masterclass_inputs(session, semester)
    data = load_semester(session, semester.name)
    dates = sorted({date for request in requests for date, _, _ in request.windows})
    taken = [
        (o.room, o.date, _minutes(o.start), _minutes(o.end))
        for date in dates
        for o in occupations(session, date, kinds=("exams",))
    ]
    return masterclass_problem(
        semester.name,
        data,
        weekly_meetings(data, lesson_timetable(classes, data)),
        requests,
        starts_on,
        semester.teaching_weeks,
        taken,
        room_closures(data),
        _exam_sittings(session, semester),
    )


def _exam_sittings(session: Session, semester: schema.Semester) -> dict[str, list[tuple[dt.date, int, int]]]:
    """Each student's exams in the published exam schedule, as (date, start, end)."""
    run = published(session, semester, "exams")
    if run is None:
        return {}
    problem, _ = run_problem(session, run)
    assert isinstance(problem, ExamProblem)
    data = load_semester(session, semester.name)
    students = exam_students(data)
    sitting: dict[str, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for exam, place in zip(problem.exams, exam_places(run, problem, data), strict=True):
        if place is None:
            continue
        period = problem.periods[place[0]]
        if period.date is None or period.start is None:
            continue
        start = period.start.hour * 60 + period.start.minute
        for student in exam.students:
            sitting[students[student]].append((period.date, start, start + period.duration))
    return dict(sitting)


def _minutes(clock: dt.time) -> int:
    return clock.hour * 60 + clock.minute
