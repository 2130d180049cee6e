"""Solve a lesson timetable: start feasible, improve by LNS, check, report."""

from __future__ import annotations

import resource
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import constraints.lessons as lesson_rules
from models import (
    Evaluation,
    LessonProblem,
    LessonScoring,
    LessonSolution,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from solver.engine import Clock, ProgressListener, complete_hint, model_size, solve_model
from solver.late_acceptance import LocalBursts
from solver.lessons.initial import first_timetable
from solver.lessons.local_search import LessonLocalSearch
from solver.lessons.model import LessonCpModel
from solver.lessons.neighbourhoods import LessonKind, LessonNeighbourhoods
from solver.lns import LnsSettings, StepResult, run_lns


@dataclass
class LessonOutcome:
    solution: LessonSolution | None
    evaluation: Evaluation | None
    report: SolveReport


class LessonSearch:
    """The lesson timetable as an LNS subject: re-decide a set of meetings exactly with CP-SAT."""

    def __init__(self, problem: LessonProblem, scenario: Scenario, workers: int) -> None:
        self.problem = problem
        self.scenario = scenario
        self.units: list[ModuleType] = [
            unit
            for unit in lesson_rules.units_for(problem)
            if unit.HARD or unit.NAME not in scenario.disabled
        ]
        self.weights = {unit.NAME: scenario.weight_of(unit.NAME, unit.weight(problem)) for unit in self.units}
        self.pins = {m: (pin.period, pin.room) for m, pin in scenario.pins.items()}
        self.workers = workers
        self.local = (
            LessonLocalSearch(problem, self.weights, frozenset(self.pins))
            if problem.scoring is LessonScoring.UD2
            else None
        )
        self.bursts = LocalBursts(self.local, self.score, self.local.rng.seed) if self.local else None
        self._kinds = LessonNeighbourhoods(problem, frozenset(self.pins)).kinds(self.local is not None)
        self._local_kinds = {kind.name for kind in self._kinds if kind.local}
        self._rooms_only = {kind.name for kind in self._kinds if kind.rooms_only}
        self.largest_model = (0, 0)

    def neighbourhoods(self) -> list[LessonKind]:
        return self._kinds

    def item_count(self) -> int:
        return len(self.problem.meetings) - len(self.pins)

    def reoptimise(
        self,
        current: LessonSolution,
        cost: int,
        free: frozenset[int],
        kind: str,
        time_limit: float,
        seed: int,
    ) -> StepResult[LessonSolution]:
        if kind in self._local_kinds:
            assert self.bursts is not None
            return self.bursts.step(current, cost, time_limit, seed)
        pins = self.pins
        if kind in self._rooms_only:
            pins = {
                **pins,
                **{
                    m: (start, None)
                    for m in free
                    if m not in pins and (start := current.starts[m]) is not None
                },
            }
        exact = LessonCpModel(self.problem, free, current, pins)
        exact.post(self.units, self.weights)
        self.largest_model = max(self.largest_model, model_size(exact.model))
        if exact.unplaceable:
            return StepResult(None, None, False)
        exact.hint(current)
        before = complete_hint(exact.model, time_limit, exact_penalties=False)
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
            return StepResult(None, None, False)
        solution = exact.decode(run.values)
        return StepResult(solution, self.score(solution), run.proven_optimal)

    def score(self, solution: LessonSolution) -> int:
        return lesson_rules.evaluate(self.problem, solution, self.scenario).total


def solve_lessons(
    problem: LessonProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LessonOutcome:
    """The whole pipeline for one lesson problem."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = SolveReport(
        problem_name=problem.name, problem_kind="lessons", status=SolveStatus.UNKNOWN, parameters=parameters
    )
    search = LessonSearch(problem, scenario, parameters.workers)

    def notify(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    current = first_timetable(problem, search.pins, parameters.seed, time_budget=clock.remaining() / 2)
    if current is None:
        report.explanation = ["No timetable breaking no hard rule was found in the time given."]
        return _finish(report, clock, None, None)
    evaluation = lesson_rules.evaluate(problem, current, scenario)
    if not evaluation.feasible:
        raise AssertionError(
            "the first timetable breaks hard rules: " + evaluation.violations(hard=True)[0].message
        )
    report.time_to_first_feasible = clock.elapsed()
    notify(ProgressPoint(elapsed=clock.elapsed(), objective=evaluation.total, bound=0, note="first"))
    if parameters.use_lns:
        outcome = run_lns(
            search,
            current,
            evaluation.total,
            clock,
            LnsSettings(seed=parameters.seed),
            notify,
            0,
            should_stop,
        )
        current = outcome.best
        report.lns_steps = outcome.steps
        report.steps_by_kind = {name: vars(use) for name, use in outcome.per_kind.items()}
        report.variables, report.constraints = search.largest_model
        report.time_to_best = outcome.time_to_best
        final = lesson_rules.evaluate(problem, current, scenario)
        if final.total != outcome.cost or not final.feasible:
            raise AssertionError(f"LNS tracked cost {outcome.cost} but the checker says {final.total}")
        evaluation = final
    else:
        report.time_to_best = report.time_to_first_feasible
    report.status = SolveStatus.OPTIMAL if evaluation.total == 0 else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = 0
    return _finish(report, clock, current, evaluation)


def _finish(
    report: SolveReport, clock: Clock, solution: LessonSolution | None, evaluation: Evaluation | None
) -> LessonOutcome:
    report.elapsed = clock.elapsed()
    report.gap = SolveReport.relative_gap(report.objective, report.best_bound)
    report.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return LessonOutcome(solution=solution, evaluation=evaluation, report=report)
