"""Simulated annealing on a load part: its running cost is the checkers' total after every move, it
keeps every hard rule and the settled largest deviation, and it finds the tiny case's optimum."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import constraints.load as load_rules
from datasets.load_generator import generate_load
from models import Scenario
from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher
from solver.load.components import split
from solver.load.greedy import greedy_load
from solver.load.local_search import LoadAnnealer, _kernel, anneal
from solver.load.solve import _only
from tests.compiled import helpers_reached
from tests.load.test_load_relaxation import SCENARIOS, _tiny_optimum
from tests.load_factory import ALTERNATIVE, tiny_problem

LARGEST = load_rules.largest_deviation.NAME


def _rest(weights: dict[str, int]) -> dict[str, int]:
    return {name: weight for name, weight in weights.items() if name != LARGEST}


def _feasible_starts(
    problem: LoadProblem, parts: int | None = None
) -> Iterator[tuple[LoadProblem, LoadSolution]]:
    """Each part's problem with its greedy plan, where the plan keeps every hard rule."""
    for part in split(problem)[:parts]:
        start = greedy_load(part.problem)
        if load_rules.evaluate(part.problem, start).feasible:
            yield part.problem, start


def _moves(state: LoadAnnealer, temperature: float, proposals: int = 300) -> Iterator[LoadSolution]:
    """The distribution after each proposal that changed it, one proposal at a time."""
    before = state.solution()
    for step in range(proposals):
        state.step(temperature, 1, seed=step)
        now = state.solution()
        if now != before:
            yield now
        before = now


def _beyond(problem: LoadProblem, solution: LoadSolution, reach: int) -> int:
    """Hours beyond `reach` from target, over the teachers."""
    loads = solution.loads(problem)
    return sum(
        max(0, abs(problem.target(t) - load) - reach) for t, load in zip(problem.teachers, loads, strict=True)
    )


def test_the_running_cost_is_the_checkers_after_every_move() -> None:
    problem = generate_load(teachers=40, sections=200, seed=3)
    changed = 0
    for sub, start in _feasible_starts(problem, 6):
        for scenario in SCENARIOS:
            weights = _rest(load_rules.weights_for(sub, scenario))
            state = LoadAnnealer(sub, weights, None, start)
            assert state.cost == load_rules.evaluate(sub, start, _only(weights)).total
            for now in _moves(state, 5.0):
                changed += 1
                assert state.cost == state.total()
                assert state.cost == load_rules.evaluate(sub, now, _only(weights)).total
            evaluation = load_rules.evaluate(sub, state.solution(best=True), _only(weights))
            assert evaluation.feasible and evaluation.total == state.best
    assert changed >= 100


def test_the_walk_towards_a_smaller_deviation_counts_hours_beyond_and_still_prices_the_rest() -> None:
    """The first phase's walk: each hour beyond the deviation sought costs the reach weight on top of
    the weighted criteria, and the running count of hours beyond is right after every move."""
    problem = generate_load(teachers=40, sections=200, seed=3)
    moved = 0
    for sub, start in _feasible_starts(problem, 6):
        weights = _rest(load_rules.weights_for(sub, Scenario()))
        reach = load_rules.evaluate(sub, start, _only({LARGEST: 1})).total - 2
        state = LoadAnnealer(sub, weights, None, start, reach, reach_weight=10)
        for now in _moves(state, 20.0):
            moved += 1
            beyond = _beyond(sub, now, reach)
            assert state.over == beyond
            assert state.cost == load_rules.evaluate(sub, now, _only(weights)).total + 10 * beyond
            if not beyond:
                break  # within reach: the walk ends there
    assert moved >= 50


