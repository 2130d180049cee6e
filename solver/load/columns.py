"""A proven lower bound for a load part from whole per-teacher loads (Lagrangian, column generation).

The LP bound (`relaxation.py`) lets a teacher take a third of an item and prepare a third of a
course. Here every teacher's load is whole: with a price on each item ("covering it is worth this
much"), the cheapest load each teacher can take is found exactly by dynamic programming over hours,
per term, item by item (compiled with numba: a course's first item pays its preparation, a lecture
without any of its practices pays the split); the prices of the items plus the teachers' cheapest
loads is then a lower bound on every distribution (weak duality, any prices). Prices come from a
restricted master LP over the loads found so far (GLOP), held within a box around the best prices
met, starting from the LP bound's own prices; the bound is the best Lagrangian value met, worked
out in plain arithmetic.

Per teacher, a load is priced as the checkers do, except where a course's items differ in kind or a
stream in term, where it is priced lower (still a bound): a lecture whose practices fall in another
term is never split, a co-taught lecture is never split, and a course whose items prepare it (or
meet a wish) in one term and not in the other is priced term by term. A course with items in both
terms alike is prepared (and a wish for it met) once: the programme, term by term, charges each
term's items half the preparation and the whole wish, which is less than their due when a load
takes the course in one term only (or a wished one in both); the cheapest load then branches on
such a course (taken at its whole price, or left) until the load found is charged its due
(findings: on the 300-teacher year's largest department the bound rose 1,517 to 1,536).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numba import njit
from ortools.linear_solver import pywraplp

import constraints.load as load_rules
from models.load import LoadProblem, LoadSolution
from solver.load.components import part_size
from solver.load.relaxation import relaxation_prices

if TYPE_CHECKING:
    from solver.load.cuts import CutProgramme, SubsetRows

ROUNDING = 1e-6  # what the bound may lose to floating point before it is rounded up
IMPROVING = 1e-6  # reduced cost below which a load joins the master
BOX = 0.3  # how far a round's prices may stray from the best met, in objective units
WIDE_BOX = 0.8  # the box after WIDEN_AFTER rounds: the bound sooner at first, the end sooner after
WIDEN_AFTER = 80  # rounds (findings, forty-ninth stop)
GLOP_WARM = "use_preprocessing: false"
# A part generated first (a tight one) weighs this many times its size: a tight part needs more rounds
# (14 teachers 367, 30 teachers 88); on the 300-teacher year in 54 s, 4 and 2 short in all against 8.
FIRST_WEIGHT = 2.5
Loads = list[tuple[int, tuple[int, ...]]]  # a master's loads: (teacher, items)
BRANCHES = 64  # programmes at most per teacher and prices, branching on courses given in both terms


@dataclass
class _Group:
    """One course's items a teacher may take in one term, with what taking any of them costs."""

    items: list[int] = field(default_factory=list)
    setup: float = 0.0  # preparing the course, less a wish met
    prepared: bool = False  # taking any of the items prepares the course
    wished: bool = False  # taking any of the items meets a wish


@dataclass
class _Joined:
    """A course a teacher may take in both terms, prepared (and wished for) once."""

    groups: list[_Group]
    setup: float  # its due, however many terms it is taken in
    stages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))  # its items' stages


