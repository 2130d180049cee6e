"""Simulated annealing over a load part: items move between teachers, or two teachers trade items.

Every criterion is a sum over teachers (load, terms, courses, wishes), over items (unwanted courses,
last year's teachers) or over lectures (split streams), so a move changes the cost of two teachers,
one or two items and at most two lectures; each is priced in constant time. Teachers stay within
their limits (and within the largest deviation already settled) at every step, so every distribution
the search keeps is feasible. Items with fixed teachers or several teachers stay as they are.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict

import constraints.load as load_rules
from models.load import LoadProblem, LoadSolution
from solver.engine import STOP_POLL, stopped

TEMPERATURES = (3.0, 0.1)  # from and to, in objective units (a change from last year is 3)
BALANCING_TEMPERATURES = (3.0, 0.3)  # in hours beyond the deviation sought
TRADE_TRIES = 4  # items of the other teacher tried when a move alone would break a limit
CHECK_EVERY = 2000  # proposals between looks at the clock


class LoadAnnealer:
    """The part's distribution with running totals per teacher, course and lecture."""

    def __init__(
        self,
        problem: LoadProblem,
        weights: dict[str, int],
        cap: int | None,
        start: LoadSolution,
        reach: int | None = None,
    ) -> None:
        """`cap`: every teacher stays within this many hours of target; `reach`: hours beyond this many
        from target cost one each (the search for a smaller largest deviation)."""
        self.problem = problem
        self.reach = reach
        items = problem.items
        weight = weights.get
        self.w_total = weight(load_rules.total_deviation.NAME, 0)
        self.w_courses = weight(load_rules.courses_prepared.NAME, 0)
        self.w_unwanted = weight(load_rules.unwanted_courses.NAME, 0)
        self.w_wanted = weight(load_rules.wanted_courses.NAME, 0)
        self.w_split = weight(load_rules.lecture_practice_split.NAME, 0)
        self.w_changes = weight(load_rules.changes.NAME, 0)
        self.w_terms = weight(load_rules.term_balance.NAME, 0)
        self.teams = [list(given) for given in start.teachers]
        self.movable: list[int] = [
            item.index
            for item, candidates in zip(items, problem.candidates, strict=True)
            if item.teachers == 1
            and not item.fixed
            and len(candidates) > 1
            and len(self.teams[item.index]) == 1
        ]
        self.moves_freely = set(self.movable)
        self.candidates = [list(candidates) for candidates in problem.candidates]
        self.can = [set(candidates) for candidates in problem.candidates]
        self.least, self.most, self.target, self.allowed, self.balanced = [], [], [], [], []
        for person in problem.teachers:
            target = problem.target(person)
            least, most = person.minimum, problem.maximum(person)
            if cap is not None:
                least, most = max(least, target - cap), min(most, target + cap)
            self.least.append(least)
            self.most.append(most)
            self.target.append(target)
            self.allowed.append(load_rules.term_balance.tolerance(problem, person))
            self.balanced.append(not person.unavailable_terms)
        self.wishes = [
            {
                item.course
                for item in items
                if item.course in person.wanted and problem.can_teach(person, item)
            }
            for person in problem.teachers
        ]
        # Per item, what the running totals need, looked up rather than recomputed.
        self.share = [item.share for item in items]
        self.term = [item.term - 1 for item in items]
        self.course = [item.course if item.is_class else None for item in items]
        self.lecture = [item.lecture for item in items]
        self.streams = [  # the lectures whose split a move of the item can change
            (item.lecture,)
            if item.lecture is not None
            else (item.index,)
            if item.index in problem.practices_of
            else ()
            for item in items
        ]
        self.priced = [
            {teacher: self._item_cost(item.index, teacher) for teacher in candidates}
            for item, candidates in zip(items, problem.candidates, strict=True)
        ]
        count = len(problem.teachers)
        self.load = [0] * count
        self.terms = [[0, 0] for _ in range(count)]
        self.courses: list[Counter[str]] = [Counter() for _ in range(count)]
        self.stream: dict[int, Counter[int]] = defaultdict(Counter)  # lecture -> practices held per teacher
        self.mine: list[list[int]] = [[] for _ in range(count)]  # movable items held
        self.position: dict[int, int] = {}
        for item in items:
            for teacher in self.teams[item.index]:
                self._add(item.index, teacher)
        self.cost = self.total()

    # The running totals.
    def _add(self, item_index: int, teacher: int) -> None:
        share, course, lecture = self.share[item_index], self.course[item_index], self.lecture[item_index]
        self.load[teacher] += share
        self.terms[teacher][self.term[item_index]] += share
        if course is not None:
            self.courses[teacher][course] += 1
        if lecture is not None:
            self.stream[lecture][teacher] += 1
        if item_index in self.moves_freely:
            self.position[item_index] = len(self.mine[teacher])
            self.mine[teacher].append(item_index)

    def _remove(self, item_index: int, teacher: int) -> None:
        share, course, lecture = self.share[item_index], self.course[item_index], self.lecture[item_index]
        self.load[teacher] -= share
        self.terms[teacher][self.term[item_index]] -= share
        if course is not None:
            held = self.courses[teacher]
            held[course] -= 1
            if not held[course]:
                del held[course]
        if lecture is not None:
            self.stream[lecture][teacher] -= 1
        if item_index in self.moves_freely:
            mine = self.mine[teacher]
            last = mine.pop()
            if last != item_index:
                spot = self.position[item_index]
                mine[spot] = last
                self.position[last] = spot

    def _move(self, item_index: int, teacher: int) -> None:
        self._remove(item_index, self.teams[item_index][0])
        self.teams[item_index][0] = teacher
        self._add(item_index, teacher)

    # Prices.
    def teacher_cost(self, teacher: int) -> int:
        gap = abs(self.target[teacher] - self.load[teacher])
        courses = self.courses[teacher]
        cost = self.w_total * gap + self.w_courses * len(courses)
        if self.reach is not None and gap > self.reach:
            cost += gap - self.reach
        for course in self.wishes[teacher]:
            if course not in courses:
                cost += self.w_wanted
        if self.balanced[teacher]:
            first, second = self.terms[teacher]
            excess = abs(first - second) - self.allowed[teacher]
            if excess > 0:
                cost += self.w_terms * excess
        return cost

    def item_cost(self, item_index: int, teacher: int) -> int:
        return self.priced[item_index][teacher]

    def _item_cost(self, item_index: int, teacher: int) -> int:
        item = self.problem.items[item_index]
        cost = self.w_unwanted if item.course in self.problem.teachers[teacher].unwanted else 0
        return cost - (self.w_changes if teacher in item.previous else 0)

    def lecture_cost(self, lecture: int) -> int:
        held = self.stream[lecture]
        return 0 if any(held[teacher] for teacher in self.teams[lecture]) else self.w_split

    def total(self) -> int:
        """The weighted criteria of the current distribution, from scratch."""
        problem = self.problem
        cost = sum(self.teacher_cost(t) for t in range(len(problem.teachers)))
        cost += sum(self.item_cost(i, t) for i, team in enumerate(self.teams) for t in team)
        cost += self.w_changes * sum(len(set(item.previous)) for item in problem.items)
        return cost + sum(self.lecture_cost(lecture) for lecture in problem.practices_of)

    def _lectures(self, *item_indices: int) -> set[int]:
        return {lecture for i in item_indices for lecture in self.streams[i]}

    def _fits(self, teacher: int, change: int) -> bool:
        return self.least[teacher] <= self.load[teacher] + change <= self.most[teacher]

    def try_move(self, moves: list[tuple[int, int]], temperature: float, rng: random.Random) -> bool:
        """Apply the moves (item, new teacher) if the annealing rule accepts them; True if applied."""
        teachers: set[int] = set()
        lectures: set[int] = set()
        undo: list[tuple[int, int]] = []
        before = after = 0
        for item_index, teacher in moves:
            holder = self.teams[item_index][0]
            teachers.add(holder)
            teachers.add(teacher)
            lectures.update(self.streams[item_index])
            undo.append((item_index, holder))
            before += self.priced[item_index][holder]
            after += self.priced[item_index][teacher]
        for teacher in teachers:
            before += self.teacher_cost(teacher)
        for lecture in lectures:
            before += self.lecture_cost(lecture)
        for item_index, teacher in moves:
            self._move(item_index, teacher)
        for teacher in teachers:
            after += self.teacher_cost(teacher)
        for lecture in lectures:
            after += self.lecture_cost(lecture)
        delta = after - before
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            self.cost += delta
            return True
        for item_index, teacher in reversed(undo):
            self._move(item_index, teacher)
        return False

    def propose(self, rng: random.Random) -> list[tuple[int, int]] | None:
        """A random item to another candidate, or a trade when the move alone breaks a limit."""
        if not self.movable:
            return None
        item_index = self.movable[int(rng.random() * len(self.movable))]
        share = self.share[item_index]
        holder = self.teams[item_index][0]
        candidates = self.candidates[item_index]
        other = candidates[int(rng.random() * len(candidates))]
        if other == holder:
            return None
        if self._fits(holder, -share) and self._fits(other, share):
            return [(item_index, other)]
        theirs = self.mine[other]
        for _ in range(TRADE_TRIES if theirs else 0):
            back = theirs[int(rng.random() * len(theirs))]
            if holder not in self.can[back] or back == item_index:
                continue
            change = self.share[back] - share
            if self._fits(holder, change) and self._fits(other, -change):
                return [(item_index, other), (back, holder)]
        return None

    def solution(self) -> LoadSolution:
        return LoadSolution(
            problem_name=self.problem.name, teachers=tuple(tuple(team) for team in self.teams)
        )