def test_a_trade_is_found_when_no_single_move_fits() -> None:
    """Two teachers held at exactly 60 h (their target, cap 0), each with last year's course of the
    other: no item can move alone, so only a trade of two 30-h items reaches the optimum."""
    teachers = tuple(
        LoadTeacher(
            index=t, name=name, department="Physics", rank="lecturer", norm=60,
            qualifications=frozenset({("PHY101", ""), ("PHY102", ""), ("PHY103", ""), ("PHY104", "")}),
            languages=frozenset({"Russian"}),
        )
        for t, name in enumerate(("Arman", "Bota"))
    )  # fmt: skip
    items = tuple(
        LoadItem(index=i, name=f"{course} {component}", course=course, component=component,
                 language="Russian", hours=30, previous=previous, department="Physics")
        for i, (course, component, previous) in enumerate(
            (("PHY101", "lecture", (1,)), ("PHY102", "lecture", (0,)), ("PHY103", "lecture", ()),
             ("PHY104", "lecture", ()))
        )
    )  # fmt: skip
    problem = LoadProblem(name="trade", teachers=teachers, items=items)
    start = LoadSolution(problem_name="trade", teachers=((0,), (1,), (0,), (1,)))
    weights = _rest(load_rules.weights_for(problem, Scenario()))
    before = load_rules.evaluate(problem, start, _only(weights)).total
    found, cost = anneal(problem, weights, 0, start, 0.2, seed=0)
    assert found.teachers[:2] == ((1,), (0,))  # the two items traded, each back to last year's teacher
    assert (
        cost
        == load_rules.evaluate(problem, found, _only(weights)).total
        == before - 2 * weights[load_rules.changes.NAME]
    )
    assert found.loads(problem) == start.loads(problem)


def test_a_course_is_handed_over_whole_when_no_trade_of_single_items_fits() -> None:
    """Two teachers held at exactly 90 h, Arman fixed on a PHY101 lecture and holding two 30-h PHY102
    practices, Bota a PHY102 lecture and a 60-h PHY101 practice: each prepares both courses, and no
    single item can move or be traded (30 h against 60 h), so only Arman handing both practices over
    for the 60-h one leaves each a single course."""
    teachers = tuple(
        LoadTeacher(
            index=t, name=name, department="Physics", rank="lecturer", norm=90,
            qualifications=frozenset({("PHY101", ""), ("PHY102", "")}), languages=frozenset({"Russian"}),
        )
        for t, name in enumerate(("Arman", "Bota"))
    )  # fmt: skip
    items = tuple(
        LoadItem(index=i, name=name, course=name[:6], component=component, language="Russian",
                 hours=hours, fixed=fixed, department="Physics")
        for i, (name, component, hours, fixed) in enumerate(
            (("PHY101 L1", "lecture", 30, (0,)), ("PHY102 P1", "practice", 30, ()),
             ("PHY102 P2", "practice", 30, ()), ("PHY102 L1", "lecture", 30, ()),
             ("PHY101 P1", "practice", 60, ()))
        )
    )  # fmt: skip
    problem = LoadProblem(name="handover", teachers=teachers, items=items)
    start = LoadSolution(problem_name="handover", teachers=((0,), (0,), (0,), (1,), (1,)))
    weights = _rest(load_rules.weights_for(problem, Scenario()))
    before = load_rules.evaluate(problem, start, _only(weights)).total
    found, cost = anneal(problem, weights, 0, start, 0.2, seed=0)
    assert found.teachers == ((0,), (1,), (1,), (1,), (0,))
    assert (
        cost
        == load_rules.evaluate(problem, found, _only(weights)).total
        == before - 2 * weights[load_rules.courses_prepared.NAME]
    )


