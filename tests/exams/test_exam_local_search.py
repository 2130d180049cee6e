"""The late-acceptance local search keeps every hard rule and prices its moves as the checker does."""

from __future__ import annotations

import pytest

from constraints.exams import evaluate
from datasets import bundled_instance, bundled_reference_solution, read_exam_problem, read_exam_solution
from models import Pin, Scenario
from solver.engine import Clock
from solver.exams.initial import initial_timetable
from solver.exams.local_search import ExamLocalSearch
from solver.exams.solve import ExamSearch


@pytest.mark.parametrize("name", ["exam_comp_set1", "exam_comp_set4", "exam_comp_set6", "hec-s-92"])
def test_the_tracked_cost_is_the_checker_total(name: str) -> None:
    problem = read_exam_problem(bundled_instance(name))
    search = ExamSearch(problem, Scenario(), workers=1)
    start = initial_timetable(problem, search.conflicts, {}, Clock(30), workers=1, seed=0).solution
    assert start is not None
    cost = evaluate(problem, start).total
    search.local.load(start, cost)
    for _ in range(3):  # the search goes on from where it stopped, as between LNS steps
        started = search.local.cost  # late acceptance may leave it above the last run's best
        solution, tracked = search.local.run(1.0)
        evaluation = evaluate(problem, solution)
        assert evaluation.feasible, evaluation.violations[:3]
        assert tracked == evaluation.total <= started
        assert search.local.cost == evaluate(problem, search.local.solution()).total
    assert search.local.moves > 1000


def test_pins_and_reweighted_criteria() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set6"))
    reference = read_exam_solution(bundled_reference_solution("exam_comp_set6"), problem)
    pins = {
        exam: Pin(period=reference.periods[exam], room=reference.rooms[exam]) for exam in range(0, 240, 12)
    }
    scenario = Scenario(
        weights={"two in a row": 50, "room penalty": 0}, disabled=frozenset({"period spread"}), pins=pins
    )
    search = ExamSearch(problem, scenario, workers=1)
    search.local.load(reference, evaluate(problem, reference, scenario).total)
    solution, tracked = search.local.run(2.0)
    assert tracked == evaluate(problem, solution, scenario).total
    assert tracked < evaluate(problem, reference, scenario).total
    for exam, pin in pins.items():
        assert (solution.periods[exam], solution.rooms[exam]) == (pin.period, pin.room)


def test_a_move_that_is_undone_leaves_no_trace() -> None:
    problem = read_exam_problem(bundled_instance("exam_comp_set4"))
    reference = read_exam_solution(bundled_reference_solution("exam_comp_set4"), problem)
    search = ExamSearch(problem, Scenario(), workers=1)
    local: ExamLocalSearch = search.local
    local.load(reference, evaluate(problem, reference).total)
    before = (
        list(local.period),
        list(local.room),
        [list(s) for s in local.seats],
        [list(b) for b in local.blocked],
    )
    tried = 0
    for _ in range(2000):
        proposal = local._propose(limit=10**9)
        if proposal is not None:
            tried += 1
            local._undo(proposal[1])
    assert tried > 100
    assert (
        list(local.period),
        list(local.room),
        [list(s) for s in local.seats],
        [list(b) for b in local.blocked],
    ) == before
