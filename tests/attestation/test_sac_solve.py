"""Solving attestations: the hand-made one to optimality, a small generated one within seconds, and
infeasible ones explained in words."""

from __future__ import annotations

import constraints.attestation as sac_rules
from datasets.attestation_generator import generate_attestation
from models import AttestationProblem, HearingKind, SolveParameters, SolveStatus
from solver.attestation.bounds import finish_bound
from solver.attestation.explain import capacity_shortfalls, unplaceable_hearings
from solver.attestation.greedy import greedy_attestation
from solver.attestation.parts import parts_of
from solver.attestation.solve import solve_attestation
from tests.sac_factory import D0, tiny_problem

QUICK = SolveParameters(time_limit=3, workers=1, seed=0)


def test_the_tiny_attestation_is_solved_to_optimality_and_the_checker_agrees() -> None:
    outcome = solve_attestation(tiny_problem(), QUICK)
    report = outcome.report
    assert outcome.solution is not None and outcome.evaluation is not None
    assert outcome.evaluation.feasible
    assert report.status is SolveStatus.OPTIMAL
    assert report.objective == outcome.evaluation.total == report.best_bound
    assert report.gap == 0.0
    # SE-1 sits once; CS-1 needs two days for three defences (two a day), so it ends on day 1 and
    # Gulnar's graduates (D1 in CS, D3 in SE) can still defend on one day.
    assert outcome.evaluation.breakdown()["finish early"] == 3


def test_a_generated_attestation_is_timetabled_and_reported() -> None:
    problem = generate_attestation(seed=3, commissions=4, defences=120, weeks=2)
    outcome = solve_attestation(problem, SolveParameters(time_limit=5, workers=1, seed=0))
    report = outcome.report
    assert outcome.evaluation is not None and outcome.evaluation.feasible
    assert report.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert report.objective == outcome.evaluation.total
    assert report.best_bound is not None and report.best_bound <= report.objective
    assert report.time_to_first_feasible is not None and report.time_to_first_feasible < 5
    assert report.variables > 0 and report.problem_kind == "attestation"
    assert outcome.solution is not None
    assert all(place is not None for place in outcome.solution.places)


def test_the_greedy_timetable_keeps_every_hard_rule() -> None:
    problem = generate_attestation(seed=5, commissions=6, defences=200, weeks=2)
    start = greedy_attestation(problem)
    assert start is not None
    assert sac_rules.evaluate(problem, start).feasible


def test_the_generated_attestation_has_the_size_asked_for() -> None:
    problem = generate_attestation(seed=1)
    defences = [h for h in problem.hearings if h.kind is HearingKind.DEFENCE]
    assert len(problem.commissions) == 30 and len(defences) == 1200 and len(problem.days) == 15
    assert all(h.commission is not None for h in problem.hearings)
    assert generate_attestation(seed=1) == problem


def test_parts_bound_their_commissions_finish() -> None:
    problem = tiny_problem()
    parts = parts_of(problem)
    # Chingis sits on both commissions, so they form one part.
    assert [sorted(part.commissions) for part in parts] == [[0, 1]]
    # CS-1 needs two days (three defences, two a day): it ends on day 1 at the earliest.
    assert finish_bound(problem, parts[0]) == 1


def _crowded() -> AttestationProblem:
    """Three defences, but CS-1 hears two a day and sits on day 0 only: Dana, Erlan and Farida are away."""
    problem = tiny_problem()
    people = [
        p.model_copy(update={"unavailable_days": frozenset({1})}) if p.index in (3, 4, 5) else p
        for p in problem.people
    ]
    return AttestationProblem.model_validate(
        {**problem.model_dump(), "people": [p.model_dump() for p in people]}
    )


def test_capacity_shortfall_is_explained_before_solving() -> None:
    reasons = capacity_shortfalls(_crowded())
    assert reasons == [
        "Commission CS-1 has 3 defences but can hear only 2: "
        "1 sitting days with a quorum present, at most 2 a day"
    ]
    outcome = solve_attestation(_crowded(), QUICK)
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.report.explanation == reasons
    assert outcome.solution is None


def _unjudgeable() -> AttestationProblem:
    """D0 is supervised by the chair and reviewed by the deputy: no one may preside over it."""
    problem = tiny_problem()
    hearings = list(problem.hearings)
    hearings[D0] = hearings[D0].model_copy(update={"supervisor": 0, "reviewer": 1})
    return AttestationProblem.model_validate(
        {**problem.model_dump(), "hearings": [h.model_dump() for h in hearings]}
    )


def test_a_hearing_no_panel_may_judge_is_named_by_the_relaxation() -> None:
    problem = _unjudgeable()
    assert capacity_shortfalls(problem) == []
    reasons = unplaceable_hearings(problem, time_limit=3, workers=1)
    assert reasons == ["CS-1 (CS) cannot hear 1 of its hearings with every hard rule kept: D0"]
    outcome = solve_attestation(problem, QUICK)
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.report.explanation == reasons
