"""All meetings of a section are in the same room; each further room costs."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "room stability"
HARD = False


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per section in several rooms; cost: the rooms beyond the first."""
    rooms: list[set[int]] = [set() for _ in problem.sections]
    for item in placed_meetings(problem, solution):
        rooms[item.section].add(item.room)
    violations = []
    for section in problem.sections:
        used = sorted(rooms[section.index])
        if len(used) > 1:
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(used) - 1,
                    sections=(section.index,),
                    rooms=tuple(used),
                    message=(
                        f"{section.name} meets in {len(used)} rooms: "
                        + ", ".join(problem.rooms[room].name for room in used)
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per section with a free meeting: its rooms beyond the first, given the fixed meetings'."""
    problem, model = view.problem, view.model
    free_by_section: dict[int, list[int]] = {}
    for meeting in view.free_meetings():
        free_by_section.setdefault(problem.meetings[meeting].section, []).append(meeting)
    fixed_rooms: dict[int, set[int]] = {}
    for item in view.fixed_meetings():
        fixed_rooms.setdefault(item.section, set()).add(item.room)
    terms = []
    for section, meetings in free_by_section.items():
        known = fixed_rooms.get(section, set())
        in_room: dict[int, list[cp_model.IntVar]] = {}
        for meeting in meetings:
            for (_, room), literal in view.placement_literals(meeting).items():
                if room not in known:
                    in_room.setdefault(room, []).append(literal)
        used = []
        for room, literals in in_room.items():
            flag = model.new_bool_var(f"section_room[{section},{room}]")
            for literal in literals:
                model.add(flag >= literal)
            model.add(flag <= sum(literals))
            used.append(flag)
        terms.append(len(known) - 1 + sum(used))
    return sum(terms)
