"""Place master classes: say in words what cannot be placed, start from a greedy placement (the
biggest audience first, its least-clashing free time and the smallest hall that fits), then let
CP-SAT minimise the audience's clashes; the reported objective is the checker's total."""

from __future__ import annotations

from dataclasses import dataclass

import constraints.masterclasses as rules
from constraints.base import scenario_weights
from models import (
    Evaluation,
    MasterClass,
    MasterClassProblem,
    MasterClassSolution,
    Placement,
    Scenario,
    SolveParameters,
    SolveReport,
    SolveStatus,
)
from models.names import did_you_mean
from solver.engine import Clock, ProgressListener, model_size, solve_model
from solver.masterclasses.model import MasterClassModel
from solver.reports import close_report, open_report, recorder

HALLS_CLOSE = 0.7  # looser than names: a feature run into another ('projectorstadium') is still offered


@dataclass
class MasterClassOutcome:
    solution: MasterClassSolution | None
    evaluation: Evaluation | None
    report: SolveReport


def weights_for(problem: MasterClassProblem, scenario: Scenario) -> dict[str, int]:
    return scenario_weights(rules.units_for(problem), problem, scenario)


def explain(problem: MasterClassProblem) -> list[str]:
    """Each master class no hall can take at any time of its windows, in the registrar's words."""
    reasons = []
    for event in problem.events:
        fitting = [hall for hall in problem.halls if problem.fits(event, hall)]
        if not fitting:
            reasons.append(f"Master class {event.name}: {_no_hall(problem, event)}")
            continue
        starts = problem.starts(event)
        if not starts:
            reasons.append(
                f"Master class {event.name}: no start on the {problem.step}-minute step keeps its "
                f"{event.minutes} minutes inside a window the guest gave ({_windows(problem, event)})"
            )
            continue
        free = any(
            not any(busy.overlaps(day, start, start + event.minutes) for busy in hall.busy)
            for day, start in starts
            for hall in fitting
        )
        if not free:
            reasons.append(
                f"Master class {event.name}: the {len(fitting)} halls that fit it are all taken "
                f"in every window the guest gave"
            )
    return reasons


def _no_hall(problem: MasterClassProblem, event: MasterClass) -> str:
    """Why no hall fits: a kind or a feature no hall has (a slip, maybe), else the seats with them."""
    kinds = {hall.kind for hall in problem.halls}
    offered = {feature for hall in problem.halls for feature in hall.features}
    if event.hall_kind and event.hall_kind not in kinds:
        meant = did_you_mean(event.hall_kind, kinds, HALLS_CLOSE)
        return f"no hall is of the kind {event.hall_kind!r}{meant}"
    missing = sorted(event.features - offered)
    if missing:
        return f"no hall has {missing[0]!r}{did_you_mean(missing[0], offered, HALLS_CLOSE)}"
    kind = f" of the kind {event.hall_kind!r}" if event.hall_kind else ""
    features = "".join(f" and {feature!r}" for feature in sorted(event.features))
    return f"no hall{kind} has {event.seats} seats{features}"


def _windows(problem: MasterClassProblem, event: MasterClass) -> str:
    """'2026-10-26 11:03-12:07; ...', as the request gives them."""
    return "; ".join(
        f"{problem.dates[w.day]} {w.start // 60:02d}:{w.start % 60:02d}-{w.end // 60:02d}:{w.end % 60:02d}"
        for w in event.windows
    )


def greedy(problem: MasterClassProblem) -> MasterClassSolution:
    taken: dict[int, list[tuple[int, int, int]]] = {}  # hall -> (day, start, end) of master classes
    places: list[Placement | None] = [None] * len(problem.events)
    for event in sorted(problem.events, key=lambda e: (-len(e.audience), e.index)):
        best: tuple[int, int, Placement] | None = None
        halls = sorted((h for h in problem.halls if problem.fits(event, h)), key=lambda h: h.capacity)
        for day, start in problem.starts(event):
            end = start + event.minutes
            clash = len(problem.busy_students(event, day, start))
            if best is not None and clash >= best[0]:
                continue
            for hall in halls:
                if any(b.overlaps(day, start, end) for b in hall.busy):
                    continue
                if any(d == day and s < end and start < e for d, s, e in taken.get(hall.index, ())):
                    continue
                best = (clash, hall.capacity, Placement(day=day, start=start, hall=hall.index))
                break
        if best is not None:
            places[event.index] = best[2]
            taken.setdefault(best[2].hall, []).append(
                (best[2].day, best[2].start, best[2].start + event.minutes)
            )
    return MasterClassSolution(problem_name=problem.name, places=tuple(places))


def solve_masterclasses(
    problem: MasterClassProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
) -> MasterClassOutcome:
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = open_report(problem.name, "masterclasses", parameters)
    reasons = explain(problem)
    if reasons:
        report.status, report.explanation, report.elapsed = SolveStatus.INFEASIBLE, reasons, clock.elapsed()
        return MasterClassOutcome(None, None, report)
    weights = weights_for(problem, scenario)
    built = MasterClassModel(problem, rules.units_for(problem), weights)
    start = greedy(problem)
    if all(place is not None for place in start.places):
        built.hint(start)
    report.variables, report.constraints = model_size(built.model)
    record = recorder(report, listener)
    run = solve_model(
        built.model,
        built.decisions(),
        time_limit=clock.remaining(),
        workers=parameters.workers,
        seed=parameters.seed,
        clock=clock,
        listener=record,
    )
    if not run.has_solution:
        report.status = SolveStatus.INFEASIBLE if run.status == 3 else SolveStatus.UNKNOWN
        report.explanation = ["No placement keeps every master class in a free hall that fits at once"]
        return MasterClassOutcome(None, None, close_report(report, clock))
    solution = built.solution(run.values)
    evaluation = rules.evaluate(problem, solution, scenario)
    if not evaluation.feasible or run.objective is None or round(run.objective) != evaluation.total:
        raise AssertionError(
            f"CP-SAT prices the placement at {run.objective} but the checker says {evaluation.total}"
        )
    report.status = SolveStatus.OPTIMAL if run.proven_optimal else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = round(run.bound) if run.bound is not None else None
    report.time_to_first_feasible = run.first_solution_at
    report.time_to_best = report.progress[-1].elapsed if report.progress else clock.elapsed()
    return MasterClassOutcome(solution, evaluation, close_report(report, clock))
