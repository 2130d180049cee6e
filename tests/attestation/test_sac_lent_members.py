"""Commissions lending each other a member: pricing the lent member's days bounds the pair above
what the commissions alone do, never above the pair's optimum, and yields a timetable of the pair."""

from __future__ import annotations

import datetime as dt

import constraints.attestation as sac_rules
from datasets.attestation_generator import generate_attestation
from models import (
    AttestationDay,
    AttestationProblem,
    AttestationRoom,
    Commission,
    Hearing,
    Person,
    Scenario,
    SolveParameters,
    SolveStatus,
)
from solver.attestation.lent_members import LentMembers, _priced_single
from solver.attestation.parts import Part, parts_of
from solver.attestation.solve import solve_attestation

LENT = 2  # Chingis sits on both commissions


def lent_pair() -> AttestationProblem:
    """A-1 (chair 0, deputy 1, Chingis) and B-1 (chair 3, deputy 4, Chingis), one defence each
    (and one a day at most, so a day with it is full), two days. Both deputies are away on day 0,
    so each commission's quorum of two needs Chingis there: only one commission can sit on day 0;
    the other sits on day 1, and finishing a day later costs 3. Alone, each sits on day 0 at no
    cost."""
    names = ("Aida", "Bolat", "Chingis", "Galym", "Hanna", "Erlan", "Gulnar")
    people = [Person(index=i, name=name) for i, name in enumerate(names)]
    for deputy in (1, 4):
        people[deputy] = people[deputy].model_copy(update={"unavailable_days": frozenset({0})})
    return AttestationProblem(
        name="lent",
        days=tuple(
            AttestationDay(index=i, date=dt.date(2027, 6, 1 + i), start=dt.time(10, 0), slots=8)
            for i in range(2)
        ),
        rooms=(
            AttestationRoom(index=0, name="R0", capacity=10),
            AttestationRoom(index=1, name="R1", capacity=10),
        ),
        people=tuple(people),
        commissions=(
            Commission(
                index=0,
                name="A-1",
                programme="A",
                chair=0,
                deputy=1,
                members=(0, 1, LENT),
                max_defences_per_day=1,
            ),
            Commission(
                index=1,
                name="B-1",
                programme="B",
                chair=3,
                deputy=4,
                members=(3, 4, LENT),
                max_defences_per_day=1,
            ),
        ),
        hearings=(
            Hearing(index=0, name="DA", programme="A", commission=0, slots=2, supervisor=5),
            Hearing(index=1, name="DB", programme="B", commission=1, slots=2, supervisor=6),
        ),
    )


def test_pricing_the_lent_members_day_proves_the_pair_optimum_the_singles_miss() -> None:
    problem = lent_pair()
    (part,) = parts_of(problem)
    assert part.commissions == [0, 1]
    pair = LentMembers(problem, part, Scenario(), None)
    pair.rounds(30, workers=1, seed=0)
    alone = [
        _priced_single(problem, Part([c], [c]), Scenario(), {}, 10, 1, 0, None)[1] for c in part.commissions
    ]
    assert alone == [0, 0]
    assert pair.bound == 3
    assert pair.cost == 3 and pair.proven
    local = pair.local()
    assert local is not None
    evaluation = sac_rules.evaluate(problem, local, Scenario())
    assert evaluation.feasible and evaluation.total == 3
    assert evaluation.breakdown()["finish early"] == 3


def test_the_whole_solve_reports_the_pair_proven_optimal() -> None:
    outcome = solve_attestation(lent_pair(), SolveParameters(time_limit=10, workers=1, seed=0))
    assert outcome.report.status is SolveStatus.OPTIMAL
    assert outcome.report.objective == outcome.report.best_bound == 3


def test_the_priced_bound_never_passes_the_pairs_optimum() -> None:
    """On a small generated attestation, every linked part's priced bound is at most the cost of
    the part's optimum (solved whole by CP-SAT to a proof)."""
    from solver.attestation.parts import sub_problem
    from solver.attestation.solve import build_model
    from solver.engine import solve_model

    problem = generate_attestation(seed=4, commissions=8, defences=160, weeks=1)
    linked = [part for part in parts_of(problem) if len(part.commissions) > 1]
    assert linked, "the generated case should link some commissions by a lent member"
    checked = 0
    for part in linked:
        if any(problem.hearings[h].commission is None for h in part.hearings):
            continue
        pair = LentMembers(problem, part, Scenario(), None)
        pair.rounds(20, workers=1, seed=0)
        exact = build_model(sub_problem(problem, part, {}), Scenario())
        run = solve_model(exact.model, exact.decision_variables(), time_limit=60, workers=2, seed=0)
        assert run.proven_optimal and run.objective is not None
        assert pair.bound <= round(run.objective)
        if pair.cost is not None:
            assert pair.cost >= round(run.objective)
        checked += 1
    assert checked
