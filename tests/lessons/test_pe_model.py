"""The post-enrolment CP-SAT posts agree with the checkers: each unit alone, the whole model, and a
partial model pricing a change (or refusing one that breaks a hard rule)."""

from __future__ import annotations

import random
from collections import Counter

from constraints.lessons import (
    evaluate,
    pe_distance,
    pe_last_slot,
    pe_precedence,
    pe_room_clash,
    pe_single_class,
    pe_student_clash,
    pe_three_in_a_row,
    units_for,
)
from models import (
    Evaluation,
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Section,
    SectionConstraint,
    SectionRelation,
    TimeGrid,
)
from tests.agreement import price_change, units_alone, whole_models
from tests.lessons.test_lesson_model import fixed_objective, mixed

# Two days of four timeslots: runs of three, last timeslots and single classes all occur.
GRID = TimeGrid(days=("day 0", "day 1"), periods_per_day=4)
FEATURES = ("0", "1")
SOFT = (pe_last_slot, pe_three_in_a_row, pe_single_class)


def random_post_enrolment(seed: int) -> LessonProblem:
    """2–6 events, 1–3 rooms with random features and seats, 2–6 students, 0–2 BEFORE relations."""
    rng = random.Random(seed)
    events = rng.randint(2, 6)
    registrations = {}
    for student in range(rng.randint(2, 6)):
        registered = rng.sample(range(events), rng.randint(1, events))
        if rng.random() < 0.1:
            registered.append(registered[0])  # listed twice: still one class
        registrations[student] = tuple(registered)
    attending = [{s for s, registered in registrations.items() if e in registered} for e in range(events)]
    pairs = [(first, second) for first in range(events) for second in range(events) if first != second]
    return LessonProblem(
        name=f"pe{seed}",
        grid=GRID,
        rooms=tuple(
            LessonRoom(
                index=r,
                name=f"room {r}",
                capacity=rng.randint(1, 5),
                features=frozenset(f for f in FEATURES if rng.random() < 0.7),
            )
            for r in range(rng.randint(1, 3))
        ),
        sections=tuple(
            Section(
                index=e,
                name=f"event {e}",
                course=f"event {e}",
                meetings=(1,),
                size=len(attending[e]),
                features=frozenset(f for f in FEATURES if rng.random() < 0.2),
                forbidden_slots=frozenset(rng.sample(range(GRID.slot_count), rng.randint(0, 2))),
            )
            for e in range(events)
        ),
        registrations=registrations,
        relations=tuple(
            SectionConstraint(first=first, relation=SectionRelation.BEFORE, second=second)
            for first, second in rng.sample(pairs, rng.randint(0, 2))
        ),
        scoring=LessonScoring.POST_ENROLMENT,
    )


def open_places(problem: LessonProblem, event: int) -> tuple[list[int], list[int]]:
    """The timeslots an event is available in and the rooms that suit it."""
    section = problem.sections[event]
    slots = [slot for slot in range(GRID.slot_count) if slot not in section.forbidden_slots]
    rooms = [
        room.index
        for room in problem.rooms
        if section.features <= room.features and room.capacity >= section.size
    ]
    return slots, rooms


def random_timetable(problem: LessonProblem, seed: int) -> LessonSolution:
    """Every event placed: anywhere, or where it may go, or where it may go in a timeslot of its
    own (so that some timetables break no rule and others break each)."""
    rng = random.Random(seed)
    style = rng.choice(["anywhere", "open", "apart"])
    unused = list(range(GRID.slot_count))
    rng.shuffle(unused)
    starts, rooms = [], []
    for event in range(len(problem.sections)):
        slots, suitable = open_places(problem, event)
        if style == "anywhere" or not slots or not suitable:
            slots, suitable = list(range(GRID.slot_count)), list(range(len(problem.rooms)))
        if style == "apart" and any(slot in unused for slot in slots):
            slots = [slot for slot in unused if slot in slots]
        start = rng.choice(slots)
        if start in unused:
            unused.remove(start)
        starts.append(start)
        rooms.append(rng.choice(suitable))
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(rooms))


def offered(problem: LessonProblem, solution: LessonSolution) -> bool:
    """Places the model never offers: unavailable timeslots, unsuitable rooms."""
    for event in range(len(problem.sections)):
        slots, rooms = open_places(problem, event)
        if solution.starts[event] not in slots or solution.rooms[event] not in rooms:
            return False
    return True


def leave_out(solution: LessonSolution, event: int) -> LessonSolution:
    """The timetable with the event unplaced."""
    return LessonSolution(
        problem_name=solution.problem_name,
        starts=tuple(None if e == event else start for e, start in enumerate(solution.starts)),
        rooms=tuple(None if e == event else room for e, room in enumerate(solution.rooms)),
    )


def breaks_hard_rules(evaluation: Evaluation) -> bool:
    """Whether the timetable breaks a hard rule other than leaving events out."""
    return any(
        score.violations for score in evaluation.scores if score.hard and score.name != pe_distance.NAME
    )


def test_each_unit_posts_what_its_checker_counts() -> None:
    cases = (
        (seed, problem, solution)
        for seed in range(500)
        if offered(problem := random_post_enrolment(seed), solution := random_timetable(problem, seed + 1000))
    )
    compared, faulted = units_alone(cases, units_for, fixed_objective)
    assert compared > 1500
    # the timetables offered always suit the rooms and times, are complete, and break the others
    others = [
        pe_student_clash,
        pe_room_clash,
        pe_precedence,
        pe_last_slot,
        pe_three_in_a_row,
        pe_single_class,
    ]
    assert all(faulted[unit.NAME] >= 25 for unit in others), faulted


def test_whole_model_objective_equals_the_checker_total() -> None:
    cases = (
        (seed, problem, random_timetable(problem, seed + 2000))
        for seed in range(1000)
        for problem in [random_post_enrolment(seed)]
    )
    compared, refused, priced = whole_models(cases, units_for, evaluate, fixed_objective)
    assert compared >= 120 and refused >= 500
    assert all(priced[unit.NAME] >= 25 for unit in SOFT), priced


def test_a_partial_model_prices_a_change_as_the_checker_does() -> None:
    compared, refused = 0, 0
    changed: Counter[str] = Counter()  # per soft unit: the changes that alter its cost
    for seed in range(3000):
        problem = random_post_enrolment(seed)
        rng = random.Random(seed)
        count = len(problem.meetings)
        before = random_timetable(problem, seed + 3000)
        if breaks_hard_rules(evaluate(problem, before)):
            continue
        free = set(rng.sample(range(count), rng.randint(1, count - 1)))
        after = mixed(before, random_timetable(problem, seed + 4000), free)
        if rng.random() < 0.3:  # an event left out stays out (a fixed one), and costs nothing
            left_out = rng.choice(sorted(set(range(count)) - free))
            before, after = leave_out(before, left_out), leave_out(after, left_out)
        names = price_change(
            seed, problem, before, after, free, units_for, evaluate, fixed_objective, breaks_hard_rules
        )
        if names is None:
            refused += 1
        else:
            compared += 1
            changed.update(names)
    assert compared >= 200 and refused >= 150
    assert all(changed[unit.NAME] >= 25 for unit in SOFT), changed
