"""No registered student has two classes at the same time."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "student clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per student and period with several classes; cost: the classes beyond the first."""
    at: dict[int, dict[int, list[int]]] = {}  # section -> slot -> its meetings there
    for item in placed_meetings(problem, solution):
        for slot in item.slots:
            at.setdefault(item.section, {}).setdefault(slot, []).append(item.meeting)
    meetings = problem.meetings
    violations = []
    for student, registered in sorted(problem.registrations.items()):
        by_slot: dict[int, list[int]] = {}
        for section in sorted(set(registered)):
            for slot, here in at.get(section, {}).items():
                by_slot.setdefault(slot, []).extend(here)
        for slot, here in sorted(by_slot.items()):
            if len(here) < 2:
                continue
            sections = sorted({meetings[m].section for m in here})
            violations.append(
                Violation(
                    constraint=NAME,
                    hard=HARD,
                    cost=len(here) - 1,
                    sections=tuple(sections),
                    periods=(slot,),
                    students=(student,),
                    message=(
                        f"Student {problem.student_name(student)} has {len(here)} classes at "
                        f"{slot_name(problem, slot)}: "
                        + ", ".join(problem.sections[s].name for s in sections)
                    ),
                )
            )
    return violations


def post(view: LessonModelView) -> int:
    """Per student and period, at most one of their free meetings (the model already keeps free
    meetings out of the periods their students' fixed meetings hold); students alike share one."""
    problem = view.problem
    free_of: dict[int, list[int]] = {}  # section -> its free meetings
    for meeting in view.free_meetings():
        free_of.setdefault(problem.meetings[meeting].section, []).append(meeting)
    groups = {
        frozenset(m for section in set(registered) for m in free_of.get(section, ()))
        for registered in problem.registrations.values()
    }
    posted: set[frozenset[int]] = set()
    for group in groups:
        if len(group) < 2:
            continue
        by_slot: dict[int, list[cp_model.IntVar]] = {}
        for meeting in group:
            length = problem.meetings[meeting].length
            for start, literal in view.start_literals(meeting).items():
                for slot in range(start, start + length):
                    by_slot.setdefault(slot, []).append(literal)
        for literals in by_slot.values():
            key = frozenset(literal.index for literal in literals)
            if len(literals) > 1 and key not in posted:
                posted.add(key)
                view.model.add_at_most_one(literals)
    return 0
