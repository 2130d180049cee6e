"""A student should not have more than two classes in a row on a day."""

from __future__ import annotations

from constraints.exams.wording import listing
from constraints.lessons.pe_distance import event_places, student_days
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
