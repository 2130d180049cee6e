"""Rooms on demand: free rooms for a request, ranked by fit around everything already placed,
and bookings (one-off or weekly) that re-check for conflicts under the room's lock, so two
requests for the same room and time can never both win."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from models.rooms import BookableRoom, Occupation, RoomOffer, RoomRequest, planned_date
from service.occupancy import occupations
from service.storage import schema
from service.storage.database import Database
from service.storage.records import StorageError, stored_row
from solver.rooms import conflicts, free_rooms, why_no_room

LONGEST_SERIES = 60  # weeks a weekly booking may run


class BookingConflict(ValueError):
    """The room is taken at some of the times asked; `clashes` says by what."""

    def __init__(self, room: str, clashes: list[Occupation]) -> None:
        self.clashes = clashes
        listed = "; ".join(f"{c.date} {c.start:%H:%M}-{c.end:%H:%M} {c.what}" for c in clashes[:5])
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        super().__init__(f"room {room} is taken then: {listed}{more}")


def bookable_rooms(session: Session) -> list[BookableRoom]:
    return [
        BookableRoom(
            name=room.name,
            building=room.building.name,
            capacity=room.capacity,
            kind=room.kind,
            features=tuple(room.features),
        )
        for room in session.scalars(
            select(schema.Room).order_by(schema.Room.id).options(selectinload(schema.Room.building))
        )
    ]


def find_rooms(session: Session, request: RoomRequest) -> tuple[list[RoomOffer], str | None]:
    """The free rooms ranked by fit, and when there is none, why (`solver.rooms.why_no_room`)."""
    rooms, taken = bookable_rooms(session), occupations(session, request.date)
    offers = free_rooms(rooms, taken, request)
    return offers, None if offers else why_no_room(rooms, taken, request)


def weekly_dates(first: dt.date, until: dt.date | None) -> list[dt.date]:
    """The date, and each week after it up to `until` (a weekly booking)."""
    try:
        for date in (first, until or first):
            planned_date(date)
    except ValueError as error:
        raise StorageError(str(error)) from None
    if until is None:
        return [first]
    if until < first:
        raise StorageError(f"a weekly booking until {until} ends before its first date {first}")
    dates = [first + dt.timedelta(weeks=week) for week in range((until - first).days // 7 + 1)]
    if len(dates) > LONGEST_SERIES:
        raise StorageError(f"a weekly booking may run {LONGEST_SERIES} weeks at most, not {len(dates)}")
    return dates


def book(
    database: Database,
    room: str,
    dates: list[dt.date],
    start: dt.time,
    end: dt.time,
    purpose: str,
    booked_by: str,
) -> list[schema.Booking]:
    """The room on each date from `start` to `end`, all or none; BookingConflict when any is taken."""
    if end <= start:
        raise StorageError(f"a booking from {start:%H:%M} must end after it, not at {end:%H:%M}")
    with database.transaction() as session:
        for date in dates:  # the published timetables' weeks worked out before the lock is taken
            occupations(session, date)
        # Taking the room's lock first makes a second booking of it wait here until this one is
        # committed, then see it (PostgreSQL: the room's row; SQLite: the one writer's lock).
        locked = session.execute(
            update(schema.Room).where(schema.Room.name == room).values(capacity=schema.Room.capacity)
        )
        if locked.rowcount == 0:  # type: ignore[attr-defined]
            raise StorageError(f"no room {room!r}")
        clashes = [c for date in dates for c in conflicts(room, occupations(session, date), date, start, end)]
        if clashes:
            raise BookingConflict(room, clashes)
        stored = session.scalar(select(schema.Room).where(schema.Room.name == room))
        assert stored is not None
        series = str(uuid.uuid4()) if len(dates) > 1 else None
        bookings = [
            schema.Booking(
                room=stored,
                starts_at=dt.datetime.combine(date, start),
                ends_at=dt.datetime.combine(date, end),
                purpose=purpose,
                booked_by=booked_by,
                series=series,
                created_at=dt.datetime.now(dt.UTC),
            )
            for date in dates
        ]
        session.add_all(bookings)
        session.flush()
        return bookings


def cancel(session: Session, booking_id: int, whole_series: bool) -> int:
    """Remove a booking (or every date of its weekly series); returns how many went."""
    booking = stored_row(session, schema.Booking, booking_id)
    if booking is None:
        raise LookupError(f"no booking {booking_id}")
    doomed = [booking]
    if whole_series and booking.series:
        doomed = list(session.scalars(select(schema.Booking).where(schema.Booking.series == booking.series)))
    for row in doomed:
        session.delete(row)
    return len(doomed)