class TeacherLoads:
    """One teacher's possible loads in a part and their exact cheapest at given item prices."""

    def __init__(
        self,
        problem: LoadProblem,
        teacher: int,
        items: list[int],
        weights: dict[str, int],
        cap: int | None,
        exact: bool = True,
    ):
        """`exact`: courses in both terms priced at their due (else term by term: lower, and quicker
        to price; a bound still)."""
        person = problem.teachers[teacher]
        self.problem, self.teacher, self.items = problem, teacher, items
        weight = weights.get
        self.w_total = weight(load_rules.total_deviation.NAME, 0)
        self.w_terms = weight(load_rules.term_balance.NAME, 0) if not person.unavailable_terms else 0
        self.w_split = weight(load_rules.lecture_practice_split.NAME, 0)
        self.target = problem.target(person)
        self.tolerance = load_rules.term_balance.tolerance(problem, person)
        least, most = person.minimum, problem.maximum(person)
        if cap is not None:
            least, most = max(least, self.target - cap), min(most, self.target + cap)
        self.least, self.most = least, most
        self.hours = max(0, most)
        entries = problem.items
        self.base: dict[int, float] = {}
        for i in items:
            item = entries[i]
            cost = 0.0
            if item.course in person.unwanted:
                cost += weight(load_rules.unwanted_courses.NAME, 0)
            if teacher in item.previous:
                cost -= weight(load_rules.changes.NAME, 0)
            self.base[i] = cost
        self.forced = {i for i in items if teacher in entries[i].fixed}
        self.share = {i: entries[i].share for i in items}
        self.constant = 0.0  # a wish costs its weight unless met
        prepare, wish = weight(load_rules.courses_prepared.NAME, 0), weight(load_rules.wanted_courses.NAME, 0)
        wished = {
            entries[i].course
            for i in items
            if entries[i].course in person.wanted and problem.can_teach(person, entries[i])
        }
        self.constant += wish * len(wished)
        self.groups: dict[tuple[str, int], _Group] = defaultdict(_Group)
        for i in items:
            self.groups[entries[i].course, entries[i].term].items.append(i)
        terms_of: dict[str, set[int]] = defaultdict(set)
        for course, term in self.groups:
            terms_of[course].add(term)
        for (course, _), group in self.groups.items():
            kinds = {entries[i].is_class for i in group.items}
            whole = all(entries[i].share > 0 for i in group.items)
            group.prepared = kinds == {True} and whole
            group.wished = course in wished and whole
            group.setup = prepare * group.prepared / len(terms_of[course]) - wish * group.wished
        # Courses in both terms whose two groups are charged alike: priced at their due (see `cheapest`).
        self.joined: list[_Joined] = []
        for course, terms in terms_of.items() if exact else ():
            both = [self.groups[course, term] for term in sorted(terms)]
            flags = {(group.prepared, group.wished) for group in both}
            if len(both) == 2 and len(flags) == 1 and flags != {(False, False)}:
                due = prepare * both[0].prepared - wish * both[0].wished
                self.joined.append(_Joined(both, due))
        # A single-teacher lecture is split unless its teacher takes one of its practices (same group).
        self.split_practices: dict[int, list[int]] = {}
        if self.w_split:
            mine = set(items)
            for lecture, practices in problem.practices_of.items():
                if lecture not in mine or entries[lecture].teachers != 1:
                    continue
                own = [p for p in practices if p in mine]
                same = all(
                    entries[p].term == entries[lecture].term and entries[p].course == entries[lecture].course
                    for p in own
                )
                if same and all(entries[p].share > 0 for p in own):
                    self.split_practices[lecture] = own
        self.bounds = [(0, 0), (0, 0)]
        self._programme()

    def restrict(self, load: Collection[int] | None, closed: Collection[int]) -> None:
        """From now on this teacher's only load is `load` (None: any), leaving `closed` items out;
        `restrict(None, ())` lifts it."""
        base, forced = self.open_base.copy(), self.open_forced.copy()
        if load is not None:
            forced = np.isin(self.stage_item, list(load))
            base[(self.stage_item >= 0) & ~forced] = np.inf
        elif closed:
            base[np.isin(self.stage_item, list(closed))] = np.inf
        self.stage_base, self.stage_forced = base, forced

    def cost(self, load: Sequence[int]) -> float:
        """The price of one load without item prices, as the dynamic programme counts it."""
        entries = self.problem.items
        chosen = set(load)
        value = self.constant + sum(self.base[i] for i in chosen)
        for group in self.groups.values():
            if chosen & set(group.items):
                value += group.setup
        for course in self.joined:
            value += self._shortfall(course, chosen)
        for lecture, practices in self.split_practices.items():
            if lecture in chosen and not chosen & set(practices):
                value += self.w_split
        first = sum(entries[i].share for i in chosen if entries[i].term == 1)
        second = sum(entries[i].share for i in chosen if entries[i].term == 2)
        return value + self._ends(first, second)

    def _shortfall(self, course: _Joined, chosen: set[int]) -> float:
        """What the programme's term-by-term charges for a course in both terms fall short of its due."""
        taken = [group for group in course.groups if chosen & set(group.items)]
        return course.setup - sum(group.setup for group in taken) if taken else 0.0

    def _ends(self, first: float, second: float) -> float:
        return self.w_terms * max(0, abs(first - second) - self.tolerance) + self.w_total * abs(
            self.target - first - second
        )

    def _programme(self) -> None:
        """Each term's stages for the compiled dynamic programme (see `_cheapest`): plain items,
        a course's items opening its preparation, a stream's lecture and practices."""
        entries = self.problem.items
        op: list[int] = []
        item: list[int] = []
        setup: list[float] = []
        for term in (1, 2):
            start = len(op)
            for (_, group_term), group in self.groups.items():
                if group_term != term:
                    continue
                streams = [lecture for lecture in self.split_practices if lecture in group.items]
                in_streams = {p for lecture in streams for p in (lecture, *self.split_practices[lecture])}
                if not group.setup and not streams:
                    op.extend([PLAIN] * len(group.items))
                    item.extend(group.items)
                    setup.extend([0.0] * len(group.items))
                    continue
                stages = [(GROUP_START, -1)] + [(GROUP_ITEM, i) for i in group.items if i not in in_streams]
                for lecture in streams:
                    stages.append((LECTURE, lecture))
                    stages.extend((PRACTICE, p) for p in self.split_practices[lecture])
                    stages.append((STREAM_END, -1))
                stages.append((GROUP_END, -1))
                for kind, i in stages:
                    op.append(kind)
                    item.append(i)
                    setup.append(group.setup)
            self.bounds[term - 1] = (start, len(op))
        self.op = np.array(op, dtype=np.int64)
        self.stage_item = np.array(item, dtype=np.int64)
        self.stage_of = {i: stage for stage, i in enumerate(item) if i >= 0}  # each item's stage
        self.setup = np.array(setup, dtype=np.float64)
        self.stage_share = np.array([entries[i].share if i >= 0 else 0 for i in item], dtype=np.int64)
        self.stage_forced = np.array([i in self.forced for i in item], dtype=np.bool_)
        # A stage's own cost at zero prices; a stream's end costs the split (its lecture alone).
        self.stage_base = np.array(
            [
                self.w_split if kind == STREAM_END else self.base.get(i, 0.0)
                for kind, i in zip(op, item, strict=True)
            ],
            dtype=np.float64,
        )
        for course in self.joined:
            course.stages = np.isin(self.stage_item, [i for group in course.groups for i in group.items])
        # What `restrict` starts from.
        self.open_base: np.ndarray = self.stage_base.copy()
        self.open_forced: np.ndarray = self.stage_forced.copy()

    def cheapest(
        self, prices: dict[int, float] | np.ndarray, cuts: CutProgramme | None = None
    ) -> tuple[float, list[int]] | None:
        """The least price of a load within the teacher's limits, and one such load; None when the
        teacher has none (the forced items alone break a limit). `cuts`: the subset-row cuts' duals
        the load pays too (`cuts.py`).

        Best first over courses in both terms: a load the programme charges less than its due for
        such a course splits the search into loads taking the course (charged its due up front, its
        items nothing more) and loads leaving it. Past BRANCHES programmes the least open charge is
        returned (still a bound) with the best load found."""
        if self.most < self.least:
            return None
        if isinstance(prices, dict):
            prices = _dense(prices, len(self.problem.items))
        costs = self.stage_base - np.where(self.stage_item >= 0, prices[np.maximum(self.stage_item, 0)], 0.0)
        least = self._programme_least if cuts is None else cuts.least
        root = least(costs, self.setup)
        if root is None or not self.joined:
            return root
        best: tuple[float, list[int]] = (math.inf, root[1])
        # charge, order, courses taken, courses left, load
        waiting: list[tuple[float, int, tuple[int, ...], tuple[int, ...], list[int]]] = [
            (root[0], 0, (), (), root[1])
        ]
        programmes = 1
        while waiting:
            charge, _, taken, left, load = heapq.heappop(waiting)
            if charge >= best[0] - ROUNDING:
                break
            due = self.cost(load) - float(prices[load].sum()) + (0.0 if cuts is None else cuts.paid(load))
            if due < best[0]:
                best = (due, load)
            settled = set(taken) | set(left)
            chosen = set(load)
            short = next(
                (
                    k
                    for k, course in enumerate(self.joined)
                    if k not in settled and self._shortfall(course, chosen) > ROUNDING
                ),
                None,
            )
            if short is None or charge >= best[0] - ROUNDING:
                continue
            if programmes + 2 > BRANCHES:
                return min(best[0], charge), best[1]
            for branch in ((*taken, short), left), (taken, (*left, short)):
                found = self._branch(least, costs, *branch)
                programmes += 1
                if found is not None:
                    heapq.heappush(waiting, (found[0], programmes, *branch, found[1]))
        return best

    def _branch(
        self,
        least: Callable[[np.ndarray, np.ndarray], tuple[float, list[int]] | None],
        costs: np.ndarray,
        taken: Sequence[int],
        left: Sequence[int],
    ) -> tuple[float, list[int]] | None:
        """The programme's least with the courses `taken` charged their due up front and `left` out."""
        costs, setup, due = costs.copy(), self.setup.copy(), 0.0
        for k in taken:
            setup[self.joined[k].stages] = 0.0
            due += self.joined[k].setup
        for k in left:
            costs[self.joined[k].stages] = np.inf
        found = least(costs, setup)
        return None if found is None else (found[0] + due, found[1])

    def _programme_least(self, costs: np.ndarray, setup: np.ndarray) -> tuple[float, list[int]] | None:
        (first, first_end), (second, second_end) = self.bounds
        value, _, _, taken = _cheapest(
            self.op, self.stage_item, self.stage_share, self.stage_forced, costs, setup,
            first, first_end, second, second_end, self.hours, max(self.least, 0), self.most,
            self.target, self.w_terms, self.tolerance, self.w_total,
        )  # fmt: skip
        if not math.isfinite(value):
            return None
        return value + self.constant, [int(i) for i in taken]