def anneal(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None,
    start: LoadSolution,
    seconds: float,
    seed: int = 0,
    reach: int | None = None,
) -> tuple[LoadSolution, int]:
    """The best distribution met in `seconds` of annealing from `start` (which keeps the hard rules),
    and its weighted cost; with `reach`, the hours beyond it count too and a cost of 0 ends the search."""
    state = LoadAnnealer(problem, weights, cap, start, reach)
    best, best_cost = state.solution(), state.cost
    if not state.movable or (reach is not None and not best_cost):
        return best, best_cost
    rng = random.Random(seed)
    began = asked = time.monotonic()
    hottest, coldest = TEMPERATURES if reach is None else BALANCING_TEMPERATURES
    temperature = hottest
    proposals = 0
    while True:
        proposals += 1
        if proposals % CHECK_EVERY == 0:
            now = time.monotonic()
            progress = (now - began) / seconds if seconds > 0 else 1.0
            if progress >= 1.0 or (now - asked >= STOP_POLL and stopped()):
                break
            asked = now if now - asked >= STOP_POLL else asked
            temperature = hottest * (coldest / hottest) ** progress
        moves = state.propose(rng)
        if moves is not None and state.try_move(moves, temperature, rng) and state.cost < best_cost:
            best, best_cost = state.solution(), state.cost
            if reach is not None and not best_cost:
                break
    return best, best_cost
