"""The people's-day rules on hand-made timetables: idle periods of students and teachers, long days
and the lunch break, priced the same by the checkers and by whole and partial CP-SAT models."""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import ModuleType

from constraints.lessons import long_days, lunch_break, student_windows, teacher_windows
from models import LessonProblem, LessonRoom, LessonScoring, LessonSolution, Section, Teacher, TimeGrid
from solver.lessons.model import LessonCpModel
from tests.lessons.test_lesson_model import fixed_objective

UNITS = (student_windows, teacher_windows, long_days, lunch_break)
ROOMS = 20  # one room per meeting: rooms never stand in the way here
HOURS = ("08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00")


def problem_of(
    sections: list[tuple[int, ...]],
    registrations: Mapping[int, tuple[int, ...]],
    periods: int = 8,
    starts: tuple[str, ...] = HOURS,
    teachers: Mapping[int, tuple[int, ...]] | None = None,
) -> LessonProblem:
    """Two days; sections[s] are the lengths of section s's meetings; teachers: section -> teachers."""
    teachers = teachers or {}
    staff = max((t for taught in teachers.values() for t in taught), default=-1) + 1
    return LessonProblem(
        name="hand-made",
        grid=TimeGrid(days=("Mon", "Tue"), periods_per_day=periods, period_starts=starts[:periods]),
        rooms=tuple(LessonRoom(index=r, name=f"R{r}", capacity=100) for r in range(ROOMS)),
        teachers=tuple(Teacher(index=t, name=f"Dr T{t}") for t in range(staff)),
        sections=tuple(
            Section(
                index=s,
                name=f"S{s}",
                course=f"C{s}",
                size=10,
                meetings=meetings,
                teachers=teachers.get(s, ()),
            )
            for s, meetings in enumerate(sections)
        ),
        registrations=dict(registrations),
        student_names=tuple(f"25B{student:06d}" for student in range(len(registrations))),
        scoring=LessonScoring.REGISTRAR,
    )


def timetable(problem: LessonProblem, starts: list[int]) -> LessonSolution:
    """Each meeting at its start, in a room of its own."""
    return LessonSolution(problem_name=problem.name, starts=tuple(starts), rooms=tuple(range(len(starts))))


def counted(unit: ModuleType, problem: LessonProblem, solution: LessonSolution) -> int:
    return sum(violation.cost for violation in unit.count(problem, solution))


def posted(
    unit: ModuleType,
    problem: LessonProblem,
    solution: LessonSolution,
    free: set[int] | None = None,
    current: LessonSolution | None = None,
) -> float | None:
    return fixed_objective(problem, [unit], {unit.NAME: 1}, solution, free, current)


def variables(unit: ModuleType, problem: LessonProblem, free: set[int], current: LessonSolution) -> int:
    """The variables a unit's post adds to a model."""
    model = LessonCpModel(problem, free, current)
    before = len(model.model.proto.variables)
    model.post([unit], {unit.NAME: unit.weight(problem)})
    return len(model.model.proto.variables) - before


def test_classes_at_periods_1_and_4_leave_two_idle_periods() -> None:
    problem = problem_of([(1,), (1,)], {0: (0, 1)})
    solution = timetable(problem, [1, 4])
    [violation] = student_windows.count(problem, solution)
    assert violation.cost == 2 and violation.periods == (2, 3) and violation.students == (0,)
    assert violation.message == "Student 25B000000 has 2 idle periods on Mon between classes"
    assert posted(student_windows, problem, solution) == 2
    # the same two classes on different days leave nobody idle
    apart = timetable(problem, [1, 8 + 4])
    assert counted(student_windows, problem, apart) == posted(student_windows, problem, apart) == 0


def test_a_two_period_class_and_a_double_booking_fill_their_periods_once() -> None:
    problem = problem_of([(2,), (1,), (1,)], {0: (0, 1, 2)})
    # periods 1-2, then two classes at period 5: idle 3 and 4, busy 3 periods in all
    solution = timetable(problem, [8 + 1, 8 + 5, 8 + 5])
    [violation] = student_windows.count(problem, solution)
    assert violation.cost == 2 and violation.message.endswith("on Tue between classes")
    assert posted(student_windows, problem, solution) == 2
    assert counted(long_days, problem, solution) == posted(long_days, problem, solution) == 0


