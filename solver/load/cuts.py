"""Subset-row cuts on column generation's master, and the cheapest load that pays them.

Three single-teacher items of one term go to one teacher each, so in any distribution at most one
teacher's load takes two or more of them: the master may say so (a row: the loads taking two of the
three sum to at most one), which fractional masters break (loads taking two of them at a half
each). Over rows of alike items the same is half the sum of three coverage rows rounded down
(a Chvatal-Gomory cut): a load counts half the items it takes of the three rows, rounded down, and
their seats, halved and rounded down, bound the sum. With such cuts a department's bound rises by
1-9 (findings, fifty-seventh stop).

A load then pays a cut's dual for every second item it takes of it, which the programme over hours
cannot see; here it carries each open cut as a bit (an odd number of its items taken so far; the
next pays the dual and clears it), 2^SLOTS states at most, each cut's bit freed after its last
item. A teacher whose stages would hold more cuts open at once does not remember the others: in
the master their rows leave that teacher's loads out (a weaker row, still true of every
distribution), so the master and the pricing stay the same problem and the Lagrangian value with
the cuts' duals is a bound as before.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

import numpy as np
from numba import njit

from solver.load.columns import (
    GROUP_END,
    GROUP_ITEM,
    GROUP_START,
    LECTURE,
    PLAIN,
    PRACTICE,
    STREAM_END,
    ColumnGeneration,
    TeacherLoads,
    _both_terms,
    _cheapest_way,
    _close,
    _end_stream,
    _open_stream,
)

SLOTS = 10  # cuts a teacher's programme holds open at once (findings: 12 bought nothing more on 14 teachers)
PER_ROUND = 100  # cuts a round adds, the most violated first
ROUNDS = 3  # rounds of cuts a part at most
TURN = 10.0  # seconds at most a part's turn (a 20-teacher department's first round: 6-24 s)
VIOLATED = 1e-3  # by how much a cut's left side must pass its right side
CLEAR = 7  # a stage after a cut's last item: its bit freed (the other kinds are columns.py's)
Cut = tuple[int, ...]  # the items of a cut's three rows


@njit(cache=True, nogil=True, error_model="numpy")
def _paid(state, bits, duals, stage, slots):
    """The duals an item pays, taken in `state`: those of its cuts one of whose items is taken."""
    paid = 0.0
    hit = state & bits
    for slot in range(slots):
        if hit >> slot & 1:
            paid += duals[stage, slot]
    return paid


@njit(cache=True, nogil=True, error_model="numpy")
def _term(op, share, forced, costs, setup, bits, live, duals, slots, first, last, size, decisions):
    """As `columns._term`, each table with a row per state of the open cuts (only the states within
    the stage's `live` bits are visited: the others stay infinite); `decisions[stage, table, state,
    h]`."""
    rows = np.full((2, 4, 1 << slots, size), np.inf)
    now = np.zeros(4, dtype=np.int64)
    rows[0, 0, 0, 0] = 0.0
    reach = 0
    for stage in range(first, last):
        kind, q, c, f, b, open_bits = (
            op[stage],
            share[stage],
            costs[stage],
            forced[stage],
            bits[stage],
            live[stage],
        )
        cost_open = c + setup[stage]
        chosen = decisions[stage]
        if kind == CLEAR:  # a state with the bit joins the one without; both rows of the bit emptied
            rest = open_bits & ~b
            for table in range(4):
                row, other = rows[now[table], table], rows[1 - now[table], table]
                state = rest
                while True:
                    for h in range(reach + 1):
                        took = row[state | b, h] < row[state, h]
                        if took:
                            row[state, h] = row[state | b, h]
                        chosen[table, state, h] = 1 if took else 0
                    row[state | b, : reach + 1] = np.inf
                    other[state | b, : reach + 1] = np.inf
                    if state == 0:
                        break
                    state = (state - 1) & rest
            continue
        if kind == GROUP_START or kind == GROUP_END or kind == STREAM_END:  # noqa: SIM109 - compiled
            state = open_bits
            while True:
                if kind == GROUP_START:
                    rows[now[1], 1, state, : reach + 1] = np.inf
                elif kind == GROUP_END:
                    _close(rows[now[0], 0, state], rows[now[1], 1, state], chosen[0, state], reach)
                else:
                    course, lecture = rows[now[1], 1, state], rows[now[2], 2, state]
                    _end_stream(course, lecture, rows[now[3], 3, state], c, chosen[1, state], reach)
                if state == 0:
                    break
                state = (state - 1) & open_bits
            continue
        reach = min(size - 1, reach + q)
        current, begun = rows[now[0], 0], rows[now[1], 1]
        lecture, both = rows[now[2], 2], rows[now[3], 3]
        state = open_bits  # the state after the item; taken, it came from `state ^ b`
        while True:
            before = state ^ b
            paid = _paid(before, b, duals, stage, slots)
            if kind == PLAIN:
                _cheapest_way(rows[1 - now[0], 0, state], chosen[0, state], current[state], current[before],
                     current[before], c + paid, np.inf, q, reach, f)  # fmt: skip
            elif kind == LECTURE:
                _open_stream(rows[1 - now[2], 2, state], chosen[2, state], current[before], begun[before],
                             c + paid, cost_open + paid, q, reach)  # fmt: skip
            else:
                _cheapest_way(rows[1 - now[1], 1, state], chosen[1, state], begun[state], begun[before],
                     current[before], c + paid, cost_open + paid, q, reach, f)  # fmt: skip
                if kind == PRACTICE:
                    _cheapest_way(rows[1 - now[3], 3, state], chosen[3, state], both[state], both[before],
                         lecture[before], c + paid, c + paid, q, reach, f)  # fmt: skip
            if state == 0:
                break
            state = (state - 1) & open_bits
        if kind == PLAIN:
            now[0] = 1 - now[0]
            continue
        if kind == LECTURE:
            now[2] = 1 - now[2]
            rows[now[3], 3, :, : reach + 1] = np.inf
            if f:
                current[:, : reach + 1] = np.inf
                begun[:, : reach + 1] = np.inf
            continue
        now[1] = 1 - now[1]
        if kind == PRACTICE:
            now[3] = 1 - now[3]
            if f:
                lecture[:, : reach + 1] = np.inf
        if f:
            current[:, : reach + 1] = np.inf
    return rows[now[0], 0, 0].copy()


@njit(cache=True, nogil=True, error_model="numpy")
def _trace(op, item, share, bits, first, last, decisions, h, taken, count):
    """As `columns._trace`, following the cuts' states back too."""
    table, state = 0, 0
    for stage in range(last - 1, first - 1, -1):
        kind, code = op[stage], decisions[stage, table, state, h]
        took = False
        if kind == CLEAR:
            state = state | bits[stage] if code == 1 else state
        elif kind == GROUP_END:
            table = 1 if table == 0 and code == 1 else table
        elif kind == STREAM_END:
            table = 1 + code if table == 1 else table
        elif kind == PLAIN:
            took = code == 1
        elif kind == LECTURE:
            took = table == 2
            table = code if took else table
        elif (kind == GROUP_ITEM or kind == PRACTICE) and (table == 1 or table == 3):  # noqa: SIM109 - compiled loop
            took = code > 0
            table = table - 1 if code == 2 else table
        if took:
            taken[count] = item[stage]
            count += 1
            h -= share[stage]
            state ^= bits[stage]
    return count


@njit(cache=True, nogil=True, error_model="numpy")
def _cheapest(
    op, item, share, forced, costs, setup, bits, live, duals, slots, first_begin, first_end,
    second_begin, second_end, hours, least, most, target, w_terms, tolerance, w_total,
):  # fmt: skip
    """As `columns._cheapest`, the cuts' duals paid."""
    size = hours + 1
    decisions = np.empty((len(op), 4, 1 << slots, size), dtype=np.int8)
    args = (op, share, forced, costs, setup, bits, live, duals, slots)
    first = _term(*args, first_begin, first_end, size, decisions)
    second = _term(*args, second_begin, second_end, size, decisions)
    best, best_one, best_two = _both_terms(first, second, least, most, target, w_terms, tolerance, w_total)
    taken = np.empty(len(op), dtype=np.int64)
    count = 0
    if best_one >= 0:
        count = _trace(op, item, share, bits, first_begin, first_end, decisions, best_one, taken, count)
        count = _trace(op, item, share, bits, second_begin, second_end, decisions, best_two, taken, count)
    return best, taken[:count]


def pairs(chosen: set[int], cut: Cut) -> int:
    """How many times a load of items `chosen` pays the cut: half its items of it, rounded down."""
    return len(chosen.intersection(cut)) // 2


class CutProgramme:
    """A teacher's programme paying the duals of the cuts it remembers (those with a dual only)."""

    def __init__(self, teacher: TeacherLoads, cuts: dict[Cut, float]):
        """`cuts`: each remembered cut's dual (positive: what a load pays per second item of it)."""
        self.teacher, self.cuts = teacher, cuts
        stage_of = teacher.stage_of
        spans = []
        for cut in cuts:
            stages = [stage_of[i] for i in cut if i in stage_of]
            if len(stages) > 1:
                if min(stages) < teacher.bounds[0][1] <= max(stages):  # the programme is term by term
                    raise ValueError(f"a cut over both terms: {cut}")
                spans.append((min(stages), max(stages), cut))
        spans.sort()
        # Slots by a sweep over the cuts' first stages; the teacher's memory keeps them within SLOTS.
        slot_of: dict[Cut, int] = {}
        free_after = [-1] * SLOTS
        freed: dict[int, list[int]] = defaultdict(list)
        for first, last, cut in spans:
            slot_of[cut] = slot = next(k for k in range(SLOTS) if free_after[k] < first)
            free_after[slot] = last
            freed[last].append(slot)
        self.slots = max(slot_of.values(), default=-1) + 1
        bits = np.zeros(len(teacher.op), dtype=np.int64)
        duals = np.zeros((len(teacher.op), max(self.slots, 1)))
        for cut, slot in slot_of.items():
            for i in cut:
                if i in stage_of:
                    bits[stage_of[i]] |= 1 << slot
                    duals[stage_of[i], slot] = cuts[cut]
        # The teacher's stages with a CLEAR after each cut's last; `source`: the teacher's stage, or
        # -1 - slot for a CLEAR.
        source: list[int] = []
        self.bounds = []
        for begin, end in teacher.bounds:
            start = len(source)
            for stage in range(begin, end):
                source.append(stage)
                source.extend(-1 - slot for slot in freed.get(stage, []))
            self.bounds.append((start, len(source)))
        self.source = np.array(source, dtype=np.int64)
        real, at = self.source >= 0, np.maximum(self.source, 0)
        self.op = np.where(real, teacher.op[at], CLEAR)
        self.item = np.where(real, teacher.stage_item[at], -1)
        self.share = np.where(real, teacher.stage_share[at], 0)
        self.bits = np.where(real, bits[at], 1 << np.maximum(-1 - self.source, 0))
        self.duals = np.where(real[:, None], duals[at], 0.0)
        self.live = np.zeros(len(source), dtype=np.int64)  # the bits open at each stage
        position = {stage: k for k, stage in enumerate(source) if stage >= 0}
        for first, last, cut in spans:
            slot = slot_of[cut]
            end = position[last] + 1
            while self.source[end] != -1 - slot:
                end += 1
            self.live[position[first] : end + 1] |= 1 << slot

    def paid(self, load: Iterable[int]) -> float:
        """The duals the load pays."""
        chosen = set(load)
        return sum(dual * pairs(chosen, cut) for cut, dual in self.cuts.items())

    def least(self, costs: np.ndarray, setup: np.ndarray) -> tuple[float, list[int]] | None:
        """The programme's least with the teacher's stage costs and preparations, the duals paid."""
        teacher, real, at = self.teacher, self.source >= 0, np.maximum(self.source, 0)
        (first, first_end), (second, second_end) = self.bounds
        value, taken = _cheapest(
            self.op, self.item, self.share, np.where(real, teacher.stage_forced[at], False),
            np.where(real, costs[at], 0.0), np.where(real, setup[at], 0.0), self.bits, self.live,
            self.duals, self.slots, first, first_end, second, second_end, teacher.hours,
            max(teacher.least, 0), teacher.most, teacher.target, teacher.w_terms, teacher.tolerance,
            teacher.w_total,
        )  # fmt: skip
        if not math.isfinite(value):
            return None
        return value + teacher.constant, [int(i) for i in taken]


class SubsetRows:
    """A master's cuts over its coverage rows and, per teacher, the cuts it remembers (two or more of
    their items among the teacher's, their stages within SLOTS open at once)."""

    def __init__(self, teachers: Sequence[TeacherLoads], rows: Sequence[Sequence[int]], seats: Sequence[int],
                 terms: Sequence[int]):  # fmt: skip
        """`rows`: the master's coverage rows (their items) and `seats` each row's right-hand side;
        `terms`: each item's term (a cut's rows lie in one: the programme is term by term)."""
        self.teachers, self.rows, self.seats, self.terms = teachers, rows, seats, terms
        self.row_of = {i: row for row, members in enumerate(rows) for i in members}
        self.cuts: list[Cut] = []
        self.sides: list[int] = []  # each cut's right-hand side
        self.known: set[tuple[int, int, int]] = set()
        self.remembered: list[dict[int, None]] = [{} for _ in teachers]  # per teacher, cut numbers
        # Per teacher, per item of the cuts it remembers, those cuts (a load's counts read off it).
        self.holding: list[dict[int, list[int]]] = [{} for _ in teachers]
        self._open = [np.zeros(len(t.op) + 1, dtype=np.int64) for t in teachers]

    def add(self, rows: tuple[int, int, int]) -> int:
        """The cut over three rows joins (its number); each teacher remembers it if it fits."""
        number = len(self.cuts)
        cut = tuple(i for row in rows for i in self.rows[row])
        self.cuts.append(cut)
        self.sides.append(sum(self.seats[row] for row in rows) // 2)
        self.known.add(rows)
        for teacher, (open_now, loads) in enumerate(zip(self._open, self.teachers, strict=True)):
            stages = [loads.stage_of[i] for i in cut if i in loads.stage_of]
            if len(stages) < 2:
                continue
            span = slice(min(stages), max(stages) + 1)
            if open_now[span].max() < SLOTS:
                open_now[span] += 1
                self.remembered[teacher][number] = None
                for i in cut:
                    if i in loads.stage_of:
                        self.holding[teacher].setdefault(i, []).append(number)
        return number

    def coefficients(self, teacher: int, load: Iterable[int]) -> dict[int, int]:
        """The load's coefficients in the rows of the cuts the teacher remembers, those not 0."""
        holding = self.holding[teacher]
        counts = Counter(number for i in load for number in holding.get(i, ()))
        return {number: count // 2 for number, count in counts.items() if count > 1}

    def paid(self, teacher: int, load: Iterable[int], duals: Sequence[float]) -> float:
        """The duals the teacher's load pays."""
        return sum(duals[n] * times for n, times in self.coefficients(teacher, load).items() if duals[n] > 0)

    def programme(self, teacher: int, duals: Sequence[float]) -> CutProgramme | None:
        """The teacher's programme with the duals of its cuts (None: none has a dual)."""
        mine = {self.cuts[n]: duals[n] for n in self.remembered[teacher] if duals[n] > 0}
        return CutProgramme(self.teachers[teacher], mine) if mine else None

    def violated(
        self, loads: Iterable[tuple[Collection[int], float]], count: int = PER_ROUND
    ) -> list[tuple[int, int, int]]:
        """Up to `count` triples of rows of one term, not yet cut, whose cut the master's `loads`
        (with their values) break, the most violated first. Only triples with an odd number of
        seats can be (else the cut is half the rows' sum); two of their rows meet in a load."""
        taken = []  # per load with a value: its items' count per row, and the value
        for load, value in loads:
            if value > VIOLATED:
                taken.append((Counter(self.row_of[i] for i in load), value))
        with_row: dict[int, list[int]] = defaultdict(list)
        for k, (counts, _) in enumerate(taken):
            for row in counts:
                with_row[row].append(k)
        term = [self.terms[members[0]] for members in self.rows]
        found: dict[tuple[int, int, int], float] = {}
        for a, holding in with_row.items():
            near = sorted({r for k in holding for r in taken[k][0] if r != a and term[r] == term[a]})
            for x, b in enumerate(near):
                for c in near[x + 1 :]:
                    rows: tuple[int, int, int] = tuple(sorted((a, b, c)))  # type: ignore[assignment]
                    seats = self.seats[a] + self.seats[b] + self.seats[c]
                    if seats % 2 == 0 or rows in self.known or rows in found:
                        continue
                    value = sum(
                        taken[k][1] * ((taken[k][0][a] + taken[k][0][b] + taken[k][0][c]) // 2)
                        for k in {*holding, *with_row[b], *with_row[c]}
                    )
                    if value > seats // 2 + VIOLATED:
                        found[rows] = value - seats // 2
        return sorted(found, key=lambda rows: -found[rows])[:count]


def cut_rounds(
    generations: Mapping[int, ColumnGeneration],
    bounds: list[int],
    seconds: float,
    found: Callable[[list[int]], None] | None = None,
    ended: Mapping[int, int] | None = None,
    last: Collection[int] = (),
    rounds: int = ROUNDS,
) -> list[int]:
    """Rounds of cuts on the parts' generations (`columns.part_bounds`), each part's bound in
    `bounds` raised as its master's rises, in `seconds`: the part whose generation took least first
    (a round takes about as long as the generation did, and gains 2-7 on most departments: the most a
    second), the parts numbered in `last` after the rest (the tight departments, where a round gains
    0-1), a turn of TURN seconds at most each (a generation not ended goes on), the parts in turn again
    for up to `rounds` rounds (findings, fifty-seventh and fifty-eighth stops). A part `ended` (by
    the search) at its bound is left; `found` hears the bounds whenever a turn raises them."""
    deadline = time.monotonic() + seconds
    order = sorted(generations, key=lambda position: (position in last, generations[position].spent))
    for _ in range(rounds):
        for position in order:
            left = deadline - time.monotonic()
            if left <= 0:
                return bounds
            if ended is not None and ended.get(position, math.inf) <= bounds[position]:
                continue
            cut_turn(generations, position, bounds, left, found)
    return bounds


def cut_turn(
    generations: Mapping[int, ColumnGeneration],
    position: int,
    bounds: list[int],
    seconds: float,
    found: Callable[[list[int]], None] | None = None,
) -> None:
    """A part's turn of cuts: where its generation has converged, its most violated cuts join the
    master (none joining ends the turn); then the generation runs, pricing them, for up to TURN of
    `seconds`, and the part's bound in `bounds` rises with it (`found` hears the bounds when it
    does)."""
    generation = generations[position]
    if generation.impossible or (generation.converged and not generation.cut()):
        return
    generation.run(min(seconds, TURN))
    raised = generation.bound() or 0
    if raised > bounds[position]:
        bounds[position] = raised
        if found is not None:
            found(list(bounds))
