"""Master classes: each rule on a hand-made case with the exact penalty, the CP-SAT model holding
to the checker for random placements, and the solver finding the brute-force optimum."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from ortools.sat.python import cp_model

import constraints.masterclasses as rules
from constraints.masterclasses import audience_clash, hall_fit, hall_free, placement, shared_audience
from models import (
    Hall,
    Interval,
    MasterClass,
    MasterClassProblem,
    MasterClassSolution,
    Placement,
    SolveParameters,
    SolveStatus,
)
from solver.masterclasses.model import MasterClassModel
from solver.masterclasses.solve import solve_masterclasses

H = 60  # minutes in an hour


def busy(day: int, start: float, end: float) -> Interval:
    return Interval(day=day, start=int(start * H), end=int(end * H))


PROBLEM = MasterClassProblem(
    name="hand-made",
    dates=(dt.date(2026, 10, 5), dt.date(2026, 10, 6)),
    halls=(
        Hall(
            index=0, name="Great Hall", capacity=200, kind="lecture hall", features=frozenset({"projector"})
        ),
        Hall(index=1, name="Room 12", capacity=30, kind="classroom", busy=(busy(0, 14, 16),)),
        Hall(
            index=2, name="Studio", capacity=40, kind="studio", features=frozenset({"projector", "cameras"})
        ),
    ),
    events=(
        MasterClass(
            index=0,
            name="AI in industry",
            minutes=90,
            audience=(0, 1, 2, 3),
            seats=25,
            windows=(busy(0, 14, 17),),
        ),
        MasterClass(
            index=1,
            name="Filming workshop",
            minutes=60,
            audience=(2, 3, 4),
            seats=10,
            windows=(busy(0, 15, 17), busy(1, 10, 12)),
            features=frozenset({"cameras"}),
        ),
        MasterClass(
            index=2, name="Alumni talk", minutes=60, audience=(5,), seats=120, windows=(busy(1, 9, 11),)
        ),
    ),
    student_busy=(
        (busy(0, 14, 15),),  # student 0: a class 14-15 on day 0
        (busy(0, 15, 16),),
        (),
        (busy(1, 10, 11),),
        (busy(0, 16, 17),),
        (busy(1, 9, 10),),
    ),
)


def at(day: int, hour: float, hall: int) -> Placement:
    return Placement(day=day, start=int(hour * H), hall=hall)


def cost(unit: object, solution: MasterClassSolution) -> int:
    return sum(v.cost for v in unit.count(PROBLEM, solution))  # type: ignore[attr-defined]


GOOD = MasterClassSolution(problem_name="hand-made", places=(at(0, 14, 0), at(1, 11, 2), at(1, 10, 0)))


def test_a_good_placement_breaks_no_hard_rule_and_prices_the_busy_audience() -> None:
    assert [cost(u, GOOD) for u in (placement, hall_fit, hall_free)] == [0, 0, 0]
    # AI 14:00-15:30: students 0 (14-15) and 1 (15-16) are busy; filming 11-12 on day 1: nobody
    assert cost(audience_clash, GOOD) == 2 and cost(shared_audience, GOOD) == 0
    assert rules.evaluate(PROBLEM, GOOD).total == 2


def test_outside_the_windows_or_not_placed_breaks_placement() -> None:
    late = MasterClassSolution(problem_name="x", places=(at(0, 16, 0), None, at(1, 10, 0)))
    assert cost(placement, late) == 2  # 16:00 + 90 min passes 17:00; the workshop has no place
    off_step = MasterClassSolution(problem_name="x", places=(at(0, 14.05, 0), at(1, 11, 2), at(1, 10, 0)))
    assert cost(placement, off_step) == 1


def test_a_hall_too_small_or_without_the_features_breaks_hall_fit() -> None:
    wrong = MasterClassSolution(problem_name="x", places=(at(0, 14, 0), at(1, 11, 0), at(1, 10, 2)))
    found = hall_fit.count(PROBLEM, wrong)
    assert len(found) == 2 and "no cameras" in found[0].message and "120 seats" in found[1].message


def test_a_taken_hall_or_two_classes_at_once_break_hall_free() -> None:
    taken = MasterClassSolution(problem_name="x", places=(at(0, 14.5, 1), at(0, 15, 2), at(1, 10, 0)))
    assert cost(hall_free, taken) == 1  # Room 12 has a class 14-16
    together = MasterClassSolution(problem_name="x", places=(at(0, 15, 2), at(0, 15.5, 2), at(1, 10, 0)))
    assert cost(hall_free, together) == 1


def test_students_at_two_master_classes_at_once_are_counted() -> None:
    overlapping = MasterClassSolution(problem_name="x", places=(at(0, 15, 0), at(0, 16, 2), at(1, 10, 0)))
    assert cost(shared_audience, overlapping) == 2  # students 2 and 3 are expected at both
    apart = MasterClassSolution(problem_name="x", places=(at(0, 14, 0), at(0, 15.5, 2), at(1, 10, 0)))
    assert cost(shared_audience, apart) == 0  # one ends at 15:30 as the other starts


def fixed_objective(units: tuple[object, ...], solution: MasterClassSolution) -> float | None:
    built = MasterClassModel(PROBLEM, units, {u.NAME: 1 for u in units})  # type: ignore[attr-defined]
    if not built.fix(solution):
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(built.model)
    return solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def random_placements(count: int, seed: int) -> list[MasterClassSolution]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        places = []
        for event in PROBLEM.events:
            day, start = rng.choice(PROBLEM.starts(event))
            places.append(Placement(day=day, start=start, hall=rng.randrange(len(PROBLEM.halls))))
        found.append(MasterClassSolution(problem_name="x", places=tuple(places)))
    return found


@pytest.mark.parametrize("unit", rules.UNITS, ids=lambda u: u.NAME)
def test_each_rule_posted_alone_prices_and_refuses_as_its_checker(unit: object) -> None:
    faulted = 0
    for solution in random_placements(120, 7):
        counted = cost(unit, solution)
        objective = fixed_objective((unit,), solution)
        if unit.HARD:  # type: ignore[attr-defined]
            assert (objective is not None) == (counted == 0)
        else:
            assert objective == counted
        faulted += counted > 0
    assert faulted > 0 or unit is placement  # every other rule is broken by some of the placements


def test_the_whole_model_prices_feasible_placements_as_the_checker() -> None:
    compared = 0
    for solution in random_placements(200, 8):
        evaluation = rules.evaluate(PROBLEM, solution)
        objective = fixed_objective(rules.UNITS, solution)
        assert (objective is not None) == evaluation.feasible
        if evaluation.feasible:
            assert objective == evaluation.total
            compared += 1
    assert compared > 10


def test_the_solver_finds_the_brute_force_optimum() -> None:
    choices = [
        [Placement(day=d, start=s, hall=h.index) for d, s in PROBLEM.starts(e) for h in PROBLEM.halls]
        for e in PROBLEM.events
    ]
    best = min(
        evaluation.total
        for places in itertools.product(*choices)
        if (
            evaluation := rules.evaluate(PROBLEM, MasterClassSolution(problem_name="x", places=places))
        ).feasible
    )
    outcome = solve_masterclasses(PROBLEM, SolveParameters(time_limit=10, workers=1))
    assert outcome.report.status is SolveStatus.OPTIMAL and outcome.report.objective == best == 1
    assert outcome.evaluation is not None and outcome.evaluation.total == best


def test_a_master_class_no_hall_can_take_is_explained() -> None:
    huge = PROBLEM.model_copy(
        update={"events": (*PROBLEM.events[:2], PROBLEM.events[2].model_copy(update={"seats": 500}))}
    )
    outcome = solve_masterclasses(huge, SolveParameters(time_limit=5, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE and outcome.solution is None
    assert outcome.report.explanation == ["Master class Alumni talk: no hall has 500 seats"]


def _alumni(**changes: object) -> MasterClassProblem:
    talk = PROBLEM.events[2].model_copy(update=changes)
    return PROBLEM.model_copy(update={"events": (*PROBLEM.events[:2], talk)})


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # A missing comma ran the feature and the kind together; the message ran on with them.
        (
            {"features": frozenset({"projectorstadium"})},
            "no hall has 'projectorstadium'; did you mean 'projector'?",
        ),
        ({"hall_kind": "stadium"}, "no hall is of the kind 'stadium'"),
        ({"hall_kind": "studoi"}, "no hall is of the kind 'studoi'; did you mean 'studio'?"),
        (
            {"hall_kind": "studio", "features": frozenset({"projector", "cameras"}), "seats": 45},
            "no hall of the kind 'studio' has 45 seats and 'cameras' and 'projector'",
        ),
        # Its halls were said to be 'all taken in every window' though free: no start fits the step.
        (
            {"minutes": 60, "windows": (Interval(day=1, start=11 * H + 3, end=12 * H + 7),)},
            "no start on the 10-minute step keeps its 60 minutes inside a window the guest gave "
            "(2026-10-06 11:03-12:07)",
        ),
    ],
)
def test_what_cannot_be_placed_is_said_as_it_is(changes: dict[str, object], reason: str) -> None:
    outcome = solve_masterclasses(_alumni(**changes), SolveParameters(time_limit=5, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.report.explanation == [f"Master class Alumni talk: {reason}"]
