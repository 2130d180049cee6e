"""Each exam rule on a hand-made problem of a few exams, with the exact penalty it must give."""

from __future__ import annotations

from itertools import combinations
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import constraints.exams as exam_rules
from constraints.exams import (
    after,
    coincidence,
    exclusion,
    front_load,
    mixed_durations,
    period_duration,
    period_penalty,
    period_spread,
    placement,
    proximity,
    room_capacity,
    room_exclusive,
    room_penalty,
    student_conflicts,
    two_in_a_day,
    two_in_a_row,
)
from models import (
    Exam,
    ExamProblem,
    ExamSolution,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Room,
    Scenario,
    Scoring,
    Weightings,
)

# Day 0 has periods 0, 1 and 2; day 1 has periods 3 and 4.
DAYS = (0, 0, 0, 1, 1)
PERIOD_MINUTES = (120, 120, 180, 90, 120)
PERIOD_PENALTIES = (0, 0, 0, 0, 30)
EXAM_MINUTES = (60, 60, 120, 90, 60)
ENROLMENT = (
    (1, 2, 3),  # exam 0
    (1, 2),  # exam 1
    (3, 4),  # exam 2
    (5,),  # exam 3
    (1, 5, 6),  # exam 4: as large as exam 0
)
# The same, but exam 4's students sit no other exam.
ENROLMENT_APART = (*ENROLMENT[:4], (6, 7, 8))
WEIGHTINGS = Weightings(
    two_in_a_row=7,
    two_in_a_day=5,
    period_spread=2,
    non_mixed_durations=10,
    front_load_exams=1,
    front_load_periods=2,
    front_load_weight=3,
)


def itc_problem(
    *constraints: tuple[int, PeriodRelation, int],
    room_exclusive: frozenset[int] = frozenset(),
    enrolment: tuple[tuple[int, ...], ...] = ENROLMENT,
) -> ExamProblem:
    return ExamProblem(
        name="tiny",
        exams=tuple(
            Exam(index=exam, duration=EXAM_MINUTES[exam], students=students)
            for exam, students in enumerate(enrolment)
        ),
        periods=tuple(
            Period(index=period, day=day, duration=minutes, penalty=penalty)
            for period, (day, minutes, penalty) in enumerate(
                zip(DAYS, PERIOD_MINUTES, PERIOD_PENALTIES, strict=True)
            )
        ),
        rooms=(Room(index=0, capacity=10), Room(index=1, capacity=3, penalty=7)),
        period_constraints=tuple(
            PeriodConstraint(first=first, relation=relation, second=second)
            for first, relation, second in constraints
        ),
        room_exclusive=room_exclusive,
        weightings=WEIGHTINGS,
    )


def toronto_problem(slots: int = 8) -> ExamProblem:
    return ExamProblem(
        name="tiny toronto",
        scoring=Scoring.TORONTO,
        exams=tuple(
            Exam(index=exam, duration=0, students=students) for exam, students in enumerate(ENROLMENT)
        ),
        periods=tuple(Period(index=slot, day=slot, duration=0) for slot in range(slots)),
    )


def timetable(periods: tuple[int, ...], rooms: tuple[int | None, ...] | None = None) -> ExamSolution:
    return ExamSolution(
        problem_name="tiny",
        periods=periods,
        rooms=rooms if rooms is not None else (0,) * len(periods),
    )


def cost(unit: ModuleType, problem: ExamProblem, solution: ExamSolution) -> int:
    return sum(violation.cost for violation in unit.count(problem, solution))


# No student has two exams in one period or back to back.
CALM = timetable((0, 2, 3, 0, 4), (0, 0, 0, 0, 1))


def test_every_unit_states_its_rule() -> None:
    names = [unit.NAME for unit in exam_rules.UNITS]
    assert len(set(names)) == len(names)
    hard = [unit.HARD for unit in exam_rules.UNITS]
    assert hard == sorted(hard, reverse=True), "hard rules come first"
    for unit in exam_rules.UNITS:
        assert unit.__doc__ and unit.__doc__.count("\n") == 0, unit.NAME
        assert unit.weight(itc_problem()) >= 0


