"""The teaching load and the lesson timetable solved together (small cases)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

import constraints.lessons as lesson_rules
import constraints.load as load_rules
from cli.main import main
from models import (
    LessonProblem,
    LessonRoom,
    LessonSolution,
    Preference,
    ProgressPoint,
    Scenario,
    Section,
    SolveParameters,
    SolveStatus,
    Teacher,
    TimeGrid,
)
from models.load import LoadItem, LoadProblem, LoadSolution, LoadTeacher
from solver.engine import Clock, CpSatRun
from solver.lessons.solve import solve_lessons
from solver.load import together
from solver.load.apply import apply_to_lessons
from solver.load.components import of_departments
from solver.load.solve import solve_load
from solver.load.together import NotTogether, TooLarge, solve_together

QUICK = SolveParameters(time_limit=10, workers=2, seed=0)


def _mathematicians(aliya_norm: int, courses: tuple[str, ...], aliya_wants: bool) -> tuple[LoadTeacher, ...]:
    """Aliya and Bolat (30 h), both qualified for these courses' practices; Aliya may want them."""
    return tuple(
        LoadTeacher(
            index=index,
            name=name,
            department="Mathematics",
            rank="lecturer",
            norm=aliya_norm if name == "Aliya" else 30,
            qualifications=frozenset((course, "practice") for course in courses),
            languages=frozenset({"Russian"}),
            wanted=frozenset(courses) if aliya_wants and name == "Aliya" else frozenset(),
        )
        for index, name in enumerate(("Aliya", "Bolat"))
    )


def _load(**item_changes: object) -> LoadProblem:
    """Aliya (60 h) taught both practices last year and wants both courses; Bolat (30 h) may take
    either: both to Aliya or one each leaves the same deviations, so the wishes decide."""
    teachers = _mathematicians(60, ("MAT101", "MAT103"), aliya_wants=True)
    items = tuple(
        LoadItem(
            index=index,
            name=f"{course} P1",
            course=course,
            department="Mathematics",
            component="practice",
            language="Russian",
            hours=30,
            previous=(0,),
            section=f"{course} P1",
        ).model_copy(update=item_changes)
        for index, course in enumerate(("MAT101", "MAT103"))
    )
    return LoadProblem(name="two practices", teachers=teachers, items=items)


def _week(days: int = 1) -> LessonProblem:
    """Both practices can only meet in the first period (of each day), in two rooms."""
    grid = TimeGrid(days=tuple(f"D{d + 1}" for d in range(days)), periods_per_day=2)
    return LessonProblem(
        name="week",
        grid=grid,
        rooms=(LessonRoom(index=0, name="101", capacity=30), LessonRoom(index=1, name="102", capacity=30)),
        teachers=(Teacher(index=0, name="Aliya"),),
        sections=tuple(
            Section(
                index=index,
                name=f"{course} P1",
                course=course,
                component="practice",
                size=25,
                meetings=(1,),
                forbidden_slots=frozenset(grid.slot(d, 1) for d in range(days)),
            )
            for index, course in enumerate(("MAT101", "MAT103"))
        ),
    )


def test_the_load_and_the_timetable_together_avoid_a_clash_solving_in_turn_cannot() -> None:
    load, week = _load(), _week()
    # In turn: the load gives Aliya both practices, and the timetable must then hold both at once.
    alone = solve_load(load, QUICK)
    assert alone.solution is not None and alone.solution.teachers == ((0,), (0,))
    in_turn = solve_lessons(apply_to_lessons(week, load, alone.solution), QUICK)
    assert in_turn.evaluation is None or not in_turn.evaluation.feasible
    together = solve_together(load, week, QUICK)
    assert together.report.status is SolveStatus.OPTIMAL
    assert together.load is not None and together.lessons is not None
    assert sorted(together.load.teachers) == [(0,), (1,)]  # Bolat takes one practice
    assert together.lessons.starts == (0, 0)
    assert [section.teachers for section in together.timetable.sections] in ([(0,), (1,)], [(1,), (0,)])
    # Both checkers agree with the joint objective: one change from last year (3), one wish unmet (5).
    assert together.lesson_evaluation is not None and together.lesson_evaluation.feasible
    assert together.load_evaluation is not None
    breakdown = together.load_evaluation.breakdown()
    assert breakdown["changes from last year"] == 3 and breakdown["wanted courses"] == 5
    assert together.report.objective == together.load_evaluation.total + together.lesson_evaluation.total
    assert together.report.best_bound == together.report.objective
    assert load_rules.evaluate(load, together.load).total == together.load_evaluation.total
    assert lesson_rules.evaluate(together.timetable, together.lessons).feasible


