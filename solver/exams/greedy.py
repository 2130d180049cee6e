"""A first guess of every exam's period: DSatur, then conflict-directed repair.

DSatur order (the exam with the fewest periods left goes next), each exam into the open period
that adds the least soft cost beside the exams already placed. An exam with no period left takes
the period whose blocking exams are fewest and least often moved before, and those go back to
the queue (iterative forward search, as UniTime constructs). The result may still be partial
when the budget runs out; CP-SAT then completes it from this hint.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from models import ExamProblem, Pin, Scoring
from solver.exams.model import ConflictIndex
from solver.exams.pricing import default_weights, pair_costs, period_relations

EVICTIONS_PER_EXAM = 200  # repair budget, besides the time budget


class _Placement:
    """Exams placed so far (period and room), and per exam how many placed neighbours block
    each period."""

    def __init__(self, problem: ExamProblem, conflicts: ConflictIndex, allowed: list[list[int]]) -> None:
        self.problem = problem
        self.conflicts = conflicts
        self.allowed = [set(periods) for periods in allowed]
        self.open_count = [len(periods) for periods in allowed]  # allowed periods nobody blocks
        self.period_of: dict[int, int] = {}
        self.room_of: dict[int, int] = {}
        self.in_period: list[set[int]] = [set() for _ in problem.periods]
        self.in_room = [[set[int]() for _ in problem.rooms] for _ in problem.periods]
        self.seats_left = [[room.capacity for room in problem.rooms] for _ in problem.periods]
        self.blocked = [[0] * len(problem.periods) for _ in problem.exams]

    def place(self, exam: int, period: int, room: int | None) -> None:
        self.period_of[exam] = period
        self.in_period[period].add(exam)
        if room is not None:
            self.room_of[exam] = room
            self.in_room[period][room].add(exam)
            self.seats_left[period][room] -= self.problem.exams[exam].size
        for other in self.conflicts.shared[exam]:
            self.blocked[other][period] += 1
            if self.blocked[other][period] == 1 and period in self.allowed[other]:
                self.open_count[other] -= 1

    def remove(self, exam: int) -> None:
        period = self.period_of.pop(exam)
        self.in_period[period].discard(exam)
        room = self.room_of.pop(exam, None)
        if room is not None:
            self.in_room[period][room].discard(exam)
            self.seats_left[period][room] += self.problem.exams[exam].size
        for other in self.conflicts.shared[exam]:
            self.blocked[other][period] -= 1
            if self.blocked[other][period] == 0 and period in self.allowed[other]:
                self.open_count[other] += 1


@dataclass
class Guess:
    """What the greedy placed: every exam's period and, when rooms matter, its room."""

    periods: dict[int, int]
    rooms: dict[int, int]


def greedy_periods(
    problem: ExamProblem,
    conflicts: ConflictIndex,
    pins: dict[int, Pin],
    seed: int = 0,
    time_budget: float = 10.0,
) -> Guess:
    """Periods and rooms for as many exams as the search can place in its budget."""
    deadline = time.monotonic() + time_budget
    rng = random.Random(seed)
    count = len(problem.periods)
    allowed: list[list[int]] = []
    for candidate in problem.exams:
        periods = [p.index for p in problem.periods if p.duration >= candidate.duration]
        if candidate.index in pins:
            periods = [p for p in periods if p == pins[candidate.index].period]
        allowed.append(periods)
    state = _Placement(problem, conflicts, allowed)
    relations = period_relations(problem)
    pair_cost = pair_costs(problem, default_weights(problem))
    period_cost = [_own_cost(problem, p) for p in range(count)]
    moved = [0] * len(problem.exams)  # how often each exam was sent back: hard ones stay put

    def added(exam: int, period: int) -> int:
        cost = period_cost[period]
        if exam in problem.largest_exams and period in problem.last_periods:
            cost += problem.weightings.front_load_weight
        for other, students in conflicts.shared[exam].items():
            if other in state.period_of:
                cost += students * pair_cost[period][state.period_of[other]]
        return cost

    waiting = set(range(len(problem.exams)))
    evictions = 0
    budget = EVICTIONS_PER_EXAM * len(problem.exams)
    while waiting:
        exam = min(waiting, key=lambda e: (state.open_count[e], -len(conflicts.shared[e]), e))
        choices = []
        for p in allowed[exam]:
            if state.blocked[exam][p] or _blocking_in_time(state, relations, exam, p):
                continue
            room = _free_room(problem, state, exam, p, pins)
            if room is not False:
                choices.append((added(exam, p), p, room))
        if choices:
            _, best, seat = min(choices)
        else:
            if evictions >= budget or time.monotonic() > deadline:
                break
            options = []
            for p in allowed[exam]:
                blocking = _blocking_in_time(state, relations, exam, p)
                room, for_seats = _room_to_clear(problem, state, exam, p, pins, blocking)
                if room is False:
                    continue
                blocking |= for_seats
                if not any(o in pins for o in blocking):
                    options.append((sum(1 + moved[o] for o in blocking), rng.random(), p, room, blocking))
            if not options:
                break  # every period is blocked by pins or too small
            _, _, best, seat, blocking = min(options)
            for other in blocking:
                state.remove(other)
                moved[other] += 1
                waiting.add(other)
            evictions += len(blocking)
        state.place(exam, best, seat)
        waiting.discard(exam)
    return Guess(periods=dict(state.period_of), rooms=dict(state.room_of))


