"""Master-class runs in the service: requests imported, placed around the published class
timetable with the checker agreeing, and once published their halls are taken in room search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from constraints.masterclasses import evaluate
from models import MasterClassSolution
from service.context import KEY
from service.masterclasses import masterclass_problem_of
from service.storage import schema
from service.storage.records import load_semester
from tests.service.test_imports import upload
from tests.service.test_scenarios import solved
from tests.service.test_service_api import poll
from tests.service_factory import SEMESTER, client_as, running_app

MONDAY = dt.date(2026, 9, 7)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("mc"), 150, 51) as app:
        with app.extensions[KEY].database.transaction() as session:
            session.scalars(select(schema.Semester)).one().starts_on = MONDAY
        yield app


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def run_of(client: FlaskClient) -> dict:  # type: ignore[type-arg]
    asked = {"kind": "masterclasses", "semester": SEMESTER, "time_limit": 5, "workers": 1}
    started = client.post("/api/runs", json=asked)
    assert started.status_code == 202, started.get_json()
    return poll(client, started.get_json()["href"], ("finished", "failed", "cancelled"))


def test_master_classes_are_placed_around_the_published_timetable(app: Flask, client: FlaskClient) -> None:
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    largest = max(room.capacity for room in data.rooms)
    sizes: dict[str, int] = {}
    for student in data.students:
        if student.programme and student.year:
            cohort = f"{student.programme} {student.year}"
            sizes[cohort] = sizes.get(cohort, 0) + 1
    cohorts = sorted(sizes, key=lambda c: sizes[c])  # the smallest fit a hall
    assert sizes[cohorts[1]] <= largest
    requests = (
        "name,minutes,windows,audience,features\n"
        f"Guest lecture,90,2026-09-22 09:00-13:00;2026-09-23 14:00-18:00,{cohorts[0]},\n"
        f"Workshop,60,2026-09-22 10:00-12:00,{cohorts[1]},\n"
        f"Alumni evening,120,2026-09-24 16:00-20:00,{data.students[0].id},\n"
    ).encode()
    bad = requests.replace(cohorts[1].encode() + b",\n", b"Nobody 9,\n", 1)
    refused = upload(client, "masterclasses", "masterclasses.csv", bad)
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "audience"
    assert upload(client, "masterclasses", "masterclasses.csv", requests).get_json()["added"] == 3
    asked = {"kind": "masterclasses", "semester": SEMESTER}
    unplaceable = client.post("/api/runs", json=asked)
    assert (
        unplaceable.status_code == 422 and "no published class timetable" in unplaceable.get_json()["detail"]
    )
    lessons = solved(client)
    assert client.post(f"/api/runs/{lessons['id']}/publish").status_code == 200
    run = run_of(client)
    assert run["status"] == "finished" and run["objective"] is not None, run["report"]["explanation"]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None
        problem = masterclass_problem_of(session, stored.semester)
        solution = MasterClassSolution.model_validate(stored.solution)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible and evaluation.total == run["objective"]
    assert run["report"]["status"] in ("optimal", "feasible") and len(problem.events) == 3
    # once published, its halls are taken then
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    first = solution.places[0]
    assert first is not None
    date, hall = problem.dates[first.day], problem.halls[first.hall].name
    start = f"{first.start // 60:02d}:{first.start % 60:02d}"
    free = client.post(
        "/api/rooms/free", json={"date": str(date), "start": start, "end": start[:3] + "59", "capacity": 1}
    ).get_json()["rooms"]
    assert hall not in {offer["room"] for offer in free}


def test_an_upload_asking_for_a_hall_kind_no_stored_room_is_of_is_refused_at_its_line(
    app: Flask, client: FlaskClient
) -> None:
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    kinds = ", ".join(sorted({room.kind for room in data.rooms}))
    student = data.students[0].id
    requests = [
        "name,minutes,windows,audience,hall_kind",
        f"Guest lecture,90,2026-09-22 09:00-13:00,{student},{data.rooms[0].kind}",
        f"Workshop,60,2026-09-22 10:00-12:00,{student},lecture theatre",
    ]
    refused = upload(client, "masterclasses", "masterclasses.csv", "\n".join(requests).encode())
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["errors"] == [
        {
            "row": 3,
            "field": "hall_kind",
            "message": f"asks for a 'lecture theatre' hall; the halls are of kinds: {kinds}",
        }
    ]
