"""The rooms-on-demand part of the JSON API: free rooms ranked by fit, and bookings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import NotFound

from models.rooms import RoomRequest
from service.access import caller, requires
from service.api import body_as, problem
from service.bookings import BookingConflict, book, cancel, find_rooms, weekly_dates
from service.context import services
from service.schemas import BookingOut, BookingRequest, RoomFound, RoomSearch, RoomsFree
from service.storage import schema
from service.storage.records import StorageError
from service.storage.schema import Role

rooms_api = Blueprint("rooms_api", __name__, url_prefix="/api/rooms")


@rooms_api.post("/free")
@requires(Role.VIEWER)
def free() -> Response:
    asked = body_as(RoomSearch)
    try:
        wanted = RoomRequest(
            date=asked.date,
            start=asked.start,
            end=asked.end,
            capacity=asked.capacity,
            features=tuple(asked.features),
            building=asked.building,
        )
    except ValidationError as error:  # the one rule across fields: it ends after it starts
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        return problem(422, "Invalid request", f"end: {message}", [{"field": "end", "message": message}])
    with services().database.transaction() as session:
        offers, reason = find_rooms(session, wanted)
    found = [RoomFound.model_validate(offer.model_dump()) for offer in offers]
    return jsonify(RoomsFree(rooms=found, reason=reason).model_dump(mode="json"))


@rooms_api.post("/bookings")
@requires(Role.PLANNER)
def new_booking() -> Response:
    asked = body_as(BookingRequest)
    who = caller()
    try:
        dates = weekly_dates(asked.date, asked.weekly_until)
        bookings = book(
            services().database,
            asked.room,
            dates,
            asked.start,
            asked.end,
            asked.purpose,
            who.username if who else "",
        )
    except BookingConflict as error:
        return problem(409, "Conflict", str(error))
    except StorageError as error:
        status = 404 if str(error).startswith("no room") else 422
        return problem(status, "Not found" if status == 404 else "Invalid request", str(error))
    response = jsonify([_booking(row, asked.room) for row in bookings])
    response.status_code = 201
    return response


@rooms_api.get("/bookings")
@requires(Role.VIEWER)
def bookings() -> Response:
    with services().database.transaction() as session:
        rows = session.query(schema.Booking).order_by(schema.Booking.starts_at, schema.Booking.id).limit(1000)
        return jsonify([_booking(row, row.room.name) for row in rows])


@rooms_api.delete("/bookings/<int:booking_id>")
@requires(Role.PLANNER)
def remove_booking(booking_id: int) -> Response:
    with services().database.transaction() as session:
        try:
            gone = cancel(session, booking_id, request.args.get("series") == "all")
        except LookupError as error:
            raise NotFound(str(error)) from None
    return jsonify({"cancelled": gone})


def _booking(row: schema.Booking, room: str) -> dict[str, Any]:
    return BookingOut(
        id=row.id,
        room=room,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        purpose=row.purpose,
        booked_by=row.booked_by,
        series=row.series,
    ).model_dump(mode="json")