# placement


def test_placement_accepts_a_complete_timetable() -> None:
    assert placement.count(itc_problem(), CALM) == []


def test_placement_counts_each_misplaced_exam_once() -> None:
    solution = timetable((0, 5, 4, 0, -1), (0, 0, 2, 0, 9))
    violations = placement.count(itc_problem(), solution)
    assert [violation.exams for violation in violations] == [(1,), (2,), (4,)]
    assert sum(violation.cost for violation in violations) == 3
    assert "period 5" in violations[0].message
    assert "room 2" in violations[1].message


def test_placement_needs_a_room_only_when_rooms_are_used() -> None:
    rooms_missing = timetable((0, 1, 2, 3, 4), (None,) * 5)
    assert cost(placement, itc_problem(), rooms_missing) == 5
    assert cost(placement, toronto_problem(), rooms_missing) == 0


def test_placement_counts_missing_and_surplus_entries() -> None:
    assert cost(placement, itc_problem(), timetable((0, 1, 2))) == 2
    assert cost(placement, itc_problem(), timetable((0, 1, 2, 3, 4, 0, 0))) == 2


def test_misplaced_exams_do_not_break_the_other_checkers() -> None:
    evaluation = exam_rules.evaluate(itc_problem(), timetable((0, 9, 4, 0, 4), (0, 0, 5, 0, 1)))
    assert not evaluation.feasible
    assert evaluation.hard_violations == 2
    assert {violation.constraint for violation in evaluation.violations(hard=True)} == {"placement"}


# student conflicts


def test_student_conflicts_count_students_per_pair_of_exams() -> None:
    problem = itc_problem()
    assert cost(student_conflicts, problem, CALM) == 0
    # Exams 0, 1 and 4 together: students 1 and 2 in (0, 1), 1 in (0, 4), 1 in (1, 4).
    solution = timetable((2, 2, 0, 3, 2))
    violations = student_conflicts.count(problem, solution)
    assert sum(violation.cost for violation in violations) == 4
    by_pair = {violation.exams: violation for violation in violations}
    assert by_pair[0, 1].students == (1, 2)
    assert by_pair[0, 4].message == "Student 1 sits exams 0 and 4 both in period 2"
    assert by_pair[0, 1].message.startswith("2 students (1, 2) sit exams 0 and 1")


def test_a_student_listed_twice_in_an_exam_counts_once() -> None:
    problem = itc_problem(enrolment=((1, 1, 2), (1,), (3,), (4,), (5,)))
    assert cost(student_conflicts, problem, timetable((0, 0, 1, 2, 3))) == 1
    assert problem.exams[0].size == 2


# room capacity


def test_room_capacity_allows_sharing_within_the_seats() -> None:
    problem = itc_problem()
    # Exams 1 (2 students) and 3 (1 student) fill room 1's 3 seats exactly.
    assert cost(room_capacity, problem, timetable((0, 3, 4, 3, 1), (0, 1, 0, 1, 0))) == 0


def test_room_capacity_counts_each_overfull_room_period_once() -> None:
    problem = itc_problem()
    solution = timetable((1, 3, 3, 3, 1), (1, 1, 1, 1, 1))
    violations = room_capacity.count(problem, solution)
    # Period 1: exams 0 and 4 seat 6 in 3 seats; period 3: exams 1, 2 and 3 seat 5.
    assert [(violation.periods, violation.exams) for violation in violations] == [
        ((1,), (0, 4)),
        ((3,), (1, 2, 3)),
    ]
    assert sum(violation.cost for violation in violations) == 2
    assert violations[0].message == "Room 1 seats 3 but exams 0 and 4 put 6 students in it in period 1"


def test_room_capacity_seats_a_student_listed_twice_once() -> None:
    problem = itc_problem(enrolment=((1, 1, 2, 2, 3), (7,), (8,), (9,), (10,)))
    assert cost(room_capacity, problem, timetable((0, 1, 2, 3, 4), (1, 0, 0, 0, 0))) == 0