def _rooms_for(problem: ExamProblem, exam: int, pins: dict[int, Pin]) -> list[int]:
    size = problem.exams[exam].size
    rooms = [room.index for room in problem.rooms if room.capacity >= size]
    pinned = pins[exam].room if exam in pins else None
    return [r for r in rooms if r == pinned] if pinned is not None else rooms


def _fits(problem: ExamProblem, state: _Placement, exam: int, period: int, room: int) -> bool:
    here = state.in_room[period][room]
    if exam in problem.room_exclusive:
        return not here
    if any(other in problem.room_exclusive for other in here):
        return False
    return state.seats_left[period][room] >= problem.exams[exam].size


def _free_room(
    problem: ExamProblem, state: _Placement, exam: int, period: int, pins: dict[int, Pin]
) -> int | None | bool:
    """The room the exam takes in `period` without moving anyone: the cheapest, then the best
    fit; None when rooms do not matter, False when no room is free."""
    if not problem.uses_rooms:
        return None
    fitting = [r for r in _rooms_for(problem, exam, pins) if _fits(problem, state, exam, period, r)]
    if not fitting:
        return False
    return min(fitting, key=lambda r: (problem.rooms[r].penalty, state.seats_left[period][r]))


def _room_to_clear(
    problem: ExamProblem,
    state: _Placement,
    exam: int,
    period: int,
    pins: dict[int, Pin],
    leaving: set[int],
) -> tuple[int | None | bool, set[int]]:
    """The room that needs the fewest exams moved out to seat `exam` (besides those `leaving`
    anyway), and those exams; False when no room can take it."""
    if not problem.uses_rooms:
        return None, set()
    size = problem.exams[exam].size
    best: tuple[int, int, set[int]] | None = None
    for room in _rooms_for(problem, exam, pins):
        staying = state.in_room[period][room] - leaving
        if exam in problem.room_exclusive or any(o in problem.room_exclusive for o in staying):
            out = set(staying)
        else:
            out = set()
            left = problem.rooms[room].capacity - sum(problem.exams[o].size for o in staying)
            # the smallest exams first: they are the easiest to place again
            for other in sorted(staying, key=lambda o: problem.exams[o].size):
                if left >= size:
                    break
                out.add(other)
                left += problem.exams[other].size
        if best is None or len(out) < best[0]:
            best = (len(out), room, out)
    if best is None:
        return False, set()
    return best[1], best[2]


def _blocking_in_time(
    state: _Placement, relations: tuple[dict[int, set[int]], ...], exam: int, period: int
) -> set[int]:
    """Placed exams that stop `exam` from taking `period`: shared students and period relations."""
    same, apart, after, before = relations
    placed = state.period_of
    shared = state.conflicts.shared[exam]
    blocking = {o for o in state.in_period[period] if o in shared}
    blocking |= {o for o in same.get(exam, ()) if o in placed and placed[o] != period}
    blocking |= {o for o in apart.get(exam, ()) if o in placed and placed[o] == period}
    blocking |= {o for o in after.get(exam, ()) if o in placed and placed[o] >= period}
    blocking |= {o for o in before.get(exam, ()) if o in placed and placed[o] <= period}
    return blocking


def _own_cost(problem: ExamProblem, period: int) -> int:
    return problem.periods[period].penalty if problem.scoring is Scoring.ITC2007 else 0
