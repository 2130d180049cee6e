"""Teaching-load runs in the service: the year's load built from the stored records, solved in the
background with the checker agreeing, its statement per teacher and department, and publishing it
puts its teachers into the sections the class timetable is then built from."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from constraints.load import evaluate
from datasets.registrar_csv import lesson_problem
from datasets.registrar_records import TeachingTerms
from datasets.semester import generate_semester
from models.load import LoadSolution
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester, store_semester
from service.teaching_load import SHOWN_WARNINGS, course_warnings, load_problem
from tests.service.test_service_api import poll
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app, signed_in


@pytest.fixture(scope="module", params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("load"), 150, 41, backend=request.param) as app:
        yield app


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def solved(client: FlaskClient, semester: str = SEMESTER) -> dict:  # type: ignore[type-arg]
    asked = {"kind": "load", "semester": semester, "time_limit": 4, "workers": 1}
    started = client.post("/api/runs", json=asked)
    assert started.status_code == 202, started.get_json()
    return poll(client, started.get_json()["href"], ("finished", "failed", "cancelled"))


def test_a_load_run_finishes_the_checker_agrees_and_the_statement_adds_up(
    app: Flask, client: FlaskClient
) -> None:
    run = solved(client)
    assert run["status"] == "finished", run["error"]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None
        problem = load_problem(session, stored.semester)
        solution = LoadSolution.model_validate(stored.solution)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible and evaluation.total == run["objective"] == run["evaluation"]["total"]
    assert len(problem.items) == len(load_semester_sections(app))
    statement = client.get(f"/api/runs/{run['id']}/load-statement").get_json()
    hours = sum(
        item.share * len(set(teachers))
        for item, teachers in zip(problem.items, solution.teachers, strict=True)
    )
    assert sum(line["total"] for line in statement["teachers"]) == hours
    assert sum(line["total"] for line in statement["departments"]) == hours
    assert all(line["over"] == 0 and line["under"] == 0 for line in statement["teachers"])
    assert client.get("/api/runs/999999/load-statement").status_code == 404
    assert client_as(app, "viewer").get(f"/api/runs/{run['id']}/load-statement").status_code == 403


def load_semester_sections(app: Flask) -> list[str]:
    with app.extensions[KEY].database.transaction() as session:
        return [s.ref for s in load_semester(session, SEMESTER).sections]


def test_publishing_a_load_puts_its_teachers_into_the_class_timetable(
    app: Flask, client: FlaskClient
) -> None:
    with app.extensions[KEY].database.transaction() as session:
        problem = load_problem(session, session.scalars(select(schema.Semester)).one())
    run = solved(client)
    assert run["status"] == "finished", run["error"]
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None
        solution = LoadSolution.model_validate(stored.solution)
        data = load_semester(session, SEMESTER)
    sections = {s.ref: s for s in data.sections}
    for item, teachers in zip(problem.items, solution.teachers, strict=True):
        assert sections[item.section].teachers == tuple(problem.teachers[t].name for t in teachers)
    lessons = lesson_problem(data, SEMESTER)
    names = [t.name for t in lessons.teachers]
    first = lessons.sections[0]
    assert tuple(names[t] for t in first.teachers) == sections[data.sections[0].ref].teachers


def test_the_two_terms_of_a_year_are_planned_together(tmp_path: Path) -> None:
    data = generate_semester(120, 43)
    with running_app(tmp_path, 120, 43) as app, app.extensions[KEY].database.transaction() as session:
        first = session.scalars(select(schema.Semester)).one()
        alone = load_problem(session, first)  # one term of the year: half its norms and cap
        assert {item.term for item in alone.items} == {1} and alone.contact_cap == 340
        first.academic_year, first.term = "2026/27", 1
        spring = store_semester(session, data, "2027 spring", academic_year="2026/27", term=2)
        year = load_problem(session, spring)
    assert {item.term for item in year.items} == {1, 2} and year.contact_cap == 680
    assert len(year.items) == len(alone.items) + len(data.sections)
    assert year.items[0].name == f"{SEMESTER}: {alone.items[0].name}"
    assert [t.norm for t in year.teachers][:3] == [2 * t.norm for t in alone.teachers][:3]


def test_a_load_that_cannot_be_given_is_explained_in_the_registrars_words(tmp_path: Path) -> None:
    data = generate_semester(120, 44)
    tiny = tuple(
        dataclasses.replace(t, terms=TeachingTerms(rank=t.terms.rank, rate=0.1)) for t in data.teachers
    )
    with running_app(tmp_path, 120, 44) as app:
        with app.extensions[KEY].database.transaction() as session:
            store_semester(session, dataclasses.replace(data, teachers=tiny), "thin staff")
        run = solved(client_as(app, "planner"), "thin staff")
    assert run["status"] == "finished" and run["objective"] is None
    words = " ".join(run["report"]["explanation"])
    assert " department: " in words and "can give at most" in words


def test_a_course_code_no_course_has_is_warned_of_and_named_when_nobody_can_teach_the_course(
    tmp_path: Path,
) -> None:
    """Teachers imported before the courses kept 'MAT-3004' for MAT3004 unsaid; the run then blamed
    the staff for a course nobody was qualified for."""
    course, misspelt = "MAT3004", "MAT-3004"
    with running_app(tmp_path, 120, 45) as app:
        with app.extensions[KEY].database.transaction() as session:
            teachers = list(session.scalars(select(schema.Teacher).order_by(schema.Teacher.id)))
            qualified = [t for t in teachers if course in t.qualifications]
            for teacher in qualified:
                teacher.qualifications = [code for code in teacher.qualifications if code != course]
            smith = qualified[0]
            smith.qualifications = [*smith.qualifications, f"{misspelt} lecture"]
            smith.wanted = [misspelt]
            name, department = smith.name, smith.department.name
        run = solved(client_as(app, "planner"))
        assert run["status"] == "finished" and run["objective"] is None
        unknown = f"'{misspelt}', which no course is coded as; did you mean '{course}'?"
        assert run["report"]["warnings"] == [
            f"Teacher {name} is qualified for {unknown}",
            f"Teacher {name} asks for {unknown}",
        ]
        assert (
            f"{name} ({department}) is qualified for '{misspelt}' lecture, a code no course of the load "
            f"has; did you mean '{course}', which too few can teach?"
        ) in run["report"]["explanation"]
        planner, _ = signed_in(app, "planner")
        page = planner.get(f"/runs/{run['id']}").data.decode()
    shown = page[page.index('<div id="warnings"') : page.index("</div>", page.index('<div id="warnings"'))]
    assert "hidden" not in shown.split(">")[0]
    assert f"<li>Teacher {name} is qualified for {unknown}</li>" in html.unescape(shown)


def test_warnings_of_codes_no_course_has_are_counted_past_the_first_twenty(tmp_path: Path) -> None:
    """Teachers imported before any course would fill the report: twenty are said, the rest counted."""
    with running_app(tmp_path, 120, 45) as app, app.extensions[KEY].database.transaction() as session:
        teachers = list(session.scalars(select(schema.Teacher)))
        for teacher in teachers:
            teacher.wanted, teacher.unwanted = ["HIS1"], ["HIS2"]
        warnings = course_warnings(session)
    assert len(warnings) == SHOWN_WARNINGS + 1
    more = 2 * len(teachers) - SHOWN_WARNINGS
    assert warnings[-1] == f"... and {more} more course codes in the teachers' records that no course has."
