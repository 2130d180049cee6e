"""`registrar rooms`: free rooms on demand and bookings, against the service's database."""

from __future__ import annotations

import datetime as dt
import sys
import time

import click
from pydantic import ValidationError
from rich.table import Table

from cli.database import open_database
from cli.display import console
from models.rooms import RoomRequest
from service.bookings import BookingConflict, book, find_rooms, weekly_dates
from service.storage.records import StorageError

DATE = click.DateTime(formats=["%Y-%m-%d"])
CLOCK = click.DateTime(formats=["%H:%M"])


@click.group("rooms")
def rooms() -> None:
    """Free rooms for a one-off request, and bookings (DATABASE_URL, else a SQLite file here)."""


@rooms.command("find")
@click.option("--capacity", type=click.IntRange(min=1), required=True, help="People to seat.")
@click.option("--features", default="", help="Comma-separated, e.g. projector,computers.")
@click.option("--date", "date", type=DATE, required=True, help="e.g. 2026-03-12")
@click.option("--from", "start", type=CLOCK, required=True, help="e.g. 14:00")
@click.option("--to", "end", type=CLOCK, required=True, help="e.g. 16:00")
@click.option("--building", default=None, help="Only rooms of this building.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def find(
    capacity: int,
    features: str,
    date: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    building: str | None,
    limit: int,
) -> None:
    """Free rooms at that time, the best fit first, around everything already placed."""
    try:
        asked = RoomRequest(
            date=date.date(),
            start=start.time(),
            end=end.time(),
            capacity=capacity,
            features=tuple(f.strip() for f in features.split(",") if f.strip()),
            building=building,
        )
    except ValidationError as error:
        console.print(f"[red]{error.errors()[0]['msg'].removeprefix('Value error, ')}[/red]")
        sys.exit(2)
    database = open_database()
    began = time.perf_counter()
    with database.transaction() as session:
        offers, reason = find_rooms(session, asked)
    took = time.perf_counter() - began
    table = Table("room", "building", "seats", "spare", "kind", "features")
    for offer in offers[:limit]:
        table.add_row(
            offer.room,
            offer.building,
            str(offer.capacity),
            str(offer.spare_seats),
            offer.kind,
            ", ".join(offer.features),
        )
    if offers:
        console.print(table)
        console.print(f"{len(offers)} free room{'s' * (len(offers) != 1)} ({took * 1000:.0f} ms)")
    else:
        console.print(f"no free room: {reason}", soft_wrap=True)


@rooms.command("book")
@click.argument("room")
@click.option("--date", "date", type=DATE, required=True)
@click.option("--from", "start", type=CLOCK, required=True)
@click.option("--to", "end", type=CLOCK, required=True)
@click.option("--purpose", default="", help="e.g. 'office hours, Dr Sadykova'")
@click.option("--weekly-until", type=DATE, default=None, help="Repeat each week up to this date.")
@click.option("--by", "booked_by", default="command line", show_default=True)
def book_room(
    room: str,
    date: dt.datetime,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    weekly_until: dt.datetime | None,
    booked_by: str,
) -> None:
    """Book a room once or weekly; refused, with what is there, if it is taken any of those times."""
    database = open_database()
    try:
        dates = weekly_dates(date.date(), weekly_until.date() if weekly_until else None)
        made = book(database, room, dates, start.time(), end.time(), purpose, booked_by)
    except (BookingConflict, StorageError) as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(1)
    first = made[0]
    console.print(
        f"booked {room}: {len(made)} date{'s' * (len(made) != 1)} from {first.starts_at:%Y-%m-%d %H:%M}"
        f" to {first.ends_at:%H:%M} (booking {first.id}{', series ' + first.series if first.series else ''})"
    )
