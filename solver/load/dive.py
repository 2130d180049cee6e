"""Distributions read off column generation's master by diving, for the departments packed so tight
that the annealing does worst there (findings).

Each step of a dive pins the teacher whose load the master takes most to that load (with every other
load it takes whole), after checking that every item still has enough teachers not pinned who may take
it and each of them a load within their limits; then a few rounds of pricing let the master follow.
An item short of a teacher costs SHORT_COST in the master, so the loads pinned cover the items.
A step that leaves no way on is undone and its first load barred, a few times at most; a dive cut
short gives the loads pinned at its deepest, which CP-SAT completes (`solve._complete`).
"""

from __future__ import annotations

import math
import time
from collections import Counter

import numpy as np
from ortools.linear_solver import pywraplp

from models.load import LoadProblem, LoadSolution
from solver.load.columns import IMPROVING, ColumnGeneration, Loads
from solver.load.relaxation import relaxation_prices

DIVE_ROUNDS = 20  # pricing rounds at most after each step
PIN_AT = 1 - IMPROVING  # a load the master takes this much is pinned with the step's first
DIVE_TOLERANCE = 1.0  # the master this near its fractional optimum needs no more rounds
DIVE_RETRIES = 5  # steps a dive may undo
DIVE_GENERATING = 1 / 3  # of a dive's time, for column generation before it
DIVE_BOX = 1.0  # the box of the generation before a dive (1 beats 0.3 there: findings)
SHORT_COST = 1000.0  # in a dive's master, of an item short of a teacher or with one too many
DIVE_EXACT = False  # courses in both terms priced term by term: twice the rounds, better dives (findings)


class Dive:
    """A dive into a column generation's master. It ends the generation: the master keeps the dive's
    limits and columns (the bound met before stands)."""

    def __init__(self, generation: ColumnGeneration):
        self.generation = generation
        self.problem, self.loads, self.solver = generation.problem, generation.loads, generation.solver
        self.columns = generation.columns  # the master's loads, the dive's own joining as they come
        self.coverage, self.convexity = generation.coverage, generation.convexity
        self.objective, self.short, self.over = generation.objective, generation.short, generation.over
        self.prices = generation.prices

    def run(
        self, seconds: float, rounds: int = DIVE_ROUNDS, retries: int = DIVE_RETRIES
    ) -> dict[int, tuple[int, ...]]:
        """Loads read off the master, per teacher: every teacher's (a distribution) when the dive
        gets to the end in `seconds`, else those pinned at its deepest. Each step pins the teacher
        whose load the master takes most to that load, with every other load it takes whole, then
        prices up to `rounds` rounds for the rest; a step that leaves no way on is undone and its
        first load barred, `retries` times at most."""
        deadline = time.monotonic() + seconds
        # A seat short or one too many only as a last resort.
        for below, above in zip(self.short, self.over, strict=True):
            self.objective.SetCoefficient(below, SHORT_COST)
            self.objective.SetCoefficient(above, SHORT_COST)
        teachers = len(self.loads.loads)
        pinned: dict[int, tuple[int, ...]] = {}
        deepest: dict[int, tuple[int, ...]] = {}
        barred: set[tuple[int, tuple[int, ...]]] = set()
        steps: list[list[int]] = []  # the teachers each step pinned
        self._follow(rounds)  # the master's own optimum first, not the box's
        while time.monotonic() < deadline and self.solver.Solve() == pywraplp.Solver.OPTIMAL:
            step: list[int] = []
            for value, k in sorted(
                (
                    (variable.solution_value(), k)
                    for k, (t, _, variable) in enumerate(self.columns)
                    if t not in pinned
                ),
                reverse=True,
            ):
                if step and value <= PIN_AT:
                    break
                teacher, load, _ = self.columns[k]
                if teacher in pinned or (teacher, load) in barred:
                    continue
                pinned[teacher] = load
                if self._viable(pinned):
                    step.append(teacher)
                else:  # it would leave an item or a teacher without a way on
                    del pinned[teacher]
                    barred.add((teacher, load))
            self._restrict(pinned, barred)
            if step:
                steps.append(step)
                if len(pinned) == teachers and not any(self._seats(pinned)):
                    return pinned
                if len(pinned) < teachers and self._follow(rounds):
                    if len(pinned) > len(deepest):
                        deepest = dict(pinned)
                    continue
            if not steps or retries <= 0:
                break
            retries -= 1  # a dead end: undo the last step, bar its first load
            last = steps.pop()
            barred.add((last[0], pinned[last[0]]))
            for teacher in last:
                del pinned[teacher]
            self._restrict(pinned, barred)
        return deepest

    def _viable(self, pinned: dict[int, tuple[int, ...]]) -> bool:
        """Whether the pins leave every item a seat for each teacher it still needs among those not
        pinned, and each of those a load within their limits (the pins kept in the loads)."""
        seats = self._seats(pinned)
        if min(seats, default=0) < 0:
            return False
        self._restrict_loads(pinned)
        free = [tl for teacher, tl in enumerate(self.loads.loads) if teacher not in pinned]
        nothing = np.zeros(len(self.problem.items))
        if any(tl.cheapest(nothing) is None for tl in free):
            return False
        takers = Counter(i for tl in free for i in tl.items)
        return all(takers[i] >= left for i, left in enumerate(seats) if left > 0)

    def _seats(self, pinned: dict[int, tuple[int, ...]]) -> list[int]:
        """Per item, the teachers it still needs besides the pinned loads."""
        seats = [item.teachers for item in self.problem.items]
        for load in pinned.values():
            for i in load:
                seats[i] -= 1
        return seats

    def _restrict(self, pinned: dict[int, tuple[int, ...]], barred: set[tuple[int, tuple[int, ...]]]) -> None:
        """The teachers' loads and the master's columns as the pins and bars leave them."""
        closed = self._restrict_loads(pinned)
        for teacher, load, variable in self.columns:
            if teacher in pinned:
                allowed = load == pinned[teacher]
            else:
                allowed = (teacher, load) not in barred and closed.isdisjoint(load)
            variable.SetUb(math.inf if allowed else 0.0)

    def _restrict_loads(self, pinned: dict[int, tuple[int, ...]]) -> set[int]:
        """The teachers' loads as the pins leave them; the items with no seat left."""
        closed = {i for i, left in enumerate(self._seats(pinned)) if left <= 0}
        for teacher, loads in enumerate(self.loads.loads):
            loads.restrict(pinned.get(teacher), closed)
        return closed

    def _follow(self, rounds: int) -> bool:
        """After pins: every teacher's cheapest load at the last prices joins the master (so each has
        one it may still take), then `rounds` rounds of pricing; False at a dead end (a teacher left
        with no load within their limits)."""
        cheapest = self.loads.lagrangian(self.prices)
        if cheapest is None:
            return False
        for teacher, load in enumerate(cheapest[1]):
            self.generation.add(teacher, load)
        for _ in range(rounds):
            if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
                return False
            master = self.generation.item_prices({r: row.dual_value() for r, row in enumerate(self.coverage)})
            heights = [row.dual_value() for row in self.convexity]
            result = self.loads.lagrangian(master)
            if result is None:
                return False
            if self.objective.Value() + self.loads.constant - result[0] < DIVE_TOLERANCE:
                break  # the master is within a point of the rest's best fractional distribution
            added = 0
            for teacher, load in enumerate(result[1]):
                reduced = (
                    self.loads.loads[teacher].cost(load) - sum(master[i] for i in load) - heights[teacher]
                )
                if reduced < -IMPROVING and self.generation.add(teacher, load):
                    added += 1
            if not added:
                break
        return True


