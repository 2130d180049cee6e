"""Building changes between back-to-back classes: hand-made timetables with known penalties, the
CP-SAT post pricing them alike on whole and partial models."""

from __future__ import annotations

import random

from constraints.lessons import building_changes
from models import LessonProblem, LessonRoom, LessonSolution, Section, Teacher, TimeGrid
from solver.lessons.model import LessonCpModel
from tests.lessons.test_lesson_model import fixed_objective
from tests.registrar_factory import offered, random_registrar, random_timetable

WEIGHTS = {building_changes.NAME: 1}
MON, TUE = 0, 4  # first slots of the days on a four-period grid


def campus(
    sections: list[tuple[tuple[int, ...], tuple[int, ...]]],
    registrations: dict[int, tuple[int, ...]],
    lunch_after: frozenset[int] = frozenset(),
) -> LessonProblem:
    """Two days of four periods; r0 and r2 in building A, r1 in building B; sections as
    (meeting lengths, teachers)."""
    return LessonProblem(
        name="campus",
        grid=TimeGrid(days=("Mon", "Tue"), periods_per_day=4, breaks_after=lunch_after),
        rooms=tuple(
            LessonRoom(index=r, name=f"r{r}", capacity=30, building=building)
            for r, building in enumerate("ABA")
        ),
        teachers=(Teacher(index=0, name="Dr Rossi"), Teacher(index=1, name="Dr Chen")),
        sections=tuple(
            Section(
                index=s, name=f"CS10{s} L1", course=f"CS10{s}", teachers=teachers, size=5, meetings=lengths
            )
            for s, (lengths, teachers) in enumerate(sections)
        ),
        registrations=registrations,
        student_names=("25B000123", "25B000124", "25B000125"),
    )


def timetable(problem: LessonProblem, places: list[tuple[int, int]]) -> LessonSolution:
    return LessonSolution(
        problem_name=problem.name,
        starts=tuple(start for start, _ in places),
        rooms=tuple(room for _, room in places),
    )


def penalty(problem: LessonProblem, solution: LessonSolution) -> int:
    """The checker's cost, after making sure the whole model prices the timetable the same."""
    counted = sum(violation.cost for violation in building_changes.count(problem, solution))
    assert fixed_objective(problem, [building_changes], WEIGHTS, solution) == counted
    return counted


def test_a_student_walking_to_another_building_costs_one() -> None:
    problem = campus([((1,), ()), ((2,), ())], {0: (0, 1)})
    solution = timetable(problem, [(MON + 0, 0), (MON + 1, 1)])
    violations = building_changes.count(problem, solution)
    assert [v.message for v in violations] == [
        "Student 25B000123 goes from building A (r0) to building B (r1) between CS100 L1 and CS101 L1 on Mon"
    ]
    assert violations[0].students == (0,) and violations[0].sections == (0, 1)
    assert penalty(problem, solution) == 1


def test_the_same_building_gaps_and_other_days_cost_nothing() -> None:
    problem = campus([((2,), ()), ((1,), ())], {0: (0, 1)})
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 2, 2)])) == 0  # same building
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 3, 1)])) == 0  # a free period
    assert penalty(problem, timetable(problem, [(MON + 2, 0), (TUE + 0, 1)])) == 0  # next day
    assert penalty(problem, timetable(problem, [(MON + 2, 0), (MON + 1, 1)])) == 1  # the later first


def test_a_lunch_break_gives_time_to_walk() -> None:
    problem = campus([((1,), ()), ((1,), ())], {0: (0, 1)}, lunch_after=frozenset({1}))
    assert penalty(problem, timetable(problem, [(MON + 1, 0), (MON + 2, 1)])) == 0
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 1, 1)])) == 1


def test_each_person_counts_and_a_teacher_of_both_once() -> None:
    # Dr Rossi teaches both (listed twice on one), Dr Chen only the first; two of three students
    problem = campus([((1,), (0, 1)), ((1,), (0, 0))], {0: (0, 1), 1: (1, 0), 2: (0,)})
    solution = timetable(problem, [(TUE + 1, 1), (TUE + 2, 0)])
    violations = building_changes.count(problem, solution)
    assert sorted(v.message.split(" goes")[0] for v in violations) == [
        "Student 25B000123",
        "Student 25B000124",
        "Teacher Dr Rossi",
    ]
    assert "from building B (r1) to building A (r0)" in violations[0].message
    assert penalty(problem, solution) == 3


