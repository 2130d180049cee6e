"""A cohort's classes of a day follow one another: a class with no other class of the cohort
just before or after it is isolated."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, TimeGrid, Violation

NAME = "curriculum compactness"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 2


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per cohort and isolated meeting; cost 1 each."""
    grid = problem.grid
    placed = placed_meetings(problem, solution)
    by_section: dict[int, list[int]] = {}
    for item in placed:
        by_section.setdefault(item.section, []).append(item.start)
    violations = []
    for cohort in problem.cohorts:
        busy: dict[int, int] = {}  # slot -> meetings of the cohort starting there
        for section in set(cohort.sections):
            for start in by_section.get(section, ()):
                busy[start] = busy.get(start, 0) + 1
        for slot, meetings in sorted(busy.items()):
            period = grid.period_of(slot)
            before = period > 0 and slot - 1 in busy
            after = period < grid.periods_per_day - 1 and slot + 1 in busy
            if before or after:
                continue
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=meetings,
                    sections=tuple(sorted(cohort.sections)),
                    periods=(slot,),
                    message=f"Cohort {cohort.name} has an isolated class at {slot_name(problem, slot)}",
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per cohort with a free meeting: the isolated classes at slots a free meeting may touch."""
    problem, model = view.problem, view.model
    grid = problem.grid
    free: dict[int, dict[int, list[cp_model.IntVar]]] = {}  # cohort -> start -> free literals
    for meeting in view.free_meetings():
        for cohort in view.cohorts_of(problem.meetings[meeting].section):
            for start, literal in view.start_literals(meeting).items():
                free.setdefault(cohort, {}).setdefault(start, []).append(literal)
    fixed: dict[int, dict[int, int]] = {}  # cohort -> start -> fixed meetings starting there
    for item in view.fixed_meetings():
        for cohort in view.cohorts_of(item.section):
            starts = fixed.setdefault(cohort, {})
            starts[item.start] = starts.get(item.start, 0) + 1
    terms: list[cp_model.IntVar] = []
    for cohort, free_starts in free.items():
        constant = fixed.get(cohort, {})
        touched = {n for start in free_starts for n in [start, *_same_day(grid, start)]}
        for slot in sorted(touched):
            here = free_starts.get(slot, [])
            most = constant.get(slot, 0) + len(here)
            around = _same_day(grid, slot)
            if most == 0 or any(constant.get(n) for n in around):
                continue  # nobody there, or a fixed neighbour: never isolated
            neighbours = [literal for n in around for literal in free_starts.get(n, [])]
            isolated = model.new_int_var(0, most, f"isolated[{cohort},{slot}]")
            busy = cp_model.LinearExpr.sum(here) + constant.get(slot, 0)
            if neighbours:
                # exact: the slot's classes count only when no neighbour slot holds one
                flanked = model.new_bool_var(f"flanked[{cohort},{slot}]")
                for literal in neighbours:
                    model.add(flanked >= literal)
                model.add(flanked <= sum(neighbours))
                model.add(isolated >= busy - most * flanked)
            else:
                model.add(isolated >= busy)
            terms.append(isolated)
    return cp_model.LinearExpr.sum(terms)


def _same_day(grid: TimeGrid, slot: int) -> list[int]:
    """The slots just before and after, on the same day."""
    day = grid.day_of(slot)
    return [n for n in (slot - 1, slot + 1) if 0 <= n < grid.slot_count and grid.day_of(n) == day]
