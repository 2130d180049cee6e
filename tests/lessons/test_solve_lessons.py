"""The lesson pipeline on CB-CTT: a first timetable on every instance, the LNS with the local
search, pins, and the command line; what is reported is what the checker says."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from constraints.lessons import evaluate, units_for
from constraints.lessons.timetable import placed_meetings
from datasets import bundled_post_enrolment
from datasets.cbctt import BUNDLED_CTT, bundled_cbctt, read_cbctt
from models import Pin, Scenario, SolveParameters, SolveStatus
from solver.lessons.initial import _PLACES, first_timetable, static_places
from solver.lessons.local_search import LessonLocalSearch
from solver.lessons.solve import solve_lessons


@pytest.mark.parametrize("name", BUNDLED_CTT)
def test_the_first_timetable_breaks_no_hard_rule(name: str) -> None:
    problem = read_cbctt(bundled_cbctt(name))
    timetable = first_timetable(problem, seed=1)
    assert timetable is not None
    evaluation = evaluate(problem, timetable)
    assert evaluation.feasible, evaluation.violations(hard=True)[:3]


@pytest.mark.parametrize("name", ["comp01", "comp07"])
def test_the_local_search_prices_as_the_checker_does(name: str) -> None:
    problem = read_cbctt(bundled_cbctt(name))
    weights = {unit.NAME: unit.weight(problem) for unit in units_for(problem)}
    start = first_timetable(problem, seed=2)
    assert start is not None
    cost = evaluate(problem, start).total
    local = LessonLocalSearch(problem, weights, frozenset())
    local.load(start, cost)
    for _ in range(2):
        # A run returns the best it saw from where the last one left off (late acceptance may have
        # left it above that run's best).
        timetable, tracked = local.run(1.0)
        evaluation = evaluate(problem, timetable)
        assert evaluation.feasible and tracked == evaluation.total <= cost
        assert local.cost == evaluate(problem, local.solution()).total
        cost = local.cost
    assert local.moves > 1000


def test_a_problems_places_are_worked_out_once_and_let_go_with_it() -> None:
    """The first timetable, the annealer and the local search each asked for them: a 1,000-period
    week spent 7 s of its set-up on the same places three times."""
    problem = read_cbctt(bundled_cbctt("comp01"))
    places = static_places(problem)
    assert (
        static_places(problem) is places and sum(len(rooms) for here in places for rooms in here.values()) > 0
    )
    again = read_cbctt(bundled_cbctt("comp01"))
    assert static_places(again) is not places and static_places(again) == places
    key = id(problem)
    del problem
    gc.collect()
    assert key not in _PLACES and id(again) in _PLACES


def test_the_rules_of_one_evaluation_read_the_timetable_once() -> None:
    """Each rule's checker read the whole timetable again: 17 times per evaluation."""
    problem = read_cbctt(bundled_cbctt("comp01"))
    solution = first_timetable(problem, {}, 0, 10)
    assert solution is not None
    placed = placed_meetings(problem, solution)
    assert len(placed) == len(problem.meetings) and placed_meetings(problem, solution) is placed
    moved = solution.model_copy(update={"starts": (None, *solution.starts[1:])})
    assert [item.meeting for item in placed_meetings(problem, moved)] == list(range(1, len(problem.meetings)))
    assert placed_meetings(problem, solution.model_copy()) == placed


def test_annealing_then_lns_improve_comp01_and_report_the_checker_total() -> None:
    problem = read_cbctt(bundled_cbctt("comp01"))
    seen = []
    outcome = solve_lessons(problem, SolveParameters(time_limit=8, workers=1, seed=1), listener=seen.append)
    assert outcome.solution is not None and outcome.evaluation is not None
    assert outcome.report.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert outcome.report.objective == evaluate(problem, outcome.solution).total == outcome.evaluation.total
    assert seen[0].note == "first" and seen[-1].objective == outcome.report.objective < seen[0].objective
    assert outcome.report.steps_by_kind["annealing"]["steps"] > 100_000 and outcome.report.lns_steps > 0
    assert {point.note for point in seen} >= {"first", "annealing"}


def test_pins_are_kept() -> None:
    problem = read_cbctt(bundled_cbctt("comp01"))
    start = first_timetable(problem, seed=3)
    assert start is not None
    pins = {}
    for meeting in (0, 40, 90):
        start_slot, room = start.starts[meeting], start.rooms[meeting]
        assert start_slot is not None and room is not None
        pins[meeting] = Pin(period=start_slot, room=room)
    outcome = solve_lessons(problem, SolveParameters(time_limit=5, workers=1, seed=1), Scenario(pins=pins))
    assert outcome.solution is not None
    for meeting, pin in pins.items():
        assert (outcome.solution.starts[meeting], outcome.solution.rooms[meeting]) == (pin.period, pin.room)


