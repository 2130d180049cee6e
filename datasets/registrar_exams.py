"""The end-of-semester exam session in the registrar's terms, as an exam problem: the listed
exams (by default one per course with registered students, 120 minutes; the students of all its
sections sit it together) in the listed sittings (by default two a day, 09:00 and 14:00, three
hours each, on every day of the session but Sunday), in the semester's rooms. Scored by the
ITC 2007 examination rules with the weights below.
"""

from __future__ import annotations

import datetime as dt

from datasets.registrar_records import ExamPeriod, ExamRecord, RegistrarData
from models.exams import Exam, ExamProblem, Period, PeriodConstraint, PeriodRelation, Room, Weightings

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
    """The course of each of the problem's exams, in order; a course whose students no room
    seats sits in several parts at the same time, one after another here."""
    return [exam.course for exam, _ in exam_parts(data)]


def exam_parts(data: RegistrarData) -> list[tuple[ExamRecord, tuple[int, ...]]]:
    """Each exam with its students (as exam-problem indices), split into parts when no room
    seats them all: as many parts as the largest rooms need to seat them together, each no
    bigger than its room."""
    index = {student: position for position, student in enumerate(exam_students(data))}
    course_of = {section.ref: section.course for section in data.sections}
    takers: dict[str, set[int]] = {}
    for registration in data.registrations:
        takers.setdefault(course_of[registration.section], set()).add(index[registration.student])
    capacities = sorted((room.capacity for room in data.rooms), reverse=True)
    parts = []
    for exam in exams_of(data):
        students = sorted(takers.get(exam.course, ()))
        parts += [(exam, part) for part in _split(students, capacities)]
    return parts


def _split(students: list[int], capacities: list[int]) -> list[tuple[int, ...]]:
    if not capacities or len(students) <= capacities[0]:
        return [tuple(students)]
    rooms, seats = 0, 0
    while rooms < len(capacities) and seats < len(students):
        seats += capacities[rooms]
        rooms += 1
    if seats < len(students):  # all the rooms together are too small: one part, explained later
        return [tuple(students)]
    parts, start = [], 0
    for position in range(rooms):
        left = len(students) - start
        share = min(capacities[position], -(-left * capacities[position] // sum(capacities[position:rooms])))
        parts.append(tuple(students[start : start + share]))
        start += share
    return [part for part in parts if part]


def exam_names(data: RegistrarData, courses: list[str]) -> list[str]:
    """What the registrar calls each exam: its course's code and title, and which part of the
    course's exam it is when the course sits in parts ('CSE2001 Algorithms, part 2 of 3')."""
    titles = {course.code: course.title for course in data.courses}
    names = []
    for position, course in enumerate(courses):
        name = f"{course} {titles[course]}" if titles.get(course) else course
        parts = courses.count(course)
        if parts > 1:
            name += f", part {courses[: position + 1].count(course)} of {parts}"
        names.append(name)
    return names


def exam_students(data: RegistrarData) -> list[str]:
    """The students of the exam problem, by index: everyone registered, in order of registration."""
    return list(dict.fromkeys(r.student for r in data.registrations))


def exams_of(data: RegistrarData) -> tuple[ExamRecord, ...]:
    """The exams listed, or else one of the default length per course with registered students."""
    if data.exams:
        return data.exams
    registered = {registration.section for registration in data.registrations}
    with_students = {section.course for section in data.sections if section.ref in registered}
    return tuple(ExamRecord(c.code, EXAM_MINUTES) for c in data.courses if c.code in with_students)


def sittings_of(
    data: RegistrarData, first_day: dt.date | None, last_day: dt.date | None
) -> tuple[ExamPeriod, ...]:
    """The sittings listed, or else the default sittings of each day of the session but Sunday."""
    if data.exam_periods:
        return data.exam_periods
    if first_day is None or last_day is None:
        raise ValueError("the semester has neither exam sittings nor exam session dates")
    if last_day < first_day:
        raise ValueError(f"the exam session ends ({last_day}) before it starts ({first_day})")
    days = [first_day + dt.timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]
    return tuple(
        ExamPeriod(date, start.strftime("%H:%M"), SITTING_MINUTES)
        for date in days
        if date.weekday() != 6  # no exams on Sunday
        for start in SITTINGS
    )


def exam_problem(
    data: RegistrarData, name: str, first_day: dt.date | None = None, last_day: dt.date | None = None
) -> ExamProblem:
    sittings = sittings_of(data, first_day, last_day)
    if not sittings:
        raise ValueError("the exam session has no day but Sunday")
    parts = exam_parts(data)
    names = exam_names(data, [exam.course for exam, _ in parts])
    exams = tuple(
        Exam(index=index, name=name, duration=exam.minutes, students=students)
        for index, ((exam, students), name) in enumerate(zip(parts, names, strict=True))
    )
    first_part: dict[str, int] = {}
    together = []  # the parts of one course's exam sit at the same time
    for index, (exam, _) in enumerate(parts):
        first = first_part.setdefault(exam.course, index)
        if first != index:
            together.append(
                PeriodConstraint(first=first, relation=PeriodRelation.EXAM_COINCIDENCE, second=index)
            )
    day_of = {date: day for day, date in enumerate(sorted({sitting.date for sitting in sittings}))}
    periods = tuple(
        Period(
            index=index,
            day=day_of[sitting.date],
            date=sitting.date,
            start=dt.time.fromisoformat(sitting.start),
            duration=sitting.minutes,
            penalty=sitting.penalty,
        )
        for index, sitting in enumerate(sittings)
    )
    rooms = tuple(Room(index=index, capacity=room.capacity) for index, room in enumerate(data.rooms))
    return ExamProblem(
        name=name,
        exams=exams,
        periods=periods,
        rooms=rooms,
        period_constraints=tuple(together),
        weightings=WEIGHTINGS,
    )
