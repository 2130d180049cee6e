"""The compiled annealing of UD2 timetables: every move keeps the hard rules, its tracked cost is
the checker's, pins stay, and it improves a first timetable."""

from __future__ import annotations

import pytest

from constraints.lessons import evaluate, units_for
from datasets.cbctt import bundled_cbctt, read_cbctt
from models import LessonProblem, LessonSolution
from solver.lessons import annealing
from solver.lessons.annealing import LessonAnnealer, _anneal, applies
from solver.lessons.enrolment_annealing import EnrolmentAnnealer
from solver.lessons.initial import first_timetable
from tests.compiled import helpers_reached
from tests.lesson_factory import random_lessons


def soft_weights(problem: LessonProblem) -> dict[str, int]:
    return {unit.NAME: unit.weight(problem) for unit in units_for(problem) if not unit.HARD}


def one_period_lessons(seed: int) -> LessonProblem:
    """The factory's small UD2 problems with every meeting one period long (CB-CTT lectures)."""
    problem = random_lessons(seed)
    sections = tuple(s.model_copy(update={"meetings": (1,) * len(s.meetings)}) for s in problem.sections)
    return problem.replaced(sections=sections)


def start(problem: LessonProblem, seed: int) -> tuple[LessonSolution, int] | None:
    timetable = first_timetable(problem, seed=seed, time_budget=5)
    if timetable is None or any(s is None for s in timetable.starts):
        return None
    evaluation = evaluate(problem, timetable)
    assert evaluation.feasible
    return timetable, evaluation.total


@pytest.mark.parametrize("name", ["comp01", "comp05", "comp07"])
def test_hot_and_cold_walks_are_priced_as_the_checker_does(name: str) -> None:
    problem = read_cbctt(bundled_cbctt(name))
    begun = start(problem, seed=1)
    assert begun is not None
    timetable, cost = begun
    annealer = LessonAnnealer(problem, soft_weights(problem), frozenset())
    walk_hot_then_cold(annealer, problem, timetable, cost, ((50.0, 20.0), (1.0, 0.05)), 10_000)


def walk_hot_then_cold(
    annealer: LessonAnnealer | EnrolmentAnnealer,
    problem: LessonProblem,
    timetable: LessonSolution,
    cost: int,
    temperatures: tuple[tuple[float, float], ...],
    moves: int,
) -> int:
    """A hot walk accepts most moves, a cold one few: each from where the last ended, each ending
    where the checker agrees with it, and keeping every hard rule. The last walk's cost."""
    for hot_cold in temperatures:
        run = annealer.run(timetable, cost, 1.0, seed=3, temperatures=hot_cold)
        assert run.moves > moves
        for solution, tracked in ((run.solution, run.cost), (run.last, run.last_cost)):
            evaluation = evaluate(problem, solution)
            assert evaluation.feasible, evaluation.violations(hard=True)[:3]
            assert evaluation.total == tracked
        assert run.cost <= cost and run.cost <= run.last_cost
        timetable, cost = run.last, run.last_cost
    return cost


@pytest.mark.parametrize("kempe", [annealing.KEMPE, 1.0])
def test_small_problems_every_soft_rule_tracked_exactly(
    kempe: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annealing, "KEMPE", kempe)
    checked = 0
    for seed in range(40):
        problem = one_period_lessons(seed)
        begun = start(problem, seed)
        if begun is None or not applies(problem):
            continue
        timetable, cost = begun
        annealer = LessonAnnealer(problem, soft_weights(problem), frozenset())
        run = annealer.run(timetable, cost, 0.05, seed=seed, temperatures=(5.0, 1.0))
        assert evaluate(problem, run.last).total == run.last_cost
        assert evaluate(problem, run.solution).total == run.cost
        assert evaluate(problem, run.last).feasible
        checked += 1
    assert checked >= 20


def test_pinned_lectures_stay_and_the_cost_falls() -> None:
    problem = read_cbctt(bundled_cbctt("comp01"))
    begun = start(problem, seed=2)
    assert begun is not None
    timetable, cost = begun
    pins = frozenset({0, 40, 90})
    run = LessonAnnealer(problem, soft_weights(problem), pins).run(timetable, cost, 2.0, seed=1)
    for meeting in pins:
        assert run.solution.starts[meeting] == timetable.starts[meeting]
        assert run.solution.rooms[meeting] == timetable.rooms[meeting]
    assert run.cost < cost and run.improvements > 0


def test_it_refuses_what_it_cannot_price() -> None:
    problem = random_lessons(1)
    two_periods = problem.sections[0].model_copy(update={"meetings": (2,)})
    longer = problem.replaced(sections=(two_periods, *problem.sections[1:]))
    assert not applies(longer)
    with pytest.raises(ValueError, match="one-period"):
        LessonAnnealer(longer, soft_weights(longer), frozenset())


def test_the_move_loop_calls_no_compiled_function() -> None:
    """Placing a meeting, the conflict test and the local cost are closures inside the loop: a
    compiled function given an array, even inlined, takes and gives back a reference on it at every
    call (about half a proposal's time with them inlined, findings)."""
    assert helpers_reached(_anneal) == {}


@pytest.mark.parametrize("name", ["comp01", "comp05"])
def test_kempe_chains_alone_keep_every_rule_and_price_exactly(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every proposal a Kempe chain between two periods (a lecture, the lectures of the other
    period sharing a course, teacher or curriculum with it, and so on), each in its own room where
    that is free: the walk keeps every hard rule, its cost is the checker's, pins stay."""
    monkeypatch.setattr(annealing, "KEMPE", 1.0)
    problem = read_cbctt(bundled_cbctt(name))
    begun = start(problem, seed=3)
    assert begun is not None
    timetable, cost = begun
    pins = frozenset(range(0, len(problem.meetings), 7))
    annealer = LessonAnnealer(problem, soft_weights(problem), pins)
    ended = walk_hot_then_cold(annealer, problem, timetable, cost, ((50.0, 20.0), (1.0, 0.05)), 10_000)
    assert ended < cost
    run = annealer.run(timetable, cost, 0.5, seed=6, temperatures=(50.0, 20.0))
    assert_many_moved_pins_kept(problem, timetable, run.last, pins)


def assert_many_moved_pins_kept(
    problem: LessonProblem, start: LessonSolution, end: LessonSolution, pins: frozenset[int]
) -> None:
    """A hot walk moved over a quarter of the meetings to other periods, none of the pinned ones,
    whose rooms stay too."""
    moved = [m for m in range(len(problem.meetings)) if end.starts[m] != start.starts[m]]
    assert len(moved) > len(problem.meetings) / 4 and not set(moved) & pins
    assert all(end.rooms[m] == start.rooms[m] for m in pins)
