"""The end-of-semester exam session in the registrar's terms, as an exam problem: one written
exam per course with registered students (the students of all its sections sit it together),
two sittings a day (09:00 and 14:00, three hours each) on every day of the session but Sunday,
in the semester's rooms. Scored by the ITC 2007 examination rules with the weights below.
"""

from __future__ import annotations

import datetime as dt

from datasets.registrar_records import RegistrarData
from models.exams import Exam, ExamProblem, Period, Room, Weightings

SITTINGS = (dt.time(9, 0), dt.time(14, 0))
SITTING_MINUTES = 180
EXAM_MINUTES = 120
# ITC 2007 weights: two exams in a row or in a day for a student, a spread window of three
# sittings, mixed durations in a room, the largest tenth of exams in the first part of the session
WEIGHTINGS = Weightings(
    two_in_a_row=7,
    two_in_a_day=5,
    period_spread=3,
    non_mixed_durations=10,
    front_load_exams=10,
    front_load_periods=4,
    front_load_weight=5,
)


def exam_courses(data: RegistrarData) -> list[str]:
    """The courses that get an exam, in the order of the problem's exams."""
    registered = {registration.section for registration in data.registrations}
    with_students = {section.course for section in data.sections if section.ref in registered}
    return [course.code for course in data.courses if course.code in with_students]


def exam_problem(data: RegistrarData, name: str, first_day: dt.date, last_day: dt.date) -> ExamProblem:
    if last_day < first_day:
        raise ValueError(f"the exam session ends ({last_day}) before it starts ({first_day})")
    students = {
        student: index for index, student in enumerate(dict.fromkeys(r.student for r in data.registrations))
    }
    course_of = {section.ref: section.course for section in data.sections}
    takers: dict[str, set[int]] = {}
    for registration in data.registrations:
        takers.setdefault(course_of[registration.section], set()).add(students[registration.student])
    exams = tuple(
        Exam(index=index, duration=EXAM_MINUTES, students=tuple(sorted(takers[code])))
        for index, code in enumerate(exam_courses(data))
    )
    days = [
        first_day + dt.timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
        if (first_day + dt.timedelta(days=offset)).weekday() != 6  # no exams on Sunday
    ]
    if not days:
        raise ValueError("the exam session has no day but Sunday")
    periods = tuple(
        Period(index=len(SITTINGS) * day + sitting, day=day, date=date, start=start, duration=SITTING_MINUTES)
        for day, date in enumerate(days)
        for sitting, start in enumerate(SITTINGS)
    )
    rooms = tuple(Room(index=index, capacity=room.capacity) for index, room in enumerate(data.rooms))
    return ExamProblem(name=name, exams=exams, periods=periods, rooms=rooms, weightings=WEIGHTINGS)
