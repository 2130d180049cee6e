"""Place master classes: explain what cannot be placed, solve one exact model, check, report."""

from __future__ import annotations

from dataclasses import dataclass

import constraints.masterclasses as rules
from models import (
    Evaluation,
    MasterClassProblem,
    MasterClassSolution,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from solver.engine import Clock, ProgressListener, model_size, solve_model
from solver.masterclasses.model import MasterClassCpModel
from solver.reports import close_report, recorder


@dataclass
class MasterClassOutcome:
    solution: MasterClassSolution | None
    evaluation: Evaluation | None
    report: SolveReport


def unplaceable(problem: MasterClassProblem, exact: MasterClassCpModel) -> list[str]:
    """Events with no start and hall at all, and why."""
    reasons = []
    for event in problem.classes:
        if exact.options(event.index):
            continue
        halls = [problem.halls[h] for h in problem.allowed_halls(event.index)]
        big = [h for h in halls if h.capacity >= event.needed_seats]
        if not big:
            reasons.append(f"{event.name} needs {event.needed_seats} seats; no hall it may use has that many")
        else:
            reasons.append(
                f"{event.name}: every hall with {event.needed_seats} seats has lessons at each start "
                f"the guest can make ({len(event.starts)} starts)"
            )
    return reasons


def solve_masterclasses(
    problem: MasterClassProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
) -> MasterClassOutcome:
    """The whole pipeline; the checker's total must equal CP-SAT's objective."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = SolveReport(
        problem_name=problem.name,
        problem_kind="masterclasses",
        status=SolveStatus.UNKNOWN,
        parameters=parameters,
    )
    units = [unit for unit in rules.units_for(problem) if unit.HARD or unit.NAME not in scenario.disabled]
    exact = MasterClassCpModel(problem)
    exact.post(units, {unit.NAME: scenario.weight_of(unit.NAME, unit.weight(problem)) for unit in units})
    report.variables, report.constraints = model_size(exact.model)
    reasons = unplaceable(problem, exact)
    if reasons:
        report.status, report.explanation = SolveStatus.INFEASIBLE, reasons
        return _finish(report, clock, None, None)
    record = recorder(report, listener)
    run = solve_model(
        exact.model,
        exact.decision_variables(),
        time_limit=clock.remaining(),
        workers=parameters.workers,
        seed=parameters.seed,
        clock=clock,
        listener=record,
    )
    if not run.has_solution:
        if run.proven_infeasible:
            report.status = SolveStatus.INFEASIBLE
            report.explanation = [
                "The master classes cannot all be held in distinct halls at the times allowed."
            ]
        return _finish(report, clock, None, None)
    solution = exact.decode(run.values)
    evaluation = rules.evaluate(problem, solution, scenario)
    if evaluation.total != int(round(run.objective or 0)) or not evaluation.feasible:
        raise AssertionError(f"CP-SAT objective {run.objective} but the checker says {evaluation.total}")
    report.status = SolveStatus.OPTIMAL if run.proven_optimal else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = int(-(-(run.bound or 0) // 1))
    report.time_to_first_feasible = run.first_solution_at
    report.time_to_best = report.progress[-1].elapsed if report.progress else run.wall_time
    return _finish(report, clock, solution, evaluation)


def _finish(
    report: SolveReport, clock: Clock, solution: MasterClassSolution | None, evaluation: Evaluation | None
) -> MasterClassOutcome:
    return MasterClassOutcome(solution=solution, evaluation=evaluation, report=close_report(report, clock))