def _dense(prices: dict[int, float], count: int) -> np.ndarray:
    dense = np.zeros(count)
    for i, price in prices.items():
        dense[i] = price
    return dense


# Stages of the compiled programme; tables: 0 the term so far (a course not begun), 1 the course
# begun, 2 a stream's lecture taken and none of its practices yet, 3 the lecture and a practice.
PLAIN, GROUP_START, GROUP_ITEM, GROUP_END, LECTURE, PRACTICE, STREAM_END = range(7)


@njit(cache=True, nogil=True, error_model="numpy")
def _term(op, item, share, forced, costs, setup, first, last, size, decisions):
    """One term's least cost per exact hours (table 0 after the last stage); `decisions[stage,
    table, h]` says where each entry came from (written for the tables a stage changes, which are
    the ones `_trace` reads there). Each table has two rows, the current and the next: an item
    writes the next from the current, a loop the compiler turns into vector instructions (6-7 times
    quicker than updating one row in place, findings). Only the hours the stages so far can reach
    are visited; beyond them every entry is still infinite."""
    rows = np.full((2, 4, size), np.inf)
    now = np.zeros(4, dtype=np.int64)  # which row holds each table
    rows[0, 0, 0] = 0.0
    reach = 0
    for stage in range(first, last):
        kind, q, c, f = op[stage], share[stage], costs[stage], forced[stage]
        cost_open = c + setup[stage]  # taking the course's first item pays its preparation
        chosen = decisions[stage]
        if kind == GROUP_START:
            rows[now[1], 1, : reach + 1] = np.inf
            continue
        if kind == GROUP_END:
            _close(rows[now[0], 0], rows[now[1], 1], chosen[0], reach)
            continue
        if kind == STREAM_END:
            _end_stream(rows[now[1], 1], rows[now[2], 2], rows[now[3], 3], c, chosen[1], reach)
            continue
        # An item: the next row from the current one's entries at its own hours and q fewer.
        reach = min(size - 1, reach + q)
        current = rows[now[0], 0]
        if kind == PLAIN:  # left (code 0) or taken (code 1): never the first of a kind
            _cheapest_way(rows[1 - now[0], 0], chosen[0], current, current, current, c, np.inf, q, reach, f)
            now[0] = 1 - now[0]
            continue
        begun = rows[now[1], 1]
        if kind == LECTURE:
            _open_stream(rows[1 - now[2], 2], chosen[2], current, begun, c, cost_open, q, reach)
            now[2] = 1 - now[2]
            rows[now[3], 3, : reach + 1] = np.inf
            if f:
                current[: reach + 1] = np.inf
                begun[: reach + 1] = np.inf
            continue
        # GROUP_ITEM or PRACTICE: the course begun, or (a practice) the lecture's stream.
        _cheapest_way(rows[1 - now[1], 1], chosen[1], begun, begun, current, c, cost_open, q, reach, f)
        now[1] = 1 - now[1]
        if kind == PRACTICE:
            lecture = rows[now[2], 2]
            both = rows[now[3], 3]
            _cheapest_way(rows[1 - now[3], 3], chosen[3], both, both, lecture, c, c, q, reach, f)
            now[3] = 1 - now[3]
            if f:
                lecture[: reach + 1] = np.inf
        if f:
            current[: reach + 1] = np.inf
    return rows[now[0], 0].copy()


