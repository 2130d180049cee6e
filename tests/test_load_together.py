"""The teaching load and the lesson timetable solved together (small cases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import constraints.lessons as lesson_rules
import constraints.load as load_rules
from cli.main import main
from models import (
    LessonProblem,
    LessonRoom,
    Preference,
    Section,
    SolveParameters,
    SolveStatus,
    Teacher,
    TimeGrid,
)
from models.load import LoadItem, LoadProblem, LoadTeacher
from solver.lessons.solve import solve_lessons
from solver.load.apply import apply_to_lessons
from solver.load.solve import solve_load
from solver.load.together import TooLarge, lesson_scenario, solve_together

QUICK = SolveParameters(time_limit=10, workers=2, seed=0)


def _load(**item_changes: object) -> LoadProblem:
    """Aliya (60 h) taught both practices last year and wants both courses; Bolat (30 h) may take
    either: both to Aliya or one each leaves the same deviations, so the wishes decide."""
    teachers = tuple(
        LoadTeacher(
            index=index,
            name=name,
            department="Mathematics",
            rank="lecturer",
            norm=60 if name == "Aliya" else 30,
            qualifications=frozenset({("MAT101", "practice"), ("MAT103", "practice")}),
            languages=frozenset({"Russian"}),
            wanted=frozenset({"MAT101", "MAT103"}) if name == "Aliya" else frozenset(),
        )
        for index, name in enumerate(("Aliya", "Bolat"))
    )
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
    assert lesson_rules.evaluate(together.timetable, together.lessons, lesson_scenario()).feasible


def test_a_second_day_lets_the_load_keep_last_years_teacher() -> None:
    together = solve_together(_load(), _week(days=2), QUICK)
    assert together.load is not None and together.lessons is not None
    assert together.load.teachers == ((0,), (0,))
    assert together.lessons.starts[0] != together.lessons.starts[1]
    # The engine's load and then lessons, solved in turn, were the joint model's start.
    started = together.report.progress[0]
    assert started.note == "in turn" and started.objective >= together.report.objective


def test_a_teachers_time_wish_is_priced_and_hands_that_time_to_another() -> None:
    week = _week(days=2)
    # Without the wish Aliya keeps both (the test above). Strongly discouraging the first day's
    # first period (3 a period) tips it: one of them would have to meet then, so Bolat takes one (a
    # change and an unmet wish, 8, less 6 of term balance) and Aliya teaches hers on the second day.
    wary = week.teachers[0].model_copy(
        update={"preferences": {week.grid.slot(0, 0): Preference.STRONGLY_DISCOURAGED}}
    )
    together = solve_together(_load(), week.replaced(teachers=(wary,)), QUICK)
    assert together.load is not None and together.lessons is not None
    assert sorted(together.load.teachers) == [(0,), (1,)]
    hers = together.load.teachers.index((0,))
    assert together.lessons.starts[hers] == week.grid.slot(1, 0)
    assert together.report.status is SolveStatus.OPTIMAL
    assert together.lesson_evaluation is not None and together.load_evaluation is not None
    assert together.report.objective == together.load_evaluation.total + together.lesson_evaluation.total


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


CTT = """Name: Two
Courses: 2
Rooms: 2
Days: 1
Periods_per_day: 2
Curricula: 0
Constraints: 2

COURSES:
MAT101 t0 1 1 25
MAT103 t1 1 1 25

ROOMS:
R1 30
R2 30

CURRICULA:

UNAVAILABILITY_CONSTRAINTS:
MAT101 0 1
MAT103 0 1

END.
"""


def test_the_command_writes_the_assignment_and_the_timetable(tmp_path: Path) -> None:
    from datasets.load_tables import write_load_tables

    folder, week = tmp_path / "load", tmp_path / "two.ctt"
    # The CB-CTT timetable names its sections by course: the load's items name them so.
    write_load_tables(_load().model_copy(update={"items": tuple(
        item.model_copy(update={"section": item.course}) for item in _load().items
    )}), folder)  # fmt: skip
    week.write_text(CTT)
    result = CliRunner().invoke(
        main,
        ["load", "together", str(folder), str(week), "--term", "1", "--time-limit", "10", "--workers", "2",
         "--output", str(tmp_path / "out"), "--json", str(tmp_path / "report.json"),
         "--weight", "changes from last year=10"],
        terminal_width=200,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "load and two: optimal" in result.output
    # 190 at the default weights (changes 3): the one change now costs 10.
    assert json.loads((tmp_path / "report.json").read_text())["objective"] == 197
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
