"""A proven lower bound for a load part from whole per-teacher loads (Lagrangian, column generation).

The LP bound (`relaxation.py`) lets a teacher take a third of an item and prepare a third of a
course. Here every teacher's load is whole: with a price on each item ("covering it is worth this
much"), the cheapest load each teacher can take is found exactly by dynamic programming over hours,
per term, course by course; the prices of the items plus the teachers' cheapest loads is then a
lower bound on every distribution (weak duality, any prices). Prices come from a restricted master
LP over the loads found so far (GLOP), smoothed towards the best prices seen (Wentges), starting
from the LP bound's own prices; the bound is the best Lagrangian value met, worked out in plain
arithmetic.

Per teacher, a load is priced as the checkers do, except where a course's items differ in term or
kind, where it is priced lower (still a bound): a course with items in both terms costs half its
preparation in each term, a wish is met by any item of its course and term, a lecture whose
practices fall in another term is never split, and a co-taught lecture is never split.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

import constraints.load as load_rules
from models.load import LoadProblem, LoadSolution
from solver.load.components import part_size
from solver.load.relaxation import relaxation_prices

ROUNDING = 1e-6  # what the bound may lose to floating point before it is rounded up
SMOOTHING = 0.7  # share of the best prices in the prices a round looks at (Wentges)
IMPROVING = 1e-6  # reduced cost below which a load joins the master
BOX = 0.3  # how far a round's prices may stray from the best met, in objective units


@dataclass
class Table:
    """Least cost per exact number of hours (inf where no selection has that many), and how to
    recover a selection achieving it."""

    values: np.ndarray
    trace: Callable[[int], list[int]]


def _empty(hours: int) -> Table:
    values = np.full(hours + 1, np.inf)
    values[0] = 0.0
    return Table(values, lambda h: [])


def _knapsack(table: Table, items: Sequence[tuple[int, int, float, bool]]) -> Table:
    """Items (index, hours, cost, forced) added to a table: each taken or not (forced: taken)."""
    values = table.values.copy()
    size = len(values)
    took: list[np.ndarray | None] = []  # per item, where taking it is cheaper (from its hours on)
    for _, hours, cost, forced in items:
        if hours >= size:
            if forced:
                values[:] = np.inf
            took.append(None)
            continue
        taken = values[: size - hours] + cost
        if forced:
            values[hours:] = taken
            values[:hours] = np.inf
            took.append(np.ones(size - hours, dtype=bool))
        else:
            better = taken < values[hours:]
            values[hours:][better] = taken[better]
            took.append(better)
    chosen = list(items)
    inner = table.trace

    def trace(h: int) -> list[int]:
        picked = []
        for (index, hours, _, _), taken in zip(reversed(chosen), reversed(took), strict=True):
            if taken is not None and h >= hours and taken[h - hours]:
                picked.append(index)
                h -= hours
        return picked + inner(h)

    return Table(values, trace)


def _convolve(first: Table, second: Table) -> Table:
    """The cheapest of a selection from each, per total hours (min-plus convolution)."""
    size = len(first.values)
    values = np.full(size, np.inf)
    split_at = np.zeros(size, dtype=np.int64)
    for s in np.flatnonzero(np.isfinite(second.values)):
        candidate = first.values[: size - s] + second.values[s]
        better = candidate < values[s:]
        values[s:] = np.where(better, candidate, values[s:])
        split_at[s:][better] = s

    def trace(h: int) -> list[int]:
        s = int(split_at[h])
        return second.trace(s) + first.trace(h - s)

    return Table(values, trace)


@dataclass
class _Group:
    """One course's items a teacher may take in one term, with what taking any of them costs."""

    items: list[int] = field(default_factory=list)
    setup: float = 0.0  # preparing the course, less a wish met


