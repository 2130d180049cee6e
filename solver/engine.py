"""The shared CP-SAT engine: parameters, progress listeners and one call that solves a model."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ortools.sat.python import cp_model

from models import ProgressPoint

ProgressListener = Callable[[ProgressPoint], None]


STOP_POLL = 0.2  # seconds between a running CP-SAT solve's checks of the stop signal


class _Latch:
    """A stop signal that stays raised once raised (the question may be a database read)."""

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        self._should_stop = should_stop
        self.raised = False

    def __call__(self) -> bool:
        self.raised = self.raised or self._should_stop()
        return self.raised


_stop_signal: ContextVar[_Latch | None] = ContextVar("stop_signal", default=None)


@contextmanager
def cancellable(should_stop: Callable[[], bool]) -> Iterator[None]:
    """Inside, once `should_stop()` is true, every Clock has no time left and every CP-SAT solve
    stops with the best it has: a solve of many parts winds down at once instead of at its end."""
    token = _stop_signal.set(_Latch(should_stop))
    try:
        yield
    finally:
        _stop_signal.reset(token)


def stopped() -> bool:
    """Whether the enclosing `cancellable` was told to stop."""
    latch = _stop_signal.get()
    return latch is not None and latch()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass
class Clock:
    """Wall-clock time since a solve began, and what is left of its budget."""

    limit: float
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        """Time left of the budget; none once the enclosing `cancellable` is told to stop."""
        return 0.0 if stopped() else max(0.0, self.limit - self.elapsed())


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Forwards each improving CP-SAT solution to the listener, timed on the caller's clock."""

    def __init__(self, clock: Clock, listener: ProgressListener | None, scale: float) -> None:
        super().__init__()
        self._clock = clock
        self._listener = listener
        self._scale = scale
        self.first_solution_at: float | None = None
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = self._clock.elapsed()
        if self.first_solution_at is None:
            self.first_solution_at = elapsed
        if self._listener is not None:
            self._listener(
                ProgressPoint(
                    elapsed=elapsed,
                    objective=self.objective_value / self._scale,
                    bound=self.best_objective_bound / self._scale,
                )
            )


@dataclass
class CpSatRun:
    """What one CP-SAT call returned, without keeping the solver object around."""

    status: int
    objective: float | None
    bound: float | None
    values: dict[int, int]
    wall_time: float
    first_solution_at: float | None

    @property
    def has_solution(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def proven_optimal(self) -> bool:
        return self.status == cp_model.OPTIMAL

    @property
    def proven_infeasible(self) -> bool:
        return self.status == cp_model.INFEASIBLE


def solve_model(
    model: cp_model.CpModel,
    variables: list[cp_model.IntVar],
    *,
    time_limit: float,
    workers: int,
    seed: int,
    clock: Clock | None = None,
    listener: ProgressListener | None = None,
    scale: float = 1.0,
    assumptions: list[cp_model.IntVar] | None = None,
    light_presolve: bool = False,
) -> CpSatRun:
    """Solve `model` and read back the values of `variables` (keyed by variable index).

    `light_presolve` suits many short solves of small models (LNS steps), where full probing
    would take most of the time.
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = False
    if light_presolve:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_presolve_iterations = 1
    if assumptions:
        model.clear_assumptions()
        model.add_assumptions(assumptions)
    callback = _ProgressCallback(clock or Clock(time_limit), listener, scale)
    latch = _stop_signal.get()
    if latch is not None and latch():
        solver.parameters.max_time_in_seconds = 0.01
    done = threading.Event()
    if latch is not None:  # the solve runs in C++: a thread asks the signal and stops it
        threading.Thread(target=_stop_when, args=(latch, solver, done), daemon=True).start()
    try:
        status = solver.solve(model, callback)
    finally:
        done.set()
    values: dict[int, int] = {}
    objective = bound = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = {var.index: int(solver.value(var)) for var in variables}
        if model.has_objective():
            objective = solver.objective_value
            bound = solver.best_objective_bound
    elif model.has_objective() and math.isfinite(solver.best_objective_bound):
        bound = solver.best_objective_bound
    run = CpSatRun(
        status=int(status),
        objective=objective,
        bound=bound,
        values=values,
        wall_time=solver.wall_time,
        first_solution_at=callback.first_solution_at,
    )
    if status == cp_model.INFEASIBLE and assumptions:
        run.values = {index: 1 for index in solver.sufficient_assumptions_for_infeasibility()}
    return run


def _stop_when(latch: _Latch, solver: cp_model.CpSolver, done: threading.Event) -> None:
    while not done.wait(STOP_POLL):
        if latch():
            solver.stop_search()
            return


def model_size(model: cp_model.CpModel) -> tuple[int, int]:
    """Number of variables and constraints of a model, as reported with each solve."""
    proto = model.proto
    return len(proto.variables), len(proto.constraints)


def post_units(
    view: Any, units: Iterable[ModuleType], weights: dict[str, int]
) -> list[tuple[int, cp_model.LinearExprT]]:
    """Add every unit's rule to the view's model and minimise the weighted soft penalties.

    `view` is the problem kind's model view (exams, lessons); returns the weighted terms.
    """
    terms: list[tuple[int, cp_model.LinearExprT]] = []
    for unit in units:
        penalty = unit.post(view)
        weight = weights.get(unit.NAME, 0)
        if not unit.HARD and weight:
            terms.append((weight, penalty))
    view.model.minimize(sum(weight * penalty for weight, penalty in terms))
    return terms


# Time for pricing a fixed solution to check it against the checker: propagation alone (under a
# second for 1,200 hearings), so a floor that a cancelled run on a loaded machine still finishes in.
PRICING_SECONDS = 30.0


def add_hints(model: cp_model.CpModel, variables: Iterable[int], values: Iterable[int]) -> None:
    """Hint the variables (proto indices, not negated) at the values, in bulk: one `add_hint` a
    variable took seconds on a semester's model."""
    hint = model.proto.solution_hint
    hint.vars.extend(variables)
    hint.values.extend(values)


def complete_hint(
    model: cp_model.CpModel, time_limit: float = 5.0, exact_penalties: bool = True
) -> float | None:
    """Solve with the decisions fixed at their hints, then hint every variable from that.

    The hints must fix every decision; returns the objective of that assignment (None if it is
    infeasible). A complete hint lets CP-SAT start from the current solution at once instead of
    searching for it. `exact_penalties` says every penalty variable is tied to the decisions both
    ways, so the first solution prices them; otherwise the fixed model is solved to optimality, and
    when that is not proven in time the hints are completed but no price is returned (an objective
    above the least is not the decisions' price: a joint load-and-lessons pair was once priced 35
    above what the checkers said).
    """
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    # Exact penalties follow by propagation. Penalties bounded from below only are settled at once by
    # presolve (a faculty's week with a department's load: 0.8 s against 3.0 s without).
    solver.parameters.cp_model_presolve = not exact_penalties
    solver.parameters.stop_after_first_solution = exact_penalties
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = list(solver.response_proto.solution)
    model.clear_hints()
    add_hints(model, range(len(values)), values)
    if not exact_penalties and status != cp_model.OPTIMAL:
        return None
    return solver.objective_value