@njit(cache=True, nogil=True, error_model="numpy")
def _open_stream(next_row, codes, fresh_row, begun_row, cost, cost_open, q, reach):
    """A stream's lecture: taken as the course's first item (code 0) or after others (code 1)."""
    for h in range(min(q, reach + 1)):
        next_row[h] = np.inf
        codes[h] = 1
    for h in range(q, reach + 1):
        fresh = fresh_row[h - q] + cost_open
        begun = begun_row[h - q] + cost
        first = fresh < begun
        next_row[h] = fresh if first else begun
        codes[h] = 0 if first else 1


@njit(cache=True, nogil=True, error_model="numpy")
def _cheapest_way(next_row, codes, kept, same, before, cost, first_cost, q, reach, forced):
    """An item that may be left (not if forced: code 0, the row `kept`), added to its table (code 1,
    from `same`) or be the first of its kind, from the table before (code 2). Here `kept` and `same`
    are one row; the programme with cuts (`cuts.py`) takes an item from another state's row."""
    for h in range(min(q, reach + 1)):
        next_row[h] = np.inf if forced else kept[h]
        codes[h] = 0
    for h in range(q, reach + 1):
        best = np.inf if forced else kept[h]
        code = 0
        added = same[h - q] + cost
        if added < best:
            best, code = added, 1
        first = before[h - q] + first_cost
        if first < best:
            best, code = first, 2
        next_row[h] = best
        codes[h] = code


@njit(cache=True, nogil=True, error_model="numpy")
def _close(term_row, course_row, codes, reach):
    """A course's end: the term so far, or the course begun (code 1)."""
    for h in range(reach + 1):
        begun = course_row[h] < term_row[h]
        if begun:
            term_row[h] = course_row[h]
        codes[h] = 1 if begun else 0


@njit(cache=True, nogil=True, error_model="numpy")
def _end_stream(course_row, lecture_row, both_row, split, codes, reach):
    """A stream's end: not taken (code 0), the lecture alone paying the split (1), or the lecture
    and a practice (2)."""
    for h in range(reach + 1):
        best, code = course_row[h], 0
        alone = lecture_row[h] + split
        if alone < best:
            best, code = alone, 1
        if both_row[h] < best:
            best, code = both_row[h], 2
        course_row[h] = best
        codes[h] = code


