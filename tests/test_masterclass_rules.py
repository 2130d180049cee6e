"""Master-class rules on a hand-made week, with exact penalties; CP-SAT with the placements fixed
agrees with the checker; the solver places the events and explains the impossible ones."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

import constraints.masterclasses as rules
from constraints.masterclasses import audience_conflicts, audience_overlap, hall_clash, placement
from models import (
    Hall,
    MasterClass,
    MasterClassProblem,
    MasterClassSolution,
    SolveParameters,
    SolveStatus,
    TimeGrid,
)
from solver.masterclasses.model import MasterClassCpModel
from solver.masterclasses.solve import solve_masterclasses
from tests.agreement import units_alone, whole_models

# Two days of four periods: slots 0-3 on Mon, 4-7 on Tue.
GRID = TimeGrid(days=("Mon", "Tue"), periods_per_day=4)


def problem(seats: int = 0) -> MasterClassProblem:
    """Students 1-4 have lessons on Mon 1-2 (slots 0, 1); student 5 on Tue 1 (slot 4). Hall A (30
    seats) has a lesson on Mon 3 (slot 2); hall B seats 3."""
    return MasterClassProblem(
        name="week",
        grid=GRID,
        halls=(
            Hall(index=0, name="A", capacity=30, busy=frozenset({2})),
            Hall(index=1, name="B", capacity=3),
        ),
        classes=(
            MasterClass(
                index=0,
                name="AI talk",
                length=2,
                starts=frozenset({0, 2, 4}),
                audience=(1, 2, 5),
                seats=seats,
            ),
            MasterClass(index=1, name="Oil workshop", length=1, starts=frozenset({0, 1, 5}), audience=(2, 3)),
        ),
        student_busy={
            1: frozenset({0, 1}),
            2: frozenset({0, 1}),
            3: frozenset({0, 1}),
            4: frozenset({0, 1}),
            5: frozenset({4}),
        },
    )


def placed(starts: tuple[int | None, ...], halls: tuple[int | None, ...]) -> MasterClassSolution:
    return MasterClassSolution(problem_name="week", starts=starts, halls=halls)


def cost(unit: ModuleType, solution: MasterClassSolution, of: MasterClassProblem | None = None) -> int:
    return sum(v.cost for v in unit.count(of or problem(), solution))


def test_placement_needs_an_allowed_start_a_fitting_hall_and_no_lesson_there() -> None:
    assert cost(placement, placed((4, 5), (0, 1))) == 0
    messages = [v.message for v in placement.count(problem(), placed((2, None), (0, 0)))]
    assert messages == ["AI talk is in A while lessons are held there", "Oil workshop is not scheduled"]
    assert cost(placement, placed((3, 5), (0, 1))) == 1  # Mon 4 is not a start the guest can make
    assert cost(placement, placed((4, 5), (1, 1)), problem(seats=10)) == 1  # 10 seats in B's 3


def test_hall_clash_counts_overlapping_events_in_one_hall() -> None:
    assert cost(hall_clash, placed((4, 5), (0, 0))) == 1  # AI talk runs slots 4-5, the workshop 5
    assert cost(hall_clash, placed((4, 5), (0, 1))) == 0


def test_audience_conflicts_count_students_with_a_lesson_then() -> None:
    assert cost(audience_conflicts, placed((0, 5), (0, 1))) == 2  # students 1 and 2 on Mon 1-2
    assert cost(audience_conflicts, placed((4, 0), (0, 1))) == 1 + 2  # student 5; students 2 and 3


def test_audience_overlap_counts_students_expected_at_both() -> None:
    assert cost(audience_overlap, placed((4, 5), (0, 1))) == 1  # student 2 at both
    assert cost(audience_overlap, placed((4, 1), (0, 1))) == 0


def fixed_objective(
    of: MasterClassProblem, units: list[ModuleType], weights: dict[str, int], solution: MasterClassSolution
) -> float | None:
    exact = MasterClassCpModel(of)
    exact.post(units, weights)
    if not exact.fix(solution):
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(exact.model)
    return round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


CASES = [
    (0, placed((4, 5), (0, 1))),
    (1, placed((4, 5), (0, 0))),
    (2, placed((0, 5), (0, 1))),
    (3, placed((4, 0), (0, 1))),
    (5, placed((4, 1), (0, 0))),
]
# The model offers only the starts and halls the placement rule allows, so a timetable breaking it
# is refused by the whole model (not by each unit alone).
MISPLACED = [(4, placed((2, 1), (0, 1))), (6, placed((None, 1), (None, 1)))]


def test_cp_sat_with_the_placements_fixed_agrees_with_the_checker() -> None:
    cases = [(seed, problem(), solution) for seed, solution in CASES]
    compared, faulted = units_alone(cases, rules.units_for, fixed_objective)
    assert compared == len(CASES) * len(rules.UNITS)
    assert all(faulted[unit.NAME] for unit in rules.UNITS if unit is not placement)
    cases += [(seed, problem(), solution) for seed, solution in MISPLACED]
    compared, refused, priced = whole_models(cases, rules.units_for, rules.evaluate, fixed_objective)
    assert compared >= 3 and refused >= 3
    assert priced["audience conflicts"] and priced["audience overlap"]


def test_the_solver_finds_the_placement_no_student_misses() -> None:
    outcome = solve_masterclasses(problem(), SolveParameters(time_limit=2, workers=1))
    assert outcome.report.status is SolveStatus.OPTIMAL
    assert outcome.solution is not None and outcome.evaluation is not None
    # AI talk on Mon 3-4 (slots 2-3) clashes with hall A's lesson, so it goes to B (3 seats) there;
    # the workshop on Tue 2 (slot 5): nobody has a lesson, nobody is expected at both at once.
    assert outcome.evaluation.total == outcome.report.objective == 0
    assert outcome.solution.starts == (2, 5)


def test_an_event_no_hall_can_hold_is_explained() -> None:
    outcome = solve_masterclasses(problem(seats=40), SolveParameters(time_limit=2, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.report.explanation == ["AI talk needs 40 seats; no hall it may use has that many"]
