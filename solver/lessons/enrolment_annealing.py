"""Simulated annealing for whole post-enrolment timetables (ITC 2007 track 2), compiled with numba.

Once every event has a place, the soft rules are the students': a class in a day's last timeslot,
more than two classes in a row, a single class on a day. The walk moves over timetables that keep
every hard rule, by three moves: an event to another timeslot (into a room it may use that is free
there, or freed by moving its holder to another room), two events swapping timeslots, and a Kempe
chain (an event, the events of another timeslot sharing students with it, those of its own sharing
with them, and so on) swapping its two timeslots, the rooms of both matched again along augmenting
paths. Kempe chains move events of a packed timetable where nothing else can (findings). Each
student's day is a bit mask of the timeslots holding one of their classes, and a table gives every
mask's cost, so a move is priced by flipping its students' bits. The best timetable is re-scored
by the checker and the two costs must agree. The helpers are closures inside the loop, over arrays
unpacked once: a compiled function given an array takes and gives back a reference on it at every
call (findings).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numba import njit

import constraints.lessons.pe_last_slot as last_slot
import constraints.lessons.pe_single_class as single_class
import constraints.lessons.pe_three_in_a_row as three_in_a_row
from models import LessonProblem, LessonSolution
from solver.lessons.annealing import AnnealingRun, ChunkedWalk, walk_chains
from solver.lessons.ejection import applies as ejection_applies
from solver.lessons.ejection import csr_rows, event_places, precedences
from solver.lessons.initial import students_sharing

SWAP = 0.2  # share of proposals that swap two events' timeslots
KEMPE = 0.5  # share that swap a Kempe chain between two timeslots (the rest move one event)
T_START = 30.0  # temperatures in students (a single class on a day costs 1); see findings
T_END = 1.6
SPREAD = 2.5  # chain k cools to T_END * SPREAD ** k: tightly packed instances want warmer ends
LONGEST_DAY = 16  # periods: a day's mask table has 2 ** periods entries


def applies(problem: LessonProblem) -> bool:
    return ejection_applies(problem) and problem.grid.periods_per_day <= LONGEST_DAY


def day_costs(periods: int, in_a_row: int, single: int) -> np.ndarray:
    """Per mask of a day's timeslots holding a class: each run of k > 2 in a row costs k - 2 times
    `in_a_row`, a day of one class costs `single`."""
    costs = np.zeros(1 << periods, dtype=np.int64)
    for mask in range(1 << periods):
        run = total = 0
        for period in range(periods + 1):  # one past the end closes the last run
            if period < periods and mask >> period & 1:
                run += 1
            else:
                total += max(0, run - 2) * in_a_row
                run = 0
        costs[mask] = total + (single if mask.bit_count() == 1 else 0)
    return costs


class EnrolmentAnnealer:
    """A post-enrolment problem as flat arrays for the compiled move loop."""

    def __init__(self, problem: LessonProblem, weights: dict[str, int], pins: frozenset[int]) -> None:
        if not applies(problem):
            raise ValueError("the annealer prices post-enrolment events of one meeting each")
        self.problem = problem
        grid = problem.grid
        self.slots, self.rooms, self.periods = grid.slot_count, len(problem.rooms), grid.periods_per_day
        events = len(problem.meetings)  # one meeting each: event, section and meeting share a number
        self.allowed, self.slot_ok = event_places(problem)
        self.pinned = np.array([e in pins for e in range(events)], dtype=np.bool_)
        self.movable = np.array(
            [e for e in range(events) if e not in pins and self.slot_ok[e].sum() > 1], dtype=np.int64
        )
        self.shares = np.zeros((events, events), dtype=np.bool_)
        for event, others in enumerate(students_sharing(problem)):
            self.shares[event, sorted(others)] = True
        students = sorted(problem.registrations)
        dense = {student: index for index, student in enumerate(students)}
        self.student_count = len(students)
        self.student_pointer, self.student_list = csr_rows(
            [[dense[s] for s in problem.students_of[event]] for event in range(events)]
        )
        self.last_cost = np.array(
            [weights.get(last_slot.NAME, 0) * len(problem.students_of[e]) for e in range(events)],
            dtype=np.int64,
        )
        self.day_cost = day_costs(
            self.periods, weights.get(three_in_a_row.NAME, 0), weights.get(single_class.NAME, 0)
        )
        self.before, self.after = precedences(problem)

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
        """Anneal from `solution` (every event placed, every hard rule kept, of checker cost `cost`)
        for `time_limit` seconds, cooling geometrically with the time spent; the best timetable seen
        and its cost. With several chains, each walks on its own thread from the same start with its
        own seed and chain k cools to the end temperature times SPREAD ** k (which end suits an
        instance varies: findings), and the best of all wins."""
        if any(start is None for start in solution.starts):
            raise ValueError("the annealer walks over timetables that place every event")
        walks = [_Walk(self, solution, cost, seed + k) for k in range(max(1, chains))]
        hot, cold = temperatures

        def temperature(chain: int, share: float) -> float:
            end = cold * SPREAD**chain
            return hot * (end / hot) ** share

        return walk_chains(
            walks, cost, time_limit, temperature, improved, should_stop, bool(len(self.movable))
        )


class _Walk(ChunkedWalk):
    """One annealing chain: the timetable, its students' days as masks, the best seen."""

    def __init__(self, annealer: EnrolmentAnnealer, solution: LessonSolution, cost: int, seed: int) -> None:
        super().__init__(annealer.problem.name, solution, cost, seed)
        occupant = np.full(annealer.slots * annealer.rooms, -1, dtype=np.int64)
        days = annealer.slots // annealer.periods
        mask = np.zeros((annealer.student_count, days), dtype=np.int64)
        for event, (slot, room) in enumerate(zip(self.starts, self.rooms, strict=True)):
            occupant[slot * annealer.rooms + room] = event
            day, period = divmod(int(slot), annealer.periods)
            for k in range(annealer.student_pointer[event], annealer.student_pointer[event + 1]):
                mask[annealer.student_list[k], day] |= 1 << period
        rooms, events = annealer.rooms, len(self.starts)
        scratch = np.zeros(2 * rooms, dtype=np.int64)  # a Kempe chain's events
        holders = np.zeros(2 * rooms, dtype=np.int64)  # its two timeslots' new holders, room by room
        seen = np.zeros(rooms, dtype=np.int64)  # a matching's search: rooms visited, from where, queue
        parent, queue = np.zeros(rooms, dtype=np.int64), np.zeros(rooms, dtype=np.int64)
        stamps = np.zeros(2, dtype=np.int64)  # the last chain's and the last search's stamp
        mark = np.zeros(events, dtype=np.int64)
        self.state = (
            self.starts, self.rooms, occupant, mask, scratch, holders, seen, parent, queue, stamps, mark,
        )  # fmt: skip
        self.static = (
            annealer.allowed,
            annealer.slot_ok,
            annealer.pinned,
            annealer.movable,
            annealer.shares,
            annealer.student_pointer,
            annealer.student_list,
            annealer.last_cost,
            annealer.day_cost,
            *annealer.before,
            *annealer.after,
            annealer.rooms,
            annealer.periods,
        )

    def proposals(self, count: int, temperature: float, seed: int) -> tuple[int, int]:
        return _anneal(  # type: ignore[no-any-return]
            count, temperature, self.cost, self.best, self.best_starts, self.best_rooms, SWAP, KEMPE,
            self.state, self.static, seed,
        )  # fmt: skip


