"""Nobody should have to change buildings between two back-to-back classes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from constraints.lessons.timetable import Placed, placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, TimeGrid, Violation

NAME = "building changes"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation, cost 1, per person and pair of their meetings where one starts in the period
    right after the other ends (same day, no lunch break between) in a room of another building.

    Students and teachers are separate persons; a teacher of both sections counts once. Every
    such pair counts, so a person with two meetings in one slot (an infeasible timetable) may
    count twice for one walk. Rooms with no building recorded are never a change.
    """
    grid = problem.grid
    placed = placed_meetings(problem, solution)
    by_section: dict[int, list[Placed]] = {}
    for item in placed:
        by_section.setdefault(item.section, []).append(item)
    teaching: dict[int, set[int]] = {}
    for section in problem.sections:
        for teacher in set(section.teachers):
            teaching.setdefault(teacher, set()).add(section.index)
    persons: list[tuple[str, int, Iterable[int]]] = [
        ("Student", student, set(sections)) for student, sections in sorted(problem.registrations.items())
    ]
    persons += [("Teacher", teacher, sections) for teacher, sections in sorted(teaching.items())]
    violations = []
    for kind, person, sections in persons:
        meetings = [item for section in sorted(sections) for item in by_section.get(section, ())]
        starting: dict[int, list[Placed]] = {}
        for item in meetings:
            starting.setdefault(item.start, []).append(item)
        for first in meetings:
            following = next_start(grid, first.start, len(first.slots))
            for second in starting.get(following, []) if following is not None else ():
                if _changes(problem, first.room, second.room):
                    violations.append(_violation(problem, kind, person, first, second))
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per pair of meetings with a free one: the persons they share times the building change.

    A free meeting next to a fixed one prices its placement literals directly; two free meetings
    get one Boolean per pair of back-to-back starts, forced up when their buildings differ. Pairs
    of fixed meetings are constants and left out.
    """
    problem = view.problem
    fixed = {item.meeting: item for item in view.fixed_meetings()}
    at = {meeting: by_start_and_building(view, meeting) for meeting in view.free_meetings()}
    where = _Where(view.model, at)
    shared = _persons_shared(problem)
    priced: dict[int, tuple[cp_model.IntVar, int]] = {}  # literal index -> (literal, persons)
    flags: list[tuple[cp_model.IntVar, int]] = []
    for meeting in view.free_meetings():
        for partner_section, persons in shared(problem.meetings[meeting].section).items():
            for partner in problem.meetings_of[partner_section]:
                if partner in fixed:
                    for literal in _changing_next_to(problem, meeting, at[meeting], fixed[partner]):
                        _, earlier = priced.get(literal.index, (literal, 0))
                        priced[literal.index] = (literal, earlier + persons)
                elif partner > meeting and view.is_free(partner):
                    # both free: both orders, once, from the lower-numbered meeting
                    for first, second in ((meeting, partner), (partner, meeting)):
                        flags += [(flag, persons) for flag in _free_pair(view, at, where, first, second)]
    terms = list(priced.values()) + flags
    return cp_model.LinearExpr.weighted_sum([term for term, _ in terms], [cost for _, cost in terms])


Places = dict[int, dict[str, list[cp_model.IntVar]]]  # start -> building -> placement literals


def by_start_and_building(view: LessonModelView, meeting: int) -> Places:
    """A free meeting's placement literals by start and building (rooms with one recorded)."""
    places: Places = {}
    for (start, room), literal in view.placement_literals(meeting).items():
        building = view.problem.rooms[room].building
        if building:
            places.setdefault(start, {}).setdefault(building, []).append(literal)
    return places


def _persons_shared(problem: LessonProblem) -> Callable[[int], Counter[int]]:
    """Per section, on demand: per section (itself included) the students and teachers in both."""
    teachers_of = [set(section.teachers) for section in problem.sections]
    teaching: dict[int, set[int]] = {}
    for section in problem.sections:
        for teacher in teachers_of[section.index]:
            teaching.setdefault(teacher, set()).add(section.index)
    known: dict[int, Counter[int]] = {}

    def shared(section: int) -> Counter[int]:
        if section not in known:
            persons: Counter[int] = Counter()
            for student in problem.students_of[section]:
                persons.update(set(problem.registrations[student]))
            for teacher in teachers_of[section]:
                persons.update(teaching[teacher])
            known[section] = persons
        return known[section]

    return shared


