"""Solve a teaching load: explain what cannot work, then per independent part, first the largest
deviation and then everything else with it held, each from a greedy plan; check and report.

The order is the registrar's: the largest gap between a teacher's load and target first, then the
weighted rest. The reported objective is the checker's weighted total; the bound is proven for
that order (exact for the weighted sum whenever the largest deviation is proven optimal and no
hour of it is worth trading for the rest).
"""

from __future__ import annotations

import resource
from dataclasses import dataclass

import constraints.load as load_rules
from models import Evaluation, ProgressPoint, Scenario, SolveParameters, SolveReport, SolveStatus
from models.load import LoadProblem, LoadSolution
from solver.engine import Clock, ProgressListener, complete_hint, model_size, solve_model
from solver.load.components import Part, join_solutions, split
from solver.load.explain import explain_infeasibility, name_culprits
from solver.load.greedy import greedy_load
from solver.load.model import LoadCpModel

LARGEST = load_rules.largest_deviation.NAME
FIRST_PHASE_SHARE = 0.3  # of the time, for the largest deviation
FEASIBILITY_SECONDS = 60.0  # a part's search for any distribution when its share ran out


@dataclass
class LoadOutcome:
    solution: LoadSolution | None
    evaluation: Evaluation | None
    report: SolveReport


@dataclass
class _Phase:
    solution: LoadSolution | None
    objective: int
    bound: int
    optimal: bool
    model: LoadCpModel
    infeasible: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return model_size(self.model.model)