class TeacherLoads:
    """One teacher's possible loads in a part and their exact cheapest at given item prices."""

    def __init__(
        self, problem: LoadProblem, teacher: int, items: list[int], weights: dict[str, int], cap: int | None
    ):
        person = problem.teachers[teacher]
        self.problem, self.teacher, self.items = problem, teacher, items
        weight = weights.get
        self.w_total = weight(load_rules.total_deviation.NAME, 0)
        self.w_terms = weight(load_rules.term_balance.NAME, 0) if not person.unavailable_terms else 0
        self.w_split = weight(load_rules.lecture_practice_split.NAME, 0)
        self.target = problem.target(person)
        self.tolerance = load_rules.term_balance.tolerance(problem, person)
        least, most = person.minimum, problem.maximum(person)
        if cap is not None:
            least, most = max(least, self.target - cap), min(most, self.target + cap)
        self.least, self.most = least, most
        self.hours = max(0, most)
        entries = problem.items
        self.base: dict[int, float] = {}
        for i in items:
            item = entries[i]
            cost = 0.0
            if item.course in person.unwanted:
                cost += weight(load_rules.unwanted_courses.NAME, 0)
            if teacher in item.previous:
                cost -= weight(load_rules.changes.NAME, 0)
            self.base[i] = cost
        self.forced = {i for i in items if teacher in entries[i].fixed}
        self.share = {i: entries[i].share for i in items}
        self.constant = 0.0  # a wish costs its weight unless met
        prepare, wish = weight(load_rules.courses_prepared.NAME, 0), weight(load_rules.wanted_courses.NAME, 0)
        wished = {
            entries[i].course
            for i in items
            if entries[i].course in person.wanted and problem.can_teach(person, entries[i])
        }
        self.constant += wish * len(wished)
        self.groups: dict[tuple[str, int], _Group] = defaultdict(_Group)
        for i in items:
            self.groups[entries[i].course, entries[i].term].items.append(i)
        terms_of: dict[str, set[int]] = defaultdict(set)
        for course, term in self.groups:
            terms_of[course].add(term)
        for (course, _), group in self.groups.items():
            kinds = {entries[i].is_class for i in group.items}
            if kinds == {True} and all(entries[i].share > 0 for i in group.items):
                group.setup += prepare / len(terms_of[course])
            if course in wished and all(entries[i].share > 0 for i in group.items):
                group.setup -= wish
        # A single-teacher lecture is split unless its teacher takes one of its practices (same group).
        self.split_practices: dict[int, list[int]] = {}
        if self.w_split:
            mine = set(items)
            for lecture, practices in problem.practices_of.items():
                if lecture not in mine or entries[lecture].teachers != 1:
                    continue
                own = [p for p in practices if p in mine]
                same = all(
                    entries[p].term == entries[lecture].term and entries[p].course == entries[lecture].course
                    for p in own
                )
                if same and all(entries[p].share > 0 for p in own):
                    self.split_practices[lecture] = own

    def cost(self, load: Sequence[int]) -> float:
        """The price of one load without item prices, as the dynamic programme counts it."""
        entries = self.problem.items
        chosen = set(load)
        value = self.constant + sum(self.base[i] for i in chosen)
        for group in self.groups.values():
            if chosen & set(group.items):
                value += group.setup
        for lecture, practices in self.split_practices.items():
            if lecture in chosen and not chosen & set(practices):
                value += self.w_split
        first = sum(entries[i].share for i in chosen if entries[i].term == 1)
        second = sum(entries[i].share for i in chosen if entries[i].term == 2)
        return value + self._ends(first, second)

    def _ends(self, first: float, second: float) -> float:
        return self.w_terms * max(0, abs(first - second) - self.tolerance) + self.w_total * abs(
            self.target - first - second
        )

    def cheapest(self, prices: dict[int, float]) -> tuple[float, list[int]] | None:
        """The least price of a load within the teacher's limits, and one such load; None when the
        teacher has none (the forced items alone break a limit)."""
        if self.most < self.least:
            return None
        entries = self.problem.items
        reduced = {i: self.base[i] - prices.get(i, 0.0) for i in self.items}
        terms = {}
        for term in (1, 2):
            table = _empty(self.hours)
            lectures = {lecture for lecture in self.split_practices if entries[lecture].term == term}
            for (_, group_term), group in self.groups.items():
                if group_term != term:
                    continue
                streams = [lecture for lecture in lectures if lecture in group.items]
                if not group.setup and not streams:
                    table = _knapsack(table, [self._entry(i, reduced) for i in group.items])
                    continue
                in_streams = {p for lecture in streams for p in (lecture, *self.split_practices[lecture])}
                inner = _knapsack(
                    _empty(self.hours), [self._entry(i, reduced) for i in group.items if i not in in_streams]
                )
                for lecture in streams:
                    inner = _convolve(inner, self._stream(lecture, reduced))
                if group.setup:
                    values = inner.values.copy()
                    values[1:] += group.setup
                    inner = Table(values, inner.trace)
                table = _convolve(table, inner)
            terms[term] = table
        first, second = terms[1], terms[2]
        # Every split of an allowed total over the two terms (the window is narrow once the largest
        # deviation is held, so this is far smaller than all pairs).
        totals = np.arange(max(self.least, 0), min(self.most, 2 * self.hours) + 1)
        if not len(totals):
            return None
        lowest = np.maximum(0, totals - self.hours)
        counts = np.minimum(totals, self.hours) - lowest + 1
        total = np.repeat(totals, counts)
        one = (
            np.arange(len(total)) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(lowest, counts)
        )
        two = total - one
        grid = first.values[one] + second.values[two]
        grid += self.w_terms * np.maximum(0, np.abs(one - two) - self.tolerance)
        grid += self.w_total * np.abs(self.target - total)
        best = int(np.argmin(grid))
        value = float(grid[best])
        if not math.isfinite(value):
            return None
        return value + self.constant, first.trace(int(one[best])) + second.trace(int(two[best]))

    def _entry(self, i: int, reduced: dict[int, float]) -> tuple[int, int, float, bool]:
        return i, self.share[i], reduced[i], i in self.forced

    def _stream(self, lecture: int, reduced: dict[int, float]) -> Table:
        """A lecture and its practices: the lecture alone costs the split."""
        practices = [self._entry(p, reduced) for p in self.split_practices[lecture]]
        everything = _knapsack(_empty(self.hours), practices)
        some_values = everything.values.copy()
        if not any(forced for *_, forced in practices):
            some_values[0] = np.inf
        none = (
            _empty(self.hours)
            if not any(forced for *_, forced in practices)
            else Table(np.full(self.hours + 1, np.inf), lambda h: [])
        )
        share, cost, forced = self.problem.items[lecture].share, reduced[lecture], lecture in self.forced
        options = [] if forced else [everything]
        for base, extra in ((Table(some_values, everything.trace), 0.0), (none, self.w_split)):
            values = np.full(self.hours + 1, np.inf)
            if share <= self.hours:
                values[share:] = base.values[: self.hours + 1 - share] + cost + extra
            options.append(Table(values, _after(base.trace, lecture, share)))
        return _cheapest_of(options)


