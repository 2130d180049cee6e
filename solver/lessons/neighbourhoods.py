"""Ways to choose which meetings a large-neighbourhood step re-decides."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from models import LessonProblem, LessonSolution

LOCAL_BURST = 2.0  # seconds per local-search step
Chooser = Callable[[LessonSolution, int, random.Random], frozenset[int]]


@dataclass
class LessonKind:
    """A named way to choose meetings (`LnsSubject` neighbourhood)."""

    name: str
    choose: Chooser
    rooms_only: bool = False  # the chosen meetings keep their times, only rooms are re-decided
    local: bool = False  # a burst of the fast local search, no CP-SAT
    step_time: float | None = None

    def select(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        return self.choose(current, size, rng)


class LessonNeighbourhoods:
    """Random meetings, meetings linked through cohorts, teachers and students, whole slots and
    whole days, and all meetings of related sections (for days spread and room stability)."""

    def __init__(self, problem: LessonProblem, pinned: frozenset[int]) -> None:
        self.problem = problem
        self.movable = [m.index for m in problem.meetings if m.index not in pinned]
        self.pinned = pinned
        linked: list[set[int]] = [set() for _ in problem.sections]
        for cohort in problem.cohorts:
            for member in cohort.sections:
                linked[member] |= set(cohort.sections) - {member}
        by_teacher: dict[int, list[int]] = {}
        for section in problem.sections:
            for teacher in section.teachers:
                by_teacher.setdefault(teacher, []).append(section.index)
        for sections in by_teacher.values():
            for member in sections:
                linked[member] |= set(sections) - {member}
        for registered in problem.registrations.values():
            for member in registered:
                linked[member] |= set(registered) - {member}
        self.linked = [sorted(others) for others in linked]

    def kinds(self, with_local_search: bool) -> list[LessonKind]:
        local = [LessonKind("late acceptance", self.all_meetings, local=True, step_time=LOCAL_BURST)]
        return (local if with_local_search else []) + [
            LessonKind("random", self.random_meetings),
            LessonKind("related sections", self.related_sections),
            LessonKind("slots", self.slot_meetings),
            LessonKind("day", self.day_meetings),
            LessonKind("rooms of slots", self.slot_meetings, rooms_only=True),
            LessonKind("rooms of sections", self.related_sections, rooms_only=True),
        ]

    def all_meetings(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        return frozenset(self.movable)

    def random_meetings(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        return frozenset(rng.sample(self.movable, min(size, len(self.movable))))

    def related_sections(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        """A random section and, breadth first, the sections linked to it: all their meetings."""
        meetings_of = self.problem.meetings_of
        start = self.problem.meetings[rng.choice(self.movable)].section
        chosen: set[int] = set()
        seen = {start}
        frontier = [start]
        while frontier and len(chosen) < size:
            section = frontier.pop(0)
            chosen.update(m for m in meetings_of[section] if m not in self.pinned)
            others = [s for s in self.linked[section] if s not in seen]
            rng.shuffle(others)
            seen.update(others)
            frontier.extend(others)
        return frozenset(chosen)

    def slot_meetings(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        """All meetings of a few random slots, so whole slots can swap."""
        slots = list(range(self.problem.grid.slot_count))
        rng.shuffle(slots)
        return self._fill(current, slots, size, rng)

    def day_meetings(self, current: LessonSolution, size: int, rng: random.Random) -> frozenset[int]:
        """The meetings of a random day, then of the days around it."""
        grid = self.problem.grid
        day = rng.randrange(len(grid.days))
        slots = sorted(range(grid.slot_count), key=lambda s: (abs(grid.day_of(s) - day), rng.random()))
        return self._fill(current, slots, size, rng)

    def _fill(
        self, current: LessonSolution, slots: list[int], size: int, rng: random.Random
    ) -> frozenset[int]:
        at: dict[int | None, list[int]] = {}
        for meeting in self.movable:
            at.setdefault(current.starts[meeting], []).append(meeting)
        chosen: set[int] = set()
        for slot in slots:
            if len(chosen) >= size:
                break
            here = at.get(slot, [])
            room = size - len(chosen)
            chosen.update(rng.sample(here, room) if len(here) > room else here)
        return frozenset(chosen)
