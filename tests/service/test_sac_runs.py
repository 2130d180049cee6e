"""The State Attestation Commission in the service: its tables uploaded one at a time, each kept
only when the whole set reads; an attestation run solved with the checker agreeing; a published
timetable takes its rooms in room search."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from constraints.attestation import evaluate
from datasets.attestation_generator import generate_attestation
from datasets.attestation_tables import write_attestation
from models import SLOT_MINUTES, AttestationSolution
from service.attestation import REQUIRED, TABLES, attestation_problem_of
from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from tests.service.test_service_api import poll
from tests.service_factory import SEMESTER, client_as, running_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("sac"), 100, 61) as app:
        yield app


@pytest.fixture(scope="module")
def folder(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated attestation whose rooms are the semester's rooms."""
    root = tmp_path_factory.mktemp("sac-data") / "sac"
    write_attestation(generate_attestation(seed=2, commissions=3, defences=45, weeks=1), root)
    with app.extensions[KEY].database.transaction() as session:
        rooms = [room.name for room in load_semester(session, SEMESTER).rooms]
    table = list(csv.DictReader((root / "rooms.csv").open()))
    for row, name in zip(table, rooms, strict=False):
        row["room"] = name
    with (root / "rooms.csv").open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return root


def send(client: FlaskClient, kind: str, content: bytes, name: str = "") -> dict:  # type: ignore[type-arg]
    answer = client.post(
        f"/api/semesters/{SEMESTER}/attestation/{kind}",
        data={"file": (io.BytesIO(content), name or f"{kind}.csv")},
        content_type="multipart/form-data",
    )
    return {"status": answer.status_code} | answer.get_json()


def test_tables_are_checked_whole_then_a_run_is_solved_and_published(app: Flask, folder: Path) -> None:
    client = client_as(app, "planner")
    asked = {"kind": "sac", "semester": SEMESTER, "time_limit": 10, "workers": 1}
    early = client.post("/api/runs", json=asked)
    assert early.status_code == 422 and "has no state attestation calendar" in early.get_json()["detail"]
    missing = list(REQUIRED)
    for kind in TABLES:
        if not (folder / f"{kind}.csv").exists():
            continue
        content = (folder / f"{kind}.csv").read_bytes()
        if kind == "commissions":  # a chair nobody knows: refused, nothing kept
            header, first, *rest = content.decode().splitlines()
            chair = header.split(",").index("chair")
            cells = next(csv.reader([first]))
            cells[chair] = "Nobody Known"
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerow(cells)
            refused = send(client, kind, "\n".join([header, out.getvalue().strip(), *rest]).encode())
            assert refused["status"] == 422 and refused["errors"][0]["row"] == 2
            assert "Nobody Known" in refused["detail"]
        answer = send(client, kind, content)
        assert answer["status"] == 200, answer
        if kind in missing:
            missing.remove(kind)
        assert answer["missing"] == missing
    run = poll(client, client.post("/api/runs", json=asked).get_json()["href"], ("finished", "failed"), 180)
    assert run["status"] == "finished" and run["objective"] is not None, run["error"] or run["report"]
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None
        problem = attestation_problem_of(session, stored.semester)
        solution = AttestationSolution.model_validate(stored.solution)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible and evaluation.total == run["objective"]
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    hearing = next(h for h, place in enumerate(solution.places) if place is not None)
    place = solution.places[hearing]
    assert place is not None
    day = problem.days[place.day]
    begins = dt.datetime.combine(day.date, day.start) + dt.timedelta(minutes=place.start * SLOT_MINUTES)
    free = client.post(
        "/api/rooms/free",
        json={
            "date": str(day.date),
            "start": f"{begins:%H:%M}",
            "end": f"{begins + dt.timedelta(minutes=5):%H:%M}",
            "capacity": 1,
        },
    ).get_json()["rooms"]
    assert problem.rooms[place.room].name not in {offer["room"] for offer in free}


def test_templates_and_refusals(app: Flask) -> None:
    client = client_as(app, "planner")
    for kind, spec in TABLES.items():
        assert client.get(f"/api/attestation/templates/{kind}.csv").data.decode().strip() == ",".join(
            spec.columns
        )
        sheet = load_workbook(
            io.BytesIO(client.get(f"/api/attestation/templates/{kind}.xlsx").data)
        ).worksheets[0]
        assert [cell.value for cell in sheet[1]] == list(spec.columns)
    assert client.get("/api/attestation/templates/rockets.csv").status_code == 404
    assert send(client, "rockets", b"x\n")["status"] == 404
    wrong = send(client, "people", b"name,degree\nA,PhD\n")
    assert wrong["status"] == 422 and "missing column person" in wrong["detail"]
    assert client_as(app, "viewer").post(f"/api/semesters/{SEMESTER}/attestation/people").status_code == 403
