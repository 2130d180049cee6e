"""Solve a lesson timetable: start feasible, improve by LNS, check, report."""

from __future__ import annotations

import random
import time
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
from solver.lessons.annealing import LessonAnnealer
from solver.lessons.annealing import applies as ud2_applies
from solver.lessons.ejection import EjectionSearch
from solver.lessons.ejection import applies as ejection_applies
from solver.lessons.enrolment_annealing import EnrolmentAnnealer
from solver.lessons.enrolment_annealing import applies as enrolment_applies
from solver.lessons.explain import Draft, best_draft, find_conflicts, static_findings
from solver.lessons.initial import first_timetable
from solver.lessons.local_search import LessonLocalSearch
from solver.lessons.model import LessonCpModel
from solver.lessons.neighbourhoods import LessonKind, LessonNeighbourhoods
from solver.lessons.repair import left_out, repair
from solver.lns import MARGIN, LnsSettings, StepResult, run_lns
from solver.reports import close_report, open_report

CHECK_EVERY = 10  # CP-SAT steps between checker re-scorings during the search
EJECT_SHARE = 0.6  # of the time left after a partial post-enrolment start, to place the rest
RUIN_SHARE = 0.05  # of a whole post-enrolment start's events, taken out for the ejection search to put back
ANNEAL_SHARE = 0.9  # of the time left after the first timetable, for annealing; LNS polishes


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
        pinned = frozenset(self.pins)
        self.annealer: LessonAnnealer | EnrolmentAnnealer | None = None
        if ud2_applies(problem):
            self.annealer = LessonAnnealer(problem, self.weights, pinned)
        elif enrolment_applies(problem):
            self.annealer = EnrolmentAnnealer(problem, self.weights, pinned)
        self._kinds = LessonNeighbourhoods(problem, frozenset(self.pins)).kinds(self.local is not None)
        self._local_kinds = {kind.name for kind in self._kinds if kind.local}
        self._rooms_only = {kind.name for kind in self._kinds if kind.rooms_only}
        self.largest_model = (0, 0)
        self.steps_priced = 0
        self._clock: Clock | None = None
        self._check_time = 0.0

    def check_within(self, clock: Clock, check_time: float) -> None:
        """Re-score improved timetables whole only while `clock` leaves time for that check and the
        caller's final one (`check_time` each): a ten-campus semester's check takes 8 s, and the
        search kept a check free before every step for it."""
        self._clock, self._check_time = clock, check_time

    def _may_check(self) -> bool:
        return self._clock is None or self._clock.remaining() > 2 * self._check_time + MARGIN

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
        current = exact.order_alike(current)  # the same timetable, alike meetings in order
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
        # the model prices the free meetings exactly once its penalties are at their least for the
        # decisions (tests hold every post to its checker); a solution short of optimal may carry
        # slack, so its decisions are priced again. The new cost is the old plus the change; the
        # checker re-scores every CHECK_EVERY-th step and the final timetable, and they must agree.
        after = run.objective
        if not run.proven_optimal:
            exact.model.clear_hints()
            exact.hint(solution)
            priced = complete_hint(exact.model, time_limit, exact_penalties=False)
            if priced is None:  # priced by the checker instead, while there is time for it
                return self._checked(solution) if self._may_check() else StepResult(None, None, False)
            if priced >= before:
                return StepResult(None, None, False)
            after = priced
        new_cost = cost + round(after - before)
        self.steps_priced += 1
        if self.steps_priced % CHECK_EVERY == 0 and self._may_check():
            checked = self._checked(solution)
            if checked.cost != new_cost:
                raise AssertionError(
                    f"a CP-SAT step priced the timetable {new_cost}, the checker {checked.cost}"
                )
            return StepResult(solution, new_cost, run.proven_optimal, checked.checking)
        return StepResult(solution, new_cost, run.proven_optimal)

    def _checked(self, solution: LessonSolution) -> StepResult[LessonSolution]:
        started = time.monotonic()
        cost = self.score(solution)
        return StepResult(solution, cost, False, time.monotonic() - started)

    def score(self, solution: LessonSolution) -> int:
        return lesson_rules.evaluate(self.problem, solution, self.scenario).total


