"""The lesson CP-SAT posts agree with the checkers: each unit alone, the whole model, and a
partial model pricing a change."""

from __future__ import annotations

import random

import pytest
from ortools.sat.python import cp_model

from constraints.lessons import evaluate, units_for
from datasets.registrar_csv import lesson_problem
from datasets.semester import generate_semester
from models import LessonProblem, LessonSolution
from solver.lessons.initial import first_timetable
from solver.lessons.model import LessonCpModel
from tests.agreement import price_change, units_alone, whole_models
from tests.lesson_factory import random_lessons, random_timetable

SEEDS = range(250)


def fixed_objective(
    problem: LessonProblem,
    units: list,
    weights: dict[str, int],
    fixed_to: LessonSolution,
    free: set[int] | None = None,
    current: LessonSolution | None = None,
) -> float | None:
    """The model's objective with every free meeting held at `fixed_to`; None when infeasible."""
    free = set(range(len(problem.meetings))) if free is None else free
    exact = LessonCpModel(problem, free, current)
    exact.post(units, weights)
    for meeting in free:
        choices = exact.placement_literals(meeting)
        target = (fixed_to.starts[meeting], fixed_to.rooms[meeting])
        if target not in choices:
            return None
        for key, literal in choices.items():
            exact.model.add(literal == int(key == target))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(exact.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver.objective_value


def offered(problem: LessonProblem, solution: LessonSolution) -> bool:
    """Places the model never offers: unavailable times, unsuitable rooms."""
    for meeting in problem.meetings:
        section = problem.sections[meeting.section]
        start, room = solution.starts[meeting.index], solution.rooms[meeting.index]
        assert start is not None and room is not None
        if room in section.unsuitable_rooms:
            return False
        if any(slot in section.forbidden_slots for slot in range(start, start + meeting.length)):
            return False
    return True


def mixed(before: LessonSolution, moved: LessonSolution, free: set[int]) -> LessonSolution:
    """`before` with the `free` meetings where `moved` has them."""
    count = len(before.starts)
    return LessonSolution(
        problem_name=before.problem_name,
        starts=tuple(moved.starts[m] if m in free else before.starts[m] for m in range(count)),
        rooms=tuple(moved.rooms[m] if m in free else before.rooms[m] for m in range(count)),
    )


def test_each_unit_posts_what_its_checker_counts() -> None:
    cases = (
        (seed, problem, solution)
        for seed in SEEDS
        if offered(problem := random_lessons(seed), solution := random_timetable(problem, seed + 1000))
    )
    compared, _ = units_alone(cases, units_for, fixed_objective)
    assert compared > 250


def test_whole_model_objective_equals_the_checker_total() -> None:
    cases = (
        (seed, problem, random_timetable(problem, seed + 2000))
        for seed in range(300)
        for problem in [random_lessons(seed)]
    )
    compared, _, _ = whole_models(cases, units_for, evaluate, fixed_objective)
    assert compared >= 10


def test_a_partial_model_prices_a_change_as_the_checker_does() -> None:
    compared = 0
    for seed in range(1500):
        problem = random_lessons(seed)
        rng = random.Random(seed)
        count = len(problem.meetings)
        before = random_timetable(problem, seed + 3000)
        if count < 2 or not evaluate(problem, before).feasible:
            continue
        free = set(rng.sample(range(count), rng.randint(1, count - 1)))
        after = mixed(before, random_timetable(problem, seed + 4000), free)
        if not evaluate(problem, after).feasible:
            continue
        changed = price_change(seed, problem, before, after, free, units_for, evaluate, fixed_objective)
        assert changed is not None, seed
        compared += 1
    assert compared >= 10


def test_alike_meetings_in_order_score_the_same_and_the_ordered_model_accepts_them() -> None:
    """Ordering a section's interchangeable meetings changes no score, and the model that orders
    them still takes the timetable (at the same price)."""
    compared = 0
    for seed in range(1500):
        problem = random_lessons(seed)
        solution = random_timetable(problem, seed + 5000)
        if not offered(problem, solution) or not evaluate(problem, solution).feasible:
            continue
        units = units_for(problem)
        weights = {unit.NAME: unit.weight(problem) for unit in units}
        exact = LessonCpModel(problem, range(len(problem.meetings)))
        exact.post(units, weights)
        ordered = exact.order_alike(solution)
        assert evaluate(problem, ordered).total == evaluate(problem, solution).total, seed
        for meeting in range(len(problem.meetings)):
            target = (ordered.starts[meeting], ordered.rooms[meeting])
            for key, literal in exact.placement_literals(meeting).items():
                exact.model.add(literal == int(key == target))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(exact.model) == cp_model.OPTIMAL, seed
        assert solver.objective_value == evaluate(problem, solution).total, seed
        compared += 1
    assert compared >= 10


def test_a_partial_model_offers_what_it_would_with_every_fixed_meeting_looked_at(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step looks only at the fixed meetings of sections sharing someone with a free meeting (and
    at every room): the places it offers are the same as when it looks at all of them."""
    problem = lesson_problem(generate_semester(300, 1), "small semester")
    before = first_timetable(problem, {}, 0, 30)
    assert before is not None
    rng = random.Random(0)
    compared = 0
    for size in (1, 3, 10, 30) * 5:
        free = set(rng.sample(range(len(problem.meetings)), size))
        narrowed = LessonCpModel(problem, free, before)
        with monkeypatch.context() as every:
            every.setattr(
                LessonCpModel, "_sharing_an_owner", lambda model: set(range(len(model.problem.sections)))
            )
            whole = LessonCpModel(problem, free, before)
        for meeting in free:
            assert set(narrowed.placement_literals(meeting)) == set(whole.placement_literals(meeting)), free
        near = narrowed._sharing_an_owner()
        compared += sum(item.section not in near for item in narrowed.fixed_meetings()) > 10
    assert compared >= 10
