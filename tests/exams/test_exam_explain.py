"""An impossible exam session is refused at once with the reason, in the planners' words: the
registrar's exams by course, dated periods by date and time, benchmark exams by number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from datasets import bundled_instance
from datasets.registrar_exams import exam_courses, exam_problem
from datasets.registrar_records import ExamPeriod
from datasets.semester import generate_semester
from datasets.toronto import read_toronto
from models import (
    Exam,
    ExamProblem,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Pin,
    Room,
    Scenario,
    SolveParameters,
    SolveStatus,
)
from solver.exams.explain import explain_infeasibility
from solver.exams.solve import solve_exams

AFTER, COINCIDENCE, EXCLUSION = (
    PeriodRelation.AFTER,
    PeriodRelation.EXAM_COINCIDENCE,
    PeriodRelation.EXCLUSION,
)


def session(
    exams: list[tuple[int, tuple[int, ...]]],
    periods: int = 3,
    relations: list[tuple[int, PeriodRelation, int]] | None = None,
    capacity: int = 10,
    period_minutes: tuple[int, ...] | None = None,
) -> ExamProblem:
    """Exams as (minutes, students); periods two a day, 120 minutes unless given; one room."""
    minutes = period_minutes or (120,) * periods
    return ExamProblem(
        name="impossible",
        exams=tuple(Exam(index=e, duration=d, students=s) for e, (d, s) in enumerate(exams)),
        periods=tuple(Period(index=p, day=p // 2, duration=m) for p, m in enumerate(minutes)),
        rooms=(Room(index=0, capacity=capacity),),
        period_constraints=tuple(
            PeriodConstraint(first=first, relation=relation, second=second)
            for first, relation, second in relations or []
        ),
    )


def refused(problem: ExamProblem, scenario: Scenario | None = None) -> list[str]:
    """The reasons given, after checking that solving refuses the session with just those."""
    reasons = explain_infeasibility(problem, scenario or Scenario())
    outcome = solve_exams(problem, SolveParameters(time_limit=2, workers=1), scenario)
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.solution is None and outcome.evaluation is None and outcome.report.objective is None
    assert outcome.report.explanation == reasons
    return reasons


def test_a_feasible_session_has_no_reason() -> None:
    problem = session([(60, (1, 2)), (90, (2, 3)), (120, (3, 4))], relations=[(1, AFTER, 0)])
    assert explain_infeasibility(problem, Scenario()) == []
    outcome = solve_exams(problem, SolveParameters(time_limit=2, workers=1))
    assert outcome.report.status is SolveStatus.OPTIMAL and outcome.solution is not None
    assert outcome.report.explanation == []


def test_an_exam_longer_than_every_period() -> None:
    problem = session([(60, (1,)), (180, (2,))], period_minutes=(90, 120, 60))
    assert refused(problem) == ["Exam 1 lasts 180 minutes but the longest period is 120 minutes."]


def test_an_exam_larger_than_the_largest_room() -> None:
    problem = session([(60, (1, 2, 3)), (60, (4,))], capacity=2)
    assert refused(problem) == ["Exam 0 has 3 students but the largest room seats 2."]


def test_coincident_exams_that_share_students() -> None:
    problem = session([(60, (1, 2, 3)), (60, (2, 3, 4))], relations=[(0, COINCIDENCE, 1)])
    assert refused(problem) == [
        "Exams 0 and 1 must be in the same period but share 2 students (for example student 2)."
    ]


def test_one_shared_student_is_named_in_the_singular() -> None:
    problem = session([(60, (1, 2)), (60, (2, 3))], relations=[(0, COINCIDENCE, 1)])
    assert refused(problem) == [
        "Exams 0 and 1 must be in the same period but share 1 student (for example student 2)."
    ]


def test_coincident_exams_that_must_also_be_apart() -> None:
    # 0 coincides with 1 and 1 with 2, so 0 and 2 coincide: their exclusion contradicts it
    problem = session(
        [(60, (1,)), (60, (2,)), (60, (3,))],
        relations=[(0, COINCIDENCE, 1), (1, COINCIDENCE, 2), (2, EXCLUSION, 0)],
    )
    assert refused(problem) == [
        "Exams 2 and 0 must be in the same period (coincidence) and in different periods (exclusion)."
    ]


def test_coincident_exams_one_after_the_other() -> None:
    problem = session([(60, (1,)), (60, (2,))], relations=[(0, COINCIDENCE, 1), (0, AFTER, 1)])
    assert refused(problem) == ["Exam 0 must come after exam 1, but they must also be in the same period."]


def test_a_cycle_of_after_requirements() -> None:
    problem = session(
        [(60, (1,)), (60, (2,)), (60, (3,))],
        relations=[(0, AFTER, 1), (1, AFTER, 2), (2, AFTER, 0)],
    )
    assert refused(problem) == [
        "The 'after' requirements form a cycle, so no order of the exams satisfies them."
    ]


def test_a_chain_of_after_requirements_longer_than_the_session() -> None:
    problem = session(
        [(60, (1,)), (60, (2,)), (60, (3,)), (60, (4,))],
        relations=[(1, AFTER, 0), (2, AFTER, 1), (3, AFTER, 2)],
    )
    assert refused(problem) == [
        "Exams 0 then 1 then 2 then 3 must each come after the previous one: 4 periods are needed "
        "but the session has 3."
    ]


def test_more_mutually_conflicting_exams_than_periods() -> None:
    # student 9 sits all four exams
    problem = session([(60, (9, 1)), (60, (9, 2)), (60, (9, 3)), (60, (9, 4))])
    assert refused(problem) == [
        "4 exams (0, 1, 2, 3) each share students with all the others, so they need 4 different "
        "periods, but the session has only 3."
    ]


def test_toronto_hec_s_92_in_five_timeslots_is_refused_for_a_clique() -> None:
    problem = read_toronto(bundled_instance("hec-s-92"), timeslots=5)
    (reason,) = refused(problem)
    found = re.fullmatch(
        r"(\d+) exams \(([\d, ]+) \.\.\.\) each share students with all the others, so they need "
        r"(\d+) different periods, but the session has only 5\.",
        reason,
    )
    assert found is not None, reason
    size, listed, needed = int(found[1]), [int(e) for e in found[2].split(", ")], int(found[3])
    assert size == needed > 5 and len(listed) == 12
    for position, first in enumerate(listed):
        for second in listed[position + 1 :]:
            assert (first, second) in problem.common_students


def test_too_few_seats_over_the_whole_session() -> None:
    problem = session([(60, (1, 2, 3, 4)), (60, (5, 6, 7, 8)), (60, (9, 10, 11, 12))], periods=2, capacity=5)
    assert refused(problem) == [
        "The exams need 12 seats in all, but the rooms offer 10 seats over 2 periods."
    ]


@pytest.mark.parametrize(
    ("pins", "reason"),
    [
        ({7: Pin(period=0)}, "A pin names exam 7, but there are only 2 exams."),
        ({0: Pin(period=5)}, "Exam 0 is pinned to period 5, which does not exist."),
        ({1: Pin(period=2)}, "Exam 1 is pinned to period 2, which is too short for it."),
        ({0: Pin(period=0, room=3)}, "Exam 0 is pinned to room 3, which does not exist."),
        (
            {0: Pin(period=1), 1: Pin(period=1)},
            "Exams 0 and 1 are both pinned to period 1 but share 2 students.",
        ),
    ],
)
def test_impossible_pins(pins: dict[int, Pin], reason: str) -> None:
    problem = session([(60, (1, 2, 3)), (120, (2, 3, 4))], period_minutes=(120, 120, 90))
    assert refused(problem, Scenario(pins=pins)) == [reason]


def named_session(minutes: tuple[int, int, int] = (180, 150, 60), periods: int = 3) -> ExamProblem:
    """Three named exams (the first two share a student) in dated periods of 120, 90 and 60 minutes."""
    names = ("CSE2001 Algorithms", "MAT1001 Calculus I", "HIS1001 Modern History")
    students = ((1, 2), (2, 3), (3,))
    return ExamProblem(
        name="named",
        exams=tuple(
            Exam(index=e, name=names[e], duration=minutes[e], students=students[e]) for e in range(3)
        ),
        periods=(
            Period(index=0, day=0, date=dt.date(2026, 12, 21), start=dt.time(9), duration=120),
            Period(index=1, day=0, date=dt.date(2026, 12, 21), start=dt.time(14), duration=90),
            Period(index=2, day=1, date=dt.date(2026, 12, 22), start=dt.time(9), duration=60),
        )[:periods],
        rooms=(Room(index=0, capacity=10),),
    )


def test_named_exams_are_told_by_name_and_dated_periods_by_date_and_time() -> None:
    assert refused(named_session()) == [
        "The exams of CSE2001 Algorithms and MAT1001 Calculus I last 150 to 180 minutes but the longest "
        "period (Mon 2026-12-21 at 09:00) is 120 minutes."
    ]
    fitting = named_session(minutes=(60, 60, 60))
    assert refused(fitting, Scenario(pins={0: Pin(period=1), 1: Pin(period=1)})) == [
        "The exams of CSE2001 Algorithms and MAT1001 Calculus I are both pinned to the period on "
        "Mon 2026-12-21 at 14:00 but share 1 student."
    ]
    assert refused(named_session(minutes=(90, 90, 90)), Scenario(pins={2: Pin(period=2)})) == [
        "The exam of HIS1001 Modern History is pinned to the period on Tue 2026-12-22 at 09:00, "
        "which is too short for it."
    ]
    assert refused(named_session(minutes=(60, 60, 60), periods=1)) == [
        "2 exams (CSE2001 Algorithms, MAT1001 Calculus I) each share students with all the others, so they "
        "need 2 different periods, but the session has only 1 (Mon 2026-12-21 at 09:00)."
    ]


def test_many_exams_too_long_are_one_reason_naming_twelve() -> None:
    problem = session([(150, (student,)) for student in range(15)], period_minutes=(120, 120))
    assert refused(problem) == [
        "Exams 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more last 150 minutes but the longest period is "
        "120 minutes."
    ]


def test_the_registrars_exams_are_explained_by_course_code_and_title() -> None:
    """The problem an exam run of the service builds from the records, in one 30-minute sitting and
    then in one of three hours: the reasons name the courses and the sitting."""
    data = generate_semester(120, 17)
    titles = {course.code: f"{course.code} {course.title}" for course in data.courses}
    courses = exam_courses(data)
    monday = dt.date(2026, 12, 21)
    short = replace(data, exam_periods=(ExamPeriod(monday, "09:00", 30),))
    too_long, clique, seats = refused(exam_problem(short, "autumn"))
    listed = ", ".join(titles[course] for course in courses[:12])
    assert too_long == (
        f"The exams of {listed} and {len(courses) - 12} more last 120 minutes "
        "but the longest period (Mon 2026-12-21 at 09:00) is 30 minutes."
    )
    assert seats.endswith("seats over 1 period.")
    one_sitting = replace(data, exam_periods=(ExamPeriod(monday, "09:00", 180),))
    assert refused(exam_problem(one_sitting, "autumn"))[0] == clique
    found = re.fullmatch(
        r"(\d+) exams \((.+)\) each share students with all the others, so they need \1 different "
        r"periods, but the session has only 1 \(Mon 2026-12-21 at 09:00\)\.",
        clique,
    )
    assert found is not None, clique
    assert set(found[2].split(", ")) <= set(titles.values()) and len(found[2].split(", ")) == int(found[1])
    assert not re.search(r"\bExams? \d", " ".join((too_long, clique)))
