"""Solve an exam timetable: explain, start feasible, improve by LNS, check, report."""

from __future__ import annotations

import resource
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from ortools.sat.python import cp_model

import constraints.exams as exam_rules
from models import (
    Evaluation,
    ExamProblem,
    ExamSolution,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from solver.engine import Clock, ProgressListener, model_size, solve_model
from solver.exams.explain import explain_infeasibility
from solver.exams.initial import initial_timetable
from solver.exams.model import ConflictIndex, ExamCpModel
from solver.exams.neighbourhoods import ExamNeighbourhoods
from solver.lns import LnsSettings, StepResult, run_lns

FULL_MODEL_PLACEMENTS = 3_000  # above this (or the pair limit) the exact model is left to LNS
FULL_MODEL_PAIRS = 1_500  # exam pairs sharing students; each costs a few variables when free


@dataclass
class ExamOutcome:
    solution: ExamSolution | None
    evaluation: Evaluation | None
    report: SolveReport


class ExamSearch:
    """The exam timetable as an LNS subject: re-decide a set of exams exactly with CP-SAT."""

    def __init__(self, problem: ExamProblem, scenario: Scenario, workers: int) -> None:
        self.problem = problem
        self.conflicts = ConflictIndex(problem)
        self.units: list[ModuleType] = [
            unit for unit in exam_rules.units_for(problem)
            if unit.HARD or unit.NAME not in scenario.disabled
        ]
        self.weights = {unit.NAME: scenario.weight_of(unit.NAME, unit.weight(problem)) for unit in self.units}
        self.pins = scenario.pins
        self.pinned = frozenset(scenario.pins)
        self.workers = workers
        self._neighbourhoods = ExamNeighbourhoods(problem, self.conflicts, self.pinned).kinds()

    def neighbourhoods(self) -> list:  # type: ignore[type-arg]
        return self._neighbourhoods

    def item_count(self) -> int:
        return len(self.problem.exams) - len(self.pinned)

    def build(self, free: frozenset[int] | set[int], current: ExamSolution | None) -> ExamCpModel:
        exact = ExamCpModel(self.problem, self.conflicts, free, current, self.pins)
        exact.post(self.units, self.weights)
        return exact

    def reoptimise(
        self, current: ExamSolution, cost: int, free: frozenset[int], time_limit: float, seed: int
    ) -> StepResult[ExamSolution]:
        """Best placement of the free exams with all others where they are."""
        exact = self.build(free, current)
        if exact.unplaceable:
            return StepResult(None, None, False)
        variables = exact.decision_variables()
        _hint(exact, current)
        before = _hinted_objective(exact, variables)
        if before is None:
            return StepResult(None, None, False)
        run = solve_model(exact.model, variables, time_limit=time_limit, workers=self.workers, seed=seed)
        if not run.has_solution or run.objective is None:
            return StepResult(None, None, False)
        change = int(round(run.objective - before))
        return StepResult(exact.decode(run.values), cost + change, run.proven_optimal)


def _hint(exact: ExamCpModel, current: ExamSolution) -> None:
    for exam in exact.free_exams():
        if exact.problem.uses_rooms:
            place = (current.periods[exam], current.rooms[exam])
            for key, literal in exact.placement_literals(exam).items():
                exact.model.AddHint(literal, key == place)
        else:
            for period, literal in exact.period_literals(exam).items():
                exact.model.AddHint(literal, period == current.periods[exam])


def _hinted_objective(exact: ExamCpModel, variables: list[cp_model.IntVar]) -> float | None:
    """The objective of the current placement of the free exams (the hint), solved fixed."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5.0
    status = solver.Solve(exact.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver.ObjectiveValue()


def lower_bound(problem: ExamProblem, weights: dict[str, int]) -> int:
    """Penalties no timetable avoids: each exam's cheapest allowed period and fitting room."""
    if not problem.uses_rooms:
        return 0
    bound = 0
    for exam in problem.exams:
        allowed = [p.penalty for p in problem.periods if p.duration >= exam.duration]
        fitting = [r.penalty for r in problem.rooms if r.capacity >= exam.size]
        if allowed:
            bound += weights.get("period penalty", 0) * min(allowed)
        if fitting:
            bound += weights.get("room penalty", 0) * min(fitting)
    return bound


def solve_exams(
    problem: ExamProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    warm_start: ExamSolution | None = None,
    listener: ProgressListener | None = None,
    should_stop: Callable[[], bool] | None = None,
    strategy: str = "auto",
) -> ExamOutcome:
    """The whole pipeline for one exam problem; `strategy` is auto, full (one exact model) or lns."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = SolveReport(
        problem_name=problem.name, problem_kind="exams", status=SolveStatus.UNKNOWN, parameters=parameters
    )
    reasons = explain_infeasibility(problem, scenario)
    if reasons:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = reasons
        return _finish(report, clock, None, None)
    search = ExamSearch(problem, scenario, parameters.workers)
    notify = _recorder(report, listener)
    bound = lower_bound(problem, search.weights)

    placements = len(problem.exams) * len(problem.periods) * max(1, len(problem.rooms))
    small = placements <= FULL_MODEL_PLACEMENTS and len(problem.common_students) <= FULL_MODEL_PAIRS
    if strategy == "full" or (strategy == "auto" and small):
        return _solve_full(problem, search, parameters, clock, report, warm_start, notify, scenario)

    current = warm_start
    if current is None:
        start = initial_timetable(
            problem, search.conflicts, scenario.pins, clock, parameters.workers, parameters.seed, should_stop
        )
        report.variables, report.constraints = start.variables, start.constraints
        if start.solution is None:
            if start.proven_infeasible:
                report.status = SolveStatus.INFEASIBLE
                report.explanation = [
                    "No assignment of exams to periods avoids every student conflict and period "
                    "constraint while leaving room for the exams (proved by CP-SAT on the period model)."
                ]
            return _finish(report, clock, None, None)
        current = start.solution
    evaluation = exam_rules.evaluate(problem, current, scenario)
    if not evaluation.feasible:
        raise ValueError("the starting timetable breaks hard rules: " + _first_violation(evaluation))
    report.time_to_first_feasible = clock.elapsed()
    notify(ProgressPoint(elapsed=clock.elapsed(), objective=evaluation.total, bound=bound, note="first"))
    if parameters.use_lns:
        outcome = run_lns(
            search,
            current,
            evaluation.total,
            clock,
            LnsSettings(seed=parameters.seed),
            notify,
            bound=bound,
            should_stop=should_stop,
        )
        current = outcome.best
        report.lns_steps = outcome.steps
        report.time_to_best = outcome.time_to_best
        final = exam_rules.evaluate(problem, current, scenario)
        if final.total != outcome.cost or not final.feasible:
            raise AssertionError(
                f"LNS tracked cost {outcome.cost} but the checker says {final.total}"
            )
        evaluation = final
    else:
        report.time_to_best = report.time_to_first_feasible
    report.status = SolveStatus.OPTIMAL if evaluation.total <= bound else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = bound
    return _finish(report, clock, current, evaluation)


def _solve_full(
    problem: ExamProblem,
    search: ExamSearch,
    parameters: SolveParameters,
    clock: Clock,
    report: SolveReport,
    warm_start: ExamSolution | None,
    notify: ProgressListener,
    scenario: Scenario,
) -> ExamOutcome:
    """One exact CP-SAT model of the whole problem: a proven bound, and optimality when small."""
    exact = search.build({e.index for e in problem.exams}, None)
    report.variables, report.constraints = model_size(exact.model)
    if warm_start is not None:
        _hint(exact, warm_start)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=clock.remaining(),
        workers=parameters.workers, seed=parameters.seed, clock=clock, listener=notify,
    )
    if not run.has_solution:
        if run.proven_infeasible:
            report.status = SolveStatus.INFEASIBLE
            report.explanation = [
                "No timetable satisfies every hard rule: CP-SAT proved the exact model infeasible."
            ]
        return _finish(report, clock, None, None)
    solution = exact.decode(run.values)
    evaluation = exam_rules.evaluate(problem, solution, scenario)
    if evaluation.total != int(round(run.objective or 0)) or not evaluation.feasible:
        raise AssertionError(f"CP-SAT objective {run.objective} but the checker says {evaluation.total}")
    report.status = SolveStatus.OPTIMAL if run.proven_optimal else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = int(round(run.bound or 0))
    report.time_to_first_feasible = run.first_solution_at
    report.time_to_best = report.progress[-1].elapsed if report.progress else run.wall_time
    return _finish(report, clock, solution, evaluation)


def _recorder(report: SolveReport, listener: ProgressListener | None) -> ProgressListener:
    def record(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    return record


def _first_violation(evaluation: Evaluation) -> str:
    violations = evaluation.violations(hard=True)
    return violations[0].message if violations else "unknown"


def _finish(
    report: SolveReport, clock: Clock, solution: ExamSolution | None, evaluation: Evaluation | None
) -> ExamOutcome:
    report.elapsed = clock.elapsed()
    report.gap = SolveReport.relative_gap(report.objective, report.best_bound)
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return ExamOutcome(solution=solution, evaluation=evaluation, report=report)
