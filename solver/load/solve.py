"""Solve a teaching load: explain what cannot work, then per independent part, first the largest
deviation and then everything else with it held, each from a greedy plan; check and report.

The order is the registrar's: the largest gap between a teacher's load and target first, then the
weighted rest. The reported objective is the checker's weighted total; the bound is proven for
that order (exact for the weighted sum whenever the largest deviation is proven optimal and no
hour of it is worth trading for the rest).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

import constraints.load as load_rules
from models import Evaluation, ProgressPoint, Scenario, SolveParameters, SolveReport, SolveStatus
from models.load import LoadProblem, LoadSolution
from solver.engine import (
    PRICING_SECONDS,
    Clock,
    ProgressListener,
    complete_hint,
    model_size,
    solve_model,
    stopped,
)
from solver.load.beside import BoundsBeside, LargestBeside, Master, Walked, Walks
from solver.load.bounds import room, static_bound
from solver.load.components import Part, join_solutions, part_size, split
from solver.load.dive import dive_part, pinned_solution
from solver.load.explain import explain_infeasibility, name_culprits
from solver.load.greedy import greedy_load
from solver.load.local_search import anneal
from solver.load.model import LoadCpModel
from solver.load.relaxation import relaxation_bound
from solver.reports import close_report, open_report

LARGEST = load_rules.largest_deviation.NAME
FIRST_PHASE_SHARE = 0.2  # of the time, for the largest deviation (0.15 left an hour on the table: findings)
FEASIBILITY_SECONDS = 60.0  # a part's search for any distribution when the greedy plan breaks a rule
SHORTEST_STEP = 0.1  # seconds: a part given less keeps the distribution it has
RELAXATION_SHARE = 0.5  # of a part's time at most, for its LP bound (typically a tenth of a second)
ANNEALING_SHARE = 0.8  # of a part's time in the second phase, for annealing before CP-SAT (no bounds beside)
FIRST_SLICE = 1.0  # seconds for the part with the largest deviation, doubled each time it comes back
MISSES_BEFORE_GIVING_UP = 3  # times annealing and CP-SAT both fail an hour less on the worst part
REACH_WEIGHT = 10  # an hour beyond the deviation sought, against the rest's weights, in the first phase
BALANCING_SHARE = 0.5  # of a slice, for annealing towards an hour less before CP-SAT gets the slice
BESIDE_MARGIN = 1.0  # seconds the bounds beside the search end before the limit (and may be awaited after)
SHORTEST_BESIDE = 2.0  # seconds: the bounds beside given less would still be loading (fresh interpreter)
PROGRESS_EVERY = 5.0  # seconds at least between progress points of the second phase
TIGHT_ROOM = 2  # hours between a part's mean gap and the cap that make it tight (it dives)
TIGHT_WEIGHT = 8  # a tight part's share against an annealed part's, at the mean size
DIVE_FALLBACK = 0.2  # of a tight part's time, annealed before its dive (kept if the dive fails)
COMPLETING_SHARE = 0.2  # of a dive's time, kept for CP-SAT to complete a dive cut short
CHECK_RESERVE = 2.0  # times the first check's time, kept back for the last (which meets the bounds' exit)
SHORTEST_DIVE = 2.0  # seconds: a tight part given less anneals (a shorter dive gives back its start)
POLISH_GROUP = 3  # teachers CP-SAT re-solves at once when it polishes a dive's distribution (4: worse)
POLISH_STEP = 0.5  # seconds at most for one group
POLISH_LEAST = 0.02  # seconds: less than any three takes (21-27 ms on the 14-teacher department)
SMALL_PART = 150  # item-teacher pairs: CP-SAT proves a part this small in under 0.1 s (findings)
SMALL_PART_SECONDS = 1.0  # at most, for CP-SAT on a small part before the annealing gets the rest


@dataclass
class LoadOutcome:
    solution: LoadSolution | None
    evaluation: Evaluation | None
    report: SolveReport


@dataclass
class _Phase:
    solution: LoadSolution
    objective: int
    bound: int
    optimal: bool
    model: LoadCpModel | None  # None: the part kept its start, priced by the checker

    @property
    def size(self) -> tuple[int, int]:
        return model_size(self.model.model) if self.model is not None else (0, 0)


def solve_load(
    problem: LoadProblem,
    parameters: SolveParameters,
    scenario: Scenario | None = None,
    listener: ProgressListener | None = None,
) -> LoadOutcome:
    """The whole pipeline for one load problem; the reported objective is the checker's total."""
    scenario = scenario or Scenario()
    clock = Clock(parameters.time_limit)
    report = open_report(problem.name, "load", parameters)

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
    largest_weight = weights[LARGEST]
    parts = split(problem)
    starts: list[LoadSolution] = []
    for part in parts:
        start, impossible = _start(part, parameters)
        if start is None:
            return _no_distribution(report, clock, problem, scenario, parameters, impossible)
        starts.append(start)
    report.time_to_first_feasible = clock.elapsed()
    checked = time.monotonic()
    first_total = load_rules.evaluate(problem, join_solutions(problem, parts, starts), scenario).total
    # The search leaves the final check its time (measured 0.8-1.4 s on the 3,000-teacher year).
    checking = CHECK_RESERVE * (time.monotonic() - checked)
    search = Clock(parameters.time_limit - checking, clock.started)
    record(ProgressPoint(elapsed=clock.elapsed(), objective=first_total, bound=0, note="first"))
    rest = {name: weight for name, weight in weights.items() if name != LARGEST}
    # Phase 1: the smallest largest deviation of each part.
    firsts = _first_phase(parts, starts, search, parameters, bool(largest_weight), rest)
    largest = max((first.objective for first in firsts), default=0)
    largest_bound = max((first.bound for first in firsts), default=0)
    # Phase 2: everything else, the largest deviation held.
    cap = largest if largest_weight else None
    tight = [_tight(part, rest, cap) for part in parts]
    beside = None
    beside_time = search.remaining() - BESIDE_MARGIN
    if parameters.workers >= 2 and set(rest) and beside_time >= SHORTEST_BESIDE:
        # The LP and column generation bounds run on the core the annealing leaves idle.
        from_first = [(part.problem, first.solution) for part, first in zip(parts, firsts, strict=True)]
        reached = ([first.objective for first in firsts], [first.bound for first in firsts])
        # The tight parts' column generation first, for their dives to start from (findings).
        first = [position for position, dives in enumerate(tight) if dives]
        walks = _second_walks(parts, tight, search.remaining(), parameters)
        beside = BoundsBeside(from_first, rest, cap, beside_time, reached, first, walks)
    progress = _Running(
        record,
        clock,
        (largest_weight, largest, largest_bound),
        [
            load_rules.soft_total(part.problem, first.solution, rest)
            for part, first in zip(parts, firsts, strict=True)
        ],
        [static_bound(part.problem, rest) for part in parts],
        beside,
    )
    progress.show(f"largest deviation {largest} h")
    seconds = _phase(
        parts,
        [first.solution for first in firsts],
        rest,
        cap,
        tight,
        search,
        parameters,
        beside,
        progress.done,
    )
    if beside is not None:
        proven = all(phase.optimal for phase in (*firsts, *seconds))  # the bounds add nothing
        collected = beside.collect(0.0 if stopped() or proven else search.remaining() + BESIDE_MARGIN)
        if collected is not None:
            largest_bound = _proven_largest(largest, largest_bound, collected[0])
        _raise_bounds(seconds, collected[1] if collected is not None else None)
        walked = [
            _better_walked(part, phase, beside.walked(position), rest, cap)
            for position, (part, phase) in enumerate(zip(parts, seconds, strict=True))
        ]
        better = [position for position, phase in enumerate(walked) if phase is not seconds[position]]
        if better:
            seconds = walked
            for position in better:
                progress.update(position, seconds[position])
            progress.show(f"{len(better)} of {len(parts)} parts better from a second walk beside")
    solution = join_solutions(problem, parts, [second.solution for second in seconds])
    evaluation = load_rules.evaluate(problem, solution, scenario)
    held = max(
        (
            _largest(part, first, second.solution)
            for part, first, second in zip(parts, firsts, seconds, strict=True)
        ),
        default=0,
    )
    priced = largest_weight * held + sum(second.objective for second in seconds)
    if priced != evaluation.total or not evaluation.feasible:
        raise AssertionError(
            f"CP-SAT prices the distribution at {priced} but the checker says {evaluation.total}"
        )
    # The larger of the CP-SAT models solved and the largest part as annealed: its decisions
    # (item-teacher pairs) and its rows (each item's coverage, each teacher's limits).
    annealed = [
        (sum(map(len, part.problem.candidates)), len(part.problem.items) + len(part.problem.teachers))
        for part in parts
    ]
    solved = [phase.size for phase in (*firsts, *seconds) if phase.model is not None]
    report.variables, report.constraints = max([*solved, *annealed], default=(0, 0))
    bound = largest_weight * largest_bound + sum(second.bound for second in seconds)
    # Proven part by part, or by the bounds beside reaching the total (in the registrar's order).
    optimal = all(phase.optimal for phase in (*firsts, *seconds)) or bound >= evaluation.total
    report.status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    report.objective = evaluation.total
    report.best_bound = min(evaluation.total, bound)
    report.time_to_best = clock.elapsed()
    record(
        ProgressPoint(
            elapsed=clock.elapsed(), objective=evaluation.total, bound=report.best_bound, note="best"
        )
    )
    return _finish(report, clock, solution, evaluation)


