"""Subset-row cuts on the load bound's master: a teacher's cheapest load paying the cuts' duals is
the least over every load (enumerated), the cuts hold for every distribution, the Lagrangian value
with any duals stays a bound, and the cuts raise column generation's bound without passing proven
optima."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import constraints.load as load_rules
import solver.load.cuts as cuts_module
from models.load import LoadProblem
from solver.engine import solve_model
from solver.load.columns import ColumnGeneration, LoadColumns, TeacherLoads, loads_in, part_bounds
from solver.load.cuts import CutProgramme, SubsetRows, cut_rounds, pairs
from solver.load.model import LoadCpModel
from solver.load.relaxation import relaxation_prices
from tests.load.test_load_columns import (
    PARTS,
    _assert_least_over_every_load,
    _rest,
    proven_optimum,
    some_teachers_items,
)
from tests.load.test_load_relaxation import SCENARIOS, _tiny_optimum
from tests.load_factory import tiny_problem


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_a_teachers_cheapest_load_paying_the_cuts_is_the_least_over_every_load(seed: int) -> None:
    rng = random.Random(seed)
    problem, teacher, items = some_teachers_items(rng)
    loads = TeacherLoads(problem, teacher, items, _rest(problem, rng.choice(SCENARIOS)), None)
    # Cuts of three to five items of one term, some not the teacher's; at most SLOTS of them.
    others = [i for i in range(len(problem.items)) if i not in items]
    cuts: dict[tuple[int, ...], float] = {}
    for term in (1, 2):
        mine = [i for i in items if problem.items[i].term == term]
        for _ in range(rng.randrange(5) if len(mine) >= 2 else 0):
            size = rng.randrange(2, min(len(mine), 4) + 1)
            cut = (*rng.sample(mine, size), *rng.sample(others, rng.randrange(2)))
            cuts[cut] = rng.uniform(0, 40)
    prices = {i: rng.uniform(-60, 60) for i in items}
    _assert_least_over_every_load(problem, teacher, items, loads, prices, CutProgramme(loads, cuts))


def test_a_cut_paid_twice_by_a_load_taking_four_of_its_items() -> None:
    """A cut over rows of alike items counts half of a load's items of it, rounded down."""
    problem, _ = PARTS[0]
    teacher = next(t for t in range(len(problem.teachers)) if sum(t in c for c in problem.candidates) >= 4)
    able = [i for i, candidates in enumerate(problem.candidates) if teacher in candidates]
    term = max((1, 2), key=lambda t: sum(problem.items[i].term == t for i in able))
    four = [i for i in able if problem.items[i].term == term][:4]
    loads = TeacherLoads(problem, teacher, four, _rest(problem), None)
    loads.least, loads.most = 0, sum(problem.items[i].share for i in four)
    programme = CutProgramme(loads, {tuple(four): 5.0})
    # Paid to take every item: the load takes all four and pays the dual twice.
    cheapest = loads.cheapest({i: 1000.0 for i in four}, programme)
    assert cheapest is not None and sorted(cheapest[1]) == sorted(four)
    assert programme.paid(cheapest[1]) == 10.0
    assert abs(cheapest[0] - (loads.cost(four) - 4000.0 + 10.0)) < 1e-6


def test_a_teacher_remembers_no_more_cuts_open_at_once_than_its_slots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cuts_module, "SLOTS", 2)
    problem, start = PARTS[0]
    generation = ColumnGeneration(problem, _rest(problem), None, start, alike=False)
    generation.run(5.0)
    assert generation.cut(200) > 0 and generation.cuts is not None
    rows = generation.cuts
    forgotten = 0
    for teacher, loads in enumerate(rows.teachers):
        stage_of = loads.stage_of
        open_at = [0] * (len(loads.op) + 1)
        for number in rows.remembered[teacher]:
            stages = [stage_of[i] for i in rows.cuts[number] if i in stage_of]
            for stage in range(min(stages), max(stages) + 1):
                open_at[stage] += 1
        assert max(open_at) <= 2
        # Its programme holds them all in two bits; a cut it forgets leaves its loads out of the row.
        programme = rows.programme(teacher, [1.0] * len(rows.cuts))
        assert programme is None or programme.slots <= 2
        touching = [n for n, cut in enumerate(rows.cuts) if sum(i in stage_of for i in cut) > 1]
        for number in set(touching) - set(rows.remembered[teacher]):
            assert number not in rows.coefficients(teacher, list(stage_of))
            forgotten += 1
    assert forgotten > 0


def _distributions(problem: LoadProblem) -> list[list[list[int]]]:
    """Per-teacher loads of a few distributions keeping the hard rules: CP-SAT's first ones."""
    exact = LoadCpModel(problem)
    exact.post(load_rules.units_for(problem), _rest(problem))
    found = []
    for seed in range(3):
        run = solve_model(exact.model, exact.decision_variables(), time_limit=2, workers=1, seed=seed)
        if run.has_solution:
            found.append(loads_in(problem, exact.decode(run.values)))
    return found


