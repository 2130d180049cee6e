"""A class timetable run that re-staffs one department in the service: the department's load is
decided with its sections' meetings, every other meeting stays where the published class timetable
has it, the checkers agree with the run's total, and publishing it writes the department's teachers
into its sections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import constraints.lessons as lesson_rules
import constraints.load as load_rules
from datasets.registrar_csv import lesson_problem
from models import LessonSolution
from models.load import LoadSolution
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from service.teaching_load import department_load
from tests.service.test_service_api import poll
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app

DEPARTMENT = "Petroleum Engineering"  # 8 teachers, 43 items, 69 of the semester's 85 meetings


@pytest.fixture(scope="module", params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("restaff"), 150, 41, backend=request.param) as app:
        yield app


def _finished(client: FlaskClient, **asked: object) -> dict:  # type: ignore[type-arg]
    started = client.post("/api/runs", json={"semester": SEMESTER, "time_limit": 8, "workers": 2} | asked)
    assert started.status_code == 202, started.get_json()
    run = poll(client, started.get_json()["href"], ("finished", "failed", "cancelled"))
    assert run["status"] == "finished", run["error"]
    return run


def test_a_department_is_re_staffed_within_the_published_timetable_and_published(app: Flask) -> None:
    client = client_as(app, "planner")
    asked = {"kind": "lessons", "semester": SEMESTER, "department": DEPARTMENT}
    # Nothing published yet: there is no timetable to keep the other departments' meetings in.
    refused = client.post("/api/runs", json=asked)
    assert refused.status_code == 422
    assert "publish a lessons run first" in refused.get_json()["detail"]
    assert refused.get_json()["errors"][0]["field"] == "department"
    for kind in ("load", "lessons"):
        published = _finished(client, kind=kind)
        assert client.post(f"/api/runs/{published['id']}/publish").status_code == 200
    timetable = LessonSolution.model_validate(_solution(app, published["id"]))
    unknown = client.post("/api/runs", json=asked | {"department": "Astrology"})
    assert unknown.status_code == 422 and "its departments are" in unknown.get_json()["detail"]
    not_lessons = client.post("/api/runs", json=asked | {"kind": "exams"})
    assert not_lessons.status_code == 422 and "only a class timetable run" in not_lessons.get_json()["detail"]

    run = _finished(client, kind="lessons", department=DEPARTMENT)
    assert run["department"] == DEPARTMENT
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.load_solution is not None
        part = department_load(session, stored.semester, DEPARTMENT)
        distribution = LoadSolution.model_validate(stored.load_solution)
        found = LessonSolution.model_validate(stored.solution)
        data = load_semester(session, SEMESTER)
    lessons = lesson_problem(data, SEMESTER)
    decided = {item.section for item in part.items if item.section}
    # Every meeting of another department's sections is where the published timetable has it.
    kept = [m.index for m in lessons.meetings if lessons.sections[m.section].name not in decided]
    assert kept and len(kept) < len(lessons.meetings)
    assert [(found.starts[m], found.rooms[m]) for m in kept] == [
        (timetable.starts[m], timetable.rooms[m]) for m in kept
    ]
    # The checkers agree with the run's total: the department's load plus the whole timetable.
    load_total = load_rules.evaluate(part, distribution).total
    assert run["objective"] == load_total + run["evaluation"]["total"]
    statement = client.get(f"/api/runs/{run['id']}/load-statement").get_json()
    assert {line["name"] for line in statement["teachers"]} == {t.name for t in part.teachers}

    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    sections = {section.ref: section for section in data.sections}
    for item, teachers in zip(part.items, distribution.teachers, strict=True):
        if item.section:
            assert sections[item.section].teachers == tuple(part.teachers[t].name for t in teachers)
    # Published with those teachers, the run's timetable keeps every hard rule.
    assert lesson_rules.evaluate(lesson_problem(data, SEMESTER), found).total == run["evaluation"]["total"]


def _solution(app: Flask, run_id: int) -> dict:  # type: ignore[type-arg]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run_id)
        assert stored is not None and stored.solution is not None
        return stored.solution


def test_a_course_code_no_course_has_is_warned_of_for_the_re_staffed_departments_teachers(
    tmp_path: Path,
) -> None:
    """Re-staffing builds the department's load from the teachers' records as a load run does; a
    misspelt code there qualified its teacher for nothing unsaid. Other departments' are not its concern."""
    misspelt = "PET-2001"
    with running_app(tmp_path, 150, 41) as app:
        client = client_as(app, "planner")
        published = _finished(client, kind="lessons", time_limit=4)
        assert client.post(f"/api/runs/{published['id']}/publish").status_code == 200
        with app.extensions[KEY].database.transaction() as session:
            teachers = list(session.scalars(select(schema.Teacher).order_by(schema.Teacher.id)))
            ours = next(t for t in teachers if t.department and t.department.name == DEPARTMENT)
            theirs = next(t for t in teachers if t.department and t.department.name != DEPARTMENT)
            for teacher in (ours, theirs):
                teacher.qualifications = [*teacher.qualifications, f"{misspelt} lecture"]
                teacher.wanted = [misspelt]
            name = ours.name
        run = _finished(client, kind="lessons", department=DEPARTMENT, time_limit=4)
    unknown = f"'{misspelt}', which no course is coded as; did you mean 'PET2001'?"
    assert run["report"]["warnings"] == [
        f"Teacher {name} is qualified for {unknown}",
        f"Teacher {name} asks for {unknown}",
    ]
