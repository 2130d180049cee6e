"""Compile the numba loops (lesson annealing, post-enrolment ejection and annealing, load annealing
and pricing, with and without cuts) into their on-disk cache, so that no measured run's (or test's,
or user's) time limit pays the 10-40 s a fresh checkout needs once. `make install` runs this module;
the tests and the benchmarks call it again (loading the cache takes a second or two)."""

from __future__ import annotations

from datasets import bundled_post_enrolment, read_post_enrolment
from datasets.cbctt import bundled_cbctt, read_cbctt


def compile_move_loops() -> None:
    """Run each compiled loop once on a small case."""
    import constraints.load as load_rules
    from constraints.lessons import evaluate
    from datasets.load_generator import generate_load
    from models import LessonSolution, Scenario
    from solver.lessons.annealing import LessonAnnealer
    from solver.lessons.ejection import EjectionSearch
    from solver.lessons.enrolment_annealing import EnrolmentAnnealer
    from solver.lessons.initial import first_timetable
    from solver.load.columns import LoadColumns
    from solver.load.components import split
    from solver.load.cuts import CutProgramme
    from solver.load.greedy import greedy_load
    from solver.load.local_search import LoadAnnealer

    lectures = read_cbctt(bundled_cbctt("comp01"))
    start = first_timetable(lectures, seed=0)
    assert start is not None
    cost = evaluate(lectures, start).total
    assert cost > 0  # else the loop would not run
    LessonAnnealer(lectures, {"room capacity": 1}, frozenset()).run(start, cost, 0.01, seed=0)
    events = read_post_enrolment(bundled_post_enrolment("comp-2007-2-1"))
    nothing = (None,) * len(events.meetings)
    EjectionSearch(events, frozenset()).run(
        LessonSolution(problem_name=events.name, starts=nothing, rooms=nothing), 0.01, seed=0
    )
    events = read_post_enrolment(bundled_post_enrolment("comp-2007-2-16"))  # placed whole at once
    whole = first_timetable(events, seed=0, time_budget=10.0, partial=True)
    assert whole is not None and None not in whole.starts
    EnrolmentAnnealer(events, {"single class on a day": 1}, frozenset()).run(
        whole, evaluate(events, whole).total, 0.01, seed=0
    )
    year = split(generate_load(teachers=40, sections=200, seed=3))[0].problem
    weights = load_rules.weights_for(year, Scenario())
    LoadAnnealer(year, weights, None, greedy_load(year)).step(1.0, 100, seed=0)
    columns = LoadColumns(year, weights, None)
    columns.lagrangian({})
    # The pricing under subset-row cuts: a cut over three of a teacher's items of one term.
    teacher = columns.loads[0]
    term = [i for i in teacher.items if year.items[i].term == year.items[teacher.items[0]].term]
    teacher.cheapest({}, CutProgramme(teacher, {tuple(term[:3]): 1.0}))


if __name__ == "__main__":
    compile_move_loops()
