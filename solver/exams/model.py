"""The exact exam model: free exams get a Boolean per (period, room); the rest stay put.

With every exam free this is the whole problem (fine for small instances); in a large-
neighbourhood step only a few dozen exams are free and the model stays small, because a
placement is created only where the exam could go given the exams that stay fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from types import ModuleType

from ortools.sat.python import cp_model

from models import ExamProblem, ExamSolution, Pin
from solver.engine import post_units


class ConflictIndex:
    """Per exam, the other exams that share students with it and how many students they share."""

    def __init__(self, problem: ExamProblem) -> None:
        self.shared: list[dict[int, int]] = [{} for _ in problem.exams]
        for (first, second), students in problem.common_students.items():
            self.shared[first][second] = len(students)
            self.shared[second][first] = len(students)


class ExamCpModel:
    """One CP-SAT model deciding the free exams; implements `constraints.exams.view.ExamModelView`."""

    def __init__(
        self,
        problem: ExamProblem,
        conflicts: ConflictIndex,
        free: Iterable[int],
        current: ExamSolution | None = None,
        pins: dict[int, Pin] | None = None,
        decide_rooms: bool = True,
    ) -> None:
        self.model = cp_model.CpModel()
        self.problem = problem
        self.decides_rooms = decide_rooms and problem.uses_rooms
        self._conflicts = conflicts
        self._free = sorted(set(free))
        self._free_set = frozenset(self._free)
        if current is None and len(self._free) < len(problem.exams):
            raise ValueError("a partial model needs the current timetable of the fixed exams")
        self._current = current
        self._pins = pins or {}
        self._fixed_at: dict[tuple[int, int | None], list[int]] = {}
        if current is not None:
            for exam in range(len(problem.exams)):
                if exam not in self._free_set:
                    key = (current.periods[exam], current.rooms[exam])
                    self._fixed_at.setdefault(key, []).append(exam)
        # The free exams' current rooms stay offered, so the current timetable is one the model can
        # take (its hint, and the price of a change against it), whatever the empty-room quota below.
        self._rooms_of_free: dict[int, set[int | None]] = {}
        if current is not None:
            for exam in self._free:
                self._rooms_of_free.setdefault(current.periods[exam], set()).add(current.rooms[exam])
        self._period_literals: dict[int, dict[int, cp_model.IntVar]] = {}
        self._placements: dict[int, dict[tuple[int, int], cp_model.IntVar]] = {}
        self._period_vars: dict[int, cp_model.IntVar] = {}
        self._derived: dict[tuple[str, int, int], cp_model.LinearExprT] = {}
        self.objective_terms: list[tuple[int, cp_model.LinearExprT]] = []
        self.unplaceable: list[int] = []
        for exam in self._free:
            self._decide(exam)

    # --- the view -------------------------------------------------------------------------

    def is_free(self, exam: int) -> bool:
        return exam in self._free_set

    def free_exams(self) -> list[int]:
        return self._free

    def fixed_period(self, exam: int) -> int:
        assert self._current is not None and exam not in self._free_set
        return self._current.periods[exam]

    def fixed_room(self, exam: int) -> int | None:
        assert self._current is not None and exam not in self._free_set
        return self._current.rooms[exam]

    def shared(self, exam: int) -> dict[int, int]:
        return self._conflicts.shared[exam]

    def period_literals(self, exam: int) -> dict[int, cp_model.IntVar]:
        return self._period_literals[exam]

    def placement_literals(self, exam: int) -> dict[tuple[int, int], cp_model.IntVar]:
        return self._placements.get(exam, {})

    def fixed_in(self, period: int, room: int) -> list[int]:
        return self._fixed_at.get((period, room), [])

    def fixed_in_period(self, period: int) -> list[int]:
        rooms: list[int | None] = [None] + list(range(len(self.problem.rooms)))
        return [e for r in rooms for e in self._fixed_at.get((period, r), [])]

    @cached_property
    def free_placements(self) -> dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]]:
        """Every (period, room) a free exam may take, with the candidates and their literals."""
        at: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}
        for exam in self._free:
            for place, literal in self._placements.get(exam, {}).items():
                at.setdefault(place, []).append((exam, literal))
        return at

    def period_var(self, exam: int) -> cp_model.IntVar:
        if exam not in self._period_vars:
            literals = self._period_literals[exam]
            domain = cp_model.Domain.from_values(sorted(literals))
            var = self.model.new_int_var_from_domain(domain, f"period[{exam}]")
            self.model.add(var == sum(p * lit for p, lit in literals.items()))
            self._period_vars[exam] = var
        return self._period_vars[exam]

    def meets(
        self, first: int, second: int, relation: str, related: Callable[[int], Iterable[int]]
    ) -> cp_model.LinearExprT:
        """For two free exams: 1 when `second`'s period is among `related(first's period)`, else 0.

        One Boolean per period p of the first exam, true exactly when the first exam is in p and
        the second in one of related(p): tight for the LP relaxation, exact for any solution.
        """
        key = (relation, first, second)
        if key not in self._derived:
            mine, theirs = self._period_literals[first], self._period_literals[second]
            flags = []
            for period, literal in mine.items():
                partners = [theirs[q] for q in related(period) if q in theirs]
                if not partners:
                    continue
                flag = self.model.new_bool_var(f"{relation}[{first}@{period},{second}]")
                self.model.add(flag <= literal)
                self.model.add(flag <= sum(partners))
                self.model.add(flag >= literal + sum(partners) - 1)
                flags.append(flag)
            self._derived[key] = sum(flags)
        return self._derived[key]

    def within(self, first: int, second: int, gap: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when they are 1 to `gap` periods apart."""
        top = len(self.problem.periods)
        return self.meets(
            first,
            second,
            f"within{gap}",
            lambda p: [q for q in range(max(0, p - gap), min(top, p + gap + 1)) if q != p],
        )

    def in_a_row(self, first: int, second: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when in consecutive periods of the same day."""
        periods = self.problem.periods
        return self.meets(
            first,
            second,
            "in_a_row",
            lambda p: [
                q for q in (p - 1, p + 1) if 0 <= q < len(periods) and periods[q].day == periods[p].day
            ],
        )

    def apart_same_day(self, first: int, second: int) -> cp_model.LinearExprT:
        """For two free exams: 1 when on the same day but not in consecutive periods."""
        periods = self.problem.periods
        return self.meets(
            first,
            second,
            "same_day_apart",
            lambda p: [q.index for q in periods if q.day == periods[p].day and abs(q.index - p) > 1],
        )

    # --- building -------------------------------------------------------------------------

    def _allowed_periods(self, exam: int) -> list[int]:
        """Periods long enough for the exam and free of fixed exams that share its students."""
        problem = self.problem
        duration = problem.exams[exam].duration
        blocked = {
            self.fixed_period(other) for other in self._conflicts.shared[exam] if other not in self._free_set
        }
        pin = self._pins.get(exam)
        return [
            period.index
            for period in problem.periods
            if period.duration >= duration
            and period.index not in blocked
            and (pin is None or pin.period == period.index)
            and (self.decides_rooms or not problem.uses_rooms or self._seat_left(exam, period.index))
        ]

    def _seat_left(self, exam: int, period: int) -> bool:
        """Rooms are seated after a period move: some room must still take this exam beside the
        fixed exams (an empty one if the exam sits alone), or the seating would fail anyway."""
        shared_room, empty_room = self._largest_openings[period]
        size = self.problem.exams[exam].size
        return size <= (empty_room if exam in self.problem.room_exclusive else shared_room)

    @cached_property
    def _largest_openings(self) -> list[tuple[int, int]]:
        """Per period: the most seats left in a room open to sharing, and in an empty room."""
        problem = self.problem
        openings = []
        for period in range(len(problem.periods)):
            shared_room = empty_room = 0
            for room in problem.rooms:
                fixed = self._fixed_at.get((period, room.index), [])
                if not fixed:
                    empty_room = max(empty_room, room.capacity)
                    shared_room = max(shared_room, room.capacity)
                elif not any(other in problem.room_exclusive for other in fixed):
                    left = room.capacity - sum(problem.exams[other].size for other in fixed)
                    shared_room = max(shared_room, left)
            openings.append((shared_room, empty_room))
        return openings

    def _candidate_rooms(self, exam: int, period: int) -> list[int]:
        """Rooms with enough seats left; of identical empty rooms, as many as there are free exams.

        More copies would only add symmetry; fewer could lose every timetable, as when each free
        exam fills a room of its own.
        """
        problem = self.problem
        size = problem.exams[exam].size
        exclusive = exam in problem.room_exclusive
        pin = self._pins.get(exam)
        rooms: list[int] = []
        empty_seen: dict[tuple[int, int], int] = {}
        for room in problem.rooms:
            if pin is not None and pin.room is not None and pin.room != room.index:
                continue
            fixed = self._fixed_at.get((period, room.index), [])
            if fixed:
                if exclusive or any(other in problem.room_exclusive for other in fixed):
                    continue
                used = sum(problem.exams[other].size for other in fixed)
                if room.capacity - used >= size:
                    rooms.append(room.index)
                continue
            if room.capacity < size:
                continue
            kind = (room.capacity, room.penalty)
            if room.index in self._rooms_of_free.get(period, ()):
                rooms.append(room.index)  # keep the current place reachable, for the hint
            elif empty_seen.get(kind, 0) < len(self._free):
                empty_seen[kind] = empty_seen.get(kind, 0) + 1
                rooms.append(room.index)
        return rooms

    def _decide(self, exam: int) -> None:
        model = self.model
        periods = self._allowed_periods(exam)
        literals: dict[int, cp_model.IntVar] = {}
        if not self.decides_rooms:
            for period in periods:
                literals[period] = model.new_bool_var(f"exam_period[{exam},{period}]")
        else:
            placements: dict[tuple[int, int], cp_model.IntVar] = {}
            for period in periods:
                rooms = self._candidate_rooms(exam, period)
                if not rooms:
                    continue
                here = [model.new_bool_var(f"exam_room[{exam},{period},{room}]") for room in rooms]
                placements.update({(period, room): lit for room, lit in zip(rooms, here, strict=True)})
                if len(here) == 1:
                    literals[period] = here[0]
                else:
                    literal = model.new_bool_var(f"exam_period[{exam},{period}]")
                    model.add(sum(here) == literal)
                    literals[period] = literal
            self._placements[exam] = placements
        if not literals:
            self.unplaceable.append(exam)
            model.add_bool_or([])  # no place at all: the model is infeasible, as it should be
        else:
            model.add_exactly_one(literals.values())
        self._period_literals[exam] = literals

    def post(self, units: Iterable[ModuleType], weights: dict[str, int]) -> None:
        """Add every unit's rule; soft ones enter the objective with their weight."""
        self.objective_terms = post_units(self, units, weights)

    def decision_variables(self) -> list[cp_model.IntVar]:
        if self.decides_rooms:
            return [lit for exam in self._free for lit in self._placements[exam].values()]
        return [lit for exam in self._free for lit in self._period_literals[exam].values()]

    def decode(self, values: dict[int, int]) -> ExamSolution:
        """The timetable with the free exams where the model put them."""
        count = len(self.problem.exams)
        periods = list(self._current.periods) if self._current else [0] * count
        rooms: list[int | None] = list(self._current.rooms) if self._current else [None] * count
        for exam in self._free:
            if self.decides_rooms:
                place = next(p for p, lit in self._placements[exam].items() if values[lit.index] == 1)
                periods[exam], rooms[exam] = place
            else:  # rooms, if any, are seated afterwards
                periods[exam] = next(
                    p for p, lit in self._period_literals[exam].items() if values[lit.index] == 1
                )
                rooms[exam] = None
        return ExamSolution(problem_name=self.problem.name, periods=tuple(periods), rooms=tuple(rooms))
