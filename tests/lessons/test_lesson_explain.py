"""An impossible registrar semester is explained in the registrar's words, and offered a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from cli.main import main
from constraints.lessons import evaluate, units_for
from datasets.registrar_csv import write_registrar
from datasets.registrar_records import (
    Building,
    Calendar,
    Course,
    Department,
    Period,
    RegistrarData,
    Room,
    SectionRecord,
    TeacherRecord,
)
from models import (
    Cohort,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    Pin,
    Scenario,
    Section,
    SectionConstraint,
    SectionRelation,
    SolveParameters,
    SolveStatus,
    Teacher,
    TimeGrid,
)
from solver.engine import solve_model
from solver.lessons.explain import best_draft, explain, find_conflicts, static_findings
from solver.lessons.model import LessonCpModel
from solver.lessons.solve import solve_lessons
from tests.registrar_factory import random_registrar

STARTS = ("08:30", "10:00", "11:30", "13:00", "14:30", "16:00", "17:30", "19:00")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


def semester(
    sections: list[Section],
    rooms: list[LessonRoom] | None = None,
    teachers: list[Teacher] | None = None,
    days: int = 5,
    periods: int = 8,
    **more: object,
) -> LessonProblem:
    """A registrar problem; rooms default to two large classrooms, teachers to 'Dr Ada'."""
    return LessonProblem(
        name="impossible",
        grid=TimeGrid(days=DAYS[:days], periods_per_day=periods, period_starts=STARTS[:periods]),
        rooms=tuple(
            rooms
            or [
                LessonRoom(index=0, name="MB-101", capacity=300, kind="classroom"),
                LessonRoom(index=1, name="MB-102", capacity=300, kind="classroom"),
            ]
        ),
        teachers=tuple(teachers or [Teacher(index=0, name="Dr Ada")]),
        sections=tuple(sections),
        scoring=LessonScoring.REGISTRAR,
        **more,  # type: ignore[arg-type]
    )


def section(index: int, name: str, meetings: tuple[int, ...] = (1,), **more: object) -> Section:
    return Section(
        index=index,
        name=name,
        course=name.split()[0],
        size=more.pop("size", 20),  # type: ignore[arg-type]
        meetings=meetings,
        **more,  # type: ignore[arg-type]
    )


def refused(problem: LessonProblem) -> list[str]:
    """The static findings, after checking that solving stops at once with just those."""
    findings = static_findings(problem)
    outcome = solve_lessons(problem, SolveParameters(time_limit=5, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.solution is None and outcome.evaluation is None
    assert outcome.report.explanation == findings
    assert outcome.report.elapsed < 1
    return findings


def only(findings: list[str], *words: str) -> str:
    assert len(findings) == 1, findings
    for word in words:
        assert word in findings[0], (word, findings[0])
    return findings[0]


def test_a_feasible_semester_has_nothing_to_explain() -> None:
    problem = semester(
        [section(0, "CS101 L1", (2, 1), teachers=(0,)), section(1, "CS102 L1", (1, 1), teachers=(0,))],
        cohorts=(Cohort(index=0, name="CS 1", sections=(0, 1)),),
    )
    assert static_findings(problem) == []
    found = find_conflicts(problem, time_limit=5)
    assert found.status == "feasible" and found.timetable is not None
    assert evaluate(problem, found.timetable).feasible
    assert explain(problem, time_limit=5) == []
    outcome = solve_lessons(problem, SolveParameters(time_limit=2, workers=1), draft=True)
    assert outcome.evaluation is not None and outcome.evaluation.feasible
    assert outcome.report.explanation == []


def test_a_section_larger_than_every_room_of_its_kind() -> None:
    rooms = [
        LessonRoom(index=0, name="Main Hall", capacity=200, kind="lecture hall"),
        LessonRoom(index=1, name="Gym", capacity=500, kind="sports hall"),
    ]
    problem = semester([section(0, "CS201 L1", size=240, room_kind="lecture hall")], rooms)
    only(refused(problem), "Section CS201 L1", "240 students", "has no room", "lecture hall seats 200")


def test_a_section_needing_a_kind_and_a_feature_no_room_has_together() -> None:
    rooms = [
        LessonRoom(index=0, name="CH-1", capacity=30, kind="chemistry lab"),
        LessonRoom(index=1, name="CH-2", capacity=30, kind="classroom", features=frozenset({"fume hood"})),
    ]
    problem = semester(
        [section(0, "CHE110 B1", room_kind="chemistry lab", features=frozenset({"fume hood"}))], rooms
    )
    only(refused(problem), "CHE110 B1", "chemistry lab with fume hood", "no room has both")


def test_a_section_on_a_campus_without_a_room_of_its_kind() -> None:
    rooms = [
        LessonRoom(index=0, name="S-100", capacity=200, kind="lecture hall", campus="South"),
        LessonRoom(index=1, name="N-10", capacity=40, kind="classroom", campus="North"),
    ]
    problem = semester([section(0, "LAW100 L1", room_kind="lecture hall", campus="North")], rooms)
    only(refused(problem), "LAW100 L1", "campus North", "has no lecture hall")


def test_a_teacher_asked_for_more_periods_than_available() -> None:
    unavailable = frozenset(range(28, 40))  # Thursday and Friday afternoon and evening... 12 periods
    teachers = [Teacher(index=0, name="Dr Ada", unavailable=unavailable)]
    sections = [section(s, f"CS{100 + s} L1", (2, 2), teachers=(0,)) for s in range(8)]
    problem = semester(sections, teachers=teachers)
    only(refused(problem), "Teacher Dr Ada", "asked for 32 periods", "available for 28")


def test_a_section_with_more_meetings_than_days_it_may_meet() -> None:
    allowed = {0, 1, 2 * 8, 2 * 8 + 1}  # Mon and Wed mornings
    problem = semester(
        [section(0, "MAT101 L1", (1, 1, 1), forbidden_slots=frozenset(set(range(40)) - allowed))]
    )
    only(refused(problem), "MAT101 L1", "3 meetings", "only 2 days", "Mon", "Wed")


def test_a_cohort_needing_more_periods_than_the_week() -> None:
    teachers = [Teacher(index=t, name=f"Dr {t}") for t in range(4)]
    sections = [section(s, f"PHY{s} L1", (2, 2), teachers=(s,)) for s in range(4)]  # 16 periods
    problem = semester(
        sections,
        teachers=teachers,
        days=3,
        periods=5,
        cohorts=(Cohort(index=0, name="Physics 2", sections=(0, 1, 2, 3)),),
    )
    only(refused(problem), "Cohort Physics 2", "need 16 periods", "the week has 15")


def test_a_student_registered_on_more_periods_than_the_week() -> None:
    teachers = [Teacher(index=t, name=f"Dr {t}") for t in range(3)]
    sections = [section(s, f"ECO{s} L1", (2, 1), teachers=(s,)) for s in range(3)]  # 9 periods
    problem = semester(
        sections,
        teachers=teachers,
        days=2,
        periods=4,
        registrations={0: (0, 1, 2), 1: (0, 1, 2), 2: (0,)},
        student_names=("25B000001", "25B000002", "25B000003"),
    )
    only(
        refused(problem),
        "Student 25B000001",
        "1 other with the same registrations",
        "needing 9 periods",
        "the week has 8",
    )


def test_a_room_kind_needed_for_more_periods_than_its_rooms_are_open() -> None:
    rooms = [
        LessonRoom(index=0, name="LAB-1", capacity=30, kind="computer lab"),
        LessonRoom(index=1, name="LAB-2", capacity=30, kind="computer lab", unavailable=frozenset({0, 1})),
        LessonRoom(index=2, name="MB-101", capacity=300, kind="classroom"),
    ]
    teachers = [Teacher(index=t, name=f"Dr {t}") for t in range(9)]
    sections = [section(s, f"CSE{s} LB1", (1, 1), teachers=(s,), room_kind="computer lab") for s in range(9)]
    problem = semester(sections, rooms, teachers, days=2, periods=4)
    only(refused(problem), "the computer labs (LAB-1 and LAB-2)", "need 18 periods", "open for 14")


def test_sections_to_start_together_that_share_no_start_or_share_a_teacher() -> None:
    morning, afternoon = frozenset(range(4, 40)), frozenset(range(0, 4))
    apart = semester(
        [
            section(0, "BIO1 L1", teachers=(0,), forbidden_slots=morning),
            section(1, "BIO1 L2", forbidden_slots=afternoon),
        ],
        relations=(SectionConstraint(first=0, relation=SectionRelation.SAME_TIME, second=1),),
    )
    only(refused(apart), "BIO1 L1 and BIO1 L2 must start together", "no start time both may take")
    shared = semester(
        [section(0, "BIO1 L1", teachers=(0,)), section(1, "BIO1 L2", teachers=(0,))],
        relations=(SectionConstraint(first=0, relation=SectionRelation.SAME_TIME, second=1),),
    )
    only(refused(shared), "must start together", "both are taught by Dr Ada")


def test_a_pin_where_the_meeting_may_not_be_held() -> None:
    problem = semester([section(0, "HIS1 L1", forbidden_slots=frozenset({3}))])
    scenario = Scenario(pins={0: Pin(period=3, room=0)})
    outcome = solve_lessons(problem, SolveParameters(time_limit=2, workers=1), scenario)
    assert outcome.report.status is SolveStatus.INFEASIBLE
    only(outcome.report.explanation, "Meeting 1 of HIS1 L1", "pinned to Mon period 3", "MB-101")


def triangle() -> LessonProblem:
    """Three sections pairwise in conflict (two teachers and a cohort) with the same two allowed
    periods: no count is exceeded, yet no timetable exists."""
    allowed = frozenset({0, 1})
    teachers = [Teacher(index=0, name="Dr Ada"), Teacher(index=1, name="Dr Bek")]
    forbidden = frozenset(range(10)) - allowed
    return semester(
        [
            section(0, "CS101 L1", teachers=(0, 1), forbidden_slots=forbidden),
            section(1, "CS102 L1", teachers=(0,), forbidden_slots=forbidden),
            section(2, "CS103 L1", teachers=(1,), forbidden_slots=forbidden),
        ],
        teachers=teachers,
        days=2,
        periods=5,
        cohorts=(Cohort(index=0, name="CS 2", sections=(1, 2)),),
    )


def test_a_conflict_no_count_shows_is_found_by_the_rules_in_groups() -> None:
    problem = triangle()
    assert static_findings(problem) == []
    found = find_conflicts(problem, time_limit=5)
    assert found.status == "infeasible"
    conflict = only(
        found.findings,
        "Teachers Dr Ada and Dr Bek",
        "the allowed times of CS101 L1, CS102 L1 and CS103 L1",
        "the cohort CS 2",
        "cannot all be satisfied",
        "Mon period 0 (08:30)",
        "Relaxing any one of them",
    )
    assert "room" not in conflict.split(":")[0]  # the rooms play no part
    outcome = solve_lessons(problem, SolveParameters(time_limit=6, workers=1))
    assert outcome.report.status is SolveStatus.INFEASIBLE and outcome.solution is None
    assert outcome.report.explanation == found.findings


def test_the_best_draft_breaks_the_fewest_hard_rules_and_names_them() -> None:
    draft = best_draft(triangle(), time_limit=5)
    assert draft.proven and not draft.evaluation.feasible
    assert draft.evaluation.hard_violations == 1  # one of the three sections left out
    assert len(draft.violations) == 1 and "has no proper time and room" in draft.violations[0]
    assert len(draft.notes) == 1 and "would clash with" in draft.notes[0]
    # a teacher with four one-period sections and two periods to teach them: two must go
    teachers = [Teacher(index=0, name="Dr Ada", unavailable=frozenset(range(2, 10)))]
    overloaded = semester(
        [section(s, f"ART{s} L1", teachers=(0,)) for s in range(4)], teachers=teachers, days=2, periods=5
    )
    draft = best_draft(overloaded, time_limit=5)
    assert draft.proven and draft.evaluation.hard_violations == 2
    assert all("teacher Dr Ada" in note for note in draft.notes)


def test_solving_with_a_draft_returns_it_with_its_violations() -> None:
    problem = triangle()
    outcome = solve_lessons(problem, SolveParameters(time_limit=6, workers=1), draft=True)
    assert outcome.report.status is SolveStatus.INFEASIBLE
    assert outcome.solution is not None and outcome.evaluation is not None
    assert not outcome.evaluation.feasible and outcome.evaluation.hard_violations == 1
    assert evaluate(problem, outcome.solution).hard_violations == 1
    explanation = outcome.report.explanation
    assert "cannot all be satisfied" in explanation[0]
    assert any("Draft timetable: it leaves out 1 meeting" in line for line in explanation)


def test_without_time_to_search_the_answer_says_so() -> None:
    found = find_conflicts(triangle(), time_limit=5, max_places=10)
    assert found.status == "unknown" and "no explanation was found" in found.findings[0]


@pytest.mark.parametrize("seed", range(0, 120, 3))
def test_findings_are_proofs_and_drafts_count_as_the_checker_does(seed: int) -> None:
    problem = random_registrar(seed)
    exact = LessonCpModel(problem, range(len(problem.meetings)))
    exact.post([unit for unit in units_for(problem) if unit.HARD], {})
    run = solve_model(exact.model, exact.decision_variables(), time_limit=5, workers=1, seed=0)
    assert run.status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
    found = find_conflicts(problem, time_limit=5)
    if static_findings(problem) or found.status == "infeasible":
        assert run.proven_infeasible
    if found.status == "feasible":
        assert found.timetable is not None and evaluate(problem, found.timetable).feasible
    draft = best_draft(problem, time_limit=5)
    assert draft.evaluation.hard_violations == sum(start is None for start in draft.solution.starts)
    assert draft.evaluation.feasible == run.has_solution


def infeasible_records() -> RegistrarData:
    return RegistrarData(
        calendar=Calendar(days=("Mon", "Tue"), periods=(Period("1", "08:30"), Period("2", "10:00"))),
        departments=(Department("Computer Engineering"),),
        buildings=(Building("Main Building"),),
        rooms=(Room("MB-101", "Main Building", 40, "classroom"),),
        teachers=(TeacherRecord("Akhmetova Aigerim", "Computer Engineering"),),
        courses=(Course("CSE2001", "Algorithms", 5, "Computer Engineering"),),
        sections=(
            SectionRecord(
                "CSE2001", "L1", "lecture", 240, (1,), ("Akhmetova Aigerim",), room_kind="classroom"
            ),
            SectionRecord(
                "CSE2001", "P1", "practice", 30, (1,), ("Akhmetova Aigerim",), room_kind="classroom"
            ),
        ),
    )


def test_the_command_prints_the_explanation_writes_the_draft_and_fails(tmp_path: Path) -> None:
    folder, output = tmp_path / "spring", tmp_path / "draft"
    write_registrar(infeasible_records(), folder)
    runner = CliRunner()
    result = runner.invoke(main, ["lessons", "solve", str(folder), "--time-limit", "5", "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "Section CSE2001 L1 (240 students) has no room" in result.output
    assert "the largest classroom seats 40" in result.output
    drafted = runner.invoke(
        main,
        [
            "lessons",
            "solve",
            str(folder),
            "--time-limit",
            "5",
            "--workers",
            "1",
            "--draft",
            "--output",
            str(output),
        ],
    )
    assert drafted.exit_code == 1, drafted.output
    assert "has no room" in drafted.output and "Draft timetable: it leaves out 1 meeting" in drafted.output
    assert "draft timetable written" in drafted.output and (output / "timetable.csv").exists()
    rows = (output / "timetable.csv").read_text().splitlines()
    assert any(row.startswith("CSE2001 L1,1,,") for row in rows)  # left out
    assert any(row.startswith("CSE2001 P1,1,Mon 1") for row in rows)
