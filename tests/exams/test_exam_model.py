"""The CP-SAT posts agree with the checkers: each unit alone, the whole model, and a partial model."""

from __future__ import annotations

import random

import pytest
from ortools.sat.python import cp_model

import constraints.exams as rules
from constraints.exams import evaluate, units_for
from models import ExamProblem, ExamSolution, Scoring
from solver.exams.model import ConflictIndex, ExamCpModel
from tests.agreement import price_change, units_alone, whole_models
from tests.exam_factory import random_problem, random_solution

SEEDS = range(60)


def fixed_objective(
    problem: ExamProblem,
    units: list,
    weights: dict[str, int],
    fixed_to: ExamSolution,
    free: set[int] | None = None,
    current: ExamSolution | None = None,
) -> float | None:
    """The model's objective with every free exam held at `fixed_to`; None when infeasible."""
    free = set(range(len(problem.exams))) if free is None else free
    exact = ExamCpModel(problem, ConflictIndex(problem), free, current)
    exact.post(units, weights)
    for exam in free:
        if problem.uses_rooms:
            choices = exact.placement_literals(exam)
            target: tuple[int, int | None] | int = (fixed_to.periods[exam], fixed_to.rooms[exam])
        else:
            choices = exact.period_literals(exam)
            target = fixed_to.periods[exam]
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


def structurally_possible(problem: ExamProblem, solution: ExamSolution) -> bool:
    """Places the model never offers: too-short periods, rooms smaller than the exam alone."""
    for exam in problem.exams:
        if problem.periods[solution.periods[exam.index]].duration < exam.duration:
            return False
        room = solution.rooms[exam.index]
        if room is not None and problem.rooms[room].capacity < exam.size:
            return False
    return True


@pytest.mark.parametrize("scoring", [Scoring.ITC2007, Scoring.TORONTO])
def test_each_unit_posts_what_its_checker_counts(scoring: Scoring) -> None:
    cases = (
        (seed, problem, solution)
        for seed in SEEDS
        if structurally_possible(
            problem := random_problem(seed, scoring), solution := random_solution(problem, seed + 1000)
        )
    )
    compared, _ = units_alone(cases, units_for, fixed_objective)
    assert compared > 100


@pytest.mark.parametrize("scoring", [Scoring.ITC2007, Scoring.TORONTO])
def test_whole_model_objective_equals_the_checker_total(scoring: Scoring) -> None:
    cases = (
        (seed, problem, random_solution(problem, seed + 2000))
        for seed in SEEDS
        for problem in [random_problem(seed, scoring)]
    )
    compared, _, _ = whole_models(cases, units_for, evaluate, fixed_objective)
    assert compared >= 5


def test_a_partial_model_prices_a_change_as_the_checker_does() -> None:
    """Only terms touching free exams are posted; their change is the whole change."""
    compared = 0
    for seed in range(400):
        problem = random_problem(seed)
        rng = random.Random(seed)
        before = random_solution(problem, seed + 3000)
        free = set(rng.sample(range(len(problem.exams)), rng.randint(1, len(problem.exams) - 1)))
        moved = random_solution(problem, seed + 4000)
        after = ExamSolution(
            problem_name=problem.name,
            periods=tuple(
                moved.periods[e] if e in free else before.periods[e] for e in range(len(problem.exams))
            ),
            rooms=tuple(moved.rooms[e] if e in free else before.rooms[e] for e in range(len(problem.exams))),
        )
        if not (evaluate(problem, before).feasible and evaluate(problem, after).feasible):
            continue
        changed = price_change(seed, problem, before, after, free, units_for, evaluate, fixed_objective)
        assert changed is not None, seed
        compared += 1
    assert compared >= 10


def test_every_unit_is_registered_once() -> None:
    names = [unit.NAME for unit in rules.UNITS]
    assert len(names) == len(set(names))
    assert {"student conflicts", "room capacity", "two in a row", "proximity"} <= set(names)