class _Running:
    """The year's total and bound while the second phase goes part by part: each part's rest as the
    first phase left it, replaced as the second phase ends it, its bound raised by what the process
    beside the search has sent so far; shown at most every PROGRESS_EVERY."""

    def __init__(
        self,
        record: ProgressListener,
        clock: Clock,
        largest: tuple[int, int, int],
        prices: list[int],
        bounds: list[int],
        beside: BoundsBeside | None = None,
    ):
        """`largest`: the largest deviation's weight, hours and proven hours; per part, the rest's
        price and bound so far."""
        self.record, self.clock, self.largest = record, clock, largest
        self.prices, self.bounds, self.beside = prices, bounds, beside
        self.shown = clock.elapsed()

    def show(self, note: str) -> None:
        self.shown = self.clock.elapsed()
        weight, hours, proven = self.largest
        bounds = list(self.bounds)
        sent = self.beside.latest() if self.beside is not None else None
        if sent is not None:
            proven = _proven_largest(hours, proven, sent[0])
            bounds = [
                min(price, max(bound, found))
                for price, bound, found in zip(self.prices, bounds, sent[1], strict=False)
            ] + bounds[len(sent[1]) :]
        objective = weight * hours + sum(self.prices)
        bound = weight * proven + sum(bounds)
        self.record(ProgressPoint(elapsed=self.shown, objective=objective, bound=bound, note=note))

    def update(self, position: int, phase: _Phase) -> None:
        self.prices[position], self.bounds[position] = phase.objective, phase.bound

    def done(self, position: int, phase: _Phase) -> None:
        self.update(position, phase)
        if self.beside is not None:  # where a second walk is worth most
            self.beside.searched(position, phase.objective)
        last = position == len(self.prices) - 1
        if self.clock.elapsed() - self.shown >= PROGRESS_EVERY or last:
            self.show(f"{position + 1} of {len(self.prices)} parts done")


