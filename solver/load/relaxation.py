"""A proven lower bound for a load part from the linear relaxation of an exact integer programme.

CP-SAT's own relaxation of the part is weak where a criterion links many decisions: a course is
prepared when any of its items is taught, a lecture is split when none of its practices goes to
the lecturer, terms differ by an absolute value. The programme here states each of those per
teacher and item ("teaching this item means preparing its course"), which an LP can use; GLOP solves
it in a fraction of a second. Its value is then re-derived from GLOP's duals in plain arithmetic
(any duals give a bound, by weak duality), so the bound holds whatever GLOP's tolerances did.

At integer points the programme prices a distribution exactly as the checkers do, except a
co-taught lecture's split, which it leaves out (so it can only be lower).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

import constraints.load as load_rules
from models.load import LoadProblem

ROUNDING = 1e-6  # what the re-derived bound may lose to floating point before it is rounded up


@dataclass
class LinearProgramme:
    """Bounded variables, ranged rows and a constant, in a form GLOP takes and plain Python checks."""

    costs: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[tuple[float, float, dict[int, float]]] = field(default_factory=list)
    constant: float = 0.0

    def variable(self, lower: float, upper: float, cost: float = 0.0) -> int:
        self.costs.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.costs) - 1

    def row(self, lower: float, upper: float, coefficients: dict[int, float]) -> None:
        self.rows.append((lower, upper, coefficients))

    def bound(self, seconds: float) -> float | None:
        """A lower bound on the programme's minimum (None when GLOP does not finish)."""
        solved = self.solve(seconds)
        return None if solved is None else solved[0]

    def solve(self, seconds: float) -> tuple[float, list[float]] | None:
        """A lower bound on the programme's minimum and the row prices that give it (None when GLOP
        does not finish)."""
        solver = pywraplp.Solver.CreateSolver("GLOP")
        solver.SetTimeLimit(max(1, int(seconds * 1000)))
        variables = [solver.NumVar(low, high, "") for low, high in zip(self.lower, self.upper, strict=True)]
        constraints = []
        for low, high, coefficients in self.rows:
            constraint = solver.Constraint(low, high)
            for index, coefficient in coefficients.items():
                constraint.SetCoefficient(variables[index], coefficient)
            constraints.append(constraint)
        objective = solver.Objective()
        for variable, cost in zip(variables, self.costs, strict=True):
            objective.SetCoefficient(variable, cost)
        objective.SetMinimization()
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        duals = [constraint.dual_value() for constraint in constraints]
        return self.dual_bound(duals), duals

    def dual_bound(self, duals: list[float]) -> float:
        """The Lagrangian value of any row prices: rows priced at the side their sign allows, each
        variable at the end of its range its reduced cost prefers (weak duality)."""
        reduced = list(self.costs)
        value = self.constant
        for (low, high, coefficients), dual in zip(self.rows, duals, strict=True):
            if not dual or (dual > 0 and math.isinf(low)) or (dual < 0 and math.isinf(high)):
                continue  # a price the row cannot have: leave it out (price 0)
            value += dual * (low if dual > 0 else high)
            for index, coefficient in coefficients.items():
                reduced[index] -= dual * coefficient
        for cost, low, high in zip(reduced, self.lower, self.upper, strict=True):
            value += cost * (low if cost > 0 else high)
        return value


def relaxation_bound(
    problem: LoadProblem, weights: dict[str, int], cap: int | None, seconds: float = 10.0
) -> int | None:
    """A proven lower bound on the weighted criteria of every distribution keeping the hard rules
    (and every teacher within `cap` hours of target); None when the LP takes too long."""
    value = formulate(problem, weights, cap).bound(seconds)
    return None if value is None else math.ceil(value - ROUNDING)


def relaxation_prices(
    problem: LoadProblem, weights: dict[str, int], cap: int | None, seconds: float = 10.0
) -> tuple[int, dict[int, float]] | None:
    """The LP bound and the price of covering each item at the LP's optimum (where column
    generation starts); None when the LP takes too long."""
    solved = formulate(problem, weights, cap).solve(seconds)
    if solved is None:
        return None
    value, duals = solved
    return math.ceil(value - ROUNDING), {item.index: duals[item.index] for item in problem.items}


