"""Fast moves between the CP-SAT steps for UD2 timetables: late-acceptance hill climbing.

Two kinds of move keep every hard rule: a meeting into a free place (start and room) it may
take, and two meetings swapping places. Costs are kept per section (days used, rooms used),
per cohort and slot (classes starting there) and per meeting (seats short), and a move is priced
by recomputing only what it touches; tests hold the result to the checker.
"""

from __future__ import annotations

import random

from models import LessonProblem, LessonScoring, LessonSolution
from solver.late_acceptance import HISTORY, climb
from solver.lessons.initial import place_pairs, static_places

KEEP_ROOM = 0.5  # share of moves that change only the time, in the same room (room stability)


class LessonLocalSearch:
    """A feasible UD2 timetable with the bookkeeping that prices a move locally."""

    def __init__(
        self, problem: LessonProblem, weights: dict[str, int], pins: frozenset[int], seed: int = 0
    ) -> None:
        if problem.scoring is not LessonScoring.UD2:
            raise ValueError("the lesson local search prices UD2 timetables only")
        self.problem = problem
        self.rng = random.Random(seed)
        self.places = [place_pairs(places) for places in static_places(problem)]
        self.place_sets = [set(places) for places in self.places]
        self.starts_in_room: list[dict[int, list[int]]] = []
        for places in self.places:
            by_room: dict[int, list[int]] = {}
            for start, room in places:
                by_room.setdefault(room, []).append(start)
            self.starts_in_room.append(by_room)
        self.pinned = pins
        self.movable = [m for m in range(len(problem.meetings)) if m not in pins and len(self.places[m]) > 1]
        self.section_of = [meeting.section for meeting in problem.meetings]
        self.length = [meeting.length for meeting in problem.meetings]
        self.cohorts_of: list[list[int]] = [[] for _ in problem.sections]
        for cohort in problem.cohorts:
            for member in set(cohort.sections):
                self.cohorts_of[member].append(cohort.index)
        sharing: list[set[int]] = [set() for _ in problem.sections]
        for registered in problem.registrations.values():
            for member in set(registered):
                sharing[member] |= set(registered) - {member}
        self.sharing = [sorted(others) for others in sharing]
        self.w_capacity = weights.get("room capacity", 0)
        self.w_days = weights.get("min working days", 0)
        self.w_compact = weights.get("curriculum compactness", 0)
        self.w_stable = weights.get("room stability", 0)
        self.history = [0] * HISTORY
        self.cost = 0
        self.moves = 0
        self.start: list[int] = []
        self.room: list[int] = []

    # --- state ------------------------------------------------------------------------------

    def load(self, solution: LessonSolution, cost: int) -> None:
        problem = self.problem
        self.start = [s for s in solution.starts if s is not None]
        self.room = [r for r in solution.rooms if r is not None]
        if len(self.start) != len(problem.meetings) or len(self.room) != len(problem.meetings):
            raise ValueError("the local search needs every meeting placed")
        self.held: dict[tuple[str, int, int], int] = {}
        self.occupant: dict[tuple[int, int], int] = {}  # (room, start) -> meeting starting there
        self.days = [[0] * len(problem.grid.days) for _ in problem.sections]
        self.rooms_used = [[0] * len(problem.rooms) for _ in problem.sections]
        self.busy = [[0] * problem.grid.slot_count for _ in problem.cohorts]
        for meeting in range(len(problem.meetings)):
            self._add(meeting, self.start[meeting], self.room[meeting])
        self.cost = cost
        self.history = [cost] * HISTORY

    def solution(self) -> LessonSolution:
        return LessonSolution(
            problem_name=self.problem.name, starts=tuple(self.start), rooms=tuple(self.room)
        )

    def _keys(self, meeting: int, start: int, room: int) -> list[tuple[str, int, int]]:
        """What a placed meeting holds; its students are held through its section."""
        section = self.section_of[meeting]
        owners = [("room", room), ("section", section), ("students", section)]
        owners += [("teacher", teacher) for teacher in self.problem.sections[section].teachers]
        owners += [("cohort", cohort) for cohort in self.cohorts_of[section]]
        slots = range(start, start + self.length[meeting])
        return [(kind, owner, slot) for kind, owner in owners for slot in slots]

    def _free_for(self, meeting: int, start: int, room: int) -> bool:
        """Nothing placed holds what the meeting would need (the meeting itself lifted)."""
        held = self.held
        section = self.section_of[meeting]
        for key in self._keys(meeting, start, room):
            if key[0] != "students" and held.get(key, 0):
                return False
        slots = range(start, start + self.length[meeting])
        return not any(
            held.get(("students", other, slot), 0) for other in self.sharing[section] for slot in slots
        )

    def _add(self, meeting: int, start: int, room: int) -> None:
        self.start[meeting], self.room[meeting] = start, room
        self.occupant[room, start] = meeting
        for key in self._keys(meeting, start, room):
            self.held[key] = self.held.get(key, 0) + 1
        section = self.section_of[meeting]
        self.days[section][self.problem.grid.day_of(start)] += 1
        self.rooms_used[section][room] += 1
        for cohort in self.cohorts_of[section]:
            self.busy[cohort][start] += 1

    def _remove(self, meeting: int) -> None:
        start, room = self.start[meeting], self.room[meeting]
        if self.occupant.get((room, start)) == meeting:
            del self.occupant[room, start]
        for key in self._keys(meeting, start, room):
            self.held[key] -= 1
        section = self.section_of[meeting]
        self.days[section][self.problem.grid.day_of(start)] -= 1
        self.rooms_used[section][room] -= 1
        for cohort in self.cohorts_of[section]:
            self.busy[cohort][start] -= 1

    # --- pricing ----------------------------------------------------------------------------

    def _section_cost(self, section: int) -> int:
        wanted = self.problem.sections[section].min_days
        days = sum(1 for count in self.days[section] if count)
        rooms = sum(1 for count in self.rooms_used[section] if count)
        return self.w_days * max(0, wanted - days) + self.w_stable * max(0, rooms - 1)

    def _short(self, meeting: int, room: int) -> int:
        size = self.problem.sections[self.section_of[meeting]].size
        return self.w_capacity * max(0, size - self.problem.rooms[room].capacity)

    def _isolated(self, cohort: int, slots: set[int]) -> int:
        grid = self.problem.grid
        busy = self.busy[cohort]
        total = 0
        for slot in slots:
            if not busy[slot]:
                continue
            day = grid.day_of(slot)
            flanked = any(
                0 <= n < grid.slot_count and grid.day_of(n) == day and busy[n] for n in (slot - 1, slot + 1)
            )
            if not flanked:
                total += busy[slot]
        return self.w_compact * total

    def _touched(self, meetings: list[int], starts: list[int]) -> tuple[set[int], dict[int, set[int]]]:
        """Sections, and per cohort the slots, whose cost a move of `meetings` may change."""
        sections = {self.section_of[m] for m in meetings}
        slots: dict[int, set[int]] = {}
        around = {s + d for s in starts for d in (-1, 0, 1) if 0 <= s + d < self.problem.grid.slot_count}
        for section in sections:
            for cohort in self.cohorts_of[section]:
                slots.setdefault(cohort, set()).update(around)
        return sections, slots

    def _local_cost(self, sections: set[int], slots: dict[int, set[int]], meetings: list[int]) -> int:
        cost = sum(self._section_cost(section) for section in sections)
        cost += sum(self._isolated(cohort, these) for cohort, these in slots.items())
        return cost + sum(self._short(m, self.room[m]) for m in meetings)

    # --- moves ------------------------------------------------------------------------------

    def _relocate(self, moves: list[tuple[int, int, int]]) -> int | None:
        """Put each (meeting, start, room) there if all are free once the movers are lifted;
        returns the change in cost, or None (and nothing changed) when they do not fit."""
        meetings = [m for m, _, _ in moves]
        old = [(m, self.start[m], self.room[m]) for m in meetings]
        sections, slots = self._touched(meetings, [s for _, s, _ in old] + [s for _, s, _ in moves])
        before = self._local_cost(sections, slots, meetings)
        for meeting in meetings:
            self._remove(meeting)
        placed: list[int] = []
        for meeting, start, room in moves:
            if not self._free_for(meeting, start, room):
                for done in placed:
                    self._remove(done)
                for m, s, r in old:
                    self._add(m, s, r)
                return None
            self._add(meeting, start, room)
            placed.append(meeting)
        return self._local_cost(sections, slots, meetings) - before

    def _propose(self) -> tuple[int, list[tuple[int, int, int]]] | None:
        """A random meeting to a random place it may take; if another meeting starts in that
        room then, the two swap (when each may take the other's place)."""
        rng = self.rng
        meeting = rng.choice(self.movable)
        here = (self.start[meeting], self.room[meeting])
        if rng.random() < KEEP_ROOM:
            start = rng.choice(self.starts_in_room[meeting].get(here[1], (here[0],)))
            place = (start, here[1])
        else:
            place = rng.choice(self.places[meeting])
        if place == here:
            return None
        other = self.occupant.get((place[1], place[0]))
        if other is None:
            moves = [(meeting, *place)]
        elif other in self.pinned or here not in self.place_sets[other]:
            return None
        else:
            moves = [(meeting, *place), (other, *here)]
        undo = [(m, self.start[m], self.room[m]) for m, _, _ in moves]
        delta = self._relocate(moves)
        return None if delta is None else (delta, undo)

    def propose(self, limit: int) -> tuple[int, list[tuple[int, int, int]]] | None:
        return self._propose()

    def revert(self, undo: list[tuple[int, int, int]]) -> None:
        back = self._relocate(undo)
        assert back is not None

    def snapshot(self) -> tuple[list[int], list[int]]:
        return list(self.start), list(self.room)

    def rebuild(self, snapshot: tuple[list[int], list[int]]) -> LessonSolution:
        starts, rooms = snapshot
        return LessonSolution(problem_name=self.problem.name, starts=tuple(starts), rooms=tuple(rooms))

    def run(self, time_limit: float) -> tuple[LessonSolution, int]:
        """Late-acceptance hill climbing for `time_limit` seconds; the best timetable seen."""
        return climb(self, time_limit)
