"""Why a teaching load cannot be distributed, in the registrar's words.

The checks before solving are proofs: each reason found makes every distribution infeasible.
When CP-SAT proves infeasibility none of them caught, `name_culprits` solves again with the hard
rules relaxed into penalties and names what the least-bad draft breaks.
"""

from __future__ import annotations

from collections import defaultdict

import constraints.load as load_rules
from constraints.load.wording import item_words, teacher_words
from models import Scenario
from models.load import ANY, LoadProblem
from models.names import closest
from solver.engine import solve_model

SHOWN = 20


def explain_infeasibility(problem: LoadProblem) -> list[str]:
    return (
        _staffing(problem)
        + _near_misses(problem)
        + _fixed(problem)
        + _pools(problem)
        + _departments(problem)
        + _minimums(problem)
    )


def _staffing(problem: LoadProblem) -> list[str]:
    return [
        f"{item_words(item)} needs {item.teachers} teacher(s) but only {len(able)} can teach it "
        f"(qualified, teaching in {item.language or 'any language'}, there in term {item.term})."
        for item, able in zip(problem.items, problem.candidates, strict=True)
        if len(able) < item.teachers
    ][:SHOWN]


def _near_misses(problem: LoadProblem) -> list[str]:
    """A teacher qualified for a code no course of the load has, which resembles one too few can teach:
    most likely the code misspelt in the teacher's records, which qualifies them for nothing."""
    short: dict[str, set[str]] = defaultdict(set)  # course: its components too few can teach
    for item, able in zip(problem.items, problem.candidates, strict=True):
        if len(able) < item.teachers:
            short[item.course].add(item.component)
    if not short:
        return []
    courses = sorted({item.course for item in problem.items})
    unknown = {code for t in problem.teachers for code, _ in t.qualifications} - {ANY, *courses}
    meant = {code: [course] for code in unknown if (course := closest(code, courses)) is not None}
    reasons = []
    for teacher in problem.teachers:
        for code, component in sorted(teacher.qualifications):
            for course in meant.get(code, ()):
                if any(
                    component in (ANY, needed) and not teacher.qualified(course, needed)
                    for needed in short.get(course, ())
                ):
                    reasons.append(
                        f"{teacher_words(problem, teacher.index)} is qualified for {code!r}"
                        f"{' ' + component if component else ''}, a code no course of the load has; "
                        f"did you mean {course!r}, which too few can teach?"
                    )
    return reasons[:SHOWN]


def _fixed(problem: LoadProblem) -> list[str]:
    reasons = []
    for item in problem.items:
        for teacher in dict.fromkeys(item.fixed):
            fault = load_rules.qualification.fault(item, problem.teachers[teacher])
            if fault is not None:
                reasons.append(
                    f"{teacher_words(problem, teacher)} is fixed on {item_words(item)} but {fault}."
                )
    fixed_hours: dict[int, int] = defaultdict(int)
    for item in problem.items:
        for teacher in set(item.fixed):
            fixed_hours[teacher] += item.share
    for teacher, fixed in sorted(fixed_hours.items()):
        most = problem.maximum(problem.teachers[teacher])
        if fixed > most:
            reasons.append(
                f"{teacher_words(problem, teacher)} is fixed on {fixed:,} hours "
                f"but may have at most {most:,}."
            )
    return reasons[:SHOWN]


def _pools(problem: LoadProblem) -> list[str]:
    """Per (course, component, language): its hours against what its possible teachers could give."""
    demand: dict[tuple[str, str, str, str], int] = defaultdict(int)
    able: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        key = (item.department, item.course, item.component, item.language)
        demand[key] += item.hours
        able[key].update(candidates)
    reasons = []
    for key, hours in sorted(demand.items()):
        capacity = sum(problem.maximum(problem.teachers[t]) for t in able[key])
        if hours > capacity:
            department, course, component, language = key
            speaking = f"{language}-speaking " if language else ""
            reasons.append(
                f"{department or 'The'} department: {hours:,} hours of {course} {component}"
                f"{' in ' + language if language else ''}; its qualified {speaking}teachers can give "
                f"at most {capacity:,}."
            )
    return reasons[:SHOWN]


def _departments(problem: LoadProblem) -> list[str]:
    """A department's load that only its own teachers can take, against all they could give."""
    demand: dict[str, int] = defaultdict(int)
    able: dict[str, set[int]] = defaultdict(set)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        demand[item.department] += item.hours
        able[item.department].update(candidates)
    reasons = []
    for department, hours in sorted(demand.items()):
        capacity = sum(problem.maximum(problem.teachers[t]) for t in able[department])
        if hours > capacity:
            reasons.append(
                f"{department or 'The'} department: {hours:,} hours of load; every teacher who could take "
                f"any of it together can give at most {capacity:,}."
            )
    return reasons[:SHOWN]


def _minimums(problem: LoadProblem) -> list[str]:
    """A teacher whose minimum exceeds what they may have, or all the hours they could be given."""
    reachable = [0] * len(problem.teachers)
    for item, candidates in zip(problem.items, problem.candidates, strict=True):
        for teacher in candidates:
            reachable[teacher] += item.share
    reasons = []
    for t in problem.teachers:
        most = problem.maximum(t)
        if t.minimum > most:
            reasons.append(
                f"{teacher_words(problem, t.index)} must have at least {t.minimum:,} hours but may have "
                f"at most {most:,} (a norm of {min(t.norm, problem.contact_cap):,} hours at a rate of "
                f"{t.rate:g})."
            )
        elif t.minimum > reachable[t.index]:
            reasons.append(
                f"{teacher_words(problem, t.index)} must have at least {t.minimum:,} hours but could be "
                f"given only {reachable[t.index]:,}."
            )
    return reasons[:SHOWN]


RELAXED = frozenset(
    {
        load_rules.coverage.NAME,
        load_rules.load_limits.NAME,
        load_rules.fixed.NAME,
        load_rules.qualification.NAME,
    }
)
# A relaxed hard rule's weight, far above any soft criterion's: an hour outside a teacher's limits,
# and a hundred times that for a seat left empty or taken wrongly, so the draft rather bends limits.
HOUR_BREACH = 1_000
SEAT_BREACH = 100 * HOUR_BREACH


def name_culprits(problem: LoadProblem, scenario: Scenario, time_limit: float, workers: int) -> list[str]:
    """Solve with the hard rules as penalties; the rules the best draft still breaks are the culprits."""
    from solver.load.model import LoadCpModel  # the model imports nothing from here; keep it so

    draft = LoadCpModel(problem, relaxed=RELAXED)
    weights = {name: SEAT_BREACH for name in RELAXED} | {load_rules.load_limits.NAME: HOUR_BREACH}
    draft.post(load_rules.HARD_UNITS, weights)
    run = solve_model(
        draft.model, draft.decision_variables(), time_limit=max(1.0, time_limit), workers=workers, seed=0
    )
    if not run.has_solution:
        return ["No distribution keeps every hard rule (proved by CP-SAT); no draft was found in time."]
    evaluation = load_rules.evaluate(problem, draft.decode(run.values), scenario)
    broken = evaluation.violations(hard=True)
    return [
        "No distribution keeps every hard rule (proved by CP-SAT). The closest draft breaks "
        f"{len(broken)} of them:"
    ] + [f"{violation.constraint}: {violation.message}" for violation in broken[:SHOWN]]