def test_a_model_deemed_too_slow_is_still_built_when_no_pair_is_made_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Nothing published, and in turn the week cannot follow the load: the joint model is the only way
    monkeypatch.setattr(together, "SECONDS_PER_CHOICE", 10.0)
    found = solve_together(_load(), _week(), QUICK)
    assert found.report.status is SolveStatus.OPTIMAL and found.load is not None
    assert sorted(found.load.teachers) == [(0,), (1,)]


def test_a_second_day_lets_the_load_keep_last_years_teacher() -> None:
    together = solve_together(_load(), _week(days=2), QUICK)
    assert together.load is not None and together.lessons is not None
    assert together.load.teachers == ((0,), (0,))
    assert together.lessons.starts[0] != together.lessons.starts[1]
    # The engine's load and then lessons, solved in turn, were the joint model's start.
    started = together.report.progress[0]
    assert started.note == "in turn" and started.objective >= together.report.objective


# Handing one practice to Bolat costs a change and an unmet wish: 2 at these weights (8 at the defaults).
CHEAP_HANDOVER = Scenario(weights={"changes from last year": 1, "wanted courses": 1})


def test_a_teachers_time_wish_is_priced_and_hands_that_time_to_another() -> None:
    week = _week(days=2)
    # Without the wish Aliya keeps both (the test above). Strongly discouraging the first day's
    # first period (3 a period) tips it: one of them would have to meet then, so Bolat takes one
    # (2) and Aliya teaches hers on the second day.
    wary = week.teachers[0].model_copy(
        update={"preferences": {week.grid.slot(0, 0): Preference.STRONGLY_DISCOURAGED}}
    )
    together = solve_together(_load(), week.replaced(teachers=(wary,)), QUICK, CHEAP_HANDOVER)
    assert together.load is not None and together.lessons is not None
    assert sorted(together.load.teachers) == [(0,), (1,)]
    hers = together.load.teachers.index((0,))
    assert together.lessons.starts[hers] == week.grid.slot(1, 0)
    assert together.report.status is SolveStatus.OPTIMAL
    assert together.lesson_evaluation is not None and together.load_evaluation is not None
    assert together.report.objective == together.load_evaluation.total + together.lesson_evaluation.total


def test_when_cp_sat_has_no_time_for_its_start_the_pair_made_in_turn_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On a large case CP-SAT can spend what is left of the time loading its start and stop with
    # nothing (a 27-teacher department's week at 20 s did): the pair made in turn is the answer.
    def out_of_time(*args: object, **kwargs: object) -> CpSatRun:
        return CpSatRun(int(cp_model.UNKNOWN), None, None, {}, 0.0, None)

    monkeypatch.setattr(together, "solve_model", out_of_time)
    kept = solve_together(_load(), _week(days=2), QUICK)
    # still proven: the load alone is (its bound reached) and the timetable costs nothing
    assert kept.report.status is SolveStatus.OPTIMAL and kept.report.best_bound == kept.report.objective
    assert kept.lesson_evaluation is not None and kept.lesson_evaluation.total == 0
    assert kept.load is not None and kept.load.teachers == ((0,), (0,))
    assert kept.lesson_evaluation is not None and kept.lesson_evaluation.feasible
    assert kept.load_evaluation is not None
    assert kept.report.objective == kept.load_evaluation.total + kept.lesson_evaluation.total
    assert kept.report.time_to_first_feasible == kept.report.progress[0].elapsed


def test_a_teacher_away_at_the_only_time_gives_the_section_to_another() -> None:
    week = _week(days=2)
    away = week.teachers[0].model_copy(update={"unavailable": frozenset({week.grid.slot(0, 0)})})
    week = week.replaced(teachers=(away,))
    together = solve_together(_load(), week, QUICK)
    assert together.load is not None and together.lessons is not None
    # Aliya can teach on day 2 only, once: one practice there, the other on day 1 with Bolat.
    for item, (teacher,) in enumerate(together.load.teachers):
        start = together.lessons.starts[item]
        assert start is not None and (teacher == 1 or week.grid.day_of(start) == 1)
    assert sorted(together.load.teachers) == [(0,), (1,)]


