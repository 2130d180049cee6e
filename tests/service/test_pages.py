"""The pages a planner works in, through a signed-in test client: record lists with search, and
scenarios written from scratch or as a changed copy, with every mistake named and nothing stored;
every refused form answered 422 with each mistake beside its field and in a summary at the top."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

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
    assert "meeting as a number from 1, not &#39;x&#39;" in refused and "invalid literal" not in refused
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


def test_ids_too_large_for_the_database_are_no_such_run_or_scenario(app: Flask) -> None:
    client, _ = signed_in(app, "planner")
    huge = 99999999999999999999
    compared = client.get("/compare", query_string={"first": huge, "second": 1})
    assert compared.status_code == 200 and f"no run {huge}" in compared.data.decode()
    run = client.get(f"/runs/{huge}")
    assert run.status_code == 404 and run.get_json()["detail"] == f"no run {huge}"
    copied = client.get(f"/scenarios/{SEMESTER}/new", query_string={"from": huge})
    assert copied.status_code == 404 and f"no scenario {huge}" in copied.get_json()["detail"]


@pytest.mark.parametrize("weight", ["²", "1000001", "-3"])
def test_a_weight_not_from_0_to_a_million_is_named_on_the_form(app: Flask, weight: str) -> None:
    client, token = signed_in(app, "planner")
    asked = {"csrf_token": token, "name": "weighed", "baseline": "", "weight:long days": weight}
    refused = client.post(f"/scenarios/{SEMESTER}/new", data=asked)
    assert refused.status_code == 422
    assert "<strong>weight of long days</strong>: must be a whole number from 0 to 1,000,000" in (
        refused.data.decode()
    )
    assert all(s.name != "weighed" for s in scenarios(app))


def test_requests_too_large_are_refused_in_words(app: Flask) -> None:
    client, token = signed_in(app, "planner")
    with app.extensions[KEY].database.transaction() as session:
        room = load_semester(session, SEMESTER).rooms[0].name
    crowded = client.post(
        f"/scenarios/{SEMESTER}/new",
        data={
            "csrf_token": token,
            "name": "crowded",
            "baseline": "",
            "closed_rooms": f"{room}: " + "; ".join(["Mon 1"] * 101),
        },
    ).data.decode()
    assert f"closed rooms, {room}" in crowded and "at most 100 items" in crowded
    assert all(s.name != "crowded" for s in scenarios(app))
    upload = {"csrf_token": token, "semester": SEMESTER, "kind": "rooms"}
    refused = client.post(
        "/imports",
        data=upload | {"file": (io.BytesIO(b"x" * (33 * 2**20)), "rooms.csv")},
        headers={"Referer": "/imports"},
    )
    page = refused.data.decode()
    assert refused.status_code == 413 and "larger than the service takes: 32 MB" in page
    assert 'href="/imports"' in page


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


def refusal(answer: TestResponse) -> str:
    """The summary at the top of a refused form (read out at once), after checking the status."""
    assert answer.status_code == 422, answer.status_code
    page = answer.data.decode()
    found = re.search(r'<div class="error" role="alert" id="form-errors">(.*?)</div>', page, re.DOTALL)
    assert found is not None, page
    return re.sub(r"<[^>]+>", "", found[1])


def beside(answer: TestResponse, field: str) -> str:
    """The mistakes shown beside a field, tied to it for screen readers."""
    page = answer.data.decode()
    assert f'aria-describedby="{field}-errors"' in page and 'aria-invalid="true"' in page
    found = re.search(rf'<span class="error field-error" id="{field}-errors">(.*?)</span>', page, re.DOTALL)
    assert found is not None, page
    return found[1]


def test_an_import_refused_names_the_field_and_the_problem(app: Flask) -> None:
    client, token = signed_in(app, "planner")
    assert (
        client.get("/imports").status_code == 200
        and 'role="alert"' not in client.get("/imports").data.decode()
    )

    def post(**fields: object) -> TestResponse:
        rooms = (io.BytesIO(b"name,building,capacity,kind\n"), "rooms.csv")
        sent = {"csrf_token": token, "semester": SEMESTER, "kind": "rooms", "file": rooms} | fields
        return client.post("/imports", data=sent, content_type="multipart/form-data")

    no_file = post(file=None)
    assert "CSV or XLSX file: This field is required." in refusal(no_file)
    assert beside(no_file, "file") == "This field is required."
    unknown_semester = post(semester="1999 spring")
    assert "Semester: Not a valid choice." in refusal(unknown_semester)
    assert beside(unknown_semester, "semester") == "Not a valid choice."
    unknown_kind = post(kind="dragons")
    assert "Kind of record: Not a valid choice." in refusal(unknown_kind)
    assert beside(unknown_kind, "kind") == "Not a valid choice."
    bad_rows = post(
        file=(io.BytesIO(b"name,building,capacity,kind\nHall,Nowhere,-5,lecture hall\n"), "r.csv")
    )
    assert bad_rows.status_code == 422 and 'id="refused" role="alert"' in bad_rows.data.decode()
    assert post().status_code == 200  # a file of no rows is imported, refusing nothing


def test_a_run_refused_names_the_field_and_the_problem(app: Flask) -> None:
    client, token = signed_in(app, "planner")
    with app.extensions[KEY].database.transaction() as session:
        before = session.query(schema.Run).count()
    asked = {"csrf_token": token, "kind": "lessons", "semester": SEMESTER, "time_limit": "2"}
    for time_limit in ("0", "nan"):
        refused = client.post("/runs/new", data=asked | {"time_limit": time_limit})
        assert "Time limit, seconds: Number must be between 1 and 86400." in refusal(refused)
        assert beside(refused, "time_limit") == "Number must be between 1 and 86400."
    unknown_kind = client.post("/runs/new", data=asked | {"kind": "dragons"})
    assert "Timetable: Not a valid choice." in refusal(unknown_kind)
    assert beside(unknown_kind, "kind") == "Not a valid choice."
    department = client.post("/runs/new", data=asked | {"department": "Languages"})
    assert department.status_code == 422 and "no published class timetable" in department.data.decode()
    with app.extensions[KEY].database.transaction() as session:
        assert session.query(schema.Run).count() == before


def test_a_scenario_refused_names_the_field_and_the_problem(app: Flask) -> None:
    client, token = signed_in(app, "planner")
    before = len(scenarios(app))
    asked = {"csrf_token": token, "name": "Exam week", "baseline": ""}
    form = client.get(f"/scenarios/{SEMESTER}/new").data.decode()
    criterion = form.split('name="weight:', 1)[1].split('"', 1)[0]
    no_name = client.post(
        f"/scenarios/{SEMESTER}/new",
        data=asked | {"name": "", "closed_rooms": ": Fri", f"weight:{criterion}": "9"},
    )
    summary = refusal(no_name)
    assert "Name: This field is required." in summary and "closed rooms, line 1" in summary  # all at once
    assert beside(no_name, "name") == "This field is required."
    kept = rf'name="weight:{re.escape(criterion)}"[^>]*value="9"'  # what was typed is shown again
    assert re.search(kept, no_name.data.decode())
    bad_baseline = client.post(f"/scenarios/{SEMESTER}/new", data=asked | {"baseline": "abc"})
    assert "Stay close to the timetable of run: Not a valid choice." in refusal(bad_baseline)
    assert beside(bad_baseline, "baseline") == "Not a valid choice."
    bad_line = client.post(f"/scenarios/{SEMESTER}/new", data=asked | {"closed_rooms": ": Fri"})
    assert "closed rooms, line 1: &#39;: Fri&#39;: write the name" in refusal(bad_line)
    assert beside(bad_line, "closed_rooms").startswith("closed rooms, line 1: ")
    assert len(scenarios(app)) == before


def test_a_sign_in_without_a_name_is_refused_beside_the_field(app: Flask) -> None:
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data.decode())
    assert token is not None
    empty = client.post("/login", data={"csrf_token": token[1], "username": "", "password": "x"})
    assert "User name: This field is required." in refusal(empty)
    assert beside(empty, "username") == "This field is required."


def test_a_room_search_that_cannot_be_read_says_why_beside_the_field(app: Flask) -> None:
    client, _ = signed_in(app, "viewer")
    asked = {"date": "31.12", "start": "10:00", "end": "09:00", "capacity": "5"}
    answer = client.get("/rooms", query_string=asked)
    page = answer.data.decode()
    assert 'role="alert" id="form-errors"' in page and "Date: Not a valid date value." in page
    assert beside(answer, "date") == "Not a valid date value." and 'id="offers"' not in page
