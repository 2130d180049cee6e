"""`registrar load`, run the way a planner runs it: generate, solve, check, compare actual hours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cli.main import main
from constraints.load import evaluate
from datasets.load_tables import read_assignment
from datasets.registrar_csv import read_records
from datasets.registrar_load import read_year_load
from service.storage import schema
from service.storage.database import Database
from service.storage.records import semester_named
from service.teaching_load import load_problem
from solver.reports import SHARED_PEAK
from tests.load_factory import load_folder
from tests.service_factory import SEMESTER, database_with_a_semester


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), terminal_width=200)
    return result.exit_code, result.output


def test_generate_solve_check_and_actual(tmp_path: Path) -> None:
    data, out, report = tmp_path / "load", tmp_path / "out", tmp_path / "report.json"
    code, output = run(
        "load", "generate", "--teachers", "20", "--sections", "80", "--seed", "4", "--output", str(data)
    )
    assert code == 0 and "written to" in output, output
    code, output = run(
        "load",
        "solve",
        str(data),
        "--time-limit",
        "4",
        "--workers",
        "2",
        "--output",
        str(out),
        "--json",
        str(report),
    )
    assert code == 0, output
    assert "largest deviation" in output and "planned hours by department" in output
    written = json.loads(report.read_text())
    for field in (
        "status",
        "objective",
        "best_bound",
        "gap",
        "time_to_first_feasible",
        "variables",
        "parameters",
    ):
        assert field in written
    assert sorted(p.name for p in out.iterdir()) == ["assignment.csv", "by_department.csv", "by_teacher.csv"]
    code, output = run("load", "check", str(data), str(out / "assignment.csv"))
    assert code == 0 and "no hard rule is broken" in output, output
    first_teacher = (data / "teachers.csv").read_text().splitlines()[1].split(",")[0]
    (tmp_path / "actual.csv").write_text(f"teacher,hours\n{first_teacher},7\n")
    code, output = run(
        "load", "actual", str(data), str(tmp_path / "actual.csv"), "--plan", str(out / "assignment.csv")
    )
    assert code == 0 and "actual against planned hours" in output and first_teacher in output, output


def test_the_runs_own_warnings_reach_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the solve itself says (here: the peak memory shared with another run) stays in the JSON
    report beside what the records say; the command once replaced the solver's warnings with those."""
    data, report = tmp_path / "load", tmp_path / "report.json"
    generate = ["load", "generate", "--teachers", "20", "--sections", "80", "--seed", "4", "--output"]
    code, output = run(*generate, str(data))
    assert code == 0, output
    monkeypatch.setattr("solver.reports.peak_shared", lambda: True)
    code, output = run("load", "solve", str(data), "--time-limit", "1", "--json", str(report))
    assert code == 0, output
    assert json.loads(report.read_text())["warnings"] == [SHARED_PEAK]


def test_a_registrar_semester_folder_is_read_as_one_term_of_the_year(tmp_path: Path) -> None:
    """Its sections and extra load are the items, the teachers they name now the plan so far."""
    semester, report = tmp_path / "autumn", tmp_path / "report.json"
    code, output = run("generate", "semester", "--students", "150", "--seed", "2", "--output", str(semester))
    assert code == 0, output
    records = read_records(semester)
    problem = read_year_load(semester, term=2)
    assert len(problem.items) == len(records.sections) + len(records.extra_load)
    assert {item.term for item in problem.items} == {2}
    code, output = run("load", "solve", str(semester), "--time-limit", "3", "--json", str(report))
    assert code == 0, output
    written = json.loads(report.read_text())
    assert written["problem_name"] == "autumn" and written["objective"] is not None
    assert "term balance" not in output  # one term alone has no other to balance against
    section = next(s for s in records.sections if s.teachers and len(s.teachers) == 1)
    teacher = section.teachers[0]
    (tmp_path / "actual.csv").write_text(f"teacher,hours\n{teacher},1\n")
    short = read_year_load(semester, teaching_weeks=12)  # a 12-week semester
    (item,) = [item for item in short.items if item.name == section.ref]
    assert item.hours == sum(section.meetings) * 12
    planned = sum(
        item.share for item in short.items for t in item.previous if short.teachers[t].name == teacher
    )
    code, output = run("load", "actual", str(semester), str(tmp_path / "actual.csv"), "--weeks", "12")
    assert code == 0, output
    assert f"{teacher} │ {planned:,} │ 1 │ {1 - planned:+,}" in " ".join(output.split()), output


def test_a_registrar_semester_folders_teachers_are_its_published_timetables_plan(tmp_path: Path) -> None:
    """Re-staffing a department within the published timetable starts from the pair as published:
    the timetable and the teachers the sections name."""
    semester, timetable, report = tmp_path / "autumn", tmp_path / "published", tmp_path / "report.json"
    code, output = run("generate", "semester", "--students", "150", "--seed", "2", "--output", str(semester))
    assert code == 0, output
    code, output = run("lessons", "solve", str(semester), "--time-limit", "4", "--output", str(timetable))
    assert code == 0, output
    department = read_records(semester).departments[0].name
    code, output = run(
        "load", "together", str(semester), str(semester), "--department", department,
        "--timetable", str(timetable / "timetable.csv"), "--time-limit", "8", "--json", str(report),
    )  # fmt: skip
    assert code == 0, output
    notes = [point["note"] for point in json.loads(report.read_text())["progress"]]
    assert notes[0] == "published", notes