def _far_apart(periods: int) -> LessonProblem:
    """One day: MAT101 P1 can meet only first thing, MAT103 P1 only last thing."""
    week = _week()
    last = periods - 1
    return week.replaced(
        grid=TimeGrid(days=("D1",), periods_per_day=periods),
        sections=(
            week.sections[0].model_copy(update={"forbidden_slots": frozenset(range(1, periods))}),
            week.sections[1].model_copy(update={"forbidden_slots": frozenset(range(last))}),
        ),
    )


def test_a_teachers_idle_periods_are_priced_and_enough_of_them_hand_a_section_to_another() -> None:
    # Three periods: Aliya keeps both and waits one period between them (1), less than what
    # handing one to Bolat costs (2).
    near = solve_together(_load(), _far_apart(3), QUICK, CHEAP_HANDOVER)
    assert near.load is not None and near.lesson_evaluation is not None and near.load_evaluation is not None
    assert near.load.teachers == ((0,), (0,))
    assert near.lesson_evaluation.breakdown()["teacher windows"] == 1
    assert near.report.objective == near.load_evaluation.total + near.lesson_evaluation.total
    # Five periods: three idle ones cost more than the 2 net, so Bolat takes one and nobody waits.
    far = solve_together(_load(), _far_apart(5), QUICK, CHEAP_HANDOVER)
    assert far.load is not None and far.lesson_evaluation is not None and far.load_evaluation is not None
    assert sorted(far.load.teachers) == [(0,), (1,)]
    assert far.lesson_evaluation.breakdown()["teacher windows"] == 0
    assert far.report.status is SolveStatus.OPTIMAL
    assert far.report.objective == near.report.objective + 1
    assert far.report.objective == far.load_evaluation.total + far.lesson_evaluation.total


def _two_buildings(last_years: bool) -> tuple[LoadProblem, LessonProblem]:
    """Aliya already gives MAT105 L1 (35 seats, so building B) first thing; MAT101 P1, the load's one
    item, can meet only right after it and only in building A (B's room is taken then)."""
    teachers = _mathematicians(30, ("MAT101",), aliya_wants=last_years)
    item = LoadItem(
        index=0,
        name="MAT101 P1",
        course="MAT101",
        department="Mathematics",
        component="practice",
        language="Russian",
        hours=30,
        previous=(0,) if last_years else (),
        section="MAT101 P1",
    )
    grid = TimeGrid(days=("D1",), periods_per_day=2)
    week = LessonProblem(
        name="two buildings",
        grid=grid,
        rooms=(
            LessonRoom(index=0, name="A101", capacity=30, building="A"),
            LessonRoom(index=1, name="B201", capacity=40, building="B", unavailable=frozenset({1})),
        ),
        teachers=(Teacher(index=0, name="Aliya"),),
        sections=(
            Section(
                index=0,
                name="MAT105 L1",
                course="MAT105",
                teachers=(0,),
                size=35,
                meetings=(1,),
                forbidden_slots=frozenset({1}),
            ),
            Section(
                index=1,
                name="MAT101 P1",
                course="MAT101",
                component="practice",
                size=25,
                meetings=(1,),
                forbidden_slots=frozenset({0}),
            ),
        ),
    )
    return LoadProblem(name="one practice", teachers=teachers, items=(item,)), week


def test_a_building_change_between_a_given_and_a_decided_section_is_priced() -> None:
    # Aliya wanted it and gave it last year: she keeps it and walks from B to A (1).
    load, week = _two_buildings(last_years=True)
    kept = solve_together(load, week, QUICK)
    assert kept.load is not None and kept.lesson_evaluation is not None and kept.load_evaluation is not None
    assert kept.load.teachers == ((0,),)
    assert kept.lesson_evaluation.breakdown()["building changes"] == 1
    assert kept.report.objective == kept.load_evaluation.total + kept.lesson_evaluation.total
    assert kept.report.best_bound == kept.report.objective
    # Nothing to choose between them in the load: the walk gives it to Bolat.
    load, week = _two_buildings(last_years=False)
    handed = solve_together(load, week, QUICK)
    assert handed.load is not None and handed.lesson_evaluation is not None
    assert handed.load.teachers == ((1,),)
    assert handed.lesson_evaluation.breakdown()["building changes"] == 0
    assert handed.report.status is SolveStatus.OPTIMAL


