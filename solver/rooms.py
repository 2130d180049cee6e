"""Free rooms for a one-off request, ranked by fit: the smallest room that seats everyone comes
first (big halls stay free for big requests), then the one with fewest features nobody asked
for (labs and studios stay free for those who need them), then by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.rooms import BookableRoom, Occupation, RoomOffer, RoomRequest


def overlaps(occupation: Occupation, date: dt.date, start: dt.time, end: dt.time) -> bool:
    return occupation.date == date and occupation.start < end and start < occupation.end


def conflicts(
    room: str, occupations: Iterable[Occupation], date: dt.date, start: dt.time, end: dt.time
) -> list[Occupation]:
    """What occupies `room` at some moment of the time asked."""
    return [o for o in occupations if o.room == room and overlaps(o, date, start, end)]


def free_rooms(
    rooms: Iterable[BookableRoom], occupations: Iterable[Occupation], request: RoomRequest
) -> list[RoomOffer]:
    taken = {o.room for o in occupations if overlaps(o, request.date, request.start, request.end)}
    wanted = set(request.features)
    offers = [
        RoomOffer(
            room=room.name,
            building=room.building,
            capacity=room.capacity,
            kind=room.kind,
            features=room.features,
            spare_seats=room.capacity - request.capacity,
            extra_features=tuple(sorted(set(room.features) - wanted)),
        )
        for room in rooms
        if room.name not in taken
        and room.capacity >= request.capacity
        and wanted <= set(room.features)
        and (request.building is None or room.building == request.building)
    ]
    return sorted(offers, key=lambda o: (o.spare_seats, len(o.extra_features), o.room))
