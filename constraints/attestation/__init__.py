"""The State Attestation Commission rules, one unit each, and the checker that scores timetables."""

from __future__ import annotations

from types import ModuleType

from constraints.attestation import (
    balanced_days,
    daily_limit,
    finish_early,
    idle_gaps,
    panel,
    person_double_booking,
    placement,
    preferred_days,
    quorum,
    recusal,
    room_double_booking,
    sitting_hours,
    sitting_room,
    supervisor_days,
)
from constraints.base import evaluate_units, scenario_weights
from models import AttestationProblem, AttestationSolution, Evaluation, Scenario

HARD: tuple[ModuleType, ...] = (
    placement,
    sitting_hours,
    sitting_room,
    panel,
    quorum,
    recusal,
    daily_limit,
    person_double_booking,
    room_double_booking,
)
SOFT: tuple[ModuleType, ...] = (supervisor_days, idle_gaps, balanced_days, preferred_days, finish_early)
UNITS = HARD + SOFT


def units_for(problem: AttestationProblem) -> tuple[ModuleType, ...]:
    """Every attestation is judged by all the rules."""
    return UNITS


def weights_for(problem: AttestationProblem, scenario: Scenario) -> dict[str, int]:
    """Each soft rule's weight in this scenario (0 when switched off)."""
    return scenario_weights(SOFT, problem, scenario)


def evaluate(
    problem: AttestationProblem, solution: AttestationSolution, scenario: Scenario | None = None
) -> Evaluation:
    """Check an attestation timetable against every rule; a scenario reweighs or switches off soft ones."""
    return evaluate_units(units_for(problem), problem, solution, scenario)