def _start(part: Part, parameters: SolveParameters) -> tuple[LoadSolution | None, bool]:
    """The greedy plan if it keeps every hard rule, else what CP-SAT finds from it with the hard rules
    alone (quick); True when CP-SAT proved there is none."""
    greedy = greedy_load(part.problem)
    if load_rules.evaluate(part.problem, greedy, _only({})).feasible:
        return greedy, False
    return _feasible(part.problem, greedy, parameters)


def _first_phase(
    parts: list[Part],
    starts: list[LoadSolution],
    clock: Clock,
    parameters: SolveParameters,
    wanted: bool,
    rest: dict[str, int],
) -> list[_Phase]:
    """The smallest largest deviation: time goes to the part with the largest deviation still open,
    first to annealing for an hour less (the rest weighed, then blind to it), then, without proofs
    beside, to CP-SAT for the same, twice as much each time it comes back, until the phase's share of
    time is spent or the largest is proven (only the largest part's counts)."""
    weights = {LARGEST: 1} if wanted else {}
    phases = [
        _solve_part(part, weights, None, 0.0, parameters, start)
        for part, start in zip(parts, starts, strict=True)
    ]
    if not wanted:
        return phases
    deadline = clock.elapsed() + clock.remaining() * FIRST_PHASE_SHARE
    proofs = None
    if parameters.workers >= 2 and len(parts) > 1:
        # Beside the search: proofs that parts cannot be held within the bound (which may end the phase).
        proofs = LargestBeside(
            [part.problem for part in parts],
            [phase.objective for phase in phases],
            [phase.bound for phase in phases],
            deadline - clock.elapsed(),
        )
    slices = [FIRST_SLICE] * len(parts)
    misses = [0] * len(parts)
    tries = 0  # each annealing its own seed: a miss is often a matter of the walk
    nearest = list(starts)  # per part, where the last try came nearest (the walk resumes there)
    blind: dict[int, tuple[LoadSolution, int]] = {}  # per part, the blind walk's nearest and its level
    before_blind: dict[int, _Phase] = {}  # per part, its phase before a blind walk first lowered it
    while clock.elapsed() < deadline and clock.remaining():
        if proofs is not None:  # each proof as it comes: one may end the phase
            _raise_bounds(phases, proofs.latest())
            if proofs.ready():
                _raise_bounds(phases, proofs.collect(0.0))
                proofs = None
        proven = max(phase.bound for phase in phases)
        open_parts = [p for p, phase in enumerate(phases) if not phase.optimal and phase.objective > proven]
        if not open_parts:
            break
        # Of the parts at the largest, the one missed least: one stubborn part does not hold up the rest.
        worst = max(open_parts, key=lambda p: (phases[p].objective, -misses[p]))
        if misses[worst] >= MISSES_BEFORE_GIVING_UP:
            break  # the rest of the phase's time goes to the weighted rest
        part, phase = parts[worst], phases[worst]
        level = phase.objective - 1
        stalled = blind.get(worst, (None, None))[1] == level  # the weighed walk missed here before
        walking = slices[worst] * BALANCING_SHARE
        tries += 1
        found = nearest[worst]
        if not stalled:
            # The rest weighed too (an hour beyond costs REACH_WEIGHT): a walk blind to it leaves the
            # second phase a scrambled start (findings).
            found, beyond = anneal(
                part.problem,
                rest,
                None,
                found,
                min(walking, deadline - clock.elapsed()),
                (parameters.seed or 0) + tries,
                reach=level,
                reach_weight=REACH_WEIGHT,
            )
            nearest[worst] = found
            if not beyond:
                phases[worst] = _lowered(part, found, phase, weights)
                continue
        # Blind to the rest, a walk reaches the hour where the weighed one stalls on a part packed
        # within about an hour of it (findings, fiftieth stop); it resumes where it came nearest,
        # and once the weighed walk has stalled at this hour it has that walk's time too.
        start = blind[worst][0] if stalled else found
        share = min(slices[worst] + (walking if stalled else 0.0), deadline - clock.elapsed())
        loose, still = anneal(part.problem, {}, None, start, share, (parameters.seed or 0) + tries, level, 1)
        if not still:
            before_blind.setdefault(worst, phase)
            nearest[worst] = loose
            phases[worst] = _lowered(part, loose, phase, weights)
            continue
        blind[worst] = (loose, level)
        slices[worst] *= 2
        if proofs is not None:  # CP-SAT's tries found nothing the walks had not on either year (findings)
            misses[worst] += 1
            continue
        # Alone, CP-SAT asked for everyone within an hour less, from the annealing's nearest miss,
        # finds one far sooner than CP-SAT minimising the largest deviation (findings), or proves
        # there is none.
        share = min(slices[worst] / 2, deadline - clock.elapsed())
        within, none = _feasible(part.problem, found, parameters, phase.objective - 1, share)
        if within is not None:
            nearest[worst] = within
            phases[worst] = _lowered(part, within, phase, weights)
        elif none:
            phases[worst] = _Phase(phase.solution, phase.objective, phase.objective, True, phase.model)
        else:
            misses[worst] += 1
    if proofs is not None:  # unfinished proofs are stopped (the second phase's process asks again)
        _raise_bounds(phases, proofs.collect(0.0))
    return _unscrambled(phases, before_blind)