def solve_lessons(
    problem: LessonProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
    should_stop: Callable[[], bool] | None = None,
    draft: bool = False,
    start: LessonSolution | None = None,
) -> LessonOutcome:
    """The whole pipeline for one lesson problem. With `start` (a timetable published before), the
    first timetable keeps each meeting where `start` places it while that place is still free, and
    places the rest afresh.

    Under the registrar's rules an impossible semester is explained: counting arguments first
    (they stop the solve at once), then, when no first timetable is found, the rules CP-SAT finds
    in conflict. With `draft`, a semester without a timetable still gets the draft breaking the
    fewest hard rules, returned with its (infeasible) evaluation.
    """
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = open_report(problem.name, "lessons", parameters)
    search = LessonSearch(problem, scenario, parameters.workers)

    def notify(point: ProgressPoint) -> None:
        report.progress.append(point)
        if listener is not None:
            listener(point)

    registrar = problem.scoring is LessonScoring.REGISTRAR
    findings = static_findings(problem, search.pins) if registrar else []
    if findings:  # each a proof: no search can help
        report.status = SolveStatus.INFEASIBLE
        report.explanation = findings
        return _without_timetable(problem, scenario, parameters, search, clock, report, draft)

    # post-enrolment timetables may leave events out (ranked by distance to feasibility first)
    partial = problem.scoring is LessonScoring.POST_ENROLMENT
    ejection = EjectionSearch(problem, frozenset(search.pins)) if ejection_applies(problem) else None
    budget = clock.remaining() / 2
    if partial:  # the forward search's partial timetable is a start for the ejection search
        budget = clock.remaining() / (10 if ejection else 3)
    current = first_timetable(
        problem, search.pins, parameters.seed, budget, partial, _places(problem, start) if start else None
    )
    if current is not None and ejection is not None:
        whole = None if left_out(current) else current
        if whole is not None:
            # the forward search packs a whole timetable so tightly that the LNS's steps hardly move
            # it (findings): a share of its events is taken out for the ejection search to put back
            current = _ruined(whole, RUIN_SHARE, parameters.seed, search.pins)
        run = ejection.run(current, EJECT_SHARE * clock.remaining(), parameters.seed)
        current = whole if whole is not None and left_out(run.solution) else run.solution
        notify(
            ProgressPoint(
                elapsed=clock.elapsed(),
                objective=run.cost,
                bound=0,
                note=f"ejection search: {len(left_out(current))} events left out",
            )
        )
    if current is not None and left_out(current):
        hard = [unit for unit in search.units if unit.HARD]
        current = repair(
            problem, current, hard, search.pins, clock, 0.8 * clock.limit, parameters.seed, parameters.workers
        )
        missing = left_out(current)
        if missing:
            evaluation = lesson_rules.evaluate(problem, current, scenario)
            report.explanation = [
                f"{len(missing)} events could not be placed in the time given; the best timetable "
                f"found leaves {evaluation.hard_violations} student attendances out."
            ]
            return _finish(report, clock, current, evaluation)
    if current is None and registrar:
        conflict = find_conflicts(
            problem,
            clock.remaining() * (0.5 if draft else 1.0),
            search.pins,
            parameters.workers,
            parameters.seed,
        )
        current = conflict.timetable  # the exact model found one where the first search gave up
        if conflict.status == "infeasible":
            report.status = SolveStatus.INFEASIBLE
            report.explanation = conflict.findings
        elif current is None:
            report.explanation = [NOT_FOUND, *conflict.findings]
    if current is None:
        report.explanation = report.explanation or [NOT_FOUND]
        return _without_timetable(problem, scenario, parameters, search, clock, report, draft)
    checking = clock.elapsed()
    evaluation = lesson_rules.evaluate(problem, current, scenario)
    # the search keeps time for a check as long, and a tenth more: the final timetable's may take longer
    checking = 1.1 * (clock.elapsed() - checking)
    if not evaluation.feasible:
        raise AssertionError(
            "the first timetable breaks hard rules: " + evaluation.violations(hard=True)[0].message
        )
    report.time_to_first_feasible = clock.elapsed()
    notify(ProgressPoint(elapsed=clock.elapsed(), objective=evaluation.total, bound=0, note="first"))
    report.time_to_best = report.time_to_first_feasible
    if parameters.use_lns and search.annealer is not None:
        current, evaluation = _anneal(
            search, current, evaluation, clock, parameters.seed, notify, report, should_stop
        )
    if parameters.use_lns:
        search.check_within(clock, checking)
        outcome = run_lns(
            search,
            current,
            evaluation.total,
            clock,
            LnsSettings(seed=parameters.seed),
            notify,
            0,
            should_stop,
            check_time=checking,
            steps_check=False,
        )
        current = outcome.best
        report.lns_steps = outcome.steps
        report.steps_by_kind |= {name: vars(use) for name, use in outcome.per_kind.items()}
        report.variables, report.constraints = search.largest_model
        if outcome.improvements:
            report.time_to_best = outcome.time_to_best
        final = lesson_rules.evaluate(problem, current, scenario)
        if final.total != outcome.cost or not final.feasible:
            raise AssertionError(f"LNS tracked cost {outcome.cost} but the checker says {final.total}")
        evaluation = final
    report.status = SolveStatus.OPTIMAL if evaluation.total == 0 else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = 0
    return _finish(report, clock, current, evaluation)


