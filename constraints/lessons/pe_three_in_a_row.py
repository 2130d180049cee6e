"""A student should not have more than two classes in a row on a day."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from constraints.exams.wording import listing
from constraints.lessons.pe_distance import event_places, student_days, weeks_with_free_events
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "more than two in a row"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def _runs(periods: dict[int, list[int]], periods_per_day: int) -> list[list[int]]:
    """The maximal runs of consecutive periods of a day that hold a class, as lists of periods."""
    runs: list[list[int]] = []
    current: list[int] = []
    for period in range(periods_per_day + 1):  # one past the end closes the last run
        if period in periods:
            current.append(period)
        elif current:
            runs.append(current)
            current = []
    return runs


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per student and run of k > 2 consecutive timeslots of a day holding one of
    their classes; cost k - 2 (two events in one timeslot still make one timeslot of the run)."""
    grid = problem.grid
    places = event_places(problem, solution)
    violations = []
    for student, days in sorted(student_days(problem, places).items()):
        for day, periods in sorted(days.items()):
            for run in _runs(periods, grid.periods_per_day):
                if len(run) <= 2:
                    continue
                slots = tuple(grid.slot(day, period) for period in run)
                events = tuple(event for period in run for event in periods[period])
                violations.append(
                    Violation(
                        constraint=NAME,
                        hard=HARD,
                        cost=len(run) - 2,
                        sections=events,
                        rooms=tuple(place[1] for event in events if (place := places[event]) is not None),
                        periods=slots,
                        students=(student,),
                        message=(
                            f"Student {student} has classes in {len(run)} timeslots in a row on "
                            f"{grid.days[day]} (timeslots {slots[0]} to {slots[-1]}: "
                            f"events {listing(events)})"
                        ),
                    )
                )
    return violations


Window = frozenset[tuple[int, frozenset[int]]]  # the free timeslots of a window: (slot, meetings)


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per student and three consecutive timeslots of a day all holding one of their classes, 1:
    a run of k timeslots holds k - 2 such windows, the run's cost. Only windows a free event of
    theirs may fill are posted; a timeslot holding a fixed event of theirs is always filled."""
    grid = view.problem.grid
    windows: Counter[Window] = Counter()  # -> students
    for (free, fixed_starts), students in weeks_with_free_events(view).items():
        fixed = set(fixed_starts)
        filled_by: dict[int, set[int]] = {}  # slot -> free meetings of theirs that may start there
        for meeting in free:
            for slot in view.start_literals(meeting):
                filled_by.setdefault(slot, set()).add(meeting)
        for day in {grid.day_of(slot) for slot in filled_by}:
            for last in range(2, grid.periods_per_day):
                slots = [grid.slot(day, period) for period in range(last - 2, last + 1)]
                if any(slot not in fixed and slot not in filled_by for slot in slots):
                    continue  # a timeslot nothing fills: never three in a row
                window = frozenset((s, frozenset(filled_by[s])) for s in slots if s not in fixed)
                if window:
                    windows[window] += students
    filled: dict[tuple[int, frozenset[int]], cp_model.IntVar] = {}
    terms = []
    for window, students in windows.items():
        flags = [_filled(view, filled, slot, meetings) for slot, meetings in sorted(window)]
        terms.append(students * _all_of(view, flags, window))
    return cp_model.LinearExpr.sum(terms)


def _filled(
    view: LessonModelView,
    filled: dict[tuple[int, frozenset[int]], cp_model.IntVar],
    slot: int,
    meetings: frozenset[int],
) -> cp_model.IntVar:
    """A Boolean true exactly when one of these free meetings starts at the slot."""
    literals = [view.start_literals(meeting)[slot] for meeting in sorted(meetings)]
    if len(literals) == 1:
        return literals[0]
    if (slot, meetings) not in filled:
        flag = view.model.new_bool_var(f"filled[{slot},{'+'.join(map(str, sorted(meetings)))}]")
        view.model.add_bool_or([flag.negated(), *literals])
        for literal in literals:
            view.model.add_implication(literal, flag)
        filled[slot, meetings] = flag
    return filled[slot, meetings]


def _all_of(view: LessonModelView, flags: list[cp_model.IntVar], window: Window) -> cp_model.IntVar:
    """A Boolean true exactly when every flag is."""
    if len(flags) == 1:
        return flags[0]
    slots = ",".join(str(slot) for slot, _ in sorted(window))
    every = view.model.new_bool_var(f"in_a_row[{slots}]")
    view.model.add_bool_or([every, *(flag.negated() for flag in flags)])
    for flag in flags:
        view.model.add_implication(every, flag)
    return every
