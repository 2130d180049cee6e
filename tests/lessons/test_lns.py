"""The large-neighbourhood loop keeps to its clock: steps that run over their limit (building and
checking their models) are not started where they would end past it. Timed on a clock the test moves,
so no assertion depends on the machine's speed."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from solver.engine import Clock
from solver.lns import LnsSettings, StepResult, run_lns


@dataclass
class _Moved(Clock):
    """A clock that moves only when told."""

    now: float = 0.0

    def elapsed(self) -> float:
        return self.now


@dataclass
class _Kind:
    name: str = "any"
    step_time: float | None = None

    def select(self, current: int, size: int, rng: random.Random) -> frozenset[int]:
        return frozenset({0})


class _Slow:
    """Each step takes its limit plus `overrun` seconds (its model's building), and one step in
    `improving` finds a solution one better, checked whole in `check` seconds more."""

    def __init__(self, clock: _Moved, overrun: float, check: float = 0.0, improving: int = 0):
        self.clock, self.overrun, self.check, self.improving = clock, overrun, check, improving
        self.steps = 0

    def neighbourhoods(self) -> list[_Kind]:
        return [_Kind()]

    def item_count(self) -> int:
        return 10

    def reoptimise(
        self, current: int, cost: int, free: frozenset[int], kind: str, time_limit: float, seed: int
    ) -> StepResult[int]:
        assert time_limit > 0
        self.steps += 1
        self.clock.now += time_limit + self.overrun
        if self.improving and self.steps % self.improving == 0:
            self.clock.now += self.check
            return StepResult(current - 1, cost - 1, False)
        return StepResult(None, None, False)


def test_steps_that_overrun_their_limit_end_before_the_clock() -> None:
    # steps of 0.5 s taking 1.5 s: without the overrun counted the last began with 1 s left and
    # ended 0.7 s past the limit
    clock = _Moved(limit=10.0)
    subject = _Slow(clock, overrun=1.0)
    run_lns(subject, 100, 100, clock, LnsSettings(step_time=0.5))
    assert subject.steps >= 5
    assert clock.now <= clock.limit


@pytest.mark.parametrize("improving", [1, 3])
def test_the_final_check_has_its_time(improving: int) -> None:
    # checking a whole timetable takes 2 s: an improving step pays one check, and the caller's own
    # final check needs another before the limit
    clock = _Moved(limit=20.0)
    subject = _Slow(clock, overrun=0.1, check=2.0, improving=improving)
    outcome = run_lns(subject, 100, 100, clock, LnsSettings(step_time=0.5), check_time=2.0)
    assert outcome.cost < 100
    assert clock.now + 2.0 <= clock.limit


class _CheckingWhileItMay(_Slow):
    """Like the lesson search: an improving step is checked whole (and says so) only while the clock
    leaves time for that check and the final one."""

    def reoptimise(
        self, current: int, cost: int, free: frozenset[int], kind: str, time_limit: float, seed: int
    ) -> StepResult[int]:
        self.steps += 1
        self.clock.now += time_limit + self.overrun
        if not (self.improving and self.steps % self.improving == 0):
            return StepResult(None, None, False)
        if self.clock.remaining() <= 2 * self.check:
            return StepResult(current - 1, cost - 1, False)
        self.clock.now += self.check
        return StepResult(current - 1, cost - 1, False, checking=self.check)


def test_steps_that_check_only_while_they_may_search_until_the_final_checks_time() -> None:
    # a check of 8 s (ten campuses): kept free before every step, the search stopped 16 s before
    # the end, where the steps need only their own overrun and the final check
    clock = _Moved(limit=60.0)
    subject = _CheckingWhileItMay(clock, overrun=0.5, check=8.0, improving=2)
    outcome = run_lns(subject, 100, 100, clock, LnsSettings(step_time=0.5), check_time=8.0, steps_check=False)
    assert outcome.cost < 100
    assert clock.limit - 8.0 - 1.5 <= clock.now <= clock.limit - 8.0
    every = _Moved(limit=60.0)
    reserving = _CheckingWhileItMay(every, overrun=0.5, check=8.0, improving=2)
    run_lns(reserving, 100, 100, every, LnsSettings(step_time=0.5), check_time=8.0)
    assert every.now <= every.limit - 8.0 and reserving.steps < subject.steps  # a check kept per step
