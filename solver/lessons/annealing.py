"""Simulated annealing for UD2 timetables (CB-CTT), compiled with numba.

The strongest known method for curriculum-based course timetabling is simulated annealing over
two moves, a lecture to another period and room and two lectures swapping places (Bellio,
Ceschia, Di Gaspero and Schaerf 2016); it wants hundreds of millions of moves, hence compiled
code. Every move keeps every hard rule: a course, a teacher and a curriculum each hold at most
one lecture per period (conflict groups), and a lecture takes only the places its static
availability allows. A move is priced from counts per course, group and slot; the best
timetable is re-scored by the checker and the two costs must agree. The helpers the loop calls are
closures inside it, over arrays unpacked once: a compiled function given an array, even inlined,
takes and gives back a reference on it at every call. The same loop places the start.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

from models import LessonProblem, LessonScoring, LessonSolution
from solver.lessons.initial import place_pairs, static_places

KEEP_ROOM = 0.5  # share of moves that change only the period, in the same room (room stability)
KEMPE = 0.1  # share of proposals that swap a Kempe chain between two periods
T_START = 5.0  # temperatures in UD2 cost units (a student short of a seat costs 1); see findings
T_END = 0.03
CHUNK_SECONDS = 0.05  # one compiled call between looks at the clock


@dataclass
class AnnealingRun:
    solution: LessonSolution
    cost: int
    moves: int
    improvements: int  # times a new best was found
    last: LessonSolution  # where the walk ended, and its tracked cost
    last_cost: int


def walk_chains(
    walks: Sequence[ChunkedWalk],
    cost: int,
    time_limit: float,
    temperature: Callable[[int, float], float],
    improved: Callable[[int], None] | None,
    should_stop: Callable[[], bool] | None,
    movable: bool,
) -> AnnealingRun:
    """Step each walk (from a start of cost `cost`) until `time_limit` seconds pass, at
    `temperature(chain, share of the time spent)`; with several, each on its own thread (the
    compiled loops free the GIL). `improved` hears of each new best of all; the run is the walk's
    that found the best."""
    lock = threading.Lock()
    best = [cost]
    started = time.monotonic()

    def anneal(walk: ChunkedWalk, chain: int) -> None:
        while movable and walk.cost > 0:
            elapsed = time.monotonic() - started
            if elapsed >= time_limit or (should_stop is not None and should_stop()):
                break
            walk.step(temperature(chain, elapsed / time_limit))
            with lock:
                if walk.best < best[0]:
                    best[0] = walk.best
                    if improved is not None:
                        improved(walk.best)

    if len(walks) == 1:
        anneal(walks[0], 0)
    else:
        threads = [threading.Thread(target=anneal, args=(walk, k)) for k, walk in enumerate(walks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    winner = min(walks, key=lambda walk: walk.best)
    return AnnealingRun(
        winner.timetable(best=True),
        winner.best,
        sum(walk.moves for walk in walks),
        sum(walk.improvements for walk in walks),
        winner.timetable(best=False),
        winner.cost,
    )


class LessonAnnealer:
    """A UD2 problem as flat arrays for the compiled move loop."""

    def __init__(self, problem: LessonProblem, weights: dict[str, int], pins: frozenset[int]) -> None:
        if not applies(problem):
            raise ValueError("the annealer prices UD2 timetables of one-period lectures only")
        self.problem = problem
        grid = problem.grid
        self.slots, self.rooms = grid.slot_count, len(problem.rooms)
        meetings = problem.meetings
        self.course_of = np.array([m.section for m in meetings], dtype=np.int64)
        self.pinned = np.array([m.index in pins for m in meetings], dtype=np.bool_)
        places = [place_pairs(p) for p in static_places(problem)]
        self.allowed = np.zeros((len(meetings), self.slots * self.rooms), dtype=np.bool_)
        pointer, flat = [0], []
        for meeting, pairs in enumerate(places):
            for start, room in pairs:
                self.allowed[meeting, start * self.rooms + room] = True
                flat.append(start * self.rooms + room)
            pointer.append(len(flat))
        self.place_pointer = np.array(pointer, dtype=np.int64)
        self.place_list = np.array(flat, dtype=np.int64)
        self.movable = np.array(
            [m for m in range(len(meetings)) if m not in pins and len(places[m]) > 1], dtype=np.int64
        )
        # conflict groups: each course, then each teacher, then each curriculum (cohort)
        sections = len(problem.sections)
        teacher_base, cohort_base = sections, sections + len(problem.teachers)
        groups: list[set[int]] = [
            {s.index} | {teacher_base + t for t in s.teachers} for s in problem.sections
        ]
        curricula: list[set[int]] = [set() for _ in problem.sections]
        for cohort in problem.cohorts:
            for member in set(cohort.sections):
                groups[member].add(cohort_base + cohort.index)
                curricula[member].add(cohort_base + cohort.index)
        self.group_count_rows = cohort_base + len(problem.cohorts)
        self.group_pointer, self.group_list = _csr(groups)
        self.curriculum_pointer, self.curriculum_list = _csr(curricula)
        self.most_curricula = max((len(row) for row in curricula), default=0)
        self.size = np.array([s.size for s in problem.sections], dtype=np.int64)
        self.min_days = np.array([s.min_days for s in problem.sections], dtype=np.int64)
        self.capacity = np.array([r.capacity for r in problem.rooms], dtype=np.int64)
        self.weights = np.array(
            [
                weights.get("room capacity", 0),
                weights.get("min working days", 0),
                weights.get("curriculum compactness", 0),
                weights.get("room stability", 0),
            ],
            dtype=np.int64,
        )

    def run(
        self,
        solution: LessonSolution,
        cost: int,
        time_limit: float,
        seed: int,
        improved: Callable[[int], None] | None = None,
        temperatures: tuple[float, float] = (T_START, T_END),
        should_stop: Callable[[], bool] | None = None,
        chains: int = 1,
    ) -> AnnealingRun:
        """Anneal from `solution` (feasible, of checker cost `cost`) for `time_limit` seconds,
        cooling geometrically with the time spent; the best timetable seen and its cost. With
        several chains, each walks on its own thread (the compiled loop frees the GIL) from the
        same start with its own seed, and the best of all wins."""
        walks = [_Walk(self, solution, cost, seed + k) for k in range(max(1, chains))]
        hot, cold = temperatures
        return walk_chains(
            walks,
            cost,
            time_limit,
            lambda _chain, share: hot * (cold / hot) ** share,
            improved,
            should_stop,
            bool(len(self.movable)),
        )


class ChunkedWalk:
    """A walk over timetables in compiled chunks of proposals, each sized to take about
    CHUNK_SECONDS; `starts`/`rooms` where it is, `best_starts`/`best_rooms` the best it has seen."""

    def __init__(self, name: str, solution: LessonSolution, cost: int, seed: int) -> None:
        self.name = name
        self.starts = np.array(solution.starts, dtype=np.int64)
        self.rooms = np.array(solution.rooms, dtype=np.int64)
        self.best_starts, self.best_rooms = self.starts.copy(), self.rooms.copy()
        self.cost = self.best = cost
        self.moves = self.improvements = 0
        self.chunk = 20_000
        self.seed = seed

    def timetable(self, best: bool) -> LessonSolution:
        """The best timetable seen, or where the walk is."""
        starts, rooms = (self.best_starts, self.best_rooms) if best else (self.starts, self.rooms)
        return LessonSolution(
            problem_name=self.name,
            starts=tuple(int(s) for s in starts),
            rooms=tuple(int(r) for r in rooms),
        )

    def step(self, temperature: float) -> None:
        """One compiled chunk of proposals at `temperature`."""
        before = time.monotonic()
        self.cost, best = self.proposals(self.chunk, temperature, self.seed + self.moves)
        took = max(time.monotonic() - before, 1e-4)
        self.moves += self.chunk
        self.chunk = max(1_000, min(2_000_000, int(self.chunk * CHUNK_SECONDS / took)))
        if best < self.best:
            self.best, self.improvements = best, self.improvements + 1

    def proposals(self, count: int, temperature: float, seed: int) -> tuple[int, int]:
        """`count` proposals by the compiled loop: the cost where the walk ends, the best seen."""
        raise NotImplementedError


class _Walk(ChunkedWalk):
    """One annealing chain: the timetable as counts, the best seen, and the moves made."""

    def __init__(self, annealer: LessonAnnealer, solution: LessonSolution, cost: int, seed: int) -> None:
        problem, grid = annealer.problem, annealer.problem.grid
        sections, rooms = len(problem.sections), annealer.rooms
        super().__init__(problem.name, solution, cost, seed)
        occupant = np.full(annealer.slots * rooms, -1, dtype=np.int64)
        group_count = np.zeros((annealer.group_count_rows, annealer.slots), dtype=np.int64)
        course_day = np.zeros((sections, len(grid.days)), dtype=np.int64)
        course_room = np.zeros((sections, rooms), dtype=np.int64)
        days_used = np.zeros(sections, dtype=np.int64)
        rooms_used = np.zeros(sections, dtype=np.int64)
        self.state = (
            self.starts,
            self.rooms,
            occupant,
            group_count,
            course_day,
            course_room,
            days_used,
            rooms_used,
        )
        self.static = (
            annealer.course_of,
            annealer.pinned,
            annealer.allowed,
            annealer.place_pointer,
            annealer.place_list,
            annealer.movable,
            annealer.group_pointer,
            annealer.group_list,
            annealer.curriculum_pointer,
            annealer.curriculum_list,
            annealer.size,
            annealer.min_days,
            annealer.capacity,
            annealer.weights,
            annealer.slots,
            rooms,
            grid.periods_per_day,
        )
        self.cohorts = np.empty(2 * max(1, annealer.most_curricula), dtype=np.int64)
        meetings = len(problem.meetings)
        self.chain = (
            np.empty(meetings, dtype=np.int64),  # the chain's meetings
            np.zeros(meetings, dtype=np.int64),  # a meeting's mark: in the chain of that stamp
            np.empty(meetings, dtype=np.int64),  # each chain meeting's period and room before
            np.empty(meetings, dtype=np.int64),
            np.zeros(sections, dtype=np.int64),  # a course's or conflict group's mark
            np.zeros(annealer.group_count_rows, dtype=np.int64),
            np.empty(sections, dtype=np.int64),  # the chain's courses, then its curricula
            np.empty(annealer.group_count_rows, dtype=np.int64),
            np.zeros(1, dtype=np.int64),  # the last stamp
        )
        # Every meeting into the counts: the loop's own placing, no proposal made.
        _anneal(
            0, 1.0, cost, cost, self.best_starts, self.best_rooms, KEEP_ROOM, KEMPE, self.cohorts, self.chain,
            self.state, self.static, seed, True,
        )  # fmt: skip

    def proposals(self, count: int, temperature: float, seed: int) -> tuple[int, int]:
        return _anneal(  # type: ignore[no-any-return]
            count, temperature, self.cost, self.best, self.best_starts, self.best_rooms, KEEP_ROOM, KEMPE,
            self.cohorts, self.chain, self.state, self.static, seed, False,
        )  # fmt: skip


def applies(problem: LessonProblem) -> bool:
    return problem.scoring is LessonScoring.UD2 and all(m.length == 1 for m in problem.meetings)


def _csr(rows: list[set[int]]) -> tuple[np.ndarray, np.ndarray]:
    pointer, flat = [0], []
    for row in rows:
        flat.extend(sorted(row))
        pointer.append(len(flat))
    return np.array(pointer, dtype=np.int64), np.array(flat, dtype=np.int64)


@njit(cache=True, nogil=True)
def _anneal(
    iterations, temperature, cost, best, best_period, best_room, keep_room, kempe, cohorts, chain, state,
    static, seed, setup,
):  # fmt: skip
    """With `setup`, first every meeting into the counts (period and room as `state` holds them).
    Then `iterations` move proposals at one temperature; the current cost and the best seen (the
    best timetable is copied into best_period/best_room whenever it improves). `cohorts` is
    scratch room for the curricula of two courses, `chain` for a Kempe chain.
    The helpers are closures over the arrays, unpacked once: a compiled function called with an
    array, even inlined, takes and gives back a reference on it at every call (findings)."""
    period, room, occupant, group_count, course_day, course_room, days_used, rooms_used = state
    members, mark, old_period, old_room, course_mark, group_mark, courses, groups, stamps = chain
    (
        course_of, pinned, allowed, place_pointer, place_list, movable, group_pointer, group_list,
        curriculum_pointer, curriculum_list, size, min_days, capacity, weights, slots, rooms, per_day,
    ) = static  # fmt: skip
    around = np.empty(6, dtype=np.int64)

    def place(m, p, r, sign):
        """Add (sign 1) or lift (sign -1) meeting m at period p in room r."""
        c = course_of[m]
        for k in range(group_pointer[c], group_pointer[c + 1]):
            group_count[group_list[k], p] += sign
        d = p // per_day
        if sign > 0:
            if course_day[c, d] == 0:
                days_used[c] += 1
            course_day[c, d] += 1
            if course_room[c, r] == 0:
                rooms_used[c] += 1
            course_room[c, r] += 1
            occupant[r * slots + p] = m
            period[m] = p
            room[m] = r
        else:
            course_day[c, d] -= 1
            if course_day[c, d] == 0:
                days_used[c] -= 1
            course_room[c, r] -= 1
            if course_room[c, r] == 0:
                rooms_used[c] -= 1
            occupant[r * slots + p] = -1

    def member(g, c):
        for k in range(group_pointer[c], group_pointer[c + 1]):  # noqa: SIM110 - compiled loop
            if group_list[k] == g:
                return True
        return False

    def fits(c, p, other, other_course):
        """No conflict group of course c holds a lecture at p, but for `other` (leaving p)."""
        for k in range(group_pointer[c], group_pointer[c + 1]):
            g = group_list[k]
            held = group_count[g, p]
            if other >= 0 and member(g, other_course):
                held -= 1
            if held > 0:
                return False
        return True

    def add_new(buffer, n, value):
        """`value` appended to the first n entries of `buffer` unless there; the new count."""
        for j in range(n):
            if buffer[j] == value:
                return n
        buffer[n] = value
        return n + 1

    def isolated(g, s):
        held = group_count[g, s]
        if held == 0:
            return 0
        q = s % per_day
        if q > 0 and group_count[g, s - 1] > 0:
            return 0
        if q < per_day - 1 and group_count[g, s + 1] > 0:
            return 0
        return held

    def local_cost(c1, c2, r1, m2, r2, n_around, n_cohorts):
        """What a move of a meeting of course c1 (to room r1) and meeting m2 (c2, to r2; -1 if
        none) may change."""
        total = 0
        for c in (c1, c2):
            if c >= 0:
                total += weights[1] * max(0, min_days[c] - days_used[c]) + weights[3] * max(
                    0, rooms_used[c] - 1
                )
        total += weights[0] * max(0, size[c1] - capacity[r1])
        if m2 >= 0:
            total += weights[0] * max(0, size[c2] - capacity[r2])
        for i in range(n_cohorts):
            for j in range(n_around):
                total += weights[2] * isolated(cohorts[i], around[j])
        return total

    def around_of(p1, p2):
        """Into `around`: the periods next to and at p1 and p2, whose isolated lectures a move
        between them may change; how many."""
        n = 0
        for s in (p1 - 1, p1, p1 + 1, p2 - 1, p2, p2 + 1):
            if 0 <= s < slots:
                n = add_new(around, n, s)
        return n

    def clash(c, d):
        """Whether courses c and d share a conflict group (a course shares its own)."""
        for k in range(group_pointer[c], group_pointer[c + 1]):  # noqa: SIM110 - compiled loop
            if member(group_list[k], d):
                return True
        return False

    def chain_of(m, p1, p2, stamp):
        """Into `members`: m, the meetings of periods p1 and p2 clashing with it, those clashing with
        them, and so on (each marked with `stamp`); how many, or -1 when one is pinned."""
        mark[m] = stamp
        members[0] = m
        n, i = 1, 0
        while i < n:
            x = members[i]
            i += 1
            other = p2 if period[x] == p1 else p1
            for r in range(rooms):
                y = occupant[r * slots + other]
                if y >= 0 and mark[y] != stamp and clash(course_of[x], course_of[y]):
                    if pinned[y]:
                        return -1
                    mark[y] = stamp
                    members[n] = y
                    n += 1
        return n

    def chain_cost(n, n_courses, n_groups, n_around):
        """What swapping the chain's n meetings may change: its courses' days and rooms, its meetings'
        seats, its curricula's isolated lectures around both periods."""
        total = 0
        for i in range(n_courses):
            c = courses[i]
            total += weights[1] * max(0, min_days[c] - days_used[c])
            total += weights[3] * max(0, rooms_used[c] - 1)
        for i in range(n):
            x = members[i]
            total += weights[0] * max(0, size[course_of[x]] - capacity[room[x]])
        for i in range(n_groups):
            for j in range(n_around):
                total += weights[2] * isolated(groups[i], around[j])
        return total

    def cheapest_room(x, p):
        """The room free at p that x may use costing least (seats short, a room new to its
        course), or -1."""
        c = course_of[x]
        chosen, least = -1, 0
        for r in range(rooms):
            if allowed[x, p * rooms + r] and occupant[r * slots + p] < 0:
                price = weights[0] * max(0, size[c] - capacity[r])
                if course_room[c, r] == 0:
                    price += weights[3]
                if chosen < 0 or price < least:
                    chosen, least = r, price
        return chosen

    def unswap(n):
        """The chain's meetings back where they were."""
        for i in range(n):
            x = members[i]
            if period[x] != old_period[i]:
                place(x, period[x], room[x], -1)
        for i in range(n):
            place(members[i], old_period[i], old_room[i], 1)

    def swap_chain(m, p1, p2):
        """The Kempe chain of m between p1 and p2 swapped, each meeting in its own room where that
        is free, else the cheapest free one: the chain's length, the change in cost, and whether
        it moved (not when a meeting is pinned or finds no room)."""
        stamps[0] += 1
        stamp = stamps[0]
        n = chain_of(m, p1, p2, stamp)
        if n < 0:
            return n, 0, False
        n_courses = n_groups = 0
        for i in range(n):
            c = course_of[members[i]]
            if course_mark[c] != stamp:
                course_mark[c] = stamp
                courses[n_courses] = c
                n_courses += 1
                for k in range(curriculum_pointer[c], curriculum_pointer[c + 1]):
                    g = curriculum_list[k]
                    if group_mark[g] != stamp:
                        group_mark[g] = stamp
                        groups[n_groups] = g
                        n_groups += 1
        n_around = around_of(p1, p2)
        before = chain_cost(n, n_courses, n_groups, n_around)
        for i in range(n):
            x = members[i]
            old_period[i], old_room[i] = period[x], room[x]
            place(x, period[x], room[x], -1)
        for i in range(n):  # a meeting whose room is free in the other period keeps it
            x = members[i]
            q, r = (p2 if old_period[i] == p1 else p1), old_room[i]
            if allowed[x, q * rooms + r] and occupant[r * slots + q] < 0:
                place(x, q, r, 1)
        for i in range(n):  # a meeting still unplaced keeps its old period in `period`
            x = members[i]
            if period[x] == old_period[i]:
                q = p2 if old_period[i] == p1 else p1
                r = cheapest_room(x, q)
                if r < 0:
                    unswap(n)
                    return n, 0, False
                place(x, q, r, 1)
        return n, chain_cost(n, n_courses, n_groups, n_around) - before, True

    def accept(delta):
        return delta <= 0 or np.random.random() < math.exp(-delta / temperature)

    if setup:
        for m in range(len(period)):
            place(m, period[m], room[m], 1)
    np.random.seed(seed)  # numba keeps one generator per thread
    for _ in range(iterations):
        m = movable[np.random.randint(len(movable))]
        c1 = course_of[m]
        p1, r1 = period[m], room[m]
        if np.random.random() < kempe:
            p2 = np.random.randint(slots)
            if p2 == p1:
                continue
            n, delta, swapped = swap_chain(m, p1, p2)
            if not swapped:
                continue
            if not accept(delta):
                unswap(n)
                continue
        else:
            if np.random.random() < keep_room:
                p2, r2 = np.random.randint(slots), r1
                if not allowed[m, p2 * rooms + r2]:
                    continue
            else:
                spot = place_list[np.random.randint(place_pointer[m], place_pointer[m + 1])]
                p2, r2 = spot // rooms, spot % rooms
            if p2 == p1 and r2 == r1:
                continue
            o = occupant[r2 * slots + p2]
            c2 = -1
            if o >= 0:
                c2 = course_of[o]
                if pinned[o] or c2 == c1 or not allowed[o, p1 * rooms + r1]:
                    continue
            if p2 != p1:
                if not fits(c1, p2, o, c2):
                    continue
                if o >= 0 and not fits(c2, p1, m, c1):
                    continue
            # the curricula and slots whose isolated lectures the move may change
            n_around, n_cohorts = 0, 0
            if p2 != p1:
                n_around = around_of(p1, p2)
                for c in (c1, c2):
                    if c >= 0:
                        for k in range(curriculum_pointer[c], curriculum_pointer[c + 1]):
                            n_cohorts = add_new(cohorts, n_cohorts, curriculum_list[k])
            before = local_cost(c1, c2, r1, o, r2, n_around, n_cohorts)
            place(m, p1, r1, -1)
            if o >= 0:
                place(o, p2, r2, -1)
                place(o, p1, r1, 1)
            place(m, p2, r2, 1)
            after = local_cost(c1, c2, r2, o, r1, n_around, n_cohorts)
            delta = after - before
            if not accept(delta):
                place(m, p2, r2, -1)
                if o >= 0:
                    place(o, p1, r1, -1)
                    place(o, p2, r2, 1)
                place(m, p1, r1, 1)
                continue
        cost += delta
        if cost < best:
            best = cost
            best_period[:] = period
            best_room[:] = room
    return cost, best
