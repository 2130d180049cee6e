"""Simulated annealing over a load part, compiled with numba: items move between teachers, two
teachers trade items, or one hands a whole course over to another and takes hours back.

Every criterion is a sum over teachers (load, terms, courses, wishes), over items (unwanted courses,
last year's teachers) or over lectures (split streams), so a move or trade changes the cost of two
teachers, one or two items and at most two lectures, each priced in constant time from running
totals (a teacher's unmet wishes among them) before anything moves, since most proposals are turned
down (a handover, rarer, is made and then priced: two teachers and the items and lectures it
moves).
Teachers stay within their limits (and within the largest deviation already settled) at every
step, so every distribution the search keeps is feasible. Items with fixed teachers or several
teachers stay as they are. On departments packed tight (every teacher near a limit) almost no
single move fits, so a trade looks through all of the other teacher's items for one whose hours
keep both within their limits (the hours it may have worked out once); compiled, that takes a few
hundred nanoseconds (findings). The
loop's helpers (placing an item, a teacher's cost, a shift, the handover) are closures inside the
one compiled function (`_kernel`), over arrays unpacked once: a compiled function given an array,
even inlined, takes and gives back a reference on it at every call, which made each proposal four
times as long. The same function places the start and works out the total afresh, so the
criteria are written once.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

import constraints.load as load_rules
from models.load import LoadProblem, LoadSolution
from solver.engine import STOP_POLL, stopped

TEMPERATURES = (3.0, 0.3)  # from and to, in objective units (a change from last year is 3); findings
BALANCING_TEMPERATURES = (3.0, 0.3)  # in hours beyond the deviation sought
HOMEWARD = 0.5  # of proposals on an item last year's teacher no longer holds: to that teacher (findings)
HANDOVER = 0.1  # of the second phase's proposals: a whole course handed over (0.03 and 0.3 the same)
CHUNK_SECONDS = 0.01  # one compiled call between looks at the clock (budgets are often under a second)
NO_REACH = -1


class LoadAnnealer:
    """The part's distribution as flat arrays with running totals per teacher, course and lecture,
    for the compiled move loop."""

    def __init__(
        self,
        problem: LoadProblem,
        weights: dict[str, int],
        cap: int | None,
        start: LoadSolution,
        reach: int | None = None,
        reach_weight: int = 1,
    ) -> None:
        """`cap`: every teacher stays within this many hours of target; `reach`: hours beyond this many
        from target cost `reach_weight` each (the search for a smaller largest deviation)."""
        self.problem = problem
        items, teachers = problem.items, problem.teachers
        weight = weights.get
        self.reach = NO_REACH if reach is None else reach
        self.reach_weight = reach_weight
        self.weights = np.array(
            [
                weight(load_rules.total_deviation.NAME, 0),
                weight(load_rules.courses_prepared.NAME, 0),
                weight(load_rules.wanted_courses.NAME, 0),
                weight(load_rules.term_balance.NAME, 0),
                weight(load_rules.lecture_practice_split.NAME, 0),
            ],
            dtype=np.int64,
        )
        unwanted, changed = weight(load_rules.unwanted_courses.NAME, 0), weight(load_rules.changes.NAME, 0)
        # Teams: movable items have one teacher, whose entry the loop rewrites.
        pointer = np.zeros(len(items) + 1, dtype=np.int64)
        pointer[1:] = np.cumsum([len(team) for team in start.teachers])
        self.team_pointer = pointer
        self.team_list = np.array([t for team in start.teachers for t in team], dtype=np.int64)
        movable = [
            item.index
            for item, candidates in zip(items, problem.candidates, strict=True)
            if item.teachers == 1
            and not item.fixed
            and len(candidates) > 1
            and len(start.teachers[item.index]) == 1
        ]
        self.movable = np.array(movable, dtype=np.int64)
        self.free = np.zeros(len(items), dtype=np.bool_)
        self.free[self.movable] = True
        self.candidate_pointer = np.zeros(len(items) + 1, dtype=np.int64)
        self.candidate_pointer[1:] = np.cumsum([len(c) for c in problem.candidates])
        self.candidate_list = np.array([t for c in problem.candidates for t in c], dtype=np.int64)
        self.can = np.zeros((len(items), len(teachers)), dtype=np.bool_)
        self.priced = np.zeros((len(items), len(teachers)), dtype=np.int64)
        for item, candidates in zip(items, problem.candidates, strict=True):
            for t in candidates:
                self.can[item.index, t] = True
                cost = unwanted if item.course in teachers[t].unwanted else 0
                self.priced[item.index, t] = cost - (changed if t in item.previous else 0)
        self.constant = changed * sum(len(set(item.previous)) for item in items)
        # Per item, last year's teacher when there was one and they may take it again (-1: none).
        self.previous = np.array(
            [
                item.previous[0]
                if changed and len(item.previous) == 1 and item.previous[0] in candidates
                else -1
                for item, candidates in zip(items, problem.candidates, strict=True)
            ],
            dtype=np.int64,
        )
        # Courses (class items only are prepared; a wish for another course is never met).
        wishes = [
            sorted(
                {
                    item.course
                    for item in items
                    if item.course in person.wanted and problem.can_teach(person, item)
                }
            )
            for person in teachers
        ]
        names = sorted({item.course for item in items if item.is_class} | {c for row in wishes for c in row})
        course_id = {name: k for k, name in enumerate(names)}
        self.course = np.array([course_id[i.course] if i.is_class else -1 for i in items], dtype=np.int64)
        self.wished = np.zeros((len(teachers), max(1, len(names))), dtype=np.bool_)
        for t, row in enumerate(wishes):
            self.wished[t, [course_id[c] for c in row]] = True
        # Streams: per item, the lecture (dense index) whose split moving it can change.
        lectures = sorted(problem.practices_of)
        lecture_id = {lecture: k for k, lecture in enumerate(lectures)}
        self.lecture_item = np.array(lectures, dtype=np.int64)
        self.practice_of = np.array(
            [lecture_id.get(i.lecture, -1) if i.lecture is not None else -1 for i in items], dtype=np.int64
        )
        self.stream_of = np.array(
            [
                self.practice_of[i.index] if i.lecture is not None else lecture_id.get(i.index, -1)
                for i in items
            ],
            dtype=np.int64,
        )
        self.share = np.array([i.share for i in items], dtype=np.int64)
        self.term = np.array([i.term - 1 for i in items], dtype=np.int64)
        least, most, target, allowed = [], [], [], []
        for person in teachers:
            goal = problem.target(person)
            low, high = person.minimum, problem.maximum(person)
            if cap is not None:
                low, high = max(low, goal - cap), min(high, goal + cap)
            least.append(low)
            most.append(high)
            target.append(goal)
            allowed.append(load_rules.term_balance.tolerance(problem, person))
        self.least, self.most = np.array(least, dtype=np.int64), np.array(most, dtype=np.int64)
        self.target, self.allowed = np.array(target, dtype=np.int64), np.array(allowed, dtype=np.int64)
        self.balanced = np.array([not person.unavailable_terms for person in teachers], dtype=np.bool_)
        # Running totals.
        count = len(teachers)
        self.load = np.zeros(count, dtype=np.int64)
        self.terms = np.zeros((count, 2), dtype=np.int64)
        self.courses = np.zeros((count, max(1, len(names))), dtype=np.int64)
        self.prepared = np.zeros(count, dtype=np.int64)
        self.unmet = np.array([len(row) for row in wishes], dtype=np.int64)  # until the items are placed
        self.stream = np.zeros((max(1, len(lectures)), count), dtype=np.int64)
        self.mine = np.zeros((count, max(1, len(movable))), dtype=np.int64)
        self.mine_count = np.zeros(count, dtype=np.int64)
        self.position = np.zeros(len(items), dtype=np.int64)
        self.best_list = self.team_list.copy()
        self.cost = self.best = self.over = 0  # until the kernel has placed every item and priced them
        self.cost = self.best = self._run(0, 1.0, 0, setup=True)[3]
        self.over = int(_over(self.load, self.target, self.reach))  # hours beyond reach, all teachers
        self.moves = 0

    def _totals(self) -> tuple[np.ndarray, ...]:
        return (
            self.load,
            self.terms,
            self.courses,
            self.prepared,
            self.unmet,
            self.stream,
            self.mine,
            self.mine_count,
            self.position,
        )

    def _items(self) -> tuple[np.ndarray, ...]:
        return (self.share, self.term, self.course, self.practice_of, self.free)

    def _teachers(self) -> tuple[object, ...]:
        return (
            self.target,
            self.allowed,
            self.balanced,
            self.wished,
            self.weights,
            self.reach,
            self.reach_weight,
        )

    def total(self) -> int:
        """The weighted criteria of the current distribution, from the running totals."""
        return int(self._run(0, 1.0, 0)[3])

    def step(self, temperature: float, proposals: int, seed: int) -> None:
        """`proposals` compiled proposals at `temperature`; keeps the best distribution met."""
        self.cost, self.best, self.over, _ = self._run(proposals, temperature, seed)
        self.moves += proposals

    def _run(self, proposals: int, temperature: float, seed: int, setup: bool = False) -> tuple[int, ...]:
        return tuple(
            int(value)
            for value in _kernel(
                proposals, temperature, self.cost, self.best, self.over, self.best_list, seed, setup,
                self.constant, self.movable, self.candidate_pointer, self.candidate_list, self.can,
                self.priced, self.previous, self.team_pointer, self.team_list, self.least, self.most,
                self.stream_of, self.lecture_item, self._totals(), self._items(), self._teachers(),
            )
        )  # fmt: skip

    def solution(self, best: bool = False) -> LoadSolution:
        teams = self.best_list if best else self.team_list
        pointer = self.team_pointer
        return LoadSolution(
            problem_name=self.problem.name,
            teachers=tuple(
                tuple(int(t) for t in teams[pointer[i] : pointer[i + 1]]) for i in range(len(pointer) - 1)
            ),
        )


def anneal(
    problem: LoadProblem,
    weights: dict[str, int],
    cap: int | None,
    start: LoadSolution,
    seconds: float,
    seed: int = 0,
    reach: int | None = None,
    reach_weight: int = 1,
) -> tuple[LoadSolution, int]:
    """The best distribution met in `seconds` of annealing from `start` (which keeps the hard rules),
    and its weighted cost. With `reach`, each hour beyond it from target costs `reach_weight` too,
    the first distribution with none ends the search, and what comes back is the best distribution
    met and its hours beyond."""
    state = LoadAnnealer(problem, weights, cap, start, reach, reach_weight)
    if reach is not None:
        if len(state.movable) and state.over:
            hottest, coldest = BALANCING_TEMPERATURES
            _walk(state, seconds, seed, hottest * reach_weight, coldest * reach_weight)
        found = state.solution(best=True) if len(state.movable) else start
        gaps = (
            abs(problem.target(t) - load)
            for t, load in zip(problem.teachers, found.loads(problem), strict=True)
        )
        return found, sum(max(0, gap - reach) for gap in gaps)
    if len(state.movable):
        _walk(state, seconds, seed, *TEMPERATURES)
    return state.solution(best=True) if len(state.movable) else start, state.best


def _walk(state: LoadAnnealer, seconds: float, seed: int, hottest: float, coldest: float) -> None:
    """Proposals in compiled chunks of about CHUNK_SECONDS, cooling geometrically over `seconds`."""
    began = asked = time.monotonic()
    chunk = 2_000
    while True:
        now = time.monotonic()
        progress = (now - began) / seconds if seconds > 0 else 1.0
        if progress >= 1.0 or (state.reach >= 0 and not state.over):
            break
        if now - asked >= STOP_POLL:
            if stopped():
                break
            asked = now
        state.step(hottest * (coldest / hottest) ** progress, chunk, seed + state.moves)
        took = max(time.monotonic() - now, 1e-5)
        chunk = max(500, min(5_000_000, int(chunk * CHUNK_SECONDS / took)))


@njit(cache=True, nogil=True, error_model="numpy")
def _over(load, target, reach):
    """Hours beyond `reach` from target, over all teachers (0 without a reach)."""
    over = 0
    if reach >= 0:
        for t in range(len(load)):
            over += max(0, abs(target[t] - load[t]) - reach)
    return over


@njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _accepted(delta, temperature):
    """Metropolis: every step down or level, a step up with probability exp(-delta / temperature)."""
    return delta <= 0 or np.random.random() < np.exp(-delta / temperature)


@njit(cache=True, nogil=True, error_model="numpy")
def _kernel(
    proposals, temperature, cost, best, over, best_list, seed, setup, constant,
    movable, candidate_pointer, candidate_list, can, priced, previous,
    team_pointer, team_list, least, most, stream_of, lecture_item,
    totals, items, teachers,
):  # fmt: skip
    """With `setup`, first every item's teachers into the running totals. Then `proposals`
    proposals: a random movable item to a random other candidate (half the time, for an item away
    from last year's teacher, to that teacher), or, when that breaks a limit, a trade with an item
    of the other teacher whose hours keep both within their limits (on the way home, one of the
    holder's own last year first, so both go home), or (a tenth, without a reach) a course handed
    over whole.
    Returns the cost, the best cost, the hours beyond reach and the total worked out afresh from
    the running totals; the best distribution is copied to `best_list`. With a reach, the first
    distribution with no hour beyond it ends the walk (as best).
    The helpers are closures over the arrays, unpacked once: a compiled function called with an
    array, even inlined, takes and gives back a reference on it at every call, and that was most of
    a proposal's time (findings)."""
    load, terms, courses, prepared, unmet, stream, mine, mine_count, position = totals
    share, term, course, practice_of, free = items
    target, allowed, balanced, wished, weights, reach, reach_weight = teachers

    def place(i, t, sign):
        """Add (sign 1) or take away (sign -1) item i at teacher t in the running totals."""
        load[t] += sign * share[i]
        terms[t, term[i]] += sign * share[i]
        c = course[i]
        if c >= 0:
            if sign > 0 and courses[t, c] == 0:
                prepared[t] += 1
                unmet[t] -= wished[t, c]
            courses[t, c] += sign
            if sign < 0 and courses[t, c] == 0:
                prepared[t] -= 1
                unmet[t] += wished[t, c]
        if practice_of[i] >= 0:
            stream[practice_of[i], t] += sign
        if free[i]:
            if sign > 0:
                position[i] = mine_count[t]
                mine[t, mine_count[t]] = i
                mine_count[t] += 1
            else:
                mine_count[t] -= 1
                last = mine[t, mine_count[t]]
                if last != i:
                    mine[t, position[i]] = last
                    position[last] = position[i]

    def shift(i, t):
        """Item i (one teacher) to teacher t."""
        slot = team_pointer[i]
        place(i, team_list[slot], -1)
        team_list[slot] = t
        place(i, t, 1)

    def traded_cost(t, gone, came):
        """Teacher t's cost once item `gone` leaves and item `came` arrives (-1: none), worked out
        without moving either (a proposal is mostly turned down)."""
        first = second = 0  # hours more in each term
        held, wishes = prepared[t], unmet[t]
        lost = gained = -1
        if gone >= 0:
            if term[gone] == 0:
                first -= share[gone]
            else:
                second -= share[gone]
            lost = course[gone]
        if came >= 0:
            if term[came] == 0:
                first += share[came]
            else:
                second += share[came]
            gained = course[came]
        if lost != gained:
            if lost >= 0 and courses[t, lost] == 1:
                held -= 1
                wishes += wished[t, lost]
            if gained >= 0 and courses[t, gained] == 0:
                held += 1
                wishes -= wished[t, gained]
        gap = abs(target[t] - load[t] - first - second)
        cost = weights[0] * gap + weights[1] * held + weights[2] * wishes
        if reach >= 0 and gap > reach:
            cost += reach_weight * (gap - reach)
        if balanced[t]:
            excess = abs(terms[t, 0] + first - terms[t, 1] - second) - allowed[t]
            if excess > 0:
                cost += weights[3] * excess
        return cost

    def teacher_cost(t):
        return traded_cost(t, -1, -1)

    def lecture_cost(k):
        """Nothing when one of the lecture's teachers gives one of its practices, else the split."""
        lecture = lecture_item[k]
        for j in range(team_pointer[lecture], team_pointer[lecture + 1]):
            if stream[k, team_list[j]] > 0:
                return 0
        return weights[4]

    def traded_lecture_cost(k, i, back, holder, other):
        """Lecture k's split once item i goes from `holder` to `other` and item `back` (-1: none) the
        other way, worked out without moving them."""
        lecture = lecture_item[k]
        mine_i = practice_of[i] == k
        mine_back = back >= 0 and practice_of[back] == k
        for j in range(team_pointer[lecture], team_pointer[lecture + 1]):
            t = other if lecture == i else holder if lecture == back else team_list[j]
            held = stream[k, t]
            if mine_i:
                held += (t == other) - (t == holder)
            if mine_back:
                held += (t == holder) - (t == other)
            if held > 0:
                return 0
        return weights[4]

    def local(a, b, k1, k2):
        """The cost of teachers a and b and lectures k1 and k2 (-1: none; each counted once)."""
        cost = teacher_cost(a) + teacher_cost(b)
        if k1 >= 0:
            cost += lecture_cost(k1)
        if k2 >= 0 and k2 != k1:
            cost += lecture_cost(k2)
        return cost

    def beyond(t):
        """Teacher t's hours beyond the reach."""
        return max(0, abs(target[t] - load[t]) - reach)

    def fits(t, change):
        return least[t] <= load[t] + change <= most[t]

    def hand_over(i, other, cost, best):
        """The holder of item i hands every item of its course it holds to `other`, and takes back
        items of `other` (of courses it prepares already, or no course) whose hours keep both within
        their limits: on departments packed tight a course leaves a teacher no other way."""
        c = course[i]
        holder = team_list[team_pointer[i]]
        if c < 0:
            return cost, best
        given = np.empty(mine_count[holder], dtype=np.int64)
        hours = 0
        n_given = 0
        for step in range(mine_count[holder]):
            g = mine[holder, step]
            if course[g] == c:
                if not can[g, other]:
                    return cost, best
                given[n_given] = g
                n_given += 1
                hours += share[g]
        # Hours to take back: the holder stays within its limits, and so does the other teacher.
        low = max(least[holder] - (load[holder] - hours), load[other] + hours - most[other])
        high = min(most[holder] - (load[holder] - hours), load[other] + hours - least[other])
        if low > high:
            return cost, best
        taken = np.empty(mine_count[other], dtype=np.int64)
        n_taken = 0
        back = 0
        held = mine_count[other]
        offset = int(np.random.random() * held) if held else 0
        for step in range(held):
            if back >= low:
                break
            b = mine[other, (offset + step) % held]
            k = course[b]
            if k == c or not can[b, holder] or (k >= 0 and courses[holder, k] == 0):
                continue
            if back + share[b] <= high:
                taken[n_taken] = b
                n_taken += 1
                back += share[b]
        if back < low:  # (never above high: an item joins only while it keeps within)
            return cost, best
        lectures = np.empty(n_given + n_taken, dtype=np.int64)
        n_lectures = 0
        for j in range(n_given + n_taken):
            item = given[j] if j < n_given else taken[j - n_given]
            k = stream_of[item]
            if k >= 0:
                seen = False
                for m in range(n_lectures):
                    if lectures[m] == k:
                        seen = True
                if not seen:
                    lectures[n_lectures] = k
                    n_lectures += 1
        before = local(holder, other, -1, -1)
        for m in range(n_lectures):
            before += lecture_cost(lectures[m])
        for j in range(n_given):
            before += priced[given[j], holder]
            shift(given[j], other)
        for j in range(n_taken):
            before += priced[taken[j], other]
            shift(taken[j], holder)
        after = local(holder, other, -1, -1)
        for m in range(n_lectures):
            after += lecture_cost(lectures[m])
        for j in range(n_given):
            after += priced[given[j], other]
        for j in range(n_taken):
            after += priced[taken[j], holder]
        if not _accepted(after - before, temperature):
            for j in range(n_taken):
                shift(taken[j], other)
            for j in range(n_given):
                shift(given[j], holder)
            return cost, best
        cost += after - before
        if cost < best:
            best = cost
            best_list[:] = team_list
        return cost, best

    if setup:
        for i in range(len(team_pointer) - 1):
            for j in range(team_pointer[i], team_pointer[i + 1]):
                place(i, team_list[j], 1)
    if proposals and len(movable):
        np.random.seed(seed)  # (not for the start and the total: numba keeps one generator per thread)
    for _ in range(proposals if len(movable) else 0):
        i = movable[int(np.random.random() * len(movable))]
        s = share[i]
        holder = team_list[team_pointer[i]]
        first, last = candidate_pointer[i], candidate_pointer[i + 1]
        other = candidate_list[first + int(np.random.random() * (last - first))]
        home = previous[i]
        # Homeward proposals: a random candidate is last year's once in 16, and the walk kept about a
        # fifth more changes than column generation's loads (findings).
        homeward = home >= 0 and home != holder and np.random.random() < HOMEWARD
        if homeward:
            other = home
        if other == holder:
            continue
        if reach < 0 and not homeward and np.random.random() < HANDOVER:
            cost, best = hand_over(i, other, cost, best)
            continue
        back = -1
        if not (fits(holder, -s) and fits(other, s)):
            # A trade: the other teacher's items from a random place on, the first that fits: its
            # hours within what keeps both teachers within their limits.
            held = mine_count[other]
            if held == 0:
                continue
            low = max(least[holder] - load[holder], load[other] - most[other]) + s
            high = min(most[holder] - load[holder], load[other] - least[other]) + s
            if low > high:
                continue
            offset = int(np.random.random() * held)
            # On the way home, first an item that was the holder's last year (both go home), then any.
            for homeward_only in (True, False):
                if homeward_only and not homeward:
                    continue
                j = offset
                for _ in range(held):
                    candidate = mine[other, j]
                    j = j + 1 if j + 1 < held else 0
                    if not low <= share[candidate] <= high or candidate == i or not can[candidate, holder]:
                        continue
                    if homeward_only and previous[candidate] != holder:
                        continue
                    back = candidate
                    break
                if back >= 0:
                    break
            if back < 0:
                continue
        # Priced before anything moves: most proposals are turned down.
        k1, k2 = stream_of[i], stream_of[back] if back >= 0 else -1
        delta = priced[i, other] - priced[i, holder]
        if back >= 0:
            delta += priced[back, holder] - priced[back, other]
        delta += traded_cost(holder, i, back) - teacher_cost(holder)
        delta += traded_cost(other, back, i) - teacher_cost(other)
        if k1 >= 0:
            delta += traded_lecture_cost(k1, i, back, holder, other) - lecture_cost(k1)
        if k2 >= 0 and k2 != k1:
            delta += traded_lecture_cost(k2, i, back, holder, other) - lecture_cost(k2)
        if not _accepted(delta, temperature):
            continue
        if reach >= 0:
            over -= beyond(holder) + beyond(other)
        shift(i, other)
        if back >= 0:
            shift(back, holder)
        cost += delta
        if reach >= 0:
            over += beyond(holder) + beyond(other)
            if over == 0:
                best = cost
                best_list[:] = team_list
                break
        if cost < best:
            best = cost
            best_list[:] = team_list
    # The total afresh: every teacher's cost, every pair's price and every lecture's split.
    total = constant
    for t in range(len(load)):
        total += teacher_cost(t)
    for i in range(len(team_pointer) - 1):
        for j in range(team_pointer[i], team_pointer[i + 1]):
            total += priced[i, team_list[j]]
    for k in range(len(lecture_item)):
        total += lecture_cost(k)
    return cost, best, over, total
