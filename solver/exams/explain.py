"""Why an exam session cannot be timetabled, in the words of the people who plan it.

These are proofs, not guesses: each reason found here makes every timetable infeasible. They are
checked before any solving, so an impossible request is answered at once.
"""

from __future__ import annotations

from constraints.exams.wording import counted
from models import ExamProblem, PeriodRelation, Scenario


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
    return [
        f"Exam {exam.index} lasts {exam.duration} minutes but the longest period is {longest} minutes."
        for exam in problem.exams
        if exam.duration > longest
    ]


def _too_large(problem: ExamProblem) -> list[str]:
    if not problem.uses_rooms:
        return []
    largest = max((room.capacity for room in problem.rooms), default=0)
    return [
        f"Exam {exam.index} has {exam.size} students but the largest room seats {largest}."
        for exam in problem.exams
        if exam.size > largest
    ]


def _bad_pins(problem: ExamProblem, scenario: Scenario) -> list[str]:
    reasons = []
    for exam, pin in scenario.pins.items():
        if exam >= len(problem.exams):
            reasons.append(f"A pin names exam {exam}, but there are only {len(problem.exams)} exams.")
        elif pin.period >= len(problem.periods):
            reasons.append(f"Exam {exam} is pinned to period {pin.period}, which does not exist.")
        elif problem.periods[pin.period].duration < problem.exams[exam].duration:
            reasons.append(f"Exam {exam} is pinned to period {pin.period}, which is too short for it.")
        elif pin.room is not None and pin.room >= len(problem.rooms):
            reasons.append(f"Exam {exam} is pinned to room {pin.room}, which does not exist.")
    pinned = sorted(e for e in scenario.pins if e < len(problem.exams))
    for position, first in enumerate(pinned):
        for second in pinned[position + 1 :]:
            pair = (first, second)
            if (
                pair in problem.common_students
                and scenario.pins[first].period == scenario.pins[second].period
            ):
                reasons.append(
                    f"Exams {first} and {second} are both pinned to period {scenario.pins[first].period} "
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
                if constraint.relation is PeriodRelation.EXCLUSION:
                    reasons.append(
                        f"Exams {constraint.first} and {constraint.second} must be in the same period "
                        "(coincidence) and in different periods (exclusion)."
                    )
                elif constraint.relation is PeriodRelation.AFTER:
                    reasons.append(
                        f"Exam {constraint.first} must come after exam {constraint.second}, but they "
                        "must also be in the same period."
                    )
        members = sorted(group)
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                students = problem.common_students.get((first, second), ())
                if students:
                    reasons.append(
                        f"Exams {first} and {second} must be in the same period but share "
                        f"{counted(len(students), 'student')} (for example student {students[0]})."
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
            order = " then ".join(str(e) for e in chain)
            return [
                f"Exams {order} must each come after the previous one: {len(chain)} periods are needed "
                f"but the session has {len(problem.periods)}."
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
        listed = ", ".join(str(e) for e in sorted(best)[:12]) + (" ..." if len(best) > 12 else "")
        return [
            f"{len(best)} exams ({listed}) each share students with all the others, so they need "
            f"{len(best)} different periods, but the session has only {len(problem.periods)}."
        ]
    return []


def _seats(problem: ExamProblem) -> list[str]:
    if not problem.uses_rooms:
        return []
    needed = sum(exam.size for exam in problem.exams)
    offered = sum(room.capacity for room in problem.rooms) * len(problem.periods)
    if needed > offered:
        return [
            f"The exams need {needed} seats in all, but the rooms offer {offered} seats over the "
            f"{len(problem.periods)} periods."
        ]
    return []
