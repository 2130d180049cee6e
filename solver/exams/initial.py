"""A first feasible exam timetable: periods first on a small model, then rooms period by period.

One Boolean per exam and allowed period, an "at most one" per period over cliques of exams that
share students, and the room capacity only in aggregate (with slack, and for the exams that fit
only the largest rooms). Rooms are then packed per period; a group of exams that cannot be packed
together is forbidden in every period (all periods offer the same rooms, so this cut is valid)
and the periods are solved again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import ExamProblem, ExamSolution, PeriodRelation, Pin
from solver.engine import Clock, model_size, solve_model
from solver.exams.model import ConflictIndex
from solver.exams.rooms import pack_period

CAPACITY_SLACK = 0.9  # aggregate seats usable per period; full use rarely packs (FINDINGS.md)


@dataclass
class InitialResult:
    solution: ExamSolution | None
    proven_infeasible: bool = False
    variables: int = 0
    constraints: int = 0
    rounds: int = 0
    nogoods: list[tuple[int, ...]] = field(default_factory=list)


def clique_cover(conflicts: ConflictIndex) -> list[list[int]]:
    """Cover every conflict edge by greedy cliques, so one "at most one" replaces many pairs."""
    shared = conflicts.shared
    uncovered = [set(neighbours) for neighbours in shared]
    order = sorted(range(len(shared)), key=lambda exam: -len(shared[exam]))
    cliques: list[list[int]] = []
    for seed in order:
        while uncovered[seed]:
            clique = [seed]
            candidates = sorted(uncovered[seed], key=lambda exam: -len(shared[exam]))
            for candidate in candidates:
                if all(candidate in shared[member] for member in clique):
                    clique.append(candidate)
            for position, first in enumerate(clique):
                for second in clique[position + 1 :]:
                    uncovered[first].discard(second)
                    uncovered[second].discard(first)
            cliques.append(clique)
    return cliques


class PeriodModel:
    """Exams into periods only, with room capacity in aggregate."""

    def __init__(
        self, problem: ExamProblem, conflicts: ConflictIndex, pins: dict[int, Pin], slack: float
    ) -> None:
        self.problem = problem
        self.slack = slack
        self.model = cp_model.CpModel()
        model = self.model
        self.take: dict[tuple[int, int], cp_model.IntVar] = {}
        self.by_exam: dict[int, dict[int, cp_model.IntVar]] = {}
        for exam in problem.exams:
            allowed = [p.index for p in problem.periods if p.duration >= exam.duration]
            if exam.index in pins:
                allowed = [p for p in allowed if p == pins[exam.index].period]
            for period in allowed:
                self.take[exam.index, period] = model.NewBoolVar(
                    f"exam_period[{exam.index},{period}]"
                )
            self.by_exam[exam.index] = {p: self.take[exam.index, p] for p in allowed}
            model.AddExactlyOne(self._of(exam.index).values())
        for clique in clique_cover(conflicts):
            for period in problem.periods:
                here = [
                    self.take[e, period.index] for e in clique if (e, period.index) in self.take
                ]
                if len(here) > 1:
                    model.AddAtMostOne(here)
        self._post_period_constraints()
        if problem.uses_rooms:
            self._post_aggregate_capacity()

    def _of(self, exam: int) -> dict[int, cp_model.IntVar]:
        return self.by_exam[exam]

    def _period_var(self, exam: int) -> cp_model.LinearExprT:
        return sum(period * lit for period, lit in self._of(exam).items())

    def _post_period_constraints(self) -> None:
        model = self.model
        for constraint in self.problem.period_constraints:
            first, second = self._of(constraint.first), self._of(constraint.second)
            if constraint.relation is PeriodRelation.AFTER:
                model.Add(self._period_var(constraint.first) > self._period_var(constraint.second))
            elif constraint.relation is PeriodRelation.EXAM_COINCIDENCE:
                for period in first.keys() | second.keys():
                    a, b = first.get(period), second.get(period)
                    model.Add((a if a is not None else 0) == (b if b is not None else 0))
            else:
                for period in first.keys() & second.keys():
                    model.AddAtMostOne([first[period], second[period]])

    def _post_aggregate_capacity(self) -> None:
        """Seats per period in aggregate, and exams that fit only the k largest rooms need them."""
        problem = self.problem
        capacities = sorted((room.capacity for room in problem.rooms), reverse=True)
        total = sum(capacities)
        sizes = {exam.index: exam.size for exam in problem.exams}
        for period in problem.periods:
            here = {e: lit for (e, p), lit in self.take.items() if p == period.index}
            self.model.Add(
                sum(sizes[e] * lit for e, lit in here.items()) <= int(self.slack * total)
            )
            exclusive = [lit for e, lit in here.items() if e in problem.room_exclusive]
            if exclusive:
                self.model.Add(sum(exclusive) <= len(capacities))
            for k in range(1, len(capacities)):
                big = [(sizes[e], lit) for e, lit in here.items() if sizes[e] > capacities[k]]
                if big and sum(size for size, _ in big) > sum(capacities[:k]):
                    self.model.Add(sum(size * lit for size, lit in big) <= sum(capacities[:k]))

    def forbid_together(self, group: tuple[int, ...]) -> None:
        for period in self.problem.periods:
            here = [self.take[e, period.index] for e in group if (e, period.index) in self.take]
            if len(here) == len(group):
                self.model.AddBoolOr([lit.Not() for lit in here])

    def hint(self, periods: tuple[int, ...]) -> None:
        self.model.ClearHints()
        for (exam, period), lit in self.take.items():
            self.model.AddHint(lit, periods[exam] == period)

    def decode(self, values: dict[int, int]) -> list[int]:
        periods = [0] * len(self.problem.exams)
        for (exam, period), lit in self.take.items():
            if values[lit.Index()]:
                periods[exam] = period
        return periods


def initial_timetable(
    problem: ExamProblem,
    conflicts: ConflictIndex,
    pins: dict[int, Pin],
    clock: Clock,
    workers: int,
    seed: int,
    should_stop: Callable[[], bool] | None = None,
) -> InitialResult:
    """Periods, then rooms; repeat with forbidden groups until every period packs."""
    slack = CAPACITY_SLACK if len(problem.rooms) > 1 else 1.0  # one shared room packs exactly
    periods_model = PeriodModel(problem, conflicts, pins, slack)
    variables, constraints = model_size(periods_model.model)
    result = InitialResult(solution=None, variables=variables, constraints=constraints)
    while clock.remaining() > 0 and not (should_stop and should_stop()):
        result.rounds += 1
        run = solve_model(
            periods_model.model,
            list(periods_model.take.values()),
            time_limit=clock.remaining(),
            workers=workers,
            seed=seed,
        )
        if run.proven_infeasible and periods_model.slack < 1.0:
            # the slack is a heuristic cut: drop it before concluding anything
            periods_model = PeriodModel(problem, conflicts, pins, 1.0)
            for group in result.nogoods:
                periods_model.forbid_together(group)
            continue
        if run.proven_infeasible:
            result.proven_infeasible = True
            return result
        if not run.has_solution:
            return result
        periods = periods_model.decode(run.values)
        if not problem.uses_rooms:
            result.solution = ExamSolution(
                problem_name=problem.name, periods=tuple(periods), rooms=(None,) * len(periods)
            )
            return result
        rooms: list[int | None] = [None] * len(periods)
        failed = False
        for period in problem.periods:
            exams = [e for e, p in enumerate(periods) if p == period.index]
            packed, group = pack_period(problem, exams, pins, min(2.0, clock.remaining()), seed)
            if packed is None:
                failed = True
                if group:
                    result.nogoods.append(group)
                    periods_model.forbid_together(group)
                continue
            for exam, room in packed.items():
                rooms[exam] = room
        if not failed:
            result.solution = ExamSolution(
                problem_name=problem.name, periods=tuple(periods), rooms=tuple(rooms)
            )
            return result
        periods_model.hint(tuple(periods))
    return result
