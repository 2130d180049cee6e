"""A greedy first guess of every exam's period, used as a hint for the period model.

DSatur order (the exam with the fewest periods left goes next), each exam into the open period
that adds the least soft cost beside the exams already placed. It may get stuck; then the hint is
partial and CP-SAT completes it.
"""

from __future__ import annotations

from models import ExamProblem, PeriodRelation, Pin, Scoring
from solver.exams.model import ConflictIndex

_PROXIMITY = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}


def greedy_periods(
    problem: ExamProblem, conflicts: ConflictIndex, pins: dict[int, Pin], slack: float
) -> dict[int, int]:
    """Periods for as many exams as the greedy order can place (exam -> period)."""
    periods = problem.periods
    count = len(periods)
    seats = int(slack * sum(room.capacity for room in problem.rooms)) if problem.uses_rooms else 0
    seats_left = [seats] * count
    open_periods: list[set[int]] = []
    for candidate in problem.exams:
        allowed = {p.index for p in periods if p.duration >= candidate.duration}
        if candidate.index in pins:
            allowed &= {pins[candidate.index].period}
        open_periods.append(allowed)
    same, apart, after, before = _relations(problem)
    pair_cost = _pair_cost_table(problem)
    period_cost = [_own_cost(problem, p) for p in range(count)]
    placed: dict[int, int] = {}
    waiting = set(range(len(problem.exams)))
    while waiting:
        exam = min(waiting, key=lambda e: (len(open_periods[e]), -len(conflicts.shared[e])))
        choices = [p for p in open_periods[exam] if _respects(exam, p, placed, same, apart, after, before)]
        if problem.uses_rooms:
            choices = [p for p in choices if seats_left[p] >= problem.exams[exam].size]
        if not choices:
            waiting.discard(exam)  # stuck: CP-SAT places it; keep guessing the others
            continue
        large = exam in problem.largest_exams

        def added(period: int, exam: int = exam, large: bool = large) -> int:
            cost = period_cost[period] + (
                problem.weightings.front_load_weight if large and period in problem.last_periods else 0
            )
            for other, students in conflicts.shared[exam].items():
                if other in placed:
                    cost += students * pair_cost[period][placed[other]]
            return cost

        best = min(choices, key=added)
        placed[exam] = best
        waiting.discard(exam)
        if problem.uses_rooms:
            seats_left[best] -= problem.exams[exam].size
        for other in conflicts.shared[exam]:
            open_periods[other].discard(best)
    return placed


def _relations(
    problem: ExamProblem,
) -> tuple[dict[int, set[int]], dict[int, set[int]], dict[int, set[int]], dict[int, set[int]]]:
    same: dict[int, set[int]] = {}
    apart: dict[int, set[int]] = {}
    after: dict[int, set[int]] = {}  # exam -> exams it must come after
    before: dict[int, set[int]] = {}  # exam -> exams that must come after it
    for c in problem.period_constraints:
        if c.relation is PeriodRelation.EXAM_COINCIDENCE:
            same.setdefault(c.first, set()).add(c.second)
            same.setdefault(c.second, set()).add(c.first)
        elif c.relation is PeriodRelation.EXCLUSION:
            apart.setdefault(c.first, set()).add(c.second)
            apart.setdefault(c.second, set()).add(c.first)
        else:
            after.setdefault(c.first, set()).add(c.second)
            before.setdefault(c.second, set()).add(c.first)
    return same, apart, after, before


def _respects(
    exam: int,
    period: int,
    placed: dict[int, int],
    same: dict[int, set[int]],
    apart: dict[int, set[int]],
    after: dict[int, set[int]],
    before: dict[int, set[int]],
) -> bool:
    return (
        all(placed[o] == period for o in same.get(exam, ()) if o in placed)
        and all(placed[o] != period for o in apart.get(exam, ()) if o in placed)
        and all(placed[o] < period for o in after.get(exam, ()) if o in placed)
        and all(placed[o] > period for o in before.get(exam, ()) if o in placed)
    )


def _pair_cost_table(problem: ExamProblem) -> list[list[int]]:
    """Cost per shared student of two exams in periods p and q, by the problem's scoring."""
    periods = problem.periods
    weights = problem.weightings
    table = []
    for p in periods:
        row = []
        for q in periods:
            gap = abs(p.index - q.index)
            if problem.scoring is Scoring.TORONTO:
                row.append(_PROXIMITY.get(gap, 0))
                continue
            cost = 0
            if gap and p.day == q.day:
                cost += weights.two_in_a_row if gap == 1 else weights.two_in_a_day
            if 0 < gap <= weights.period_spread:
                cost += 1
            row.append(cost)
        table.append(row)
    return table


def _own_cost(problem: ExamProblem, period: int) -> int:
    return problem.periods[period].penalty if problem.scoring is Scoring.ITC2007 else 0
