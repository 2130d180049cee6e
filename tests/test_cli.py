"""The `registrar` command, run the way a planner runs it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from datasets import bundled_instance, bundled_reference_solution, read_exam_problem, read_exam_solution
from datasets.json_io import problem_to_json, solution_to_json
from datasets.registrar_csv import write_registrar
from datasets.registrar_exams import exam_problem
from datasets.registrar_records import ExamPeriod
from datasets.semester import generate_semester
from models import Scenario
from solver.exams.explain import explain_infeasibility

SET6 = str(bundled_instance("exam_comp_set6"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_solve_writes_a_timetable_and_a_report_that_check_agrees_with(tmp_path: Path) -> None:
    timetable, report = tmp_path / "set6.sln", tmp_path / "report.json"
    code, output = run(
        "exams",
        "solve",
        SET6,
        "--time-limit",
        "6",
        "--workers",
        "1",
        "--output",
        str(timetable),
        "--json",
        str(report),
    )
    assert code == 0, output
    assert "objective" in output and "bound" in output and "period spread" in output
    assert len(timetable.read_text().splitlines()) == 242
    saved = json.loads(report.read_text())
    fields = {
        "status",
        "objective",
        "best_bound",
        "gap",
        "time_to_first_feasible",
        "time_to_best",
        "variables",
    }
    assert fields <= set(saved["report"])
    assert saved["report"]["parameters"]["seed"] == 0
    code, checked = run("exams", "check", SET6, str(timetable))
    assert code == 0 and "feasible" in checked
    total_row = next(line for line in checked.splitlines() if "total" in line)
    assert str(saved["report"]["objective"]) in total_row


def test_check_reproduces_the_reference_cost() -> None:
    code, output = run("exams", "check", SET6, str(bundled_reference_solution("exam_comp_set6")))
    assert code == 0
    assert "feasible" in output and "31950" in output


def test_check_names_the_broken_rule_and_fails(tmp_path: Path) -> None:
    lines = bundled_reference_solution("exam_comp_set6").read_text().splitlines()
    lines[1] = lines[0]  # exams 0 and 1 share students; now they share a period and room too
    broken = tmp_path / "broken.sln"
    broken.write_text("\n".join(lines) + "\n")
    code, output = run("exams", "check", SET6, str(broken))
    assert code == 1
    assert "hard violations" in output and "student conflicts" in output


def test_a_toronto_solve_writes_a_toronto_timetable(tmp_path: Path) -> None:
    timetable = tmp_path / "hec.sol"
    code, output = run(
        "exams",
        "solve",
        str(bundled_instance("hec-s-92")),
        "--time-limit",
        "3",
        "--workers",
        "1",
        "--output",
        str(timetable),
    )
    assert code == 0, output
    assert "average cost per student" in output
    assert len(timetable.read_text().splitlines()) == 81


def test_bad_input_is_named_not_traced(tmp_path: Path) -> None:
    code, output = run("exams", "solve", str(tmp_path / "missing.exam"))
    assert code == 2 and "error:" in output and "missing.exam" in output
    malformed = tmp_path / "bad.exam"
    malformed.write_text(
        "[Exams:1]\n60, 1, x\n[Periods:1]\n01:01:2026, 09:00:00, 120, 0\n[Rooms:1]\n10, 0\n"
        "[InstitutionalWeightings]\nTWOINAROW, 1\nTWOINADAY, 1\nPERIODSPREAD, 1\nNONMIXEDDURATIONS, 1\n"
        "FRONTLOAD, 1, 1, 1\n"
    )
    code, output = run("exams", "solve", str(malformed))
    assert code == 2 and "bad.exam:2" in output and "Traceback" not in output
    short = tmp_path / "short.sln"
    short.write_text("0, 0\n")
    code, output = run("exams", "check", SET6, str(short))
    assert code == 2 and "error:" in output


def test_a_json_timetable_out_of_range_is_refused_as_an_sln_is(tmp_path: Path) -> None:
    """A warm start with a period or room the session lacks was dropped from the hint unsaid."""
    problem = read_exam_problem(SET6)
    reference = read_exam_solution(bundled_reference_solution("exam_comp_set6"), problem)
    periods, rooms = len(problem.periods), len(problem.rooms)
    start = tmp_path / "start.json"
    for column, exam, value, reason in [
        ("periods", 2, -2, f"exam 2: period -2 out of range ({periods} periods)"),
        ("periods", 5, periods, f"exam 5: period {periods} out of range ({periods} periods)"),
        ("rooms", 7, rooms + 70, f"exam 7: room {rooms + 70} out of range ({rooms} rooms)"),
    ]:
        document = json.loads(solution_to_json(reference))
        document["solution"][column][exam] = value
        start.write_text(json.dumps(document))
        code, output = run(
            "exams", "solve", SET6, "--warm-start", str(start), "--time-limit", "1", "--workers", "1"
        )
        assert code == 2 and f"start.json: {reason}" in " ".join(output.split()), output
        code, output = run("exams", "check", SET6, str(start))
        assert code == 2 and f"start.json: {reason}" in " ".join(output.split()), output


def test_an_impossible_session_is_explained(tmp_path: Path) -> None:
    instance = tmp_path / "impossible.exam"
    instance.write_text(
        "[Exams:1]\n180, 1, 2\n[Periods:1]\n01:01:2026, 09:00:00, 120, 0\n[Rooms:1]\n10, 0\n"
        "[PeriodHardConstraints]\n[RoomHardConstraints]\n[InstitutionalWeightings]\nTWOINAROW, 1\n"
        "TWOINADAY, 1\nPERIODSPREAD, 1\nNONMIXEDDURATIONS, 1\nFRONTLOAD, 1, 1, 1\n"
    )
    code, output = run("exams", "solve", str(instance), "--time-limit", "2")
    assert code == 1
    assert "why:" in output and "lasts 180 minutes" in output


def test_an_impossible_registrar_session_is_explained_by_course_as_the_service_does(tmp_path: Path) -> None:
    data = generate_semester(120, 17)
    one_sitting = replace(data, exam_periods=(ExamPeriod(dt.date(2026, 12, 21), "09:00", 30),))
    problem = exam_problem(one_sitting, "autumn")
    instance = tmp_path / "autumn.json"
    instance.write_text(problem_to_json(problem))
    code, output = run("exams", "solve", str(instance), "--time-limit", "2", "--workers", "1")
    assert code == 1
    for reason in explain_infeasibility(problem, Scenario()):
        assert f"why: {reason}" in output
    assert "why: The exams of LAN1001 Foreign Language, " in output


def test_the_format_can_be_given(tmp_path: Path) -> None:
    code, output = run(
        "exams", "check", "--format", "itc2007", SET6, str(bundled_reference_solution("exam_comp_set6"))
    )
    assert code == 0, output


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).parent / "registrar"
    result = subprocess.run(
        [str(script), "exams", "check", SET6, str(bundled_reference_solution("exam_comp_set6"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "31950" in result.stdout


TINY_EXAMS = (
    "[Exams:2]\n60, 1, 2\n60, 2, 3\n[Periods:2]\n15:04:2005, 09:30:00, 120, 0\n16:04:2005, 09:30:00, 120, 0\n"
    "[Rooms:1]\n100, 0\n[InstitutionalWeightings]\nTWOINAROW, 7\nTWOINADAY, 5\nPERIODSPREAD, 5\n"
    "NONMIXEDDURATIONS, 10\nFRONTLOAD, 1, 1, 5\n"
)


def test_an_output_that_cannot_be_written_is_refused_before_the_solve(tmp_path: Path) -> None:
    """Each was a traceback after the whole solve (DatasetError, FileNotFoundError, FileExistsError,
    or a ValueError for a Toronto timetable in the ITC 2007 format, which needs rooms)."""
    exams = tmp_path / "tiny.exam"
    exams.write_text(TINY_EXAMS)
    semester = tmp_path / "semester"
    write_registrar(generate_semester(120, 17), semester)
    a_file = tmp_path / "a_file"
    a_file.write_text("kept\n")
    missing = tmp_path / "nodir"
    attestation = tmp_path / "sac"
    assert (
        run("generate", "sac", str(attestation), "--commissions", "2", "--defences", "30", "--weeks", "2")[0]
        == 0
    )
    toronto = str(bundled_instance("hec-s-92"))
    exam_solve, toronto_solve = ["exams", "solve", str(exams)], ["exams", "solve", toronto]
    lesson_solve, sac_solve = ["lessons", "solve", str(semester)], ["sac", "solve", str(attestation)]
    load_solve, together = ["load", "solve", str(semester)], ["load", "together", *[str(semester)] * 2]
    placing = ["masterclasses", "solve", str(semester), "--timetable", str(tmp_path / "timetable.csv")]
    placing += ["--starts-on", "2026-09-07"]
    refused = [
        ([*exam_solve, "--output", "out.txt"], "--output", "cannot tell the format of 'out.txt'"),
        ([*exam_solve, "--output", f"{missing}/x.sln"], "--output", "nodir of x.sln does not exist"),
        ([*exam_solve, "--json", f"{missing}/x.json"], "--json", "nodir of x.json does not exist"),
        ([*exam_solve, "--output", str(tmp_path)], "--output", "is a folder; name a file"),
        ([*exam_solve, "--output", f"{a_file}/x.sln"], "--output", "a_file of x.sln is a file"),
        ([*toronto_solve, "--output", str(tmp_path / "hec.sln")], "--output", "Toronto instance has no room"),
        ([*lesson_solve, "--output", str(a_file)], "--output", "a_file is a file; name a folder"),
        ([*lesson_solve, "--json", f"{missing}/x.json"], "--json", "does not exist"),
        ([*sac_solve, "--output", str(a_file)], "--output", "a_file is a file"),
        ([*sac_solve, "--json", f"{missing}/x.json"], "--json", "does not exist"),
        ([*load_solve, "--json", f"{missing}/x.json"], "--json", "does not exist"),
        ([*load_solve, "--output", f"{a_file}/out"], "--output", "a_file is a file, so"),
        ([*together, "--json", f"{missing}/x.json"], "--json", "does not exist"),
        ([*placing, "--output", f"{missing}/x.csv"], "--output", "nodir of x.csv does not exist"),
        ([*placing, "--json", f"{missing}/x.json"], "--json", "nodir of x.json does not exist"),
    ]
    for arguments, option, reason in refused:
        code, output = run(*arguments, "--time-limit", "60", "--workers", "1")
        assert code == 2, (arguments, output)
        assert f"Invalid value for {option}: " in output and reason in output, (arguments, output)
        assert " s on 1 workers" not in output  # no solve began
    assert a_file.read_text() == "kept\n" and not missing.exists()


def test_a_write_that_fails_after_the_solve_is_a_message(tmp_path: Path) -> None:
    exams = tmp_path / "tiny.exam"
    exams.write_text(TINY_EXAMS)
    code, output = run(
        "exams", "solve", str(exams), "--time-limit", "2", "--workers", "1", "--json", "/dev/full"
    )
    assert code == 2 and "error: cannot write /dev/full: No space left on device" in output
