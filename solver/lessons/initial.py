"""A first lesson timetable by iterative forward search over (start, room) places.

Meetings with the fewest places go first, each into the free place that costs least (seats
short, a room its section does not use yet); a meeting with no free place takes the place whose
blocking meetings are fewest and least often moved, and those go back to the queue (as for
exams, and as UniTime constructs). Pins are placed first and never moved. Under the registrar's
rules a section's meetings hold its day, and related sections block each other's wrong places.
"""

from __future__ import annotations

import heapq
import random
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from constraints.lessons.section_relations import broken, meeting_pairs
from constraints.lessons.timetable import Placed, suits
from models import LessonProblem, LessonRoom, LessonScoring, LessonSolution, Section, SectionRelation

EVICTIONS_PER_MEETING = 300
ROOM_CHAIN_COST = 0.95  # placing by moving others between rooms: dearer than any room hint
ROOM_CHAIN_DEPTH = 3


Places = dict[int, list[int]]  # start -> the rooms open then, snuggest first


_PLACES: dict[int, list[Places]] = {}  # by id of a problem still alive: read, never changed


def static_places(problem: LessonProblem) -> list[Places]:
    """Per meeting, every start allowed by the grid and availabilities, with the suitable rooms
    free then. Sections alike share their room lists (large semesters have many places). Worked
    out once per problem: the first timetable, the annealer and the local search each ask, and a
    large semester's places take seconds."""
    key = id(problem)
    places = _PLACES.get(key)
    if places is None:
        places = _places_of(problem)
        _PLACES[key] = places
        weakref.finalize(problem, _PLACES.pop, key, None)  # before the id can be reused
    return places


def _places_of(problem: LessonProblem) -> list[Places]:
    grid = problem.grid
    suitable_of: dict[int, tuple[int, tuple[int, ...]]] = {}  # section -> its room list's number, rooms
    numbered: dict[tuple[int, ...], int] = {}  # room lists (snuggest first), numbered as first met
    open_rooms: dict[tuple[int, int, int], list[int]] = {}  # (room list, start, length) -> open
    places: list[Places] = []
    for meeting in problem.meetings:
        section = problem.sections[meeting.section]
        if section.index not in suitable_of:
            suitable = sorted(
                (room for room in problem.rooms_open_to(section) if suits(problem, section, room)),
                key=lambda room: (_soft_hint(section, room), room.index),
            )
            rooms = tuple(room.index for room in suitable)
            suitable_of[section.index] = (numbered.setdefault(rooms, len(numbered)), rooms)
        number, suitable_rooms = suitable_of[section.index]
        closed = section.forbidden_slots.union(*(problem.teachers[t].unavailable for t in section.teachers))
        here: Places = {}
        for start in range(grid.slot_count):
            slots = range(start, start + meeting.length)
            if not grid.fits(start, meeting.length) or not closed.isdisjoint(slots):
                continue
            key = (number, start, meeting.length)
            if key not in open_rooms:
                open_rooms[key] = [
                    room for room in suitable_rooms if problem.rooms[room].unavailable.isdisjoint(slots)
                ]
            if open_rooms[key]:
                here[start] = open_rooms[key]
        places.append(here)
    return places


def place_count(places: Places) -> int:
    return sum(len(rooms) for rooms in places.values())


def place_pairs(places: Places) -> list[tuple[int, int]]:
    """Every (start, room) of a meeting's places."""
    return [(start, room) for start, rooms in places.items() for room in rooms]


Owner = tuple[str, int]  # ("room", 3), ("section", 12), ("students", 12), ("day", 12), ...
NOBODY: frozenset[int] = frozenset()


