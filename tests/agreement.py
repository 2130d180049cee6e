"""How the tests hold CP-SAT posts to their checkers, for every problem kind: each unit alone, the
whole model, and a partial model pricing a change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

# (problem, units, weights, fixed_to, free, current) -> the model's objective, None when infeasible
FixedObjective = Callable[..., float | None]
UnitsFor = Callable[[Any], Sequence[ModuleType]]
Evaluate = Callable[[Any, Any], Any]


def weights_of(units: Sequence[ModuleType], problem: Any) -> dict[str, int]:
    return {unit.NAME: unit.weight(problem) for unit in units}


def units_alone(
    cases: Iterable[tuple[int, Any, Any]], units_for: UnitsFor, fixed_objective: FixedObjective
) -> tuple[int, Counter[str]]:
    """Each unit posted alone prices a timetable as its checker counts it; a hard one refuses
    exactly the timetables it finds fault with. Returns the comparisons and, per unit, the
    timetables it found fault with."""
    compared = 0
    faulted: Counter[str] = Counter()
    for seed, problem, solution in cases:
        for unit in units_for(problem):
            counted = sum(v.cost for v in unit.count(problem, solution))
            objective = fixed_objective(problem, [unit], {unit.NAME: 1}, solution)
            if unit.HARD:
                assert (objective is not None) == (counted == 0), (seed, unit.NAME)
            else:
                assert objective == counted, (seed, unit.NAME)
            compared += 1
            faulted[unit.NAME] += counted > 0
    return compared, faulted


def whole_models(
    cases: Iterable[tuple[int, Any, Any]],
    units_for: UnitsFor,
    evaluate: Evaluate,
    fixed_objective: FixedObjective,
) -> tuple[int, int, Counter[str]]:
    """The whole model's objective is the checker's total, and it refuses infeasible timetables.
    Returns the timetables compared, those refused, and per soft criterion the ones it priced."""
    compared, refused = 0, 0
    priced: Counter[str] = Counter()
    for seed, problem, solution in cases:
        evaluation = evaluate(problem, solution)
        units = units_for(problem)
        objective = fixed_objective(problem, units, weights_of(units, problem), solution)
        if evaluation.feasible:
            assert objective == evaluation.total, seed
            compared += 1
            priced.update(score.name for score in evaluation.scores if not score.hard and score.penalty)
        else:
            assert objective is None, seed
            refused += 1
    return compared, refused, priced


def price_change(
    seed: int,
    problem: Any,
    before: Any,
    after: Any,
    free: set[int],
    units_for: UnitsFor,
    evaluate: Evaluate,
    fixed_objective: FixedObjective,
    broken: Callable[[Any], bool] = lambda evaluation: not evaluation.feasible,
) -> list[str] | None:
    """A partial model (the `free` items re-decided, the others fixed as in `before`) prices the
    move to `after` as the checker does, or refuses it when `after` is `broken`. Returns the soft
    criteria whose cost changed, None when the move was refused."""
    units = units_for(problem)
    weights = weights_of(units, problem)
    old = fixed_objective(problem, units, weights, before, free, before)
    new = fixed_objective(problem, units, weights, after, free, before)
    assert old is not None, seed
    first, second = evaluate(problem, before), evaluate(problem, after)
    if broken(second):
        assert new is None, seed
        return None
    assert new is not None, seed
    assert new - old == second.total - first.total, seed
    return [a.name for a, b in zip(first.scores, second.scores, strict=True) if a.penalty != b.penalty]
