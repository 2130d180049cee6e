"""Compile the numba move loops once before any test: a fresh checkout compiles them on first
use (10-20 s, then cached on disk), which would otherwise eat the time limit of whichever test
calls them first."""

from __future__ import annotations

import pytest

from constraints.lessons import evaluate
from datasets import bundled_post_enrolment
from datasets.cbctt import bundled_cbctt, read_cbctt
from datasets.post_enrolment import read_post_enrolment
from models import LessonSolution
from solver.lessons.annealing import LessonAnnealer
from solver.lessons.ejection import EjectionSearch
from solver.lessons.initial import first_timetable


@pytest.fixture(scope="session", autouse=True)
def compiled_move_loops() -> None:
    lectures = read_cbctt(bundled_cbctt("comp01"))
    start = first_timetable(lectures, seed=0)
    assert start is not None
    cost = evaluate(lectures, start).total
    assert cost > 0  # else the loop would not run
    LessonAnnealer(lectures, {"room capacity": 1}, frozenset()).run(start, cost, 0.01, seed=0)
    events = read_post_enrolment(bundled_post_enrolment("comp-2007-2-1"))
    nothing = LessonSolution(
        problem_name=events.name, starts=(None,) * len(events.meetings), rooms=(None,) * len(events.meetings)
    )
    EjectionSearch(events, frozenset()).run(nothing, 0.01, seed=0)
