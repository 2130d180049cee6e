"""The load bound from whole per-teacher loads: each teacher's cheapest load at given prices is the
least over every load (enumerated), the per-teacher prices add up to the checkers' total, any prices
give a lower bound, and column generation beats the LP bound without passing a proven optimum."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

import constraints.load as load_rules
from datasets.load_generator import generate_load
from models import Scenario
from models.load import LoadProblem, LoadSolution
from solver.engine import solve_model
from solver.load.beside import BoundsBeside
from solver.load.columns import LoadColumns, TeacherLoads, column_bound, loads_in, part_bounds
from solver.load.components import split
from solver.load.greedy import greedy_load
from solver.load.model import LoadCpModel
from solver.load.relaxation import relaxation_bound, relaxation_prices
from solver.load.solve import _only
from tests.load_factory import ALTERNATIVE, GOOD, tiny_problem
from tests.test_load_relaxation import SCENARIOS, _tiny_optimum, co_taught_split

LARGEST = load_rules.largest_deviation.NAME
GENERATED = generate_load(teachers=40, sections=200, seed=3)


def _rest(problem: LoadProblem, scenario: Scenario | None = None) -> dict[str, int]:
    weights = load_rules.weights_for(problem, scenario or Scenario())
    return {name: weight for name, weight in weights.items() if name != LARGEST}


def _feasible_parts() -> list[tuple[LoadProblem, LoadSolution]]:
    """The generated parts whose greedy plan keeps the hard rules, with that plan."""
    found = []
    for part in split(GENERATED):
        start = greedy_load(part.problem)
        if load_rules.evaluate(part.problem, start).feasible:
            found.append((part.problem, start))
    return found


PARTS = _feasible_parts()


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_a_teachers_cheapest_load_is_the_least_over_every_load(seed: int) -> None:
    rng = random.Random(seed)
    problem, _ = PARTS[rng.randrange(len(PARTS))]
    teacher = rng.randrange(len(problem.teachers))
    able = [i for i, candidates in enumerate(problem.candidates) if teacher in candidates]
    # A few of the teacher's items, streams and supervision mixed, so every load can be listed.
    items = sorted(rng.sample(able, min(len(able), 10)))
    shares = sum(problem.items[i].share for i in items)
    target = problem.target(problem.teachers[teacher])
    cap = rng.choice((None, max(0, target - shares // 2)))
    weights = _rest(problem, rng.choice(SCENARIOS))
    loads = TeacherLoads(problem, teacher, items, weights, cap)
    prices = {i: rng.uniform(-60, 60) for i in items}
    forced = {i for i in items if teacher in problem.items[i].fixed}
    best = None
    for size in range(len(items) + 1):
        for chosen in itertools.combinations(items, size):
            hours = sum(problem.items[i].share for i in chosen)
            if not forced <= set(chosen) or not loads.least <= hours <= loads.most:
                continue
            value = loads.cost(chosen) - sum(prices[i] for i in chosen)
            best = value if best is None else min(best, value)
    cheapest = loads.cheapest(prices)
    if best is None:
        assert cheapest is None
        return
    assert cheapest is not None
    value, load = cheapest
    assert abs(value - best) < 1e-6
    assert abs(loads.cost(load) - sum(prices[i] for i in load) - value) < 1e-6


def test_the_teachers_prices_add_up_to_the_checkers_total() -> None:
    problem = tiny_problem()
    checked = 0
    cases = [(problem, solution, scenario) for solution in (GOOD, ALTERNATIVE) for scenario in SCENARIOS]
    cases += [(part, start, Scenario()) for part, start in PARTS]
    for case, solution, scenario in cases:
        evaluation = load_rules.evaluate(case, solution, scenario)
        if co_taught_split(case, evaluation):  # the one criterion left out (priced lower)
            continue
        columns = LoadColumns(case, _rest(case, scenario), None)
        priced = columns.constant + sum(
            teacher.cost(load) for teacher, load in zip(columns.loads, loads_in(case, solution), strict=True)
        )
        assert priced == load_rules.evaluate(case, solution, _only(_rest(case, scenario))).total
        checked += 1
    assert checked >= 10


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=-100, max_value=100), min_size=5, max_size=5))
def test_any_prices_give_a_lower_bound(prices: list[float]) -> None:
    problem = tiny_problem()
    rest = _rest(problem)
    optimum = _tiny_optimum(problem, rest)
    lagrangian = LoadColumns(problem, rest, None).lagrangian(dict(enumerate(prices)))
    assert lagrangian is not None and lagrangian[0] <= optimum + 1e-6


def test_column_generation_beats_the_lp_and_holds_below_proven_optima() -> None:
    problem = tiny_problem()
    rest = _rest(problem)
    bound = column_bound(problem, rest, None, GOOD, 10.0)
    assert bound is not None and bound <= _tiny_optimum(problem, rest)
    proven = better = 0
    for part, start in PARTS[:6]:
        rest = _rest(part)
        lp = relaxation_bound(part, rest, None)
        relaxed = relaxation_prices(part, rest, None)
        assert lp is not None and relaxed is not None and relaxed[0] == lp
        bound = column_bound(part, rest, None, start, 2.0, relaxed[1])
        assert bound is not None
        better += bound > lp
        if proven < 3:
            exact = LoadCpModel(part)
            exact.post(load_rules.units_for(part), rest)
            run = solve_model(exact.model, exact.decision_variables(), time_limit=10, workers=2, seed=0)
            if run.proven_optimal and run.objective is not None:
                assert bound <= round(run.objective)
                proven += 1
    assert proven >= 1 and better >= 3


def test_the_bounds_beside_the_search_come_from_another_process_as_they_would_here() -> None:
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    beside = BoundsBeside(parts, rest, None, 4.0)
    here = part_bounds(parts, rest, None, 4.0)
    there = beside.collect(10.0)
    assert there is not None and len(there) == len(parts)
    for (part, start), near, far in zip(parts, here, there, strict=True):
        total = load_rules.evaluate(part, start, _only(rest)).total
        assert far <= total and near <= total
        assert far >= (relaxation_bound(part, rest, None) or 0)
    # Asked for no time at all, the bounds do not come and nothing is left running.
    hurried = BoundsBeside(parts, rest, None, 4.0)
    assert hurried.collect(0.0) is None and hurried.process.poll() is not None
