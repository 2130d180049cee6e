"""Dives into the column generation's master (tight departments): pinning a teacher to one load and
lifting it, pinned loads that keep every rule and the cap, CP-SAT completing a dive cut short, and
the second phase's shares."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import constraints.load as load_rules
from datasets.load_generator import generate_load
from models import SolveParameters
from models.load import LoadProblem, LoadSolution
from solver.engine import solve_model
from solver.load.bounds import room
from solver.load.columns import ColumnGeneration, TeacherLoads, loads_in, part_bounds
from solver.load.components import Part, part_size, split
from solver.load.dive import Dive, dive_part, pinned_solution
from solver.load.greedy import greedy_load
from solver.load.local_search import anneal
from solver.load.model import LoadCpModel
from solver.load.solve import TIGHT_ROOM, TIGHT_WEIGHT, _complete, _kept, _only, _polish, _shares, _tight
from tests.load.test_load_columns import _rest
from tests.load_factory import tiny_problem

LARGEST = load_rules.largest_deviation.NAME
GENERATED = generate_load(teachers=40, sections=200, seed=3)


def _largest(problem: LoadProblem, solution: LoadSolution) -> int:
    return load_rules.evaluate(problem, solution, _only({LARGEST: 1})).total


def problem_part(problem: LoadProblem) -> Part:
    return Part(
        problem=problem, teachers=list(range(len(problem.teachers))), items=list(range(len(problem.items)))
    )


def _tight_part() -> tuple[LoadProblem, LoadSolution, int]:
    """The generated year's largest department tight at 35 h (7 teachers), its greedy plan annealed
    for a second within the plan's own largest deviation."""
    problem = max(
        (part.problem for part in split(GENERATED)),
        key=lambda p: (room(p, 35) <= TIGHT_ROOM, len(p.teachers)),
    )
    start = greedy_load(problem)
    assert load_rules.evaluate(problem, start).feasible
    cap = _largest(problem, start)
    start, _ = anneal(problem, _rest(problem), cap, start, 1.0, 0)
    return problem, start, cap


TIGHT = _tight_part()


def test_a_teacher_pinned_to_a_load_can_take_nothing_else_until_lifted() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    rng = random.Random(1)
    teacher = max(range(len(problem.teachers)), key=lambda t: len(loads_in(problem, start)[t]))
    mine = [i for i, candidates in enumerate(problem.candidates) if teacher in candidates]
    loads = TeacherLoads(problem, teacher, mine, rest, cap)
    load = loads_in(problem, start)[teacher]
    prices = np.array([rng.uniform(-60, 60) for _ in problem.items])
    free = loads.cheapest(prices)
    assert free is not None
    loads.restrict(load, ())
    pinned = loads.cheapest(prices)
    assert pinned is not None and sorted(pinned[1]) == sorted(load)
    assert pinned[0] == pytest.approx(loads.cost(load) - sum(prices[i] for i in load))
    closed = set(free[1][:2])
    loads.restrict(None, closed)
    without = loads.cheapest(prices)
    assert without is None or not closed & set(without[1])
    loads.restrict(None, ())
    assert loads.cheapest(prices) == free


def test_a_dive_pins_whole_loads_that_keep_every_rule_and_the_cap() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    pinned, bound = dive_part(problem, rest, cap, start, 6.0)
    assert pinned, "the dive pinned nobody"
    candidates = problem.candidates
    for teacher, load in pinned.items():
        assert all(teacher in candidates[i] for i in load)
        hours = sum(problem.items[i].share for i in load)
        target = problem.target(problem.teachers[teacher])
        assert (
            max(problem.teachers[teacher].minimum, target - cap)
            <= hours
            <= min(problem.maximum(problem.teachers[teacher]), target + cap)
        )
    dived = pinned_solution(problem, pinned)
    assert dived is not None, "the dive did not get to the end on a 7-teacher department"
    assert load_rules.evaluate(problem, dived).feasible
    assert _largest(problem, dived) <= cap
    # The bound holds below both distributions; the dive is priced as the checker prices it.
    assert (
        bound <= load_rules.soft_total(problem, dived, rest) == _kept(problem_part(problem), dived, rest, cap)
    )
    assert bound <= load_rules.soft_total(problem, start, rest)


def test_pins_that_are_not_every_teachers_make_no_distribution() -> None:
    problem, start, _ = TIGHT
    loads = loads_in(problem, start)
    everyone = dict(enumerate(tuple(load) for load in loads))
    assert pinned_solution(problem, everyone) == LoadSolution(
        problem_name=problem.name, teachers=tuple(tuple(sorted(team)) for team in start.teachers)
    )
    del everyone[0]
    assert pinned_solution(problem, everyone) is None


def test_cp_sat_completes_a_dive_cut_short_keeping_its_pins() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    loads = loads_in(problem, start)
    pinned = {teacher: tuple(load) for teacher, load in enumerate(loads) if teacher >= 2}
    completed = _complete(
        problem_part(problem),
        rest,
        cap,
        pinned,
        start,
        10.0,
        SolveParameters(time_limit=10, workers=1, seed=0),
    )
    assert completed is not None
    assert load_rules.evaluate(problem, completed).feasible
    assert _largest(problem, completed) <= cap
    assert load_rules.soft_total(problem, completed, rest) <= load_rules.soft_total(problem, start, rest)
    for teacher, load in pinned.items():
        assert sorted(loads_in(problem, completed)[teacher]) == sorted(load)


