"""Ways to choose which exams a large-neighbourhood step re-decides."""

from __future__ import annotations

import random
from dataclasses import dataclass

from models import ExamProblem, ExamSolution, PeriodRelation
from solver.exams.model import ConflictIndex

LOCAL_BURST = 2.0  # seconds per local-search step: long enough that its setup does not matter


@dataclass
class ExamNeighbourhoods:
    """The exam-specific part of the search: related exams, period groups and linked exams."""

    problem: ExamProblem
    conflicts: ConflictIndex
    pinned: frozenset[int]

    def __post_init__(self) -> None:
        self.linked: list[set[int]] = [set() for _ in self.problem.exams]
        for constraint in self.problem.period_constraints:
            if constraint.relation is PeriodRelation.EXAM_COINCIDENCE:
                self.linked[constraint.first].add(constraint.second)
                self.linked[constraint.second].add(constraint.first)
        self.movable = [e.index for e in self.problem.exams if e.index not in self.pinned]

    def _close(self, chosen: set[int]) -> frozenset[int]:
        """Add exams tied by coincidence so a group can move together; never pinned ones."""
        stack = list(chosen)
        while stack:
            for partner in self.linked[stack.pop()]:
                if partner not in chosen:
                    chosen.add(partner)
                    stack.append(partner)
        return frozenset(chosen - self.pinned)

    def kinds(self) -> list[_Kind]:
        """Period moves (rooms seated after), room-only repacks, and a few exact joint moves."""
        if not self.problem.uses_rooms:
            return [
                _Kind("late acceptance", self.all_exams, "local", LOCAL_BURST),
                _Kind("random", self.random_exams, "exact"),
                _Kind("related", self.related_exams, "exact"),
                _Kind("periods", self.period_exams, "exact"),
                _Kind("day", self.day_exams, "exact"),
            ]
        return [
            _Kind("late acceptance", self.all_exams, "local", LOCAL_BURST),
            _Kind("random", self.random_exams, "periods"),
            _Kind("related", self.related_exams, "periods"),
            _Kind("periods", self.period_exams, "periods"),
            _Kind("day", self.day_exams, "periods"),
            _Kind("rooms of periods", self.period_exams, "rooms"),
            _Kind("exact related", self.related_exams, "exact"),
            _Kind("exact periods", self.period_exams, "exact"),
        ]

    def all_exams(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        return frozenset(self.movable)

    def random_exams(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        return self._close(set(rng.sample(self.movable, min(size, len(self.movable)))))

    def related_exams(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        """A random exam and, breadth first, the exams sharing most students with the group."""
        seed = rng.choice(self.movable)
        chosen = {seed}
        frontier: dict[int, int] = {}
        while len(chosen) < size:
            for other, students in self.conflicts.shared[seed].items():
                if other not in chosen and other not in self.pinned:
                    frontier[other] = frontier.get(other, 0) + students
            if not frontier:
                remaining = [e for e in self.movable if e not in chosen]
                if not remaining:
                    break
                seed = rng.choice(remaining)
            else:
                seed = max(frontier, key=lambda e: frontier[e] * (0.5 + rng.random()))
                del frontier[seed]
            chosen.add(seed)
        return self._close(chosen)

    def period_exams(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        """All exams of a few random periods, so whole periods can swap."""
        periods = list(range(len(self.problem.periods)))
        rng.shuffle(periods)
        return self._fill_from_periods(current, periods, size, rng)

    def day_exams(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        """The exams of a random day and its neighbours, so a day's order can change."""
        days = sorted({p.day for p in self.problem.periods})
        day = rng.choice(days)
        order = sorted(self.problem.periods, key=lambda p: (abs(p.day - day), rng.random()))
        return self._fill_from_periods(current, [p.index for p in order], size, rng)

    def _fill_from_periods(
        self, current: ExamSolution, periods: list[int], size: int, rng: random.Random
    ) -> frozenset[int]:
        members: dict[int, list[int]] = {}
        for exam in self.movable:
            members.setdefault(current.periods[exam], []).append(exam)
        chosen: set[int] = set()
        for period in periods:
            if len(chosen) >= size:
                break
            exams = members.get(period, [])
            room = size - len(chosen)
            chosen.update(rng.sample(exams, room) if len(exams) > room else exams)
        return self._close(chosen)


@dataclass
class _Kind:
    """A named way to choose exams, and what the step re-decides for them.

    mode "periods": periods only, rooms seated afterwards; "rooms": rooms only, periods kept;
    "exact": period and room together; "local": a burst of the fast local search, no CP-SAT.
    """

    name: str
    choose: object
    mode: str
    step_time: float | None = None

    def select(self, current: ExamSolution, size: int, rng: random.Random) -> frozenset[int]:
        return self.choose(current, size, rng)  # type: ignore[operator,no-any-return]
