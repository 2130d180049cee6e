"""The lesson-timetabling rules, one unit each, and the checker that scores timetables."""

from __future__ import annotations

from types import ModuleType

from constraints.base import score
from constraints.lessons import (
    availability,
    baseline_moves,
    building_changes,
    cohort_clash,
    curriculum_compactness,
    different_days,
    early_late,
    long_days,
    lunch_break,
    min_working_days,
    oversized_rooms,
    pe_availability,
    pe_distance,
    pe_last_slot,
    pe_precedence,
    pe_room_clash,
    pe_room_suitability,
    pe_single_class,
    pe_student_clash,
    pe_three_in_a_row,
    placement,
    room_capacity,
    room_clash,
    room_stability,
    seating,
    section_relations,
    spread,
    student_clash,
    student_windows,
    teacher_clash,
    teacher_preferences,
    teacher_windows,
)
from models import Evaluation, LessonProblem, LessonScoring, LessonSolution, Scenario

_UNITS_BY_SCORING: dict[LessonScoring, tuple[ModuleType, ...]] = {
    LessonScoring.UD2: (
        placement,
        room_clash,
        teacher_clash,
        cohort_clash,
        availability,
        room_capacity,
        min_working_days,
        curriculum_compactness,
        room_stability,
    ),
    # ITC 2007 track 2: timetables rank first by distance to feasibility (the students of the
    # events left out, the pe_distance unit), then by the soft total
    LessonScoring.POST_ENROLMENT: (
        pe_distance,
        pe_student_clash,
        pe_room_clash,
        pe_room_suitability,
        pe_availability,
        pe_precedence,
        pe_last_slot,
        pe_three_in_a_row,
        pe_single_class,
    ),
    LessonScoring.REGISTRAR: (
        placement,
        room_clash,
        teacher_clash,
        cohort_clash,
        student_clash,
        availability,
        seating,
        different_days,
        section_relations,
        student_windows,
        teacher_windows,
        long_days,
        lunch_break,
        teacher_preferences,
        early_late,
        spread,
        oversized_rooms,
        building_changes,
        room_stability,
        baseline_moves,
    ),
}


def units_for(problem: LessonProblem) -> tuple[ModuleType, ...]:
    """The rules judging this problem, hard ones first, as its scoring defines them."""
    if problem.scoring not in _UNITS_BY_SCORING:
        raise NotImplementedError(f"no checker for {problem.scoring} timetables yet")
    units = _UNITS_BY_SCORING[problem.scoring]
    return tuple(unit for unit in units if unit.HARD) + tuple(unit for unit in units if not unit.HARD)


def evaluate(
    problem: LessonProblem, solution: LessonSolution, scenario: Scenario | None = None
) -> Evaluation:
    """Check a timetable against every rule; a scenario reweighs or switches off soft criteria."""
    scores = []
    for unit in units_for(problem):
        if scenario is None:
            scores.append(score(unit, problem, solution))
        elif unit.HARD or unit.NAME not in scenario.disabled:
            scores.append(score(unit, problem, solution, scenario.weight_of(unit.NAME, unit.weight(problem))))
    return Evaluation(
        # any hard violation counts, even one of cost 0 (an event without students left out)
        feasible=not any(item.violations for item in scores if item.hard),
        hard_violations=sum(item.penalty for item in scores if item.hard),
        total=sum(item.penalty for item in scores if not item.hard),
        scores=tuple(scores),
    )
