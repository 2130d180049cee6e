"""Sections taken as a block by one cohort (a curriculum) never meet at the same time, and a
section's own meetings never overlap."""

from __future__ import annotations

from constraints.lessons.posting import at_most_one_each, holding
from constraints.lessons.timetable import crowding, placed_meetings, slot_name
from constraints.lessons.view import LessonModelView
from models import LessonProblem, LessonSolution, Violation

NAME = "cohort clash"
HARD = True


def weight(problem: LessonProblem) -> int:
    return 1


def count(problem: LessonProblem, solution: LessonSolution) -> list[Violation]:
    """One violation per cohort (or section) and slot; cost: the meetings beyond the first."""
    cohorts_of: list[list[int]] = [[] for _ in problem.sections]
    for group in problem.cohorts:
        for member in set(group.sections):
            cohorts_of[member].append(group.index)
    by_cohort: dict[tuple[int, int], list[int]] = {}
    by_section: dict[tuple[int, int], list[int]] = {}
    sections = {}
    for item in placed_meetings(problem, solution):
        sections[item.meeting] = item.section
        for slot in item.slots:
            by_section.setdefault((item.section, slot), []).append(item.meeting)
            for cohort in cohorts_of[item.section]:
                by_cohort.setdefault((cohort, slot), []).append(item.meeting)
    violations = []
    for (section, slot), meetings in crowding(by_section):
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(meetings) - 1,
                sections=(section,),
                periods=(slot,),
                message=(
                    f"{problem.sections[section].name} meets {len(meetings)} times "
                    f"at {slot_name(problem, slot)}"
                ),
            )
        )
    for (cohort, slot), meetings in crowding(by_cohort):
        involved = sorted({sections[m] for m in meetings})
        if len(involved) < 2:
            continue  # a section meeting twice at once is reported once, above
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(involved) - 1,
                sections=tuple(involved),
                periods=(slot,),
                message=(
                    f"Cohort {problem.cohorts[cohort].name} has {len(involved)} classes at "
                    f"{slot_name(problem, slot)}: " + ", ".join(problem.sections[s].name for s in involved)
                ),
            )
        )
    return violations


def post(view: LessonModelView) -> int:
    meetings = view.problem.meetings
    at_most_one_each(view, holding(view, lambda meeting: [meetings[meeting].section]))
    return at_most_one_each(view, holding(view, lambda meeting: view.cohorts_of(meetings[meeting].section)))
