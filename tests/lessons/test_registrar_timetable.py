"""The registrar's timetable files: written, read back, checked row by row, and from the command line."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from constraints.lessons import evaluate
from datasets.errors import DatasetError
from datasets.lessons_io import (
    guess_lesson_format,
    read_lesson_problem,
    read_lesson_solution,
    write_lesson_solution,
)
from datasets.registrar_csv import read_registrar, write_registrar
from datasets.registrar_records import (
    Building,
    Calendar,
    Course,
    Period,
    RegistrarData,
    Registration,
    Room,
    SectionRecord,
    Student,
    TeacherRecord,
)
from datasets.registrar_timetable import (
    FILES,
    format_time,
    parse_time,
    read_timetable,
    timetable_rows,
    write_timetable,
)
from datasets.semester import generate_semester
from models import LessonProblem, LessonSolution
from solver.lessons.initial import static_places

AKHMETOVA, PETROV = "Akhmetova Aigerim", "Petrov Sergey"

RECORDS = RegistrarData(
    calendar=Calendar(
        days=("Mon", "Tue"),
        periods=(
            Period("1", "08:00"),
            Period("2", "09:00", lunch_after=True),
            Period("3", "10:30"),
            Period("4", "11:30"),
        ),
    ),
    departments=(),
    buildings=(Building("Main Building"), Building("Lab Block")),
    rooms=(Room("MB-101", "Main Building", 60, "lecture hall"), Room("LB-1", "Lab Block", 20, "classroom")),
    teachers=(TeacherRecord(AKHMETOVA), TeacherRecord(PETROV)),
    courses=(Course("CSE1001", "Programming Principles", 5),),
    sections=(
        SectionRecord("CSE1001", "L1", "lecture", 50, (2, 1), teachers=(AKHMETOVA,)),
        SectionRecord("CSE1001", "P1", "practice", 20, (1,), teachers=(PETROV,)),
        SectionRecord("CSE1001", "P2", "practice", 20, (1,), teachers=(PETROV, AKHMETOVA)),
    ),
    # listed out of order: the views sort people by name
    students=(Student("25B000002"), Student("25B000001"), Student("25B000003")),
    registrations=(
        Registration("25B000002", "CSE1001 L1"),
        Registration("25B000002", "CSE1001 P2"),
        Registration("25B000001", "CSE1001 L1"),
        Registration("25B000001", "CSE1001 P1"),
        Registration("25B000003", "CSE1001 L1"),
    ),
)

# meetings: 0 = L1 first (two periods), 1 = L1 second, 2 = P1, 3 = P2 (left unplaced)
# slots: Mon periods 1-4 are 0-3, Tue periods 1-4 are 4-7
STARTS = (2, 4, 0, None)
ROOMS = (0, 0, 1, None)

TIMETABLE = (
    "section,meeting,time,starts_at,room,building,teachers,course,component,students\n"
    "CSE1001 L1,1,Mon 3-4,10:30,MB-101,Main Building,Akhmetova Aigerim,CSE1001,lecture,3\n"
    "CSE1001 L1,2,Tue 1,08:00,MB-101,Main Building,Akhmetova Aigerim,CSE1001,lecture,3\n"
    "CSE1001 P1,1,Mon 1,08:00,LB-1,Lab Block,Petrov Sergey,CSE1001,practice,1\n"
    "CSE1001 P2,1,,,,,Petrov Sergey;Akhmetova Aigerim,CSE1001,practice,1\n"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spring")
    write_registrar(RECORDS, path)
    return path


@pytest.fixture(scope="module")
def problem(folder: Path) -> LessonProblem:
    return read_registrar(folder)


@pytest.fixture(scope="module")
def solution(problem: LessonProblem) -> LessonSolution:
    return LessonSolution(problem_name=problem.name, starts=STARTS, rooms=ROOMS)


@pytest.fixture(scope="module")
def written(
    problem: LessonProblem, solution: LessonSolution, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("timetable") / "out"  # not there yet: write_timetable makes it
    write_timetable(problem, solution, out)
    return out


def _table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


# --- writing ---------------------------------------------------------------------------------


def test_the_timetable_lists_every_meeting_as_staff_write_it(written: Path) -> None:
    assert sorted(path.name for path in written.iterdir()) == sorted(FILES)
    assert (written / "timetable.csv").read_text(encoding="utf-8") == TIMETABLE


def test_the_json_holds_the_same_rows_and_the_problem_name(
    written: Path, problem: LessonProblem, solution: LessonSolution
) -> None:
    document = json.loads((written / "timetable.json").read_text(encoding="utf-8"))
    assert document["problem"] == problem.name
    assert document["meetings"] == timetable_rows(problem, solution)
    header, *rows = _table(written / "timetable.csv")
    for row, item in zip(rows, document["meetings"], strict=True):
        assert list(item) == header
        as_text = {
            key: ";".join(value) if isinstance(value, list) else str(value) for key, value in item.items()
        }
        assert dict(zip(header, row, strict=True)) == as_text
    assert document["meetings"][3]["teachers"] == [PETROV, AKHMETOVA]


def test_each_student_reads_their_week_top_to_bottom(written: Path) -> None:
    assert _table(written / "by_student.csv") == [
        ["student", "day", "time", "starts_at", "section", "room", "building"],
        ["25B000001", "Mon", "Mon 1", "08:00", "CSE1001 P1", "LB-1", "Lab Block"],
        ["25B000001", "Mon", "Mon 3-4", "10:30", "CSE1001 L1", "MB-101", "Main Building"],
        ["25B000001", "Tue", "Tue 1", "08:00", "CSE1001 L1", "MB-101", "Main Building"],
        ["25B000002", "Mon", "Mon 3-4", "10:30", "CSE1001 L1", "MB-101", "Main Building"],
        ["25B000002", "Tue", "Tue 1", "08:00", "CSE1001 L1", "MB-101", "Main Building"],
        ["25B000002", "", "", "", "CSE1001 P2", "", ""],
        ["25B000003", "Mon", "Mon 3-4", "10:30", "CSE1001 L1", "MB-101", "Main Building"],
        ["25B000003", "Tue", "Tue 1", "08:00", "CSE1001 L1", "MB-101", "Main Building"],
    ]


def test_each_teacher_and_room_reads_its_week_top_to_bottom(written: Path) -> None:
    assert _table(written / "by_teacher.csv") == [
        ["teacher", "day", "time", "starts_at", "section", "room", "building"],
        [AKHMETOVA, "Mon", "Mon 3-4", "10:30", "CSE1001 L1", "MB-101", "Main Building"],
        [AKHMETOVA, "Tue", "Tue 1", "08:00", "CSE1001 L1", "MB-101", "Main Building"],
        [AKHMETOVA, "", "", "", "CSE1001 P2", "", ""],
        [PETROV, "Mon", "Mon 1", "08:00", "CSE1001 P1", "LB-1", "Lab Block"],
        [PETROV, "", "", "", "CSE1001 P2", "", ""],
    ]
    assert _table(written / "by_room.csv") == [
        ["room", "building", "capacity", "day", "time", "starts_at", "section", "teachers", "students"],
        ["LB-1", "Lab Block", "20", "Mon", "Mon 1", "08:00", "CSE1001 P1", PETROV, "1"],
        ["MB-101", "Main Building", "60", "Mon", "Mon 3-4", "10:30", "CSE1001 L1", AKHMETOVA, "3"],
        ["MB-101", "Main Building", "60", "Tue", "Tue 1", "08:00", "CSE1001 L1", AKHMETOVA, "3"],
    ]


def test_times_are_written_and_read_with_the_calendar_names(problem: LessonProblem) -> None:
    grid = problem.grid
    assert format_time(grid, 2, 2) == "Mon 3-4" and format_time(grid, 7, 1) == "Tue 4"
    assert parse_time(grid, "Mon 3-4") == (2, 2)
    assert parse_time(grid, " tue 2 - 4 ") == (5, 3)
    assert parse_time(grid, "Tue") == (4, 4)
    for start in range(grid.slot_count):
        for length in range(1, grid.periods_per_day - grid.period_of(start) + 1):
            assert parse_time(grid, format_time(grid, start, length)) == (start, length)


# --- reading back ----------------------------------------------------------------------------


def test_the_timetable_reads_back_from_the_file_or_its_folder(
    written: Path, problem: LessonProblem, solution: LessonSolution
) -> None:
    assert read_timetable(written / "timetable.csv", problem) == solution
    assert read_timetable(written, problem) == solution


def test_a_meeting_not_listed_stays_unplaced_and_columns_for_people_may_go(
    problem: LessonProblem, tmp_path: Path
) -> None:
    path = tmp_path / "edited.csv"
    path.write_text("\ufeffRoom,Time,Section,Meeting\nMB-101, mon 3 - 4 ,CSE1001 L1,1\n\n,,CSE1001 L1,2\n")
    assert read_timetable(path, problem) == LessonSolution(
        problem_name=problem.name, starts=(2, None, None, None), rooms=(0, None, None, None)
    )


def test_a_meeting_across_lunch_reads_and_the_checker_refuses_it(
    problem: LessonProblem, tmp_path: Path
) -> None:
    path = tmp_path / "timetable.csv"
    path.write_text(TIMETABLE.replace("Mon 3-4", "Mon 2-3"))
    timetable = read_timetable(path, problem)
    assert timetable.starts[0] == 1
    evaluation = evaluate(problem, timetable)
    assert not evaluation.feasible
    assert any(
        "Meeting 1 of CSE1001 L1" in violation.message for violation in evaluation.violations(hard=True)
    )


def _edit(old: str, new: str) -> str:
    assert old in TIMETABLE, old
    return TIMETABLE.replace(old, new, 1)


MALFORMED = {
    "unknown section": (2, "section", "unknown section", _edit("CSE1001 L1,1,", "CSE1001 L9,1,")),
    "empty section": (4, "section", "is empty", _edit("CSE1001 P1,1,", ",1,")),
    "meeting out of range": (3, "meeting", "has 2 meetings", _edit("CSE1001 L1,2,", "CSE1001 L1,3,")),
    "meeting zero": (4, "meeting", "has 1 meeting (numbered from 1), found 0", _edit("P1,1,", "P1,0,")),
    "meeting not a number": (4, "meeting", "whole number", _edit("P1,1,", "P1,first,")),
    "meeting listed twice": (
        3,
        "meeting",
        "meeting 1 of CSE1001 L1 is already listed on line 2",
        _edit("CSE1001 L1,2,", "CSE1001 L1,1,"),
    ),
    "unknown day": (2, "time", "unknown day 'Sun'", _edit("Mon 3-4", "Sun 3-4")),
    "unknown period": (2, "time", "unknown period '5'", _edit("Mon 3-4", "Mon 3-5")),
    "backward periods": (2, "time", "period 3 comes before period 4", _edit("Mon 3-4", "Mon 4-3")),
    "not a time": (4, "time", "write a day and periods", _edit("Mon 1,", "Monday first thing,")),
    "time too short": (
        2,
        "time",
        "'Mon 3' is 1 period but meeting 1 of CSE1001 L1 lasts 2 periods (e.g. 'Mon 3-4')",
        _edit("Mon 3-4", "Mon 3"),
    ),
    "time too long": (3, "time", "lasts 1 period", _edit("Tue 1,", "Tue 1-2,")),
    "whole day": (4, "time", "'Mon' is 4 periods", _edit("Mon 1,", "Mon,")),
    "unknown room": (4, "room", "unknown room 'LB-9'", _edit("LB-1,", "LB-9,")),
    "misspelt column": (1, "room", "unknown column rom", _edit("room,", "rom,")),
    "missing column": (1, "time", "missing column time", _edit("time,", "")),
    "too many fields": (6, "fields", "11 fields", TIMETABLE + "CSE1001 P2,1,,,,,,,,,extra\n"),
}


@pytest.mark.parametrize(("line", "column", "reason", "text"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_bad_row_names_the_file_line_and_column(
    problem: LessonProblem, tmp_path: Path, line: int, column: str, reason: str, text: str
) -> None:
    path = tmp_path / "timetable.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_timetable(path, problem)
    error = caught.value
    assert Path(error.path) == path and error.line == line, str(error)
    assert error.reason.startswith(f"{column}: ") or column in error.reason, str(error)
    assert reason in error.reason, str(error)
    assert f"timetable.csv:{line}: " in str(error)


def test_a_missing_timetable_is_named(problem: LessonProblem, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"timetable\.csv: file not found"):
        read_timetable(tmp_path, problem)
    (tmp_path / "timetable.csv").write_text("")
    with pytest.raises(DatasetError, match=r"timetable\.csv:1: empty file"):
        read_timetable(tmp_path, problem)


# --- a generated semester --------------------------------------------------------------------


@pytest.fixture(scope="module")
def semester(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("semester")
    write_registrar(generate_semester(60, seed=1), path)
    return path


def _random_timetable(problem: LessonProblem, seed: int) -> LessonSolution:
    """Any timetable the files can show, good or bad: random fitting starts and rooms, a few left out."""
    rng = random.Random(seed)
    grid = problem.grid
    starts: list[int | None] = []
    rooms: list[int | None] = []
    for meeting in problem.meetings:
        if rng.random() < 0.1:
            starts.append(None)
            rooms.append(None)
            continue
        day = rng.randrange(len(grid.days))
        starts.append(grid.slot(day, rng.randrange(grid.periods_per_day - meeting.length + 1)))
        rooms.append(rng.randrange(len(problem.rooms)))
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


def test_a_generated_semester_round_trips_through_the_format_dispatch(semester: Path, tmp_path: Path) -> None:
    assert guess_lesson_format(semester) == "registrar"
    problem = read_lesson_problem(semester)
    assert problem == read_registrar(semester)
    timetable = _random_timetable(problem, seed=3)
    write_lesson_solution(timetable, problem, tmp_path / "out")
    assert read_lesson_solution(tmp_path / "out", problem) == timetable
    assert read_lesson_solution(tmp_path / "out" / "timetable.csv", problem) == timetable


def test_the_views_of_a_generated_semester_are_complete_and_sorted(semester: Path, tmp_path: Path) -> None:
    problem = read_registrar(semester)
    timetable = _random_timetable(problem, seed=4)
    write_timetable(problem, timetable, tmp_path)
    grid = problem.grid

    def week(row: dict[str, str]) -> tuple[int, int]:
        return (1, 0) if not row["time"] else (0, parse_time(grid, row["time"])[0])

    expected: dict[tuple[str, str], int] = {}
    for student, registered in problem.registrations.items():
        for index in registered:
            expected[problem.student_name(student), problem.sections[index].name] = len(
                problem.sections[index].meetings
            )
    teaching: dict[tuple[str, str], int] = {}
    for section in problem.sections:
        for teacher in section.teachers:
            teaching[problem.teachers[teacher].name, section.name] = len(section.meetings)
    held: dict[tuple[str, str], int] = {}
    for meeting in problem.meetings:
        room = timetable.rooms[meeting.index]
        if room is not None:
            key = (problem.rooms[room].name, problem.sections[meeting.section].name)
            held[key] = held.get(key, 0) + 1
    for view, who, counts in (
        ("by_student.csv", "student", expected),
        ("by_teacher.csv", "teacher", teaching),
        ("by_room.csv", "room", held),
    ):
        with (tmp_path / view).open(encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        found: dict[tuple[str, str], int] = {}
        for row in rows:
            found[row[who], row["section"]] = found.get((row[who], row["section"]), 0) + 1
        assert found == counts, view  # each registration (teaching, booking) once per meeting
        order = [(row[who], *week(row)) for row in rows]
        assert order == sorted(order), view
        assert all(row["day"] == (row["time"].split()[0] if row["time"] else "") for row in rows)


# --- the command -----------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_solve_writes_the_timetable_files_and_check_scores_them(semester: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "lessons", "solve", str(semester), "--time-limit", "5", "--workers", "2", "--output", str(out)
    )
    assert code == 0, output
    assert sorted(path.name for path in out.iterdir()) == sorted(FILES)
    assert "timetable written to" in output
    code, checked = _run("lessons", "check", str(semester), str(out / "timetable.csv"))
    assert code == 0, checked
    assert "feasible" in checked
    code, again = _run("lessons", "check", "--format", "registrar", str(semester), str(out))
    assert code == 0, again


def test_pinned_meetings_stay_where_the_pins_put_them(semester: Path, tmp_path: Path) -> None:
    problem = read_registrar(semester)
    places = static_places(problem)
    # the first meeting of three sections, each at its last possible start, any room
    chosen = [problem.meetings_of[section][0] for section in (0, 5, 10)]
    wanted = {meeting: max(places[meeting]) for meeting in chosen}
    pins = tmp_path / "pins.csv"
    rows = ["section,meeting,time,room"]
    for meeting, start in wanted.items():
        grid, length = problem.grid, problem.meetings[meeting].length
        day, period = grid.days[grid.day_of(start)], grid.period_of(start)
        periods = grid.period_name(period) + (
            f"-{grid.period_name(period + length - 1)}" if length > 1 else ""
        )
        rows.append(f"{problem.sections[problem.meetings[meeting].section].name},1,{day} {periods},")
    pins.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    args = ["--time-limit", "5", "--workers", "2", "--pins", str(pins), "--output", str(out)]
    code, output = _run("lessons", "solve", str(semester), *args)
    assert code == 0, output
    assert "3 pinned" in output
    solved = read_timetable(out, problem)
    assert {meeting: solved.starts[meeting] for meeting in chosen} == wanted


def test_check_names_a_bad_timetable_row(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "timetable.csv"
    path.write_text(_edit("LB-1,", "LB-9,"))
    code, output = _run("lessons", "check", str(folder), str(path))
    assert code == 2 and "timetable.csv:4: room: unknown room 'LB-9'" in output
    assert "Traceback" not in output


def test_check_fails_a_timetable_with_a_meeting_left_out(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "timetable.csv"
    path.write_text(TIMETABLE)
    code, output = _run("lessons", "check", str(folder), str(path))
    assert code == 1 and "hard violations" in output
