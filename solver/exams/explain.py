"""Why an exam session cannot be timetabled, in the words of the people who plan it.

These are proofs, not guesses: each reason found here makes every timetable infeasible. They are
checked before any solving, so an impossible request is answered at once. Exams are named as the
registrar names them (course code and title) when the problem says, else by number; periods by
date and time when they have them.
"""

from __future__ import annotations

from constraints.exams.wording import (
    capital,
    counted,
    exam_label,
    listing,
    period_when,
    the_exams,
    the_period,
)
from models import ExamProblem, PeriodRelation, Scenario

_SHOWN = 12  # a reason names at most this many exams
_SESSION_SHOWN = 3  # a session of at most this many dated periods is told period by period


def explain_infeasibility(problem: ExamProblem, scenario: Scenario) -> list[str]:
    reasons: list[str] = []
    reasons += _too_long(problem)
    reasons += _too_large(problem)
    reasons += _bad_pins(problem, scenario)
    reasons += _contradicting_relations(problem)
    reasons += _after_chains(problem)
    reasons += _conflict_clique(problem)
    reasons += _seats(problem)
    return reasons


def _too_long(problem: ExamProblem) -> list[str]:
    longest = max((p.duration for p in problem.periods), default=0)
    over = [exam.index for exam in problem.exams if exam.duration > longest]
    if not over:
        return []
    lasts = "lasts" if len(over) == 1 else "last"
    minutes = _span([problem.exams[exam].duration for exam in over])
    longest_periods = [period.index for period in problem.periods if period.duration == longest]
    when = period_when(problem, longest_periods[0]) if len(longest_periods) == 1 else None
    period = f"longest period ({when})" if when else "longest period"
    return [
        f"{capital(the_exams(problem, over, _SHOWN))} {lasts} {minutes} minutes "
        f"but the {period} is {longest} minutes."
    ]


def _too_large(problem: ExamProblem) -> list[str]:
    if not problem.uses_rooms:
        return []
    largest = max((room.capacity for room in problem.rooms), default=0)
    over = [exam.index for exam in problem.exams if exam.size > largest]
    if not over:
        return []
    has = "has" if len(over) == 1 else "have"
    students = _span([problem.exams[exam].size for exam in over])
    return [
        f"{capital(the_exams(problem, over, _SHOWN))} {has} {students} students "
        f"but the largest room seats {largest}."
    ]


def _span(values: list[int]) -> str:
    """'120' or '120 to 180'."""
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low} to {high}"


def _bad_pins(problem: ExamProblem, scenario: Scenario) -> list[str]:
    reasons = []
    for exam, pin in scenario.pins.items():
        if exam >= len(problem.exams):
            reasons.append(f"A pin names exam {exam}, but there are only {len(problem.exams)} exams.")
            continue
        pinned_exam = capital(the_exams(problem, [exam]))
        if pin.period >= len(problem.periods):
            reasons.append(f"{pinned_exam} is pinned to period {pin.period}, which does not exist.")
        elif problem.periods[pin.period].duration < problem.exams[exam].duration:
            reasons.append(
                f"{pinned_exam} is pinned to {the_period(problem, pin.period)}, which is too short for it."
            )
        elif pin.room is not None and pin.room >= len(problem.rooms):
            reasons.append(f"{pinned_exam} is pinned to room {pin.room}, which does not exist.")
    pinned = sorted(e for e in scenario.pins if e < len(problem.exams))
    for position, first in enumerate(pinned):
        for second in pinned[position + 1 :]:
            pair = (first, second)
            if (
                pair in problem.common_students
                and scenario.pins[first].period == scenario.pins[second].period
            ):
                reasons.append(
                    f"{capital(the_exams(problem, pair))} are both pinned to "
                    f"{the_period(problem, scenario.pins[first].period)} "
                    f"but share {counted(len(problem.common_students[pair]), 'student')}."
                )
    return reasons


def _coincidence_groups(problem: ExamProblem) -> list[set[int]]:
    parent = list(range(len(problem.exams)))

    def root(exam: int) -> int:
        while parent[exam] != exam:
            parent[exam] = parent[parent[exam]]
            exam = parent[exam]
        return exam

    for constraint in problem.period_constraints:
        if constraint.relation is PeriodRelation.EXAM_COINCIDENCE:
            parent[root(constraint.first)] = root(constraint.second)
    groups: dict[int, set[int]] = {}
    for exam in range(len(problem.exams)):
        groups.setdefault(root(exam), set()).add(exam)
    return [group for group in groups.values() if len(group) > 1]


