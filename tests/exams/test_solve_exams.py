"""The exam pipeline end to end: exact solves checked by brute force, the LNS on real instances,
pins and warm starts; what the solver reports is always what the checker says."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constraints.exams import evaluate
from datasets import bundled_instance, bundled_reference_solution, read_exam_problem, read_exam_solution
from models import (
    Exam,
    ExamProblem,
    ExamSolution,
    Period,
    Pin,
    Room,
    Scenario,
    Scoring,
    SolveParameters,
    SolveStatus,
    Weightings,
)
from solver.exams.solve import solve_exams
from tests.exam_factory import random_problem


def quick(limit: float) -> SolveParameters:
    return SolveParameters(time_limit=limit, workers=1, seed=3)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=100_000))
def test_the_reported_objective_is_the_checker_total(seed: int) -> None:
    problem = random_problem(seed)
    outcome = solve_exams(problem, quick(5), strategy="full")
    if outcome.solution is None:
        assert outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN)
        return
    evaluation = evaluate(problem, outcome.solution)
    assert evaluation.feasible
    assert outcome.report.objective == evaluation.total
    assert outcome.report.best_bound is not None and outcome.report.best_bound <= evaluation.total


@pytest.mark.parametrize("seed", range(8))
def test_an_optimal_toronto_timetable_beats_every_other(seed: int) -> None:
    problem = random_problem(seed, Scoring.TORONTO)
    outcome = solve_exams(problem, quick(10), strategy="full")
    best = None
    slots = range(len(problem.periods))
    for periods in itertools.product(slots, repeat=len(problem.exams)):
        candidate = ExamSolution(problem_name=problem.name, periods=periods, rooms=(None,) * len(periods))
        evaluation = evaluate(problem, candidate)
        if evaluation.feasible and (best is None or evaluation.total < best):
            best = evaluation.total
    if best is None:
        assert outcome.report.status is SolveStatus.INFEASIBLE
    else:
        assert outcome.report.status is SolveStatus.OPTIMAL
        assert outcome.report.objective == best


def test_the_lns_timetables_itc_set_6_feasibly() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    outcome = solve_exams(problem, quick(15), strategy="lns")
    assert outcome.solution is not None and outcome.evaluation is not None
    assert outcome.evaluation.feasible
    assert outcome.report.objective == evaluate(problem, outcome.solution).total
    assert outcome.report.time_to_first_feasible is not None
    assert outcome.report.variables > 0 and outcome.report.constraints > 0


def test_the_lns_timetables_a_toronto_instance() -> None:
    problem = read_exam_problem(bundled_instance("hec-s-92"))
    outcome = solve_exams(problem, quick(6), strategy="lns")
    assert outcome.solution is not None
    evaluation = evaluate(problem, outcome.solution)
    assert evaluation.feasible and outcome.report.objective == evaluation.total
    assert evaluation.normalised_total == pytest.approx(evaluation.total / len(problem.students))


def test_pins_are_kept() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    reference = read_exam_solution(bundled_reference_solution("exam_comp_set6"), problem)
    pins = {exam: Pin(period=reference.periods[exam], room=reference.rooms[exam]) for exam in (0, 50, 100)}
    outcome = solve_exams(problem, quick(15), Scenario(pins=pins), strategy="lns")
    assert outcome.solution is not None
    for exam, pin in pins.items():
        assert outcome.solution.periods[exam] == pin.period
        assert outcome.solution.rooms[exam] == pin.room


def test_a_warm_start_is_never_made_worse() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    reference = read_exam_solution(bundled_reference_solution("exam_comp_set6"), problem)
    start = evaluate(problem, reference).total
    outcome = solve_exams(problem, quick(4), warm_start=reference, strategy="lns")
    assert outcome.report.objective is not None and outcome.report.objective <= start
    assert outcome.report.time_to_first_feasible is not None


def test_progress_is_reported() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    seen = []
    solve_exams(problem, quick(8), listener=seen.append, strategy="lns")
    assert seen and all(point.objective >= point.bound for point in seen)
    assert [point.elapsed for point in seen] == sorted(point.elapsed for point in seen)


def test_a_switched_off_criterion_costs_nothing() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    scenario = Scenario(disabled=frozenset({"two in a row"}))
    outcome = solve_exams(problem, quick(8), scenario, strategy="lns")
    assert outcome.evaluation is not None
    assert "two in a row" not in outcome.evaluation.breakdown()
    assert outcome.report.objective == evaluate(problem, outcome.solution, scenario).total


@st.composite
def tiny_problems(draw: st.DrawFn) -> ExamProblem:
    """Two to four exams sharing a few students; at most six (period, room) places per exam."""
    exam_count = draw(st.integers(2, 4))
    room_count = draw(st.integers(1, 3))
    period_count = draw(st.integers(1, 6 // room_count))
    exams = tuple(
        Exam(
            index=e,
            duration=draw(st.sampled_from([60, 90])),
            students=tuple(draw(st.sets(st.integers(0, 5), max_size=3))),
        )
        for e in range(exam_count)
    )
    return ExamProblem(
        name="drawn",
        exams=exams,
        periods=tuple(
            Period(
                index=p,
                day=p // 2,
                duration=draw(st.sampled_from([60, 120])),
                penalty=draw(st.sampled_from([0, 3])),
            )
            for p in range(period_count)
        ),
        # capacities repeat, so several rooms may be interchangeable
        rooms=tuple(
            Room(index=r, capacity=draw(st.sampled_from([2, 3, 6])), penalty=draw(st.sampled_from([0, 2])))
            for r in range(room_count)
        ),
        room_exclusive=frozenset(draw(st.sets(st.integers(0, exam_count - 1), max_size=1))),
        weightings=Weightings(
            two_in_a_row=draw(st.integers(0, 9)),
            two_in_a_day=draw(st.integers(0, 9)),
            period_spread=draw(st.integers(0, 2)),
            non_mixed_durations=draw(st.integers(0, 9)),
            front_load_exams=draw(st.integers(0, 2)),
            front_load_periods=draw(st.integers(0, 1)),
            front_load_weight=draw(st.integers(0, 9)),
        ),
    )


def best_by_brute_force(problem: ExamProblem) -> int | None:
    """The checker's lowest total over every timetable; None when none is feasible."""
    places = list(itertools.product(range(len(problem.periods)), range(len(problem.rooms))))
    best = None
    for chosen in itertools.product(places, repeat=len(problem.exams)):
        timetable = ExamSolution(
            problem_name=problem.name,
            periods=tuple(period for period, _ in chosen),
            rooms=tuple(room for _, room in chosen),
        )
        evaluation = evaluate(problem, timetable)
        if evaluation.feasible and (best is None or evaluation.total < best):
            best = evaluation.total
    return best