def test_room_rules_do_not_apply_without_rooms() -> None:
    problem = toronto_problem()
    solution = timetable((0, 0, 0, 0, 0), (None,) * 5)
    assert room_capacity.count(problem, solution) == []
    assert room_exclusive.count(problem, solution) == []
    assert room_capacity not in exam_rules.units_for(problem)


# period duration


def test_period_duration_allows_an_exact_fit() -> None:
    # Exam 2 lasts 120 minutes, as long as period 0.
    assert cost(period_duration, itc_problem(), timetable((1, 3, 0, 3, 4))) == 0


def test_period_duration_counts_each_exam_too_long() -> None:
    # Exam 2 (120 min) in period 3 (90 min); exam 3 (90 min) also in period 3 fits.
    violations = period_duration.count(itc_problem(), timetable((0, 1, 3, 3, 4)))
    assert [violation.exams for violation in violations] == [(2,)]
    assert violations[0].message == "Exam 2 lasts 120 minutes but period 3 lasts only 90"


# period constraints


def test_after_needs_a_strictly_later_period() -> None:
    problem = itc_problem((1, PeriodRelation.AFTER, 0))
    assert cost(after, problem, timetable((0, 1, 2, 3, 4))) == 0
    same = after.count(problem, timetable((1, 1, 2, 3, 4)))
    assert [violation.cost for violation in same] == [1]
    assert same[0].message == "Exam 1 must come after exam 0 but both are in period 1"
    assert cost(after, problem, timetable((3, 1, 2, 3, 4))) == 1


def test_each_period_constraint_line_counts_once() -> None:
    problem = itc_problem(
        (1, PeriodRelation.AFTER, 0),
        (1, PeriodRelation.AFTER, 0),
        (2, PeriodRelation.AFTER, 0),
    )
    assert cost(after, problem, timetable((3, 1, 2, 3, 4))) == 3


def test_coincidence_needs_the_same_period() -> None:
    problem = itc_problem((2, PeriodRelation.EXAM_COINCIDENCE, 3), (4, PeriodRelation.AFTER, 0))
    assert cost(coincidence, problem, timetable((0, 1, 3, 3, 4))) == 0
    violations = coincidence.count(problem, timetable((0, 1, 2, 3, 4)))
    assert [violation.exams for violation in violations] == [(2, 3)]
    assert violations[0].message == "Exams 2 and 3 must share a period but are in periods 2 and 3"


def test_exclusion_needs_different_periods() -> None:
    problem = itc_problem((0, PeriodRelation.EXCLUSION, 3))
    assert cost(exclusion, problem, timetable((0, 1, 2, 3, 4))) == 0
    assert cost(exclusion, problem, timetable((3, 1, 2, 3, 4))) == 1


# room exclusive


def test_a_room_exclusive_exam_alone_is_fine() -> None:
    problem = itc_problem(room_exclusive=frozenset({2}))
    # Exam 3 uses room 0 too, but in another period.
    assert cost(room_exclusive, problem, timetable((0, 1, 2, 3, 4), (0, 0, 0, 0, 0))) == 0


def test_a_room_exclusive_exam_shares_with_no_one() -> None:
    problem = itc_problem(room_exclusive=frozenset({2}))
    violations = room_exclusive.count(problem, timetable((0, 1, 3, 3, 3), (0, 0, 0, 0, 1)))
    assert [violation.exams for violation in violations] == [(2, 3)]
    assert violations[0].message == (
        "Exam 2 must have its room to itself but shares room 0 in period 3 with exam 3"
    )


# two in a row


