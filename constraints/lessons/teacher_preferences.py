"""Teachers teach at the times they asked for, not at the times they asked to avoid.

Per teacher and period they teach (every slot a meeting of their section covers):

- a discouraged time costs 1, a strongly discouraged time costs 3;
- a teacher who named preferred or strongly preferred times pays for each period taught at any
  other time: 2 when every time they named is strongly preferred, otherwise 1 (so a teacher who
  named even one merely preferred time pays 1 everywhere outside their wished times);
- both add up: a discouraged period outside the wished times costs 1 + 1 (or 1 + 2).

Required and prohibited wishes are hard rules (the reader makes them unavailability); neutral
and unnamed times cost nothing here. A teacher named twice on a section counts once.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.lessons.timetable import placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Preference, Teacher, Violation

NAME = "teacher time preferences"
HARD = False

AVOIDED = {Preference.DISCOURAGED: 1, Preference.STRONGLY_DISCOURAGED: 3}
WISHED = frozenset({Preference.PREFERRED, Preference.STRONGLY_PREFERRED})


def weight(problem: LessonProblem) -> int:
    return 1


def outside_cost(teacher: Teacher) -> int:
    """What a period outside this teacher's wished times costs (0 when they wished for none)."""
    wished = [wish for wish in teacher.preferences.values() if wish in WISHED]
    if not wished:
        return 0
    return 2 if all(wish is Preference.STRONGLY_PREFERRED for wish in wished) else 1


def slot_cost(teacher: Teacher, slot: int, outside: int) -> tuple[int, str]:
    """What one period taught at `slot` costs this teacher, and why in words."""
    wish = teacher.preferences.get(slot, Preference.NEUTRAL)
    cost, reasons = AVOIDED.get(wish, 0), []
    if cost:
        reasons.append(f"a time they marked {wish.value}")
    if outside and wish not in WISHED:
        cost += outside
        reasons.append("outside the times they prefer")
    return cost, " and ".join(reasons)


def _teachers_of(problem: LessonProblem, section: int) -> list[Teacher]:
    return [problem.teachers[t] for t in sorted(set(problem.sections[section].teachers))]


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per teacher and period taught at an unwished time; cost as the docstring says."""
    violations = []
    for item in placed_meetings(problem, solution):
        section, room = problem.sections[item.section], problem.rooms[item.room]
        for teacher in _teachers_of(problem, item.section):
            outside = outside_cost(teacher)
            for slot in item.slots:
                cost, why = slot_cost(teacher, slot, outside)
                if cost:
                    violations.append(
                        Violation(
                            constraint=NAME,
                            hard=HARD,
                            cost=cost,
                            sections=(section.index,),
                            teachers=(teacher.index,),
                            rooms=(room.index,),
                            periods=(slot,),
                            message=(
                                f"{teacher.name} teaches {section.name} in room {room.name} at "
                                f"{slot_name(problem, slot)}, {why}"
                            ),
                        )
                    )
    return violations


def post(view: LessonModelView) -> cp_model.LinearExprT:
    """Per free meeting and start: what its periods cost its teachers (fixed meetings are constant)."""
    problem = view.problem
    outside: dict[int, int] = {}  # per teacher, worked out once
    terms = []
    for meeting in view.free_meetings():
        length = problem.meetings[meeting].length
        teachers = _teachers_of(problem, problem.meetings[meeting].section)
        for teacher in teachers:
            if teacher.index not in outside:
                outside[teacher.index] = outside_cost(teacher)
        for start, literal in view.start_literals(meeting).items():
            cost = sum(
                slot_cost(teacher, slot, outside[teacher.index])[0]
                for teacher in teachers
                for slot in range(start, start + length)
            )
            if cost:
                terms.append(cost * literal)
    return cp_model.LinearExpr.sum(terms)
