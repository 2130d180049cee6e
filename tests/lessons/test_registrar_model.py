"""The registrar CP-SAT posts agree with the checkers: each unit alone, the whole model, and a
partial model pricing a change (or refusing one that breaks a hard rule)."""

from __future__ import annotations

import random
from collections import Counter

from constraints.lessons import evaluate, units_for
from tests.agreement import price_change, units_alone, whole_models
from tests.lessons.test_lesson_model import fixed_objective, mixed
from tests.registrar_factory import offered, random_registrar, random_timetable


def test_each_unit_posts_what_its_checker_counts() -> None:
    cases = (
        (seed, problem, solution)
        for seed in range(400)
        if offered(problem := random_registrar(seed), solution := random_timetable(problem, seed + 1000))
    )
    compared, faulted = units_alone(cases, units_for, fixed_objective)
    assert compared > 1000
    never = [unit.NAME for unit in units_for(random_registrar(0)) if faulted[unit.NAME] < 10]
    # offered places are proper; no student of these small weeks can pass the long-day limit
    # (tests/lessons/test_registrar_people_days.py holds long days to its checker on longer days)
    assert set(never) <= {"placement", "availability", "seating", "long days"}, faulted


def test_whole_model_objective_equals_the_checker_total() -> None:
    cases = (
        (seed, problem, random_timetable(problem, seed + 2000))
        for seed in range(1200)
        for problem in [random_registrar(seed)]
    )
    compared, refused, _ = whole_models(cases, units_for, evaluate, fixed_objective)
    assert compared >= 50 and refused >= 50


def test_a_partial_model_prices_a_change_as_the_checker_does() -> None:
    compared, refused = 0, 0
    changed: Counter[str] = Counter()
    for seed in range(8000):
        problem = random_registrar(seed)
        rng = random.Random(seed)
        count = len(problem.meetings)
        before = random_timetable(problem, seed + 3000)
        if count < 2 or not evaluate(problem, before).feasible:
            continue
        free = set(rng.sample(range(count), rng.randint(1, count - 1)))
        after = mixed(before, random_timetable(problem, seed + 4000), free)
        names = price_change(seed, problem, before, after, free, units_for, evaluate, fixed_objective)
        if names is None:
            refused += 1
        else:
            compared += 1
            changed.update(names)
    soft = [
        unit.NAME for unit in units_for(random_registrar(0)) if not unit.HARD and unit.NAME != "long days"
    ]
    assert compared >= 50 and refused >= 20, (compared, refused)
    assert all(changed[name] >= 10 for name in soft), (compared, refused, changed)