def _lowered(part: Part, solution: LoadSolution, phase: _Phase, weights: dict[str, int]) -> _Phase:
    """The part's first phase at `solution`, found within an hour less than `phase` (its bound kept)."""
    achieved = load_rules.evaluate(part.problem, solution, _only(weights)).total
    return _Phase(solution, achieved, min(phase.bound, achieved), phase.bound >= achieved, None)


def _unscrambled(phases: list[_Phase], before_blind: dict[int, _Phase]) -> list[_Phase]:
    """A part a blind walk lowered goes back to its phase before that walk where the year's largest
    deviation ends no lower for it: the second phase starts from the distribution the rest was
    weighed in (its bound, proven meanwhile, kept)."""
    largest = max((phase.objective for phase in phases), default=0)
    kept = list(phases)
    for position, before in before_blind.items():
        if before.objective <= largest:
            kept[position] = before
    _raise_bounds(kept, [phase.bound for phase in phases])
    return kept


def _proven_largest(largest: int, proven: int, beside: list[int]) -> int:
    """The largest deviation's bound with the parts' bounds the process beside proved, never above
    the largest deviation reached."""
    return min(largest, max([proven, *beside]))


def _raise_bounds(phases: list[_Phase], bounds: list[int] | None) -> None:
    """Each part's bound raised to what the process beside the search found."""
    for position, bound in enumerate(bounds or []):
        phase = phases[position]
        if bound > phase.bound:
            phases[position] = _Phase(
                phase.solution,
                phase.objective,
                min(bound, phase.objective),
                bound >= phase.objective,
                phase.model,
            )


