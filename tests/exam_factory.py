"""Small random exam problems for property tests: a few exams, two or three days, a few rooms."""

from __future__ import annotations

import random

from models import (
    Exam,
    ExamProblem,
    ExamSolution,
    Period,
    PeriodConstraint,
    PeriodRelation,
    Room,
    Scoring,
    Weightings,
)


def random_problem(seed: int, scoring: Scoring = Scoring.ITC2007) -> ExamProblem:
    rng = random.Random(seed)
    exam_count = rng.randint(3, 6)
    students = list(range(rng.randint(4, 12)))
    exams = tuple(
        Exam(
            index=e,
            duration=0 if scoring is Scoring.TORONTO else rng.choice([60, 90, 120]),
            students=tuple(sorted(rng.sample(students, rng.randint(0, min(5, len(students)))))),
        )
        for e in range(exam_count)
    )
    periods = []
    for day in range(rng.randint(2, 3)):
        for _ in range(rng.randint(1, 3)):
            periods.append(
                Period(
                    index=len(periods),
                    day=len(periods) if scoring is Scoring.TORONTO else day,
                    duration=0 if scoring is Scoring.TORONTO else rng.choice([90, 120, 180]),
                    penalty=0 if scoring is Scoring.TORONTO else rng.choice([0, 0, 5, 20]),
                )
            )
    if scoring is Scoring.TORONTO:
        return ExamProblem(name=f"random{seed}", scoring=scoring, exams=exams, periods=tuple(periods))
    capacities = rng.sample(range(3, 9), rng.randint(1, 3))  # distinct: no interchangeable rooms
    rooms = tuple(
        Room(index=r, capacity=capacity, penalty=rng.choice([0, 0, 10]))
        for r, capacity in enumerate(capacities)
    )
    relations = []
    if rng.random() < 0.5:
        first, second = rng.sample(range(exam_count), 2)
        relations.append(
            PeriodConstraint(first=first, relation=rng.choice(list(PeriodRelation)), second=second)
        )
    return ExamProblem(
        name=f"random{seed}",
        exams=exams,
        periods=tuple(periods),
        rooms=rooms,
        period_constraints=tuple(relations),
        room_exclusive=frozenset(rng.sample(range(exam_count), rng.randint(0, 1))),
        weightings=Weightings(
            two_in_a_row=rng.randint(0, 10),
            two_in_a_day=rng.randint(0, 10),
            period_spread=rng.randint(0, 3),
            non_mixed_durations=rng.randint(0, 10),
            front_load_exams=rng.randint(0, 2),
            front_load_periods=rng.randint(0, 2),
            front_load_weight=rng.randint(0, 10),
        ),
    )


def random_solution(problem: ExamProblem, seed: int) -> ExamSolution:
    rng = random.Random(seed)
    periods = tuple(rng.randrange(len(problem.periods)) for _ in problem.exams)
    rooms = tuple(rng.randrange(len(problem.rooms)) if problem.uses_rooms else None for _ in problem.exams)
    return ExamSolution(problem_name=problem.name, periods=periods, rooms=rooms)
