"""A semester's stored exam sittings, named by date and start as imports name them: listed with
those outside the exam session marked, and removed one at a time (exam runs leave out a
mistyped year). A sitting the published exam timetable places an exam in stays.
The session's dates themselves are changed here too, the sittings they leave out named.

Exam runs stored before runs kept the names they were solved for are read by position (today's
exams, sittings and rooms in order); before records change, `name_old_exam_runs` writes down what
those positions mean now, so that an import or a removal does not move their exams."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ExamProblem, ExamSolution
from models.rooms import FIRST_DATE, LAST_DATE
from service.scenarios import run_problem
from service.storage import schema
from service.storage.records import (
    StorageError,
    exam_session,
    load_semester,
    outside_session,
    semester_named,
    stored_sittings,
    stray_sittings,
    stray_warning,
)
from service.timetables import exam_schedule_names

CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
NAMED = 3  # exams a refusal names before counting the rest


class UnknownSitting(StorageError):
    """No such semester, or no sitting of it on that date and start."""


class SittingInUse(StorageError):
    """A sitting a kept exam timetable needs, said which and what to do instead."""


class SessionRefused(StorageError):
    """Exam session dates no registrar plans (a mistyped year, an end before the beginning)."""


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


def session_refusal(first: dt.date, last: dt.date) -> str | None:
    """Why an exam session from `first` to `last` cannot be, or None when it can."""
    for day in (first, last):
        if not FIRST_DATE <= day <= LAST_DATE:
            return f"exam sessions are planned from {FIRST_DATE} to {LAST_DATE}, not {day}"
    if last < first:
        return f"the session ends on {last}, before it begins on {first}"
    return None


def change_exam_session(session: Session, semester_name: str, first: dt.date, last: dt.date) -> list[str]:
    """Set the semester's exam session; returns what its exam runs will then leave out, and the
    published exam timetable's exams sitting outside it (kept as published). Refused (SittingInUse)
    when those sittings are not stored but made from the old dates: they would leave the published
    schedule."""
    refusal = session_refusal(first, last)
    if refusal is not None:
        raise SessionRefused(refusal)
    semester = semester_named(session, semester_name)
    name_old_exam_runs(session, semester)  # read by position, the default sittings would move them
    stored = bool(stored_sittings(session, semester))
    published = _published_outside(session, semester, first, last)
    if published and not stored:
        raise SittingInUse(
            f"{published}, in sittings made from the session's dates (none is stored): import the sittings "
            "it uses (the exam_periods table) first, and they stay"
        )
    semester.exams_from, semester.exams_to = first, last
    strays = stray_sittings(session, semester)
    warnings = [f"exam runs: {stray_warning(semester, strays)}"] if strays else []
    if published:
        warnings.append(f"{published}; it stays published until an exam run on the new session is")
    return warnings


def _published_outside(session: Session, semester: schema.Semester, first: dt.date, last: dt.date) -> str:
    """The published exam timetable's exams on days outside `first`..`last`, said; '' when none."""
    published = _published_exam_run(session, semester)
    if published is None:
        return ""
    run, solution = published
    assert run.solved_for is not None
    outside = {
        (date, start)
        for date, start in run.solved_for["periods"]
        if date and not first <= dt.date.fromisoformat(date) <= last
    }
    courses = list(
        dict.fromkeys(course for date, start in outside for course in _courses_in(run, solution, date, start))
    )
    if not courses:
        return ""
    return f"the published exam timetable (run {run.id}) sits {_listed(courses)} outside {first} to {last}"


def remove_sitting(session: Session, semester_name: str, date: str, start: str) -> str:
    """Delete the semester's sitting on `date` at `start`; returns it as the registrar writes it."""
    try:
        semester = semester_named(session, semester_name)
    except StorageError as error:
        raise UnknownSitting(str(error)) from None
    sitting = _sitting_named(session, semester, date, start)
    named = f"the sitting on {sitting.date} at {sitting.start}"
    name_old_exam_runs(session, semester)
    published = _published_exam_run(session, semester)
    if published is not None:
        run, solution = published
        courses = _courses_in(run, solution, str(sitting.date), sitting.start)
        if courses:
            raise SittingInUse(
                f"{named} cannot be removed: the published exam timetable (run {run.id}) sits "
                f"{_listed(courses)} in it; publish an exam run that does not use it first"
            )
    session.delete(sitting)
    return f"{sitting.date} at {sitting.start}"


def _published_exam_run(
    session: Session, semester: schema.Semester
) -> tuple[schema.Run, ExamSolution] | None:
    """The published exam run and its solution, when it has one and the names it was solved for
    (old runs are given theirs first: `name_old_exam_runs`)."""
    run = session.scalar(
        select(schema.Run).where(
            schema.Run.semester_id == semester.id,
            schema.Run.kind == "exams",
            schema.Run.published_at.is_not(None),
        )
    )
    if run is None or run.solution is None or run.solved_for is None:
        return None
    return run, ExamSolution.model_validate(run.solution)


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


def name_old_exam_runs(session: Session, semester: schema.Semester) -> None:
    """Give each exam run of the semester stored without the names it was solved for the names its
    positions stand for today (a run whose exams no longer match in number is stale either way)."""
    data = None
    for run in session.scalars(
        select(schema.Run).where(schema.Run.semester_id == semester.id, schema.Run.kind == "exams")
    ):
        if run.solution is None or run.solved_for is not None:
            continue
        try:
            problem, _ = run_problem(session, run)
        except StorageError:  # no sittings to read it by: nothing to keep
            continue
        assert isinstance(problem, ExamProblem)
        if len(ExamSolution.model_validate(run.solution).periods) == len(problem.exams):
            data = data or load_semester(session, semester.name)
            run.solved_for = exam_schedule_names(problem, data)
