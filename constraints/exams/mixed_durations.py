"""Exams sharing a room in a period should all last the same time."""

from __future__ import annotations

from ortools.sat.python import cp_model

from constraints.exams.placement import room_periods
from constraints.exams.view import ExamModelView
from constraints.exams.wording import exams_listing, listing
from models import ExamProblem, ExamSolution, Scoring, Violation

NAME = "mixed durations"
HARD = False


def weight(problem: ExamProblem) -> int:
    return problem.weightings.non_mixed_durations


def count(problem: ExamProblem, solution: ExamSolution) -> list[Violation]:
    """One violation per room and period; cost: its number of different durations minus one."""
    if problem.scoring is not Scoring.ITC2007:
        return []
    violations = []
    for (period, room), exams in sorted(room_periods(problem, solution).items()):
        durations = sorted({problem.exams[exam].duration for exam in exams})
        if len(durations) < 2:
            continue
        violations.append(
            Violation(
                constraint=NAME,
                hard=HARD,
                cost=len(durations) - 1,
                exams=tuple(exams),
                rooms=(room,),
                periods=(period,),
                message=(
                    f"Room {room} in period {period} holds {exams_listing(exams)} "
                    f"of {len(durations)} different durations ({listing(durations)} minutes)"
                ),
            )
        )
    return violations


def post(view: ExamModelView) -> cp_model.LinearExprT:
    problem = view.problem
    model = view.model
    terms: list[cp_model.LinearExprT] = []
    for (period, room), candidates in view.free_placements.items():
        fixed_durations = {problem.exams[other].duration for other in view.fixed_in(period, room)}
        by_duration: dict[int, list] = {}
        for exam, literal in candidates:
            duration = problem.exams[exam].duration
            if duration not in fixed_durations:
                by_duration.setdefault(duration, []).append(literal)
        used = []
        for duration, literals in by_duration.items():
            flag = model.new_bool_var(f"duration_used[{period},{room},{duration}]")
            _post_any(model, flag, literals)
            used.append(flag)
        if not used:
            continue
        if fixed_durations:
            terms.extend(used)
        elif len(used) > 1:
            occupied = model.new_bool_var(f"room_used[{period},{room}]")
            _post_any(model, occupied, used)
            terms.append(sum(used) - occupied)
    return sum(terms)


def _post_any(model: cp_model.CpModel, flag: cp_model.IntVar, literals: list[cp_model.IntVar]) -> None:
    """`flag` is true exactly when one of `literals` is, as linear bounds: posted as a max
    equality, CP-SAT 9.15 reports objectives that are not those of the solutions it returns."""
    for literal in literals:
        model.add(flag >= literal)
    model.add(flag <= sum(literals))