def test_a_semester_folders_extra_load_named_twice_or_as_a_section_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    """Both are items of the load; the load alone refused them naming neither file nor line."""
    semester = tmp_path / "autumn"
    code, output = run("generate", "semester", "--students", "150", "--seed", "2", "--output", str(semester))
    assert code == 0, output
    section = read_records(semester).sections[0].ref
    extra = semester / "extra_load.csv"
    header = extra.read_text()
    extra.write_text(f"{header}{section},thesis supervision,10,,,,\n")
    code, output = run("load", "solve", str(semester), "--time-limit", "1", "--workers", "1")
    reason = f"extra_load.csv:2: name: {section!r} is a section's name too: give the work a name of its own"
    assert code == 2 and reason in " ".join(output.split()), output
    extra.write_text(f"{header}Theses,thesis supervision,10,,,,\nTheses,thesis supervision,12,,,,\n")
    code, output = run("load", "solve", str(semester), "--time-limit", "1", "--workers", "1")
    assert code == 2 and "extra_load.csv:3: name: 'Theses' is listed twice" in output, output


def test_check_names_an_unqualified_overloaded_assignment(tmp_path: Path) -> None:
    data = load_folder(
        tmp_path,
        ["Aigerim,Physics,lecturer,100,PHY101,Russian", "Marat,Physics,lecturer,100,PHY102,Kazakh"],
        ["PHY101 L1,PHY101,lecture,Physics,Russian,60", "PHY102 L1,PHY102,lecture,Physics,Kazakh,60"],
    )
    (tmp_path / "mine.csv").write_text("item,teachers\nPHY101 L1,Aigerim\nPHY102 L1,Aigerim\n")
    code, output = run("load", "check", str(data), str(tmp_path / "mine.csv"))
    assert code == 1
    assert "is not qualified for PHY102 lecture" in output
    assert "Aigerim (Physics) is overloaded: 120 h against a norm of 100 h" in output


def test_bad_input_exits_with_the_file_and_line(tmp_path: Path) -> None:
    code, output = run("load", "solve", str(tmp_path / "missing"))
    assert code == 2 and "expected a folder" in output
    code, output = run("load", "solve", str(tmp_path), "--output", str(tmp_path / "plan.csv"))
    assert code == 2 and "looks like a file; --output names a folder" in " ".join(output.split()), output
    assert not (tmp_path / "plan.csv").exists()
    (tmp_path / "teachers.csv").write_text("name,department,rank\nA,B,lecturer\n")
    (tmp_path / "items.csv").write_text("name,course,component,hours\nX,Y,lecture,-3\n")
    code, output = run("load", "solve", str(tmp_path))
    assert code == 2 and "items.csv:2: hours: must not be negative" in output, output


def test_an_impossible_load_exits_1_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "teachers.csv").write_text(
        "name,department,rank,norm,qualifications,languages\nA,Maths,lecturer,50,CAL,Russian\n"
    )
    (tmp_path / "items.csv").write_text(
        "name,course,component,department,language,hours\nCAL P1,CAL,practice,Maths,Russian,90\n"
    )
    code, output = run("load", "solve", str(tmp_path), "--time-limit", "2")
    assert code == 1
    assert (
        "Maths department: 90 hours of CAL practice in Russian; its qualified Russian-speaking teachers "
        "can give at most 50." in output.replace("\n", " ")
    )


def test_weights_change_the_scenario_and_bad_ones_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "load"
    run("load", "generate", "--teachers", "14", "--sections", "30", "--seed", "5", "--output", str(data))
    code, output = run(
        "load",
        "solve",
        str(data),
        "--time-limit",
        "2",
        "--weight",
        "term balance=0",
        "--weight",
        "changes from last year=7",
    )
    assert code == 0, output
    assert "term balance" not in output and "changes from last year" in output
    code, output = run("load", "solve", str(data), "--weight", "beauty=3")
    assert code == 2 and "is not one of" in output


def two_departments(tmp_path: Path) -> Path:
    """Physics (two teachers, two lectures, thirty short Kazakh practices) and Mathematics (two teachers,
    one of them qualified for a Physics course too)."""
    return load_folder(
        tmp_path,
        [
            "Aigerim,Physics,lecturer,100,50,PHY101,Russian",
            "Marat,Physics,lecturer,100,0,PHY102,Kazakh",
            "Dana,Mathematics,lecturer,100,80,MAT101;PHY101,Russian",
            "Yerlan,Mathematics,lecturer,300,100,MAT101,Russian",
        ],
        [
            "PHY101 L1,PHY101,lecture,Physics,Russian,60",
            "PHY102 L1,PHY102,lecture,Physics,Kazakh,60",
            *(f"PHY102 P{k},PHY102,practice,Physics,Kazakh,2" for k in range(30)),
            "MAT101 L1,MAT101,lecture,Mathematics,Russian,60",
            "MAT101 P1,MAT101,practice,Mathematics,Russian,60",
        ],
        teacher_columns="name,department,rank,norm,minimum,qualifications,languages",
    )


