"""Small random lesson problems and timetables for property-style tests (UD2 scoring)."""

from __future__ import annotations

import random

from models import (
    Cohort,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Section,
    Teacher,
    TimeGrid,
)


def random_lessons(seed: int) -> LessonProblem:
    """Two or three days of three periods, a lunch break after period 1 on some, 2–3 rooms."""
    rng = random.Random(seed)
    grid = TimeGrid(
        days=tuple(f"day {d}" for d in range(rng.randint(2, 3))),
        periods_per_day=3,
        breaks_after=frozenset({1}) if rng.random() < 0.3 else frozenset(),
    )
    rooms = tuple(
        LessonRoom(index=r, name=f"r{r}", capacity=rng.choice([10, 20, 30])) for r in range(rng.randint(2, 3))
    )
    teachers = tuple(Teacher(index=t, name=f"t{t}") for t in range(rng.randint(1, 3)))
    sections = tuple(
        Section(
            index=s,
            name=f"s{s}",
            course=f"s{s}",
            teachers=(rng.randrange(len(teachers)),),
            size=rng.choice([5, 15, 25]),
            meetings=tuple(rng.choice([1, 1, 2]) for _ in range(rng.randint(1, 3))),
            min_days=rng.randint(0, 3),
            forbidden_slots=frozenset(rng.sample(range(grid.slot_count), rng.randint(0, 2))),
            unsuitable_rooms=frozenset(rng.sample(range(len(rooms)), rng.randint(0, 1))),
        )
        for s in range(rng.randint(2, 5))
    )
    cohorts = tuple(
        Cohort(
            index=c,
            name=f"q{c}",
            sections=tuple(rng.sample(range(len(sections)), rng.randint(2, len(sections)))),
        )
        for c in range(rng.randint(0, 2))
    )
    return LessonProblem(
        name=f"random{seed}",
        grid=grid,
        rooms=rooms,
        teachers=teachers,
        sections=sections,
        cohorts=cohorts,
        scoring=LessonScoring.UD2,
    )


def random_timetable(problem: LessonProblem, seed: int) -> LessonSolution:
    """Every meeting at a random start where it fits the day, in a random room."""
    rng = random.Random(seed)
    grid = problem.grid
    starts, rooms = [], []
    for meeting in problem.meetings:
        fitting = [s for s in range(grid.slot_count) if grid.fits(s, meeting.length)]
        starts.append(rng.choice(fitting))
        rooms.append(rng.randrange(len(problem.rooms)))
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))
