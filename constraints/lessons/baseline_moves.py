"""Minimal perturbation: each meeting no longer where the baseline timetable had it costs one.

A section's meetings are interchangeable, so a section's places are compared as a set: a
baseline place (start, room and length) that none of the section's meetings takes any more is
one move (a meeting left out is one too). Two meetings of a section trading places move nothing.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "moved from baseline"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


Place = tuple[int, int, int]  # start, room, length


def baseline_places(problem: LessonProblem) -> dict[int, set[Place]]:
    """Per section, the places the baseline gives its meetings."""
    places: dict[int, set[Place]] = {}
    for meeting, place in enumerate(problem.baseline):
        if place is not None:
            held = problem.meetings[meeting]
            places.setdefault(held.section, set()).add((*place, held.length))
    return places


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per section with moved meetings; cost: its baseline places now empty."""
    if not problem.baseline:
        return []
    now: dict[int, set[Place]] = {}
    for item in placed_meetings(problem, solution):
        now.setdefault(item.section, set()).add((item.start, item.room, len(item.slots)))
    violations = []
    for section, places in sorted(baseline_places(problem).items()):
        left = sorted(places - now.get(section, set()))
        if left:
            name = problem.sections[section].name
            was = ", ".join(
                f"{slot_name(problem, start)} in {problem.rooms[room].name}" for start, room, _ in left
            )
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(left),
                    sections=(section,),
                    periods=tuple(start for start, _, _ in left),
                    message=f"{name} no longer meets {was}",
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per section with a free meeting: its baseline places, less those the fixed meetings keep
    and those some free meeting takes."""
    problem = view.problem
    if not problem.baseline:
        return 0
    places = baseline_places(problem)
    free_by_section: dict[int, list[int]] = {}
    for meeting in view.free_meetings():
        free_by_section.setdefault(problem.meetings[meeting].section, []).append(meeting)
    kept_by_fixed: dict[int, set[Place]] = {}
    for item in view.fixed_meetings():
        place = (item.start, item.room, len(item.slots))
        if place in places.get(item.section, ()):
            kept_by_fixed.setdefault(item.section, set()).add(place)
    terms: list[cp_model.LinearExprT] = []
    for section, meetings in free_by_section.items():
        open_places = places.get(section, set()) - kept_by_fixed.get(section, set())
        if not open_places:
            continue
        takers: dict[Place, list[cp_model.IntVar]] = {}
        for meeting in meetings:
            length = problem.meetings[meeting].length
            for (start, room), literal in view.placement_literals(meeting).items():
                if (start, room, length) in open_places:
                    takers.setdefault((start, room, length), []).append(literal)
        kept = []
        for place, literals in takers.items():
            if len(literals) == 1:
                kept.append(literals[0])
                continue
            taken = view.model.new_bool_var(f"baseline_kept[{section},{place}]")
            view.model.add(taken <= sum(literals))  # tight at the optimum: the objective wants it up
            kept.append(taken)
        terms.append(len(open_places) - sum(kept))
    return sum(terms)
