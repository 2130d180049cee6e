"""Commissions that lend each other members, bounded by pricing the lent members' days.

A person sits on one panel a day. Dropping that rule leaves each commission of a part alone, quick
to solve, and their bounds add up to a bound of the part; a weak one where two commissions both
need the lent member on the same days. Pricing each lent member's day instead (a Lagrangian
relaxation): each commission alone pays the price of every day it seats the member, and for any
prices of zero or more the commissions' least costs, less the prices, still bound the part. A price
goes up by one on a day two commissions seat the member and down by one on a day none does; a round
in which nobody sits twice a day is also a timetable of the whole part.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

import constraints.attestation as sac_rules
from models import AttestationProblem, AttestationSolution, HearingPlace, Panel, Scenario
from solver.attestation.bounds import static_bound
from solver.attestation.parts import Part, restrict, seat, sub_problem
from solver.engine import Clock, solve_model

ROUNDS = 8  # price updates at most; the bound seldom rises after a few

Prices = dict[tuple[int, int], int]  # (person, day) -> price


class LentMembers:
    """A part of commissions known to lend members (each hearing's commission named, no supervisor
    before two of them), priced round after round; the best bound and timetable so far."""

    def __init__(
        self, problem: AttestationProblem, part: Part, scenario: Scenario, start: AttestationSolution | None
    ) -> None:
        self.problem, self.part, self.scenario = problem, part, scenario
        self.singles = [
            Part([commission], [h for h in part.hearings if problem.hearings[h].commission == commission])
            for commission in part.commissions
        ]
        boards = [set(problem.commissions[c].members) for c in part.commissions]
        self.lent = sorted({p for board in boards for p in board if sum(p in b for b in boards) > 1})
        self.local_problem = sub_problem(problem, part, {})
        self.prices: Prices = {}
        self.hints: list[AttestationSolution | None] = [
            restrict(start, single) if start is not None else None for single in self.singles
        ]
        self.bound = 0
        self.timetable: AttestationSolution | None = None  # numbered as the whole; may break the rule
        self.cost: int | None = None  # the part's cost of `timetable` when it keeps every rule

    def local(self) -> AttestationSolution | None:
        """The best timetable numbered as the part, seated in rooms afresh; None when none keeps
        every rule."""
        if self.timetable is None or self.cost is None:
            return None
        return _seated(self.local_problem, self.part, self.timetable)

    @property
    def proven(self) -> bool:
        return self.cost is not None and self.bound >= self.cost

    def rounds(self, time_limit: float, workers: int, seed: int) -> None:
        """Price rounds until the bound meets a timetable of the part, or rounds or time run out."""
        clock = Clock(time_limit)
        for _ in range(ROUNDS):
            solve_seconds = clock.remaining() / (2 * len(self.singles))
            if self.proven or (self.timetable is not None and solve_seconds < 0.2):
                return
            self._round(max(0.2, solve_seconds), workers, seed)

    def _round(self, solve_seconds: float, workers: int, seed: int) -> None:
        bounds = []
        for position, single in enumerate(self.singles):
            timetable, bound = _priced_single(
                self.problem,
                single,
                self.scenario,
                self.prices,
                solve_seconds,
                workers,
                seed,
                self.hints[position],
            )
            bounds.append(bound)
            self.hints[position] = timetable or self.hints[position]
        whole = _together(self.problem, self.singles, self.hints)
        cost = _cost(self.local_problem, self.part, whole, self.scenario)
        self.bound = max(self.bound, sum(bounds) - sum(self.prices.values()))
        if cost is None and self.cost is None:
            whole, cost = self._repaired(solve_seconds, workers, seed) or (whole, cost)
        if self.timetable is None or (cost is not None and (self.cost is None or cost < self.cost)):
            self.timetable, self.cost = whole, cost
        sitting = _days_sat(whole, self.lent)
        for person in self.lent:
            for day in range(len(self.problem.days)):
                price = self.prices.get((person, day), 0) + sitting.get((person, day), 0) - 1
                if price > 0:
                    self.prices[person, day] = price
                else:
                    self.prices.pop((person, day), None)

    def _repaired(
        self, solve_seconds: float, workers: int, seed: int
    ) -> tuple[AttestationSolution, int] | None:
        """A timetable of the part from this round's: one commission solved again (unpriced) with
        its lent members away on the days the others seat them."""
        for position in reversed(range(len(self.singles))):
            others = _together(
                self.problem, self.singles, [h if p != position else None for p, h in enumerate(self.hints)]
            )
            busy: dict[int, set[int]] = {}
            for (person, day), _ in _days_sat(others, self.lent).items():
                busy.setdefault(person, set()).add(day)
            timetable, _ = _priced_single(
                self.problem,
                self.singles[position],
                self.scenario,
                {},
                solve_seconds,
                workers,
                seed,
                None,
                busy,
            )
            if timetable is None:
                continue
            hints = [timetable if p == position else h for p, h in enumerate(self.hints)]
            whole = _together(self.problem, self.singles, hints)
            cost = _cost(self.local_problem, self.part, whole, self.scenario)
            if cost is not None:
                return whole, cost
        return None


def _priced_single(
    problem: AttestationProblem,
    single: Part,
    scenario: Scenario,
    prices: Prices,
    time_limit: float,
    workers: int,
    seed: int,
    hint: AttestationSolution | None,
    busy: dict[int, set[int]] | None = None,
) -> tuple[AttestationSolution | None, int]:
    """One commission alone paying the prices of the days it seats a lent member (people away on
    their busy days): its best timetable found and a proven bound on its cost plus the prices."""
    from solver.attestation.solve import build_model

    local_problem = sub_problem(problem, single, busy or {})
    exact = build_model(local_problem, scenario)
    objective: list[cp_model.LinearExprT] = [weight * penalty for weight, penalty in exact.terms]
    objective += [
        price * present
        for sitting in exact.sits()
        for person, present in exact.present(sitting).items()
        if (price := prices.get((person, sitting[1]), 0))
    ]
    exact.model.minimize(cp_model.LinearExpr.sum(objective))
    if hint is not None:
        exact.hint(hint)
    run = solve_model(
        exact.model, exact.decision_variables(), time_limit=time_limit, workers=workers, seed=seed
    )
    # a bound needing no search holds too, the prices counted in it
    bound = max(
        math.ceil(run.bound) if run.bound is not None else 0, static_bound(problem, single, scenario, prices)
    )
    return (exact.decode(run.values) if run.has_solution else None), bound


def _together(
    problem: AttestationProblem, singles: list[Part], timetables: list[AttestationSolution | None]
) -> AttestationSolution:
    """The commissions' timetables as one of the whole (numbered as the whole)."""
    places: list[HearingPlace | None] = [None] * len(problem.hearings)
    panels: list[Panel] = []
    for single, timetable in zip(singles, timetables, strict=True):
        if timetable is None:
            continue
        commission = single.commissions[0]
        for index, place in enumerate(timetable.places):
            if place is not None:
                places[single.hearings[index]] = place.model_copy(update={"commission": commission})
        panels += [panel.model_copy(update={"commission": commission}) for panel in timetable.panels]
    return AttestationSolution(problem_name=problem.name, places=tuple(places), panels=tuple(panels))


def _days_sat(timetable: AttestationSolution, lent: list[int]) -> dict[tuple[int, int], int]:
    """Per lent member and day, on how many panels they sit."""
    sitting: dict[tuple[int, int], int] = {}
    for panel in timetable.panels:
        for person in set(panel.members) & set(lent):
            sitting[person, panel.day] = sitting.get((person, panel.day), 0) + 1
    return sitting


def _seated(
    local_problem: AttestationProblem, part: Part, whole: AttestationSolution
) -> AttestationSolution | None:
    """The part's share of a timetable, numbered as the part, its sittings seated afresh (rooms
    are the whole's concern); None when a hearing has no place or rooms run out."""
    local = restrict(whole, part)
    if any(place is None for place in local.places):
        return None
    seated = seat(local_problem, list(local.places))
    return None if seated is None else local.model_copy(update={"places": tuple(seated)})


def _cost(
    local_problem: AttestationProblem, part: Part, whole: AttestationSolution, scenario: Scenario
) -> int | None:
    """The part's cost of a timetable seated afresh; None when it breaks a rule."""
    local = _seated(local_problem, part, whole)
    if local is None:
        return None
    evaluation = sac_rules.evaluate(local_problem, local, scenario)
    return evaluation.total if evaluation.feasible else None