def test_no_pair_exists_when_nobody_else_may_teach_and_it_is_said() -> None:
    load = _load()
    alone = load.model_copy(
        update={
            "teachers": (
                load.teachers[0],
                load.teachers[1].model_copy(update={"qualifications": frozenset()}),
            )
        }
    )
    together = solve_together(alone, _week(), QUICK)
    assert together.report.status is SolveStatus.INFEASIBLE
    assert together.report.explanation[0].startswith(
        "The load can be distributed and the timetable made, but not together (proved by CP-SAT)"
    )
    # A timetable impossible whoever teaches is said so: four meetings on different days in three.
    week = _week(days=3)
    fourfold = week.sections[0].model_copy(update={"meetings": (1, 1, 1, 1), "min_days": 4})
    short = solve_together(load, week.replaced(sections=(fourfold, week.sections[1])), QUICK)
    assert short.report.status is SolveStatus.INFEASIBLE
    assert short.report.explanation[0] == "The timetable cannot be made, whoever teaches:"


def test_an_item_naming_a_section_the_timetable_lacks_and_a_large_case_are_refused() -> None:
    with pytest.raises(
        ValueError, match="load item 'MAT101 P1' names section 'MAT109 P1', which the timetable"
    ):
        solve_together(_load(section="MAT109 P1"), _week(), QUICK)
    # Given the timetable's term, another term's items keep their sections for their own timetable.
    other_term = solve_together(_load(section="MAT109 P1", term=2), _week(), QUICK, term=1)
    assert other_term.report.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert all(not section.teachers for section in other_term.timetable.sections)
    with pytest.raises(TooLarge, match="too many to decide together"):
        solve_together(_load(), _week(days=60_000), QUICK)


def _with_physics() -> tuple[LoadProblem, LessonProblem, LessonSolution]:
    """Mathematics' two practices (as above) and Physics' two lectures, Dana's and Erlan's, in the
    two-day week; the published timetable holds both rooms with the lectures first thing on day 1."""
    mathematics = _load()
    physicists = tuple(
        LoadTeacher(
            index=index,
            name=name,
            department="Physics",
            rank="lecturer",
            norm=30,
            qualifications=frozenset({(course, "lecture")}),
            languages=frozenset({"Russian"}),
        )
        for index, name, course in ((2, "Dana", "PHY101"), (3, "Erlan", "PHY102"))
    )
    lectures = tuple(
        LoadItem(
            index=index,
            name=f"{course} L1",
            course=course,
            department="Physics",
            component="lecture",
            language="Russian",
            hours=30,
            section=f"{course} L1",
        )
        for index, course in ((2, "PHY101"), (3, "PHY102"))
    )
    load = mathematics.model_copy(
        update={"teachers": mathematics.teachers + physicists, "items": mathematics.items + lectures}
    )
    week = _week(days=2)
    week = week.replaced(
        teachers=(*week.teachers, Teacher(index=1, name="Dana"), Teacher(index=2, name="Erlan")),
        sections=(
            *week.sections,
            *(
                Section(
                    index=index, name=f"{course} L1", course=course, size=25, meetings=(1,), teachers=(t,)
                )
                for index, course, t in ((2, "PHY101", 1), (3, "PHY102", 2))
            ),
        ),
    )
    first, second = week.grid.slot(0, 0), week.grid.slot(1, 0)
    published = LessonSolution(
        problem_name=week.name, starts=(second, second, first, first), rooms=(0, 1, 0, 1)
    )
    return load, week, published


