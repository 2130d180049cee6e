"""A semester's stored exam sittings, named by date and start as imports name them: listed with
those outside the exam session marked, and removed one at a time (exam runs leave out a
mistyped year). A sitting the published exam timetable places an exam in stays, as does
one a run stored without its sittings' names would be misread without (service.timetables)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ExamSolution
from service.storage import schema
from service.storage.records import (
    StorageError,
    exam_session,
    outside_session,
    semester_named,
    stored_sittings,
)

CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
NAMED = 3  # exams a refusal names before counting the rest


class UnknownSitting(StorageError):
    """No such semester, or no sitting of it on that date and start."""


class SittingInUse(StorageError):
    """A sitting a kept exam timetable needs, said which and what to do instead."""


def sitting_rows(session: Session, semester: schema.Semester) -> list[dict[str, Any]]:
    """The stored sittings in date order, each marked when outside the exam session (if known)."""
    known = exam_session(semester) is not None
    rows = []
    for sitting in stored_sittings(session, semester):
        row: dict[str, Any] = {
            "date": sitting.date,
            "start": sitting.start,
            "minutes": sitting.minutes,
            "penalty": sitting.penalty,
        }
        if known:
            row["exam session"] = "outside" if outside_session(semester, sitting.date) else ""
        rows.append(row)
    return rows


def remove_sitting(session: Session, semester_name: str, date: str, start: str) -> str:
    """Delete the semester's sitting on `date` at `start`; returns it as the registrar writes it."""
    try:
        semester = semester_named(session, semester_name)
    except StorageError as error:
        raise UnknownSitting(str(error)) from None
    sitting = _sitting_named(session, semester, date, start)
    named = f"the sitting on {sitting.date} at {sitting.start}"
    order = [(s.date, s.start) for s in stored_sittings(session, semester)]
    for run in session.scalars(
        select(schema.Run)
        .where(
            schema.Run.semester_id == semester.id,
            schema.Run.kind == "exams",
            schema.Run.solution.is_not(None),
        )
        .order_by(schema.Run.id)
    ):
        solution = ExamSolution.model_validate(run.solution)
        if run.solved_for is None:
            # read by position: removing a sitting moves every later one into its predecessor's place
            position = order.index((sitting.date, sitting.start))
            if any(period is not None and period >= position for period in solution.periods):
                raise SittingInUse(
                    f"{named} cannot be removed: run {run.id} was stored before runs kept their sittings' "
                    "dates and reads its exams by position, so removing it would move them to other sittings"
                )
        elif run.published_at is not None:
            courses = _courses_in(run, solution, str(sitting.date), sitting.start)
            if courses:
                raise SittingInUse(
                    f"{named} cannot be removed: the published exam timetable (run {run.id}) sits "
                    f"{_listed(courses)} in it; publish an exam run that does not use it first"
                )
    session.delete(sitting)
    return f"{sitting.date} at {sitting.start}"


def _sitting_named(session: Session, semester: schema.Semester, date: str, start: str) -> schema.ExamPeriod:
    unknown = f"semester {semester.name!r} has no sitting on {date} at {start}"
    clock = CLOCK.fullmatch(start)
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        day = None
    if day is None or clock is None:
        raise UnknownSitting(
            f"{unknown}: a sitting is named by its date and start, like 2026-12-21 and 09:00"
        )
    found = session.scalar(
        select(schema.ExamPeriod).where(
            schema.ExamPeriod.semester_id == semester.id,
            schema.ExamPeriod.date == day,
            schema.ExamPeriod.start == f"{int(clock[1]):02d}:{clock[2]}",
        )
    )
    if found is None:
        raise UnknownSitting(unknown)
    return found


def _courses_in(run: schema.Run, solution: ExamSolution, date: str, start: str) -> list[str]:
    """The courses whose exams the run placed in that sitting, by the names it was solved for."""
    assert run.solved_for is not None
    names = run.solved_for
    return list(
        dict.fromkeys(
            names["exams"][exam][0]
            for exam, period in enumerate(solution.periods)
            if period is not None and names["periods"][period] == [date, start]
        )
    )


def _listed(courses: list[str]) -> str:
    more = f" and {len(courses) - NAMED} more" if len(courses) > NAMED else ""
    return f"the exam{'s' * (len(courses) != 1)} of {', '.join(courses[:NAMED])}{more}"