def test_two_in_a_row_counts_students_in_back_to_back_exams() -> None:
    problem = itc_problem()
    assert cost(two_in_a_row, problem, CALM) == 0
    # Exam 1 in period 0, exam 0 in period 1: students 1 and 2.
    violations = two_in_a_row.count(problem, timetable((1, 0, 4, 3, 3)))
    assert [(violation.exams, violation.cost) for violation in violations] == [((1, 0), 2)]
    assert violations[0].message == (
        "2 students (1, 2) sit exams 1 and 0 in consecutive periods 0 and 1 of day 0"
    )
    assert exam_rules.evaluate(problem, timetable((1, 0, 4, 3, 3))).breakdown()["two in a row"] == 14


def test_two_in_a_row_does_not_count_overnight() -> None:
    # Periods 2 and 3 follow each other but are on different days.
    assert cost(two_in_a_row, itc_problem(), timetable((2, 3, 0, 4, 0))) == 0


def test_same_period_pairs_are_conflicts_not_soft_penalties() -> None:
    solution = timetable((1, 1, 4, 1, 4))
    problem = itc_problem()
    assert cost(student_conflicts, problem, solution) == 2
    for unit in (two_in_a_row, two_in_a_day, period_spread):
        assert cost(unit, problem, solution) == 0, unit.NAME


# two in a day


def test_two_in_a_day_counts_same_day_exams_with_a_gap() -> None:
    problem = itc_problem()
    violations = two_in_a_day.count(problem, timetable((0, 2, 4, 3, 3)))
    assert [(violation.exams, violation.cost) for violation in violations] == [((0, 1), 2)]
    assert violations[0].message == ("2 students (1, 2) sit exams 0 and 1 in periods 0 and 2, both on day 0")


def test_two_in_a_day_leaves_back_to_back_and_other_days_alone() -> None:
    problem = itc_problem()
    assert cost(two_in_a_day, problem, timetable((0, 1, 3, 3, 4))) == 0
    assert cost(two_in_a_day, problem, timetable((2, 3, 4, 0, 4))) == 0


# period spread


def test_period_spread_counts_pairs_within_the_window_on_any_day() -> None:
    problem = itc_problem(enrolment=ENROLMENT_APART)  # a spread of 2 periods
    # (0, 1) two apart: 2 students; (0, 2) across the night, one apart: 1 student.
    solution = timetable((2, 4, 3, 0, 0))
    violations = period_spread.count(problem, solution)
    assert sorted((violation.exams, violation.cost) for violation in violations) == [
        ((0, 1), 2),
        ((0, 2), 1),
    ]
    assert cost(period_spread, problem, timetable((0, 3, 4, 1, 4))) == 0


# mixed durations


def test_mixed_durations_count_distinct_lengths_minus_one_per_room_period() -> None:
    problem = itc_problem()
    same_length = timetable((0, 0, 1, 3, 0), (0, 0, 0, 0, 0))  # 60, 60 and 60 minutes
    assert cost(mixed_durations, problem, same_length) == 0
    three_lengths = timetable((3, 3, 3, 3, 4), (0, 0, 0, 0, 0))  # 60, 60, 120 and 90 minutes
    violations = mixed_durations.count(problem, three_lengths)
    assert [(violation.periods, violation.cost) for violation in violations] == [((3,), 2)]
    assert violations[0].message == (
        "Room 0 in period 3 holds exams 0, 1, 2 and 3 of 3 different durations (60, 90 and 120 minutes)"
    )
    # The same exams in different rooms are not mixed.
    assert cost(mixed_durations, problem, timetable((3, 3, 3, 4, 4), (0, 0, 1, 1, 0))) == 0


# front load


def test_front_load_breaks_ties_by_exam_order() -> None:
    problem = itc_problem()  # the 1 largest exam, the last 2 periods
    assert problem.largest_exams == frozenset({0})  # exams 0 and 4 both have 3 students
    assert problem.last_periods == frozenset({3, 4})
    assert cost(front_load, problem, timetable((0, 1, 2, 3, 4))) == 0
    violations = front_load.count(problem, timetable((3, 1, 2, 0, 4)))
    assert [violation.exams for violation in violations] == [(0,)]
    assert violations[0].message == (
        "Exam 0, one of the 1 largest (3 students), is in period 3, one of the last 2 periods"
    )
    assert exam_rules.evaluate(problem, timetable((3, 1, 2, 0, 4))).breakdown()["front load"] == 3


