"""Solve an exam timetable: explain, start feasible, improve by LNS, check, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import constraints.exams as exam_rules
from models import (
    Evaluation,
    ExamProblem,
    ExamSolution,
    Pin,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from solver.engine import Clock, ProgressListener, complete_hint, model_size, solve_model
from solver.exams.explain import explain_infeasibility
from solver.exams.initial import initial_timetable
from solver.exams.local_search import ExamLocalSearch
from solver.exams.model import ConflictIndex, ExamCpModel
from solver.exams.neighbourhoods import ExamNeighbourhoods
from solver.exams.rooms import seat_moved_exams
from solver.late_acceptance import LocalBursts
from solver.lns import LnsSettings, StepResult, run_lns
from solver.reports import close_report, open_report

# Above these sizes one exact model of everything stalls; the LNS takes over.
FULL_MODEL_PLACEMENTS = 3_000  # exam x period x room decisions
FULL_MODEL_PAIR_PERIODS = 6_000  # exam pairs sharing students x periods (each pair needs a window each)


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
            unit for unit in exam_rules.units_for(problem) if unit.HARD or unit.NAME not in scenario.disabled
        ]
        self.weights = {unit.NAME: scenario.weight_of(unit.NAME, unit.weight(problem)) for unit in self.units}
        self.pins = scenario.pins
        self.pinned = frozenset(scenario.pins)
        self.workers = workers
        self._neighbourhoods = ExamNeighbourhoods(problem, self.conflicts, self.pinned).kinds()
        self.modes = {kind.name: kind.mode for kind in self._neighbourhoods}
        self.largest_model = (0, 0)  # variables and constraints of the largest step model
        self.scenario = scenario
        self.local = ExamLocalSearch(problem, self.conflicts, self.weights, self.pins)
        self.bursts = LocalBursts(self.local, self.score, self.local.rng.seed)

    def neighbourhoods(self) -> list:  # type: ignore[type-arg]
        return self._neighbourhoods

    def item_count(self) -> int:
        return len(self.problem.exams) - len(self.pinned)

    def build(
        self,
        free: frozenset[int] | set[int],
        current: ExamSolution | None,
        pins: dict[int, Pin] | None = None,
        decide_rooms: bool = True,
    ) -> ExamCpModel:
        exact = ExamCpModel(
            self.problem,
            self.conflicts,
            free,
            current,
            self.pins if pins is None else pins,
            decide_rooms,
        )
        exact.post(self.units, self.weights)
        return exact

    def reoptimise(
        self,
        current: ExamSolution,
        cost: int,
        free: frozenset[int],
        kind: str,
        time_limit: float,
        seed: int,
    ) -> StepResult[ExamSolution]:
        """Best re-decision of the free exams with all others where they are."""
        mode = self.modes[kind]
        if mode == "local":
            return self.bursts.step(current, cost, time_limit, seed)
        pins = self.pins
        if mode == "rooms":
            pins = {
                **self.pins,
                **{e: Pin(period=current.periods[e]) for e in free if e not in self.pins},
            }
        exact = self.build(free, current, pins, decide_rooms=mode != "periods")
        self.largest_model = max(self.largest_model, model_size(exact.model))
        if exact.unplaceable:
            return StepResult(None, None, False)
        _hint(exact, current)
        before = complete_hint(exact.model, time_limit)
        if before is None:
            return StepResult(None, None, False)
        run = solve_model(
            exact.model,
            exact.decision_variables(),
            time_limit=time_limit,
            workers=self.workers,
            seed=seed,
            light_presolve=True,
        )
        if not run.has_solution or run.objective is None:
            return StepResult(None, None, False)
        if run.objective >= before and not run.proven_optimal:
            return StepResult(None, None, False)  # nothing better found in time
        solution = exact.decode(run.values)
        if mode == "periods":
            seated = seat_moved_exams(self.problem, current, solution, free, self.pins, self.weights, seed)
            if seated is None:
                return StepResult(None, None, run.proven_optimal)
            solution = seated
        # the checker, not the model, says what the new timetable costs
        return StepResult(solution, self.score(solution), run.proven_optimal)

    def score(self, solution: ExamSolution) -> int:
        """The checker's soft total (the timetable is feasible by construction)."""
        return exam_rules.evaluate(self.problem, solution, self.scenario).total


def _hint(exact: ExamCpModel, current: ExamSolution) -> None:
    for exam in exact.free_exams():
        if exact.problem.uses_rooms:
            place = (current.periods[exam], current.rooms[exam])
            for key, literal in exact.placement_literals(exam).items():
                exact.model.add_hint(literal, key == place)
        else:
            for period, literal in exact.period_literals(exam).items():
                exact.model.add_hint(literal, period == current.periods[exam])


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
    report = open_report(problem.name, "exams", parameters)
    reasons = explain_infeasibility(problem, scenario)
    if reasons:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = reasons
        return _finish(report, clock, None, None)
    search = ExamSearch(problem, scenario, parameters.workers)
    notify = _recorder(report, listener)
    bound = lower_bound(problem, search.weights)

    placements = len(problem.exams) * len(problem.periods) * max(1, len(problem.rooms))
    pair_periods = len(problem.common_students) * len(problem.periods)
    small = placements <= FULL_MODEL_PLACEMENTS and pair_periods <= FULL_MODEL_PAIR_PERIODS
    if strategy == "full" or (strategy == "auto" and small):
        return _solve_full(problem, search, parameters, clock, report, warm_start, notify, scenario)

    current = warm_start
    if current is None:
        start = initial_timetable(
            problem,
            search.conflicts,
            scenario.pins,
            clock,
            parameters.workers,
            parameters.seed,
            should_stop,
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
    checking = clock.elapsed()
    evaluation = exam_rules.evaluate(problem, current, scenario)
    checking = clock.elapsed() - checking  # the search keeps time for a check as long
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
            check_time=checking,
        )
        current = outcome.best
        report.lns_steps = outcome.steps
        report.steps_by_kind = {name: vars(use) for name, use in outcome.per_kind.items()}
        if search.largest_model > (report.variables, report.constraints):
            report.variables, report.constraints = search.largest_model
        report.time_to_best = outcome.time_to_best
        final = exam_rules.evaluate(problem, current, scenario)
        if final.total != outcome.cost or not final.feasible:
            raise AssertionError(f"LNS tracked cost {outcome.cost} but the checker says {final.total}")
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
        exact.model,
        exact.decision_variables(),
        time_limit=clock.remaining(),
        workers=parameters.workers,
        seed=parameters.seed,
        clock=clock,
        listener=notify,
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
    close_report(report, clock)
    return ExamOutcome(solution=solution, evaluation=evaluation, report=report)
