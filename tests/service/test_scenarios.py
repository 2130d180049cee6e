"""Scenarios: named changes checked against the semester (every bad field named), runs that
honour them (a closed room stays empty, a pin stays), cloning, a baseline to stay close to, and
two runs compared criterion by criterion with what moved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from datasets.registrar_csv import lesson_problem
from datasets.registrar_timetable import format_time
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from tests.service.test_service_api import poll
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with running_app(tmp_path, 150, 11, backend=request.param) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def records(app: Flask):  # type: ignore[no-untyped-def]
    with app.extensions[KEY].database.transaction() as session:
        return load_semester(session, SEMESTER)


def solved(client: FlaskClient, scenario: str | None = None) -> dict[str, Any]:
    asked = {"kind": "lessons", "semester": SEMESTER, "time_limit": 3, "workers": 1, "scenario": scenario}
    started = client.post("/api/runs", json=asked)
    assert started.status_code == 202, started.get_json()
    finished = poll(client, started.get_json()["href"], ("finished", "failed", "cancelled"))
    assert finished["status"] == "finished", finished["error"]
    return finished


def placements(app: Flask, run: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """(section, time as staff write it, room) of every meeting of a finished run, in order."""
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solution is not None
        starts, rooms = stored.solution["starts"], stored.solution["rooms"]
    problem = lesson_problem(records(app), SEMESTER)
    return [
        (
            problem.sections[meeting.section].name,
            None if start is None else format_time(problem.grid, start, meeting.length),
            None if room is None else problem.rooms[room].name,
        )
        for meeting, start, room in zip(problem.meetings, starts, rooms, strict=True)
    ]


def test_the_criteria_a_scenario_may_change(client: FlaskClient) -> None:
    criteria = {row["criterion"]: row["weight"] for row in client.get("/api/criteria").get_json()}
    assert criteria["student windows"] == 1 and criteria["moved from baseline"] == 1
    assert "student clash" not in criteria  # hard rules are not a scenario's to change


def test_every_bad_field_of_a_scenario_is_named_and_nothing_stored(app: Flask, client: FlaskClient) -> None:
    data = records(app)
    changes = {
        "weights": {"student windows": 3, "sunshine": 2},
        "disabled": ["teacher windows", "student clash"],
        "closed_rooms": {"Atlantis": [], data.rooms[0].name: ["Someday 3"]},
        "absent_teachers": {data.teachers[0].name: ["Mon 99"]},
        "pins": [{"section": "NOPE 1", "meeting": 1, "time": "Mon 1", "room": data.rooms[0].name}],
    }
    answer = client.post(f"/api/semesters/{SEMESTER}/scenarios", json={"name": "bad", "changes": changes})
    assert answer.status_code == 422
    fields = {error["field"] for error in answer.get_json()["errors"]}
    assert fields == {
        "weights.sunshine",
        "disabled.1",
        "closed_rooms.Atlantis",
        f"closed_rooms.{data.rooms[0].name}.0",
        f"absent_teachers.{data.teachers[0].name}.0",
        "pins.0.section",
    }
    assert client.get(f"/api/semesters/{SEMESTER}/scenarios").get_json() == []
    blank = client.post(f"/api/semesters/{SEMESTER}/scenarios", json={"name": "   "})
    assert blank.status_code == 422 and blank.get_json()["errors"][0]["field"] == "name"
    shape = client.post(f"/api/semesters/{SEMESTER}/scenarios", json={"name": "x", "changes": {"colour": 1}})
    assert shape.status_code == 422 and shape.get_json()["errors"][0]["field"] == "changes.colour"
    heavy = client.post(
        f"/api/semesters/{SEMESTER}/scenarios",
        json={"name": "x", "changes": {"weights": {"long days": 10**23}}},
    )
    assert heavy.status_code == 422 and heavy.get_json()["errors"] == [
        {"field": "weights.long days", "message": "a weight is at most 1,000,000"}
    ]
    yes = client.post(
        f"/api/semesters/{SEMESTER}/scenarios",
        json={"name": "x", "changes": {"weights": {"long days": True}}, "baseline_run": True},
    )
    assert yes.status_code == 422
    assert {e["field"] for e in yes.get_json()["errors"]} == {"changes.weights.long days", "baseline_run"}
    long = client.post(
        f"/api/semesters/{SEMESTER}/scenarios", json={"name": "x", "description": "x" * 3_000_000}
    )
    assert long.status_code == 422 and long.get_json()["errors"][0]["field"] == "description"
    many = {"closed_rooms": {f"Room {number}": [] for number in range(2_001)}}
    crowded = client.post(f"/api/semesters/{SEMESTER}/scenarios", json={"name": "x", "changes": many})
    assert crowded.status_code == 422 and crowded.get_json()["errors"][0]["field"] == "changes.closed_rooms"
    assert client.get(f"/api/semesters/{SEMESTER}/scenarios").get_json() == []
    assert client.get("/api/semesters/1999/scenarios").status_code == 404


def test_a_run_keeps_a_closed_room_empty_and_a_pin_in_place(app: Flask, client: FlaskClient) -> None:
    default = placements(app, solved(client))
    busiest = max({room for _, _, room in default} - {None}, key=str)
    # pin the first meeting of some section to where the default run had it, out of that room
    firsts: dict[str, tuple[str, str | None, str | None]] = {}
    for placed_meeting in default:
        firsts.setdefault(placed_meeting[0], placed_meeting)
    section, time, room = next(p for p in firsts.values() if p[2] not in (busiest, None))
    pin = {"section": section, "meeting": 1, "time": time, "room": room}
    created = client.post(
        f"/api/semesters/{SEMESTER}/scenarios",
        json={"name": "room closed", "changes": {"closed_rooms": {busiest: []}, "pins": [pin]}},
    )
    assert created.status_code == 201, created.get_json()
    run = solved(client, "room closed")
    placed = placements(app, run)
    assert all(room != busiest for _, _, room in placed)
    assert run["scenario"]["closed_rooms"] == {busiest: []}
    first = next(p for p in placed if p[0] == section)
    assert first[1:] == (time, room)


def test_clones_and_a_baseline_run_compared(app: Flask, client: FlaskClient) -> None:
    before = solved(client)
    busiest = max({room for _, _, room in placements(app, before)} - {None}, key=str)
    body = {"name": "close and stay near", "changes": {"closed_rooms": {busiest: ["Mon", "Tue"]}}}
    created = client.post(f"/api/semesters/{SEMESTER}/scenarios", json=body | {"baseline_run": before["id"]})
    assert created.status_code == 201, created.get_json()
    clone = client.post(f"/api/scenarios/{created.get_json()['id']}/clone", json={"name": "copy"})
    assert clone.status_code == 201 and clone.get_json()["cloned_from"] == created.get_json()["id"]
    assert clone.get_json()["baseline_run"] == before["id"]
    taken = client.post(f"/api/scenarios/{created.get_json()['id']}/clone", json={"name": "copy"})
    assert taken.status_code == 422 and taken.get_json()["errors"][0]["field"] == "name"
    after = solved(client, "close and stay near")
    moved_cost = next(
        s["penalty"] for s in after["evaluation"]["scores"] if s["name"] == "moved from baseline"
    )
    compared = client.get(f"/api/runs/{before['id']}/compare/{after['id']}").get_json()
    assert len(compared["moved"]) == moved_cost  # each place left behind is one move, one row
    assert all(m["from"] != m["to"] for m in compared["moved"])
    criteria = {row["criterion"]: row for row in compared["criteria"]}
    assert (
        criteria["student windows"]["change"]
        == criteria["student windows"]["second"] - criteria["student windows"]["first"]
    )
    assert compared["counts"]["soft total"] == [before["objective"], after["objective"]]
    assert compared["counts"]["student conflicts"] == [0, 0]  # both keep the hard rules
    assert 0 < compared["counts"]["room utilisation %"][0] <= 100


def test_comparisons_refused_in_words(client: FlaskClient) -> None:
    done = solved(client)
    queued = client.post(
        "/api/runs", json={"kind": "lessons", "semester": SEMESTER, "time_limit": 60}
    ).get_json()
    refused = client.get(f"/api/runs/{done['id']}/compare/{queued['id']}")
    assert refused.status_code == 409 and "has no timetable" in refused.get_json()["detail"]
    client.post(f"{queued['href']}/cancel")
    assert client.get(f"/api/runs/{done['id']}/compare/999").status_code == 404
    unknown = client.post("/api/runs", json={"kind": "lessons", "semester": SEMESTER, "scenario": "nope"})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "scenario"