def test_a_distribution_breaking_a_rule_or_the_cap_is_never_kept() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    part = problem_part(problem)
    assert _kept(part, start, rest, cap) == load_rules.soft_total(problem, start, rest)
    assert _kept(part, start, rest, _largest(problem, start) - 1) == float("inf")
    broken = LoadSolution(problem_name=problem.name, teachers=((),) + start.teachers[1:])
    assert _kept(part, broken, rest, cap) == float("inf")


def test_room_is_the_cap_less_the_teachers_mean_gap() -> None:
    problem = tiny_problem()
    targets = sum(problem.target(teacher) for teacher in problem.teachers)
    hours = sum(item.hours for item in problem.items)
    assert room(problem, 50) == 50 - (targets - hours) / 3


def test_tight_parts_dive_with_a_share_by_size_and_the_others_share_equally() -> None:
    parts = split(GENERATED)
    rest = _rest(GENERATED)
    tight = [_tight(part, rest, 35) for part in parts]
    assert tight == [room(part.problem, 35) <= TIGHT_ROOM for part in parts]
    assert any(tight) and not all(tight)
    assert not any(_tight(part, rest, None) for part in parts)  # no cap, nobody held near a limit
    assert not any(_tight(part, {LARGEST: 1}, 35) for part in parts)  # nothing but the largest
    shares = _shares(parts, tight)
    sizes = [part_size(part.problem) for part in parts]
    mean = sum(sizes) / len(sizes)
    for share, size, dives in zip(shares, sizes, tight, strict=True):
        assert share == (TIGHT_WEIGHT * size / mean if dives else 1.0)


def test_column_generation_ends_with_the_dive() -> None:
    """The dive's limits stay in the master: asking it again for a bound would be wrong, so the bound
    met before is what stands."""
    problem, start, cap = TIGHT
    rest = _rest(problem)
    generation = ColumnGeneration(problem, rest, cap, start)
    generation.run(1.0)
    before = generation.bound()
    Dive(generation).run(3.0)
    assert generation.bound() == before


def test_a_dive_from_a_master_generated_beside_starts_at_once_and_keeps_every_rule() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    heard: dict[int, tuple[list[tuple[int, tuple[int, ...]]], dict[int, float]]] = {}
    part_bounds(
        [(problem, start)],
        rest,
        cap,
        5.0,
        first=[0],
        generated=lambda p, loads, prices: heard.update({p: (loads, prices)}),
    )
    loads, prices = heard[0]
    pinned, bound = dive_part(problem, rest, cap, start, 5.0, (loads, prices))
    assert bound == 0  # the bound is the generation's beside, not the dive's
    dived = pinned_solution(problem, pinned)
    assert dived is not None  # the master generated is enough to dive to the end
    assert _kept(problem_part(problem), dived, rest, cap) < math.inf


def test_a_neighbourhood_of_a_few_teachers_moves_only_their_items_and_only_among_them() -> None:
    problem, start, cap = TIGHT
    rest = _rest(problem)
    exact = LoadCpModel(problem, cap=cap)
    exact.post(load_rules.units_for(problem), rest)
    rough = greedy_load(problem)  # far from the best, so the three teachers' items have better places
    moved = 0
    for chosen in ({0, 1, 2}, {1, 3, 5}):  # one model, neighbourhood after neighbourhood
        free = exact.free_only(rough, chosen)
        assert set(free) == {
            (item, teacher)
            for item, before in enumerate(rough.teachers)
            if not chosen.isdisjoint(before)
            for teacher in problem.candidates[item]
            if teacher in chosen
        }
        exact.model.clear_hints()
        exact.hint(rough, free)
        run = solve_model(exact.model, exact.decision_variables(), time_limit=5.0, workers=1, seed=0)
        assert run.has_solution
        found = exact.decode(run.values)
        # Read back from the free decisions alone, the same distribution.
        assert exact.decode_only(rough, free, run.values) == found
        for item, (before, after) in enumerate(zip(rough.teachers, found.teachers, strict=True)):
            if chosen.isdisjoint(before):
                assert after == before, problem.items[item].name  # nobody chosen held it: kept
            else:
                assert set(before) - chosen == set(after) - chosen  # only chosen teachers change
                moved += before != after
        assert load_rules.evaluate(problem, found).feasible
    assert moved > 0  # the neighbourhoods were open, not all fixed


def test_cp_sat_polishing_a_few_teachers_at_a_time_improves_a_distribution_and_keeps_every_rule() -> None:
    problem, _, cap = TIGHT
    rest = _rest(problem)
    part = problem_part(problem)
    rough = greedy_load(problem)  # not annealed: groups of teachers can do better
    rough_cost = _kept(part, rough, rest, cap)
    assert rough_cost < math.inf
    polished = _polish(part, rest, cap, rough, 5.0, SolveParameters(time_limit=5, workers=1, seed=0))
    polished_cost = _kept(part, polished, rest, cap)
    assert polished_cost < rough_cost  # and within every rule and the cap (else infinite)
    assert polished_cost == load_rules.soft_total(problem, polished, rest)
    # With no time the distribution comes back as it was.
    again = _polish(part, rest, cap, polished, 0.0, SolveParameters(time_limit=5, workers=1, seed=0))
    assert again == polished