def solve_load(
    problem: LoadProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
) -> LoadOutcome:
    """The whole pipeline for one load problem; the reported objective is the checker's total."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = SolveReport(
        problem_name=problem.name, problem_kind="load", status=SolveStatus.UNKNOWN, parameters=parameters
    )

    def record(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    reasons = explain_infeasibility(problem)
    if reasons:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = reasons
        return _finish(report, clock, None, None)
    weights = load_rules.weights_for(problem, scenario)
    greedy = greedy_load(problem)
    if load_rules.evaluate(problem, greedy, scenario).feasible:
        report.time_to_first_feasible = clock.elapsed()
        total = load_rules.evaluate(problem, greedy, scenario).total
        record(ProgressPoint(elapsed=clock.elapsed(), objective=total, bound=0, note="greedy"))
    parts = split(problem)
    sizes = [len(p.problem.candidates) + sum(map(len, p.problem.candidates)) for p in parts]
    largest_weight = weights[LARGEST]
    # Phase 1: the smallest largest deviation of each part.
    firsts: list[_Phase] = []
    budget = clock.remaining() * (FIRST_PHASE_SHARE if largest_weight else 0.0)
    for position, part in enumerate(parts):
        share = budget * sizes[position] / sum(sizes[position:]) if largest_weight else 0.0
        first = _solve_part(part, {LARGEST: 1} if largest_weight else {}, None, share, parameters)
        budget -= share
        if first.solution is None:
            return _no_distribution(report, clock, problem, scenario, parameters, first.infeasible)
        firsts.append(first)
    if report.time_to_first_feasible is None:
        report.time_to_first_feasible = clock.elapsed()
    largest = max((first.objective for first in firsts), default=0)
    largest_bound = max((first.bound for first in firsts), default=0)
    start = join_solutions(problem, parts, [first.solution for first in firsts if first.solution])
    record(
        ProgressPoint(
            elapsed=clock.elapsed(),
            objective=load_rules.evaluate(problem, start, scenario).total,
            bound=largest_weight * largest_bound,
            note="largest deviation",
        )
    )
    # Phase 2: everything else, the largest deviation held.
    rest = {name: weight for name, weight in weights.items() if name != LARGEST}
    seconds: list[_Phase] = []
    variables = constraints = 0
    for position, (part, first) in enumerate(zip(parts, firsts, strict=True)):
        share = clock.remaining() * sizes[position] / sum(sizes[position:])
        second = _solve_part(
            part, rest, largest if largest_weight else None, share, parameters, first.solution
        )
        seconds.append(second)
        variables, constraints = max((variables, constraints), second.size)
    finals = [_chosen(second, first) for second, first in zip(seconds, firsts, strict=True)]
    solution = join_solutions(problem, parts, finals)
    evaluation = load_rules.evaluate(problem, solution, scenario)
    # Each part's largest deviation as its first-phase model prices the final distribution.
    held = max(
        (_price(first.model, final) or 0 for first, final in zip(firsts, finals, strict=True)), default=0
    )
    priced = largest_weight * held + sum(second.objective for second in seconds)
    if priced != evaluation.total or not evaluation.feasible:
        raise AssertionError(
            f"CP-SAT prices the distribution at {priced} but the checker says {evaluation.total}"
        )
    report.variables, report.constraints = variables, constraints
    optimal = all(f.optimal for f in firsts) and all(s.optimal for s in seconds)
    report.status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = largest_weight * largest_bound + sum(second.bound for second in seconds)
    report.time_to_best = clock.elapsed()
    record(
        ProgressPoint(
            elapsed=clock.elapsed(), objective=evaluation.total, bound=report.best_bound, note="best"
        )
    )
    return _finish(report, clock, solution, evaluation)


def _solve_part(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    time_limit: float,
    parameters: SolveParameters,
    start: LoadSolution | None = None,
) -> _Phase:
    """One phase on one part: the hard rules and the weighted criteria, from `start` or a greedy plan."""
    exact = LoadCpModel(part.problem)
    exact.post(load_rules.units_for(part.problem), weights)
    if cap is not None:
        exact.cap_deviation(cap)
    start = start or greedy_load(part.problem)
    exact.hint(start)
    complete_hint(exact.model, max(1.0, time_limit), exact_penalties=False)
    run = solve_model(
        exact.model,
        exact.decision_variables(),
        time_limit=max(0.05, time_limit),
        workers=parameters.workers,
        seed=parameters.seed,
    )
    bound = round(run.bound) if run.bound is not None else 0
    solution = exact.decode(run.values) if run.has_solution else None
    if solution is None and cap is not None:
        solution = start  # the first phase's distribution keeps the cap
    if solution is None and not run.proven_infeasible:
        found, impossible = _feasible(part.problem, start, parameters)
        if found is None:
            return _Phase(None, 0, bound, False, exact, impossible)
        solution = found
    if solution is None:
        return _Phase(None, 0, bound, False, exact, run.proven_infeasible)
    objective = _price(exact, solution)
    if objective is None:
        raise AssertionError("CP-SAT refuses a distribution it found")
    return _Phase(solution, objective, min(bound, objective), run.proven_optimal, exact)


def _chosen(second: _Phase, first: _Phase) -> LoadSolution:
    chosen = second.solution or first.solution
    if chosen is None:
        raise ValueError("a part has no distribution after its first phase")
    return chosen


def _feasible(
    problem: LoadProblem, start: LoadSolution, parameters: SolveParameters
) -> tuple[LoadSolution | None, bool]:
    """Any distribution keeping the hard rules, searched from `start` (the hard rules alone are quick);
    True when CP-SAT proved there is none."""
    feasible = LoadCpModel(problem)
    feasible.post(load_rules.HARD_UNITS, {})
    feasible.hint(start)
    run = solve_model(
        feasible.model,
        feasible.decision_variables(),
        time_limit=FEASIBILITY_SECONDS,
        workers=parameters.workers,
        seed=parameters.seed,
    )
    return (feasible.decode(run.values) if run.has_solution else None), run.proven_infeasible


def _price(exact: LoadCpModel, solution: LoadSolution) -> int | None:
    """The model's objective with the decisions fixed to `solution`.

    Penalty variables are bounded from below only (which keeps CP-SAT's bound good), so a solution
    CP-SAT reports may carry slack; with the decisions fixed, the least objective is the exact price.
    """
    exact.model.clear_hints()
    exact.hint(solution)
    priced = complete_hint(exact.model, 30.0, exact_penalties=False)
    return None if priced is None else round(priced)


def _no_distribution(
    report: SolveReport,
    clock: Clock,
    problem: LoadProblem,
    scenario: Scenario,
    parameters: SolveParameters,
    proven: bool,
) -> LoadOutcome:
    if proven:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = name_culprits(problem, scenario, max(5.0, clock.remaining()), parameters.workers)
    return _finish(report, clock, None, None)


def _finish(
    report: SolveReport, clock: Clock, solution: LoadSolution | None, evaluation: Evaluation | None
) -> LoadOutcome:
    report.elapsed = clock.elapsed()
    report.gap = SolveReport.relative_gap(report.objective, report.best_bound)
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return LoadOutcome(solution=solution, evaluation=evaluation, report=report)