def test_the_command_line_solves_and_checks(tmp_path: Path) -> None:
    instance = str(bundled_cbctt("comp01"))
    timetable, report = tmp_path / "comp01.sol", tmp_path / "report.json"
    runner = CliRunner()
    args = ["lessons", "solve", instance, "--time-limit", "4", "--workers", "1"]
    result = runner.invoke(main, [*args, "--output", str(timetable), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "room stability" in result.output
    assert len(timetable.read_text().splitlines()) == 160  # one line per lecture
    objective = json.loads(report.read_text())["objective"]
    checked = runner.invoke(main, ["lessons", "check", instance, str(timetable)])
    assert checked.exit_code == 0 and re.search(rf"total\W+{objective}\b", checked.output)


def test_a_post_enrolment_instance_is_solved_and_its_timetable_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    instance = str(bundled_post_enrolment("comp-2007-2-3"))
    timetable, report = tmp_path / "comp3.sln", tmp_path / "report.json"
    args = ["lessons", "solve", instance, "--time-limit", "6", "--workers", "1"]
    result = runner.invoke(main, [*args, "--output", str(timetable), "--json", str(report)])
    assert result.exit_code == 0, result.output
    objective = json.loads(report.read_text())["objective"]
    checked = runner.invoke(main, ["lessons", "check", instance, str(timetable)])
    assert checked.exit_code == 0 and re.search(rf"total\W+{objective}\b", checked.output), checked.output


def test_a_starting_timetable_keeps_every_meeting_a_changed_teacher_leaves_in_place() -> None:
    problem = read_cbctt(bundled_cbctt("comp01"))
    published = first_timetable(problem, seed=1)
    assert published is not None
    # One section given the teacher of another it meets alongside in the published timetable.
    sharing: dict[int | None, list[int]] = {}
    for meeting in problem.meetings:
        sharing.setdefault(published.starts[meeting.index], []).append(meeting.section)
    given, taken = next(
        (a, b)
        for group in sharing.values()
        for a in group
        for b in group
        if problem.sections[a].teachers != problem.sections[b].teachers
    )
    sections = list(problem.sections)
    sections[given] = sections[given].model_copy(update={"teachers": sections[taken].teachers})
    changed = problem.replaced(sections=tuple(sections))
    assert not evaluate(changed, published).feasible  # the teacher is in two places at once
    first_only = SolveParameters(time_limit=10, workers=1, seed=0, use_lns=False)
    outcome = solve_lessons(changed, first_only, start=published)
    assert outcome.solution is not None and outcome.evaluation is not None and outcome.evaluation.feasible
    places = list(zip(outcome.solution.starts, outcome.solution.rooms, strict=True))
    was = list(zip(published.starts, published.rooms, strict=True))
    moved = {problem.meetings[m].section for m in range(len(places)) if places[m] != was[m]}
    assert moved and moved <= {given, taken}
    # Without the start the timetable is made afresh and few meetings stay where they were.
    fresh = solve_lessons(changed, first_only)
    assert fresh.solution is not None
    again = zip(fresh.solution.starts, fresh.solution.rooms, strict=True)
    kept = sum(place == was[m] for m, place in enumerate(again))
    assert kept < len(places) // 2


def test_the_command_starts_from_a_timetable_given(tmp_path: Path) -> None:
    from datasets.lessons_io import write_lesson_solution

    instance = bundled_cbctt("comp01")
    problem = read_cbctt(instance)
    published = first_timetable(problem, seed=5)
    assert published is not None
    start = tmp_path / "published.sol"
    write_lesson_solution(published, problem, start)
    runner = CliRunner()
    args = ["lessons", "solve", str(instance), "--time-limit", "3", "--workers", "1"]
    firsts = []
    for extra in (["--start", str(start)], []):
        report = tmp_path / "report.json"
        result = runner.invoke(main, [*args, *extra, "--json", str(report)])
        assert result.exit_code == 0, result.output
        firsts.append(json.loads(report.read_text())["progress"][0]["objective"])
    # Nothing changed since it was published: the first timetable is the one given.
    assert firsts[0] == evaluate(problem, published).total != firsts[1]
    missing = runner.invoke(main, [*args, "--start", str(tmp_path / "none.sol")])
    assert missing.exit_code == 2 and "none.sol" in missing.output
