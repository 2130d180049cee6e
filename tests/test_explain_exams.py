"""Impossible exam sessions are answered with the reason, in the planners' words."""

from __future__ import annotations

from datasets import bundled_instance
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


def session(
    exams: list[tuple[int, tuple[int, ...]]],
    periods: int = 3,
    relations: tuple[PeriodConstraint, ...] = (),
    capacity: int = 10,
) -> ExamProblem:
    return ExamProblem(
        name="tiny",
        exams=tuple(Exam(index=i, duration=d, students=s) for i, (d, s) in enumerate(exams)),
        periods=tuple(Period(index=p, day=p // 2, duration=120) for p in range(periods)),
        rooms=(Room(index=0, capacity=capacity),),
        period_constraints=relations,
    )


def reasons(problem: ExamProblem, scenario: Scenario | None = None) -> str:
    return " ".join(explain_infeasibility(problem, scenario or Scenario()))


def test_a_feasible_session_has_no_reason() -> None:
    assert reasons(session([(60, (1, 2)), (60, (2, 3))])) == ""


def test_an_exam_longer_than_every_period() -> None:
    assert "Exam 1 lasts 180 minutes but the longest period is 120 minutes" in reasons(
        session([(60, (1,)), (180, (2,))])
    )


def test_an_exam_larger_than_every_room() -> None:
    assert "Exam 0 has 3 students but the largest room seats 2" in reasons(
        session([(60, (1, 2, 3))], capacity=2)
    )


def test_coincident_exams_that_share_students() -> None:
    relation = PeriodConstraint(first=0, relation=PeriodRelation.EXAM_COINCIDENCE, second=1)
    text = reasons(session([(60, (1, 2)), (60, (2, 3))], relations=(relation,)))
    assert "Exams 0 and 1 must be in the same period but share 1 students (for example student 2)" in text


def test_coincidence_and_exclusion_together() -> None:
    relations = (
        PeriodConstraint(first=0, relation=PeriodRelation.EXAM_COINCIDENCE, second=1),
        PeriodConstraint(first=1, relation=PeriodRelation.EXCLUSION, second=0),
    )
    assert "same period (coincidence) and in different periods (exclusion)" in reasons(
        session([(60, (1,)), (60, (2,))], relations=relations)
    )


def test_an_after_cycle() -> None:
    relations = (
        PeriodConstraint(first=0, relation=PeriodRelation.AFTER, second=1),
        PeriodConstraint(first=1, relation=PeriodRelation.AFTER, second=0),
    )
    assert "form a cycle" in reasons(session([(60, (1,)), (60, (2,))], relations=relations))


def test_an_after_chain_longer_than_the_session() -> None:
    relations = tuple(
        PeriodConstraint(first=e + 1, relation=PeriodRelation.AFTER, second=e) for e in range(3)
    )
    text = reasons(session([(60, (e,)) for e in range(4)], periods=3, relations=relations))
    assert "Exams 0 then 1 then 2 then 3 must each come after the previous one: 4 periods are needed" in text


def test_more_seats_needed_than_offered() -> None:
    text = reasons(session([(60, tuple(range(s, s + 8))) for s in (0, 10, 20, 30)], periods=3, capacity=10))
    assert "The exams need 32 seats in all, but the rooms offer 30 seats over the 3 periods" in text


def test_pins_that_collide() -> None:
    problem = session([(60, (1, 2)), (60, (2, 3))])
    scenario = Scenario(pins={0: Pin(period=1), 1: Pin(period=1)})
    assert "Exams 0 and 1 are both pinned to period 1 but share 1 students" in reasons(problem, scenario)


def test_a_toronto_instance_with_too_few_timeslots() -> None:
    problem = read_toronto(bundled_instance("hec-s-92"), timeslots=5)
    outcome = solve_exams(problem, SolveParameters(time_limit=5, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.solution is None
    assert any(
        "each share students with all the others" in r and "only 5" in r for r in outcome.report.explanation
    )
