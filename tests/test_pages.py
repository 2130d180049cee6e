"""The pages a planner works in, through a signed-in test client: record lists with search, and
scenarios written from scratch or as a changed copy, with every mistake named and nothing stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from service.context import KEY
from service.pages import LISTED
from service.storage import schema
from service.storage.records import load_semester
from tests.service_factory import SEMESTER, running_app, signed_in


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("pages"), 120, 17) as app:
        with app.extensions[KEY].database.transaction() as session:
            semester = session.scalars(select(schema.Semester)).one()
            semester.exams_from, semester.exams_to = dt.date(2026, 12, 21), dt.date(2026, 12, 26)
        yield app


@pytest.mark.parametrize("kind", LISTED)
def test_each_record_list_shows_and_searches(app: Flask, kind: str) -> None:
    client, _ = signed_in(app, "planner")
    page = client.get(f"/records/{SEMESTER}/{kind}").data.decode()
    rows = page.count("<tr>") - 1
    assert rows > 0 and "found" in page
    first_cell = page.split("<td>", 1)[1].split("</td>", 1)[0]
    searched = client.get(f"/records/{SEMESTER}/{kind}", query_string={"q": first_cell}).data.decode()
    assert first_cell in searched and 0 < searched.count("<tr>") - 1 <= rows
    nothing = client.get(f"/records/{SEMESTER}/{kind}", query_string={"q": "no such thing at all"})
    assert "0 found" in nothing.data.decode()
    viewer, _ = signed_in(app, "viewer")
    assert viewer.get(f"/records/{SEMESTER}/{kind}").status_code == 403


def scenarios(app: Flask) -> list[schema.Scenario]:
    with app.extensions[KEY].database.transaction() as session:
        return list(session.scalars(select(schema.Scenario).order_by(schema.Scenario.id)))


def test_a_scenario_is_written_refused_in_words_then_copied_and_changed(app: Flask) -> None:
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    room, teacher = data.rooms[0].name, data.teachers[0].name
    client, token = signed_in(app, "planner")
    form = client.get(f"/scenarios/{SEMESTER}/new").data.decode()
    assert 'name="weight:student windows"' in form or "weight:" in form
    criterion = form.split('name="weight:', 1)[1].split('"', 1)[0]
    wrong = {
        "csrf_token": token,
        "name": "Friday closed",
        "baseline": "",
        f"weight:{criterion}": "-3",
        "closed_rooms": f"{room}: Fri\nAtlantis: Mon",
        "absent_teachers": f"{teacher}: Sat\n: Mon",
        "pins": "CSE 1, x, Mon 1, Room",
    }
    refused = client.post(f"/scenarios/{SEMESTER}/new", data=wrong).data.decode()
    assert f"weight of {criterion}" in refused and "absent teachers, line 2" in refused
    assert "pins, line 1" in refused and scenarios(app) == []
    unknown_room = client.post(
        f"/scenarios/{SEMESTER}/new",
        data=wrong | {f"weight:{criterion}": "7", "absent_teachers": "", "pins": ""},
    ).data.decode()
    assert "Atlantis" in unknown_room and scenarios(app) == []
    right = wrong | {
        f"weight:{criterion}": "7",
        "closed_rooms": f"{room}: Fri",
        "pins": "",
        "absent_teachers": "",
    }
    saved = client.post(f"/scenarios/{SEMESTER}/new", data=right | {f"off:{criterion}": "on"})
    assert saved.status_code == 302
    (first,) = scenarios(app)
    assert first.changes["weights"] == {criterion: 7} and first.changes["disabled"] == [criterion]
    assert first.changes["closed_rooms"] == {room: ["Fri"]}
    listed = client.get("/scenarios").data.decode()
    assert "Friday closed" in listed and "copy and change" in listed
    copy = client.get(f"/scenarios/{SEMESTER}/new", query_string={"from": first.id}).data.decode()
    assert "Friday closed (changed)" in copy and f"{room}: Fri" in copy and "checked" in copy
    again = client.post(
        f"/scenarios/{SEMESTER}/new?from={first.id}",
        data=right | {"name": "Friday and Saturday closed", "closed_rooms": f"{room}: Fri; Sat"},
    )
    assert again.status_code == 302
    second = scenarios(app)[1]
    assert second.cloned_from_id == first.id and second.changes["closed_rooms"] == {room: ["Fri", "Sat"]}
    assert second.changes["disabled"] == []  # the box was left unticked this time
    duplicate = client.post(f"/scenarios/{SEMESTER}/new", data=right).data.decode()
    assert "already has a scenario" in duplicate and len(scenarios(app)) == 2
    viewer, _ = signed_in(app, "viewer")
    assert viewer.get("/scenarios").status_code == 403


def test_the_launcher_starts_the_kind_chosen_and_refuses_a_department_in_words(app: Flask) -> None:
    client, token = signed_in(app, "planner")
    assert "Department to re-staff" in client.get("/runs/new").data.decode()
    asked = {"csrf_token": token, "kind": "load", "semester": SEMESTER, "scenario": "", "department": ""}
    started = client.post("/runs/new", data=asked | {"time_limit": "2"})
    assert started.status_code == 302
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run_id)
        assert stored is not None and stored.kind == "load" and stored.department is None
        before = session.query(schema.Run).count()
    refused = client.post(
        "/runs/new", data=asked | {"kind": "lessons", "department": "Languages", "time_limit": "2"}
    ).data.decode()
    assert "no published class timetable" in refused and "publish a lessons run first" in refused
    with app.extensions[KEY].database.transaction() as session:
        assert session.query(schema.Run).count() == before