# room and period penalties


def test_room_penalty_is_paid_by_each_exam_in_the_room() -> None:
    problem = itc_problem()
    assert cost(room_penalty, problem, timetable((0, 1, 2, 3, 4), (0, 0, 0, 0, 0))) == 0
    assert cost(room_penalty, problem, timetable((0, 1, 2, 3, 4), (1, 0, 0, 1, 0))) == 14


def test_period_penalty_is_paid_by_each_exam_in_the_period() -> None:
    problem = itc_problem()
    assert cost(period_penalty, problem, timetable((0, 1, 2, 3, 3))) == 0
    violations = period_penalty.count(problem, timetable((4, 1, 2, 4, 4)))
    assert sum(violation.cost for violation in violations) == 90
    assert violations[0].message == "Exam 0 is in period 4, which carries a penalty of 30"


def test_itc_criteria_do_not_score_toronto_problems() -> None:
    problem = toronto_problem()
    solution = timetable((0, 1, 2, 3, 4), (None,) * 5)
    for unit in (two_in_a_row, two_in_a_day, period_spread, mixed_durations, front_load):
        assert unit.count(problem, solution) == [], unit.NAME
    assert proximity.count(itc_problem(), timetable((0, 1, 2, 3, 4))) == []


# proximity (Toronto)


def test_proximity_weighs_each_common_student_by_distance() -> None:
    problem = toronto_problem()
    # Pairs and common students: (0, 1) 2, (0, 2) 1, (0, 4) 1, (1, 4) 1, (3, 4) 1.
    solution = timetable((0, 1, 2, 7, 5), (None,) * 5)
    # Gaps: (0, 1) 1 -> 2 x 16; (0, 2) 2 -> 8; (0, 4) 5 -> 1; (1, 4) 4 -> 2; (3, 4) 2 -> 8.
    assert cost(proximity, problem, solution) == 32 + 8 + 1 + 2 + 8
    evaluation = exam_rules.evaluate(problem, solution)
    assert evaluation.total == 51
    assert evaluation.normalised_total == pytest.approx(51 / 6)
    assert evaluation.feasible


def test_proximity_ignores_gaps_beyond_five_and_same_slot_conflicts() -> None:
    problem = toronto_problem(slots=14)
    assert cost(proximity, problem, timetable((0, 6, 12, 6, 12), (None,) * 5)) == 0
    together = timetable((0, 0, 12, 6, 12), (None,) * 5)
    assert cost(proximity, problem, together) == 0
    assert cost(student_conflicts, problem, together) == 2


# evaluation


def test_units_for_pick_the_rules_of_each_scoring() -> None:
    itc_names = [unit.NAME for unit in exam_rules.units_for(itc_problem())]
    assert itc_names[-7:] == [
        "two in a row",
        "two in a day",
        "period spread",
        "mixed durations",
        "front load",
        "room penalty",
        "period penalty",
    ]
    assert "proximity" not in itc_names
    toronto_names = [unit.NAME for unit in exam_rules.units_for(toronto_problem())]
    assert toronto_names[-1] == "proximity"
    assert "room exclusive" not in toronto_names and "two in a row" not in toronto_names


def test_evaluate_sums_weighted_soft_penalties() -> None:
    problem = itc_problem()
    # Two in a row: exams 1, 0 (2 students) x 7; spread: that pair again (2) and exams 0, 4
    # (1 student, periods 1 and 3); front load: exam 0 is not late; period 4 penalty 30 for exam 2.
    solution = timetable((1, 0, 4, 0, 3), (0, 0, 0, 1, 0))
    evaluation = exam_rules.evaluate(problem, solution)
    assert evaluation.feasible
    assert evaluation.breakdown() == {
        "two in a row": 14,
        "two in a day": 0,
        "period spread": 3,
        "mixed durations": 0,
        "front load": 0,
        "room penalty": 7,
        "period penalty": 30,
    }
    assert evaluation.total == 54
    assert evaluation.normalised_total is None


