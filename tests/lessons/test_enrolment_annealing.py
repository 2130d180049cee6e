"""The compiled annealing of whole post-enrolment timetables: every move keeps the hard rules, each
student's day is priced as the checker prices it, pins stay, and a solve uses it."""

from __future__ import annotations

import pytest

import solver.lessons.enrolment_annealing as enrolment_annealing
from constraints.lessons import evaluate, units_for
from datasets import bundled_post_enrolment
from datasets.post_enrolment import read_post_enrolment
from models import LessonProblem, LessonSolution, Scenario, SolveParameters
from solver.lessons.ejection import EjectionSearch
from solver.lessons.enrolment_annealing import EnrolmentAnnealer, _anneal, applies, day_costs
from solver.lessons.initial import first_timetable
from solver.lessons.repair import left_out
from solver.lessons.solve import solve_lessons
from tests.compiled import helpers_reached
from tests.lesson_factory import random_lessons
from tests.lessons.test_lesson_annealing import assert_many_moved_pins_kept, walk_hot_then_cold
from tests.lessons.test_post_enrolment import TINY


def soft_weights(problem: LessonProblem) -> dict[str, int]:
    return {unit.NAME: unit.weight(problem) for unit in units_for(problem) if not unit.HARD}


def whole(name: str, seed: int = 1) -> tuple[LessonProblem, LessonSolution, int]:
    """A bundled instance, a timetable placing every event and keeping every hard rule, its cost."""
    problem = read_post_enrolment(bundled_post_enrolment(name))
    first = first_timetable(problem, seed=seed, time_budget=2.0, partial=True)
    assert first is not None
    timetable = EjectionSearch(problem, frozenset()).run(first, 20.0, seed).solution
    assert not left_out(timetable)
    evaluation = evaluate(problem, timetable)
    assert evaluation.feasible
    return problem, timetable, evaluation.total


@pytest.mark.parametrize(
    ("mask", "in_a_row", "single", "cost"),
    [
        (0b0, 1, 1, 0),
        (0b1, 1, 1, 1),  # a single class
        (0b100000000, 1, 1, 1),
        (0b11, 1, 1, 0),
        (0b101, 1, 1, 0),
        (0b111, 1, 1, 1),  # three in a row
        (0b1111, 1, 1, 2),
        (0b111111111, 1, 1, 7),
        (0b1110111, 1, 1, 2),  # two runs of three
        (0b1111, 3, 5, 6),  # weighted
        (0b1000, 3, 5, 5),
    ],
)
def test_a_days_cost_by_its_mask(mask: int, in_a_row: int, single: int, cost: int) -> None:
    assert day_costs(9, in_a_row, single)[mask] == cost


@pytest.mark.parametrize("name", ["comp-2007-2-5", "comp-2007-2-16"])
def test_hot_and_cold_walks_are_priced_as_the_checker_does(name: str) -> None:
    problem, timetable, cost = whole(name)
    annealer = EnrolmentAnnealer(problem, soft_weights(problem), frozenset())
    ended = walk_hot_then_cold(annealer, problem, timetable, cost, ((200.0, 100.0), (1.0, 0.05)), 100_000)
    assert ended < cost  # the walks improved on the start


def test_weights_of_the_scenario_are_the_ones_priced() -> None:
    problem, timetable, _ = whole("comp-2007-2-16")
    scenario = Scenario(
        weights={"last slot of day": 3, "more than two in a row": 2, "single class on a day": 5}
    )
    weights = {name: scenario.weight_of(name, 1) for name in soft_weights(problem)}
    cost = evaluate(problem, timetable, scenario).total
    run = EnrolmentAnnealer(problem, weights, frozenset()).run(timetable, cost, 0.5, seed=4, chains=2)
    assert run.cost < cost
    assert evaluate(problem, run.solution, scenario).total == run.cost


def test_pinned_events_stay_where_they_are() -> None:
    problem, timetable, cost = whole("comp-2007-2-16", seed=2)
    pins = frozenset(range(0, len(problem.meetings), 3))
    run = EnrolmentAnnealer(problem, soft_weights(problem), pins).run(
        timetable, cost, 1.0, seed=5, temperatures=(200.0, 100.0)
    )
    moved = [e for e in range(len(problem.meetings)) if run.last.starts[e] != timetable.starts[e]]
    assert moved and not set(moved) & pins
    assert all(run.last.rooms[e] == timetable.rooms[e] for e in pins)


def test_it_refuses_other_problems_and_partial_timetables() -> None:
    assert not applies(random_lessons(1))
    with pytest.raises(ValueError, match="post-enrolment"):
        EnrolmentAnnealer(random_lessons(1), {}, frozenset())
    annealer = EnrolmentAnnealer(TINY, soft_weights(TINY), frozenset())
    partial = LessonSolution(problem_name="tiny", starts=(0, None, 2, 3), rooms=(0, None, 0, 0))
    with pytest.raises(ValueError, match="every event"):
        annealer.run(partial, 0, 0.1, seed=0)


def test_the_loop_calls_no_compiled_function() -> None:
    """Pricing a move and finding rooms are closures inside the loop: a compiled function given an
    array takes and gives back a reference on it at every call (findings)."""
    assert helpers_reached(_anneal) == {}


def test_a_solve_anneals_a_whole_timetable() -> None:
    problem = read_post_enrolment(bundled_post_enrolment("comp-2007-2-16"))
    outcome = solve_lessons(problem, SolveParameters(time_limit=8, workers=2, seed=1))
    annealing = outcome.report.steps_by_kind["annealing"]
    assert annealing["steps"] > 1_000_000 and annealing["improvements"] > 0
    assert outcome.evaluation is not None and outcome.evaluation.feasible
    first = next(point for point in outcome.report.progress if point.note == "first")
    assert outcome.report.objective == outcome.evaluation.total < first.objective


@pytest.mark.parametrize("name", ["comp-2007-2-5", "comp-2007-2-16"])
def test_kempe_chains_alone_keep_every_rule_and_price_exactly(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every proposal a Kempe chain between two timeslots, rooms matched again (pinned events keep
    theirs): the walk still keeps every hard rule, its cost is the checker's, pins stay."""
    monkeypatch.setattr(enrolment_annealing, "SWAP", 0.0)
    monkeypatch.setattr(enrolment_annealing, "KEMPE", 1.0)
    problem, timetable, cost = whole(name, seed=3)
    pins = frozenset(range(0, len(problem.meetings), 7))
    annealer = EnrolmentAnnealer(problem, soft_weights(problem), pins)
    ended = walk_hot_then_cold(annealer, problem, timetable, cost, ((200.0, 100.0), (1.0, 0.05)), 10_000)
    assert ended < cost
    run = annealer.run(timetable, cost, 0.5, seed=6, temperatures=(200.0, 100.0))
    assert_many_moved_pins_kept(problem, timetable, run.last, pins)