def formulate(
    problem: LoadProblem, weights: dict[str, int], cap: int | None, fixed: list[set[int]] | None = None
) -> LinearProgramme:
    """The part's integer programme without integrality. `fixed` (per item, its teachers) pins the
    decisions to one distribution, which a test uses to show the pricing is the checkers'. Row k is
    item k's coverage."""
    lp = LinearProgramme()
    items = problem.items
    teaches: dict[tuple[int, int], int] = {}
    for item, candidates in zip(items, problem.candidates, strict=True):
        coverage: dict[int, float] = {}
        for teacher in dict.fromkeys(candidates):
            pinned = fixed is not None and teacher in fixed[item.index]
            least = 1.0 if teacher in item.fixed or pinned else 0.0
            most = 0.0 if fixed is not None and not pinned else 1.0
            teaches[item.index, teacher] = lp.variable(least, most)
            coverage[teaches[item.index, teacher]] = 1.0
        lp.row(item.teachers, item.teachers, coverage)
    mine: dict[int, list[int]] = defaultdict(list)
    for item_index, teacher in teaches:
        mine[teacher].append(item_index)

    def load(teacher: int, term: int | None = None, sign: float = 1.0) -> dict[int, float]:
        return {
            teaches[i, teacher]: sign * items[i].share
            for i in mine[teacher]
            if term is None or items[i].term == term
        }

    def add_cost(variable: int, cost: float) -> None:
        lp.costs[variable] += cost

    def weight(name: str) -> int:
        return weights.get(name, 0)

    largest = None
    widest = max(
        (problem.target(t) + sum(items[i].share for i in mine[t.index]) for t in problem.teachers), default=0
    )
    if weight(load_rules.largest_deviation.NAME):
        largest = lp.variable(0, widest, weight(load_rules.largest_deviation.NAME))
    for person in problem.teachers:
        teacher, target = person.index, problem.target(person)
        reach = sum(items[i].share for i in mine[teacher])
        least, most = person.minimum, problem.maximum(person)
        if cap is not None:
            least, most = max(least, target - cap), min(most, target + cap)
        lp.row(least, most, load(teacher))
        gaps = [largest] if largest is not None else []
        if weight(load_rules.total_deviation.NAME):
            gaps.append(lp.variable(0, widest, weight(load_rules.total_deviation.NAME)))
        for gap in gaps:
            lp.row(-target, math.inf, {gap: 1.0} | load(teacher, sign=-1.0))  # gap >= target - load
            lp.row(target, math.inf, {gap: 1.0} | load(teacher))  # gap >= load - target
        if weight(load_rules.term_balance.NAME) and not person.unavailable_terms:
            allowed = load_rules.term_balance.tolerance(problem, person)
            excess = lp.variable(0, reach, weight(load_rules.term_balance.NAME))
            for sign in (1.0, -1.0):  # excess >= +-(term 1 - term 2) - allowed
                between = load(teacher, 1, -sign) | load(teacher, 2, sign)
                lp.row(-allowed, math.inf, {excess: 1.0} | between)
        unwanted = weight(load_rules.unwanted_courses.NAME)
        for i in mine[teacher]:
            if items[i].course in person.unwanted:
                add_cost(teaches[i, teacher], unwanted)
        _courses(lp, problem, weights, teacher, mine[teacher], teaches)
    _split_lectures(lp, problem, weight(load_rules.lecture_practice_split.NAME), teaches)
    changed = weight(load_rules.changes.NAME)
    for item in items:
        for teacher in dict.fromkeys(item.previous):
            lp.constant += changed
            if (item.index, teacher) in teaches:
                add_cost(teaches[item.index, teacher], -changed)
    return lp


def _courses(
    lp: LinearProgramme,
    problem: LoadProblem,
    weights: dict[str, int],
    teacher: int,
    mine: list[int],
    teaches: dict[tuple[int, int], int],
) -> None:
    """Courses prepared (teaching an item means preparing its course) and wishes met (a wish is met
    only by teaching some of the course)."""
    prepare, wish = (
        weights.get(load_rules.courses_prepared.NAME, 0),
        weights.get(load_rules.wanted_courses.NAME, 0),
    )
    person = problem.teachers[teacher]
    by_course: dict[str, list[int]] = defaultdict(list)
    wished: dict[str, list[int]] = defaultdict(list)
    for i in mine:
        item = problem.items[i]
        if item.is_class:
            by_course[item.course].append(i)
        if item.course in person.wanted and problem.can_teach(person, item):
            wished[item.course].append(i)
    if prepare:
        for course_items in by_course.values():
            prepared = lp.variable(0, 1, prepare)
            for i in course_items:
                lp.row(0, math.inf, {prepared: 1.0, teaches[i, teacher]: -1.0})
    if wish:
        for course_items in wished.values():
            lp.constant += wish
            met = lp.variable(0, 1, -wish)
            lp.row(0, math.inf, {met: -1.0} | {teaches[i, teacher]: 1.0 for i in course_items})


def _split_lectures(
    lp: LinearProgramme, problem: LoadProblem, weight: int, teaches: dict[tuple[int, int], int]
) -> None:
    """A lecture given by one teacher is split when that teacher gives none of its practices or labs;
    co-taught lectures are left out (the bound may only be lower)."""
    if not weight:
        return
    for lecture, practices in problem.practices_of.items():
        if problem.items[lecture].teachers != 1:
            continue
        for teacher in dict.fromkeys(problem.candidates[lecture]):
            split = lp.variable(0, 1, weight)
            together = {teaches[p, teacher]: 1.0 for p in practices if (p, teacher) in teaches}
            lp.row(0, math.inf, {split: 1.0, teaches[lecture, teacher]: -1.0} | together)