@njit(cache=True, nogil=True, error_model="numpy")
def _trace(op, item, share, first, last, decisions, h, taken, count):
    """The items chosen for h hours in table 0 after the term's stages, appended to `taken`."""
    table = 0
    for stage in range(last - 1, first - 1, -1):
        kind, code = op[stage], decisions[stage, table, h]
        took = False
        if kind == GROUP_END:
            table = 1 if table == 0 and code == 1 else table
        elif kind == STREAM_END:
            table = 1 + code if table == 1 else table  # stayed, the lecture alone, lecture and practice
        elif kind == PLAIN:
            took = code == 1
        elif kind == LECTURE:
            took = table == 2
            table = code if took else table  # from the course not begun (0) or begun (1)
        elif (kind == GROUP_ITEM or kind == PRACTICE) and (table == 1 or table == 3):  # noqa: SIM109 - compiled loop
            took = code > 0
            table = table - 1 if code == 2 else table  # code 2: the first, from the table before
        if took:
            taken[count] = item[stage]
            count += 1
            h -= share[stage]
    return count


@njit(cache=True, nogil=True, error_model="numpy")
def _both_terms(first, second, least, most, target, w_terms, tolerance, w_total):
    """The two terms' tables combined: the least over totals in [least, most] with the term balance
    and the deviation from target, and each term's hours there (-1: none)."""
    best, best_one, best_two = np.inf, -1, -1
    # Only the hours each term can reach (whole items leave most of them out).
    ones, twos = np.flatnonzero(np.isfinite(first)), np.flatnonzero(np.isfinite(second))
    for one in ones:
        # The second term's hours that bring the total within [least, most], in order.
        for k in range(np.searchsorted(twos, least - one), np.searchsorted(twos, most - one, side="right")):
            two = twos[k]
            total = one + two
            value = first[one] + second[two]
            value += w_terms * max(0, abs(one - two) - tolerance) + w_total * abs(target - total)
            if value < best:
                best, best_one, best_two = value, one, two
    return best, best_one, best_two


@njit(cache=True, nogil=True, error_model="numpy")
def _cheapest(
    op, item, share, forced, costs, setup, first_begin, first_end, second_begin, second_end, hours,
    least, most, target, w_terms, tolerance, w_total,
):  # fmt: skip
    """The least price of a load with total hours in [least, most] over the two terms, each term's
    table by `_term`, with the term balance and the deviation from target; and the load."""
    size = hours + 1
    decisions = np.empty((len(op), 4, size), dtype=np.int8)  # `_term` fills each stage's before use
    first = _term(op, item, share, forced, costs, setup, first_begin, first_end, size, decisions)
    second = _term(op, item, share, forced, costs, setup, second_begin, second_end, size, decisions)
    best, best_one, best_two = _both_terms(first, second, least, most, target, w_terms, tolerance, w_total)
    taken = np.empty(len(op), dtype=np.int64)
    count = 0
    if best_one >= 0:
        count = _trace(op, item, share, first_begin, first_end, decisions, best_one, taken, count)
        count = _trace(op, item, share, second_begin, second_end, decisions, best_two, taken, count)
    return best, best_one, best_two, taken[:count]


class LoadColumns:
    """The part's teachers' loads, and the bound their prices give."""

    def __init__(self, problem: LoadProblem, weights: dict[str, int], cap: int | None, exact: bool = True):
        self.problem = problem
        mine: dict[int, list[int]] = defaultdict(list)
        for item, candidates in zip(problem.items, problem.candidates, strict=True):
            for teacher in dict.fromkeys(candidates):
                mine[teacher].append(item.index)
        self.loads = [
            TeacherLoads(problem, t.index, mine[t.index], weights, cap, exact) for t in problem.teachers
        ]
        changed = weights.get(load_rules.changes.NAME, 0)
        self.constant = changed * sum(len(dict.fromkeys(item.previous)) for item in problem.items)

    def lagrangian(
        self, prices: dict[int, float], cuts: SubsetRows | None = None, duals: Sequence[float] = ()
    ) -> tuple[float, list[list[int]]] | None:
        """The bound these prices (and the cuts' `duals`) give and each teacher's cheapest load at
        them (None: some teacher has no load within their limits, so no distribution exists)."""
        value = self.constant + sum(
            prices.get(item.index, 0.0) * item.teachers for item in self.problem.items
        )
        if cuts is not None:
            value -= sum(dual * side for dual, side in zip(duals, cuts.sides, strict=True))
        loads = []
        dense = _dense(prices, len(self.problem.items))
        for position, teacher in enumerate(self.loads):
            cheapest = teacher.cheapest(dense)
            # The cheapest load paying no cut is the cheapest with them (they only add).
            if cuts is not None and cheapest is not None and cuts.paid(position, cheapest[1], duals) > 0:
                cheapest = teacher.cheapest(dense, cuts.programme(position, duals))
            if cheapest is None:
                return None
            value += cheapest[0]
            loads.append(cheapest[1])
        return value, loads


def alike_rows(problem: LoadProblem) -> list[list[int]]:
    """The items grouped where no load can tell them apart: same course, component, term, hours,
    teachers, candidates, stream, fixed and last year's teachers (a lecture with practices alone:
    which practices are its own matters). Mostly supervision: a fifth fewer rows on the 300-teacher
    year's parts."""
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    lectures = problem.practices_of
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        if item.index in lectures:
            groups[("lecture", item.index)].append(item.index)
            continue
        key = (item.course, item.component, item.term, item.hours, item.teachers, candidates, item.lecture)
        groups[(*key, item.fixed, tuple(sorted(item.previous)))].append(item.index)
    return list(groups.values())


