"""The load's teachers in the joint model of load and timetable: when each one teaches, and what
their days cost.

The lesson rules judge a teacher from the sections that name them. In the joint model who teaches a
decided section is itself a decision, so the load's teachers are taken out of every section the
lesson rules see and judged here instead, over the sections the timetable already gives them and
the ones the load may give them:

- a teacher teaches one meeting a slot, and none where they are away (hard);
- their time wishes, per period taught;
- idle periods between their classes of a day (teacher windows);
- a change of building between two back-to-back classes (building changes).

Per teacher, section and slot a Boolean is true exactly when they teach a meeting of that section
there, so a teacher's busy periods are exact sums, and the lesson rules' idle-period expression
applies to them as it does to a fixed teacher. A teacher's building in a slot is a Boolean per
building, bounded from below, which is all a cost that only rises with it needs.

In a partial model (the published timetable's other meetings fixed, not decided) a fixed meeting of
a teacher's given section holds its slots for good: no meeting of theirs comes there, their day is
busy then, and its building is where they are. What involves fixed meetings alone is a constant the
caller's offset carries.
"""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from constraints.lessons import building_changes, teacher_preferences, teacher_windows
from constraints.lessons.building_changes import by_start_and_building
from constraints.lessons.person_days import ALWAYS, Picture, any_of, covering, idle_expression
from models import LessonProblem
from solver.lessons.model import LessonCpModel
from solver.load.model import LoadCpModel

Slots = dict[int, list[cp_model.IntVar]]  # slot -> literals
FIXED: list[cp_model.IntVar] = []  # a slot a fixed meeting holds: busy, whatever is decided


def stripped(problem: LessonProblem, load_teachers: set[int]) -> LessonProblem:
    """What the lesson rules see: the load's teachers out of every section (they are judged here)."""
    return problem.replaced(
        sections=tuple(
            section.model_copy(
                update={"teachers": tuple(t for t in section.teachers if t not in load_teachers)}
            )
            for section in problem.sections
        )
    )


def post_teaching_days(
    timetable: LessonCpModel,
    distribution: LoadCpModel,
    problem: LessonProblem,
    decided: dict[int, list[int]],
    teacher_of: list[int],
    weights: dict[str, int],
) -> cp_model.LinearExprT | None:
    """Post the load's teachers' hard rules into the joint model; returns their weighted wishes,
    idle periods and building changes, or None when fixed meetings already break a teacher's hard
    rules (two at once, or one while away). `problem` names every section's given teachers (the
    decided sections' none); `teacher_of` maps each load teacher to the lesson teacher they are."""
    days = _TeachingDays(timetable, problem)
    wish, idle, walk = (
        weights.get(name, 0)
        for name in (teacher_preferences.NAME, teacher_windows.NAME, building_changes.NAME)
    )
    given: dict[int, list[int]] = {}  # lesson teacher -> sections already theirs
    for section in problem.sections:
        for teacher in set(section.teachers):
            given.setdefault(teacher, []).append(section.index)
    costs: list[cp_model.LinearExprT] = []
    pictures: Counter[Picture] = Counter()
    for teacher, lesson_teacher in enumerate(teacher_of):
        mine = {
            section: [distribution.assigned(i)[teacher] for i in items if teacher in distribution.assigned(i)]
            for section, items in decided.items()
        }
        mine = {section: literals for section, literals in mine.items() if literals}
        theirs = given.get(lesson_teacher, [])
        if not mine and not theirs:
            continue
        busy = days.busy(lesson_teacher, theirs, mine)
        if busy is None:
            return None
        if wish:
            costs.append(wish * days.wishes(lesson_teacher, busy))
        if idle:
            for picture in days.pictures(busy):
                pictures[picture] += 1
        if walk and days.buildings:
            costs.append(walk * days.building_changes(theirs, mine))
    costs += [idle * people * idle_expression(timetable, picture) for picture, people in pictures.items()]
    return cp_model.LinearExpr.sum(costs)