def _after(trace: Callable[[int], list[int]], lecture: int, share: int) -> Callable[[int], list[int]]:
    return lambda h: [lecture, *trace(h - share)]


def _cheapest_of(tables: list[Table]) -> Table:
    stacked = np.vstack([table.values for table in tables])
    which = np.argmin(stacked, axis=0)
    return Table(stacked.min(axis=0), lambda h: tables[int(which[h])].trace(h))


class LoadColumns:
    """The part's teachers' loads, and the bound their prices give."""

    def __init__(self, problem: LoadProblem, weights: dict[str, int], cap: int | None):
        self.problem = problem
        mine: dict[int, list[int]] = defaultdict(list)
        for item, candidates in zip(problem.items, problem.candidates, strict=True):
            for teacher in dict.fromkeys(candidates):
                mine[teacher].append(item.index)
        self.loads = [TeacherLoads(problem, t.index, mine[t.index], weights, cap) for t in problem.teachers]
        changed = weights.get(load_rules.changes.NAME, 0)
        self.constant = changed * sum(len(dict.fromkeys(item.previous)) for item in problem.items)

    def lagrangian(self, prices: dict[int, float]) -> tuple[float, list[list[int]]] | None:
        """The bound these prices give and each teacher's cheapest load at them (None: some teacher
        has no load within their limits, so no distribution exists)."""
        value = self.constant + sum(
            prices.get(item.index, 0.0) * item.teachers for item in self.problem.items
        )
        loads = []
        for teacher in self.loads:
            cheapest = teacher.cheapest(prices)
            if cheapest is None:
                return None
            value += cheapest[0]
            loads.append(cheapest[1])
        return value, loads


