"""Small random registrar problems and timetables for property-style tests (registrar scoring).

Two or three days of five periods starting 08:00, 09:00, 12:00, 13:00 and 18:00 (so early and late
periods, a lunch window and a lunch break all occur), rooms in two buildings, teachers with
unavailable times and wishes, sections of one to three meetings of one or two periods, cohorts,
per-student registrations and section relations.
"""

from __future__ import annotations

import random

from models import (
    Cohort,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Preference,
    Section,
    SectionConstraint,
    SectionRelation,
    Teacher,
    TimeGrid,
)
from solver.lessons.initial import place_pairs, static_places

STARTS = ("08:00", "09:00", "12:00", "13:00", "18:00")
WISHES = (
    Preference.STRONGLY_PREFERRED,
    Preference.PREFERRED,
    Preference.DISCOURAGED,
    Preference.STRONGLY_DISCOURAGED,
)


def random_registrar(seed: int) -> LessonProblem:
    rng = random.Random(seed)
    grid = TimeGrid(
        days=tuple(("Mon", "Tue", "Wed")[: rng.randint(2, 3)]),
        periods_per_day=len(STARTS),
        period_starts=STARTS,
        breaks_after=frozenset({2}) if rng.random() < 0.3 else frozenset(),
    )
    slots = grid.slot_count
    rooms = tuple(
        LessonRoom(
            index=r,
            name=f"r{r}",
            capacity=rng.choice([4, 8, 30]),
            building=rng.choice(["A", "B"]),
            kind=rng.choice(["classroom", "classroom", "lab"]),
            features=frozenset(["projector"]) if rng.random() < 0.5 else frozenset(),
            unavailable=frozenset(rng.sample(range(slots), rng.randint(0, 1))),
        )
        for r in range(rng.randint(2, 4))
    )
    teachers = tuple(
        Teacher(
            index=t,
            name=f"t{t}",
            unavailable=frozenset(rng.sample(range(slots), rng.randint(0, 1))),
            preferences={slot: rng.choice(WISHES) for slot in rng.sample(range(slots), rng.randint(0, 4))},
        )
        for t in range(rng.randint(1, 3))
    )
    section_count = rng.randint(2, 5)
    students = rng.randint(0, 6)
    registrations = {
        student: tuple(rng.sample(range(section_count), rng.randint(1, min(3, section_count))))
        for student in range(students)
    }
    registered = [sum(s in r for r in registrations.values()) for s in range(section_count)]
    sections = tuple(
        Section(
            index=s,
            name=f"s{s}",
            course=f"c{s}",
            teachers=(rng.randrange(len(teachers)),) if rng.random() < 0.8 else (),
            size=registered[s] if registrations else rng.choice([3, 6, 12]),
            meetings=tuple(rng.choice([1, 1, 2]) for _ in range(rng.randint(1, 3))),
            room_kind=rng.choice([None, None, "classroom", "lab"]),
            features=frozenset(["projector"]) if rng.random() < 0.2 else frozenset(),
            forbidden_slots=frozenset(rng.sample(range(slots), rng.randint(0, 2))),
        )
        for s in range(section_count)
    )
    cohorts = tuple(
        Cohort(index=c, name=f"q{c}", sections=tuple(rng.sample(range(section_count), 2)))
        for c in range(rng.randint(0, 1))
    )
    relations = tuple(
        SectionConstraint(first=pair[0], relation=rng.choice(list(SectionRelation)), second=pair[1])
        for pair in (rng.sample(range(section_count), 2) for _ in range(rng.randint(0, 1)))
    )
    problem = LessonProblem(
        name=f"registrar{seed}",
        grid=grid,
        rooms=rooms,
        teachers=teachers,
        sections=sections,
        cohorts=cohorts,
        registrations=registrations,
        relations=relations,
        scoring=LessonScoring.REGISTRAR,
    )
    if rng.random() < 0.5:  # a baseline timetable to stay close to, some meetings unknown to it
        earlier = random_timetable(problem, seed + 77)
        baseline = tuple(
            None if rng.random() < 0.1 else (start, room)
            for start, room in zip(earlier.starts, earlier.rooms, strict=True)
        )
        problem = problem.replaced(baseline=baseline)
    return problem


def random_timetable(problem: LessonProblem, seed: int) -> LessonSolution:
    """Every meeting placed: anywhere it fits the day, at a place the model offers, or at an offered
    place clear of the meetings placed before it (so that some timetables break no rule)."""
    rng = random.Random(seed)
    grid = problem.grid
    style = rng.choice(["anywhere", "offered", "apart", "apart"])
    places = static_places(problem)
    starts, rooms = [], []
    used: set[int] = set()
    for meeting in problem.meetings:
        if style == "anywhere" or not places[meeting.index]:
            fitting = [s for s in range(grid.slot_count) if grid.fits(s, meeting.length)]
            start, room = rng.choice(fitting), rng.randrange(len(problem.rooms))
        else:
            offered = place_pairs(places[meeting.index])
            clear = [p for p in offered if used.isdisjoint(range(p[0], p[0] + meeting.length))]
            start, room = rng.choice(clear if style == "apart" and clear else offered)
        used.update(range(start, start + meeting.length))
        starts.append(start)
        rooms.append(room)
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


def offered(problem: LessonProblem, solution: LessonSolution) -> bool:
    """Whether every meeting is at a place the model offers (available, suitable, large enough)."""
    places = static_places(problem)
    return all(
        solution.rooms[m.index] in places[m.index].get(solution.starts[m.index], ())  # type: ignore[arg-type]
        for m in problem.meetings
    )