def test_the_cuts_hold_for_every_distribution_found() -> None:
    checked = 0
    for problem, start in PARTS[:4]:
        for alike in (False, True):
            generation = ColumnGeneration(problem, _rest(problem), None, start, alike=alike)
            generation.run(5.0)
            generation.cut(300)
            rows = generation.cuts
            assert rows is not None
            for loads in [loads_in(problem, start), *_distributions(problem)]:
                # A load's coefficient in a cut's row: half its items of the cut, rounded down, where
                # its teacher remembers the cut, else 0.
                coefficients = [rows.coefficients(t, load) for t, load in enumerate(loads)]
                for t, load in enumerate(loads):
                    for number, cut in enumerate(rows.cuts):
                        remembered = number in rows.remembered[t]
                        assert coefficients[t].get(number, 0) == (pairs(set(load), cut) if remembered else 0)
                for number, side in enumerate(rows.sides):
                    assert sum(mine.get(number, 0) for mine in coefficients) <= side
                    checked += 1
    assert checked > 100


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_any_prices_and_duals_give_a_lower_bound(seed: int) -> None:
    rng = random.Random(seed)
    problem = tiny_problem()
    rest = _rest(problem)
    optimum = _tiny_optimum(problem, rest)
    columns = LoadColumns(problem, rest, None)
    rows = [[item.index] for item in problem.items]
    cuts = SubsetRows(
        columns.loads, rows, [item.teachers for item in problem.items], [i.term for i in problem.items]
    )
    for term in (1, 2):
        own = [i.index for i in problem.items if i.term == term and i.teachers == 1]
        for triple in itertools.combinations(own, 3):
            cuts.add(triple)  # type: ignore[arg-type]
    prices = {item.index: rng.uniform(-100, 100) for item in problem.items}
    duals = [rng.uniform(0, 50) for _ in cuts.cuts]
    value = columns.lagrangian(prices, cuts, duals)
    assert value is not None and value[0] <= optimum + 1e-6


def test_the_cuts_raise_column_generations_bound_and_hold_below_proven_optima() -> None:
    raised = proven = 0
    for problem, start in PARTS[:6]:
        rest = _rest(problem)
        relaxed = relaxation_prices(problem, rest, None)
        assert relaxed is not None
        generation = ColumnGeneration(problem, rest, None, start, relaxed[1], alike=True)
        generation.run(20.0)
        before = generation.bound()
        assert generation.converged and before is not None
        for _ in range(3):
            if not generation.cut():
                break
            generation.run(20.0)
        after = generation.bound()
        assert after is not None and after >= before
        raised += after > before
        if (optimum := proven_optimum(problem, rest, 20)) is not None:
            assert after <= optimum
            proven += 1
    assert raised >= 1 and proven >= 1


def test_what_the_walks_leave_raises_the_parts_bounds_by_cuts_and_parts_ended_at_their_bound_are_left() -> (
    None
):
    parts = PARTS[:5]
    generations: dict[int, ColumnGeneration] = {}
    bounds = part_bounds(parts, _rest(parts[0][0]), None, 60.0, generations=generations)
    assert sorted(generations) == list(range(len(parts)))
    before = list(bounds)
    heard: list[list[int]] = []
    cut_rounds(generations, bounds, 60.0, heard.append, ended={0: before[0]})
    assert bounds[0] == before[0] and generations[0].cuts is None
    assert all(after >= was for after, was in zip(bounds, before, strict=True))
    assert any(after > was for after, was in zip(bounds, before, strict=True))
    assert heard and heard[-1] == bounds


def test_cut_rounds_take_the_quickest_generations_first_and_the_parts_named_last_after_the_rest() -> None:
    parts = PARTS[:3]
    generations: dict[int, ColumnGeneration] = {}
    bounds = part_bounds(parts, _rest(parts[0][0]), None, 60.0, generations=generations)
    turns: list[int] = []  # the parts whose masters were cut, in turn
    for position, generation in generations.items():
        assert generation.converged and generation.spent > 0
        # As if the largest part's generation took least (the parts have 7, 1 and 4 teachers).
        generation.spent = [1.0, 5.0, 3.0][position]
        cut = generation.cut

        def noted(count: int | None = None, position: int = position, cut: object = cut) -> int:
            turns.append(position)
            return cut(count)  # type: ignore[operator]

        generation.cut = noted  # type: ignore[method-assign]
    cut_rounds(generations, list(bounds), 60.0)
    assert turns[:3] == [0, 2, 1]  # the first round's turns
    for position, generation in generations.items():
        assert generation.converged  # so the next call's first round cuts every part again
        generation.spent = [1.0, 5.0, 3.0][position]  # the rounds above added their time
    turns.clear()
    cut_rounds(generations, list(bounds), 60.0, last={0})
    assert turns[:3] == [2, 1, 0]
    # One round asked for: a turn each, no more.
    for position, generation in generations.items():
        assert generation.converged
        generation.spent = [1.0, 5.0, 3.0][position]
    turns.clear()
    cut_rounds(generations, list(bounds), 60.0, rounds=1)
    assert turns == [0, 2, 1]