def loads_in(problem: LoadProblem, solution: LoadSolution) -> list[list[int]]:
    """Per teacher, the items a distribution gives them."""
    loads: list[list[int]] = [[] for _ in problem.teachers]
    for item, team in zip(problem.items, solution.teachers, strict=True):
        for teacher in team:
            loads[teacher].append(item.index)
    return loads


class ColumnGeneration:
    """Column generation over a part: a restricted master LP over the teachers' loads found so far,
    its prices kept within a box around the best prices met (box-step stabilisation), each round
    pricing every teacher exactly; the bound is the best Lagrangian value met."""

    def __init__(
        self,
        problem: LoadProblem,
        weights: dict[str, int],
        cap: int | None,
        start: LoadSolution | None,
        prices: dict[int, float] | None = None,
        box: float = BOX,
        stabilise: bool = True,
    ):
        """`start`: a distribution whose loads seed the master; without `stabilise` the prices stay
        within the box around `prices` (the feasibility question: every shortfall costs the box)."""
        self.problem, self.box, self.stabilise = problem, box, stabilise
        self.loads = LoadColumns(problem, weights, cap)
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.coverage = [self.solver.Constraint(item.teachers, item.teachers) for item in problem.items]
        self.convexity = [self.solver.Constraint(1, 1) for _ in problem.teachers]
        self.objective = self.solver.Objective()
        self.objective.SetMinimization()
        self.seen: set[tuple[int, tuple[int, ...]]] = set()
        # Slack on each coverage row priced at the centre +- the box keeps the master's prices within
        # the box.
        self.short = [self.solver.NumVar(0, math.inf, "") for _ in problem.items]
        self.over = [self.solver.NumVar(0, math.inf, "") for _ in problem.items]
        for row, below, above in zip(self.coverage, self.short, self.over, strict=True):
            row.SetCoefficient(below, 1)
            row.SetCoefficient(above, -1)
        for teacher, load in enumerate(loads_in(problem, start) if start is not None else []):
            self._add(teacher, load)
        self.prices = dict(prices or {})
        self.best = -math.inf
        self.rounds = 0
        self.converged = False
        first = self.loads.lagrangian(self.prices)
        self.impossible = first is None
        if first is not None:
            self.best = first[0]
            for teacher, load in enumerate(first[1]):
                self._add(teacher, load)
        self._centre(self.prices)

    def _add(self, teacher: int, load: Sequence[int]) -> bool:
        key = (teacher, tuple(sorted(load)))
        if key in self.seen:
            return False
        self.seen.add(key)
        variable = self.solver.NumVar(0, math.inf, "")
        self.objective.SetCoefficient(variable, self.loads.loads[teacher].cost(load))
        self.convexity[teacher].SetCoefficient(variable, 1)
        for i in load:
            self.coverage[i].SetCoefficient(variable, 1)
        return True

    def _centre(self, at: dict[int, float]) -> None:
        self.centre = at
        for i, (below, above) in enumerate(zip(self.short, self.over, strict=True)):
            self.objective.SetCoefficient(below, at.get(i, 0.0) + self.box)
            self.objective.SetCoefficient(above, -(at.get(i, 0.0) - self.box))

    def run(self, seconds: float, log: Callable[[str], None] | None = None) -> None:
        """Rounds until the prices are optimal or the time is spent (a round is not interrupted)."""
        began = time.monotonic()
        while not self.converged and not self.impossible and time.monotonic() - began < seconds:
            if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
                return
            master = {i: row.dual_value() for i, row in enumerate(self.coverage)}
            heights = [row.dual_value() for row in self.convexity]
            self.rounds += 1
            result = self.loads.lagrangian(master)
            if result is None:
                self.impossible = True
                return
            value, loads = result
            added = 0
            for teacher, load in enumerate(loads):
                reduced = (
                    self.loads.loads[teacher].cost(load) - sum(master[i] for i in load) - heights[teacher]
                )
                if reduced < -IMPROVING and self._add(teacher, load):
                    added += 1
            # Nothing prices out and the box does not bind: the master's optimum is the programme's.
            inside = all(abs(master[i] - self.centre.get(i, 0.0)) < self.box - IMPROVING for i in master)
            self.converged = not added and (inside or not self.stabilise)
            if self.stabilise and (value > self.best + IMPROVING or not added):
                self._centre(master)  # a step that raised the bound, or the box's optimum: move there
            if value > self.best:
                self.best, self.prices = value, master
            if log is not None:
                log(f"round {self.rounds} lagrangian {value:.1f} bound {self.best:.1f} added {added}")
            if not self.stabilise and self.best > IMPROVING:
                return  # the feasibility question is answered

    def bound(self) -> int | None:
        return None if self.impossible or not math.isfinite(self.best) else math.ceil(self.best - ROUNDING)


