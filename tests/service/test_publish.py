"""Publishing: a run's timetable becomes the semester's, and each teacher's, room's, student's and
cohort's week comes as an HTML grid, iCalendar weekly events, CSV and XLSX, all the same meetings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from openpyxl import load_workbook

from service.context import KEY
from service.storage import schema
from service.storage.records import load_semester
from tests.service.test_scenarios import solved
from tests.service_factory import BACKENDS, SEMESTER, client_as, running_app

STARTS_ON = dt.date(2026, 9, 7)  # a Monday


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    with running_app(tmp_path, 150, 12, backend=request.param) as app:
        with app.extensions[KEY].database.transaction() as session:
            semester = session.query(schema.Semester).one()
            semester.starts_on, semester.teaching_weeks = STARTS_ON, 15
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return client_as(app, "planner")


def expected_meetings(app: Flask, run: dict[str, Any], teacher: str) -> int:
    """The teacher's placed meetings, counted from the stored run and records directly."""
    with app.extensions[KEY].database.transaction() as session:
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solution is not None
        starts = stored.solution["starts"]
        data = load_semester(session, SEMESTER)
    owners = [section.teachers for section in data.sections for _ in section.meetings]
    return sum(
        1 for start, names in zip(starts, owners, strict=True) if start is not None and teacher in names
    )


def test_a_published_week_in_four_formats(app: Flask, client: FlaskClient) -> None:
    run = solved(client)
    base = f"/api/semesters/{SEMESTER}/timetable/teacher"
    with app.extensions[KEY].database.transaction() as session:
        teacher = load_semester(session, SEMESTER).sections[0].teachers[0]
    assert client.get(f"{base}/{teacher}.html").status_code == 404  # nothing published yet
    assert client.post(f"/api/runs/{run['id']}/publish").get_json()["published_at"]
    count = expected_meetings(app, run, teacher)
    assert count > 0
    page = client.get(f"{base}/{teacher}.html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.data.decode().count('class="meeting"') == count and 'id="week"' in page.data.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/{teacher}.csv").data.decode())))
    assert len(rows) == count and all(teacher in row["teachers"] for row in rows)
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/{teacher}.xlsx").data))
    assert workbook.sheetnames == ["Week", "Meetings"] and workbook["Meetings"].max_row == count + 1
    calendar = Calendar.from_ical(client.get(f"{base}/{teacher}.ics").data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == count
    for event, row in zip(events, rows, strict=True):
        start = event.decoded("dtstart")
        assert start.date() - STARTS_ON < dt.timedelta(days=7)
        assert (
            start.strftime("%H:%M") == row["starts_at"]
            and event.decoded("dtend").strftime("%H:%M") == row["ends_at"]
        )
        assert event["rrule"]["COUNT"] == [15] and event["rrule"]["FREQ"] == ["WEEKLY"]


def test_rooms_students_and_cohorts_and_refusals(app: Flask, client: FlaskClient) -> None:
    run = solved(client)
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    room, student, cohort = data.rooms[0].name, data.registrations[0].student, data.cohorts[0]
    base = f"/api/semesters/{SEMESTER}/timetable"
    for whose, name in (
        ("room", room),
        ("student", student),
        ("cohort", f"{cohort.programme} {cohort.year}"),
    ):
        answer = client.get(f"{base}/{whose}/{name}.csv?run={run['id']}")  # a run not yet published
        assert answer.status_code == 200, answer.get_json()
    mine = list(
        csv.DictReader(io.StringIO(client.get(f"{base}/student/{student}.csv?run={run['id']}").data.decode()))
    )
    registered = {r.section for r in data.registrations if r.student == student}
    assert mine and {row["section"] for row in mine} <= registered
    assert (
        client.get(f"{base}/teacher/Nobody.html?run={run['id']}").get_json()["detail"]
        == "no teacher 'Nobody'"
    )
    assert client.get(f"{base}/planet/Mars.csv?run={run['id']}").status_code == 404
    assert client.get(f"{base}/room/{room}.pdf?run={run['id']}").status_code == 404
    queued = client.post(
        "/api/runs", json={"kind": "lessons", "semester": SEMESTER, "time_limit": 60}
    ).get_json()
    assert client.post(f"/api/runs/{queued['id']}/publish").status_code == 409
    client.post(f"{queued['href']}/cancel")


def test_the_published_week_survives_sections_imported_after_it(app: Flask, client: FlaskClient) -> None:
    """Imports after a run (a section added before the others, one's meetings changed) move the
    positions the solver numbered meetings by; the run is read back by names: every other meeting
    where it was, the changed section's unplaced, and rooms still found free around it."""
    run = solved(client)
    assert client.post(f"/api/runs/{run['id']}/publish").status_code == 200
    with app.extensions[KEY].database.transaction() as session:
        data = load_semester(session, SEMESTER)
    changed = data.sections[0]
    room = data.rooms[0].name
    base = f"/api/semesters/{SEMESTER}/timetable"

    def week_of(whose: str, name: str) -> list[dict[str, str]]:
        answer = client.get(f"{base}/{whose}/{name}.csv")
        assert answer.status_code == 200, answer.get_json()
        return list(csv.DictReader(io.StringIO(answer.data.decode())))

    teachers = sorted({t for s in data.sections for t in s.teachers})
    before = {name: week_of("teacher", name) for name in teachers}
    rooms_before = week_of("room", room)
    header = "course,section,component,size_limit,meetings,teachers,language,room_kind\n"
    longer = ";".join(["1"] * (len(changed.meetings) + 1))  # one meeting more: every meeting renumbered
    rows = [
        f"{changed.course},{changed.name},{changed.component},{changed.size_limit},{longer},"
        f"{';'.join(changed.teachers)},{changed.language},{changed.room_kind}",
        f"{changed.course},A0,{changed.component},10,2,{';'.join(changed.teachers)},"
        f"{changed.language},{changed.room_kind}",
    ]
    imported = client.post(
        f"/api/semesters/{SEMESTER}/imports/sections",
        data={"file": (io.BytesIO((header + "\n".join(rows) + "\n").encode()), "sections.csv")},
    )
    assert imported.status_code == 200, imported.get_json()
    for name in teachers:
        kept = [row for row in before[name] if row["section"] != changed.ref]
        assert week_of("teacher", name) == kept
    assert week_of("room", room) == [row for row in rooms_before if row["section"] != changed.ref]
    free = client.post(
        "/api/rooms/free", json={"date": "2026-10-12", "start": "09:00", "end": "10:00", "capacity": 1}
    )
    assert free.status_code == 200, free.get_json()
    with app.extensions[KEY].database.transaction() as session:  # a run stored before names were kept
        stored = session.get(schema.Run, run["id"])
        assert stored is not None and stored.solved_for is not None
        stored.solved_for = None
    stale = client.get(f"{base}/room/{room}.csv")
    assert stale.status_code == 409
    assert stale.get_json()["detail"] == (
        f"run {run['id']} was made for the semester's sections as they were then, and they have changed "
        "since: solve again"
    )