def test_items_are_proposed_to_last_years_teacher() -> None:
    """Eight one-item courses, each away from last year's teacher among forty qualified colleagues
    with room: going home saves a change and costs nothing else. A random candidate is last year's
    once in forty proposals, so 200 proposals bring them all home only when the walk proposes the
    way home on purpose (without it, about five would be)."""
    courses = [f"HIS10{k}" for k in range(8)]
    teachers = tuple(
        LoadTeacher(
            index=t, name=f"Teacher {t}", department="History", rank="lecturer", norm=600,
            qualifications=frozenset((course, "") for course in courses), languages=frozenset({"Kazakh"}),
        )
        for t in range(40)
    )  # fmt: skip
    items = tuple(
        LoadItem(index=k, name=f"{course} L1", course=course, component="lecture", language="Kazakh",
                 hours=30, previous=(k,), department="History")
        for k, course in enumerate(courses)
    )  # fmt: skip
    problem = LoadProblem(name="homeward", teachers=teachers, items=items)
    start = LoadSolution(problem_name="homeward", teachers=tuple((20 + k,) for k in range(8)))
    weights = _rest(load_rules.weights_for(problem, Scenario()))
    state = LoadAnnealer(problem, weights, None, start)
    state.step(0.3, 200, seed=0)
    assert state.solution(best=True).teachers == tuple((k,) for k in range(8))
    assert (
        state.best
        == load_rules.evaluate(problem, start, _only(weights)).total - 8 * weights[load_rules.changes.NAME]
    )


def test_annealing_keeps_the_settled_deviation_fixed_items_and_co_teaching() -> None:
    problem = generate_load(teachers=40, sections=200, seed=3)
    kept = 0
    for sub, start in _feasible_starts(problem):
        cap = load_rules.evaluate(sub, start, _only({LARGEST: 1})).total
        weights = _rest(load_rules.weights_for(sub, Scenario()))
        before = load_rules.evaluate(sub, start, _only(weights)).total
        found, cost = anneal(sub, weights, cap, start, 0.3, seed=1)
        assert load_rules.evaluate(sub, found).feasible
        assert load_rules.evaluate(sub, found, _only({LARGEST: 1})).total <= cap
        assert cost == load_rules.evaluate(sub, found, _only(weights)).total <= before
        for item, given, was in zip(sub.items, found.teachers, start.teachers, strict=True):
            if item.fixed or item.teachers > 1:
                assert given == was
        kept += 1
    assert kept >= 10


def test_annealing_finds_the_tiny_optimum() -> None:
    problem = tiny_problem()
    weights = _rest(load_rules.weights_for(problem, Scenario()))
    optimum = _tiny_optimum(problem, weights)
    start_cost = load_rules.evaluate(problem, ALTERNATIVE, _only(weights)).total
    found, cost = anneal(problem, weights, None, ALTERNATIVE, 0.2, seed=0)
    assert start_cost > optimum
    assert cost == optimum == load_rules.evaluate(problem, found, _only(weights)).total


@pytest.mark.parametrize("rest, reach_weight", [(False, 1), (True, 10)])
def test_annealing_brings_the_largest_deviation_down_and_says_when_it_cannot(
    rest: bool, reach_weight: int
) -> None:
    """Blind to the rest, or weighing it with each hour beyond worth ten (the first phase's walk)."""
    problem = generate_load(teachers=40, sections=200, seed=3)
    lowered = 0
    for sub, start in _feasible_starts(problem):
        largest = load_rules.evaluate(sub, start, _only({LARGEST: 1})).total
        weights = _rest(load_rules.weights_for(sub, Scenario())) if rest else {}
        found, beyond = anneal(sub, weights, None, start, 0.5, 0, largest - 1, reach_weight)
        assert load_rules.evaluate(sub, found).feasible
        reached = load_rules.evaluate(sub, found, _only({LARGEST: 1})).total
        if beyond:  # hours still beyond the deviation sought, counted over teachers
            assert beyond == _beyond(sub, found, largest - 1) and reached >= largest
        else:
            assert reached <= largest - 1
            lowered += 1
    assert lowered >= 5


def test_the_move_loop_calls_no_compiled_function_but_the_scalar_acceptance() -> None:
    """Placing an item, a teacher's cost, a shift and the handover are closures inside the loop:
    a compiled function given an array, even inlined, takes and gives back a reference on it at
    every call (half a proposal's time with them inlined, findings)."""
    assert helpers_reached(_kernel) == {"_accepted": "always"}
