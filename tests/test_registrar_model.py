"""The registrar CP-SAT posts agree with the checkers: each unit alone, the whole model, and a
partial model pricing a change (or refusing one that breaks a hard rule)."""

from __future__ import annotations

import random
from collections import Counter

from constraints.lessons import evaluate, units_for
from models import LessonSolution
from tests.registrar_factory import offered, random_registrar, random_timetable
from tests.test_lesson_model import fixed_objective


def test_each_unit_posts_what_its_checker_counts() -> None:
    compared = 0
    faulted: Counter[str] = Counter()  # per unit: the timetables it finds fault with
    for seed in range(400):
        problem = random_registrar(seed)
        solution = random_timetable(problem, seed + 1000)
        if not offered(problem, solution):
            continue
        for unit in units_for(problem):
            counted = sum(v.cost for v in unit.count(problem, solution))
            objective = fixed_objective(problem, [unit], {unit.NAME: 1}, solution)
            if unit.HARD:
                assert (objective is not None) == (counted == 0), (seed, unit.NAME)
            else:
                assert objective == counted, (seed, unit.NAME)
            compared += 1
            faulted[unit.NAME] += counted > 0
    assert compared > 1000
    never = [unit.NAME for unit in units_for(random_registrar(0)) if faulted[unit.NAME] < 10]
    # offered places are proper; no student of these small weeks can pass the long-day limit
    # (tests/test_registrar_people_days.py holds long days to its checker on longer days)
    assert set(never) <= {"placement", "availability", "seating", "long days"}, faulted


def test_whole_model_objective_equals_the_checker_total() -> None:
    compared, refused = 0, 0
    for seed in range(1200):
        problem = random_registrar(seed)
        solution = random_timetable(problem, seed + 2000)
        evaluation = evaluate(problem, solution)
        units = units_for(problem)
        weights = {unit.NAME: unit.weight(problem) for unit in units}
        objective = fixed_objective(problem, units, weights, solution)
        if evaluation.feasible:
            assert objective == evaluation.total, seed
            compared += 1
        else:
            assert objective is None, seed
            refused += 1
    assert compared >= 50 and refused >= 50


def test_a_partial_model_prices_a_change_as_the_checker_does() -> None:
    compared, refused = 0, 0
    changed: Counter[str] = Counter()
    for seed in range(8000):
        problem = random_registrar(seed)
        rng = random.Random(seed)
        count = len(problem.meetings)
        before = random_timetable(problem, seed + 3000)
        first = evaluate(problem, before)
        if count < 2 or not first.feasible:
            continue
        free = set(rng.sample(range(count), rng.randint(1, count - 1)))
        moved = random_timetable(problem, seed + 4000)
        after = LessonSolution(
            problem_name=problem.name,
            starts=tuple(moved.starts[m] if m in free else before.starts[m] for m in range(count)),
            rooms=tuple(moved.rooms[m] if m in free else before.rooms[m] for m in range(count)),
        )
        units = units_for(problem)
        weights = {unit.NAME: unit.weight(problem) for unit in units}
        old = fixed_objective(problem, units, weights, before, free, before)
        new = fixed_objective(problem, units, weights, after, free, before)
        assert old is not None, seed
        second = evaluate(problem, after)
        if not second.feasible:
            assert new is None or not offered(problem, after), seed
            refused += 1
            continue
        assert new is not None, seed
        assert new - old == second.total - first.total, seed
        compared += 1
        changed.update(
            a.name for a, b in zip(first.scores, second.scores, strict=True) if a.penalty != b.penalty
        )
    soft = [
        unit.NAME for unit in units_for(random_registrar(0)) if not unit.HARD and unit.NAME != "long days"
    ]
    assert compared >= 50 and refused >= 20, (compared, refused)
    assert all(changed[name] >= 10 for name in soft), (compared, refused, changed)