def test_teacher_windows_follow_the_sections_they_teach() -> None:
    problem = problem_of([(1,), (1,), (1,)], {}, teachers={0: (0,), 1: (0, 1), 2: (1,)})
    solution = timetable(problem, [0, 2, 5])  # Dr T0 at 0 and 2, Dr T1 at 2 and 5
    violations = teacher_windows.count(problem, solution)
    assert [(v.teachers, v.cost) for v in violations] == [((0,), 1), ((1,), 2)]
    assert violations[0].message == "Teacher Dr T0 has 1 idle period on Mon between classes"
    assert posted(teacher_windows, problem, solution) == 3
    assert counted(student_windows, problem, solution) == 0  # nobody is registered


def test_a_partial_model_prices_free_meetings_against_fixed_ones() -> None:
    problem = problem_of([(1,), (1,), (1,)], {0: (0, 1, 2)})
    current = timetable(problem, [0, 6, 8 + 3])  # Mon 0 and 6 fixed; Tue 3 free
    free = {2}
    for start, idle in [(3, 4), (1, 4), (7, 5), (8 + 3, 5), (8 + 0, 5)]:
        moved = timetable(problem, [0, 6, start])
        assert counted(student_windows, problem, moved) == idle
        # the fixed Monday is a constant; Tuesday (no fixed class) costs 0 or its own idle periods
        new = posted(student_windows, problem, moved, free, current)
        old = posted(student_windows, problem, current, free, current)
        assert new is not None and old is not None
        assert new - old == idle - counted(student_windows, problem, current), start
    # a free meeting cannot go where a fixed one of the student is: the model offers no such place
    assert posted(student_windows, problem, timetable(problem, [0, 6, 6]), free, current) is None


def test_identical_students_weigh_as_many_and_cost_no_more_variables() -> None:
    def crowd(alike: int) -> tuple[LessonProblem, LessonSolution]:
        registrations = {student: (0, 1) for student in range(alike)}
        registrations[alike] = (0, 2)  # one student on other sections
        problem = problem_of([(1,), (1,), (1,)], registrations)
        return problem, timetable(problem, [0, 3, 1])

    for alike in (1, 7):
        problem, solution = crowd(alike)
        assert counted(student_windows, problem, solution) == 2 * alike
        assert posted(student_windows, problem, solution) == 2 * alike
        # partial: the shared section 0 free, moved to period 2 (the others fixed)
        moved = timetable(problem, [2, 3, 1])
        old = posted(student_windows, problem, solution, {0}, solution)
        new = posted(student_windows, problem, moved, {0}, solution)
        assert counted(student_windows, problem, moved) == 0
        assert old is not None and new is not None and new - old == -2 * alike
    few, many = crowd(1), crowd(40)
    assert variables(student_windows, few[0], {0, 1}, few[1]) == variables(
        student_windows, many[0], {0, 1}, many[1]
    )


def test_a_long_day_costs_the_periods_beyond_six() -> None:
    problem = problem_of([(2,), (2,), (2,), (1,), (1,)], {0: (0, 1, 2, 3, 4), 1: (0, 1)})
    solution = timetable(problem, [0, 2, 4, 6, 7])  # student 0 busy all 8 periods of Monday
    [violation] = long_days.count(problem, solution)
    assert violation.cost == 2 and violation.students == (0,)
    assert violation.message == "Student 25B000000 has 8 periods of class on Mon, 2 beyond the limit of 6"
    assert long_days.weight(problem) == 2 and long_days.DAILY_LIMIT == 6
    assert posted(long_days, problem, solution) == 2
    # a partial model: moving the last class to Tuesday saves one period beyond
    moved = timetable(problem, [0, 2, 4, 6, 8 + 7])
    old = posted(long_days, problem, solution, {4}, solution)
    new = posted(long_days, problem, moved, {4}, solution)
    assert new is not None and old is not None and new - old == -1 == counted(long_days, problem, moved) - 2


