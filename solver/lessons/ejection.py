"""Place every post-enrolment event: a compiled ejection search (ITC 2007 track 2 feasibility).

A partial timetable keeps every hard rule; events not placed wait in a pool. A step takes an
event from the pool, puts it into a timeslot it may use, and throws out what is in its way:
events sharing a student with it, events its precedences put on the wrong side and, when no
suitable room is free even after moving one event there to another room, the cheapest event
holding a room it can use. The step is kept when it leaves out no more than before (an event
left out costs its students + 1) or by the annealing rule; a thrown-out event may not go back to
its timeslot for a while (tabu). Between insertions, placed events move to other free places,
which costs nothing and opens timeslots. The loop is compiled with numba, its helpers closures
inside it (a compiled function given an array takes a reference on it at every call).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from models import LessonProblem, LessonScoring, LessonSolution, SectionRelation
from solver.lessons.initial import place_pairs, static_places, students_sharing
from solver.lessons.repair import out_cost

TABU_TENURE = 10  # insertions during which a thrown-out event keeps out of its old timeslot
RELOCATE = 0.5  # share of steps that move a placed event instead of inserting one
# temperatures in students left out (comp-2007-2-10: feasible in 2 s from 5 to 0.5, not in 60 s
# from 2 to 0.2)
T_START = 5.0
T_END = 0.5
CHUNK_SECONDS = 0.05


@dataclass
class EjectionRun:
    solution: LessonSolution  # the best timetable seen: fewest students left out
    cost: int  # its events' out costs (students + 1 each)
    steps: int


class EjectionSearch:
    """A post-enrolment problem as flat arrays for the compiled ejection loop."""

    def __init__(self, problem: LessonProblem, pins: frozenset[int]) -> None:
        if not applies(problem):
            raise ValueError("the ejection search places post-enrolment events of one meeting each")
        self.problem = problem
        self.slots, self.rooms = problem.grid.slot_count, len(problem.rooms)
        events = len(problem.meetings)
        self.allowed, self.slot_ok = event_places(problem)
        self.pinned = np.array([e in pins for e in range(events)], dtype=np.bool_)
        self.weight = np.array([out_cost(problem, e) for e in range(events)], dtype=np.int64)
        self.adjacent = csr_rows([sorted(others) for others in students_sharing(problem)])
        self.before, self.after = precedences(problem)

    def run(
        self,
        solution: LessonSolution,
        time_limit: float,
        seed: int,
        temperatures: tuple[float, float] = (T_START, T_END),
    ) -> EjectionRun:
        """Search from `solution` (hard rules kept, some events maybe left out) until every
        event is placed or `time_limit` seconds pass."""
        events = len(self.problem.meetings)
        slot = np.array([-1 if s is None else s for s in solution.starts], dtype=np.int64)
        room = np.array([-1 if r is None else r for r in solution.rooms], dtype=np.int64)
        slot[room < 0] = -1
        room[slot < 0] = -1
        occupant = np.full(self.slots * self.rooms, -1, dtype=np.int64)
        for event in range(events):
            if slot[event] >= 0:
                occupant[slot[event] * self.rooms + room[event]] = event
        pool = np.array([e for e in range(events) if slot[e] < 0], dtype=np.int64)
        pool = np.concatenate([pool, np.zeros(events - len(pool), dtype=np.int64)])
        position = np.full(events, -1, dtype=np.int64)
        out = int((slot < 0).sum())
        for index in range(out):
            position[pool[index]] = index
        sizes = np.array([out, 0, 0], dtype=np.int64)  # pool size, steps taken, insertions made
        cost = int(self.weight[slot < 0].sum())
        best_slot, best_room = slot.copy(), room.copy()
        tabu = np.zeros(events * self.slots, dtype=np.int64)
        scratch = np.zeros(events, dtype=np.int64)
        mark = np.zeros(events, dtype=np.int64)
        state = (slot, room, occupant, pool, position, sizes, tabu, scratch, mark)
        static = (
            self.allowed,
            self.slot_ok,
            self.pinned,
            self.weight,
            *self.adjacent,
            *self.before,
            *self.after,
            self.slots,
            self.rooms,
        )
        started, best, chunk = time.monotonic(), cost, 20_000
        hot, cold = temperatures
        while sizes[0] > 0:
            elapsed = time.monotonic() - started
            if elapsed >= time_limit:
                break
            temperature = hot * (cold / hot) ** (elapsed / time_limit)
            before = time.monotonic()
            cost, best = _search(chunk, temperature, cost, best, best_slot, best_room, state, static, seed)
            seed += 1
            took = max(time.monotonic() - before, 1e-4)
            chunk = max(1_000, min(2_000_000, int(chunk * CHUNK_SECONDS / took)))
        result = LessonSolution(
            problem_name=self.problem.name,
            starts=tuple(None if s < 0 else int(s) for s in best_slot),
            rooms=tuple(None if r < 0 else int(r) for r in best_room),
        )
        return EjectionRun(result, best, int(sizes[1]))


def applies(problem: LessonProblem) -> bool:
    return problem.scoring is LessonScoring.POST_ENROLMENT and all(
        len(section.meetings) == 1 and section.meetings[0] == 1 for section in problem.sections
    )


def event_places(problem: LessonProblem) -> tuple[np.ndarray, np.ndarray]:
    """Per event (an event is a section of one meeting), the places it may take, flat (timeslot *
    rooms + room), and the timeslots."""
    slots, rooms = problem.grid.slot_count, len(problem.rooms)
    allowed = np.zeros((len(problem.meetings), slots * rooms), dtype=np.bool_)
    slot_ok = np.zeros((len(problem.meetings), slots), dtype=np.bool_)
    for event, places in enumerate(static_places(problem)):
        for start, room in place_pairs(places):
            allowed[event, start * rooms + room] = True
            slot_ok[event, start] = True
    return allowed, slot_ok


Rows = tuple[np.ndarray, np.ndarray]  # compressed sparse rows: each row's start, the flat entries


def precedences(problem: LessonProblem) -> tuple[Rows, Rows]:
    """Per event, the events that must come before it and those that must come after (CSR rows)."""
    before: list[list[int]] = [[] for _ in problem.meetings]
    after: list[list[int]] = [[] for _ in problem.meetings]
    for relation in problem.relations:
        if relation.relation is SectionRelation.BEFORE:
            before[relation.second].append(relation.first)
            after[relation.first].append(relation.second)
    return csr_rows(before), csr_rows(after)


def csr_rows(rows: list[list[int]]) -> Rows:
    """Rows of numbers as one flat array and each row's start in it (compressed sparse rows)."""
    pointer, flat = [0], []
    for row in rows:
        flat.extend(row)
        pointer.append(len(flat))
    return np.array(pointer, dtype=np.int64), np.array(flat, dtype=np.int64)