def _phase(
    parts: list[Part],
    starts: list[LoadSolution],
    weights: dict[str, int],
    cap: int | None,
    tight: list[bool],
    clock: Clock,
    parameters: SolveParameters,
    beside: BoundsBeside | None,
    done: Callable[[int, _Phase], None],
) -> list[_Phase]:
    """One phase over every part in turn (shares by `_shares`: a department's need for time follows
    how tightly it is packed, not its size; findings); `tight`: per part, whether it dives. Without
    bounds worked out `beside` the search, each part works out its LP bound first and CP-SAT gets
    the end of its share; else the annealing has it all (CP-SAT's search adds little after it, and
    its second thread would take the core the bounds run on), and a tight part dives from the
    master generated there if it is in."""
    budget = clock.remaining()
    shares = _shares(parts, tight)
    phases = []
    for position, (part, start) in enumerate(zip(parts, starts, strict=True)):
        share = max(0.0, budget) * shares[position] / sum(shares[position:])
        began = clock.elapsed()
        master = beside.master(position) if beside is not None and tight[position] else None
        phases.append(
            _solve_part(part, weights, cap, share, parameters, start, beside is None, tight[position], master)
        )
        budget -= clock.elapsed() - began
        done(position, phases[-1])
    return phases


def _second_walks(parts: list[Part], tight: list[bool], budget: float, parameters: SolveParameters) -> Walks:
    """What the process beside walks once its bounds are in: the parts that anneal (not those that
    dive, nor those CP-SAT proves at once), each for as long as the search walks it, with another
    seed than the search's. The process walks first the part the search ended furthest above its
    bound (`_Running.done` tells it), then those not ended yet, largest first (their walks spread
    most)."""
    shares = _shares(parts, tight)
    sizes = [part_size(part.problem) for part in parts]
    order = sorted(
        (position for position, part in enumerate(parts) if not tight[position] and not _small(part)),
        key=lambda position: -sizes[position],
    )
    return Walks(tuple(order), budget / sum(shares) if shares else 0.0, (parameters.seed or 0) + 1)


