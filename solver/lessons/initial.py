"""A first lesson timetable by iterative forward search over (start, room) places.

Meetings with the fewest places go first, each into the free place that costs least (seats
short, a room its section does not use yet); a meeting with no free place takes the place whose
blocking meetings are fewest and least often moved, and those go back to the queue (as for
exams, and as UniTime constructs). Pins are placed first and never moved.
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass, field

from models import LessonProblem, LessonScoring, LessonSolution

EVICTIONS_PER_MEETING = 300


def static_places(problem: LessonProblem) -> list[list[tuple[int, int]]]:
    """Per meeting, every (start, room) allowed by the grid, availabilities and suitability."""
    grid = problem.grid
    capacity_is_hard = problem.scoring is not LessonScoring.UD2
    places = []
    for meeting in problem.meetings:
        section = problem.sections[meeting.section]
        rooms = [
            room
            for room in problem.rooms
            if room.index not in section.unsuitable_rooms
            and (not section.room_kind or room.kind == section.room_kind)
            and section.features <= room.features
            and (not capacity_is_hard or room.capacity >= section.size)
        ]
        here: list[tuple[int, int]] = []
        for start in range(grid.slot_count):
            slots = range(start, start + meeting.length)
            if not grid.fits(start, meeting.length) or any(slot in section.forbidden_slots for slot in slots):
                continue
            if any(slot in problem.teachers[t].unavailable for t in section.teachers for slot in slots):
                continue
            here.extend(
                (start, room.index) for room in rooms if not any(s in room.unavailable for s in slots)
            )
        places.append(here)
    return places


@dataclass
class _Board:
    """Who holds what: per resource key and slot, the meetings there."""

    holders: dict[tuple[str, int, int], set[int]] = field(default_factory=dict)

    def add(self, keys: list[tuple[str, int, int]], meeting: int) -> None:
        for key in keys:
            self.holders.setdefault(key, set()).add(meeting)

    def remove(self, keys: list[tuple[str, int, int]], meeting: int) -> None:
        for key in keys:
            self.holders[key].discard(meeting)

    def blocking(self, keys: list[tuple[str, int, int]]) -> set[int]:
        found: set[int] = set()
        for key in keys:
            found |= self.holders.get(key, set())
        return found


def first_timetable(
    problem: LessonProblem,
    pins: dict[int, tuple[int, int | None]] | None = None,
    seed: int = 0,
    time_budget: float = 10.0,
) -> LessonSolution | None:
    """A timetable breaking no hard rule, or None if the search ran out of budget."""
    deadline = time.monotonic() + time_budget
    rng = random.Random(seed)
    pins = pins or {}
    places = static_places(problem)
    cohorts_of: list[list[int]] = [[] for _ in problem.sections]
    for cohort in problem.cohorts:
        for member in set(cohort.sections):
            cohorts_of[member].append(cohort.index)
    sharing = _students_sharing(problem)

    def keys(meeting: int, start: int, room: int) -> list[tuple[str, int, int]]:
        section = problem.meetings[meeting].section
        slots = range(start, start + problem.meetings[meeting].length)
        owners = [("room", room), ("section", section)]
        owners += [("teacher", teacher) for teacher in problem.sections[section].teachers]
        owners += [("cohort", cohort) for cohort in cohorts_of[section]]
        owners += [("students", other) for other in sharing[section]]  # sections sharing students
        return [(kind, owner, slot) for kind, owner in owners for slot in slots]

    board = _Board()
    place_of: dict[int, tuple[int, int]] = {}

    def put(meeting: int, place: tuple[int, int]) -> None:
        place_of[meeting] = place
        board.add(_own_keys(problem, meeting, place, cohorts_of), meeting)

    def lift(meeting: int) -> None:
        board.remove(_own_keys(problem, meeting, place_of.pop(meeting), cohorts_of), meeting)

    for meeting, (start, room) in pins.items():
        pinned = [p for p in places[meeting] if p[0] == start and room in (None, p[1])]
        open_places = [p for p in pinned if not board.blocking(keys(meeting, *p))]
        if not open_places:
            return None  # pins that collide or name an impossible place
        put(meeting, open_places[0])
    moved = [0] * len(problem.meetings)
    queue = [(len(places[m]), rng.random(), m) for m in range(len(problem.meetings)) if m not in pins]
    heapq.heapify(queue)
    budget = EVICTIONS_PER_MEETING * len(problem.meetings)
    while queue:
        _, _, meeting = heapq.heappop(queue)
        if not places[meeting]:
            return None
        best: tuple[float, float, tuple[int, int], set[int]] | None = None
        for place in places[meeting]:
            blocking = board.blocking(keys(meeting, *place))
            if any(other in pins for other in blocking):
                continue
            weight = sum(1 + moved[other] for other in blocking) + _soft_hint(problem, meeting, place)
            if best is None or (weight, rng.random()) < best[:2]:
                best = (weight, rng.random(), place, blocking)
        if best is None:
            return None
        _, _, place, blocking = best
        if blocking:
            budget -= len(blocking)
            if budget < 0 or time.monotonic() > deadline:
                return None
        for other in blocking:
            lift(other)
            moved[other] += 1
            heapq.heappush(queue, (len(places[other]), rng.random(), other))
        put(meeting, place)
    starts = tuple(place_of[m][0] for m in range(len(problem.meetings)))
    rooms = tuple(place_of[m][1] for m in range(len(problem.meetings)))
    return LessonSolution(problem_name=problem.name, starts=starts, rooms=rooms)


def _own_keys(
    problem: LessonProblem, meeting: int, place: tuple[int, int], cohorts_of: list[list[int]]
) -> list[tuple[str, int, int]]:
    """The resources a placed meeting holds (its students are held through its section)."""
    start, room = place
    section = problem.meetings[meeting].section
    slots = range(start, start + problem.meetings[meeting].length)
    owners = [("room", room), ("section", section), ("students", section)]
    owners += [("teacher", teacher) for teacher in problem.sections[section].teachers]
    owners += [("cohort", cohort) for cohort in cohorts_of[section]]
    return [(kind, owner, slot) for kind, owner in owners for slot in slots]


def _students_sharing(problem: LessonProblem) -> list[set[int]]:
    """Per section, the other sections some registered student also takes."""
    sharing: list[set[int]] = [set() for _ in problem.sections]
    for registered in problem.registrations.values():
        unique = set(registered)
        for section in unique:
            sharing[section] |= unique - {section}
    return sharing


def _soft_hint(problem: LessonProblem, meeting: int, place: tuple[int, int]) -> float:
    """A small tie-break towards rooms that seat everyone (below one blocking meeting)."""
    section = problem.sections[problem.meetings[meeting].section]
    short = max(0, section.size - problem.rooms[place[1]].capacity)
    return min(0.9, short / (section.size + 1))