@dataclass
class _Board:
    """Who holds what: per owner and slot (a day, for "day"), the meetings there. Keyed by owner
    first: a start's test then looks up slots of owners it already has, where a key per owner and
    slot made ten campuses' first timetable build tens of millions of tuples. Students are held
    through their sections, per slot."""

    holders: dict[Owner, dict[int, set[int]]] = field(default_factory=dict)
    # students are held through their sections, per slot: section -> its meetings there (a section
    # shares students with dozens of others, looked up at once by intersecting with the sections there)
    classes_at: dict[int, dict[int, set[int]]] = field(default_factory=dict)

    def add(self, owners: Iterable[Owner], slots: Iterable[int], meeting: int) -> None:
        for kind, owner in owners:
            if kind == "students":
                for slot in slots:
                    self.classes_at.setdefault(slot, {}).setdefault(owner, set()).add(meeting)
            else:
                held = self.holders.setdefault((kind, owner), {})
                for slot in slots:
                    held.setdefault(slot, set()).add(meeting)

    def remove(self, owners: Iterable[Owner], slots: Iterable[int], meeting: int) -> None:
        for kind, owner in owners:
            if kind == "students":
                for slot in slots:
                    there = self.classes_at[slot]
                    there[owner].discard(meeting)
                    if not there[owner]:  # the intersection reads a section there as holding someone
                        del there[owner]
            else:
                held = self.holders[kind, owner]
                for slot in slots:
                    held[slot].discard(meeting)

    def sharing_students(self, sections: set[int], slots: range) -> set[int]:
        """The meetings at the slots of the sections given (those sharing students with one)."""
        found: set[int] = set()
        for slot in slots:
            there = self.classes_at.get(slot)
            if there:
                for section in there.keys() & sections:
                    found |= there[section]
        return found

    def held(self, owner: Owner, slot: int) -> set[int] | frozenset[int]:
        owned = self.holders.get(owner)
        return owned.get(slot, NOBODY) if owned else NOBODY

    def free(self, owner: Owner, slots: range) -> bool:
        """Whether no meeting holds the owner at any of the slots."""
        owned = self.holders.get(owner)
        return not owned or not any(owned.get(slot) for slot in slots)

    def blocking(self, owners: Iterable[Owner], slots: range | tuple[int, ...]) -> set[int]:
        found: set[int] = set()
        for owner in owners:
            held = self.holders.get(owner)
            if held:
                for slot in slots:
                    meetings = held.get(slot)
                    if meetings:
                        found |= meetings
        return found


