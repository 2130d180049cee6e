"""The JSON API over runs: 202 at once, progress while it runs, the stored result at the end,
cancel, and problem bodies (RFC 7807) naming the field for every bad request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.app import create_app
from service.context import KEY
from tests.service_factory import BACKENDS, SEMESTER, client_as, database_with_a_semester, running_app


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with running_app(tmp_path, 300, 7, backend=request.param) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def poll(client: FlaskClient, href: str, until: tuple[str, ...], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(href).get_json()
        if body["status"] in until:
            return body
        time.sleep(0.25)
    raise AssertionError(f"{href} still {body['status']}")


def test_a_run_answers_202_and_finishes_with_its_result(client: FlaskClient) -> None:
    started = client.post(
        "/api/runs", json={"kind": "lessons", "semester": SEMESTER, "time_limit": 4, "workers": 1}
    )
    assert started.status_code == 202
    body = started.get_json()
    assert body["status"] == "queued" and started.headers["Location"] == body["href"]
    finished = poll(client, body["href"], ("finished", "failed"))
    assert finished["status"] == "finished", finished["error"]
    assert finished["evaluation"] is not None, finished["report"]["explanation"]
    assert finished["objective"] == finished["report"]["objective"] == finished["evaluation"]["total"]
    assert finished["progress"][0]["note"] == "first" and finished["gap"] is not None
    assert [run["id"] for run in client.get("/api/runs").get_json()] == [body["id"]]
    assert client.get("/api/semesters").get_json()[0]["name"] == SEMESTER


def test_a_run_is_cancelled_and_keeps_its_best(client: FlaskClient) -> None:
    body = client.post(
        "/api/runs", json={"kind": "lessons", "semester": SEMESTER, "time_limit": 120}
    ).get_json()
    running = poll(client, body["href"], ("running",))
    assert running["started_at"] is not None
    deadline = time.monotonic() + 60
    while not client.get(body["href"]).get_json()["progress"] and time.monotonic() < deadline:
        time.sleep(0.25)
    cancelled = client.post(f"{body['href']}/cancel")
    assert cancelled.status_code == 202 and cancelled.get_json()["cancel_requested"]
    ended = poll(client, body["href"], ("cancelled", "finished", "failed"))
    assert ended["status"] == "cancelled" and ended["objective"] is not None and ended["elapsed"] < 100
    again = client.post(f"{body['href']}/cancel")
    assert again.status_code == 409 and "already cancelled" in again.get_json()["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "lessons"}, "semester"),
        ({"kind": "lessons", "semester": SEMESTER, "time_limit": -1}, "time_limit"),
        ({"kind": "lessons", "semester": SEMESTER, "workers": 0}, "workers"),
        ({"kind": "lessons", "semester": SEMESTER, "workers": True}, "workers"),  # not a number
        ({"kind": "lessons", "semester": SEMESTER, "colour": "red"}, "colour"),
        ({"kind": "timber", "semester": SEMESTER}, "kind"),
        ({"kind": "lessons", "semester": "1999 spring"}, "semester"),
        ({"kind": "lessons", "semester": SEMESTER, "scenario": {"weights": {"windows": "many"}}}, "scenario"),
    ],
)
def test_bad_requests_get_a_problem_naming_the_field(client: FlaskClient, payload: dict, field: str) -> None:
    answer = client.post("/api/runs", json=payload)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["status"] == 422 and any(e["field"].startswith(field) for e in problem["errors"])
    assert client.get("/api/runs").get_json() == []  # nothing half-written


def test_a_run_the_semester_cannot_make_is_refused_naming_what_is_missing(client: FlaskClient) -> None:
    def refused(asked: dict) -> dict:  # type: ignore[type-arg]
        answer = client.post("/api/runs", json={"semester": SEMESTER} | asked)
        assert answer.status_code == 422, answer.get_json()
        (error,) = answer.get_json()["errors"]
        return error  # type: ignore[no-any-return]

    assert refused({"kind": "sac"}) == {
        "field": "semester",
        "message": f"semester {SEMESTER!r} has no state attestation calendar, rooms, people, commissions, "
        "defences stored; import them first",
    }
    masterclasses = refused({"kind": "masterclasses"})
    assert (
        masterclasses["field"] == "semester" and "no master-class requests stored" in masterclasses["message"]
    )
    assert refused({"kind": "exams", "department": "Mathematics"})["field"] == "department"
    assert refused({"kind": "load", "scenario": "x"}) == {
        "field": "scenario",
        "message": "scenarios change class timetables; load runs take none",
    }
    assert client.get("/api/runs").get_json() == []
    # what is known only when it runs: this semester has no exam session dates
    started = client.post("/api/runs", json={"kind": "exams", "semester": SEMESTER, "time_limit": 1})
    failed = poll(client, started.get_json()["href"], ("finished", "failed"))
    assert failed["status"] == "failed"
    assert failed["error"].startswith("the exams run could not be built from the semester's records: ")


def test_other_errors_are_problems_too(client: FlaskClient) -> None:
    not_json = client.post("/api/runs", data="kind=lessons", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.mimetype == "application/problem+json"
    huge_body = client.post("/api/runs", data=b" " * (33 * 2**20), content_type="application/json")
    assert huge_body.status_code == 413 and huge_body.mimetype == "application/problem+json"
    assert "larger than the service takes: 32 MB" in huge_body.get_json()["detail"]
    nested = "[" * 100_000 + "]" * 100_000  # deeper than Python's parser goes
    for path in ("/api/runs", "/api/rooms/free"):
        deep = client.post(path, data=nested, content_type="application/json")
        assert deep.status_code == 400 and "not JSON" in deep.get_json()["detail"], path
    missing = client.get("/api/runs/999")
    assert missing.status_code == 404 and missing.get_json()["detail"] == "no run 999"
    nowhere = client.get("/api/nowhere")
    assert nowhere.status_code == 404 and nowhere.mimetype == "application/problem+json"
    assert client.post("/api/runs/999/cancel").status_code == 404
    huge = 99999999999999999999  # more than the database's ids hold: no such run, not an overflow
    for path in (f"/api/runs/{huge}", f"/api/runs/1/compare/{huge}", f"/api/runs/{huge}/compare/1"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.get_json()["detail"].startswith("no run"), path
    week = client.get(f"/api/semesters/{SEMESTER}/timetable/teacher/anyone.csv", query_string={"run": "²"})
    assert week.status_code == 404 and week.get_json()["detail"] == "no run '²'"


def test_runs_go_to_a_dask_cluster_when_one_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    url = database_with_a_semester(tmp_path / "dask.sqlite3", 200, 8)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        monkeypatch.setenv("REGISTRAR_DASK_SCHEDULER", cluster.scheduler_address)
        app = create_app(url, instance_path=tmp_path / "instance")
        try:
            client = client_as(app, "planner")
            body = client.post(
                "/api/runs", json={"kind": "lessons", "semester": SEMESTER, "time_limit": 3}
            ).get_json()
            finished = poll(client, body["href"], ("finished", "failed"))
            assert finished["status"] == "finished", finished["error"]
            assert finished["objective"] == finished["evaluation"]["total"]
            # it ran on the cluster's worker, not in a local pool
            assert type(app.extensions[KEY].runs.executor).__name__ == "_DaskExecutor"
            assert cluster.scheduler.task_prefixes["execute_run"].states["memory"] == 1
        finally:
            app.extensions[KEY].runs.shutdown()
            app.extensions[KEY].database.dispose()