def _better_walked(
    part: Part, phase: _Phase, walked: Walked | None, weights: dict[str, int], cap: int | None
) -> _Phase:
    """The part's phase, or the walk beside the search where the checker prices it lower."""
    if walked is None:
        return phase
    priced = _kept(part, walked.solution, weights, cap)
    if priced >= phase.objective:
        return phase
    cost = int(priced)
    return _Phase(walked.solution, cost, min(phase.bound, cost), phase.bound >= cost, None)


def _small(part: Part) -> bool:
    """Whether CP-SAT proves the part at once, so that it need not be annealed (findings)."""
    return sum(map(len, part.problem.candidates)) <= SMALL_PART


def _shares(parts: list[Part], tight: list[bool]) -> list[float]:
    """Each part's share of the phase: one for a part that anneals (a department's need for time
    follows how tightly it is packed, not its size: findings), TIGHT_WEIGHT times its size against
    the mean for a tight one (a dive's time grows with the part)."""
    sizes = [part_size(part.problem) for part in parts]
    mean = sum(sizes) / len(sizes) if sizes else 1
    return [TIGHT_WEIGHT * size / mean if dives else 1.0 for size, dives in zip(sizes, tight, strict=True)]


def _tight(part: Part, weights: dict[str, int], cap: int | None) -> bool:
    """Whether the part's teachers are held so near a limit that the annealing does worst there
    and a dive into its column generation's master does better (findings)."""
    return cap is not None and bool(set(weights) - {LARGEST}) and room(part.problem, cap) <= TIGHT_ROOM


def _only(weights: dict[str, int]) -> Scenario:
    """The scenario weighing exactly these criteria."""
    return Scenario(weights=weights, disabled=frozenset(load_rules.SOFT_NAMES - set(weights)))


def _largest(part: Part, first: _Phase, final: LoadSolution) -> int:
    """A part's largest deviation in the final distribution, priced as its first phase was."""
    if first.model is not None:
        return _price(first.model, final) or 0
    return load_rules.evaluate(part.problem, final, _only({LARGEST: 1})).total


