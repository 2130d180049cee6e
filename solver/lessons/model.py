"""The exact lesson model: a free meeting gets a Boolean per (start, room) it may take.

Places are created only where the meeting may go: a start where the whole meeting fits the day,
its section, teachers and room are available, and no fixed meeting already holds the room, a
teacher, a cohort, the section or one of its registered students; a room suitable for the section
(and, where capacity is a hard rule, large enough). In a large-neighbourhood step only a few dozen
meetings are free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import ModuleType

from ortools.sat.python import cp_model

from constraints.lessons.timetable import Placed, placed_meetings, suits
from models import LessonProblem, LessonSolution, SectionRelation
from solver.engine import add_hints, post_units


class LessonCpModel:
    """One CP-SAT model deciding the free meetings; implements `LessonModelView`."""

    def __init__(
        self,
        problem: LessonProblem,
        free: Iterable[int],
        current: LessonSolution | None = None,
        pins: dict[int, tuple[int, int | None]] | None = None,
        may_leave_out: bool = False,
    ) -> None:
        self.model = cp_model.CpModel()
        self.may_leave_out = may_leave_out
        self.left_out: dict[int, cp_model.IntVar] = {}  # with may_leave_out: meeting -> unplaced
        self.problem = problem
        self._free = sorted(set(free))
        self._free_set = frozenset(self._free)
        if current is None and len(self._free) < len(problem.meetings):
            raise ValueError("a partial model needs the current timetable of the fixed meetings")
        self._current = current
        self._pins = pins or {}
        self._cohorts_of: list[list[int]] = [[] for _ in problem.sections]
        for cohort in problem.cohorts:
            for member in set(cohort.sections):
                self._cohorts_of[member].append(cohort.index)
        fixed = placed_meetings(problem, current) if current is not None else []
        self._fixed = [item for item in fixed if item.meeting not in self._free_set]
        # the slots fixed meetings hold, per (kind, owner): kinds room, section, teacher, cohort, student
        self._busy: dict[tuple[str, int], set[int]] = defaultdict(set)
        near = self._sharing_an_owner()
        for item in self._fixed:
            self._busy["room", item.room].update(item.slots)
            if item.section not in near:  # holds no one a free meeting needs: its rooms only
                continue
            owners = [("section", item.section)]
            owners += [("teacher", teacher) for teacher in problem.sections[item.section].teachers]
            owners += [("cohort", cohort) for cohort in self._cohorts_of[item.section]]
            owners += [("student", student) for student in problem.students_of[item.section]]
            for owner in owners:
                self._busy[owner].update(item.slots)
        self._placements: dict[int, dict[tuple[int, int], cp_model.IntVar]] = {}
        self._starts: dict[int, dict[int, cp_model.IntVar]] = {}
        self.objective_terms: list[tuple[int, cp_model.LinearExprT]] = []
        self.unplaceable: list[int] = []
        for meeting in self._free:
            self._decide(meeting)

    def _sharing_an_owner(self) -> set[int]:
        """The free meetings' sections and every section sharing a teacher, cohort or student with
        one: only their fixed meetings can hold what a free meeting needs besides a room (a
        semester's step otherwise listed every fixed meeting's students, slot by slot)."""
        problem = self.problem
        free_sections = {problem.meetings[meeting].section for meeting in self._free}
        teachers = {teacher for section in free_sections for teacher in problem.sections[section].teachers}
        near = set(free_sections)
        near.update(section.index for section in problem.sections if teachers.intersection(section.teachers))
        near.update(
            s
            for cohort in problem.cohorts
            if free_sections.intersection(cohort.sections)
            for s in cohort.sections
        )
        for section in free_sections:
            for student in problem.students_of[section]:
                near.update(problem.registrations[student])
        return near

    # --- the view -------------------------------------------------------------------------

    def free_meetings(self) -> list[int]:
        return self._free

    def is_free(self, meeting: int) -> bool:
        return meeting in self._free_set

    def fixed_meetings(self) -> list[Placed]:
        return self._fixed

    def placement_literals(self, meeting: int) -> dict[tuple[int, int], cp_model.IntVar]:
        return self._placements[meeting]

    def start_literals(self, meeting: int) -> dict[int, cp_model.IntVar]:
        return self._starts[meeting]

    def cohorts_of(self, section: int) -> list[int]:
        return self._cohorts_of[section]

    # --- building -------------------------------------------------------------------------

    def _rooms_for(self, section: int) -> list[int]:
        wanted = self.problem.sections[section]
        return [
            room.index for room in self.problem.rooms_open_to(wanted) if suits(self.problem, wanted, room)
        ]

    def _starts_for(self, meeting: int) -> list[int]:
        problem = self.problem
        grid = problem.grid
        length = problem.meetings[meeting].length
        section = problem.sections[problem.meetings[meeting].section]
        closed = set(section.forbidden_slots).union(
            *(problem.teachers[t].unavailable for t in section.teachers)
        )
        owners = [("section", section.index)]
        owners += [("teacher", teacher) for teacher in section.teachers]
        owners += [("cohort", cohort) for cohort in self._cohorts_of[section.index]]
        owners += [("student", student) for student in problem.students_of[section.index]]
        closed.update(*(self._busy[owner] for owner in owners if owner in self._busy))
        return [
            start
            for start in range(grid.slot_count)
            if grid.fits(start, length) and closed.isdisjoint(range(start, start + length))
        ]

    def _room_free(self, room: int, slots: range) -> bool:
        busy = self._busy.get(("room", room))
        return busy is None or busy.isdisjoint(slots)

    def _decide(self, meeting: int) -> None:
        problem, model = self.problem, self.model
        section = problem.meetings[meeting].section
        length = problem.meetings[meeting].length
        pin = self._pins.get(meeting)
        placements: dict[tuple[int, int], cp_model.IntVar] = {}
        starts: dict[int, cp_model.IntVar] = {}
        rooms = self._rooms_for(section)
        for start in self._starts_for(meeting):
            if pin is not None and pin[0] != start:
                continue
            slots = range(start, start + length)
            here = []
            for room in rooms:
                if pin is not None and pin[1] is not None and pin[1] != room:
                    continue
                if not (problem.rooms[room].unavailable.isdisjoint(slots) and self._room_free(room, slots)):
                    continue
                literal = model.new_bool_var(f"meeting_room[{meeting},{start},{room}]")
                placements[start, room] = literal
                here.append(literal)
            if not here:
                continue
            if len(here) == 1:
                starts[start] = here[0]
            else:
                starts[start] = model.new_bool_var(f"meeting_start[{meeting},{start}]")
                model.add(sum(here) == starts[start])
        self._placements[meeting] = placements
        self._starts[meeting] = starts
        if self.may_leave_out:
            self.left_out[meeting] = model.new_bool_var(f"left_out[{meeting}]")
            model.add_exactly_one([*starts.values(), self.left_out[meeting]])
        elif not starts:
            self.unplaceable.append(meeting)
            model.add_bool_or([])  # no place at all: the model is infeasible, as it should be
        else:
            model.add_exactly_one(starts.values())

    def order_alike(self, current: LessonSolution) -> LessonSolution:
        """Free meetings of one section and length are interchangeable: have them start in index
        order (a step otherwise searches every permutation of them), and return `current` with
        their places so ordered. Sections in a same-time relation pair meetings by number: left be."""
        problem = self.problem
        paired = {
            side
            for relation in problem.relations
            if relation.relation is SectionRelation.SAME_TIME
            for side in (relation.first, relation.second)
        }
        groups: dict[tuple[int, int], list[int]] = {}
        for meeting in self._free:
            section, length = problem.meetings[meeting].section, problem.meetings[meeting].length
            if meeting not in self._pins and section not in paired and current.starts[meeting] is not None:
                groups.setdefault((section, length), []).append(meeting)
        starts, rooms = list(current.starts), list(current.rooms)
        for group in groups.values():
            if len(group) < 2:
                continue
            places = sorted((starts[m], rooms[m]) for m in group)  # type: ignore[type-var]
            for meeting, (start, room) in zip(group, places, strict=True):
                starts[meeting], rooms[meeting] = start, room
            for earlier, later in zip(group, group[1:], strict=False):
                self.model.add(self._start_of(earlier) <= self._start_of(later))
        return LessonSolution(problem_name=current.problem_name, starts=tuple(starts), rooms=tuple(rooms))

    def _start_of(self, meeting: int) -> cp_model.LinearExprT:
        starts = self._starts[meeting]
        return cp_model.LinearExpr.weighted_sum(list(starts.values()), list(starts))

    def post(self, units: Iterable[ModuleType], weights: dict[str, int]) -> None:
        """Add every unit's rule; soft ones enter the objective with their weight."""
        self.objective_terms = post_units(self, units, weights)

    def decision_variables(self) -> list[cp_model.IntVar]:
        return [
            *self.left_out.values(),
            *(literal for meeting in self._free for literal in self._placements[meeting].values()),
        ]

    def hint(self, solution: LessonSolution) -> None:
        variables: list[int] = []
        values: list[int] = []
        for meeting in self._free:
            place = (solution.starts[meeting], solution.rooms[meeting])
            for key, literal in self._placements[meeting].items():
                variables.append(literal.index)
                values.append(int(key == place))
            if meeting in self.left_out:
                variables.append(self.left_out[meeting].index)
                values.append(int(place not in self._placements[meeting]))
        add_hints(self.model, variables, values)  # a semester has hundreds of thousands of places

    def decode(self, values: dict[int, int]) -> LessonSolution:
        """The timetable with the free meetings where the model put them."""
        count = len(self.problem.meetings)
        starts: list[int | None] = list(self._current.starts) if self._current else [None] * count
        rooms: list[int | None] = list(self._current.rooms) if self._current else [None] * count
        for meeting in self._free:
            if meeting in self.left_out and values[self.left_out[meeting].index] == 1:
                starts[meeting], rooms[meeting] = None, None
                continue
            start, room = next(p for p, lit in self._placements[meeting].items() if values[lit.index] == 1)
            starts[meeting], rooms[meeting] = start, room
        return LessonSolution(problem_name=self.problem.name, starts=tuple(starts), rooms=tuple(rooms))