@njit(cache=True)
def _search(iterations, temperature, cost, best, best_slot, best_room, state, static, seed):
    """`iterations` steps at one temperature; the current cost and the best (whose timetable is
    copied into best_slot/best_room whenever it improves). The helpers are closures over the
    arrays, unpacked once: a compiled function given an array takes and gives back a reference on
    it at every call (findings)."""
    slot, room, occupant, pool, position, sizes, tabu, scratch, mark = state
    (
        allowed, slot_ok, pinned, weight, adjacent_pointer, adjacent, before_pointer, before,
        after_pointer, after, slots, rooms,
    ) = static  # fmt: skip

    def room_for(e, t, stamp):
        """A room for e at t: free (or held by a marked event, which is leaving), else one whose
        holder can move to a free room. Returns (room, holder to move or -1, its new room); room -1
        when neither works."""
        base = t * rooms
        for r in range(rooms):
            if allowed[e, base + r]:
                x = occupant[base + r]
                if x < 0 or mark[x] == stamp:
                    return r, -1, -1
        for r in range(rooms):
            if allowed[e, base + r]:
                x = occupant[base + r]
                if pinned[x]:
                    continue
                for r2 in range(rooms):
                    if r2 != r and allowed[x, base + r2]:
                        y = occupant[base + r2]
                        if y < 0 or mark[y] == stamp:
                            return r, x, r2
        return -1, -1, -1

    def lift(x):
        occupant[slot[x] * rooms + room[x]] = -1
        slot[x] = -1
        room[x] = -1
        position[x] = sizes[0]
        pool[sizes[0]] = x
        sizes[0] += 1

    def put(x, t, r):
        if position[x] >= 0:  # out of the pool: the last entry takes its place
            last = pool[sizes[0] - 1]
            pool[position[x]] = last
            position[last] = position[x]
            position[x] = -1
            sizes[0] -= 1
        slot[x] = t
        room[x] = r
        occupant[t * rooms + r] = x

    def move_aside(mover, t, mover_room):
        """The holder of a room someone takes at t, to its new room there."""
        occupant[t * rooms + room[mover]] = -1
        room[mover] = mover_room
        occupant[t * rooms + mover_room] = mover

    def relocate():
        """A placed event to another timeslot where nothing is in its way, if there is a room."""
        x = np.random.randint(len(slot))
        if slot[x] < 0 or pinned[x]:
            return
        t = np.random.randint(slots)
        if t == slot[x] or not slot_ok[x, t]:
            return
        for k in range(adjacent_pointer[x], adjacent_pointer[x + 1]):
            if slot[adjacent[k]] == t:
                return
        for k in range(before_pointer[x], before_pointer[x + 1]):
            if slot[before[k]] >= t:
                return
        for k in range(after_pointer[x], after_pointer[x + 1]):
            s = slot[after[k]]
            if 0 <= s <= t:
                return
        r, mover, mover_room = room_for(x, t, -1)
        if r < 0:
            return
        if mover >= 0:
            move_aside(mover, t, mover_room)
        occupant[slot[x] * rooms + room[x]] = -1
        put(x, t, r)  # (a placed event is in no pool)

    np.random.seed(seed)
    for _ in range(iterations):
        if sizes[0] == 0:
            break
        sizes[1] += 1
        step = sizes[1]
        if np.random.random() < RELOCATE:
            relocate()
            continue
        e = pool[np.random.randint(sizes[0])]
        t = np.random.randint(slots)
        if not slot_ok[e, t] or tabu[e * slots + t] > sizes[2]:
            continue
        # what is in the way: events sharing a student at t, precedences on the wrong side
        n = 0
        blocked = False
        for k in range(adjacent_pointer[e], adjacent_pointer[e + 1]):
            x = adjacent[k]
            if slot[x] == t and mark[x] != step:
                mark[x] = step
                scratch[n] = x
                n += 1
        for k in range(before_pointer[e], before_pointer[e + 1]):
            x = before[k]
            if slot[x] >= t and mark[x] != step:
                mark[x] = step
                scratch[n] = x
                n += 1
        for k in range(after_pointer[e], after_pointer[e + 1]):
            x = after[k]
            if 0 <= slot[x] <= t and mark[x] != step:
                mark[x] = step
                scratch[n] = x
                n += 1
        for i in range(n):
            if pinned[scratch[i]]:
                blocked = True
        if blocked:
            continue
        r, mover, mover_room = room_for(e, t, step)
        if r < 0:  # throw out the cheapest event holding a room e may use
            cheapest = -1
            for r2 in range(rooms):
                x = occupant[t * rooms + r2]
                if (
                    allowed[e, t * rooms + r2]
                    and x >= 0
                    and not pinned[x]
                    and (
                        cheapest < 0
                        or weight[x] < weight[cheapest]
                        or (weight[x] == weight[cheapest] and np.random.random() < 0.5)
                    )
                ):
                    cheapest = x
                    r = r2
            if cheapest < 0:
                continue
            mark[cheapest] = step
            scratch[n] = cheapest
            n += 1
        delta = -weight[e]
        for i in range(n):
            delta += weight[scratch[i]]
        if delta > 0 and np.random.random() >= math.exp(-delta / temperature):
            continue
        for i in range(n):
            x = scratch[i]
            tabu[x * slots + slot[x]] = sizes[2] + TABU_TENURE
            lift(x)
        if mover >= 0:
            move_aside(mover, t, mover_room)
        put(e, t, r)
        sizes[2] += 1
        cost += delta
        if cost < best:
            best = cost
            best_slot[:] = slot
            best_room[:] = room
    return cost, best