def _solve_part(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    time_limit: float,
    parameters: SolveParameters,
    start: LoadSolution,
    alone: bool = True,
    tight: bool = False,
    master: Master | None = None,
) -> _Phase:
    """One phase on one part from a distribution keeping the hard rules (and the cap). With too
    little time the start stays, priced by the checker. `alone`: no bounds are worked out beside the
    search, so the part's LP bound comes first here and CP-SAT searches after the annealing; else
    the annealing has all the time."""
    known = static_bound(part.problem, weights)
    if _small(part) and time_limit >= SHORTEST_STEP and weights:
        # CP-SAT proves a part this small at once, where the annealing would walk its whole share
        # and the proof would wait for the bounds beside (which a busy machine may not deliver).
        began = time.monotonic()
        seconds = min(time_limit, SMALL_PART_SECONDS)
        phase = _exact(part, weights, cap, seconds, 1, parameters.seed, start, known)
        if phase.optimal:
            return phase
        start, known = phase.solution, max(known, phase.bound)
        time_limit -= time.monotonic() - began
    annealing_share = ANNEALING_SHARE if alone else 1.0
    dives = tight and time_limit >= SHORTEST_DIVE
    # The LP adds nothing to the mean gap; a dive works it out itself.
    if alone and not dives and time_limit >= SHORTEST_STEP and set(weights) - {LARGEST}:
        began = time.monotonic()
        known = max(known, relaxation_bound(part.problem, weights, cap, time_limit * RELAXATION_SHARE) or 0)
        time_limit -= time.monotonic() - began
    if dives:
        # Annealed first, so that a dive that does not end in time leaves something; then the dive
        # (CP-SAT completing it from its deepest pins if it did not get to the end), and CP-SAT
        # polishing what it found with what is left.
        began = time.monotonic()
        seed = parameters.seed or 0
        start, annealed = anneal(part.problem, weights, cap, start, time_limit * DIVE_FALLBACK, seed)
        dive_time = time_limit * (1 - DIVE_FALLBACK) - (time.monotonic() - began)
        generated = (master.loads, master.prices) if master is not None else None
        pinned, proven = dive_part(
            part.problem, weights, cap, start, dive_time * (1 - COMPLETING_SHARE), generated
        )
        known = max(known, proven)
        dived = pinned_solution(part.problem, pinned)
        if dived is None and pinned:
            dived = _complete(
                part, weights, cap, pinned, start, time_limit - (time.monotonic() - began), parameters
            )
        # CP-SAT polishes what the dive found (or, if it found nothing, the annealed distribution)
        # for the rest of the part's time: a walk after it gained less (findings).
        left = time_limit - (time.monotonic() - began)
        dived = _polish(part, weights, cap, dived or start, left, parameters)
        if _kept(part, dived, weights, cap) < annealed:
            start = dived
        time_limit -= time.monotonic() - began
    if time_limit >= SHORTEST_STEP and weights and not weights.get(LARGEST):
        began = time.monotonic()
        start, _ = anneal(
            part.problem, weights, cap, start, time_limit * annealing_share, parameters.seed or 0
        )
        time_limit -= time.monotonic() - began
    if time_limit < SHORTEST_STEP or not weights:
        total = load_rules.evaluate(part.problem, start, _only(weights)).total
        return _Phase(start, total, min(known, total), known >= total, None)
    return _exact(part, weights, cap, time_limit, parameters.workers, parameters.seed, start, known)


def _exact(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    time_limit: float,
    workers: int,
    seed: int,
    start: LoadSolution,
    known: int,
) -> _Phase:
    """CP-SAT on the part from `start` (kept if CP-SAT does no better); `known`: a bound already proven."""
    exact = LoadCpModel(part.problem, cap=cap)
    exact.post(load_rules.units_for(part.problem), weights)
    exact.hint(start)
    complete_hint(exact.model, max(1.0, time_limit), exact_penalties=False)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=time_limit, workers=workers, seed=seed
    )
    bound = max(known, round(run.bound) if run.bound is not None else 0)
    solution = exact.decode(run.values) if run.has_solution else start
    objective: int | None
    if run.proven_optimal and run.objective is not None:
        objective = round(run.objective)  # no slack is left at a proven optimum
    else:
        objective = _price(exact, solution)
    if objective is None:
        raise AssertionError("CP-SAT refuses a distribution that keeps the hard rules")
    started = _price(exact, start)
    if started is not None and started < objective:  # CP-SAT lost its hint: keep the start
        solution, objective = start, started
    return _Phase(solution, objective, min(bound, objective), run.proven_optimal or bound >= objective, exact)


def _kept(part: Part, solution: LoadSolution, weights: dict[str, int], cap: int | None) -> float:
    """The checker's price of a distribution that keeps every hard rule and the cap, else infinity."""
    priced = load_rules.evaluate(part.problem, solution, _only(weights))
    if not priced.feasible:
        return math.inf
    if cap is not None and load_rules.evaluate(part.problem, solution, _only({LARGEST: 1})).total > cap:
        return math.inf
    return priced.total


