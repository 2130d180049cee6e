"""Late-acceptance hill climbing (Burke and Bykov), problem-independent, and its use as a step
kind of the LNS loop.

A subject keeps a feasible solution with the bookkeeping that prices a move; the loop proposes
moves, accepts one when it is no worse than the current cost or than the cost a fixed number of
moves ago, and keeps the best solution seen. Between bursts the subject keeps its wandering
state, so a burst goes on where the last stopped while no other step changed the solution.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from solver.lns import StepResult

S = TypeVar("S")
HISTORY = 500  # late-acceptance memory, in moves


class MoveSearch(Protocol[S]):
    cost: int  # the current solution's cost, as the checker would score it
    moves: int  # proposals so far
    history: list[int]  # the costs a HISTORY of moves ago

    def load(self, solution: S, cost: int) -> None: ...

    def propose(self, limit: int) -> tuple[int, Any] | None:
        """Apply a feasible move: its change in cost and how to undo it; None if none was made.
        A move that surely costs more than `limit` may be refused unapplied."""
        ...

    def revert(self, undo: Any) -> None: ...

    def snapshot(self) -> Any:
        """The current solution's decisions, cheap to copy."""
        ...

    def rebuild(self, snapshot: Any) -> S:
        """A solution from a snapshot."""
        ...


def climb(search: MoveSearch[S], time_limit: float) -> tuple[S, int]:
    """Late-acceptance hill climbing for `time_limit` seconds; the best solution seen, its cost."""
    deadline = time.monotonic() + time_limit
    best_cost = search.cost
    best = search.snapshot()
    history = search.history
    while True:
        if search.moves % 128 == 0 and time.monotonic() > deadline:
            break
        search.moves += 1
        slot = search.moves % HISTORY
        proposal = search.propose(max(0, history[slot] - search.cost))
        if proposal is None:
            continue
        delta, undo = proposal
        candidate = search.cost + delta
        if candidate <= search.cost or candidate <= history[slot]:
            search.cost = candidate
            if candidate < best_cost:
                best_cost = candidate
                best = search.snapshot()
        else:
            search.revert(undo)
        if search.cost < history[slot]:
            history[slot] = search.cost
    return search.rebuild(best), best_cost


class LocalBursts(Generic[S]):
    """Late acceptance as one kind of LNS step, each step's result re-scored by the checker."""

    def __init__(
        self, search: MoveSearch[S], score: Callable[[S], int], reseed: Callable[[int], None]
    ) -> None:
        self.search = search
        self.score = score
        self.reseed = reseed
        self._handed_back: S | None = None  # what the last burst returned

    def step(self, current: S, cost: int, time_limit: float, seed: int) -> StepResult[S]:
        if current is not self._handed_back:  # another step moved on: start from its solution
            self.search.load(current, cost)
            self.reseed(seed)
        solution, tracked = climb(self.search, time_limit)
        checked = self.score(solution)
        if checked != tracked:
            raise AssertionError(f"local search priced {tracked}, the checker says {checked}")
        self._handed_back = solution
        return StepResult(solution, checked, False)