def loads_in(problem: LoadProblem, solution: LoadSolution) -> list[list[int]]:
    """Per teacher, the items a distribution gives them."""
    loads: list[list[int]] = [[] for _ in problem.teachers]
    for item, team in zip(problem.items, solution.teachers, strict=True):
        for teacher in team:
            loads[teacher].append(item.index)
    return loads


class ColumnGeneration:
    """Column generation over a part: a restricted master LP over the teachers' loads found so far,
    its prices kept within a box around the best prices met (box-step stabilisation), each round
    pricing every teacher exactly; the bound is the best Lagrangian value met."""

    def __init__(
        self,
        problem: LoadProblem,
        weights: dict[str, int],
        cap: int | None,
        start: LoadSolution | None,
        prices: dict[int, float] | None = None,
        box: float = BOX,
        stabilise: bool = True,
        exact: bool = True,
        alike: bool = False,
    ):
        """`start`: a distribution whose loads seed the master; without `stabilise` the prices stay
        within the box around `prices` (the feasibility question: every shortfall costs the box);
        `exact`: see `TeacherLoads`; `alike`: one coverage row for items no load can tell apart
        (`alike_rows`), the same LP with fewer rows (GLOP a third quicker a solve, findings); the
        master's columns are then not a dive's."""
        self.problem, self.box, self.stabilise = problem, box, stabilise
        self.rows = alike_rows(problem) if alike else [[item.index] for item in problem.items]
        self.row_of = [0] * len(problem.items)
        for row, members in enumerate(self.rows):
            for i in members:
                self.row_of[i] = row
        self.loads = LoadColumns(problem, weights, cap, exact)
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        # Without presolve GLOP starts each round from the last round's basis (the master only gains
        # columns and moves its box): three times as many rounds a second (findings).
        self.solver.SetSolverSpecificParametersAsString(GLOP_WARM)
        self.coverage = []
        for members in self.rows:
            seats = sum(problem.items[i].teachers for i in members)
            self.coverage.append(self.solver.Constraint(seats, seats))
        self.convexity = [self.solver.Constraint(1, 1) for _ in problem.teachers]
        self.objective = self.solver.Objective()
        self.objective.SetMinimization()
        self.seen: set[tuple[int, tuple[int, ...]]] = set()
        self.columns: list[tuple[int, tuple[int, ...], pywraplp.Variable]] = []
        self.cuts: SubsetRows | None = None  # subset-row cuts, once `cut` adds them
        self.cut_rows: list[pywraplp.Constraint] = []
        # Slack on each coverage row priced at the centre +- the box keeps the master's prices within
        # the box.
        self.short = [self.solver.NumVar(0, math.inf, "") for _ in self.rows]
        self.over = [self.solver.NumVar(0, math.inf, "") for _ in self.rows]
        for row, below, above in zip(self.coverage, self.short, self.over, strict=True):
            row.SetCoefficient(below, 1)
            row.SetCoefficient(above, -1)
        for teacher, load in enumerate(loads_in(problem, start) if start is not None else []):
            self.add(teacher, load)
        self.prices = dict(prices or {})
        self.best = -math.inf
        self.rounds = 0
        self.spent = 0.0  # seconds in `run` (a round of cuts takes about as long again: findings)
        self.converged = False
        first = self.loads.lagrangian(self.prices)
        self.impossible = first is None
        if first is not None:
            self.best = first[0]
            for teacher, load in enumerate(first[1]):
                self.add(teacher, load)
        self._centre(self.prices)

    def add(self, teacher: int, load: Sequence[int]) -> bool:
        """The load joins the master (False: it is there already)."""
        key = (teacher, tuple(sorted(load)))
        if key in self.seen:
            return False
        self.seen.add(key)
        variable = self.solver.NumVar(0, math.inf, "")
        self.columns.append((teacher, key[1], variable))
        self.objective.SetCoefficient(variable, self.loads.loads[teacher].cost(load))
        self.convexity[teacher].SetCoefficient(variable, 1)
        for row, count in Counter(self.row_of[i] for i in load).items():
            self.coverage[row].SetCoefficient(variable, count)
        if self.cuts is not None:
            for number, coefficient in self.cuts.coefficients(teacher, key[1]).items():
                self.cut_rows[number].SetCoefficient(variable, coefficient)
        return True

    def cut(self, count: int | None = None) -> int:
        """The master's most violated subset-row cuts join it (`cuts.py`); how many. The rounds after
        price them; `converged` is cleared when any joins."""
        from solver.load.cuts import PER_ROUND, SubsetRows  # cuts.py builds on this module

        if self.impossible or self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return 0
        if self.cuts is None:
            seats = [sum(self.problem.items[i].teachers for i in members) for members in self.rows]
            terms = [item.term for item in self.problem.items]
            self.cuts = SubsetRows(self.loads.loads, self.rows, seats, terms)
        values = [(load, variable.solution_value()) for _, load, variable in self.columns]
        added = self.cuts.violated(values, PER_ROUND if count is None else count)
        first = len(self.cut_rows)  # the number of the first cut joining
        for rows in added:
            self.cut_rows.append(self.solver.Constraint(-math.inf, self.cuts.sides[self.cuts.add(rows)]))
        if added:
            for teacher, load, variable in self.columns:
                for number, coefficient in self.cuts.coefficients(teacher, load).items():
                    if number >= first:
                        self.cut_rows[number].SetCoefficient(variable, coefficient)
        self.converged = self.converged and not added
        return len(added)

    def _centre(self, at: dict[int, float]) -> None:
        """The box around `at`, item prices (a row of alike items centred on their mean)."""
        self.centre = {
            row: sum(at.get(i, 0.0) for i in members) / len(members) for row, members in enumerate(self.rows)
        }
        for row, (below, above) in enumerate(zip(self.short, self.over, strict=True)):
            self.objective.SetCoefficient(below, self.centre[row] + self.box)
            self.objective.SetCoefficient(above, -(self.centre[row] - self.box))

    def run(self, seconds: float, log: Callable[[str], None] | None = None) -> None:
        """Rounds until the prices are optimal or the time is spent (a round is not interrupted)."""
        began = time.monotonic()
        try:
            self._rounds(began + seconds, log)
        finally:
            self.spent += time.monotonic() - began

    def _rounds(self, deadline: float, log: Callable[[str], None] | None) -> None:
        while not self.converged and not self.impossible and time.monotonic() < deadline:
            if self.stabilise and self.rounds == WIDEN_AFTER and self.box < WIDE_BOX:
                self.box = WIDE_BOX
                self._centre(self.item_prices(self.centre))
            if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
                return
            duals = {row: constraint.dual_value() for row, constraint in enumerate(self.coverage)}
            master = self.item_prices(duals)
            heights = [row.dual_value() for row in self.convexity]
            paying = [max(0.0, -row.dual_value()) for row in self.cut_rows]  # a load's price per cut
            ceiling = self._ceiling()
            self.rounds += 1
            result = self.loads.lagrangian(master, self.cuts, paying)
            if result is None:
                self.impossible = True
                return
            value, loads = result
            added = 0
            for teacher, load in enumerate(loads):
                reduced = (
                    self.loads.loads[teacher].cost(load) - sum(master[i] for i in load) - heights[teacher]
                )
                if self.cuts is not None:
                    reduced += self.cuts.paid(teacher, load, paying)
                if reduced < -IMPROVING and self.add(teacher, load):
                    added += 1
            # Nothing prices out and the box does not bind: the master's optimum is the programme's.
            inside = all(abs(duals[row] - self.centre[row]) < self.box - IMPROVING for row in duals)
            # Or the bound already rounds up to the master's value, which no Lagrangian value passes.
            settled = math.ceil(max(self.best, value) - ROUNDING) >= ceiling
            self.converged = not added and (inside or not self.stabilise) or settled
            if self.stabilise and (value > self.best + IMPROVING or not added):
                self._centre(master)  # a step that raised the bound, or the box's optimum: move there
            if value > self.best:
                self.best, self.prices = value, master
            if log is not None:
                log(f"round {self.rounds} lagrangian {value:.1f} bound {self.best:.1f} added {added}")
            if not self.stabilise and self.best > IMPROVING:
                return  # the feasibility question is answered

    def item_prices(self, rows: dict[int, float]) -> dict[int, float]:
        """Per item, its row's price."""
        return {i: rows[self.row_of[i]] for i in range(len(self.row_of))}

    def _ceiling(self) -> float:
        """The most the bound can still become, read off the master just solved: when it covers every
        item without slack its value is at least the programme's optimum, which no Lagrangian value
        passes, rounded up (the objective is whole); else infinity. Without this a master whose
        prices drift along its optimal face (seen on a 33-teacher department: half its time, no
        load added) spins until its time is out."""
        if not self.stabilise or any(v.solution_value() > IMPROVING for v in (*self.short, *self.over)):
            return math.inf
        return math.ceil(self.objective.Value() + self.loads.constant - ROUNDING)

    def bound(self) -> int | None:
        return None if self.impossible or not math.isfinite(self.best) else math.ceil(self.best - ROUNDING)


