"""Bounds needing no search: the fewest splits of supervisors' groups over days (against brute
force) and a commission's bound by the days it sits (never above its proven optimum)."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.attestation_generator import generate_attestation
from models import Scenario
from solver.attestation.bounds import (
    commission_bound,
    finish_bound,
    finish_weight,
    least_splits,
    static_bound,
)
from solver.attestation.parts import parts_of, sub_problem
from solver.attestation.solve import build_model
from solver.engine import solve_model


def test_groups_split_as_few_times_as_packing_allows() -> None:
    splits = least_splits([11, 8, 7, 7, 5, 5, 4], 10)
    # 5 days: {5, 5}, {8} and {11, 7, 7, 4} over three days, two splits
    assert splits[5] == 2
    assert splits[6] == 1  # {11} over two days, the rest whole
    assert least_splits([6, 6, 6], 10)[2:4] == [1, 0]
    assert least_splits([10, 10], 10)[2] == 0


def _brute_splits(sizes: list[int], days: int, limit: int) -> int | None:
    """Every way of spreading each group over the days."""

    def spreads(size: int) -> list[tuple[int, ...]]:
        return [s for s in product(range(size + 1), repeat=days) if sum(s) == size]

    best = None
    for choice in product(*(spreads(size) for size in sizes)):
        if all(sum(group[d] for group in choice) <= limit for d in range(days)):
            cost = sum(sum(1 for n in group if n) - 1 for group in choice)
            best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=3),
    st.integers(1, 3),
    st.integers(2, 5),
)
def test_least_splits_match_brute_force(sizes: list[int], days: int, limit: int) -> None:
    expected = _brute_splits(sizes, days, limit)
    found = least_splits(sizes, limit)[min(days, sum(sizes))]
    if expected is None:
        assert days * limit < sum(sizes)
    else:
        assert found == expected


def test_a_commissions_bound_never_passes_its_optimum() -> None:
    problem = generate_attestation(seed=4, commissions=8, defences=160, weeks=1)
    singles = [part for part in parts_of(problem) if len(part.commissions) == 1]
    assert singles
    raised = 0
    for part in singles:
        exact = build_model(sub_problem(problem, part, {}), Scenario())
        run = solve_model(exact.model, exact.decision_variables(), time_limit=60, workers=2, seed=0)
        if run.proven_infeasible:  # the small generated case leaves some commission too few days
            continue
        assert run.proven_optimal and run.objective is not None
        assert static_bound(problem, part, Scenario()) <= round(run.objective)
        finish = finish_weight(Scenario(), problem) * finish_bound(problem, part)
        raised += commission_bound(problem, part, Scenario()) > finish
    assert raised  # splits and panels add to what the finish alone says
