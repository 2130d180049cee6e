"""A hand-made attestation of two commissions over two days, small enough to reason about by hand.

CS-1 (programme CS): chair Aida (0), deputy Bolat (1), members Chingis (2, also on SE-1), Dana (3,
prefers day 1), Erlan (4, supervises defences D0 and D2) and Farida (5, reviews D0); six members,
so four make a quorum; at most two defences a day. SE-1 (programme SE): chair Galym (7), deputy
Hanna (8), Chingis (2) and Iskander (9); four members, a quorum of three. Gulnar (6) supervises
D1, reviewed by the chair Aida. Days have sittings of 8 ten-minute slots. Room 0 seats 10; room 1
seats 30 and is taken by exams on day 1.
"""

from __future__ import annotations

import datetime as dt

from models import (
    AttestationDay,
    AttestationProblem,
    AttestationRoom,
    AttestationSolution,
    Commission,
    Hearing,
    HearingKind,
    HearingPlace,
    Panel,
    Person,
)

NAMES = ("Aida", "Bolat", "Chingis", "Dana", "Erlan", "Farida", "Gulnar", "Galym", "Hanna", "Iskander")
D0, D1, D2, D3, E4 = range(5)


def tiny_problem(**changes: object) -> AttestationProblem:
    people = [Person(index=i, name=name) for i, name in enumerate(NAMES)]
    people[3] = people[3].model_copy(update={"preferred_days": frozenset({1})})
    problem = AttestationProblem(
        name="tiny",
        days=tuple(
            AttestationDay(index=i, date=dt.date(2027, 6, 1 + i), start=dt.time(10, 0), slots=8)
            for i in range(2)
        ),
        rooms=(
            AttestationRoom(index=0, name="R0", capacity=10),
            AttestationRoom(index=1, name="R1", capacity=30, unavailable_days=frozenset({1})),
        ),
        people=tuple(people),
        commissions=(
            Commission(
                index=0,
                name="CS-1",
                programme="CS",
                chair=0,
                deputy=1,
                members=(0, 1, 2, 3, 4, 5),
                max_defences_per_day=2,
            ),
            Commission(
                index=1,
                name="SE-1",
                programme="SE",
                chair=7,
                deputy=8,
                members=(7, 8, 2, 9),
                max_defences_per_day=2,
            ),
        ),
        hearings=(
            Hearing(index=D0, name="D0", programme="CS", slots=2, supervisor=4, reviewer=5),
            Hearing(index=D1, name="D1", programme="CS", slots=2, supervisor=6, reviewer=0),
            Hearing(index=D2, name="D2", programme="CS", slots=3, supervisor=4),
            Hearing(index=D3, name="D3", programme="SE", slots=2, supervisor=6),
            Hearing(index=E4, name="E4", kind=HearingKind.STATE_EXAM, programme="SE", slots=3, students=20),
        ),
    )
    return problem.model_copy(update=changes) if changes else problem


def place(commission: int, day: int, start: int, room: int) -> HearingPlace:
    return HearingPlace(commission=commission, day=day, start=start, room=room)


def timetable(
    places: dict[int, HearingPlace | None], panels: dict[tuple[int, int], tuple[int, ...]]
) -> AttestationSolution:
    return AttestationSolution(
        problem_name="tiny",
        places=tuple(places.get(h) for h in range(5)),
        panels=tuple(Panel(commission=c, day=d, members=m) for (c, d), m in panels.items()),
    )


# CS-1 hears D0 and D2 on day 0 and D1 on day 1 in room 0; SE-1 hears E4 then D3 on day 0 in room 1.
GOOD_PLACES = {
    D0: place(0, 0, 0, 0),
    D2: place(0, 0, 2, 0),
    D1: place(0, 1, 0, 0),
    E4: place(1, 0, 0, 1),
    D3: place(1, 0, 3, 1),
}
GOOD_PANELS = {(0, 0): (0, 1, 2, 3), (0, 1): (1, 2, 3, 4), (1, 0): (7, 8, 9)}
GOOD = timetable(GOOD_PLACES, GOOD_PANELS)
