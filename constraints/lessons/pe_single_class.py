"""A student should not have a single class on a day."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from constraints.lessons.pe_distance import event_places, slot_name, student_days, weeks_with_free_events
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "single class on a day"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation, cost 1, per student and day on which exactly one of their events is placed."""
    grid = problem.grid
    places = event_places(problem, solution)
    violations = []
    for student, days in sorted(student_days(problem, places).items()):
        for day, periods in sorted(days.items()):
            if len(periods) != 1:
                continue
            [(period, events)] = periods.items()
            if len(events) != 1:
                continue
            event, slot = events[0], grid.slot(day, period)
            place = places[event]
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=1,
                    sections=(event,),
                    rooms=(place[1],) if place is not None else (),
                    periods=(slot,),
                    students=(student,),
                    message=(
                        f"Student {student} has a single class on {grid.days[day]}: "
                        f"event {event} in {slot_name(problem, slot)}"
                    ),
                )
            )
    return violations


Day = tuple[int, int, frozenset[int]]  # (day, fixed events of a student that day, free ones that may)


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per student and day a free event of theirs may take: 1 when exactly one of their events
    is that day (two in one timeslot are two events, as the checker counts them)."""
    grid = view.problem.grid
    days: Counter[Day] = Counter()  # -> students
    for (free, fixed_starts), students in weeks_with_free_events(view).items():
        fixed = Counter(grid.day_of(start) for start in fixed_starts)
        may: dict[int, set[int]] = {}  # day -> free meetings of theirs that may take it
        for meeting in free:
            for slot in view.start_literals(meeting):
                may.setdefault(grid.day_of(slot), set()).add(meeting)
        for day, takers in may.items():
            if fixed[day] < 2:  # two fixed classes that day: never a single one
                days[day, fixed[day], frozenset(takers)] += students
    return cp_model.LinearExpr.sum([students * _single(view, *key) for key, students in days.items()])


def _single(view: LessonModelView, day: int, fixed: int, meetings: frozenset[int]) -> cp_model.LinearExprT:
    """1 exactly when the fixed classes of the day and the free meetings there make one class."""
    grid = view.problem.grid
    here = [
        literal
        for meeting in sorted(meetings)
        for slot, literal in view.start_literals(meeting).items()
        if grid.day_of(slot) == day
    ]
    classes = fixed + cp_model.LinearExpr.sum(here)  # a meeting starts once, so it adds 0 or 1
    if len(meetings) == 1:
        return classes if fixed == 0 else 2 - classes
    single = view.model.new_bool_var(f"single_class[{day},{'+'.join(map(str, sorted(meetings)))}]")
    view.model.add(classes == 1).only_enforce_if(single)
    view.model.add(classes != 1).only_enforce_if(single.negated())
    return single
