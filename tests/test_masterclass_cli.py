"""`registrar generate masterclasses` and `registrar masterclasses solve` on a small generated semester
whose fixed lesson timetable is written beside it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from datasets.masterclass_tables import read_masterclasses
from datasets.registrar_csv import lesson_problem, write_registrar
from datasets.registrar_timetable import write_timetable
from datasets.semester import generate_semester
from tests.registrar_factory import random_timetable


def test_requests_are_generated_placed_and_written(tmp_path: Path) -> None:
    data = generate_semester(300, seed=4)
    write_registrar(data, tmp_path)
    lessons = lesson_problem(data, "semester")
    write_timetable(lessons, random_timetable(lessons, 1), tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["generate", "masterclasses", str(tmp_path), "--count", "6", "--seed", "2"])
    assert result.exit_code == 0, result.output
    problem = read_masterclasses(tmp_path)
    assert len(problem.classes) == 6 and all(event.audience for event in problem.classes)
    assert any(problem.student_busy.values()) and any(hall.busy for hall in problem.halls)
    report, out = tmp_path / "report.json", tmp_path / "placed"
    args = ["masterclasses", "solve", str(tmp_path), "--time-limit", "3", "--workers", "1"]
    result = runner.invoke(main, [*args, "--output", str(out), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "audience conflicts" in result.output
    fields = json.loads(report.read_text())
    assert fields["problem_kind"] == "masterclasses" and fields["objective"] is not None
    rows = (out / "masterclass_placements.csv").read_text().splitlines()
    assert rows[0] == "master_class,time,hall" and len(rows) == 7


def test_a_bad_request_is_a_message(tmp_path: Path) -> None:
    data = generate_semester(300, seed=4)
    write_registrar(data, tmp_path)
    lessons = lesson_problem(data, "semester")
    write_timetable(lessons, random_timetable(lessons, 1), tmp_path)
    (tmp_path / "masterclasses.csv").write_text("master_class,periods,windows,audience\nTalk,2,Someday,\n")
    result = CliRunner().invoke(main, ["masterclasses", "solve", str(tmp_path)])
    assert result.exit_code == 2
    assert "masterclasses.csv:2: windows: bad time 'Someday'" in result.output