def cap_impossible(problem: LoadProblem, cap: int, seconds: float) -> bool:
    """Whether no distribution keeps every teacher within `cap` hours of target, proven in `seconds`
    (False: not proven). With every criterion off and a shortfall or surplus on an item costing one,
    a distribution within the cap costs nothing, so a positive Lagrangian value proves there is none."""
    generation = ColumnGeneration(problem, {}, cap, None, box=1.0, stabilise=False)
    generation.run(seconds)
    return generation.impossible or generation.best > IMPROVING


def largest_bound(
    problems: list[LoadProblem],
    reached: list[int],
    proven: list[int],
    seconds: float,
    risen: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """Per part, a bound on its largest deviation: the largest of the parts' own bounds (`proven`)
    is raised an hour at a time while some part is proven unable to keep everyone within it, in
    `seconds` (that part's bound rises with it; `risen` hears each rise). Tight, small parts are
    asked first: they are the likeliest and the quickest to be proven."""
    deadline = time.monotonic() + seconds
    bound = max(proven, default=0)
    own = list(proven)  # each part's bound, as its proofs raise it
    order = sorted(range(len(problems)), key=lambda p: (-proven[p], len(problems[p].teachers)))
    asked: set[tuple[int, int]] = set()  # (part, cap) not proven
    while bound < max(reached, default=0):
        # Parts whose own bound is an hour or more below are left out: whole items rarely cost more.
        waiting = [p for p in order if reached[p] > bound and own[p] >= bound - 1 and (p, bound) not in asked]
        left = deadline - time.monotonic()
        if not waiting or left <= 0:
            break
        if cap_impossible(problems[waiting[0]], bound, left / 2 if len(waiting) > 1 else left):
            bound += 1
            own[waiting[0]] = bound
            if risen is not None:
                risen(list(own))
        else:
            asked.add((waiting[0], bound))
    return own


def column_bound(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None,
    start: LoadSolution,
    seconds: float,
    prices: dict[int, float] | None = None,
    log: Callable[[str], None] | None = None,
    box: float = BOX,
) -> int | None:
    """A proven lower bound on the weighted criteria of every distribution keeping the hard rules
    (and every teacher within `cap` hours of target) from `seconds` of column generation begun at
    `start`'s loads and `prices`; None when no distribution exists."""
    generation = ColumnGeneration(problem, weights, cap, start, prices, box, alike=True)
    generation.run(seconds, log)
    return generation.bound()


def part_bounds(
    parts: list[tuple[LoadProblem, LoadSolution]],
    weights: dict[str, int],
    cap: int | None,
    seconds: float,
    found: Callable[[list[int]], None] | None = None,
    first: Sequence[int] = (),
    generated: Callable[[int, Loads, dict[int, float]], None] | None = None,
    generations: dict[int, ColumnGeneration] | None = None,
) -> list[int]:
    """Per part (its problem and a distribution within `cap`), the better of the LP bound and column
    generation's from the LP's prices, in `seconds` in all: first every part's LP (a fraction of a
    second each), then column generation, the parts numbered in `first` first, each part in
    proportion to its size (FIRST_WEIGHT times it for those in `first`), what a part leaves going
    to the next, and what the last leaves to the generations cut short, each resumed where it
    stopped. A part whose LP does not finish keeps 0; `found` hears the bounds so far after each
    part's LP and each part's generation, and `generated` each part of `first`'s master (its loads
    and best prices) when its first turn ends; `generations` gets each part's generation (for
    `cuts.cut_rounds`)."""
    deadline = time.monotonic() + seconds
    sizes = [part_size(problem) for problem, _ in parts]
    relaxed: list[tuple[int, dict[int, float]] | None] = [None] * len(parts)
    bounds = [0] * len(parts)
    for position, (problem, _) in enumerate(parts):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        share = _share(deadline, sizes[position], sizes[position:])
        relaxed[position] = relaxation = relaxation_prices(problem, weights, cap, max(share, left / 2))
        if relaxation is not None:
            bounds[position] = relaxation[0]
            if found is not None:
                found(list(bounds))
    order = [*first, *(position for position in range(len(parts)) if position not in first)]
    portions = [size * (FIRST_WEIGHT if position in first else 1.0) for position, size in enumerate(sizes)]
    cut_short: list[tuple[int, ColumnGeneration]] = []
    for turn, position in enumerate(order):
        (problem, start), relaxation = parts[position], relaxed[position]
        share = _share(deadline, portions[position], [portions[p] for p in order[turn:]])
        if relaxation is None or share <= 0:
            continue
        # A master sent to a dive keeps a row per item: its loads, spread over alike items as the
        # item-level master spreads them, dive better (an alike master's: 14 teachers 725-758).
        alike = generated is None or position not in first
        generation = ColumnGeneration(problem, weights, cap, start, relaxation[1], alike=alike)
        generation.run(share)
        bounds[position] = max(bounds[position], generation.bound() or 0)
        if found is not None:
            found(list(bounds))
        if generated is not None and position in first and not generation.impossible:
            loads = [(teacher, load) for teacher, load, _ in generation.columns]
            generated(position, loads, generation.prices)
        if not generation.converged and not generation.impossible:
            cut_short.append((position, generation))
        if generations is not None and not generation.impossible:
            generations[position] = generation
    # What the parts that ended early left goes to the generations cut short, where they stopped
    # (the 300-teacher year at 54 s: 3.7 s left, three parts 10 short of where theirs end).
    for turn, (position, generation) in enumerate(cut_short):
        share = _share(deadline, sizes[position], [sizes[p] for p, _ in cut_short[turn:]])
        if share <= 0:
            break
        generation.run(share)
        bounds[position] = max(bounds[position], generation.bound() or 0)
        if found is not None:
            found(list(bounds))
    return bounds


def _share(deadline: float, portion: float, waiting: Sequence[float]) -> float:
    """A part's share of the time left: its portion against those of every part still waiting (its
    own among them)."""
    return max(0.0, deadline - time.monotonic()) * portion / sum(waiting)
