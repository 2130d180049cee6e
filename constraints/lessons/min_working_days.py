"""A section's meetings spread over at least its minimum number of days."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "min working days"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 5


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per section on too few days; cost: the days missing."""
    days: list[set[int]] = [set() for _ in problem.sections]
    for item in placed_meetings(problem, solution):
        days[item.section].add(problem.grid.day_of(item.start))
    violations = []
    for section in problem.sections:
        missing = section.min_days - len(days[section.index])
        if missing > 0:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=missing,
                    sections=(section.index,),
                    message=(
                        f"{section.name} meets on {len(days[section.index])} days, "
                        f"{section.min_days} are wanted"
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per section with a free meeting: the days still missing, given its fixed meetings' days."""
    problem, model = view.problem, view.model
    grid = problem.grid
    free_by_section: dict[int, list[int]] = {}
    for meeting in view.free_meetings():
        free_by_section.setdefault(problem.meetings[meeting].section, []).append(meeting)
    fixed_days: dict[int, set[int]] = {}
    for item in view.fixed_meetings():
        fixed_days.setdefault(item.section, set()).add(grid.day_of(item.start))
    terms = []
    for section, meetings in free_by_section.items():
        wanted = problem.sections[section].min_days
        known = fixed_days.get(section, set())
        if wanted <= len(known):
            continue
        on_day: dict[int, list[cp_model.IntVar]] = {}
        for meeting in meetings:
            for start, literal in view.start_literals(meeting).items():
                day = grid.day_of(start)
                if day not in known:
                    on_day.setdefault(day, []).append(literal)
        used = []
        for day, literals in on_day.items():
            flag = model.new_bool_var(f"section_day[{section},{day}]")
            for literal in literals:
                model.add(flag >= literal)
            model.add(flag <= sum(literals))
            used.append(flag)
        missing = model.new_int_var(0, wanted, f"days_missing[{section}]")
        model.add(missing >= wanted - len(known) - sum(used))
        terms.append(missing)
    return sum(terms)