def test_a_department_is_re_staffed_and_re_timed_around_the_published_timetable() -> None:
    load, week, published = _with_physics()
    mathematics = of_departments(load, {"Mathematics"})
    assert [person.name for person in mathematics.problem.teachers] == ["Aliya", "Bolat"]
    assert [item.name for item in mathematics.problem.items] == ["MAT101 P1", "MAT103 P1"]
    kept = solve_together(mathematics.problem, week, QUICK, published=published)
    assert kept.report.status is SolveStatus.OPTIMAL
    assert kept.load is not None and kept.lessons is not None
    # The lectures stay where they were published, so the practices can only meet on day 2, at
    # once: Bolat takes one.
    assert kept.lessons.starts[2:] == published.starts[2:] and kept.lessons.rooms[2:] == published.rooms[2:]
    assert kept.lessons.starts[:2] == (week.grid.slot(1, 0),) * 2
    assert sorted(kept.load.teachers) == [(0,), (1,)]
    assert [section.teachers for section in kept.timetable.sections[2:]] == [(1,), (2,)]
    assert kept.lesson_evaluation is not None and kept.lesson_evaluation.feasible
    assert kept.load_evaluation is not None
    assert kept.report.objective == kept.load_evaluation.total + kept.lesson_evaluation.total
    # With nothing published the lectures move to the second periods and Aliya keeps both.
    moved = solve_together(mathematics.problem, week, QUICK)
    assert moved.load is not None and moved.load.teachers == ((0,), (0,))
    assert moved.lessons is not None and moved.lessons.starts[2:] != published.starts[2:]


def test_the_search_shows_no_bound_below_the_load_alones(monkeypatch: pytest.MonkeyPatch) -> None:
    # CP-SAT's bound on a partial model is weak at first (-18,749 on a generated semester's
    # department, shown as a 409 % gap): progress shows the load alone's instead, as the report does.
    load, week, published = _with_physics()
    mathematics = of_departments(load, {"Mathematics"})
    plan = LoadSolution(problem_name=load.name, teachers=((1,), (0,)))
    real = together.solve_model

    def weak_at_first(*args: object, listener: Any = None, **kwargs: object) -> CpSatRun:
        listener(ProgressPoint(elapsed=0.0, objective=1_000.0, bound=-1_000.0))
        return real(*args, listener=listener, **kwargs)

    monkeypatch.setattr(together, "solve_model", weak_at_first)
    found = solve_together(mathematics.problem, week, QUICK, published=published, plan=plan)
    searched = [point for point in found.report.progress if point.note not in ("published", "in turn")]
    assert searched and searched[0].objective >= 1_000  # the weak point (shifted by any fixed part's price)
    assert min(point.bound for point in searched) >= 0  # a load's cost and a timetable's are never below


def test_the_published_pair_is_a_start_and_the_answer_when_nothing_else_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load, week, published = _with_physics()
    mathematics = of_departments(load, {"Mathematics"})
    # As published: Bolat teaches MAT101 P1 and Aliya MAT103 P1, both first thing on day 2.
    plan = LoadSolution(problem_name=load.name, teachers=((1,), (0,)))
    found = solve_together(mathematics.problem, week, QUICK, published=published, plan=plan)
    assert (
        found.load is not None and found.load_evaluation is not None and found.lesson_evaluation is not None
    )
    (start,) = [point for point in found.report.progress if point.note == "published"]
    assert start.objective >= found.report.objective
    # With neither the engine's pair nor CP-SAT's search, the published pair is the answer, checked.
    monkeypatch.setattr(together, "solve_load", lambda *args, **kwargs: SimpleNamespace(solution=None))
    monkeypatch.setattr(
        together,
        "solve_model",
        lambda *args, **kwargs: CpSatRun(int(cp_model.UNKNOWN), None, None, {}, 0.0, None),
    )
    kept = solve_together(mathematics.problem, week, QUICK, published=published, plan=plan)
    assert kept.report.status is SolveStatus.FEASIBLE
    assert kept.load == plan and kept.lessons == published
    assert kept.load_evaluation is not None and kept.lesson_evaluation is not None
    assert (
        kept.report.objective == kept.load_evaluation.total + kept.lesson_evaluation.total == start.objective
    )
    # Without the published pair there is nothing to answer with.
    assert (
        solve_together(mathematics.problem, week, QUICK, published=published).report.status
        is SolveStatus.UNKNOWN
    )