def dive_part(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None,
    start: LoadSolution,
    seconds: float,
    master: tuple[Loads, dict[int, float]] | None = None,
) -> tuple[dict[int, tuple[int, ...]], int]:
    """Per teacher, the loads a dive (`Dive.run`) pins in the part's master after column
    generation for DIVE_GENERATING of `seconds` from the LP's prices (every teacher's when it got to
    the end), and the bound the LP and the generation proved (0: none). With `master` (loads and
    prices of a generation already run, beside the search) the dive starts from it at once and
    has all of `seconds` (findings)."""
    began = time.monotonic()
    deadline, generating = began + seconds, began + seconds * DIVE_GENERATING
    if master is not None:
        loads, prices = master
        generation = ColumnGeneration(problem, weights, cap, start, prices, box=DIVE_BOX, exact=DIVE_EXACT)
        for teacher, load in loads:
            generation.add(teacher, load)
        if generation.impossible:
            return {}, 0
        return Dive(generation).run(deadline - time.monotonic()), 0
    relaxation = relaxation_prices(problem, weights, cap, seconds * DIVE_GENERATING)
    if relaxation is None:
        return {}, 0
    generation = ColumnGeneration(problem, weights, cap, start, relaxation[1], box=DIVE_BOX, exact=DIVE_EXACT)
    generation.run(max(0.0, generating - time.monotonic()))
    bound = max(relaxation[0], generation.bound() or 0)
    if generation.impossible:
        return {}, bound
    return Dive(generation).run(deadline - time.monotonic()), bound


def pinned_solution(problem: LoadProblem, pinned: dict[int, tuple[int, ...]]) -> LoadSolution | None:
    """The distribution the pinned loads make, if they are every teacher's and cover every item."""
    teams: list[list[int]] = [[] for _ in problem.items]
    for teacher, load in pinned.items():
        for i in load:
            teams[i].append(teacher)
    if len(pinned) < len(problem.teachers) or any(
        len(t) != i.teachers for t, i in zip(teams, problem.items, strict=True)
    ):
        return None
    return LoadSolution(problem_name=problem.name, teachers=tuple(tuple(sorted(t)) for t in teams))