@njit(cache=True, nogil=True)
def _anneal(iterations, temperature, cost, best, best_slot, best_room, swap, kempe, state, static, seed):
    """`iterations` proposals at one temperature; the current cost and the best seen (its timetable
    copied into best_slot/best_room whenever it improves)."""
    slot, room, occupant, mask, scratch, holders, seen, parent, queue, stamps, mark = state
    (
        allowed, slot_ok, pinned, movable, shares, student_pointer, student_list, last_cost, day_cost,
        before_pointer, before, after_pointer, after, rooms, periods,
    ) = static  # fmt: skip
    last = periods - 1

    def clear(e, t, partner):
        """Whether e may go to timeslot t: no event sharing a student with it there but `partner`,
        which is leaving t."""
        base = t * rooms
        for r in range(rooms):
            x = occupant[base + r]
            if x >= 0 and x != partner and shares[e, x]:
                return False
        return True

    def ordered(e, t, partner, partner_slot):
        """Whether e at t keeps its precedences, `partner` (if any) at `partner_slot`."""
        for k in range(before_pointer[e], before_pointer[e + 1]):
            x = before[k]
            s = partner_slot if x == partner else slot[x]
            if s >= t:
                return False
        for k in range(after_pointer[e], after_pointer[e + 1]):
            x = after[k]
            s = partner_slot if x == partner else slot[x]
            if s <= t:
                return False
        return True

    def free_room(e, t, taken):
        """A room e may use at t that nobody holds (`taken` counts as held), or -1."""
        base = t * rooms
        for r in range(rooms):
            if r != taken and allowed[e, base + r] and occupant[base + r] < 0:
                return r
        return -1

    def shifted_room(e, t):
        """A room e may use at t whose holder can move to another room there that nobody holds:
        (room, holder, holder's new room), or (-1, -1, -1)."""
        base = t * rooms
        for r in range(rooms):
            x = occupant[base + r]
            if x < 0 or not allowed[e, base + r] or pinned[x]:
                continue
            for r2 in range(rooms):
                if r2 != r and occupant[base + r2] < 0 and allowed[x, base + r2]:
                    return r, x, r2
        return -1, -1, -1

    def flip(e, t):
        """Each of e's students gains or loses timeslot t; the change in their days' costs."""
        day = t // periods
        bit = 1 << (t - day * periods)
        change = 0
        for k in range(student_pointer[e], student_pointer[e + 1]):
            s = student_list[k]
            old = mask[s, day]
            new = old ^ bit
            change += day_cost[new] - day_cost[old]
            mask[s, day] = new
        return change

    def last_change(e, old, new):
        gained = 1 if new % periods == last else 0
        lost = 1 if old % periods == last else 0
        return last_cost[e] * (gained - lost)

    def chain_of(e, t1, t2, stamp):
        """Into scratch: e and the events of timeslots t1 and t2 sharing students with it, with
        those sharing with them, and so on (each marked with `stamp`); how many."""
        mark[e] = stamp
        scratch[0] = e
        n, i = 1, 0
        while i < n:
            x = scratch[i]
            i += 1
            base = (t2 if slot[x] == t1 else t1) * rooms
            for r in range(rooms):
                y = occupant[base + r]
                if y >= 0 and mark[y] != stamp and shares[x, y]:
                    mark[y] = stamp
                    scratch[n] = y
                    n += 1
        return n

    def chain_kept(n, t1, t2, stamp):
        """Whether every event of the chain may swap timeslots, its precedences kept."""
        for i in range(n):
            x = scratch[i]
            to = t2 if slot[x] == t1 else t1
            if pinned[x] or not slot_ok[x, to]:
                return False
            for k in range(before_pointer[x], before_pointer[x + 1]):
                y = before[k]
                s = (t2 if slot[y] == t1 else t1) if mark[y] == stamp else slot[y]
                if s >= to:
                    return False
            for k in range(after_pointer[x], after_pointer[x + 1]):
                y = after[k]
                s = (t2 if slot[y] == t1 else t1) if mark[y] == stamp else slot[y]
                if s <= to:
                    return False
        return True

    def seat(x, t, at):
        """x into a room at t of holders[at:at + rooms], moving others there along an augmenting
        path (pinned events keep their rooms); whether it worked."""
        stamps[1] += 1
        visit = stamps[1]
        base = t * rooms
        head = tail = 0
        for r in range(rooms):
            if allowed[x, base + r]:
                seen[r] = visit
                parent[r] = -1
                queue[tail] = r
                tail += 1
        while head < tail:
            r = queue[head]
            head += 1
            y = holders[at + r]
            if y < 0:
                while parent[r] >= 0:
                    holders[at + r] = holders[at + parent[r]]
                    r = parent[r]
                holders[at + r] = x
                return True
            if pinned[y]:
                continue
            for r2 in range(rooms):
                if seen[r2] != visit and allowed[y, base + r2]:
                    seen[r2] = visit
                    parent[r2] = r
                    queue[tail] = r2
                    tail += 1
        return False

    def accept(delta):
        return delta <= 0 or np.random.random() < math.exp(-delta / temperature)

    np.random.seed(seed)
    for _ in range(iterations):
        e = movable[np.random.randint(len(movable))]
        t1 = slot[e]
        kind = np.random.random()
        if swap <= kind < swap + kempe:
            t2 = np.random.randint(slot_ok.shape[1])
            if t2 == t1:
                continue
            stamps[0] += 1
            stamp = stamps[0]
            n = chain_of(e, t1, t2, stamp)
            if not chain_kept(n, t1, t2, stamp):
                continue
            for r in range(rooms):  # who stays, where they are
                for at, t in ((0, t1), (rooms, t2)):
                    y = occupant[t * rooms + r]
                    holders[at + r] = y if y < 0 or mark[y] != stamp else -1
            seated = True
            for i in range(n):
                x = scratch[i]
                if not (seat(x, t2, rooms) if slot[x] == t1 else seat(x, t1, 0)):
                    seated = False
                    break
            if not seated:
                continue
            delta = 0
            for i in range(n):
                x = scratch[i]
                to = t2 if slot[x] == t1 else t1
                delta += flip(x, slot[x]) + flip(x, to) + last_change(x, slot[x], to)
            if not accept(delta):
                for i in range(n):
                    x = scratch[i]
                    flip(x, t1)
                    flip(x, t2)
                continue
            for at, t in ((0, t1), (rooms, t2)):
                for r in range(rooms):
                    y = holders[at + r]
                    occupant[t * rooms + r] = y
                    if y >= 0:
                        slot[y], room[y] = t, r
        elif kind < swap:
            f = movable[np.random.randint(len(movable))]
            t2 = slot[f]
            if t2 == t1 or not slot_ok[e, t2] or not slot_ok[f, t1]:
                continue
            if not clear(e, t2, f) or not clear(f, t1, e):
                continue
            if not ordered(e, t2, f, t1) or not ordered(f, t1, e, t2):
                continue
            r1, r2 = room[e], room[f]
            re = r2 if allowed[e, t2 * rooms + r2] else free_room(e, t2, r2)
            rf = r1 if allowed[f, t1 * rooms + r1] else free_room(f, t1, r1)
            if re < 0 or rf < 0:
                continue
            delta = flip(e, t1) + flip(e, t2) + flip(f, t2) + flip(f, t1)
            delta += last_change(e, t1, t2) + last_change(f, t2, t1)
            if not accept(delta):
                flip(e, t1)
                flip(e, t2)
                flip(f, t2)
                flip(f, t1)
                continue
            occupant[t1 * rooms + r1] = -1
            occupant[t2 * rooms + r2] = -1
            slot[e], room[e], slot[f], room[f] = t2, re, t1, rf
            occupant[t2 * rooms + re] = e
            occupant[t1 * rooms + rf] = f
        else:
            t2 = np.random.randint(slot_ok.shape[1])
            if t2 == t1 or not slot_ok[e, t2] or not clear(e, t2, -1) or not ordered(e, t2, -1, -1):
                continue
            r = free_room(e, t2, -1)
            holder, holder_room = -1, -1
            if r < 0:
                r, holder, holder_room = shifted_room(e, t2)
                if r < 0:
                    continue
            delta = flip(e, t1) + flip(e, t2) + last_change(e, t1, t2)
            if not accept(delta):
                flip(e, t1)
                flip(e, t2)
                continue
            if holder >= 0:
                room[holder] = holder_room
                occupant[t2 * rooms + holder_room] = holder
            occupant[t1 * rooms + room[e]] = -1
            slot[e], room[e] = t2, r
            occupant[t2 * rooms + r] = e
        cost += delta
        if cost < best:
            best = cost
            best_slot[:] = slot
            best_room[:] = room
    return cost, best
