"""The compiled ejection search for post-enrolment timetables: it keeps every hard rule, its
tracked cost is the checker's distance to feasibility (+1 per event left out), pins stay, and it
places events a first timetable left out."""

from __future__ import annotations

from typing import Any

import pytest

import solver.lessons.solve as lesson_solve
from constraints.lessons import evaluate
from datasets import bundled_post_enrolment
from datasets.post_enrolment import read_post_enrolment
from models import LessonProblem, LessonSolution, Pin, Scenario, SolveParameters
from solver.lessons.ejection import EjectionRun, EjectionSearch, _search, applies
from solver.lessons.initial import first_timetable
from solver.lessons.repair import left_out
from solver.lessons.solve import RUIN_SHARE, solve_lessons
from tests.compiled import helpers_reached
from tests.lesson_factory import random_lessons


def emptied(problem: LessonProblem, solution: LessonSolution, keep: int) -> LessonSolution:
    """The timetable with all but every `keep`-th event taken out."""
    starts = [s if e % keep == 0 else None for e, s in enumerate(solution.starts)]
    rooms = [r if e % keep == 0 else None for e, r in enumerate(solution.rooms)]
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


@pytest.mark.parametrize("name", ["comp-2007-2-1", "comp-2007-2-2", "comp-2007-2-10"])
def test_events_go_back_in_and_the_distance_is_the_checkers(name: str) -> None:
    problem = read_post_enrolment(bundled_post_enrolment(name))
    first = first_timetable(problem, seed=1, time_budget=1.0, partial=True)
    assert first is not None
    start = emptied(problem, first, keep=3)  # two in three events out
    before = evaluate(problem, start)
    run = EjectionSearch(problem, frozenset()).run(start, 2.0, seed=1)
    evaluation = evaluate(problem, run.solution)
    missing = left_out(run.solution)
    assert run.steps > 10_000
    # only the distance to feasibility may be broken: no clash, no wrong room, no wrong order
    broken = {v.constraint for v in evaluation.violations(hard=True)}
    assert broken <= {"distance to feasibility"}, broken
    assert evaluation.hard_violations + len(missing) == run.cost
    assert len(missing) < len(left_out(start)) / 4 and evaluation.hard_violations < before.hard_violations


def test_an_easy_instance_is_completed() -> None:
    problem = read_post_enrolment(bundled_post_enrolment("comp-2007-2-16"))
    first = first_timetable(problem, seed=2, time_budget=1.0, partial=True)
    assert first is not None
    run = EjectionSearch(problem, frozenset()).run(emptied(problem, first, keep=2), 10.0, seed=2)
    evaluation = evaluate(problem, run.solution)
    assert evaluation.feasible and run.cost == 0 and not left_out(run.solution)


def test_pinned_events_stay_where_they_are() -> None:
    problem = read_post_enrolment(bundled_post_enrolment("comp-2007-2-2"))
    first = first_timetable(problem, seed=3, time_budget=1.0, partial=True)
    assert first is not None
    start = emptied(problem, first, keep=2)
    pins = frozenset(e for e in range(0, len(problem.meetings), 4) if start.starts[e] is not None)
    run = EjectionSearch(problem, pins).run(start, 1.0, seed=3)
    for event in pins:
        assert (run.solution.starts[event], run.solution.rooms[event]) == (
            start.starts[event],
            start.rooms[event],
        )


def test_it_refuses_other_problems() -> None:
    problem = random_lessons(1)
    assert not applies(problem)
    with pytest.raises(ValueError, match="post-enrolment"):
        EjectionSearch(problem, frozenset())


def test_the_ejection_loop_calls_no_compiled_function() -> None:
    """Finding a room, lifting and putting an event and the relocation are closures inside the
    loop: a compiled function given an array takes and gives back a reference on it at every call
    (as closures, the same steps go 1.3-2.5 times as quick: findings)."""
    assert helpers_reached(_search) == {}


def _whole_start(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[LessonProblem, LessonSolution, list[LessonSolution]]:
    """comp-2007-2-16, whose forward search places every event, as the solver's first timetable, and
    the starts the ejection search is then given."""
    problem = read_post_enrolment(bundled_post_enrolment("comp-2007-2-16"))
    whole = first_timetable(problem, seed=0, time_budget=30.0, partial=True)
    assert whole is not None and not left_out(whole)
    monkeypatch.setattr(lesson_solve, "first_timetable", lambda *_args, **_kwargs: whole)
    given: list[LessonSolution] = []
    run = EjectionSearch.run

    def spied(search: EjectionSearch, start: LessonSolution, *args: Any, **kwargs: Any) -> EjectionRun:
        given.append(start)
        return run(search, start, *args, **kwargs)

    monkeypatch.setattr(EjectionSearch, "run", spied)
    return problem, whole, given


def test_a_whole_start_has_a_share_of_its_events_put_back_by_the_ejection_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The forward search packs a whole timetable so tightly that the LNS hardly moves it (findings)."""
    problem, whole, given = _whole_start(monkeypatch)
    pinned = 7
    scenario = Scenario(pins={pinned: Pin(period=whole.starts[pinned], room=whole.rooms[pinned])})
    parameters = SolveParameters(time_limit=3, workers=1, seed=0, use_lns=False)
    outcome = solve_lessons(problem, parameters, scenario)
    (start,) = given
    out = left_out(start)
    assert len(out) == int(RUIN_SHARE * (len(problem.meetings) - 1)) > 0 and pinned not in out
    kept = [m for m in range(len(problem.meetings)) if m not in out]
    assert all((start.starts[m], start.rooms[m]) == (whole.starts[m], whole.rooms[m]) for m in kept)
    assert outcome.solution is not None and not left_out(outcome.solution)
    assert outcome.solution != whole and evaluate(problem, outcome.solution, scenario).feasible


def test_a_whole_start_is_kept_when_the_events_taken_out_do_not_go_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem, whole, given = _whole_start(monkeypatch)
    monkeypatch.setattr(
        EjectionSearch, "run", lambda _search, start, *_args, **_kwargs: EjectionRun(start, 1, 0)
    )
    outcome = solve_lessons(problem, SolveParameters(time_limit=3, workers=1, seed=0, use_lns=False))
    assert outcome.solution == whole
