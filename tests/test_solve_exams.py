"""The exam pipeline end to end: exact solves, the LNS on real instances, pins and warm starts."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constraints.exams import evaluate
from datasets import bundled_instance, bundled_reference_solution, read_exam_problem, read_exam_solution
from models import ExamSolution, Pin, Scenario, Scoring, SolveParameters, SolveStatus
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