def _complete(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    pinned: dict[int, tuple[int, ...]],
    start: LoadSolution,
    seconds: float,
    parameters: SolveParameters,
) -> LoadSolution | None:
    """The best distribution CP-SAT finds with the pinned teachers' loads kept, hinted with `start`;
    when the pins leave none (which CP-SAT proves quickly) or none is found in half the time left,
    the last 1, 3, 7, ... pinned go free in turn; None if nothing is found in `seconds`."""
    deadline = time.monotonic() + seconds
    order = list(pinned)  # the order they were pinned in
    kept = len(order)
    while kept > 0 and deadline - time.monotonic() >= SHORTEST_STEP:
        keep = {teacher: pinned[teacher] for teacher in order[:kept]}
        found = _keeping(part, weights, cap, keep, start, (deadline - time.monotonic()) / 2, parameters)
        if found is not None:
            return found
        kept -= len(order) - kept + 1  # the last 1, 3, 7, ... go free
    return None


def _polish(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    solution: LoadSolution,
    seconds: float,
    parameters: SolveParameters,
) -> LoadSolution:
    """A dive's distribution improved by CP-SAT re-solving the items of POLISH_GROUP teachers drawn at
    random among them, every other teacher keeping their load, while `seconds` last. Random threes
    took the tight departments 4-11 lower on average than groups of four in the dive's order and a
    walk after (findings, forty-ninth stop)."""
    if seconds < SHORTEST_STEP:
        return solution
    deadline = time.monotonic() + seconds
    random = Random(parameters.seed)
    exact = LoadCpModel(part.problem, cap=cap)
    exact.post(load_rules.units_for(part.problem), weights)
    cost = _kept(part, solution, weights, cap)
    teachers = range(len(part.teachers))
    while (left := deadline - time.monotonic()) >= POLISH_LEAST:
        free = exact.free_only(solution, set(random.sample(teachers, min(POLISH_GROUP, len(teachers)))))
        exact.model.clear_hints()
        exact.hint(solution, free)
        run = solve_model(
            exact.model,
            [exact.teaches[pair] for pair in free],
            time_limit=min(left, POLISH_STEP),
            workers=1,
            seed=parameters.seed,
            light_presolve=True,
        )
        # CP-SAT's objective is never below the price of what it found (penalties are bounded
        # from below only): the checker prices only what may be better.
        if run.has_solution and run.objective is not None and run.objective < cost:
            found = exact.decode_only(solution, free, run.values)
            priced = _kept(part, found, weights, cap)
            if priced < cost:
                solution, cost = found, priced
    return solution


def _keeping(
    part: Part,
    weights: dict[str, int],
    cap: int | None,
    keep: dict[int, tuple[int, ...]],
    hint: LoadSolution,
    seconds: float,
    parameters: SolveParameters,
) -> LoadSolution | None:
    """CP-SAT's best distribution in `seconds` (one worker) in which each teacher of `keep` has
    exactly that load, hinted with `hint`; None if it finds none."""
    exact = LoadCpModel(part.problem, cap=cap)
    exact.post(load_rules.units_for(part.problem), weights)
    for teacher, load in keep.items():
        for item in exact.items_of(teacher):
            exact.model.add(exact.assigned(item)[teacher] == int(item in load))
    exact.hint(hint)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=seconds, workers=1, seed=parameters.seed
    )
    return exact.decode(run.values) if run.has_solution else None


def _feasible(
    problem: LoadProblem,
    start: LoadSolution,
    parameters: SolveParameters,
    cap: int | None = None,
    seconds: float = FEASIBILITY_SECONDS,
) -> tuple[LoadSolution | None, bool]:
    """Any distribution keeping the hard rules (and every teacher within `cap` of target), searched
    from `start` (the hard rules alone are quick); True when CP-SAT proved there is none."""
    feasible = LoadCpModel(problem, cap=cap)
    feasible.post(load_rules.HARD_UNITS, {})
    feasible.hint(start)
    run = solve_model(
        feasible.model,
        feasible.decision_variables(),
        time_limit=seconds,
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
    priced = complete_hint(exact.model, PRICING_SECONDS, exact_penalties=False)
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
    close_report(report, clock)
    return LoadOutcome(solution=solution, evaluation=evaluation, report=report)
