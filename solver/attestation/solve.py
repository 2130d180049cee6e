"""Solve an attestation: explain what cannot fit, build one exact model, solve, check, report."""

from __future__ import annotations

from dataclasses import dataclass

import constraints.attestation as sac_rules
from models import (
    AttestationProblem,
    AttestationSolution,
    Evaluation,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from solver.attestation.decompose import solve_by_parts
from solver.attestation.explain import capacity_shortfalls, unplaceable_hearings
from solver.attestation.greedy import greedy_attestation
from solver.attestation.model import AttestationCpModel
from solver.engine import PRICING_SECONDS, Clock, ProgressListener, complete_hint, model_size, solve_model
from solver.reports import close_report, open_report, recorder

WHOLE_MODEL_SECONDS = 3.0  # kept back to build the whole model and price the timetable in it
DECOMPOSITION_SHARE = 0.97  # of the time limit, for the commission-by-commission start and the bound


@dataclass
class AttestationOutcome:
    solution: AttestationSolution | None
    evaluation: Evaluation | None
    report: SolveReport


def build_model(problem: AttestationProblem, scenario: Scenario) -> AttestationCpModel:
    """The exact model of every rule the scenario keeps, with its weights."""
    units = [unit for unit in sac_rules.units_for(problem) if unit.HARD or unit.NAME not in scenario.disabled]
    weights = sac_rules.weights_for(problem, scenario)
    exact = AttestationCpModel(problem)
    exact.post(units, weights)
    return exact


def solve_attestation(
    problem: AttestationProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
) -> AttestationOutcome:
    """The whole pipeline for one attestation; the checker's total must equal CP-SAT's objective."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = open_report(problem.name, "attestation", parameters)
    reasons = capacity_shortfalls(problem)
    if reasons:
        report.status = SolveStatus.INFEASIBLE
        report.explanation = reasons
        return _finish(report, clock, None, None)
    record = recorder(report, listener)
    best = greedy_attestation(problem)
    best_total = _priced(problem, best, scenario)
    if best_total is not None:
        report.time_to_first_feasible = report.time_to_best = clock.elapsed()
        record(ProgressPoint(elapsed=clock.elapsed(), objective=best_total, bound=0, note="greedy"))
    decomposition = solve_by_parts(
        problem,
        scenario,
        clock,
        max(0.0, DECOMPOSITION_SHARE * clock.remaining() - WHOLE_MODEL_SECONDS),
        parameters.workers,
        parameters.seed,
        best,
    )
    bound = decomposition.bound
    total = _priced(problem, decomposition.solution, scenario)
    if total is not None and (best_total is None or total < best_total):
        best, best_total = decomposition.solution, total
        report.time_to_best = clock.elapsed()
        report.time_to_first_feasible = report.time_to_first_feasible or report.time_to_best
        record(ProgressPoint(elapsed=clock.elapsed(), objective=total, bound=bound, note="parts"))
    exact = build_model(problem, scenario)
    report.variables, report.constraints = model_size(exact.model)
    if best is not None:
        exact.hint(best)
        # The fixed model prices the timetable: CP-SAT and the checker must agree on it.
        fixed = complete_hint(
            exact.model, time_limit=max(PRICING_SECONDS, clock.remaining() / 2), exact_penalties=True
        )
        if fixed is None or int(round(fixed)) != best_total:
            raise AssertionError(f"CP-SAT prices the first timetable at {fixed}, the checker at {best_total}")
    run = solve_model(
        exact.model,
        exact.decision_variables(),
        time_limit=clock.remaining(),
        workers=parameters.workers,
        seed=parameters.seed,
        clock=clock,
        listener=record,
    )
    if run.bound is not None:
        bound = max(bound, int(-(-run.bound // 1)))
    if run.has_solution:
        solution = exact.decode(run.values)
        evaluation = sac_rules.evaluate(problem, solution, scenario)
        if evaluation.total != int(round(run.objective or 0)) or not evaluation.feasible:
            raise AssertionError(f"CP-SAT objective {run.objective} but the checker says {evaluation.total}")
        if best_total is None or evaluation.total < best_total:
            best, best_total = solution, evaluation.total
            report.time_to_best = report.progress[-1].elapsed if report.progress else clock.elapsed()
            report.time_to_first_feasible = report.time_to_first_feasible or run.first_solution_at
    if best is None:
        if run.proven_infeasible:
            report.status = SolveStatus.INFEASIBLE
            report.explanation = unplaceable_hearings(problem, clock.remaining(), parameters.workers) or [
                "No timetable keeps every hard rule: CP-SAT proved the model infeasible."
            ]
        return _finish(report, clock, None, None)
    evaluation = sac_rules.evaluate(problem, best, scenario)
    report.objective = evaluation.total
    report.best_bound = min(bound, evaluation.total)
    proven = run.proven_optimal or bound >= evaluation.total
    report.status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    return _finish(report, clock, best, evaluation)


def _priced(
    problem: AttestationProblem, solution: AttestationSolution | None, scenario: Scenario
) -> int | None:
    """The checker's total of a timetable keeping every hard rule; None for none or a broken one."""
    if solution is None:
        return None
    evaluation = sac_rules.evaluate(problem, solution, scenario)
    return evaluation.total if evaluation.feasible else None


def _finish(
    report: SolveReport, clock: Clock, solution: AttestationSolution | None, evaluation: Evaluation | None
) -> AttestationOutcome:
    return AttestationOutcome(solution=solution, evaluation=evaluation, report=close_report(report, clock))
