"""A first feasible exam timetable: the greedy search, CP-SAT only where it falls short.

The greedy (iterative forward search) places periods and rooms together and usually finishes.
When it does not, a few left-out exams are placed by a small repair model; otherwise the period
model decides periods alone (one Boolean per exam and allowed period, an "at most one" per period
over cliques of exams that share students, room capacity in aggregate) and rooms are packed per
period; a group of exams that cannot be packed together is forbidden in every period (all
periods offer the same rooms, so this cut is valid) and the periods are solved again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import ExamProblem, ExamSolution, PeriodRelation, Pin
from solver.engine import Clock, model_size, solve_model
from solver.exams.greedy import greedy_periods
from solver.exams.model import ConflictIndex
from solver.exams.rooms import pack_period

REPAIR_AT_MOST = 5  # exams the greedy left out that a local repair tries to place
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
                self.take[exam.index, period] = model.new_bool_var(f"exam_period[{exam.index},{period}]")
            self.by_exam[exam.index] = {p: self.take[exam.index, p] for p in allowed}
            model.add_exactly_one(self._of(exam.index).values())
        for clique in clique_cover(conflicts):
            for slot in range(len(problem.periods)):
                here = [self.take[e, slot] for e in clique if (e, slot) in self.take]
                if len(here) > 1:
                    model.add_at_most_one(here)
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
                model.add(self._period_var(constraint.first) > self._period_var(constraint.second))
            elif constraint.relation is PeriodRelation.EXAM_COINCIDENCE:
                for period in first.keys() | second.keys():
                    a, b = first.get(period), second.get(period)
                    model.add((a if a is not None else 0) == (b if b is not None else 0))
            else:
                for period in first.keys() & second.keys():
                    model.add_at_most_one([first[period], second[period]])

    def _post_aggregate_capacity(self) -> None:
        """Seats per period in aggregate, and exams that fit only the k largest rooms need them."""
        problem = self.problem
        capacities = sorted((room.capacity for room in problem.rooms), reverse=True)
        total = sum(capacities)
        sizes = {exam.index: exam.size for exam in problem.exams}
        for period in problem.periods:
            here = {e: lit for (e, p), lit in self.take.items() if p == period.index}
            self.model.add(sum(sizes[e] * lit for e, lit in here.items()) <= int(self.slack * total))
            exclusive = [lit for e, lit in here.items() if e in problem.room_exclusive]
            if exclusive:
                self.model.add(sum(exclusive) <= len(capacities))
            for k in range(1, len(capacities)):
                big = [(sizes[e], lit) for e, lit in here.items() if sizes[e] > capacities[k]]
                if big and sum(size for size, _ in big) > sum(capacities[:k]):
                    self.model.add(sum(size * lit for size, lit in big) <= sum(capacities[:k]))

    def forbid_together(self, group: tuple[int, ...]) -> None:
        for period in self.problem.periods:
            here = [self.take[e, period.index] for e in group if (e, period.index) in self.take]
            if len(here) == len(group):
                self.model.add_bool_or([lit.negated() for lit in here])

    def hint(self, periods: dict[int, int]) -> None:
        """Hint the exams in `periods` (all or some) to those periods."""
        self.model.clear_hints()
        for (exam, period), lit in self.take.items():
            if exam in periods:
                self.model.add_hint(lit, periods[exam] == period)

    def decode(self, values: dict[int, int]) -> list[int]:
        periods = [0] * len(self.problem.exams)
        for (exam, period), lit in self.take.items():
            if values[lit.index]:
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
    """A greedy guess when it places everyone and packs; else the period model, then rooms."""
    slack = CAPACITY_SLACK if len(problem.rooms) > 1 else 1.0  # one shared room packs exactly
    result = InitialResult(solution=None)
    guess = greedy_periods(problem, conflicts, pins, seed, time_budget=min(10.0, clock.remaining() / 4))
    if len(guess.periods) == len(problem.exams):
        result.solution = ExamSolution(
            problem_name=problem.name,
            periods=tuple(guess.periods[exam] for exam in range(len(problem.exams))),
            rooms=tuple(guess.rooms.get(exam) for exam in range(len(problem.exams))),
        )
        return result
    periods = guess.periods
    if 0 < len(problem.exams) - len(periods) <= REPAIR_AT_MOST:
        periods = _repair(problem, conflicts, pins, periods, clock, workers, seed)
    unpackable: list[tuple[int, ...]] = []
    if len(periods) == len(problem.exams):
        in_order = [periods[exam] for exam in range(len(problem.exams))]
        result.solution, unpackable = _with_rooms(problem, in_order, pins, clock, seed)
        if result.solution is not None:
            return result
    periods_model = PeriodModel(problem, conflicts, pins, slack)
    result.variables, result.constraints = model_size(periods_model.model)
    periods_model.hint(periods)
    for group in unpackable:
        result.nogoods.append(group)
        periods_model.forbid_together(group)
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
        decided = periods_model.decode(run.values)
        result.solution, unpackable = _with_rooms(problem, decided, pins, clock, seed)
        if result.solution is not None:
            return result
        for group in unpackable:
            result.nogoods.append(group)
            periods_model.forbid_together(group)
        periods_model.hint(dict(enumerate(decided)))
    return result


def _repair(
    problem: ExamProblem,
    conflicts: ConflictIndex,
    pins: dict[int, Pin],
    guess: dict[int, int],
    clock: Clock,
    workers: int,
    seed: int,
) -> dict[int, int]:
    """Place the exams the greedy left out by moving only them and their neighbours.

    The exams that compete for the same large rooms move too. Returns the guess unchanged if
    that does not suffice; the period model then starts from it as a hint.
    """
    moving = {e.index for e in problem.exams if e.index not in guess}
    smallest = min(problem.exams[e].size for e in moving) if moving else 0
    moving |= {e.index for e in problem.exams if e.size >= smallest}  # they compete for big rooms
    moving |= {other for exam in list(moving) for other in conflicts.shared[exam]}
    fixed = {e: Pin(period=p) for e, p in guess.items() if e not in moving and e not in pins}
    repair_model = PeriodModel(problem, conflicts, {**pins, **fixed}, 1.0)  # packing judges
    run = solve_model(
        repair_model.model,
        list(repair_model.take.values()),
        time_limit=min(5.0, clock.remaining() / 6),
        workers=workers,
        seed=seed,
    )
    if run.has_solution:
        return dict(enumerate(repair_model.decode(run.values)))
    return guess


def _with_rooms(
    problem: ExamProblem, periods: list[int], pins: dict[int, Pin], clock: Clock, seed: int
) -> tuple[ExamSolution | None, list[tuple[int, ...]]]:
    """Pack every period's rooms; on failure, the groups of exams that could not be packed."""
    rooms: list[int | None] = [None] * len(periods)
    unpackable: list[tuple[int, ...]] = []
    if problem.uses_rooms:
        for period in problem.periods:
            exams = [e for e, p in enumerate(periods) if p == period.index]
            packed, group = pack_period(problem, exams, pins, min(2.0, clock.remaining()), seed)
            if packed is None:
                unpackable.append(group)
                continue
            for exam, room in packed.items():
                rooms[exam] = room
    if unpackable:
        return None, [group for group in unpackable if group]
    return ExamSolution(problem_name=problem.name, periods=tuple(periods), rooms=tuple(rooms)), []
