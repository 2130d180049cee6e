"""A cancel reaches into solves of many parts: the CP-SAT solve under way stops and the steps after
it get no time, so a teaching-load or attestation run asked to stop ends with what it has instead
of at its time limit."""

from __future__ import annotations

import threading
from collections.abc import Callable

import constraints.attestation as sac_rules
import constraints.load as load_rules
from datasets.attestation_generator import generate_attestation
from datasets.load_generator import generate_load
from models import SolveParameters, SolveStatus
from solver.attestation.solve import solve_attestation
from solver.engine import Clock, cancellable, stopped
from solver.load.solve import solve_load

LONG = SolveParameters(time_limit=300, workers=2, seed=0)


def raised_after(seconds: float) -> Callable[[], bool]:
    flag = threading.Event()
    threading.Timer(seconds, flag.set).start()
    return flag.is_set


def test_a_clock_has_no_time_left_once_told_to_stop() -> None:
    clock = Clock(100)
    flag = threading.Event()
    with cancellable(flag.is_set):
        assert clock.remaining() > 99 and not stopped()
        flag.set()
        assert clock.remaining() == 0 and stopped()
        flag.clear()
        assert clock.remaining() == 0  # once raised it stays raised
    assert clock.remaining() > 99  # outside, the signal is gone


def test_a_cancelled_load_solve_ends_early_with_a_checked_distribution() -> None:
    problem = generate_load(300, 1500, seed=1)
    with cancellable(raised_after(5)):
        outcome = solve_load(problem, LONG)
    report = outcome.report
    assert outcome.solution is not None and report.status is SolveStatus.FEASIBLE
    assert report.elapsed < 100  # of the 300 s it was given
    evaluation = load_rules.evaluate(problem, outcome.solution)
    assert evaluation.feasible and evaluation.total == report.objective


def test_a_cancelled_attestation_solve_ends_early_with_a_checked_timetable() -> None:
    problem = generate_attestation(seed=1)
    with cancellable(raised_after(5)):
        outcome = solve_attestation(problem, LONG)
    report = outcome.report
    assert outcome.solution is not None and report.status is SolveStatus.FEASIBLE
    assert report.elapsed < 100
    evaluation = sac_rules.evaluate(problem, outcome.solution)
    assert evaluation.feasible and evaluation.total == report.objective