def test_check_judges_a_departments_own_distribution_within_its_department(tmp_path: Path) -> None:
    """Physics hands in its own items only: Mathematics is not reported untaught or underloaded,
    the Mathematics teacher lent to Physics is judged on her hours there, and one unqualified
    assignment is shown among thirty untaught practices."""
    data = two_departments(tmp_path)
    (tmp_path / "physics.csv").write_text("item,teachers\nPHY101 L1,Dana\nPHY102 L1,Aigerim\n")
    code, output = run("load", "check", str(data), str(tmp_path / "physics.csv"))
    assert code == 1, output
    flat = " ".join(output.split())
    assert (
        "checked Physics: 32 of the year's 34 items and 2 teachers; 1 teacher of another department" in flat
    )
    assert (
        "Aigerim (Physics) teaches PHY102 L1 (PHY102 lecture in Kazakh, 60 h, term 1) but is not qualified"
        in flat
    )
    assert "coverage 30" in flat and "qualification 1" in flat
    assert "MAT101" not in output and "Yerlan" not in output, output
    assert "Dana (Mathematics) is underloaded" not in flat
    assert "Mathematics │" not in output  # the department table holds Physics alone
    # The whole year handed in is checked as the whole year.
    (tmp_path / "year.csv").write_text("item,teachers\nPHY101 L1,Dana\nMAT101 L1,Yerlan\n")
    code, output = run("load", "check", str(data), str(tmp_path / "year.csv"))
    assert code == 1 and "checked" not in output, output
    assert "Aigerim (Physics) is underloaded: 0 h" in " ".join(output.split())


def test_actual_hours_of_a_department_and_a_term_against_the_plan(tmp_path: Path) -> None:
    """Physics reports its autumn hours: only Physics is compared, with the autumn's plan, and a
    lecture given by someone other than planned is named."""
    data = two_departments(tmp_path)
    (tmp_path / "plan.csv").write_text(
        "item,teachers\nPHY101 L1,Aigerim\nPHY102 L1,Marat\nMAT101 L1,Yerlan\n"
    )
    (tmp_path / "actual.csv").write_text(
        "teacher,hours,item\nAigerim,50,PHY101 L1\nMarat,60,\nMarat,10,PHY101 L1\n"
    )
    for term, lines in (
        ("1", ["Aigerim │ 60 │ 50 │ -10", "Marat │ 60 │ 70 │ +10"]),
        ("2", ["Aigerim │ 0 │ 50 │ +50"]),
    ):
        code, output = run(
            "load",
            "actual",
            str(data),
            str(tmp_path / "actual.csv"),
            "--plan",
            str(tmp_path / "plan.csv"),
            "--term",
            term,
        )
        assert code == 0, output
        flat = " ".join(output.split())
        assert f"actual hours against the plan, term {term}; Physics: 2 teachers" in flat
        assert all(line in flat for line in lines), output
        assert "Mathematics" not in output and "Yerlan" not in output
        assert "PHY101 L1 │ Aigerim │ Marat │ 10" in flat


def test_load_solve_takes_a_semester_from_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue asks for the registrar database as input as well as files: the same load the
    service's run builds, its checker agreeing, with what looks mistaken in the records said."""
    url = database_with_a_semester(tmp_path / "r.sqlite3", 120, 45)
    course, misspelt = "MAT3004", "MAT-3004"
    database = Database(url)
    with database.transaction() as session:
        smith = next(t for t in session.scalars(select(schema.Teacher)) if course in t.qualifications)
        smith.wanted = [misspelt]  # a wish for no course: the load can still be given
        name = smith.name
        problem = load_problem(session, semester_named(session, SEMESTER))
    database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    report_path = tmp_path / "report.json"
    asked = ["load", "solve", "--semester", SEMESTER, "--time-limit", "3", "--workers", "1"]
    result = runner.invoke(main, [*asked, "--json", str(report_path), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warning = f"Teacher {name} asks for '{misspelt}', which no course is coded as; did you mean '{course}'?"
    assert warning in " ".join(result.output.split())
    report = json.loads(report_path.read_text())
    assert report["warnings"] == [warning] and report["problem_name"] == problem.name
    solution = read_assignment(tmp_path / "out" / "assignment.csv", problem)
    assert evaluate(problem, solution).total == report["objective"]
    unknown = runner.invoke(main, ["load", "solve", "--semester", "no such"])
    assert unknown.exit_code == 2 and "No semester 'no such' (stored: " in unknown.output
    both = runner.invoke(main, ["load", "solve", str(tmp_path), "--semester", SEMESTER])
    neither = runner.invoke(main, ["load", "solve"])
    for refused in (both, neither):
        assert refused.exit_code == 2 and "give either FOLDER or --semester" in refused.output
