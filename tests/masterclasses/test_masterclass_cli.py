"""Master classes from the command line, the way the office would: requests written next to a
registrar folder, placed around its class timetable; a bad request named by line and column."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from datasets.masterclass_tables import masterclass_problem, read_requests
from datasets.registrar_csv import lesson_problem, read_records
from datasets.registrar_timetable import read_timetable
from datasets.registrar_week import room_closures, weekly_meetings

STARTS_ON = "2026-09-07"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mc")
    runner = CliRunner()
    semester = root / "semester"
    assert (
        runner.invoke(
            main, ["generate", "semester", "--students", "300", "--seed", "5", "--output", str(semester)]
        ).exit_code
        == 0
    )
    solved = runner.invoke(
        main,
        [
            "lessons",
            "solve",
            str(semester),
            "--time-limit",
            "4",
            "--workers",
            "1",
            "--output",
            str(root / "tt"),
        ],
    )
    assert solved.exit_code == 0, solved.output
    made = runner.invoke(
        main, ["masterclasses", "generate", str(semester), "--count", "6", "--starts-on", STARTS_ON]
    )
    assert made.exit_code == 0 and "6 master-class requests" in made.output
    return root


def test_requests_are_placed_in_free_halls_around_the_timetable(folder: Path) -> None:
    semester, out = folder / "semester", folder / "placed.csv"
    answer = CliRunner().invoke(
        main,
        [
            "masterclasses",
            "solve",
            str(semester),
            "--timetable",
            str(folder / "tt" / "timetable.csv"),
            "--starts-on",
            STARTS_ON,
            "--time-limit",
            "10",
            "--workers",
            "1",
            "--output",
            str(out),
            "--json",
            str(folder / "r.json"),
        ],
    )
    assert answer.exit_code == 0, answer.output
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 6 and ("optimal" in answer.output or "feasible" in answer.output)
    data = read_records(semester)
    fixed = read_timetable(folder / "tt" / "timetable.csv", lesson_problem(data, "x"))
    meetings = weekly_meetings(data, fixed)
    problem = masterclass_problem(
        "x",
        data,
        meetings,
        read_requests(semester),
        dt.date(2026, 9, 7),
        15,
        closures=room_closures(data),
    )
    for row in rows:
        date = dt.date.fromisoformat(row["date"])
        start = int(row["start"][:2]) * 60 + int(row["start"][3:])
        end = int(row["end"][:2]) * 60 + int(row["end"][3:])
        taken = [
            m
            for m in meetings
            if m.room == row["hall"] and m.weekday == date.weekday() and m.start < end and start < m.end
        ]
        assert not taken, (row, taken)  # during the teaching weeks the hall has no class then
    assert '"objective"' in (folder / "r.json").read_text() and len(problem.events) == 6


def test_a_bad_request_is_named_by_line_and_column(folder: Path, tmp_path: Path) -> None:
    semester = folder / "semester"
    text = (semester / "masterclasses.csv").read_text().splitlines()
    broken = tmp_path / "semester"
    broken.mkdir()
    for file in semester.iterdir():
        (broken / file.name).write_bytes(file.read_bytes())
    arguments = ["masterclasses", "solve", str(broken), "--timetable", str(folder / "tt" / "timetable.csv")]
    arguments += ["--starts-on", STARTS_ON]
    name, minutes, rest = text[2].split(",", 2)
    too_long = text[:2] + [f"{name},600,{rest}"] + text[3:]  # longer than any of its windows
    (broken / "masterclasses.csv").write_text("\n".join(too_long) + "\n")
    answer = CliRunner().invoke(main, arguments)
    assert answer.exit_code == 2 and "masterclasses.csv:3: windows:" in answer.output
    assert "shorter than the 600 minutes" in answer.output
    column = text[0].split(",").index("audience")
    rows = list(csv.reader(text))
    line, cells = next((n, row) for n, row in enumerate(rows) if n and " " in row[column])
    cohort = next(entry for entry in cells[column].split(";") if " " in entry)  # 'Programme Year'
    cells[column] = cohort + "x"  # a slip of the keyboard
    misspelt = text[:line] + [",".join(f'"{cell}"' for cell in cells)] + text[line + 1 :]
    (broken / "masterclasses.csv").write_text("\n".join(misspelt) + "\n")
    answer = CliRunner().invoke(main, arguments)
    assert answer.exit_code == 2 and f"masterclasses.csv:{line + 1}: {cells[0]}: audience:" in answer.output
    assert f"did you mean {cohort!r}?" in answer.output


def test_a_hall_kind_no_room_is_of_is_named_at_its_line(folder: Path, tmp_path: Path) -> None:
    semester, broken = folder / "semester", tmp_path / "semester"
    broken.mkdir()
    for file in semester.iterdir():
        (broken / file.name).write_bytes(file.read_bytes())
    rows = list(csv.reader((semester / "masterclasses.csv").read_text().splitlines()))
    rows[3][rows[0].index("hall_kind")] = "lecture theatre"
    with (broken / "masterclasses.csv").open("w", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    kinds = ", ".join(sorted({room.kind for room in read_records(semester).rooms}))
    arguments = ["masterclasses", "solve", str(broken), "--timetable", str(folder / "tt" / "timetable.csv")]
    answer = CliRunner().invoke(main, [*arguments, "--starts-on", STARTS_ON], terminal_width=300)
    assert answer.exit_code == 2, answer.output
    assert (
        f"masterclasses.csv:4: hall_kind: asks for a 'lecture theatre' hall; the halls are of kinds: {kinds}"
        in answer.output
    )


def test_no_requests_is_said_alike_whether_the_file_is_missing_or_holds_only_its_header(
    folder: Path, tmp_path: Path
) -> None:
    semester, empty = folder / "semester", tmp_path / "semester"
    empty.mkdir()
    for file in semester.iterdir():
        if file.name != "masterclasses.csv":
            (empty / file.name).write_bytes(file.read_bytes())
    arguments = ["masterclasses", "solve", str(empty), "--timetable", str(folder / "tt" / "timetable.csv")]
    arguments += ["--starts-on", STARTS_ON, "--time-limit", "1", "--workers", "1"]
    answer = CliRunner().invoke(main, arguments, terminal_width=300)
    assert answer.exit_code == 2
    assert "masterclasses.csv: no master-class requests: the file is missing" in answer.output
    header = (semester / "masterclasses.csv").read_text().splitlines()[0]
    (empty / "masterclasses.csv").write_text(header + "\n")
    answer = CliRunner().invoke(main, arguments, terminal_width=300)
    assert answer.exit_code == 2, answer.output
    assert "masterclasses.csv: no master-class requests: the file has its header and no rows" in answer.output
