"""A synthetic final attestation: commissions of programmes, their graduates' defences and state exams.

By default 30 commissions over 20 programmes (ten large programmes have two), 1,200 defences and
a state exam per commission, over three weeks of five sitting days, in 40 rooms freed from exams
most days; a commission hears at most ten defences a day. Each commission has an
external chair, a deputy and five members (some sit on two commissions), and a secretary; the
programme's teachers supervise and review the theses, some of them commission members, so that
recusal matters. Everyone is away a day or two; some members name the days they prefer.
"""

from __future__ import annotations

import datetime as dt
import random

from datasets.semester_catalogue import MEN, SURNAMES, WOMEN
from models import (
    SLOT_MINUTES,
    AttestationDay,
    AttestationProblem,
    AttestationRoom,
    Commission,
    Hearing,
    HearingKind,
    Person,
)

PROGRAMMES = {
    "Computer Science": "CS", "Software Engineering": "SE", "Information Systems": "IS",
    "Cybersecurity": "CYB", "Data Science": "DS", "Automation and Control": "AC",
    "Electrical Power": "EP", "Petroleum Engineering": "PE", "Chemical Technology": "CT",
    "Mathematics": "MATH", "Physics": "PHYS", "Economics": "ECON", "Finance": "FIN",
    "Management": "MGT", "Marketing": "MKT", "Logistics": "LOG", "Geology": "GEO", "Mining": "MIN",
    "Civil Engineering": "CE", "Architecture": "ARCH",
}  # fmt: skip
LANGUAGES = ("Kazakh", "Russian", "English")
DEGREES = ("PhD", "Candidate of Sciences", "Doctor of Sciences", "Master")
TOPICS = ("A study of", "Design of", "Modelling", "Optimisation of", "Analysis of", "Development of")
OBJECTS = (
    "scheduling systems",
    "power grids",
    "oil recovery",
    "credit risk",
    "supply chains",
    "neural networks",
)
SITTING_START = dt.time(9, 0)
SITTING_MINUTES = 360  # 9:00 to 15:00
DAILY_LIMIT = 10