def test_no_lunch_break_when_every_lunch_period_is_taken() -> None:
    problem = problem_of([(1,), (1,), (2,)], {0: (0, 1), 1: (2,)})
    lunch = [4, 5]  # 12:00 and 13:00
    assert lunch_break.lunch_window(problem.grid) == lunch
    both = timetable(problem, [4, 5, 8 + 4])  # student 0 at 12:00 and 13:00; student 1 Tue 12-14
    violations = lunch_break.count(problem, both)
    assert [(v.students, v.cost) for v in violations] == [((0,), 1), ((1,), 1)]
    assert violations[0].message == (
        "Student 25B000000 has no lunch break on Mon: classes at 12:00 and 13:00"
    )
    assert posted(lunch_break, problem, both) == 2
    one = timetable(problem, [4, 6, 8 + 5])
    assert counted(lunch_break, problem, one) == posted(lunch_break, problem, one) == 0
    # partial: the student's 12:00 class fixed, the other one free and moved to 13:00
    old = posted(lunch_break, problem, one, {1}, one)
    moved = timetable(problem, [4, 5, 8 + 5])
    new = posted(lunch_break, problem, moved, {1}, one)
    assert old is not None and new is not None and new - old == 1 == counted(lunch_break, problem, moved)


def test_without_a_lunch_window_nobody_misses_lunch() -> None:
    unknown = problem_of([(1,), (1,)], {0: (0, 1)}, starts=())
    mornings = problem_of([(1,), (1,)], {0: (0, 1)}, periods=4)  # 08:00 to 11:00
    for problem in (unknown, mornings):
        assert lunch_break.lunch_window(problem.grid) == []
        solution = timetable(problem, [0, 1])
        assert counted(lunch_break, problem, solution) == 0
        assert posted(lunch_break, problem, solution) == 0
        model = LessonCpModel(problem, {0, 1})
        assert lunch_break.post(model) == 0


def test_one_lunch_period_with_odd_start_times() -> None:
    problem = problem_of([(1,)], {0: (0,)}, periods=3, starts=("8:30", "12:15", "14:00"))
    assert lunch_break.lunch_window(problem.grid) == [1]
    solution = timetable(problem, [1])
    [violation] = lunch_break.count(problem, solution)
    assert violation.message == "Student 25B000000 has no lunch break on Mon: a class at 12:15"
    assert posted(lunch_break, problem, solution) == 1


def random_people(seed: int) -> LessonProblem:
    """Eight periods a day, so days can run long, and students sharing sections."""
    rng = random.Random(seed)
    sections = [tuple(rng.choice([1, 1, 2, 3]) for _ in range(rng.randint(1, 3))) for _ in range(6)]
    registrations = {
        student: tuple(rng.sample(range(6), rng.randint(2, 6))) for student in range(rng.randint(1, 6))
    }
    teachers = {s: (rng.randrange(2),) for s in range(6) if rng.random() < 0.7}
    return problem_of(sections, registrations, teachers=teachers)


def random_starts(problem: LessonProblem, rng: random.Random, crowded: bool) -> list[int]:
    """Anywhere on Monday (so days fill up), or anywhere in the week."""
    grid = problem.grid
    slots = range(grid.periods_per_day) if crowded else range(grid.slot_count)
    return [rng.choice([s for s in slots if grid.fits(s, m.length)]) for m in problem.meetings]


def test_random_timetables_whole_and_partial() -> None:
    faulted = dict.fromkeys((unit.NAME for unit in UNITS), 0)
    changed = dict.fromkeys((unit.NAME for unit in UNITS), 0)
    for seed in range(40):
        problem = random_people(seed)
        rng = random.Random(seed)
        week = random_starts(problem, rng, rng.random() < 0.6)
        free = set(rng.sample(range(len(problem.meetings)), rng.randint(1, len(problem.meetings))))
        # the free meetings, before and after, at places the partial model offers
        offered = LessonCpModel(problem, free, timetable(problem, week))  # only fixed places matter
        if offered.unplaceable:
            continue
        places = {meeting: sorted(offered.start_literals(meeting)) for meeting in free}
        for meeting in free:
            if week[meeting] not in places[meeting]:
                week[meeting] = rng.choice(places[meeting])
        before = timetable(problem, week)
        for meeting in free:
            week[meeting] = rng.choice(places[meeting])
        after = timetable(problem, week)
        for unit in UNITS:
            cost_before, cost_after = counted(unit, problem, before), counted(unit, problem, after)
            assert posted(unit, problem, before) == cost_before, (seed, unit.NAME)
            old = posted(unit, problem, before, free, before)
            new = posted(unit, problem, after, free, before)
            assert old is not None and new is not None, (seed, unit.NAME)
            assert new - old == cost_after - cost_before, (seed, unit.NAME)
            faulted[unit.NAME] += cost_before > 0
            changed[unit.NAME] += cost_after != cost_before
    assert all(times >= 15 for times in faulted.values()), faulted
    assert all(times >= 15 for times in changed.values()), changed