def _changing_next_to(
    problem: LessonProblem, meeting: int, places: Places, item: Placed
) -> list[cp_model.IntVar]:
    """The free meeting's literals putting it right before or after a fixed one, in another building."""
    grid = problem.grid
    building = problem.rooms[item.room].building
    if not building:
        return []
    length = problem.meetings[meeting].length
    before = item.start - length  # ends in the period before the fixed meeting starts
    starts = [before] if next_start(grid, before, length) == item.start else []
    after = next_start(grid, item.start, len(item.slots))
    starts += [after] if after is not None else []
    return [
        literal
        for start in starts
        for other, literals in places.get(start, {}).items()
        if other != building
        for literal in literals
    ]


class _Where:
    """A free meeting's building at a start: one Boolean per (meeting, start, building), equal to
    the sum of its placement literals there and made once (a free meeting meets many others; a
    back-to-back pair's rows then hold a term per building rather than one per room, which made the
    rows of a semester's model millions of terms long)."""

    def __init__(self, model: cp_model.CpModel, at: dict[int, Places]) -> None:
        self.model = model
        self.at = at
        self.known: dict[tuple[int, int, str], cp_model.IntVar] = {}
        self.away: dict[tuple[int, int, str], cp_model.LinearExpr] = {}

    def __call__(self, meeting: int, start: int, building: str) -> cp_model.IntVar:
        key = (meeting, start, building)
        if key not in self.known:
            literals = self.at[meeting][start][building]
            if len(literals) == 1:
                self.known[key] = literals[0]
            else:
                there = self.model.new_bool_var(f"in_building[{meeting},{start},{building}]")
                self.model.add(there == cp_model.LinearExpr.sum(literals))
                self.known[key] = there
        return self.known[key]

    def elsewhere(self, meeting: int, start: int, building: str) -> cp_model.LinearExpr:
        """1 when the meeting is at that start in a room of another building (with one recorded)."""
        key = (meeting, start, building)
        if key not in self.away:
            others = [other for other in self.at[meeting][start] if other != building]
            self.away[key] = cp_model.LinearExpr.sum([self(meeting, start, other) for other in others])
        return self.away[key]


def _free_pair(
    view: LessonModelView, at: dict[int, Places], where: _Where, first: int, second: int
) -> list[cp_model.IntVar]:
    """One Boolean per back-to-back start of `first` then `second`, true when they change building."""
    model, grid = view.model, view.problem.grid
    length = view.problem.meetings[first].length
    flags = []
    for start, buildings in at[first].items():
        nxt = next_start(grid, start, length)
        later = at[second].get(nxt, {}) if nxt is not None else {}
        changes = [building for building in buildings if any(other != building for other in later)]
        if not changes:
            continue
        assert nxt is not None
        # minimised, so one lower bound per building of `first` is exact: at most one holds
        flag = model.new_bool_var(f"building_change[{first},{second},{start}]")
        for building in changes:
            model.add(flag >= where(first, start, building) + where.elsewhere(second, nxt, building) - 1)
        flags.append(flag)
    return flags


def next_start(grid: TimeGrid, start: int, length: int) -> int | None:
    """The start of a meeting right after this one, if one can follow on the same day unbroken."""
    last = grid.period_of(start) + length - 1
    if last >= grid.periods_per_day - 1 or last in grid.breaks_after:
        return None
    return start + length


def _changes(problem: LessonProblem, room: int, other: int) -> bool:
    first, second = problem.rooms[room].building, problem.rooms[other].building
    return bool(first) and bool(second) and first != second


def _violation(problem: LessonProblem, kind: str, person: int, first: Placed, second: Placed) -> Violation:
    start, end = problem.rooms[first.room], problem.rooms[second.room]
    who = problem.student_name(person) if kind == "Student" else problem.teachers[person].name
    day = problem.grid.days[problem.grid.day_of(second.start)]
    names = problem.sections[first.section].name, problem.sections[second.section].name
    between = f"two meetings of {names[0]}" if first.section == second.section else " and ".join(names)
    return Violation(
        constraint=NAME,
        hard=HARD,
        cost=1,
        sections=(first.section, second.section),
        rooms=(first.room, second.room),
        periods=(first.slots[-1], second.start),
        students=(person,) if kind == "Student" else (),
        teachers=(person,) if kind == "Teacher" else (),
        message=(
            f"{kind} {who} goes from building {start.building} ({start.name}) to building "
            f"{end.building} ({end.name}) between {between} on {day}"
        ),
    )