def generate_attestation(
    seed: int = 1,
    commissions: int = 30,
    defences: int = 1200,
    weeks: int = 3,
    first_day: dt.date = dt.date(2027, 5, 24),
) -> AttestationProblem:
    """A reproducible attestation of the given size (the same seed gives the same data)."""
    rng = random.Random(seed)
    days = _days(weeks, first_day)
    programmes = _programmes(commissions)
    people: list[Person] = []

    def hire(unavailable: int, prefers: bool = False) -> int:
        name = f"{rng.choice(MEN + WOMEN)} {rng.choice(SURNAMES)}"
        away = frozenset(rng.sample(range(len(days)), unavailable))
        preferred = frozenset(rng.sample(range(len(days)), len(days) // 2)) if prefers else frozenset()
        people.append(
            Person(
                index=len(people),
                name=f"{name} ({len(people) + 1})",
                degree=rng.choice(DEGREES),
                unavailable_days=away,
                preferred_days=preferred - away,
            )
        )
        return len(people) - 1

    boards: list[Commission] = []
    faculty: dict[str, list[int]] = {}
    boards_of: dict[str, list[int]] = {}
    for programme, count in programmes:
        teachers = [hire(rng.randint(0, 2), prefers=rng.random() < 0.3) for _ in range(6 + 4 * count)]
        faculty[programme] = teachers
        for number in range(count):
            internal = teachers[number * 4 : number * 4 + 4]  # teachers who also supervise
            members = [hire(rng.randint(1, 3)), *internal, hire(rng.randint(0, 2), prefers=True)]
            if boards and rng.random() < 0.3:  # a member lent by another commission
                members.append(rng.choice(boards[-1].members[2:]))
            else:
                members.append(hire(rng.randint(0, 2)))
            boards_of.setdefault(programme, []).append(len(boards))
            boards.append(
                Commission(
                    index=len(boards),
                    name=f"{_code(programme)}-{number + 1}",
                    programme=programme,
                    chair=members[0],
                    deputy=members[1],
                    members=tuple(members),
                    secretary=hire(0),
                    max_defences_per_day=DAILY_LIMIT,
                )
            )
    hearings = _defences(rng, defences, programmes, faculty, boards_of)
    hearings += _state_exams(rng, len(hearings), programmes, boards_of)
    rooms = tuple(
        AttestationRoom(
            index=room,
            name=f"{room // 10 + 1}{room % 10 + 1:02d}",
            capacity=rng.choice((24, 30, 40, 60)),
            unavailable_days=frozenset(rng.sample(range(len(days)), rng.randint(0, 3))),
        )
        for room in range(commissions + 10)
    )
    return AttestationProblem(
        name=f"sac-{commissions}c-{defences}d-{weeks}w-s{seed}",
        days=days,
        rooms=rooms,
        people=tuple(people),
        commissions=tuple(boards),
        hearings=tuple(hearings),
    )


def _days(weeks: int, first_day: dt.date) -> tuple[AttestationDay, ...]:
    dates = [
        first_day + dt.timedelta(days=7 * week + weekday) for week in range(weeks) for weekday in range(5)
    ]
    return tuple(
        AttestationDay(index=index, date=date, start=SITTING_START, slots=SITTING_MINUTES // SLOT_MINUTES)
        for index, date in enumerate(dates)
    )


def _programmes(commissions: int) -> list[tuple[str, int]]:
    """Programmes and how many commissions each has: two for the first ones when there are many."""
    count = min(len(PROGRAMMES), max(1, (commissions * 2 + 2) // 3))
    counts = [1] * count
    for extra in range(commissions - count):
        counts[extra % count] += 1
    known = list(PROGRAMMES)
    names = [known[i % len(known)] + ("" if i < len(known) else f" {i}") for i in range(count)]
    return list(zip(names, counts, strict=True))


def _code(programme: str) -> str:
    name, _, copy = programme.rpartition(" ") if programme not in PROGRAMMES else (programme, "", "")
    return PROGRAMMES.get(name, name[:3].upper()) + copy


def _defences(
    rng: random.Random,
    total: int,
    programmes: list[tuple[str, int]],
    faculty: dict[str, list[int]],
    boards_of: dict[str, list[int]],
) -> list[Hearing]:
    """Defences of each programme; the order sends a supervisor's graduates to one commission."""
    boards = sum(count for _, count in programmes)
    hearings: list[Hearing] = []
    for position, (programme, count) in enumerate(programmes):
        share = total * count // boards + (1 if position < total * count % boards else 0)
        teachers = faculty[programme]
        for _ in range(share):
            supervisor, reviewer = rng.sample(teachers, 2)
            graduate = f"{rng.choice(MEN + WOMEN)} {rng.choice(SURNAMES)}"
            hearings.append(
                Hearing(
                    index=len(hearings),
                    name=f"defence D{len(hearings) + 1:04d}",
                    kind=HearingKind.DEFENCE,
                    programme=programme,
                    slots=rng.choice((2, 3, 3)),
                    graduate=graduate,
                    title=f"{rng.choice(TOPICS)} {rng.choice(OBJECTS)}",
                    language=rng.choice(LANGUAGES),
                    supervisor=supervisor,
                    reviewer=reviewer,
                    commission=boards_of[programme][teachers.index(supervisor) % count],
                )
            )
    return hearings


def _state_exams(
    rng: random.Random, first: int, programmes: list[tuple[str, int]], boards_of: dict[str, list[int]]
) -> list[Hearing]:
    exams: list[Hearing] = []
    for programme, count in programmes:
        for number in range(count):
            written = rng.random() < 0.5
            exams.append(
                Hearing(
                    index=first + len(exams),
                    name=f"state exam E{len(exams) + 1:03d} ({_code(programme)} {number + 1})",
                    kind=HearingKind.STATE_EXAM,
                    programme=programme,
                    slots=18 if written else 12,
                    title=f"{programme}: comprehensive exam",
                    language=rng.choice(LANGUAGES),
                    students=rng.randint(12, 25),
                    written=written,
                    commission=boards_of[programme][number],
                )
            )
    return exams
