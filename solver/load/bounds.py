"""Lower bounds on a part's weighted criteria that need no search: what every distribution pays.

CP-SAT proves better bounds given time; these hold at once, so a part that gets little or no time
still contributes a proven bound.
"""

from __future__ import annotations

import math
from collections import defaultdict

import constraints.load as load_rules
from models.load import LoadProblem


def static_bound(problem: LoadProblem, weights: dict[str, int]) -> int:
    """The weighted sum of the criteria's bounds below (0 for the others)."""
    teachers = max(1, len(problem.teachers))
    bounds = {
        load_rules.largest_deviation.NAME: -(-_total_deviation(problem) // teachers),  # at least the mean
        load_rules.total_deviation.NAME: _total_deviation(problem),
        load_rules.courses_prepared.NAME: _courses_prepared(problem),
        load_rules.changes.NAME: _changes(problem),
        load_rules.lecture_practice_split.NAME: _split_streams(problem),
    }
    return sum(weights.get(name, 0) * bound for name, bound in bounds.items())


def _total_deviation(problem: LoadProblem) -> int:
    """Every item is taught, so the loads add up to the hours: the gaps add up to at least the
    difference between all targets and all hours."""
    return abs(_surplus(problem))


def _surplus(problem: LoadProblem) -> int:
    """All targets less all hours: what the teachers' gaps to target add up to."""
    return sum(problem.target(t) for t in problem.teachers) - sum(item.hours for item in problem.items)


def _courses_prepared(problem: LoadProblem) -> int:
    """A course needs as many preparers as its largest co-taught item, and enough to give its hours
    when each gives at most their norm."""
    hours: dict[str, int] = defaultdict(int)
    team: dict[str, int] = defaultdict(int)
    most: dict[str, int] = defaultdict(int)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        if not item.is_class:
            continue
        hours[item.course] += item.hours
        team[item.course] = max(team[item.course], item.teachers)
        for teacher in candidates:
            most[item.course] = max(most[item.course], problem.maximum(problem.teachers[teacher]))
    return sum(max(team[c], math.ceil(hours[c] / most[c]) if most[c] else 0) for c in hours)


def _changes(problem: LoadProblem) -> int:
    """Last year's teachers who cannot take the item now, or more of them than it has seats."""
    unavoidable = 0
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        previous = set(item.previous)
        unavoidable += max(len(previous - set(candidates)), len(previous) - item.teachers)
    return unavoidable


def _split_streams(problem: LoadProblem) -> int:
    """Lectures none of whose possible teachers could give any practice or lab of the stream."""
    return sum(
        1
        for lecture, practices in problem.practices_of.items()
        if not set(problem.candidates[lecture]) & {t for p in practices for t in problem.candidates[p]}
    )


def room(problem: LoadProblem, cap: int) -> float:
    """How far within `cap` the teachers' mean gap to target lies: near 0 every teacher sits near a
    limit, and single moves rarely fit."""
    if not problem.teachers:
        return math.inf
    return cap - _surplus(problem) / len(problem.teachers)
