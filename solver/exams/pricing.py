"""What exam moves cost and which period relations bind them: shared by the greedy and the
local search, which both price moves without CP-SAT."""

from __future__ import annotations

import constraints.exams as exam_rules
from models import ExamProblem, PeriodRelation, Scoring

PROXIMITY = {1: 16, 2: 8, 3: 4, 4: 2, 5: 1}  # Toronto: cost per student by timeslots apart


def default_weights(problem: ExamProblem) -> dict[str, int]:
    """Each criterion's weight as the instance sets it, by criterion name."""
    return {unit.NAME: unit.weight(problem) for unit in exam_rules.units_for(problem) if not unit.HARD}


def pair_costs(problem: ExamProblem, weights: dict[str, int]) -> list[list[int]]:
    """Cost per shared student of two exams in periods p and q, with the scenario's weights."""
    periods = problem.periods
    table = []
    for p in periods:
        row = []
        for q in periods:
            gap = abs(p.index - q.index)
            if problem.scoring is Scoring.TORONTO:
                row.append(weights.get("proximity", 0) * PROXIMITY.get(gap, 0))
                continue
            cost = 0
            if gap and p.day == q.day:
                cost += weights.get("two in a row", 0) if gap == 1 else weights.get("two in a day", 0)
            if 0 < gap <= problem.weightings.period_spread:
                cost += weights.get("period spread", 0)
            row.append(cost)
        table.append(row)
    return table


def period_relations(
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
