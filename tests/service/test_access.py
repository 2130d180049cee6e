"""Every refusal of the access rules, and what each role may do: anonymous callers and viewers
see published timetables of teachers, rooms and cohorts only, never a student's; planners keep
records and runs; admins manage users. Pages sign in with a CSRF-protected form; API calls made
with the pages' cookie need the CSRF header. Passwords and tokens are kept only as hashes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.security import check_password_hash

from service.access import add_user
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from tests.service.test_scenarios import solved
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app, signed_in

RUN = {"kind": "lessons", "semester": SEMESTER, "time_limit": 3, "workers": 1}


@pytest.fixture(scope="module", params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("access"), 120, 13, backend=request.param) as app:
        yield app


@pytest.fixture(scope="module")
def published(app: Flask) -> dict[str, str]:
    """A finished, published run and the names whose weeks to ask for."""
    planner = client_as(app, "planner")
    run = solved(planner)
    assert planner.post(f"/api/runs/{run['id']}/publish").status_code == 200
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    return {
        "run": str(run["id"]),
        "teacher": f"/api/semesters/{SEMESTER}/timetable/teacher/{data.sections[0].teachers[0]}.csv",
        "student": f"/api/semesters/{SEMESTER}/timetable/student/{data.registrations[0].student}.csv",
    }


def test_anonymous_callers_are_refused_everything_but_published_weeks(
    app: Flask, published: dict[str, str]
) -> None:
    anonymous = app.test_client()
    refused = anonymous.post("/api/runs", json=RUN)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.mimetype == "application/problem+json"
    for path in ("/api/runs", f"/api/runs/{published['run']}", "/api/templates/rooms.csv"):
        assert anonymous.get(path).status_code == 401, path
    assert anonymous.get("/api/semesters").status_code == 200
    assert anonymous.get(published["teacher"]).status_code == 200
    assert anonymous.get(published["student"]).status_code == 401  # personal data
    assert anonymous.get(f"{published['teacher']}?run={published['run']}").status_code == 401
    assert anonymous.get("/api/runs", headers={"Authorization": "Basic abc"}).status_code == 401
    assert anonymous.get("/api/runs", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_viewers_see_published_weeks_but_no_student_and_change_nothing(
    app: Flask, published: dict[str, str]
) -> None:
    viewer = client_as(app, "viewer")
    assert viewer.get(published["teacher"]).status_code == 200
    student = viewer.get(published["student"])
    assert student.status_code == 403 and "a student's week is for planners" in student.get_json()["detail"]
    assert viewer.get(f"{published['teacher']}?run={published['run']}").status_code == 403
    assert viewer.post("/api/runs", json=RUN).status_code == 403
    assert viewer.get("/api/runs").status_code == 403
    assert viewer.post(f"/api/runs/{published['run']}/cancel").status_code == 403
    assert viewer.post(f"/api/semesters/{SEMESTER}/scenarios", json={"name": "x"}).status_code == 403
    assert (
        viewer.post("/api/users", json={"username": "v", "password": "12345678", "role": "admin"}).status_code
        == 403
    )


def test_only_admins_manage_users_and_only_hashes_are_kept(app: Flask) -> None:
    planner, admin = client_as(app, "planner"), client_as(app, "admin")
    asked = {"username": "dana", "password": "s3cret-enough", "role": "viewer"}
    assert planner.post("/api/users", json=asked).status_code == 403
    assert admin.post("/api/users", json=asked).status_code == 201
    assert admin.post("/api/users", json=asked).status_code == 422  # exists already
    short = admin.post("/api/users", json=asked | {"username": "eve", "password": "short"})
    assert short.status_code == 422 and short.get_json()["errors"][0]["field"] == "password"
    for blank in ("   ", "a\x00b", "line\nfeed"):  # names people read and type again
        named = admin.post("/api/users", json=asked | {"username": blank})
        assert named.status_code == 422 and named.get_json()["errors"][0]["field"] == "username"
    spaced = admin.post("/api/users", json=asked | {"username": "  erlan "})
    assert spaced.status_code == 201 and spaced.get_json()["username"] == "erlan"
    with app.extensions[KEY].database.transaction() as session:
        dana = session.query(schema.User).filter_by(username="dana").one()
        assert dana.password_hash != "s3cret-enough" and check_password_hash(
            dana.password_hash, "s3cret-enough"
        )
    token = admin.post("/api/users/dana/token").get_json()["token"]
    dana_client = app.test_client()
    dana_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert dana_client.get("/api/semesters").status_code == 200
    assert dana_client.post("/api/users/admin2/token").status_code == 403  # not her own
    fresh = dana_client.post("/api/users/dana/token").get_json()["token"]
    anyone = app.test_client()
    assert anyone.get("/api/runs", headers={"Authorization": f"Bearer {token}"}).status_code == 401  # revoked
    assert (
        anyone.get("/api/runs", headers={"Authorization": f"Bearer {fresh}"}).status_code == 403
    )  # a viewer


def test_pages_sign_in_with_a_csrf_protected_form(app: Flask) -> None:
    with app.extensions[KEY].database.transaction() as session:
        add_user(session, "pat", "planning-is-fun", "planner")
    browser = app.test_client()
    assert browser.get("/").status_code == 302 and "/login" in browser.get("/").headers["Location"]
    no_token = browser.post("/login", data={"username": "pat", "password": "planning-is-fun"})
    assert no_token.status_code == 400 and "CSRF" in no_token.get_json()["detail"]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', browser.get("/login").data.decode())
    assert token is not None
    wrong = browser.post("/login", data={"username": "pat", "password": "nope", "csrf_token": token[1]})
    assert wrong.status_code == 200 and "Wrong user name or password" in wrong.data.decode()
    away = browser.post(
        "/login?next=//evil.example/",
        data={"username": "pat", "password": "planning-is-fun", "csrf_token": token[1]},
    )
    assert away.status_code == 302 and away.headers["Location"] == "/"
    assert "Signed in as <strong>pat</strong>" in browser.get("/").data.decode()
    # the API with the pages' cookie: changes need the page's CSRF token in a header
    assert browser.get("/api/runs").status_code == 200
    refused = browser.post("/api/runs", json=RUN)
    assert refused.status_code == 403 and "CSRF token" in refused.get_json()["detail"]
    accepted = browser.post("/api/runs", json=RUN | {"time_limit": 1}, headers={"X-CSRFToken": token[1]})
    assert accepted.status_code == 202


def test_every_api_blueprint_needs_the_csrf_token_from_the_pages(app: Flask) -> None:
    """Rooms and attestation uploads as well as runs: a call with the pages' cookie changes nothing
    without the page's CSRF token."""
    browser, token = signed_in(app, "planner")
    with app.extensions[KEY].database.transaction() as session:
        room = load_semester(session, SEMESTER).rooms[0].name
    asked = {"room": room, "date": "2027-03-14", "start": "10:00", "end": "11:00", "purpose": "csrf"}
    refused = browser.post("/api/rooms/bookings", json=asked)
    assert refused.status_code == 403 and "CSRF token" in refused.get_json()["detail"]
    assert all(b["purpose"] != "csrf" for b in browser.get("/api/rooms/bookings").get_json())
    made = browser.post("/api/rooms/bookings", json=asked, headers={"X-CSRFToken": token})
    assert made.status_code == 201
    booking = made.get_json()[0]["id"]
    kept = browser.delete(f"/api/rooms/bookings/{booking}")
    assert kept.status_code == 403 and "CSRF token" in kept.get_json()["detail"]
    assert any(b["id"] == booking for b in browser.get("/api/rooms/bookings").get_json())
    gone = browser.delete(f"/api/rooms/bookings/{booking}", headers={"X-CSRFToken": token})
    assert gone.get_json() == {"cancelled": 1}
    upload = f"/api/semesters/{SEMESTER}/attestation/calendar"
    no_token = browser.post(upload, data={"file": (io.BytesIO(b"date\n"), "calendar.csv")})
    assert no_token.status_code == 403 and "CSRF token" in no_token.get_json()["detail"]
    with_token = browser.post(upload, headers={"X-CSRFToken": token})
    assert with_token.status_code == 400  # past the check: no file sent