def test_meetings_of_one_section_and_duplicates_each_count() -> None:
    # a section's own two meetings back to back, and a third section at the same time as one
    problem = campus([((1, 1), ()), ((1,), ())], {0: (0, 1)})
    own = timetable(problem, [(MON + 0, 0), (MON + 1, 1), (MON + 3, 0)])
    assert [v.message for v in building_changes.count(problem, own)] == [
        "Student 25B000123 goes from building A (r0) to building B (r1)"
        " between two meetings of CS100 L1 on Mon"
    ]
    assert penalty(problem, own) == 1
    # both CS101 and the second CS100 meeting at period 1 in B, after period 0 in A: two pairs
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 1, 1), (MON + 1, 1)])) == 2


def test_a_partial_model_prices_a_move_next_to_a_fixed_meeting() -> None:
    # three students and a teacher share both sections; the first stays fixed in building A
    problem = campus([((1,), (0,)), ((1,), (0,))], {0: (0, 1), 1: (0, 1), 2: (1, 0)})
    before = timetable(problem, [(MON + 0, 0), (MON + 1, 2)])
    after = timetable(problem, [(MON + 0, 0), (MON + 1, 1)])
    assert penalty(problem, before) == 0 and penalty(problem, after) == 4
    free = {1}
    old = fixed_objective(problem, [building_changes], WEIGHTS, before, free, before)
    new = fixed_objective(problem, [building_changes], WEIGHTS, after, free, before)
    assert (old, new) == (0, 4)
    # the move before the fixed meeting is priced too, and one away from it costs nothing
    current = timetable(problem, [(MON + 1, 0), (MON + 3, 2)])
    before_first = timetable(problem, [(MON + 1, 0), (MON + 0, 1)])
    away = timetable(problem, [(MON + 1, 0), (MON + 3, 1)])
    assert fixed_objective(problem, [building_changes], WEIGHTS, current, free, current) == 0
    assert fixed_objective(problem, [building_changes], WEIGHTS, before_first, free, current) == 4
    assert fixed_objective(problem, [building_changes], WEIGHTS, away, free, current) == 0


def test_partial_models_price_random_changes_as_the_checker_does() -> None:
    compared = changed = 0
    for seed in range(1500):
        problem = random_registrar(seed)
        count = len(problem.meetings)
        rng = random.Random(seed)
        before = random_timetable(problem, seed + 5000)
        moved = random_timetable(problem, seed + 6000)
        if count < 2 or not offered(problem, before) or not offered(problem, moved):
            continue
        free = set(rng.sample(range(count), rng.randint(1, max(1, count // 2))))
        after = LessonSolution(
            problem_name=problem.name,
            starts=tuple(moved.starts[m] if m in free else before.starts[m] for m in range(count)),
            rooms=tuple(moved.rooms[m] if m in free else before.rooms[m] for m in range(count)),
        )
        old = fixed_objective(problem, [building_changes], WEIGHTS, before, free, before)
        new = fixed_objective(problem, [building_changes], WEIGHTS, after, free, before)
        if old is None or new is None:
            continue  # a moved meeting clashes with a fixed one: the model never offers it
        first = sum(v.cost for v in building_changes.count(problem, before))
        second = sum(v.cost for v in building_changes.count(problem, after))
        assert new - old == second - first, seed
        compared += 1
        changed += first != second
    assert compared >= 150 and changed >= 20, (compared, changed)


def test_a_back_to_back_pair_is_priced_by_building_not_by_room() -> None:
    # eight rooms in each of two buildings: the rows between two free meetings hold a building's
    # Boolean each, not every room's placement (a semester's model once held millions of terms)
    problem = campus([((1,), ()), ((1,), ())], {0: (0, 1)}).replaced(
        rooms=tuple(LessonRoom(index=r, name=f"r{r}", capacity=30, building="AB"[r % 2]) for r in range(16))
    )
    model = LessonCpModel(problem, range(len(problem.meetings)))
    before = len(model.model.proto.constraints)
    model.post([building_changes], WEIGHTS)
    rows = [len(c.linear.vars) for c in list(model.model.proto.constraints)[before:]]
    assert rows and max(rows) <= 8 + 1  # a building's eight placements and its Boolean
    assert sum(rows) <= 2 * 8 * (8 + 1) * 2 + 7 * 2 * 2 * 3  # buildings' Booleans, then the pairs' rows
    # and the pricing stays the checker's
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 1, 1)])) == 1
    assert penalty(problem, timetable(problem, [(MON + 0, 0), (MON + 1, 2)])) == 0