def cap_impossible(problem: LoadProblem, cap: int, seconds: float) -> bool:
    """Whether no distribution keeps every teacher within `cap` hours of target, proven in `seconds`
    (False: not proven). With every criterion off and a shortfall or surplus on an item costing one,
    a distribution within the cap costs nothing, so a positive Lagrangian value proves there is none."""
    generation = ColumnGeneration(problem, {}, cap, None, box=1.0, stabilise=False)
    generation.run(seconds)
    return generation.impossible or generation.best > IMPROVING


def largest_bound(
    problems: list[LoadProblem], reached: list[int], proven: list[int], seconds: float
) -> list[int]:
    """Per part, a bound on its largest deviation: the largest of the parts' own bounds (`proven`)
    is raised an hour at a time while some part is proven unable to keep everyone within it, in
    `seconds` (that part's bound rises with it). Tight, small parts are asked first: they are the
    likeliest and the quickest to be proven."""
    deadline = time.monotonic() + seconds
    bound = max(proven, default=0)
    own = list(proven)  # each part's bound, as its proofs raise it
    order = sorted(range(len(problems)), key=lambda p: (-proven[p], len(problems[p].teachers)))
    asked: set[tuple[int, int]] = set()  # (part, cap) not proven
    while bound < max(reached, default=0):
        # Parts whose own bound is an hour or more below are left out: whole items rarely cost more.
        waiting = [p for p in order if reached[p] > bound and own[p] >= bound - 1 and (p, bound) not in asked]
        left = deadline - time.monotonic()
        if not waiting or left <= 0:
            break
        if cap_impossible(problems[waiting[0]], bound, left / 2 if len(waiting) > 1 else left):
            bound += 1
            own[waiting[0]] = bound
        else:
            asked.add((waiting[0], bound))
    return own


def column_bound(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None,
    start: LoadSolution,
    seconds: float,
    prices: dict[int, float] | None = None,
    log: Callable[[str], None] | None = None,
    box: float = BOX,
) -> int | None:
    """A proven lower bound on the weighted criteria of every distribution keeping the hard rules
    (and every teacher within `cap` hours of target) from `seconds` of column generation begun at
    `start`'s loads and `prices`; None when no distribution exists."""
    generation = ColumnGeneration(problem, weights, cap, start, prices, box)
    generation.run(seconds, log)
    return generation.bound()


def part_bounds(
    parts: list[tuple[LoadProblem, LoadSolution]], weights: dict[str, int], cap: int | None, seconds: float
) -> list[int]:
    """Per part (its problem and a distribution within `cap`), the better of the LP bound and column
    generation's from the LP's prices, in `seconds` in all: first every part's LP (a fraction of a
    second each), then column generation, each part in proportion to its size, what a part leaves
    going to the next. A part whose LP does not finish keeps 0."""
    deadline = time.monotonic() + seconds
    sizes = [part_size(problem) for problem, _ in parts]
    relaxed = []
    for position, (problem, _) in enumerate(parts):
        left = deadline - time.monotonic()
        share = left * sizes[position] / sum(sizes[position:])
        relaxed.append(relaxation_prices(problem, weights, cap, max(share, left / 2)) if left > 0 else None)
    bounds = [relaxation[0] if relaxation is not None else 0 for relaxation in relaxed]
    for position, ((problem, start), relaxation) in enumerate(zip(parts, relaxed, strict=True)):
        share = max(0.0, deadline - time.monotonic()) * sizes[position] / sum(sizes[position:])
        if relaxation is None or share <= 0:
            continue
        generation = ColumnGeneration(problem, weights, cap, start, relaxation[1])
        generation.run(share)
        bounds[position] = max(bounds[position], generation.bound() or 0)
    return bounds
