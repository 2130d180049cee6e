"""`registrar generate sac`, `registrar sac solve` and `registrar sac check`, run as a registrar would."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_generate_solve_and_check_an_attestation(tmp_path: Path) -> None:
    data, timetable, report = tmp_path / "sac", tmp_path / "timetable", tmp_path / "report.json"
    code, output = run(
        "generate", "sac", str(data), "--seed", "4", "--commissions", "3", "--defences", "60", "--weeks", "2"
    )
    assert code == 0, output
    assert "3 commissions" in output and "60 defences" in output
    code, output = run(
        "sac", "solve", str(data), "--time-limit", "4", "--workers", "1", "--seed", "1",
        "--output", str(timetable), "--json", str(report),
    )  # fmt: skip
    assert code == 0, output
    assert "finish early" in output and "best bound" in output
    fields = json.loads(report.read_text())
    assert {"status", "objective", "best_bound", "gap", "time_to_first_feasible", "parameters"} <= set(fields)
    assert fields["parameters"]["seed"] == 1
    code, output = run("sac", "check", str(data), str(timetable))
    assert code == 0, output
    assert "feasible" in output and str(fields["objective"]) in output


def test_check_reports_a_broken_timetable_and_exits_1(tmp_path: Path) -> None:
    data, timetable = tmp_path / "sac", tmp_path / "timetable"
    run("generate", "sac", str(data), "--commissions", "2", "--defences", "30", "--weeks", "2")
    run("sac", "solve", str(data), "--time-limit", "3", "--workers", "1", "--output", str(timetable))
    panels = timetable / "sac_panels.csv"
    lines = panels.read_text().splitlines()
    panels.write_text("\n".join([lines[0], *(line.rsplit(",", 1)[0] + "," for line in lines[1:])]) + "\n")
    code, output = run("sac", "check", str(data), str(timetable))
    assert code == 1
    assert "hard violations" in output and "quorum" in output


def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    code, output = run("sac", "solve", str(tmp_path / "missing"))
    assert code == 2
    assert "not a folder of attestation CSV files" in output
    (tmp_path / "calendar.csv").write_text("date,start\n2027-05-24,09:00\n")
    code, output = run("sac", "check", str(tmp_path), str(tmp_path))
    assert code == 2
    assert "calendar.csv:1: missing column end" in output
