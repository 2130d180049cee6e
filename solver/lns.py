"""A problem-independent large-neighbourhood search: keep most of a solution, re-solve a part.

The subject (an exam timetable today, a lesson timetable next) says how to pick a part of the
solution to free ("neighbourhoods") and how to re-optimise it exactly with CP-SAT with the rest
fixed. The loop chooses the kind of neighbourhood by its recent success and adapts the part's
size: it grows while CP-SAT proves steps optimal quickly and shrinks when steps time out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from models import ProgressPoint
from solver.engine import Clock, ProgressListener

S = TypeVar("S")
S_in = TypeVar("S_in", contravariant=True)
MARGIN = 0.3  # seconds kept for checking and reporting after the last step
SHORTEST_STEP = 0.05  # a step given less than this finds nothing worth its model's building
EXPLORE = 0.15  # share of steps whose kind is drawn uniformly, so no kind starves


@dataclass
class StepResult(Generic[S]):
    solution: S | None  # None when the step found nothing (time out or infeasible part)
    cost: int | None  # the whole cost of `solution`, as the checker would score it
    proven_optimal: bool  # CP-SAT proved the part optimal
    checking: float = 0.0  # seconds of the step spent re-scoring its result whole with the checker


class Neighbourhood(Protocol[S_in]):
    name: str
    step_time: float | None  # this kind's time per step; None: the loop's setting

    def select(self, current: S_in, size: int, rng: random.Random) -> frozenset[int]:
        """The items (exams, meetings...) to free, about `size` of them."""
        ...


class LnsSubject(Protocol[S]):
    def neighbourhoods(self) -> Sequence[Neighbourhood[S]]: ...

    def item_count(self) -> int: ...

    def reoptimise(
        self, current: S, cost: int, free: frozenset[int], kind: str, time_limit: float, seed: int
    ) -> StepResult[S]:
        """The best re-decision of `free` found in time, and its whole cost."""
        ...


@dataclass
class LnsSettings:
    initial_size: int = 20
    min_size: int = 4
    max_size: int = 400
    step_time: float = 0.5  # CP-SAT limit of one step
    grow: float = 1.15
    shrink: float = 0.85
    seed: int = 0


@dataclass
class KindUse:
    """How a kind of step fared: steps tried, steps that improved, seconds spent."""

    steps: int
    improvements: int
    seconds: float


@dataclass
class _KindStats:
    rate: float = math.inf  # recent cost reduction per second; untried kinds go first
    tries: int = 0
    improvements: int = 0
    seconds: float = 0.0
    # the most a step of this kind ran beyond its time limit: building and reading back its model
    # (a 5,000-student semester's steps of 0.5 s took up to 2 s), kept free before the clock's end
    overrun: float = 0.0


@dataclass
class LnsOutcome(Generic[S]):
    best: S
    cost: int
    steps: int = 0
    improvements: int = 0
    time_to_best: float = 0.0
    per_kind: dict[str, KindUse] = field(default_factory=dict)


def run_lns(
    subject: LnsSubject[S],
    initial: S,
    initial_cost: int,
    clock: Clock,
    settings: LnsSettings,
    listener: ProgressListener | None = None,
    bound: float = 0.0,
    should_stop: Callable[[], bool] | None = None,
    check_time: float = 0.0,
    steps_check: bool = True,
) -> LnsOutcome[S]:
    """Improve `initial` until the clock runs out; never returns anything worse. A step starts only
    if it can end in time and leave the caller `check_time` (what checking a whole solution takes)
    for its final check: a step runs over its limit by its kind's overrun, and, with `steps_check`,
    by one check more when it improves (its result is checked whole). A subject whose steps check
    only while the clock leaves room for it passes `steps_check=False`."""
    rng = random.Random(settings.seed)
    kinds = list(subject.neighbourhoods())
    stats = {kind.name: _KindStats() for kind in kinds}
    start_size = float(min(settings.initial_size, subject.item_count()))
    sizes = {kind.name: start_size for kind in kinds}  # each kind finds its own workable size
    outcome = LnsOutcome(best=initial, cost=initial_cost, time_to_best=clock.elapsed())
    current, current_cost = initial, initial_cost

    def time_for(kind: Neighbourhood[S]) -> float:
        in_step = check_time if steps_check else 0.0
        return clock.remaining() - MARGIN - check_time - max(stats[kind.name].overrun, in_step)

    while current_cost > bound:
        if should_stop is not None and should_stop():
            break
        fitting = [kind for kind in kinds if time_for(kind) >= SHORTEST_STEP]
        if not fitting:
            break
        kind = _choose(fitting, stats, rng)
        free = kind.select(current, max(settings.min_size, int(sizes[kind.name])), rng)
        if not free:
            continue
        step_limit = min(kind.step_time or settings.step_time, time_for(kind))
        step_started = clock.elapsed()
        result = subject.reoptimise(
            current, current_cost, free, kind.name, step_limit, rng.randrange(1 << 30)
        )
        step_time = max(1e-3, clock.elapsed() - step_started)
        outcome.steps += 1
        record = stats[kind.name]
        record.tries += 1
        record.seconds += step_time
        record.overrun = max(record.overrun, step_time - result.checking - step_limit)
        gain = current_cost - result.cost if result.solution is not None and result.cost is not None else 0
        rate = max(0, gain) / step_time
        record.rate = rate if math.isinf(record.rate) else 0.8 * record.rate + 0.2 * rate
        size = sizes[kind.name]
        if result.proven_optimal:
            size = min(size * settings.grow, settings.max_size, subject.item_count())
        else:
            size = max(size * settings.shrink, settings.min_size)
        sizes[kind.name] = size
        if result.solution is None or result.cost is None or result.cost > current_cost:
            continue
        if result.cost < current_cost:
            record.improvements += 1
            outcome.improvements += 1
        current, current_cost = result.solution, result.cost
        if current_cost < outcome.cost:
            outcome.best, outcome.cost = current, current_cost
            outcome.time_to_best = clock.elapsed()
            if listener is not None:
                listener(
                    ProgressPoint(
                        elapsed=clock.elapsed(),
                        objective=current_cost,
                        bound=bound,
                        note=f"lns {kind.name} size {len(free)}",
                    )
                )
    outcome.per_kind = {
        name: KindUse(s.tries, s.improvements, round(s.seconds, 2)) for name, s in stats.items()
    }
    return outcome


def _choose(
    kinds: list[Neighbourhood[S]], stats: dict[str, _KindStats], rng: random.Random
) -> Neighbourhood[S]:
    """Untried kinds first; then mostly by recent gain per second, sometimes at random."""
    untried = [kind for kind in kinds if math.isinf(stats[kind.name].rate)]
    if untried:
        return untried[0]
    if rng.random() < EXPLORE:
        return rng.choice(kinds)
    weights = [stats[kind.name].rate + 1e-6 for kind in kinds]
    return rng.choices(kinds, weights=weights)[0]