def first_timetable(
    problem: LessonProblem,
    pins: dict[int, tuple[int, int | None]] | None = None,
    seed: int = 0,
    time_budget: float = 10.0,
    partial: bool = False,
    preferred: dict[int, tuple[int, int]] | None = None,
) -> LessonSolution | None:
    """A timetable breaking no hard rule, or None if the search ran out of budget; with `partial`,
    the timetable leaving out the fewest students' meetings (their meetings unplaced) instead.
    `preferred`: places taken first, in order, each while nothing holds it (the search may move them
    later, unlike pins)."""
    deadline = time.monotonic() + time_budget
    rng = random.Random(seed)
    pins = pins or {}
    places = static_places(problem)
    cohorts_of: list[list[int]] = [[] for _ in problem.sections]
    for cohort in problem.cohorts:
        for member in set(cohort.sections):
            cohorts_of[member].append(cohort.index)
    sharing = students_sharing(problem)
    apart = problem.scoring is LessonScoring.REGISTRAR  # a section's meetings on different days
    partners = _partners(problem)
    sizes = [place_count(here) for here in places]

    def section_of(meeting: int) -> Section:
        return problem.sections[problem.meetings[meeting].section]

    needs: dict[int, list[Owner]] = {}

    def time_owners(section: int) -> list[Owner]:
        """Whom a meeting of the section needs free at its slots, its room aside."""
        if section not in needs:
            owners: list[Owner] = [("section", section)]
            owners += [("teacher", teacher) for teacher in problem.sections[section].teachers]
            owners += [("cohort", cohort) for cohort in cohorts_of[section]]
            needs[section] = owners
        return needs[section]

    def put_on_board(meeting: int, place: tuple[int, int], adding: bool) -> None:
        start, room = place
        section = problem.meetings[meeting].section
        slots = range(start, start + problem.meetings[meeting].length)
        change = board.add if adding else board.remove
        change(_own_owners(problem, section, room, cohorts_of), slots, meeting)
        if apart:
            change((("day", section),), (problem.grid.day_of(start),), meeting)

    def time_blocking(meeting: int, start: int) -> set[int]:
        """The meetings in the way of this start: sharing a resource, or breaking a relation."""
        section = problem.meetings[meeting].section
        slots = range(start, start + problem.meetings[meeting].length)
        found = board.blocking(time_owners(section), slots)
        found |= board.sharing_students(sharing[section], slots)
        if apart:
            found |= board.blocking((("day", section),), (problem.grid.day_of(start),))
        here = _placed(problem, meeting, (start, 0)) if partners[meeting] else None
        for partner, relation, first in partners[meeting]:
            if partner in place_of:
                assert here is not None
                there = _placed(problem, partner, place_of[partner])
                if broken(relation, *((here, there) if first else (there, here))):
                    found.add(partner)
        found.discard(meeting)
        return found

    def room_blocking(meeting: int, start: int, room: int) -> set[int]:
        slots = range(start, start + problem.meetings[meeting].length)
        return board.blocking((room_owner[room],), slots) - {meeting}

    board = _Board()
    room_owner: list[Owner] = [("room", room.index) for room in problem.rooms]
    place_of: dict[int, tuple[int, int]] = {}

    # what leaving a meeting out costs: its students, and one so that empty events count too
    out_cost = [len(problem.students_of[m.section]) + 1 for m in problem.meetings]
    placed_worth = 0
    best_partial: dict[int, tuple[int, int]] = {}
    best_worth = -1

    def put(meeting: int, place: tuple[int, int]) -> None:
        nonlocal placed_worth
        place_of[meeting] = place
        put_on_board(meeting, place, adding=True)
        placed_worth += out_cost[meeting]

    def lift(meeting: int) -> None:
        nonlocal placed_worth
        put_on_board(meeting, place_of.pop(meeting), adding=False)
        placed_worth -= out_cost[meeting]

    def give_up() -> LessonSolution | None:
        if not partial:
            return None
        return _timetable(problem, best_partial if best_worth > placed_worth else place_of)

    def room_chain(start: int, slots: range, rooms: list[int]) -> tuple[int, list[tuple[int, int]]] | None:
        """A room made free at these slots by moving meetings there into other rooms at the same
        times, one freeing the next (an augmenting path, as in bipartite matching): the room and
        the moves, first room's first."""
        frontier: list[tuple[int, range, int, list[tuple[int, int]]]] = [(r, slots, r, []) for r in rooms]
        seen = set(rooms)
        for _ in range(ROOM_CHAIN_DEPTH):
            deeper = []
            for room, needed, first, moves in frontier:
                held = set().union(*(board.held(room_owner[room], t) for t in needed))
                if len(held) != 1:
                    continue
                (other,) = held
                if other in pins:
                    continue
                other_start = place_of[other][0]
                other_slots = range(other_start, other_start + problem.meetings[other].length)
                for alternative in places[other].get(other_start, ()):
                    if alternative in seen:
                        continue
                    path = [*moves, (other, alternative)]
                    if board.free(room_owner[alternative], other_slots):
                        return first, path
                    seen.add(alternative)
                    deeper.append((alternative, other_slots, first, path))
            frontier = deeper
        return None

    chains: dict[tuple[int, int], list[tuple[int, int]]] = {}

    for meeting, (pinned_start, pinned_room) in pins.items():
        pinned = [
            (pinned_start, room)
            for room in places[meeting].get(pinned_start, [])
            if pinned_room in (None, room)
        ]
        open_places = [
            p for p in pinned if not time_blocking(meeting, p[0]) and not room_blocking(meeting, *p)
        ]
        if not open_places:
            return None  # pins that collide or name an impossible place
        put(meeting, open_places[0])
    for meeting, (start, room) in (preferred or {}).items():
        if meeting in place_of or room not in places[meeting].get(start, ()):
            continue
        if not time_blocking(meeting, start) and not room_blocking(meeting, start, room):
            put(meeting, (start, room))
    moved = [0] * len(problem.meetings)
    queue = [(sizes[m], rng.random(), m) for m in range(len(problem.meetings)) if m not in place_of]
    heapq.heapify(queue)
    # a partial timetable is wanted by a deadline only; a complete one may give up early
    budget = EVICTIONS_PER_MEETING * len(problem.meetings) if not partial else float("inf")
    while queue:
        _, _, meeting = heapq.heappop(queue)
        if not places[meeting]:
            if partial:
                continue  # it stays out
            return None
        best: tuple[float, float, tuple[int, int], set[int]] | None = None
        chains.clear()
        for start, rooms in places[meeting].items():
            in_time = time_blocking(meeting, start)
            if any(other in pins for other in in_time):
                continue
            time_weight = sum(1 + moved[other] for other in in_time)
            if best is not None and time_weight > best[0]:
                continue  # rooms only add to it
            slots = range(start, start + problem.meetings[meeting].length)
            # rooms come best hint first, and an open room beats every taken one
            open_room = next((r for r in rooms if board.free(room_owner[r], slots)), None)
            if open_room is not None:
                weight = time_weight + _soft_hint(section_of(meeting), problem.rooms[open_room])
                if best is None or (weight, rng.random()) < best[:2]:
                    best = (weight, rng.random(), (start, open_room), in_time)
                continue
            if best is None or time_weight + ROOM_CHAIN_COST < best[0]:
                chain = room_chain(start, slots, rooms)
                if chain is not None:
                    room, moves = chain
                    weight = time_weight + ROOM_CHAIN_COST
                    if best is None or (weight, rng.random()) < best[:2]:
                        best = (weight, rng.random(), (start, room), in_time)
                        chains[start, room] = moves
                    continue
            for room in rooms:
                blocking = in_time | room_blocking(meeting, start, room)
                if any(other in pins for other in blocking):
                    continue
                weight = sum(1 + moved[other] for other in blocking)
                weight += _soft_hint(section_of(meeting), problem.rooms[room])
                if best is None or (weight, rng.random()) < best[:2]:
                    best = (weight, rng.random(), (start, room), blocking)
        if best is None:
            if partial:
                continue  # only pins are in its way: it stays out
            return None
        _, _, place, blocking = best
        for other, room in reversed(chains.get(place, [])):  # deepest first: each room is free
            other_start = place_of[other][0]
            lift(other)
            put(other, (other_start, room))
        chains.clear()
        if blocking:
            budget -= len(blocking)
            if budget < 0 or time.monotonic() > deadline:
                return give_up()
        for other in blocking:
            lift(other)
            moved[other] += 1
            heapq.heappush(queue, (sizes[other], rng.random(), other))
        put(meeting, place)
        if partial and placed_worth > best_worth:
            best_worth, best_partial = placed_worth, dict(place_of)
    return _timetable(problem, place_of)