class _TeachingDays:
    def __init__(self, timetable: LessonCpModel, problem: LessonProblem) -> None:
        self.timetable, self.model, self.problem = timetable, timetable.model, problem
        self.holding: dict[int, Slots] = {}  # section -> start literals of its meetings per slot
        # section -> slot -> building -> placement literals of its meetings there (rooms with one)
        self.placed: dict[int, dict[int, dict[str, list[cp_model.IntVar]]]] = {}
        for meeting in timetable.free_meetings():
            owner, length = problem.meetings[meeting].section, problem.meetings[meeting].length
            for slot, literals in covering(timetable, meeting).items():
                self.holding.setdefault(owner, {}).setdefault(slot, []).extend(literals)
            for start, buildings in by_start_and_building(timetable, meeting).items():
                for building, literals in buildings.items():
                    for slot in range(start, start + length):
                        at = self.placed.setdefault(owner, {}).setdefault(slot, {})
                        at.setdefault(building, []).extend(literals)
        self.fixed: dict[int, Counter[int]] = {}  # section -> slot -> its fixed meetings there
        self.fixed_building: dict[int, dict[int, str]] = {}  # section -> slot -> building
        for item in timetable.fixed_meetings():
            building = problem.rooms[item.room].building
            for slot in item.slots:
                self.fixed.setdefault(item.section, Counter())[slot] += 1
                if building:
                    self.fixed_building.setdefault(item.section, {})[slot] = building
        self.buildings = len({room.building for room in problem.rooms if room.building}) > 1

    def busy(self, teacher: int, theirs: list[int], mine: dict[int, list[cp_model.IntVar]]) -> Slots | None:
        """Per slot, the Booleans of the teacher's meetings there (at most one true): their given
        sections' start literals and, per decided section, whether they teach a meeting of it there;
        FIXED where a fixed meeting of theirs is. None if fixed meetings break a hard rule."""
        model, person = self.model, self.problem.teachers[teacher]
        busy: Slots = {}
        for slot in range(self.problem.grid.slot_count):
            held = sum(self.fixed.get(section, Counter())[slot] for section in theirs)
            if held > 1 or (held and slot in person.unavailable):
                return None
            here = [literal for section in theirs for literal in self.holding.get(section, {}).get(slot, [])]
            if slot in person.unavailable or held:
                for literal in here:
                    model.add(literal == 0)
                here = []
            for section, teaches in mine.items():
                meets = self.holding.get(section, {}).get(slot, [])
                if not meets:
                    continue
                if slot in person.unavailable or held:
                    for literal in teaches:
                        model.add(sum(meets) + literal <= 1)
                    continue
                both = model.new_bool_var(f"teaches_at[{teacher},{section},{slot}]")
                for literal in teaches:
                    model.add(both >= sum(meets) + literal - 1)
                model.add(both <= sum(meets))
                model.add(both <= sum(teaches))
                here.append(both)
            if len(here) > 1:
                model.add(sum(here) <= 1)
            if held:
                busy[slot] = FIXED
            elif here:
                busy[slot] = here
        return busy

    def wishes(self, teacher: int, busy: Slots) -> cp_model.LinearExprT:
        """What the teacher's time wishes cost in the decided slots (a fixed slot's cost is constant)."""
        person = self.problem.teachers[teacher]
        outside = teacher_preferences.outside_cost(person)
        terms = []
        for slot, literals in busy.items():
            cost = teacher_preferences.slot_cost(person, slot, outside)[0]
            terms += [cost * literal for literal in literals if cost]
        return cp_model.LinearExpr.sum(terms)

    def pictures(self, busy: Slots) -> list[Picture]:
        """The teacher's days a meeting may touch, each period busy exactly when a Boolean is."""
        grid = self.problem.grid
        days = []
        for day in range(len(grid.days)):
            # at most one of a slot's Booleans is true, so "any" is the sum
            picture = tuple(
                ALWAYS
                if (held := busy.get(grid.slot(day, period), [])) is FIXED
                else any_of(self.timetable, held)
                for period in range(grid.periods_per_day)
            )
            if any(period.var is not None for period in picture):  # else a constant
                days.append(picture)
        return days

    def building_changes(
        self, theirs: list[int], mine: dict[int, list[cp_model.IntVar]]
    ) -> cp_model.LinearExprT:
        """Per pair of back-to-back slots, 1 when the teacher is in one building in the first and
        another in the second."""
        model, grid = self.model, self.problem.grid
        where: dict[int, dict[str, cp_model.IntVar]] = {}  # slot -> building -> there (at least)
        sources: list[tuple[int, list[cp_model.IntVar] | list[int]]] = [(s, [1]) for s in theirs]
        sources += list(mine.items())
        for slot in range(grid.slot_count):
            for section, teaches in sources:
                for building, literals in self.placed.get(section, {}).get(slot, {}).items():
                    there = where.setdefault(slot, {}).get(building)
                    if there is None:
                        there = where[slot][building] = model.new_bool_var(f"in[{slot},{building}]")
                    for literal in teaches:
                        model.add(there >= sum(literals) + literal - 1)
            for section in theirs:  # a fixed meeting's building is where the teacher is
                fixed = self.fixed_building.get(section, {}).get(slot)
                if fixed is not None:
                    there = where.setdefault(slot, {}).get(fixed)
                    if there is None:
                        there = where[slot][fixed] = model.new_bool_var(f"in[{slot},{fixed}]")
                    model.add(there == 1)
        changes = []
        for slot, buildings in where.items():
            following = building_changes.next_start(grid, slot, 1)
            after = where.get(following, {}) if following is not None else {}
            pairs = [(b, c) for b in buildings for c in after if b != c]
            if not pairs:
                continue
            change = model.new_bool_var(f"changes_after[{slot}]")
            for first, second in pairs:
                model.add(change >= buildings[first] + after[second] - 1)
            changes.append(change)
        return cp_model.LinearExpr.sum(changes)