def _ruined(
    solution: LessonSolution, share: float, seed: int, pins: dict[int, tuple[int, int | None]]
) -> LessonSolution:
    """The timetable with a random share of its unpinned meetings taken out."""
    movable = [meeting for meeting in range(len(solution.starts)) if meeting not in pins]
    out = set(random.Random(seed).sample(movable, int(share * len(movable))))
    return LessonSolution(
        problem_name=solution.problem_name,
        starts=tuple(None if m in out else start for m, start in enumerate(solution.starts)),
        rooms=tuple(None if m in out else room for m, room in enumerate(solution.rooms)),
    )


def _places(problem: LessonProblem, start: LessonSolution) -> dict[int, tuple[int, int]]:
    """Each meeting's place in `start`, in the order of the meetings."""
    if len(start.starts) != len(problem.meetings):
        raise ValueError(
            f"the starting timetable places {len(start.starts):,} meetings, but {problem.name!r} has "
            f"{len(problem.meetings):,}"
        )
    return {
        meeting: (begins, room)
        for meeting, (begins, room) in enumerate(zip(start.starts, start.rooms, strict=True))
        if begins is not None and room is not None
    }


def _anneal(
    search: LessonSearch,
    current: LessonSolution,
    evaluation: Evaluation,
    clock: Clock,
    seed: int,
    notify: Callable[[ProgressPoint], None],
    report: SolveReport,
    should_stop: Callable[[], bool] | None,
) -> tuple[LessonSolution, Evaluation]:
    """Most of the time left goes to simulated annealing; its best timetable must score as tracked."""
    assert search.annealer is not None
    started = clock.elapsed()

    def improved(cost: int) -> None:
        report.time_to_best = clock.elapsed()
        notify(ProgressPoint(elapsed=clock.elapsed(), objective=cost, bound=0, note="annealing"))

    limit = ANNEAL_SHARE * clock.remaining()
    run = search.annealer.run(
        current, evaluation.total, limit, seed, improved, should_stop=should_stop, chains=search.workers
    )
    checked = lesson_rules.evaluate(search.problem, run.solution, search.scenario)
    if checked.total != run.cost or not checked.feasible:
        raise AssertionError(f"annealing tracked cost {run.cost} but the checker says {checked.total}")
    report.steps_by_kind["annealing"] = {
        "steps": run.moves,
        "improvements": run.improvements,
        "seconds": round(clock.elapsed() - started, 2),
    }
    return run.solution, checked


NOT_FOUND = "No timetable breaking no hard rule was found in the time given."


def _without_timetable(
    problem: LessonProblem,
    scenario: Scenario,
    parameters: SolveParameters,
    search: LessonSearch,
    clock: Clock,
    report: SolveReport,
    draft: bool,
) -> LessonOutcome:
    """No timetable keeps the hard rules: nothing, or with `draft` the draft breaking fewest."""
    if not draft or problem.scoring not in (LessonScoring.REGISTRAR, LessonScoring.UD2):
        return _finish(report, clock, None, None)
    best = best_draft(problem, clock.remaining(), search.pins, parameters.workers, parameters.seed)
    evaluation = lesson_rules.evaluate(problem, best.solution, scenario)
    if evaluation.feasible:  # the draft left nothing out: a timetable after all (not improved)
        report.status, report.explanation = SolveStatus.FEASIBLE, []
        report.objective = evaluation.total
        report.time_to_first_feasible = report.time_to_best = clock.elapsed()
    else:
        report.explanation += _draft_words(best)
    return _finish(report, clock, best.solution, evaluation)


def _draft_words(draft: Draft) -> list[str]:
    """What the draft leaves out, and what is in the way of each meeting left out."""
    left = sum(start is None for start in draft.solution.starts)
    meetings = f"{left} meeting" if left == 1 else f"{left} meetings"
    fewest = (
        "no timetable breaks fewer"
        if draft.proven
        else "the fewest found in the time given, not proven the fewest possible"
    )
    return [
        f"Draft timetable: it leaves out {meetings} and breaks no other hard rule ({fewest}).",
        *draft.notes,
    ]


def _finish(
    report: SolveReport, clock: Clock, solution: LessonSolution | None, evaluation: Evaluation | None
) -> LessonOutcome:
    close_report(report, clock)
    return LessonOutcome(solution=solution, evaluation=evaluation, report=report)
