"""Rooms on demand: free rooms ranked by fit around the published class timetable, exam schedule
and bookings; a booking re-checked under the room's lock, so of many clients asking for the same
room and time at once exactly one wins."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from cli.main import main
from models import BookableRoom, Occupation, RoomRequest
from service.context import KEY
from service.storage import schema
from solver.rooms import free_rooms, why_no_room
from tests.live_server import live_server
from tests.service.test_scenarios import placements, solved
from tests.service_factory import BACKENDS, client_as, database_with_a_semester, running_app, signed_in

MONDAY = dt.date(2026, 9, 7)  # the first day of the first teaching week
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def test_free_rooms_fit_the_request_and_come_smallest_and_plainest_first() -> None:
    rooms = [
        BookableRoom(
            name="Hall", building="Main", capacity=200, kind="lecture hall", features=("projector",)
        ),
        BookableRoom(
            name="Lab", building="Main", capacity=40, kind="lab", features=("computers", "projector")
        ),
        BookableRoom(name="A41", building="Annex", capacity=41, kind="classroom", features=("projector",)),
        BookableRoom(name="B40", building="Main", capacity=40, kind="classroom", features=("projector",)),
        BookableRoom(name="C39", building="Main", capacity=39, kind="classroom", features=("projector",)),
        BookableRoom(name="D60", building="Main", capacity=60, kind="classroom"),
    ]
    day = dt.date(2026, 3, 12)
    taken = [
        Occupation(room="B40", date=day, start=dt.time(15, 0), end=dt.time(17, 0), what="CSE2001 L1 lecture"),
        Occupation(room="A41", date=day, start=dt.time(12, 0), end=dt.time(14, 0), what="ends as we start"),
        Occupation(
            room="Lab", date=day + dt.timedelta(days=1), start=dt.time(14), end=dt.time(16), what="next day"
        ),
    ]
    asked = RoomRequest(date=day, start=dt.time(14), end=dt.time(16), capacity=40, features=("projector",))
    offers = free_rooms(rooms, taken, asked)
    assert [o.room for o in offers] == ["Lab", "A41", "Hall"]  # B40 taken, C39 small, D60 no projector
    assert [o.spare_seats for o in offers] == [0, 1, 160] and offers[0].extra_features == ("computers",)
    rooms.append(
        BookableRoom(name="E40", building="Main", capacity=40, kind="classroom", features=("projector",))
    )
    assert [o.room for o in free_rooms(rooms, taken, asked)][:2] == ["E40", "Lab"]  # as big, plainer
    only_main = free_rooms(rooms, taken, asked.model_copy(update={"building": "Main"}))
    assert [o.room for o in only_main] == ["E40", "Lab", "Hall"]
    with pytest.raises(ValueError, match="not after 16:00"):
        RoomRequest(date=day, start=dt.time(16), end=dt.time(15), capacity=1)


def test_a_request_no_room_answers_is_told_why() -> None:
    rooms = [
        BookableRoom(
            name="Hall", building="Main", capacity=200, kind="lecture hall", features=("projector",)
        ),
        BookableRoom(name="B40", building="Main", capacity=40, kind="classroom", features=("projector",)),
        BookableRoom(name="A30", building="Annex", capacity=30, kind="classroom"),
    ]
    day, two = dt.date(2026, 3, 12), (dt.time(14), dt.time(16))
    taken = [
        Occupation(room="B40", date=day, start=dt.time(15), end=dt.time(17), what="CSE2001 L1 lecture"),
        Occupation(room="Hall", date=day, start=dt.time(13), end=dt.time(15), what="booking 4: senate"),
    ]

    def why(**asked: Any) -> str:
        request = RoomRequest(date=day, start=two[0], end=two[1], **asked)
        assert free_rooms(rooms, taken, request) == []
        return why_no_room(rooms, taken, request)

    assert why(capacity=10, building="Library") == (
        "there is no building 'Library' (the buildings are Annex, Main)"
    )
    assert (
        why(capacity=10, features=("projector",), building="Annex")
        == "no room in Annex has projector (no room in Annex has any)"
    )
    assert why(capacity=10, features=("computers",)) == "no room has computers (the rooms have projector)"
    rooms.append(BookableRoom(name="Lab", building="Annex", capacity=20, kind="lab", features=("computers",)))
    assert why(capacity=10, features=("computers", "projector")) == (
        "no room has computers and projector together"
    )
    assert why(capacity=300) == "no room seats 300: the largest, Hall, seats 200"
    assert why(capacity=31, building="Annex") == "no room in Annex seats 31: the largest, A30, seats 30"
    assert why(capacity=40, features=("projector",)) == (
        "every room that would do is taken then: Hall: booking 4: senate 13:00-15:00; "
        "B40: CSE2001 L1 lecture 15:00-17:00"
    )
    no_rooms = RoomRequest(date=day, start=two[0], end=two[1], capacity=10)
    assert (
        why_no_room([], [], no_rooms) == "no room is recorded yet (import rooms.csv)"
    )  # was "no room has  together"


@pytest.fixture(scope="module", params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with running_app(tmp_path_factory.mktemp("rooms"), 150, 31, backend=request.param) as app:
        with app.extensions[KEY].database.transaction() as session:
            semester = session.scalars(select(schema.Semester)).one()
            semester.starts_on, semester.teaching_weeks = MONDAY, 15
        yield app


@pytest.fixture(scope="module")
def published(app: Flask) -> list[tuple[str, str | None, str | None]]:
    planner = client_as(app, "planner")
    run = solved(planner)
    assert planner.post(f"/api/runs/{run['id']}/publish").status_code == 200
    return placements(app, run)


def meeting_time(app: Flask, time: str) -> tuple[dt.date, dt.time, dt.time]:
    """The date in the third teaching week and the clock times of a time like 'Tue 3-4'."""
    day, _, periods = time.partition(" ")
    first, _, last = periods.partition("-")
    with app.extensions[KEY].database.transaction() as session:
        starts = [
            p.start
            for p in session.scalars(select(schema.CalendarPeriod).order_by(schema.CalendarPeriod.position))
        ]
        names = [
            p.name
            for p in session.scalars(select(schema.CalendarPeriod).order_by(schema.CalendarPeriod.position))
        ]
    begin = dt.time.fromisoformat(starts[names.index(first)])
    end_of_last = dt.datetime.combine(
        MONDAY, dt.time.fromisoformat(starts[names.index(last or first)])
    ) + dt.timedelta(minutes=50)
    return MONDAY + dt.timedelta(weeks=2, days=WEEKDAYS.index(day)), begin, end_of_last.time()


def search(
    client: FlaskClient, date: dt.date, start: dt.time, end: dt.time, capacity: int = 1
) -> list[dict[str, Any]]:
    answer = client.post(
        "/api/rooms/free",
        json={"date": str(date), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "capacity": capacity},
    )
    assert answer.status_code == 200, answer.get_json()
    found = answer.get_json()
    assert (found["reason"] is None) == bool(found["rooms"])
    return found["rooms"]  # type: ignore[no-any-return]


def test_a_room_in_use_by_a_published_class_is_not_offered_and_cannot_be_booked(
    app: Flask, published: list[tuple[str, str | None, str | None]]
) -> None:
    section, time, room = next(p for p in published if p[1] and p[2])
    assert time is not None and room is not None
    date, start, end = meeting_time(app, time)
    viewer, planner = client_as(app, "viewer"), client_as(app, "planner")
    offered = {offer["room"] for offer in search(viewer, date, start, end)}
    assert room not in offered and offered
    outside = {offer["room"] for offer in search(viewer, MONDAY + dt.timedelta(weeks=20), start, end)}
    assert room in outside  # after the teaching weeks the class is not there
    clash = planner.post(
        "/api/rooms/bookings",
        json={
            "room": room,
            "date": str(date - dt.timedelta(weeks=1)),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "purpose": "office hours",
            "weekly_until": str(date + dt.timedelta(weeks=1)),
        },
    )
    assert (
        clash.status_code == 409
        and section in clash.get_json()["detail"]
        and room in clash.get_json()["detail"]
    )
    assert (
        viewer.post(
            "/api/rooms/bookings", json={"room": room, "date": str(date), "start": "08:00", "end": "09:00"}
        ).status_code
        == 403
    )


def test_a_weekly_booking_takes_the_room_then_a_cancel_frees_it(app: Flask, published: Any) -> None:
    planner = client_as(app, "planner")
    sunday = MONDAY + dt.timedelta(days=6)  # no classes on Sunday
    start, end = dt.time(15), dt.time(16, 30)
    room = search(planner, sunday, start, end, capacity=20)[0]["room"]
    asked = {
        "room": room,
        "date": str(sunday),
        "start": "15:00",
        "end": "16:30",
        "purpose": "self-study",
        "weekly_until": str(sunday + dt.timedelta(weeks=3)),
    }
    made = planner.post("/api/rooms/bookings", json=asked)
    assert (
        made.status_code == 201
        and len(made.get_json()) == 4
        and len({b["series"] for b in made.get_json()}) == 1
    )
    assert made.get_json()[3]["starts_at"] == f"{sunday + dt.timedelta(weeks=3)}T15:00:00"
    later = sunday + dt.timedelta(weeks=2)
    assert room not in {o["room"] for o in search(planner, later, dt.time(16), dt.time(17), capacity=20)}
    assert room in {o["room"] for o in search(planner, later, dt.time(16, 30), dt.time(17), capacity=20)}
    again = planner.post(
        "/api/rooms/bookings",
        json=asked | {"date": str(later), "weekly_until": None, "start": "16:00", "end": "17:00"},
    )
    assert (
        again.status_code == 409
        and f"booking {made.get_json()[2]['id']}: self-study" in again.get_json()["detail"]
    )
    assert planner.delete(f"/api/rooms/bookings/{made.get_json()[0]['id']}?series=all").get_json() == {
        "cancelled": 4
    }
    assert room in {o["room"] for o in search(planner, later, dt.time(16), dt.time(17), capacity=20)}
    assert planner.post("/api/rooms/bookings", json=asked | {"room": "Atlantis"}).status_code == 404
    backwards = planner.post(
        "/api/rooms/bookings", json=asked | {"weekly_until": str(sunday - dt.timedelta(days=1))}
    )
    assert backwards.status_code == 422 and "ends before" in backwards.get_json()["detail"]
    reversed_times = planner.post(
        "/api/rooms/free", json={"date": str(sunday), "start": "16:00", "end": "15:00", "capacity": 3}
    )
    assert reversed_times.status_code == 422 and reversed_times.get_json()["errors"][0]["field"] == "end"


def test_the_service_says_why_no_room_is_free(app: Flask, published: Any) -> None:
    planner = client_as(app, "planner")
    sunday = MONDAY + dt.timedelta(weeks=12, days=6)
    asked = {"date": str(sunday), "start": "10:00", "end": "11:00"}
    rooms = planner.post("/api/rooms/free", json=asked | {"capacity": 1}).get_json()["rooms"]
    largest = max(room["capacity"] for room in rooms)
    biggest = [room for room in rooms if room["capacity"] == largest]
    for room in biggest:
        made = planner.post("/api/rooms/bookings", json=asked | {"room": room["room"], "purpose": "open day"})
        assert made.status_code == 201
    taken = planner.post("/api/rooms/free", json=asked | {"capacity": largest}).get_json()
    assert taken["rooms"] == [] and taken["reason"].startswith("every room that would do is taken then")
    assert all(f"{room['room']}: booking" in taken["reason"] for room in biggest)
    assert "open day" in taken["reason"]
    too_many = planner.post("/api/rooms/free", json=asked | {"capacity": largest + 1}).get_json()
    assert too_many["rooms"] == [] and f"seats {largest + 1:,}: the largest" in too_many["reason"]
    nowhere = planner.post("/api/rooms/free", json=asked | {"capacity": 1, "building": "Atlantis"})
    assert "there is no building 'Atlantis'" in nowhere.get_json()["reason"]


def test_the_rooms_page_finds_books_and_cancels_and_says_why_not(app: Flask, published: Any) -> None:
    assert "/login" in app.test_client().get("/rooms").headers["Location"]  # staff only
    viewer, viewer_token = signed_in(app, "viewer")
    planner, token = signed_in(app, "planner")
    day = MONDAY + dt.timedelta(weeks=14, days=6)
    asked = {"date": str(day), "start": "12:00", "end": "13:30", "capacity": "10", "building": ""}
    seen = viewer.get("/rooms", query_string=asked).data.decode()
    assert 'id="offers"' in seen and 'class="book"' not in seen  # a viewer looks, a planner books
    page = planner.get("/rooms", query_string=asked).data.decode()
    first = page.split('name="room" value="', 1)[1].split('"', 1)[0]
    search = "&".join(f"{key}={value}" for key, value in asked.items())
    booking = {
        "csrf_token": token,
        "room": first,
        "date": str(day),
        "start": "12:00",
        "end": "13:30",
        "purpose": "thesis consultation",
        "search": search,
    }
    assert viewer.post("/rooms/book", data=booking | {"csrf_token": viewer_token}).status_code == 403
    after = planner.post("/rooms/book", data=booking, follow_redirects=True).data.decode()
    assert f'<p class="done" role="status">Booked {first} on {day} 12:00-13:30.</p>' in after
    assert f'name="room" value="{first}"' not in after and "thesis consultation" in after
    twice = planner.post("/rooms/book", data=booking, follow_redirects=True).data.decode()
    assert f'<p class="error" role="alert">Not booked: room {first} is taken then' in twice
    backwards = planner.post("/rooms/book", data=booking | {"end": "11:00"}, follow_redirects=True)
    assert "Not booked: a booking from 12:00 must end after it" in backwards.data.decode()
    booked = after.split('action="/rooms/bookings/', 1)[1].split("/", 1)[0]
    gone = planner.post(
        f"/rooms/bookings/{booked}/cancel",
        data={"csrf_token": token, "search": search},
        follow_redirects=True,
    ).data.decode()
    assert "Cancelled 1 booking." in gone and f'name="room" value="{first}"' in gone
    too_big = planner.get("/rooms", query_string=asked | {"capacity": "99999"}).data.decode()
    assert 'id="none"' in too_big and "seats 99,999: the largest" in too_big
    reversed_times = planner.get("/rooms", query_string=asked | {"end": "11:00"}).data.decode()
    assert (
        "To: the room is wanted until 11:00, not after 12:00" in reversed_times
        and 'id="offers"' not in reversed_times
    )
    no_date = planner.get("/rooms", query_string=asked | {"date": "31.12"}).data.decode()
    assert "Date: Not a valid date value." in no_date


def test_dates_rooms_are_not_planned_on_and_times_with_a_zone_are_refused_in_words(app: Flask) -> None:
    planner = client_as(app, "planner")
    far = "rooms are planned on dates from 2000-01-01 to 2099-12-31, not 9999-12-31"
    whole_day = {"date": "9999-12-31", "start": "00:00", "end": "23:59", "capacity": 1}
    yes = planner.post("/api/rooms/free", json=whole_day | {"date": "2026-10-01", "capacity": True})
    assert yes.status_code == 422 and yes.get_json()["errors"][0]["field"] == "capacity"
    refused = planner.post("/api/rooms/free", json=whole_day)
    assert refused.status_code == 422 and refused.get_json()["errors"] == [{"field": "date", "message": far}]
    zoned = planner.post(
        "/api/rooms/free",
        json=whole_day | {"date": "2026-10-01", "start": "14:00:00+05:00", "end": "15:00+05:00"},
    )
    assert zoned.status_code == 422 and zoned.get_json()["errors"] == [
        {"field": "start", "message": "a local time such as 14:00, without a time zone, not 14:00:00+05:00"},
        {"field": "end", "message": "a local time such as 14:00, without a time zone, not 15:00:00+05:00"},
    ]
    with app.extensions[KEY].database.transaction() as session:
        room = session.scalars(select(schema.Room.name).order_by(schema.Room.id)).first()
        before = session.scalar(select(func.count()).select_from(schema.Booking))
    booking = {"room": room, "date": "2026-10-04", "start": "14:00", "end": "15:00"}
    for wrong, field in (
        ({"date": "9999-12-31"}, "date"),
        ({"weekly_until": "9999-12-31"}, "weekly_until"),
        ({"start": "14:00+05:00"}, "start"),
    ):
        answer = planner.post("/api/rooms/bookings", json=booking | wrong)
        assert answer.status_code == 422 and answer.get_json()["errors"][0]["field"] == field, wrong
    page, token = signed_in(app, "planner")
    search = page.get("/rooms", query_string=whole_day)
    assert search.status_code == 200 and f"Date: {far}" in search.data.decode()
    booked = page.post(
        "/rooms/book", data=booking | {"csrf_token": token, "date": "9999-12-31"}, follow_redirects=True
    )
    assert f"Not booked: {far}" in booked.data.decode()
    with app.extensions[KEY].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(schema.Booking)) == before


def test_of_many_clients_booking_one_room_at_once_exactly_one_wins(app: Flask, published: Any) -> None:
    token = client_as(app, "planner").environ_base["HTTP_AUTHORIZATION"]
    saturday = MONDAY + dt.timedelta(weeks=30, days=5)
    room = search(client_as(app, "viewer"), saturday, dt.time(10), dt.time(12))[0]["room"]
    answers: list[int] = []
    ready = threading.Barrier(20)

    def ask(base: str, number: int) -> None:
        ready.wait()
        answer = requests.post(
            f"{base}/api/rooms/bookings",
            json={
                "room": room,
                "date": str(saturday),
                "start": "10:00",
                "end": "12:00",
                "purpose": f"client {number}",
            },
            headers={"Authorization": token},
            timeout=120,
        )
        answers.append(answer.status_code)

    with live_server(app) as base:
        clients = [threading.Thread(target=ask, args=(base, number)) for number in range(20)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
    assert sorted(answers) == [201] + [409] * 19
    with app.extensions[KEY].database.transaction() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(schema.Booking)
            .join(schema.Booking.room)
            .where(
                schema.Room.name == room,
                schema.Booking.starts_at == dt.datetime.combine(saturday, dt.time(10)),
            )
        )
    assert stored == 1


def test_the_command_line_finds_and_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_with_a_semester(tmp_path / "r.sqlite3", 60, 3))
    runner = CliRunner()
    when = ["--date", "2026-03-12", "--from", "14:00", "--to", "16:00"]
    found = runner.invoke(main, ["rooms", "find", "--capacity", "30", "--features", "projector", *when])
    assert found.exit_code == 0, found.output
    first = found.output.split("\n")[3].split("│")[1].strip()  # the best fit's row
    assert first and "free room" in found.output
    booked = runner.invoke(main, ["rooms", "book", first, *when, "--purpose", "defence rehearsal"])
    assert booked.exit_code == 0 and f"booked {first}: 1 date" in booked.output
    again = runner.invoke(main, ["rooms", "book", first, *when])
    assert again.exit_code == 1 and "defence rehearsal" in again.output
    after = runner.invoke(main, ["rooms", "find", "--capacity", "30", "--features", "projector", *when])
    assert f"│ {first} " not in after.output
    nowhere = runner.invoke(main, ["rooms", "find", "--capacity", "30", "--building", "Nowhere", *when])
    assert nowhere.exit_code == 0 and "no free room: there is no building 'Nowhere'" in nowhere.output
    backwards = runner.invoke(
        main, ["rooms", "find", "--capacity", "3", "--date", "2026-03-12", "--from", "16:00", "--to", "15:00"]
    )
    assert backwards.exit_code == 2 and "not after 16:00" in backwards.output