def test_a_scenario_reweighs_and_switches_off_soft_criteria() -> None:
    problem = itc_problem()
    solution = timetable((1, 0, 4, 0, 3), (0, 0, 0, 1, 0))
    scenario = Scenario(
        weights={"two in a row": 1, "room penalty": 0}, disabled=frozenset({"period penalty"})
    )
    evaluation = exam_rules.evaluate(problem, solution, scenario)
    assert evaluation.breakdown() == {
        "two in a row": 2,
        "two in a day": 0,
        "period spread": 3,
        "mixed durations": 0,
        "front load": 0,
        "room penalty": 0,
    }
    assert evaluation.total == 5


def test_a_scenario_cannot_switch_off_a_hard_rule() -> None:
    problem = itc_problem()
    clash = timetable((1, 1, 4, 0, 3))
    evaluation = exam_rules.evaluate(problem, clash, Scenario(disabled=frozenset({"student conflicts"})))
    assert not evaluation.feasible
    assert evaluation.hard_violations == 2


# Each per-pair criterion against a naive recount, student by student.


@st.composite
def problems_and_timetables(draw: st.DrawFn) -> tuple[ExamProblem, ExamSolution]:
    day_lengths = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    days = [day for day, length in enumerate(day_lengths) for _ in range(length)]
    exam_count = draw(st.integers(2, 7))
    # Students may be listed twice in an exam: they must still count once.
    enrolment = draw(
        st.lists(
            st.lists(st.integers(0, 9), max_size=8),
            min_size=exam_count,
            max_size=exam_count,
        )
    )
    scoring = draw(st.sampled_from(Scoring))
    problem = ExamProblem(
        name="random",
        scoring=scoring,
        exams=tuple(
            Exam(index=exam, duration=0, students=tuple(students)) for exam, students in enumerate(enrolment)
        ),
        periods=tuple(Period(index=period, day=day, duration=0) for period, day in enumerate(days)),
        weightings=Weightings(two_in_a_row=1, two_in_a_day=1, period_spread=draw(st.integers(0, 5))),
    )
    periods = draw(st.lists(st.integers(0, len(days) - 1), min_size=exam_count, max_size=exam_count))
    return problem, ExamSolution(problem_name="random", periods=tuple(periods), rooms=(None,) * exam_count)


def naive_recount(problem: ExamProblem, solution: ExamSolution) -> dict[str, int]:
    """Every criterion counted student by student over each pair of that student's exams."""
    counts = dict.fromkeys(
        ("student conflicts", "two in a row", "two in a day", "period spread", "proximity"), 0
    )
    spread = problem.weightings.period_spread
    students = {student for exam in problem.exams for student in exam.students}
    for student in students:
        exams = sorted({exam.index for exam in problem.exams if student in exam.students})
        for first, second in combinations(exams, 2):
            one, two = solution.periods[first], solution.periods[second]
            gap = abs(one - two)
            same_day = problem.periods[one].day == problem.periods[two].day
            if gap == 0:
                counts["student conflicts"] += 1
                continue
            if problem.scoring is Scoring.ITC2007:
                counts["two in a row"] += gap == 1 and same_day
                counts["two in a day"] += gap > 1 and same_day
                counts["period spread"] += gap <= spread
            elif gap <= 5:
                counts["proximity"] += 2 ** (5 - gap)
    return counts


@settings(max_examples=300, deadline=None)
@given(problems_and_timetables())
def test_per_pair_criteria_match_a_per_student_recount(
    case: tuple[ExamProblem, ExamSolution],
) -> None:
    problem, solution = case
    expected = naive_recount(problem, solution)
    for unit in (student_conflicts, two_in_a_row, two_in_a_day, period_spread, proximity):
        assert cost(unit, problem, solution) == expected[unit.NAME], unit.NAME