def test_only_the_departments_meetings_are_in_the_model_and_a_fixed_one_keeps_its_teacher_busy() -> None:
    load, week, _ = _with_physics()
    mathematics = of_departments(load, {"Mathematics"})
    # Aliya also gives the PHY102 lecture, published first thing on day 2 (the lectures in room 101).
    sections = list(week.sections)
    sections[3] = sections[3].model_copy(update={"teachers": (0,)})
    week = week.replaced(sections=tuple(sections))
    first, second = week.grid.slot(0, 0), week.grid.slot(1, 0)
    # Published: MAT101 P1 (Aliya's) on day 1 and MAT103 P1 (Bolat's) on day 2, in room 102.
    published = LessonSolution(
        problem_name=week.name, starts=(first, second, first, second), rooms=(1, 1, 0, 0)
    )
    plan = LoadSolution(problem_name=load.name, teachers=((0,), (1,)))
    found = solve_together(mathematics.problem, week, QUICK, published=published, plan=plan)
    assert found.report.status is SolveStatus.OPTIMAL
    assert found.load is not None and found.lessons is not None
    assert found.load_evaluation is not None and found.lesson_evaluation is not None
    assert found.lesson_evaluation.feasible and found.load_evaluation.feasible
    assert found.report.objective == found.load_evaluation.total + found.lesson_evaluation.total
    assert found.lessons.starts[2:] == (first, second)
    # Aliya, who wants both practices, cannot take the one on day 2: her lecture is there.
    on_day_2 = found.lessons.starts.index(second)
    assert found.load.teachers[on_day_2] == (1,)
    # The lectures kept in place are not in the model: fewer variables than with them pinned, which
    # the same case has when no pair keeps every rule to price them by (no plan, none made in turn).
    alone = SimpleNamespace(solution=None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(together, "solve_load", lambda *args, **kwargs: alone)
        everything = solve_together(mathematics.problem, week, QUICK, published=published)
    assert everything.report.objective == found.report.objective
    assert everything.report.variables > found.report.variables


def test_a_partial_model_prices_every_pair_at_its_checked_total_less_one_offset() -> None:
    load, week, _ = _with_physics()
    sections = list(week.sections)  # Aliya gives the PHY102 lecture too (kept in place)
    sections[3] = sections[3].model_copy(update={"teachers": (0,)})
    week = week.replaced(sections=tuple(sections))
    mathematics = of_departments(load, {"Mathematics"}).problem
    decided = together._decided_sections(mathematics, week, None)
    open_lessons, teacher_of = together._open_timetable(mathematics, week, decided)
    first, second = week.grid.slot(0, 0), week.grid.slot(1, 0)
    # The lectures on day 2 in both rooms, as the partial model keeps them; the practices on day 1
    # in one room or the other, and on day 1 both at once with a teacher each.
    kept = LessonSolution(problem_name=week.name, starts=(first, first, second, second), rooms=(0, 1, 0, 1))
    pairs = [
        (LoadSolution(problem_name=load.name, teachers=((0,), (1,))), kept),
        (LoadSolution(problem_name=load.name, teachers=((1,), (0,))), kept),
        (
            LoadSolution(problem_name=load.name, teachers=((1,), (0,))),
            kept.model_copy(update={"rooms": (1, 0, 0, 1)}),
        ),
    ]
    pins = together._kept_in_place(week, decided, kept)
    partial = together._joint_model(mathematics, open_lessons, decided, teacher_of, pins, kept, None)
    whole = together._joint_model(mathematics, open_lessons, decided, teacher_of, pins, None, None)
    assert partial is not None and whole is not None
    offsets, clock = set(), Clock(60)
    for distribution, timetable in pairs:
        start = together._start(mathematics, week, decided, None, distribution, timetable, "pair", clock)
        assert start is not None
        assert together._price(*whole, distribution, timetable, 30) == start.price
        modelled = together._price(*partial, distribution, timetable, 30)
        assert modelled is not None
        offsets.add(start.price - modelled)
    assert len(offsets) == 1


def test_the_size_counted_is_the_partial_models_when_a_start_prices_the_meetings_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load, week, published = _with_physics()
    mathematics = of_departments(load, {"Mathematics"}).problem
    plan = LoadSolution(problem_name=load.name, teachers=((1,), (0,)))
    # Staffing: 2 items x 2 teachers x 4 slots. The practices may start first thing on either day in
    # either room, 4 places each, but the lectures kept in place hold both rooms on day 1: 2 each.
    # Kept in a partial model 16 + 2 x 2 = 20 choices; pinned in a whole one 16 + 2 x 4 + 2 = 26;
    # with nothing kept, the lectures may go anywhere: 16 + 2 x 4 + 2 x 8 = 40.
    monkeypatch.setattr(together, "LARGEST_CASE", 20)
    found = solve_together(mathematics, week, QUICK, published=published, plan=plan)
    assert found.report.status is SolveStatus.OPTIMAL
    with pytest.raises(TooLarge, match="make 26 choices"):  # no plan, nor a pair made in turn
        solve_together(mathematics, week, QUICK, published=published)
    with pytest.raises(TooLarge, match="make 40 choices"):
        solve_together(mathematics, week, QUICK)


def test_a_model_too_slow_to_build_for_the_time_is_not_built_and_the_cheaper_pair_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load, week, published = _with_physics()
    mathematics = of_departments(load, {"Mathematics"}).problem
    plan = LoadSolution(problem_name=load.name, teachers=((1,), (0,)))
    # 20 choices (as counted above) at 10 s each: 200 s to build and price, of the 10 s there are
    monkeypatch.setattr(together, "SECONDS_PER_CHOICE", 10.0)
    monkeypatch.setattr(together, "_joint_model", lambda *args: pytest.fail("the joint model was built"))
    given: list[float] = []

    def lessons_given(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        given.append(args[1].time_limit)
        return solve_lessons(*args, **kwargs)

    monkeypatch.setattr(together, "solve_lessons", lessons_given)
    found = solve_together(mathematics, week, QUICK, published=published, plan=plan)
    report = found.report
    assert report.status is SolveStatus.FEASIBLE and report.variables == 0
    # the bound is the load's alone: any pair's timetable costs at least nothing
    assert report.best_bound == solve_load(mathematics, QUICK).report.best_bound < report.objective
    assert found.load_evaluation is not None and found.lesson_evaluation is not None
    assert report.objective == found.load_evaluation.total + found.lesson_evaluation.total
    # the load alone gives Aliya both practices, which the week cannot hold: the published pair is kept
    assert [point.note for point in report.progress][0] == "published"
    last = report.progress[-1].note
    assert last.startswith("the pair published kept: the joint model would take about 200 s of the")
    assert report.objective == report.progress[0].objective
    # the lessons in turn had what the load left, less the checks, not the joint model's share of it
    assert given and given[0] > 0.5 * QUICK.time_limit


def test_a_published_timetable_of_another_shape_and_an_unknown_department_are_refused() -> None:
    load, week, published = _with_physics()
    with pytest.raises(NotTogether, match="places 3 meetings, but 'week' has 4"):
        solve_together(
            _load(),
            week,
            QUICK,
            published=published.model_copy(update={"starts": (0, 0, 0), "rooms": (0, 0, 0)}),
        )
    with pytest.raises(ValueError, match="department 'Chemistry'; its departments are Mathematics, Physics"):
        of_departments(load, {"Chemistry"})


def _ctt(days: int, physics: bool = False) -> str:
    """The two practices (first periods only) in CB-CTT, with Dana's and Erlan's lectures if asked."""
    courses = ["MAT101 t0 1 1 25", "MAT103 t1 1 1 25"]
    courses += ["PHY101 Dana 1 1 25", "PHY102 Erlan 1 1 25"] if physics else []
    barred = [f"{course} {day} 1" for course in ("MAT101", "MAT103") for day in range(days)]
    head = f"Name: Two\nCourses: {len(courses)}\nRooms: 2\nDays: {days}\nPeriods_per_day: 2\nCurricula: 0\n"
    return "\n".join(
        [head + f"Constraints: {len(barred)}", "", "COURSES:", *courses, "", "ROOMS:", "R1 30", "R2 30", "",
         "CURRICULA:", "", "UNAVAILABILITY_CONSTRAINTS:", *barred, "", "END.", ""]
    )  # fmt: skip


def _write_by_course(load: LoadProblem, folder: Path) -> None:
    """The load's tables, its items naming their sections by course as CB-CTT names them."""
    from datasets.load_tables import write_load_tables

    items = tuple(item.model_copy(update={"section": item.course}) for item in load.items)
    write_load_tables(load.model_copy(update={"items": items}), folder)


def test_the_command_writes_the_assignment_and_the_timetable(tmp_path: Path) -> None:
    folder, week = tmp_path / "load", tmp_path / "two.ctt"
    _write_by_course(_load(), folder)
    week.write_text(_ctt(days=1))
    result = CliRunner().invoke(
        main,
        ["load", "together", str(folder), str(week), "--term", "1", "--time-limit", "10", "--workers", "2",
         "--output", str(tmp_path / "out"), "--json", str(tmp_path / "report.json"),
         "--weight", "changes from last year=10"],
        terminal_width=200,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "load and two: optimal" in result.output
    # 148 at the default weights (changes 3): the one change now costs 10.
    assert json.loads((tmp_path / "report.json").read_text())["objective"] == 155
    rows = (tmp_path / "out" / "assignment.csv").read_text().splitlines()
    assert sorted(row.split(",")[1] for row in rows[1:]) == ["Aliya", "Bolat"]
    # CB-CTT's solution lines: course, room, day, period; both in the first period, in two rooms.
    lines = sorted(line.split() for line in (tmp_path / "out" / "timetable").read_text().splitlines())
    assert [(course, day, period) for course, _, day, period in lines] == [
        ("MAT101", "0", "0"),
        ("MAT103", "0", "0"),
    ]
    assert {room for _, room, _, _ in lines} == {"R1", "R2"}
    # A file-looking --output is refused before the solve, as for `load solve`.
    named_file = CliRunner().invoke(
        main, ["load", "together", str(folder), str(week), "--output", str(tmp_path / "plan.csv")]
    )
    assert named_file.exit_code == 2 and "looks like a file" in named_file.output
    assert not (tmp_path / "plan.csv").exists()
    refused = CliRunner().invoke(main, ["load", "together", str(folder), str(tmp_path / "none.ctt")])
    assert refused.exit_code == 2 and "none.ctt" in refused.output


def test_the_command_re_decides_one_department_within_the_published_timetable(tmp_path: Path) -> None:
    load, _, _ = _with_physics()
    folder, week, published = tmp_path / "load", tmp_path / "two.ctt", tmp_path / "published.sol"
    _write_by_course(load, folder)
    week.write_text(_ctt(days=2, physics=True))
    # Published: the lectures first thing on day 1 in both rooms, the practices first thing on day 2.
    published.write_text("MAT101 R1 1 0\nMAT103 R2 1 0\nPHY101 R1 0 0\nPHY102 R2 0 0\n")
    result = CliRunner().invoke(
        main,
        ["load", "together", str(folder), str(week), "--department", "Mathematics", "--timetable",
         str(published), "--time-limit", "10", "--workers", "2", "--output", str(tmp_path / "out")],
        terminal_width=200,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "stay where" in result.output and ": optimal" in result.output
    rows = (tmp_path / "out" / "assignment.csv").read_text().splitlines()
    # Mathematics alone is decided: one practice each, since both must meet at once on day 2.
    assert sorted(row.split(",")[1] for row in rows[1:]) == ["Aliya", "Bolat"]
    lines = sorted(tuple(line.split()) for line in (tmp_path / "out" / "timetable").read_text().splitlines())
    assert [(course, day, period) for course, _, day, period in lines] == [
        ("MAT101", "1", "0"),
        ("MAT103", "1", "0"),
        ("PHY101", "0", "0"),
        ("PHY102", "0", "0"),
    ]
    # The distribution it was published with is a start too (Bolat MAT101, Aliya MAT103).
    plan = tmp_path / "plan.csv"
    plan.write_text("item,teachers\nMAT101 P1,Bolat\nMAT103 P1,Aliya\nPHY101 L1,Dana\nPHY102 L1,Erlan\n")
    with_plan = CliRunner().invoke(
        main,
        ["load", "together", str(folder), str(week), "--department", "Mathematics", "--timetable",
         str(published), "--plan", str(plan), "--time-limit", "10", "--json", str(tmp_path / "report.json")],
    )  # fmt: skip
    assert with_plan.exit_code == 0, with_plan.output
    notes = [point["note"] for point in json.loads((tmp_path / "report.json").read_text())["progress"]]
    # (the engine's own distribution gives Aliya both, which cannot meet: no pair is made in turn)
    assert notes[0] == "published" and "in turn" not in notes
    alone = CliRunner().invoke(main, ["load", "together", str(folder), str(week), "--plan", str(plan)])
    assert alone.exit_code == 2 and "give --timetable too" in alone.output
    unknown = CliRunner().invoke(
        main, ["load", "together", str(folder), str(week), "--department", "Chemistry"]
    )
    assert unknown.exit_code == 2 and "its departments are Mathematics, Physics" in unknown.output
    broken = tmp_path / "broken.sol"
    broken.write_text("PHY101 R9 0 0\n")
    refused = CliRunner().invoke(
        main, ["load", "together", str(folder), str(week), "--timetable", str(broken)]
    )
    assert refused.exit_code == 2 and "broken.sol" in refused.output