@settings(max_examples=20, deadline=None)
@given(problem=tiny_problems())
def test_the_full_model_reports_the_checker_total_and_is_optimal_when_it_says_so(
    problem: ExamProblem,
) -> None:
    outcome = solve_exams(problem, quick(3), strategy="full")
    best = best_by_brute_force(problem)
    if best is None:
        assert outcome.report.status is SolveStatus.INFEASIBLE
        assert outcome.solution is None and outcome.report.explanation
        return
    assert outcome.solution is not None, outcome.report.status
    evaluation = evaluate(problem, outcome.solution)
    assert evaluation.feasible
    assert outcome.report.objective == evaluation.total >= best
    if outcome.report.status is SolveStatus.OPTIMAL:
        assert outcome.report.objective == best


def test_exams_filling_interchangeable_rooms_are_all_seated() -> None:
    """Three exams, one period, three identical rooms each just large enough for one exam."""
    problem = ExamProblem(
        name="three full rooms",
        exams=tuple(Exam(index=e, duration=60, students=tuple(range(5 * e, 5 * e + 5))) for e in range(3)),
        periods=(Period(index=0, day=0, duration=120),),
        rooms=tuple(Room(index=r, capacity=5) for r in range(3)),
    )
    outcome = solve_exams(problem, quick(3), strategy="full")
    assert outcome.report.status is SolveStatus.OPTIMAL
    assert outcome.solution is not None and sorted(outcome.solution.rooms) == [0, 1, 2]  # type: ignore[type-var]


def test_the_lns_timetables_itc_set_4_and_reports_the_checker_total() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set4"))
    outcome = solve_exams(problem, quick(8), strategy="lns")
    assert outcome.solution is not None and outcome.report.status is SolveStatus.FEASIBLE
    evaluation = evaluate(problem, outcome.solution)
    assert evaluation.feasible
    assert outcome.report.objective == evaluation.total
    assert outcome.evaluation is not None and outcome.evaluation.total == evaluation.total


def pinned_session() -> ExamProblem:
    """Six exams in a chain of shared students, four periods over two days, two rooms."""
    return ExamProblem(
        name="pinned session",
        exams=tuple(Exam(index=e, duration=90, students=(e, e + 1, 10 + e)) for e in range(6)),
        periods=tuple(Period(index=p, day=p // 2, duration=120, penalty=4 * (p == 0)) for p in range(4)),
        rooms=(Room(index=0, capacity=6), Room(index=1, capacity=6, penalty=5)),
        weightings=Weightings(two_in_a_row=10, two_in_a_day=3, period_spread=1, non_mixed_durations=2),
    )


@pytest.mark.parametrize("strategy", ["full", "lns"])
def test_pins_against_the_criteria_are_kept(strategy: str) -> None:
    problem = pinned_session()
    # the pins go against the criteria: a penalised period, a penalised room, back to back
    pins = {0: Pin(period=0, room=1), 1: Pin(period=1, room=1), 4: Pin(period=3)}
    outcome = solve_exams(problem, quick(2), Scenario(pins=pins), strategy=strategy)
    assert outcome.solution is not None
    for exam, pin in pins.items():
        assert outcome.solution.periods[exam] == pin.period
        assert pin.room is None or outcome.solution.rooms[exam] == pin.room
    evaluation = evaluate(problem, outcome.solution)
    assert evaluation.feasible and outcome.report.objective == evaluation.total
    unpinned = solve_exams(problem, quick(2), strategy="full")
    assert unpinned.report.status is SolveStatus.OPTIMAL
    assert unpinned.report.objective is not None and unpinned.report.objective < evaluation.total
