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


def why_no_room(
    rooms: Iterable[BookableRoom], occupations: Iterable[Occupation], request: RoomRequest
) -> str:
    """Why `free_rooms` offers nothing, in the words of the request: the building, a feature or the
    seats no room has, else what takes each room that would do."""
    rooms = list(rooms)
    if not rooms:
        return "no room is recorded yet (import rooms.csv)"
    buildings = sorted({room.building for room in rooms})
    if request.building is not None and request.building not in buildings:
        return f"there is no building {request.building!r} (the buildings are {', '.join(buildings)})"
    where = [room for room in rooms if request.building is None or room.building == request.building]
    place = f" in {request.building}" if request.building is not None else ""
    known = sorted({feature for room in where for feature in room.features})
    missing = [feature for feature in request.features if feature not in known]
    if missing:
        have = f"the rooms{place} have {', '.join(known)}" if known else f"no room{place} has any"
        return f"no room{place} has {', '.join(missing)} ({have})"
    equipped = [room for room in where if set(request.features) <= set(room.features)]
    if not equipped:
        return f"no room{place} has {' and '.join(request.features)} together"
    fitting = [room for room in equipped if room.capacity >= request.capacity]
    if not fitting:
        largest = max(equipped, key=lambda room: room.capacity)
        kind = f" with {', '.join(request.features)}" if request.features else ""
        return (
            f"no room{kind}{place} seats {request.capacity:,}: the largest, {largest.name}, "
            f"seats {largest.capacity:,}"
        )
    occupations = list(occupations)
    taking = {
        room.name: clash[0]
        for room in fitting
        if (clash := conflicts(room.name, occupations, request.date, request.start, request.end))
    }
    free = len(fitting) - len(taking)
    if free:  # asked about a request that has free rooms
        return f"{free} room{'s' * (free != 1)} would do and {'are' if free != 1 else 'is'} free"
    shown = "; ".join(
        f"{name}: {o.what} {o.start:%H:%M}-{o.end:%H:%M}" for name, o in list(taking.items())[:5]
    )
    more = f" and {len(taking) - 5} more" if len(taking) > 5 else ""
    return f"every room that would do is taken then: {shown}{more}"