def _timetable(problem: LessonProblem, place_of: dict[int, tuple[int, int]]) -> LessonSolution:
    """The timetable of these places; meetings without one are unplaced."""
    count = len(problem.meetings)
    return LessonSolution(
        problem_name=problem.name,
        starts=tuple(place_of[m][0] if m in place_of else None for m in range(count)),
        rooms=tuple(place_of[m][1] if m in place_of else None for m in range(count)),
    )


def _own_owners(problem: LessonProblem, section: int, room: int, cohorts_of: list[list[int]]) -> list[Owner]:
    """Whom a placed meeting holds at its slots (its students are held through its section)."""
    owners: list[Owner] = [("room", room), ("section", section), ("students", section)]
    owners += [("teacher", teacher) for teacher in problem.sections[section].teachers]
    owners += [("cohort", cohort) for cohort in cohorts_of[section]]
    return owners


def _placed(problem: LessonProblem, meeting: int, place: tuple[int, int]) -> Placed:
    start, room = place
    section = problem.meetings[meeting].section
    return Placed(meeting, section, start, room, range(start, start + problem.meetings[meeting].length))


def _partners(problem: LessonProblem) -> list[list[tuple[int, SectionRelation, bool]]]:
    """Per meeting: the meetings a section relation ties it to, how, and whether it comes first."""
    partners: list[list[tuple[int, SectionRelation, bool]]] = [[] for _ in problem.meetings]
    for relation in problem.relations:
        for a, b in meeting_pairs(problem, relation):
            partners[a].append((b, relation.relation, True))
            partners[b].append((a, relation.relation, False))
    return partners


def students_sharing(problem: LessonProblem) -> list[set[int]]:
    """Per section, the other sections some registered student also takes."""
    sharing: list[set[int]] = [set() for _ in problem.sections]
    for registered in problem.registrations.values():
        unique = set(registered)
        for section in unique:
            sharing[section] |= unique - {section}
    return sharing


def _soft_hint(section: Section, room: LessonRoom) -> float:
    """A tie-break below one blocking meeting: rooms that seat everyone, then the snuggest."""
    capacity = room.capacity
    short = max(0, section.size - capacity)
    spare = max(0, capacity - section.size) / (capacity + 1)
    return min(0.9, short / (section.size + 1) + 0.05 * spare)