def _contradicting_relations(problem: ExamProblem) -> list[str]:
    """Exams that must share a period but may not (shared students or an exclusion)."""
    reasons = []
    for group in _coincidence_groups(problem):
        for constraint in problem.period_constraints:
            if constraint.first in group and constraint.second in group:
                pair = (constraint.first, constraint.second)
                if constraint.relation is PeriodRelation.EXCLUSION:
                    reasons.append(
                        f"{capital(the_exams(problem, pair))} must be in the same period "
                        "(coincidence) and in different periods (exclusion)."
                    )
                elif constraint.relation is PeriodRelation.AFTER:
                    reasons.append(
                        f"{capital(the_exams(problem, pair[:1]))} must come after "
                        f"{the_exams(problem, pair[1:])}, but they must also be in the same period."
                    )
        members = sorted(group)
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                students = problem.common_students.get((first, second), ())
                if students:
                    reasons.append(
                        f"{capital(the_exams(problem, (first, second)))} must be in the same period but "
                        f"share {counted(len(students), 'student')} (for example student {students[0]})."
                    )
    return reasons


def _after_chains(problem: ExamProblem) -> list[str]:
    """The longest chain of "after" requirements must fit in the session."""
    later_than: dict[int, set[int]] = {}
    for constraint in problem.period_constraints:
        if constraint.relation is PeriodRelation.AFTER:
            later_than.setdefault(constraint.second, set()).add(constraint.first)
    longest: dict[int, list[int]] = {}
    visiting: set[int] = set()

    def chain_from(exam: int) -> list[int] | None:
        if exam in longest:
            return longest[exam]
        if exam in visiting:
            return None
        visiting.add(exam)
        best = [exam]
        for successor in later_than.get(exam, ()):
            tail = chain_from(successor)
            if tail is None:
                return None
            if len(tail) + 1 > len(best):
                best = [exam, *tail]
        visiting.discard(exam)
        longest[exam] = best
        return best

    for exam in later_than:
        chain = chain_from(exam)
        if chain is None:
            return ["The 'after' requirements form a cycle, so no order of the exams satisfies them."]
        if len(chain) > len(problem.periods):
            named = any(problem.exams[e].name for e in chain)
            order = " then ".join(exam_label(problem, e) for e in chain)
            return [
                f"{'The exams of' if named else 'Exams'} {order} must each come after the previous one: "
                f"{len(chain)} periods are needed but the session has {len(problem.periods)}."
            ]
    return []


def _conflict_clique(problem: ExamProblem) -> list[str]:
    """A group of exams that pairwise share students needs as many periods as it has exams."""
    shared: dict[int, set[int]] = {exam.index: set() for exam in problem.exams}
    for first, second in problem.common_students:
        shared[first].add(second)
        shared[second].add(first)
    best: list[int] = []
    for seed in sorted(shared, key=lambda e: -len(shared[e]))[:200]:
        clique = [seed]
        for candidate in sorted(shared[seed], key=lambda e: -len(shared[e])):
            if all(candidate in shared[member] for member in clique):
                clique.append(candidate)
        if len(clique) > len(best):
            best = clique
    if len(best) > len(problem.periods):
        shown = sorted(best)[:_SHOWN]
        listed = ", ".join(exam_label(problem, e) for e in shown) + (" ..." if len(best) > _SHOWN else "")
        return [
            f"{len(best)} exams ({listed}) each share students with all the others, so they need "
            f"{len(best)} different periods, but the session has only {_periods(problem)}."
        ]
    return []


def _periods(problem: ExamProblem) -> str:
    """'18', or for a short session of dated periods '1 (Mon 2026-12-21 at 09:00)'."""
    whens = [period_when(problem, period.index) for period in problem.periods]
    if not whens or len(whens) > _SESSION_SHOWN or None in whens:
        return str(len(whens))
    return f"{len(whens)} ({listing([when for when in whens if when])})"


def _seats(problem: ExamProblem) -> list[str]:
    if not problem.uses_rooms:
        return []
    needed = sum(exam.size for exam in problem.exams)
    offered = sum(room.capacity for room in problem.rooms) * len(problem.periods)
    if needed > offered:
        return [
            f"The exams need {needed} seats in all, but the rooms offer {offered} seats over "
            f"{counted(len(problem.periods), 'period')}."
        ]
    return []
