"""Rooms for exams whose periods are chosen: pack a whole period, or seat a few newcomers."""

from __future__ import annotations

from ortools.sat.python import cp_model

from models import ExamProblem, ExamSolution, Pin
from solver.engine import solve_model


def pack_period(
    problem: ExamProblem, exams: list[int], pins: dict[int, Pin], time_limit: float, seed: int
) -> tuple[dict[int, int] | None, tuple[int, ...]]:
    """Rooms for all exams of one period: best fit first, CP-SAT when that fails.

    Returns the rooms, or None and a group of exams that cannot be packed together.
    """
    greedy = seat_newcomers(problem, {}, exams, pins, weights=None)
    if greedy is not None:
        return greedy, ()
    model = cp_model.CpModel()
    place: dict[tuple[int, int], cp_model.IntVar] = {}
    present: dict[int, cp_model.IntVar] = {}
    for exam in exams:
        present[exam] = model.new_bool_var(f"present[{exam}]")
        rooms = [r for r in problem.rooms if r.capacity >= problem.exams[exam].size]
        pinned_room = pins[exam].room if exam in pins else None
        if pinned_room is not None:
            rooms = [r for r in rooms if r.index == pinned_room]
        for room in rooms:
            place[exam, room.index] = model.new_bool_var(f"exam_room[{exam},{room.index}]")
        model.add(sum(lit for (e, _), lit in place.items() if e == exam) == present[exam])
    for room in problem.rooms:
        here = [(e, lit) for (e, r), lit in place.items() if r == room.index]
        model.add(sum(problem.exams[e].size * lit for e, lit in here) <= room.capacity)
        for exam, lit in here:
            if exam in problem.room_exclusive:
                model.add(sum(other for e, other in here if e != exam) == 0).only_enforce_if(lit)
    run = solve_model(
        model,
        list(place.values()),
        time_limit=time_limit,
        workers=1,
        seed=seed,
        assumptions=list(present.values()),
    )
    if run.has_solution:
        return {e: r for (e, r), lit in place.items() if run.values[lit.index]}, ()
    if run.proven_infeasible:
        core = set(run.values)
        return None, tuple(sorted(e for e, lit in present.items() if lit.index in core))
    return None, tuple(sorted(exams))


def seat_newcomers(
    problem: ExamProblem,
    seated: dict[int, int],
    newcomers: list[int],
    pins: dict[int, Pin],
    weights: dict[str, int] | None,
) -> dict[int, int] | None:
    """Seat `newcomers` in one period beside the exams already `seated` (exam -> room).

    Largest (and room-exclusive) exams first, each into the room that adds the least room
    penalty and mixed-duration cost, then the tightest fit. None when someone finds no seat.
    """
    left = {room.index: room.capacity for room in problem.rooms}
    durations: dict[int, set[int]] = {room.index: set() for room in problem.rooms}
    closed: set[int] = set()
    for exam, room in seated.items():
        left[room] -= problem.exams[exam].size
        durations[room].add(problem.exams[exam].duration)
        if exam in problem.room_exclusive:
            closed.add(room)
    room_weight = weights.get("room penalty", 0) if weights else 1
    mixed_weight = weights.get("mixed durations", 0) if weights else 0
    rooms = dict(seated)
    order = sorted(newcomers, key=lambda e: (e not in problem.room_exclusive, -problem.exams[e].size))
    for exam in order:
        size, duration = problem.exams[exam].size, problem.exams[exam].duration
        exclusive = exam in problem.room_exclusive
        fitting = [
            r
            for r, seats in left.items()
            if r not in closed
            and seats >= size
            and (not exclusive or seats == problem.rooms[r].capacity)
            and (exam not in pins or pins[exam].room in (None, r))
        ]
        if not fitting:
            return None

        def added_cost(room: int, size: int = size, duration: int = duration) -> tuple[int, int]:
            mixed = 1 if durations[room] and duration not in durations[room] else 0
            cost = room_weight * problem.rooms[room].penalty + mixed_weight * mixed
            return cost, left[room] - size

        room = min(fitting, key=added_cost)
        rooms[exam] = room
        left[room] -= size
        durations[room].add(duration)
        if exclusive:
            closed.add(room)
    return {exam: rooms[exam] for exam in newcomers} if seated else rooms


def seat_moved_exams(
    problem: ExamProblem,
    before: ExamSolution,
    after: ExamSolution,
    moved: frozenset[int],
    pins: dict[int, Pin],
    weights: dict[str, int],
    seed: int,
) -> ExamSolution | None:
    """Rooms for exams whose period a step changed; the others keep theirs.

    Periods whose newcomers cannot be seated beside the exams already there are packed afresh.
    None when a period cannot be packed at all.
    """
    rooms: list[int | None] = list(before.rooms)
    arrivals: dict[int, list[int]] = {}
    for exam in moved:
        rooms[exam] = None
        arrivals.setdefault(after.periods[exam], []).append(exam)
    stayers: dict[int, dict[int, int]] = {}
    for exam, period in enumerate(after.periods):
        room = rooms[exam]
        if exam not in moved and period in arrivals and room is not None:
            stayers.setdefault(period, {})[exam] = room
    for period, newcomers in arrivals.items():
        seated = stayers.get(period, {})
        placed = seat_newcomers(problem, seated, sorted(newcomers), pins, weights)
        if placed is None:
            everyone = sorted([*seated, *newcomers])
            placed, _ = pack_period(problem, everyone, pins, time_limit=0.2, seed=seed)
            if placed is None:
                return None
        for exam, room in placed.items():
            rooms[exam] = room
    return ExamSolution(problem_name=after.problem_name, periods=after.periods, rooms=tuple(rooms))
