"""Fast moves between the CP-SAT steps: late-acceptance hill climbing on a feasible timetable.

A CP-SAT step re-decides a few dozen exams exactly but costs a model build each; this search
tries hundreds of thousands of small moves in the same time. Two kinds of move keep every hard
rule: one exam into another period (or room) where it fits, and a Kempe chain, which swaps
between two periods the group of exams linked by shared students so nobody ends up with two
exams at once. Costs are updated incrementally and equal the checker's (tests hold them to it).
Late acceptance (Burke and Bykov, developed on these very benchmarks) accepts a move when it is
no worse than the current timetable or than the one a fixed number of moves ago.
"""

from __future__ import annotations

import random

from models import ExamProblem, ExamSolution, Pin, Scoring
from solver.exams.model import ConflictIndex
from solver.exams.pricing import pair_costs, period_relations
from solver.late_acceptance import HISTORY, climb

CHAIN_AT_MOST = 40  # longer Kempe chains are rarely accepted and costly to try
ROOM_MOVES = 0.2  # share of moves that change only the room, when rooms matter


class ExamLocalSearch:
    """A feasible timetable kept with the bookkeeping that prices a move in time linear in the
    moved exams' neighbours."""

    def __init__(
        self,
        problem: ExamProblem,
        conflicts: ConflictIndex,
        weights: dict[str, int],
        pins: dict[int, Pin],
        seed: int = 0,
    ) -> None:
        self.problem = problem
        self.rng = random.Random(seed)
        self.neighbours = [tuple(shared.items()) for shared in conflicts.shared]
        self.shared = conflicts.shared
        self.pins = pins
        self.uses_rooms = problem.uses_rooms
        period_count = len(problem.periods)
        self.allowed = [
            [
                p.index
                for p in problem.periods
                if p.duration >= exam.duration and _pinned_ok(pins, exam.index, p.index)
            ]
            for exam in problem.exams
        ]
        self.size = [exam.size for exam in problem.exams]
        self.duration = [exam.duration for exam in problem.exams]
        self.exclusive = problem.room_exclusive
        self.capacity = [room.capacity for room in problem.rooms]
        self.rooms_for = [
            [
                room.index
                for room in problem.rooms
                if room.capacity >= exam.size
                and (pins.get(exam.index) is None or pins[exam.index].room in (None, room.index))
            ]
            for exam in problem.exams
        ]
        self.pair_cost = pair_costs(problem, weights)
        front = weights.get("front load", 0)
        period_weight = weights.get("period penalty", 0) if problem.scoring is Scoring.ITC2007 else 0
        self.own_cost = [
            [
                period_weight * period.penalty
                + (
                    front
                    if exam.index in problem.largest_exams and period.index in problem.last_periods
                    else 0
                )
                for period in problem.periods
            ]
            for exam in problem.exams
        ]
        room_weight = weights.get("room penalty", 0)
        self.room_cost = [room_weight * room.penalty for room in problem.rooms]
        self.mixed_weight = weights.get("mixed durations", 0) if self.uses_rooms else 0
        self.same, self.apart, self.after, self.before = period_relations(problem)
        self.movable = [
            e.index
            for e in problem.exams
            if e.index not in pins and e.index not in self.same and len(self.allowed[e.index]) > 1
        ] or [e.index for e in problem.exams if e.index not in pins and e.index not in self.same]
        self.history = [0] * HISTORY
        self._period_count = period_count
        self.period: list[int] = []
        self.room: list[int | None] = []
        self.cost = 0
        self.moves = 0

    # --- state ------------------------------------------------------------------------------

    def load(self, solution: ExamSolution, cost: int) -> None:
        """Take over a feasible timetable whose checker cost is `cost`."""
        problem = self.problem
        self.period = list(solution.periods)
        self.room = list(solution.rooms)
        self.in_period: list[set[int]] = [set() for _ in problem.periods]
        self.blocked = [[0] * self._period_count for _ in problem.exams]
        self.seats = [list(self.capacity) for _ in problem.periods]
        self.occupants: list[list[dict[int, int]]] = [[{} for _ in problem.rooms] for _ in problem.periods]
        self.exclusive_in = [[False] * len(problem.rooms) for _ in problem.periods]
        for exam, period in enumerate(self.period):
            self.in_period[period].add(exam)
            for other, _ in self.neighbours[exam]:
                self.blocked[other][period] += 1
            room = self.room[exam]
            if room is not None:
                self._add_to_room(exam, period, room)
        self.cost = cost
        self.history = [cost] * HISTORY

    def solution(self) -> ExamSolution:
        return ExamSolution(
            problem_name=self.problem.name, periods=tuple(self.period), rooms=tuple(self.room)
        )

    def _add_to_room(self, exam: int, period: int, room: int) -> None:
        self.seats[period][room] -= self.size[exam]
        durations = self.occupants[period][room]
        durations[self.duration[exam]] = durations.get(self.duration[exam], 0) + 1
        if exam in self.exclusive:
            self.exclusive_in[period][room] = True

    def _remove_from_room(self, exam: int, period: int, room: int) -> None:
        self.seats[period][room] += self.size[exam]
        durations = self.occupants[period][room]
        durations[self.duration[exam]] -= 1
        if not durations[self.duration[exam]]:
            del durations[self.duration[exam]]
        if exam in self.exclusive:
            self.exclusive_in[period][room] = False

    # --- pricing ----------------------------------------------------------------------------

    def _room_delta_in(self, exam: int, period: int, room: int) -> int:
        durations = self.occupants[period][room]
        mixed = self.mixed_weight if durations and self.duration[exam] not in durations else 0
        return self.room_cost[room] + mixed

    def _room_delta_out(self, exam: int, period: int, room: int) -> int:
        durations = self.occupants[period][room]
        mixed = self.mixed_weight if len(durations) > 1 and durations[self.duration[exam]] == 1 else 0
        return -self.room_cost[room] - mixed

    def _fits(self, exam: int, period: int, room: int) -> bool:
        if exam in self.exclusive:
            return not self.occupants[period][room]
        return not self.exclusive_in[period][room] and self.seats[period][room] >= self.size[exam]

    def _best_room(self, exam: int, period: int) -> tuple[int, int] | None:
        """The cheapest room of `period` with space for `exam`, best fit among equals."""
        best = None
        for room in self.rooms_for[exam]:
            if self._fits(exam, period, room):
                key = (self._room_delta_in(exam, period, room), self.seats[period][room])
                if best is None or key < best[0]:
                    best = (key, room)
        return None if best is None else (best[1], best[0][0])

    def _set_period(self, exam: int, period: int) -> int:
        """Move the exam's period (its room is handled apart); returns the change in cost."""
        old = self.period[exam]
        delta = self.own_cost[exam][period] - self.own_cost[exam][old]
        costs_new, costs_old = self.pair_cost[period], self.pair_cost[old]
        where = self.period
        for other, students in self.neighbours[exam]:
            there = where[other]
            delta += students * (costs_new[there] - costs_old[there])
            blocked = self.blocked[other]
            blocked[old] -= 1
            blocked[period] += 1
        self.in_period[old].discard(exam)
        self.in_period[period].add(exam)
        where[exam] = period
        return delta

    def _respects_relations(self, exam: int) -> bool:
        period = self.period[exam]
        where = self.period
        return (
            all(where[o] != period for o in self.apart.get(exam, ()))
            and all(where[o] < period for o in self.after.get(exam, ()))
            and all(where[o] > period for o in self.before.get(exam, ()))
        )

    # --- moves ------------------------------------------------------------------------------

    def _try_move(self, exam: int, period: int) -> tuple[int, list[tuple[int, int, int | None]]] | None:
        """Move one exam into a free place of `period`; the change and how to undo it."""
        old_period, old_room = self.period[exam], self.room[exam]
        delta = 0
        if old_room is not None:
            delta += self._room_delta_out(exam, old_period, old_room)
            self._remove_from_room(exam, old_period, old_room)
        new_room = None
        if self.uses_rooms:
            found = self._best_room(exam, period)
            if found is None:
                if old_room is not None:
                    self._add_to_room(exam, old_period, old_room)
                return None
            new_room, room_delta = found
            delta += room_delta
            self._add_to_room(exam, period, new_room)
            self.room[exam] = new_room
        if period != old_period:
            delta += self._set_period(exam, period)
        return delta, [(exam, old_period, old_room)]

    def _try_chain(
        self, exam: int, period: int, limit: int
    ) -> tuple[int, list[tuple[int, int, int | None]]] | None:
        """Swap the Kempe chain of `exam` between its period and `period`, rooms seated anew."""
        first = self.period[exam]
        chain = {exam}
        stack = [exam]
        while stack:
            current = stack.pop()
            other_side = period if self.period[current] == first else first
            shared, there = self.shared[current], self.in_period[other_side]
            # walk the smaller side: dense conflict graphs have far more neighbours than period mates
            linked = (
                [o for o in there if o in shared]
                if len(there) < len(shared)
                else [o for o in shared if o in there]
            )
            for other in linked:
                if other not in chain:
                    if other in self.pins or other in self.same or len(chain) >= CHAIN_AT_MOST:
                        return None
                    chain.add(other)
                    stack.append(other)
        targets = {e: (period if self.period[e] == first else first) for e in chain}
        if any(self.problem.periods[target].duration < self.duration[e] for e, target in targets.items()):
            return None
        if self._chain_period_delta(targets) - self._room_gain_at_most(chain) > limit:
            return None  # priced before touching anything: most chains are refused
        undo = [(e, self.period[e], self.room[e]) for e in chain]
        delta = 0
        if self.uses_rooms:
            for e in chain:
                room = self.room[e]
                assert room is not None
                delta += self._room_delta_out(e, self.period[e], room)
                self._remove_from_room(e, self.period[e], room)
                self.room[e] = None
        for e, target in targets.items():
            delta += self._set_period(e, target)
        if not all(self._respects_relations(e) for e in chain):
            self._undo(undo, seated=False)
            return None
        if self.uses_rooms:
            for e in sorted(chain, key=lambda e: -self.size[e]):
                found = self._best_room(e, self.period[e])
                if found is None:
                    self._undo(undo, seated=False)
                    return None
                room, room_delta = found
                delta += room_delta
                self._add_to_room(e, self.period[e], room)
                self.room[e] = room
        return delta, undo

    def _chain_period_delta(self, targets: dict[int, int]) -> int:
        """The change in period costs if the chain swaps. Pairs inside the chain keep their gap
        (two linked exams swap sides) so only neighbours outside it count."""
        delta = 0
        where = self.period
        for exam, target in targets.items():
            source = where[exam]
            delta += self.own_cost[exam][target] - self.own_cost[exam][source]
            costs_new, costs_old = self.pair_cost[target], self.pair_cost[source]
            for other, students in self.neighbours[exam]:
                if other not in targets:
                    there = where[other]
                    delta += students * (costs_new[there] - costs_old[there])
        return delta

    def _room_gain_at_most(self, chain: set[int]) -> int:
        if not self.uses_rooms:
            return 0
        return sum(
            self.room_cost[room] + self.mixed_weight for e in chain if (room := self.room[e]) is not None
        )

    def _undo(self, undo: list[tuple[int, int, int | None]], seated: bool = True) -> None:
        """Put exams back where they were; `seated` says whether they now hold rooms."""
        for exam, _, _ in undo:
            room = self.room[exam]
            if room is not None:
                self._remove_from_room(exam, self.period[exam], room)
                self.room[exam] = None
        for exam, period, room in undo:
            if self.period[exam] != period:
                self._set_period(exam, period)
            self.room[exam] = room
            if room is not None:
                self._add_to_room(exam, period, room)

    def _propose(self, limit: int) -> tuple[int, list[tuple[int, int, int | None]]] | None:
        """A feasible move applied, with its change in cost and its undo list; chains whose
        change surely exceeds `limit` are refused unapplied."""
        rng = self.rng
        exam = rng.choice(self.movable)
        here = self.period[exam]
        if self.uses_rooms and rng.random() < ROOM_MOVES:
            return self._try_move(exam, here)
        period = rng.choice(self.allowed[exam])
        if period == here:
            return None
        if self.blocked[exam][period]:
            return self._try_chain(exam, period, limit)
        old = self.period[exam]
        self.period[exam] = period
        fine = self._respects_relations(exam)
        self.period[exam] = old
        return self._try_move(exam, period) if fine else None

    def propose(self, limit: int) -> tuple[int, list[tuple[int, int, int | None]]] | None:
        return self._propose(limit)

    def revert(self, undo: list[tuple[int, int, int | None]]) -> None:
        self._undo(undo)

    def snapshot(self) -> tuple[list[int], list[int | None]]:
        return list(self.period), list(self.room)

    def rebuild(self, snapshot: tuple[list[int], list[int | None]]) -> ExamSolution:
        periods, rooms = snapshot
        return ExamSolution(problem_name=self.problem.name, periods=tuple(periods), rooms=tuple(rooms))

    def run(self, time_limit: float) -> tuple[ExamSolution, int]:
        """Late-acceptance hill climbing for `time_limit` seconds; the best timetable seen."""
        return climb(self, time_limit)


def _pinned_ok(pins: dict[int, Pin], exam: int, period: int) -> bool:
    return exam not in pins or pins[exam].period == period
