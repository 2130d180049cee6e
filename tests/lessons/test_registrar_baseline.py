"""Minimal perturbation, priced by hand: a baseline place no meeting of its section takes any
more costs one; meetings of a section trading places cost nothing; the exact model keeps a
timetable where it was unless moving pays."""

from __future__ import annotations

from constraints.lessons import baseline_moves, evaluate, room_clash, teacher_preferences, units_for
from models import LessonRoom, Preference, Section, Teacher
from tests.lessons.test_registrar_section_rules import best, counted, make_problem, posted, slot, timetable

ROOMS = (LessonRoom(index=0, name="B12", capacity=30), LessonRoom(index=1, name="C7", capacity=30))


def two_meetings(baseline: tuple[tuple[int, int] | None, ...] = ()):  # type: ignore[no-untyped-def]
    problem = make_problem(
        [Section(index=0, name="CHEM110-P1", course="CHEM110", size=20, meetings=(1, 1), teachers=(0,))],
        rooms=ROOMS,
    )
    return problem.replaced(baseline=baseline) if baseline else problem


def test_it_is_a_soft_registrar_rule_of_weight_one() -> None:
    problem = two_meetings()
    assert baseline_moves in units_for(problem) and not baseline_moves.HARD
    assert baseline_moves.weight(problem) == 1
    assert counted(baseline_moves, problem, timetable(problem, [slot(0, 0), slot(2, 0)])) == 0  # no baseline


def test_moves_are_counted_per_place_left() -> None:
    problem = two_meetings(((slot(0, 0), 0), (slot(2, 0), 1)))
    assert counted(baseline_moves, problem, timetable(problem, [slot(0, 0), slot(2, 0)], [0, 1])) == 0
    swapped = timetable(problem, [slot(2, 0), slot(0, 0)], [1, 0])
    assert counted(baseline_moves, problem, swapped) == 0  # the same timetable, meetings traded
    other_room = timetable(problem, [slot(0, 0), slot(2, 0)], [0, 0])
    [violation] = baseline_moves.count(problem, other_room)
    assert (
        violation.cost == 1 and violation.message == "CHEM110-P1 no longer meets Wed period 0 (08:00) in C7"
    )
    both = timetable(problem, [slot(1, 0), slot(3, 0)], [0, 0])
    assert counted(baseline_moves, problem, both) == 2
    left_out = problem.replaced(baseline=((slot(0, 0), 0), None))
    assert counted(baseline_moves, left_out, timetable(problem, [slot(1, 0), slot(3, 0)], [0, 0])) == 1


def test_the_posted_cost_is_the_counted_one() -> None:
    problem = two_meetings(((slot(0, 0), 0), (slot(2, 0), 1)))
    for starts, rooms in (
        ([slot(0, 0), slot(2, 0)], [0, 1]),
        ([slot(2, 0), slot(0, 0)], [1, 0]),
        ([0, 5], [1, 1]),
    ):
        solution = timetable(problem, starts, rooms)
        assert posted(baseline_moves, problem, solution) == counted(baseline_moves, problem, solution)


def test_the_exact_model_moves_a_meeting_only_when_it_pays() -> None:
    teacher = Teacher(index=0, name="Dr Ames", preferences={slot(0, 0): Preference.STRONGLY_DISCOURAGED})
    problem = make_problem(
        [Section(index=0, name="CHEM110-P1", course="CHEM110", size=20, meetings=(1, 1), teachers=(0,))],
        teachers=(teacher,),
        rooms=ROOMS,
    ).replaced(baseline=((slot(0, 0), 0), (slot(2, 0), 1)))
    current = timetable(problem, [slot(0, 0), slot(2, 0)], [0, 1])
    units = [room_clash, baseline_moves]
    assert best(units, problem, {0, 1}, current) == 0  # stays put
    # a strongly discouraged time costs 3, moving costs 1: it moves, once
    assert best([*units, teacher_preferences], problem, {0, 1}, current) == 1
    assert evaluate(problem, current).total >= 3
