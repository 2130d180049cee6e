"""The load bound from whole per-teacher loads: each teacher's cheapest load at given prices is the
least over every load (enumerated), the per-teacher prices add up to the checkers' total, any prices
give a lower bound, and column generation beats the LP bound without passing a proven optimum."""

from __future__ import annotations

import itertools
import pickle
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import constraints.load as load_rules
import solver.load.beside as beside_module
import solver.load.columns as columns_module
from datasets.load_generator import generate_load
from models import Scenario
from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher
from solver.engine import solve_model
from solver.load.beside import BoundsBeside, LargestBeside, Walks
from solver.load.bounds import static_bound
from solver.load.columns import (
    LoadColumns,
    TeacherLoads,
    cap_impossible,
    column_bound,
    largest_bound,
    loads_in,
    part_bounds,
)
from solver.load.components import split
from solver.load.cuts import CutProgramme
from solver.load.greedy import greedy_load
from solver.load.model import LoadCpModel
from solver.load.relaxation import relaxation_bound, relaxation_prices
from solver.load.solve import _only
from tests.load.test_load_relaxation import SCENARIOS, _tiny_optimum, co_taught_split
from tests.load_factory import ALTERNATIVE, GOOD, tiny_problem

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
    problem, teacher, items = some_teachers_items(rng)
    shares = sum(problem.items[i].share for i in items)
    target = problem.target(problem.teachers[teacher])
    cap = rng.choice((None, max(0, target - shares // 2)))
    weights = _rest(problem, rng.choice(SCENARIOS))
    loads = TeacherLoads(problem, teacher, items, weights, cap)
    prices = {i: rng.uniform(-60, 60) for i in items}
    _assert_least_over_every_load(problem, teacher, items, loads, prices)


def some_teachers_items(rng: random.Random) -> tuple[LoadProblem, int, list[int]]:
    """A part, one of its teachers and a few of the teacher's items (streams and supervision mixed),
    so that every load can be listed."""
    problem, _ = PARTS[rng.randrange(len(PARTS))]
    teacher = rng.randrange(len(problem.teachers))
    able = [i for i, candidates in enumerate(problem.candidates) if teacher in candidates]
    return problem, teacher, sorted(rng.sample(able, min(len(able), 10)))


def proven_optimum(problem: LoadProblem, weights: dict[str, int], seconds: float) -> int | None:
    """CP-SAT's optimum of the part under `weights`, if it proves one within `seconds`."""
    exact = LoadCpModel(problem)
    exact.post(load_rules.units_for(problem), weights)
    run = solve_model(exact.model, exact.decision_variables(), time_limit=seconds, workers=2, seed=0)
    return round(run.objective) if run.proven_optimal and run.objective is not None else None


def _assert_least_over_every_load(
    problem: LoadProblem,
    teacher: int,
    items: list[int],
    loads: TeacherLoads,
    prices: dict[int, float],
    cuts: CutProgramme | None = None,
) -> None:
    """The teacher's cheapest load (paying `cuts`' duals too, if given) against every load."""
    forced = {i for i in items if teacher in problem.items[i].fixed}
    paid = cuts.paid if cuts is not None else lambda _: 0.0
    best = None
    for size in range(len(items) + 1):
        for chosen in itertools.combinations(items, size):
            hours = sum(problem.items[i].share for i in chosen)
            if not forced <= set(chosen) or not loads.least <= hours <= loads.most:
                continue
            value = loads.cost(chosen) - sum(prices[i] for i in chosen) + paid(chosen)
            best = value if best is None else min(best, value)
    cheapest = loads.cheapest(prices, cuts)
    if best is None:
        assert cheapest is None
        return
    assert cheapest is not None
    value, load = cheapest
    assert abs(value - best) < 1e-6
    assert abs(loads.cost(load) - sum(prices[i] for i in load) + paid(load) - value) < 1e-6


@pytest.mark.parametrize("fixed_on", ["lecture", "practice"])
def test_a_teacher_fixed_on_part_of_a_stream_gets_the_least_over_every_load(fixed_on: str) -> None:
    """Forced stages close the tables the programme keeps for a course and a stream; each teacher
    who may take a stream is fixed on its lecture or one of its practices, with a few other items."""
    rng = random.Random(fixed_on)
    checked = 0
    for problem, _ in PARTS:
        for teacher in range(len(problem.teachers)):
            able = {i for i, candidates in enumerate(problem.candidates) if teacher in candidates}
            streams = [
                (lecture, [p for p in practices if p in able])
                for lecture, practices in problem.practices_of.items()
                if lecture in able and any(p in able for p in practices)
            ]
            if not streams:
                continue
            lecture, practices = rng.choice(streams)
            fixed = lecture if fixed_on == "lecture" else rng.choice(practices)
            stream = [lecture, *practices[:3]]
            others = sorted(able - set(stream))
            items = sorted(stream + rng.sample(others, min(len(others), 9 - len(stream))))
            entries = list(problem.items)
            entries[fixed] = entries[fixed].model_copy(update={"fixed": (teacher,)})
            pinned = LoadProblem(name=problem.name, teachers=problem.teachers, items=tuple(entries))
            loads = TeacherLoads(pinned, teacher, items, _rest(pinned), None)
            prices = {i: rng.uniform(-60, 60) for i in items}
            _assert_least_over_every_load(pinned, teacher, items, loads, prices)
            checked += 1
    assert checked >= 10


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


def _course_in_both_terms() -> tuple[LoadProblem, LoadSolution, int, list[int]]:
    """An 11-teacher department of the 300-teacher year with two class courses in both terms, its
    greedy plan, and a teacher able to take items of both courses in both terms with those items."""
    part = split(generate_load(teachers=300, sections=1500, seed=1))[5].problem
    terms: dict[str, set[int]] = {}
    for item in part.items:
        if item.is_class:
            terms.setdefault(item.course, set()).add(item.term)
    both = {course for course, seen in terms.items() if len(seen) == 2}
    for teacher in range(len(part.teachers)):
        able = [i for i, candidates in enumerate(part.candidates) if teacher in candidates]
        spanned = {(part.items[i].course, part.items[i].term) for i in able if part.items[i].course in both}
        if len(spanned) == 4:
            return part, greedy_load(part), teacher, able
    raise AssertionError("the generated department has no teacher for both courses in both terms")


def test_a_course_given_in_both_terms_is_prepared_once_and_priced_so() -> None:
    part, plan, _, _ = _course_in_both_terms()
    rest = _rest(part)
    assert load_rules.evaluate(part, plan).feasible
    # The plan gives someone such a course in one term only (charged half its preparation before).
    loads = loads_in(part, plan)
    columns = LoadColumns(part, rest, None)
    assert any(
        0 < sum(bool(set(load) & set(group.items)) for group in course.groups) < 2
        for teacher, load in zip(columns.loads, loads, strict=True)
        for course in teacher.joined
    )
    priced = columns.constant + sum(
        teacher.cost(load) for teacher, load in zip(columns.loads, loads, strict=True)
    )
    assert priced == load_rules.evaluate(part, plan, _only(rest)).total


def test_a_teachers_cheapest_load_over_courses_in_both_terms_is_the_least_over_every_load() -> None:
    part, _, teacher, able = _course_in_both_terms()
    rest = _rest(part)
    rng = random.Random(5)
    spanning = [i for i in able if part.items[i].is_class]
    shorter = cut = 0
    for _ in range(12):
        items = sorted(rng.sample(spanning, min(len(spanning), 11)))
        loads = TeacherLoads(part, teacher, items, rest, None)
        term_by_term = TeacherLoads(part, teacher, items, rest, None, exact=False)
        prices = {i: rng.uniform(0, 80) for i in items}
        best = min(
            loads.cost(chosen) - sum(prices[i] for i in chosen)
            for size in range(len(items) + 1)
            for chosen in itertools.combinations(items, size)
            if loads.least <= sum(part.items[i].share for i in chosen) <= loads.most
        )
        cheapest = loads.cheapest(prices)
        assert cheapest is not None and abs(cheapest[0] - best) < 1e-6
        assert abs(loads.cost(cheapest[1]) - sum(prices[i] for i in cheapest[1]) - best) < 1e-6
        # Term by term the price is a bound still, below the least when a course is split.
        relaxed = term_by_term.cheapest(prices)
        assert relaxed is not None and relaxed[0] <= best + 1e-6
        shorter += relaxed[0] < best - 1e-6
        # Cut short before any branching, the price is the least still open: a bound, with a real load.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(columns_module, "BRANCHES", 1)
            hurried = loads.cheapest(prices)
        assert hurried is not None and hurried[0] <= best + 1e-6
        assert loads.cost(hurried[1]) - sum(prices[i] for i in hurried[1]) >= best - 1e-6
        cut += hurried[0] < best - 1e-6
    assert shorter >= 1 and cut >= 1


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
        if proven < 3 and (optimum := proven_optimum(part, rest, 10)) is not None:
            assert bound <= optimum
            proven += 1
    assert proven >= 1 and better >= 3


def test_column_generation_stops_once_the_bound_reaches_the_masters_value() -> None:
    """Held within a cap, one teacher must take every item: the master's prices may rise along its
    optimal face without end, so the box always binds; the generation still stops, at the optimum."""
    teacher = LoadTeacher(
        index=0,
        name="Aliya",
        department="Mathematics",
        rank="professor",
        norm=100,
        qualifications=frozenset({("MAT101", "")}),
        languages=frozenset({"Russian"}),
    )
    items = tuple(
        LoadItem(index=k, name=f"MAT101 P{k}", course="MAT101", component="practice", language="Russian",
                 hours=hours, term=1 + k % 2, previous=(0,) if k else (), department="Mathematics")
        for k, hours in enumerate((30, 30, 24))
    )  # fmt: skip
    problem = LoadProblem(name="alone", teachers=(teacher,), items=items)
    rest = _rest(problem)
    whole = LoadSolution(problem_name="alone", teachers=((0,), (0,), (0,)))
    optimum = load_rules.soft_total(problem, whole, rest)
    generation = columns_module.ColumnGeneration(
        problem, rest, 20, whole, relaxation_prices(problem, rest, 20)[1]
    )
    generation.run(60.0)
    assert generation.converged and generation.rounds < 100
    assert generation.bound() == optimum


def test_the_parts_bounds_are_heard_part_by_part_and_a_process_stopped_early_keeps_them() -> None:
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    heard: list[list[int]] = []
    bounds = part_bounds(parts, rest, None, 4.0, heard.append)
    assert len(heard) >= len(parts) and heard[-1] == bounds  # each LP, then each generation
    assert all(
        now >= then
        for before, after in itertools.pairwise(heard)
        for then, now in zip(before, after, strict=True)
    )
    assert heard[len(parts) - 1] == [relaxation_prices(part, rest, None)[0] for part, _ in parts]
    # Beside the search, stopped as soon as a part's LP is in, the bounds sent so far come back.
    beside = BoundsBeside(parts, rest, None, 20.0)
    waited = time.monotonic()
    while not beside.received and time.monotonic() - waited < 20:
        time.sleep(0.01)
    kept = beside.collect(0.0)
    assert kept is not None and len(kept[1]) == len(parts) and kept[1][0] > 0


def test_the_bounds_beside_the_search_come_from_another_process_as_they_would_here() -> None:
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    beside = BoundsBeside(parts, rest, None, 4.0)
    here = part_bounds(parts, rest, None, 4.0)
    collected = beside.collect(10.0)
    assert collected is not None
    there = collected[1]
    assert len(there) == len(parts)
    for (part, start), near, far in zip(parts, here, there, strict=True):
        total = load_rules.evaluate(part, start, _only(rest)).total
        assert far <= total and near <= total
        assert far >= (relaxation_bound(part, rest, None) or 0)
    # The largest deviation's bound comes back too.
    packing = _packing()
    split_up = LoadSolution(problem_name=packing.name, teachers=((0,), (0,), (1,), (1,)))
    # (time enough for a busy machine: the proofs end as soon as the bound reaches 20)
    collected = BoundsBeside([(packing, split_up)], {}, None, 30.0, ([20], [10])).collect(40.0)
    assert collected is not None and collected[0] == [20]
    both = ([packing, tiny_problem()], [20, 40], [10, 30])
    assert LargestBeside(*both, 30.0).collect(40.0) == largest_bound(*both, 30.0)
    # Each rise comes as it is proven (an hour at a time from the mean gap), and a process stopped
    # early keeps what it sent.
    streaming = LargestBeside([packing], [20], [10], 20.0)
    waited = time.monotonic()
    while streaming.latest() is None and time.monotonic() - waited < 20:
        time.sleep(0.01)
    assert streaming.latest() is not None and streaming.received[0] == [11]
    kept = streaming.collect(0.0)
    assert kept is not None and 11 <= kept[0] <= 20 and streaming.process.poll() is not None
    # Asked for no time at all, the bounds do not come and nothing is left running.
    hurried = BoundsBeside(parts, rest, None, 4.0)
    assert hurried.collect(0.0) is None and hurried.process.poll() is not None


def test_the_bounds_process_starts_whatever_folders_the_caller_imports_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller's folder holding a module named like the standard library's (a probe's `enum.py`)
    comes after the standard library in the process beside: before, it killed the process at start
    and the bound fell to what every distribution pays."""
    (tmp_path / "enum.py").write_text("raise ImportError('a probe script, not the standard enum')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    both = ([_packing(), tiny_problem()], [20, 40], [10, 30])
    assert LargestBeside(*both, 4.0).collect(10.0) == largest_bound(*both, 4.0)


def _packing() -> LoadProblem:
    """Two teachers of 100 h and items of 50, 50, 50 and 30 h: the mean gap is 10 h, but whole items
    leave one teacher at 80 h, so nobody can be held closer than 20 h."""
    teachers = tuple(
        LoadTeacher(index=t, name=name, rank="professor", norm=100, qualifications=frozenset({("X", "")}))
        for t, name in enumerate(("Aliya", "Bolat"))
    )
    items = tuple(
        LoadItem(index=i, name=f"X P{i + 1}", course="X", component="practice", hours=hours)
        for i, hours in enumerate((50, 50, 50, 30))
    )
    return LoadProblem(name="packing", teachers=teachers, items=items)


def _within(problem: LoadProblem, cap: int) -> bool:
    """Whether some distribution keeps the hard rules and everyone within `cap` of target (enumeration)."""
    choices = [
        list(itertools.combinations(candidates, item.teachers))
        for item, candidates in zip(problem.items, problem.candidates, strict=True)
    ]
    only_largest = _only({LARGEST: 1})
    for teams in itertools.product(*choices):
        evaluation = load_rules.evaluate(
            problem, LoadSolution(problem_name=problem.name, teachers=teams), only_largest
        )
        if evaluation.feasible and evaluation.total <= cap:
            return True
    return False


def test_a_cap_is_proven_impossible_only_when_nobody_can_be_held_within_it() -> None:
    packing = _packing()
    assert static_bound(packing, {LARGEST: 1}) == 10
    for cap in range(10, 21):
        assert cap_impossible(packing, cap, 10.0) == (cap < 20)
        assert _within(packing, cap) == (cap >= 20)
    tiny = tiny_problem()
    proven = [cap for cap in range(0, 60) if cap_impossible(tiny, cap, 10.0)]
    assert proven and all(not _within(tiny, cap) for cap in proven)
    # The largest deviation's bound rises from the mean gap to what the packing allows, never past
    # what some distribution reaches.
    assert largest_bound([packing], [20], [10], 20.0) == [20]
    least = min(cap for cap in range(60) if _within(tiny, cap))
    assert 20 <= max(largest_bound([packing, tiny], [20, least], [10, 30], 20.0)) <= least


def test_the_parts_named_first_are_generated_first_and_their_masters_come_back_from_beside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    order: list[int] = []
    rows: dict[int, bool] = {}  # per part (its problem's id), whether its master shares rows
    made = columns_module.ColumnGeneration.__init__

    def making(generation: columns_module.ColumnGeneration, problem: LoadProblem, *args, **kwargs) -> None:
        made(generation, problem, *args, **kwargs)
        rows[id(problem)] = kwargs.get("alike", False)

    monkeypatch.setattr(columns_module.ColumnGeneration, "__init__", making)
    masters: dict[int, tuple[list[tuple[int, tuple[int, ...]]], dict[int, float]]] = {}

    def generated(position: int, loads: list[tuple[int, tuple[int, ...]]], prices: dict[int, float]) -> None:
        order.append(position)
        masters[position] = (loads, prices)

    part_bounds(parts, rest, None, 6.0, first=[2, 1], generated=generated)
    assert order == [2, 1]  # only the parts named, in that order
    # The masters a dive starts from keep a row per item; the others share rows among alike items.
    assert [rows[id(problem)] for problem, _ in parts] == [True, False, False]
    monkeypatch.undo()
    for position, (loads, prices) in masters.items():
        problem, start = parts[position]
        # The master holds the start's loads, and every load it holds is one its teacher may take.
        assert set(enumerate(tuple(sorted(load)) for load in loads_in(problem, start))) <= set(loads)
        assert all(teacher in problem.candidates[i] for teacher, load in loads for i in load)
        assert prices and set(prices) <= set(range(len(problem.items)))
    # Beside the search the same masters come as messages, and the bounds are still the last word.
    beside = BoundsBeside(parts, rest, None, 6.0, first=[1])
    collected = beside.collect(20.0)
    master = beside.master(1)
    assert collected is not None and len(collected[1]) == len(parts)
    assert master is not None and master.position == 1 and master.loads and master.prices
    assert beside.master(0) is None and beside.latest() == collected


def test_once_its_bounds_are_in_the_process_beside_walks_the_parts_asked_for_again() -> None:
    """The bounds come first and stay the last word; then each part asked for is walked from its
    start with the seed given, and its best comes back keeping the hard rules, priced as the
    checker prices it, no dearer than the start; a part not asked for is not walked."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    # (time enough for a busy machine: the process ends once its two walks are done)
    beside = BoundsBeside(parts, rest, None, 60.0, walks=Walks((2, 0), 0.5, 7))
    collected = beside.collect(90.0)
    assert collected is not None and len(collected[1]) == len(parts) and beside.latest() == collected
    assert beside.walked(1) is None
    for position in (2, 0):
        walked = beside.walked(position)
        assert walked is not None and walked.position == position
        problem, start = parts[position]
        priced = load_rules.evaluate(problem, walked.solution, _only(rest))
        assert priced.feasible and priced.total == walked.cost
        assert walked.cost <= load_rules.evaluate(problem, start, _only(rest)).total
    # Without walks asked for, none come.
    plain = BoundsBeside(parts, rest, None, 60.0)
    assert plain.collect(90.0) is not None and all(plain.walked(p) is None for p in range(len(parts)))


def test_second_walks_go_first_where_the_search_ended_furthest_above_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Of the parts the search has ended, the one furthest above its bound is walked next; a part it
    ended at its bound is not walked; parts it has not ended follow in the order asked for."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    walked: list[int] = []
    sent: list[object] = []
    monkeypatch.setattr(
        beside_module, "anneal", lambda problem, *args: (walked.append(len(problem.teachers)), (None, 0))[1]
    )
    monkeypatch.setattr(beside_module, "_send", sent.append)
    sizes = [len(problem.teachers) for problem, _ in parts]
    bounds = [100, 200, 300]
    # Part 1 ended 5 above its bound, part 2 at it; part 0 not yet ended (asked for first).
    searched = {1: 205, 2: 300}
    walks = Walks((0, 1, 2), 0.0, 7)
    beside_module._walk(parts, rest, None, walks, time.time() + 60, bounds, searched, {}, sent.append)
    assert walked == [sizes[1], sizes[0]]
    assert [message.position for message in sent] == [1, 0]  # type: ignore[attr-defined]
    # Every part ended: furthest above first, whatever the order asked for.
    walked.clear()
    sent.clear()
    searched = {0: 190, 1: 205, 2: 301}
    walks = Walks((2, 1, 0), 0.0, 7)
    beside_module._walk(parts, rest, None, walks, time.time() + 60, bounds, searched, {}, sent.append)
    assert [message.position for message in sent] == [0, 1, 2]  # type: ignore[attr-defined]


def test_a_second_walk_no_better_than_the_search_gives_its_part_a_turn_of_cuts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A walk beside that does no better than the search's own end says the part is on its walks'
    plateau: its generation gets a turn of cuts there and then, and a bound it raises is sent at
    once. A part whose walk does better, or which the search has not ended, gets none."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    generations: dict[int, columns_module.ColumnGeneration] = {}
    bounds = part_bounds(parts, rest, None, 60.0, generations=generations)
    before = list(bounds)
    # The walk's cost per part: no better than the search for part 0, better for part 1.
    walk_cost = {id(parts[0][0]): before[0] + 50, id(parts[1][0]): before[1], id(parts[2][0]): 0}
    monkeypatch.setattr(beside_module, "anneal", lambda problem, *args: (None, walk_cost[id(problem)]))
    monkeypatch.setattr(beside_module, "_send", lambda message: None)
    heard: list[list[int]] = []
    searched = {0: before[0] + 50, 1: before[1] + 50}  # part 2 not ended yet
    walks = Walks((0, 1, 2), 0.0, 7)
    beside_module._walk(
        parts, rest, None, walks, time.time() + 60, bounds, searched, generations, heard.append
    )
    assert generations[0].cuts is not None and generations[0].cuts.cuts  # cut, and its cuts priced
    assert generations[1].cuts is None and generations[2].cuts is None
    assert bounds[1:] == before[1:] and bounds[0] >= before[0]
    assert heard == ([bounds] if bounds[0] > before[0] else [])


def test_the_process_beside_cuts_a_round_before_it_walks_and_leaves_the_rest_to_more_rounds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Once the generations are in: one round of cuts in at most FIRST_CUTS_SHARE of what is left,
    the walks, then the rounds of cuts that take what the walks leave."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    calls: list[tuple[str, object]] = []

    def cuts(
        generations: object,
        bounds: object,
        seconds: float,
        *args: object,
        rounds: int | None = None,
        **kw: object,
    ) -> None:
        calls.append(("cuts", (rounds, seconds)))

    monkeypatch.setattr(beside_module, "cut_rounds", cuts)
    monkeypatch.setattr(beside_module, "_walk", lambda *args: calls.append(("walks", args[3])))
    monkeypatch.setattr(beside_module, "_hear", lambda stream, searched: None)
    monkeypatch.setattr(beside_module, "_send", lambda message: None)
    walks = Walks((0, 1, 2), 0.5, 7)
    payload = (parts, rest, None, ([], []), (), walks)
    path = tmp_path / "job.pickle"
    path.write_bytes(pickle.dumps(("parts", payload, time.time() + 60.0)))
    beside_module.main(str(path))
    assert [kind for kind, _ in calls] == ["cuts", "walks", "cuts"]
    (rounds, seconds), walked, (more, _) = calls[0][1], calls[1][1], calls[2][1]
    assert rounds == 1 and 0 < seconds <= 60.0 * beside_module.FIRST_CUTS_SHARE
    assert walked == walks and more is None  # (as many rounds as the time takes, up to ROUNDS)


def test_the_process_beside_hears_where_the_search_ended_each_part() -> None:
    """The costs the search tells the process beside reach it: a part told it ended at its bound is
    not walked again, the others are."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    beside = BoundsBeside(parts, rest, None, 60.0, walks=Walks((0, 1, 2), 0.5, 7))
    beside.searched(0, -1)  # (no part's bound is below nothing)
    beside.searched(2, 10**9)
    collected = beside.collect(90.0)
    assert collected is not None and len(collected[1]) == len(parts)
    assert beside.walked(0) is None
    assert beside.walked(1) is not None and beside.walked(2) is not None


def test_generations_cut_short_resume_with_what_the_other_parts_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part's first turn is cut short (no round at all); the time the parts did not use goes back
    to them, each resumed where it stopped, and they end where generation run to its end ends. The
    part generated first (a tight one) gets more than its size's share of the first turns."""
    parts = PARTS[:3]
    rest = _rest(parts[0][0])
    prices = [relaxation_prices(problem, rest, None) for problem, _ in parts]
    run = columns_module.ColumnGeneration.run
    turns: list[tuple[int, float]] = []  # (teachers, seconds given) of every turn
    begun: set[int] = set()

    def nothing_at_first(generation: columns_module.ColumnGeneration, seconds: float, log=None) -> None:
        turns.append((len(generation.problem.teachers), seconds))
        if id(generation) in begun:
            run(generation, seconds, log)
        begun.add(id(generation))

    monkeypatch.setattr(columns_module.ColumnGeneration, "run", nothing_at_first)
    resumed = part_bounds(parts, rest, None, 20.0, first=[1])
    monkeypatch.setattr(columns_module.ColumnGeneration, "run", run)
    whole = [
        max(relaxed[0], column_bound(problem, rest, None, start, 20.0, relaxed[1]) or 0)
        for (problem, start), relaxed in zip(parts, prices, strict=True)
    ]
    # Without a second turn a part's bound stays at the LP prices' Lagrangian value.
    unturned = [
        columns_module.ColumnGeneration(problem, rest, None, start, relaxed[1]).bound() or 0
        for (problem, start), relaxed in zip(parts, prices, strict=True)
    ]
    assert any(bound > max(lp[0], once) for bound, lp, once in zip(whole, prices, unturned, strict=True))
    assert resumed == whole
    assert [teachers for teachers, _ in turns] == [len(parts[p][0].teachers) for p in (1, 0, 2, 1, 0, 2)]
    # The first part's first turn against its size's share of what the last part's first turn had.
    sizes = [columns_module.part_size(problem) for problem, _ in parts]
    assert turns[0][1] > 1.2 * turns[2][1] * sizes[1] / sum(sizes)


def test_the_box_widens_after_the_first_rounds_and_the_bound_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    """A box of 0.3 raises the bound soonest in a generation cut short; 0.8 ends a whole one sooner."""
    problem, start = max(PARTS, key=lambda part: len(part[0].teachers))
    rest = _rest(problem)
    prices = relaxation_prices(problem, rest, None, 10.0)
    assert prices is not None
    ends = {}
    for widen_after in (3, 10**9):
        monkeypatch.setattr(columns_module, "WIDEN_AFTER", widen_after)
        generation = columns_module.ColumnGeneration(problem, rest, None, start, prices[1])
        generation.run(30.0)
        assert generation.converged and generation.rounds > 3
        ends[widen_after] = (generation.box, generation.bound())
    assert ends[3][0] == columns_module.WIDE_BOX and ends[10**9][0] == columns_module.BOX
    assert ends[3][1] == ends[10**9][1]  # a wider box moves the prices faster, to the same bound
    # A generation given its own box (a dive's) keeps it.
    own = columns_module.ColumnGeneration(problem, rest, None, start, prices[1], box=1.0)
    own.run(30.0)
    assert own.box == 1.0


def test_items_no_load_can_tell_apart_share_a_row_and_the_generation_ends_at_the_same_bound() -> None:
    """The bound's master covers alike items with one row (how many of them a load takes): fewer rows,
    the same LP, so the same bound, and every item of a row priced alike."""
    fewer = 0
    for problem, start in sorted(PARTS, key=lambda part: -len(part[0].items))[:3]:
        rows = columns_module.alike_rows(problem)
        assert sorted(i for row in rows for i in row) == list(range(len(problem.items)))
        for row in rows:
            first = problem.items[row[0]]
            for i in row:
                item = problem.items[i]
                assert (item.course, item.component, item.term, item.hours, item.lecture) == (
                    first.course, first.component, first.term, first.hours, first.lecture
                )  # fmt: skip
                assert sorted(item.previous) == sorted(first.previous)
                assert problem.candidates[i] == problem.candidates[row[0]]
            assert len(row) == 1 or row[0] not in problem.practices_of  # a lecture with practices alone
        fewer += len(rows) < len(problem.items)
        rest = _rest(problem)
        prices = relaxation_prices(problem, rest, None, 10.0)
        assert prices is not None
        ends = []
        for alike in (False, True):
            generation = columns_module.ColumnGeneration(problem, rest, None, start, prices[1], alike=alike)
            generation.run(60.0)
            assert generation.converged
            ends.append(generation.bound())
            for row in generation.rows:
                assert len({generation.prices[i] for i in row}) == 1
        assert ends[0] == ends[1]
    assert fewer >= 2


def test_items_alike_but_for_last_years_teacher_or_their_lecture_keep_their_own_rows() -> None:
    """Keeping last year's teacher is priced per item, and a practice counts against its own
    lecture's split: such items are told apart; the rest of a supervision class shares a row."""
    teacher = LoadTeacher(
        index=0,
        name="Aliya",
        department="Mathematics",
        norm=400,
        qualifications=frozenset({("MAT101", "")}),
        languages=frozenset({"Russian"}),
    )
    other = teacher.model_copy(update={"index": 1, "name": "Bolat"})

    def item(k: int, component: str, **extra: object) -> LoadItem:
        return LoadItem(index=k, name=f"MAT101 {k}", course="MAT101", component=component, language="Russian",
                        hours=30, department="Mathematics", **extra)  # fmt: skip

    items = (
        item(0, "lecture"),
        item(1, "lecture"),
        item(2, "practice", lecture=0),
        item(3, "practice", lecture=1),
        item(4, "thesis supervision"),
        item(5, "thesis supervision"),
        item(6, "thesis supervision", previous=(1,)),
    )
    problem = LoadProblem(name="alike", teachers=(teacher, other), items=items)
    assert sorted(map(sorted, columns_module.alike_rows(problem))) == [[0], [1], [2], [3], [4, 5], [6]]
