"""The registrar's soft rules on times and sections, priced by hand on tiny timetables: teacher
wishes, early or late classes, badly spread meetings and small sections in big halls."""

from __future__ import annotations

from types import ModuleType

from ortools.sat.python import cp_model

from constraints.lessons import (
    different_days,
    early_late,
    oversized_rooms,
    spread,
    teacher_preferences,
    units_for,
)
from models import (
    LessonProblem,
    LessonRoom,
    LessonSolution,
    Preference,
    Section,
    Teacher,
    TimeGrid,
)
from solver.lessons.model import LessonCpModel
from tests.lessons.test_lesson_model import fixed_objective

GRID = TimeGrid(
    days=("Mon", "Tue", "Wed", "Thu", "Fri"),
    periods_per_day=4,
    period_starts=("08:00", "08:30", "12:00", "18:00"),
)


def slot(day: int, period: int) -> int:
    return GRID.slot(day, period)


def make_problem(
    sections: list[Section],
    teachers: tuple[Teacher, ...] = (Teacher(index=0, name="Dr Ames"),),
    rooms: tuple[LessonRoom, ...] = (LessonRoom(index=0, name="B12", capacity=30),),
    grid: TimeGrid = GRID,
) -> LessonProblem:
    return LessonProblem(name="tiny", grid=grid, rooms=rooms, teachers=teachers, sections=tuple(sections))


def timetable(problem: LessonProblem, starts: list[int], rooms: list[int] | None = None) -> LessonSolution:
    return LessonSolution(
        problem_name=problem.name,
        starts=tuple(starts),
        rooms=tuple(rooms if rooms is not None else [0] * len(starts)),
    )


def counted(unit: ModuleType, problem: LessonProblem, solution: LessonSolution) -> int:
    return sum(violation.cost for violation in unit.count(problem, solution))


def posted(unit: ModuleType, problem: LessonProblem, solution: LessonSolution) -> float | None:
    """The whole model's objective for this unit alone, every meeting held where the timetable says."""
    return fixed_objective(problem, [unit], {unit.NAME: 1}, solution)


def best(units: list[ModuleType], problem: LessonProblem, free: set[int], current: LessonSolution) -> float:
    """The optimum of a partial model: the free meetings re-decided, the others held."""
    exact = LessonCpModel(problem, free, current)
    exact.post(units, {unit.NAME: 1 for unit in units})
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(exact.model) == cp_model.OPTIMAL
    return solver.objective_value


def test_the_four_rules_are_soft_registrar_rules() -> None:
    problem = make_problem([Section(index=0, name="MATH101-L1", course="MATH101", size=5, meetings=(1,))])
    units = units_for(problem)
    for unit in (teacher_preferences, early_late, spread, oversized_rooms):
        assert unit in units and not unit.HARD and unit.weight(problem) == 1


# --- teacher time preferences -------------------------------------------------------------------


def wishful(preferences: dict[int, Preference], name: str = "Dr Ames", index: int = 0) -> Teacher:
    return Teacher(index=index, name=name, preferences=preferences)


def taught(teachers: tuple[Teacher, ...], length: int = 1) -> LessonProblem:
    return make_problem(
        [
            Section(
                index=0,
                name="HIST210-L1",
                course="HIST210",
                size=5,
                meetings=(length,),
                teachers=tuple(t.index for t in teachers),
            )
        ],
        teachers=teachers,
    )


def test_discouraged_times_cost_1_and_strongly_discouraged_3_per_period() -> None:
    teacher = wishful({slot(0, 1): Preference.DISCOURAGED, slot(0, 2): Preference.STRONGLY_DISCOURAGED})
    problem = taught((teacher,), length=2)
    for start, cost in ((slot(0, 0), 1), (slot(0, 1), 4), (slot(0, 2), 3), (slot(1, 1), 0)):
        solution = timetable(problem, [start])
        assert counted(teacher_preferences, problem, solution) == cost, start
        assert posted(teacher_preferences, problem, solution) == cost, start
    message = teacher_preferences.count(problem, timetable(problem, [slot(0, 2)]))[0].message
    assert message == (
        "Dr Ames teaches HIST210-L1 in room B12 at Mon period 2 (12:00), "
        "a time they marked strongly discouraged"
    )


def test_teaching_outside_preferred_times_costs_1_or_2_when_all_are_strongly_preferred() -> None:
    mixed = wishful({slot(0, 0): Preference.PREFERRED, slot(0, 1): Preference.STRONGLY_PREFERRED})
    strong = wishful({slot(0, 0): Preference.STRONGLY_PREFERRED})
    both = wishful({slot(0, 0): Preference.STRONGLY_PREFERRED, slot(1, 0): Preference.DISCOURAGED})
    cases = [
        (mixed, slot(0, 0), 0),
        (mixed, slot(0, 1), 0),
        (mixed, slot(2, 3), 1),
        (strong, slot(0, 0), 0),
        (strong, slot(2, 3), 2),
        (both, slot(1, 0), 1 + 2),  # discouraged and outside the wished times: both count
    ]
    for teacher, start, cost in cases:
        problem = taught((teacher,))
        solution = timetable(problem, [start])
        assert counted(teacher_preferences, problem, solution) == cost, (teacher.preferences, start)
        assert posted(teacher_preferences, problem, solution) == cost, (teacher.preferences, start)
    problem = taught((both,))
    (violation,) = teacher_preferences.count(problem, timetable(problem, [slot(1, 0)]))
    assert violation.message.endswith("a time they marked discouraged and outside the times they prefer")
    assert violation.teachers == (0,) and violation.periods == (slot(1, 0),)


def test_required_and_prohibited_wishes_are_left_to_the_hard_rules() -> None:
    teacher = wishful({slot(0, 0): Preference.PROHIBITED, slot(0, 1): Preference.REQUIRED})
    problem = taught((teacher,))
    for start in (slot(0, 0), slot(0, 1), slot(3, 2)):
        assert counted(teacher_preferences, problem, timetable(problem, [start])) == 0
        assert posted(teacher_preferences, problem, timetable(problem, [start])) == 0


def test_each_teacher_of_a_section_pays_for_their_own_wishes() -> None:
    first = wishful({slot(0, 0): Preference.DISCOURAGED}, "Dr Ames", 0)
    second = wishful({slot(4, 0): Preference.STRONGLY_PREFERRED}, "Dr Bell", 1)
    problem = taught((first, second))
    solution = timetable(problem, [slot(0, 0)])
    assert counted(teacher_preferences, problem, solution) == 1 + 2
    assert posted(teacher_preferences, problem, solution) == 1 + 2
    assert best([teacher_preferences], problem, {0}, solution) == 0  # Fri 08:00 pleases both


def test_a_fixed_meeting_at_a_bad_time_is_a_constant_of_the_partial_model() -> None:
    teacher = wishful({slot(0, 0): Preference.STRONGLY_DISCOURAGED, slot(0, 1): Preference.DISCOURAGED})
    problem = make_problem(
        [
            Section(index=0, name="HIST210-L1", course="HIST210", size=5, meetings=(1,), teachers=(0,)),
            Section(index=1, name="HIST210-L2", course="HIST210", size=5, meetings=(1,), teachers=(0,)),
        ],
        teachers=(teacher,),
    )
    current = timetable(problem, [slot(0, 0), slot(0, 1)])
    assert counted(teacher_preferences, problem, current) == 3 + 1
    held = fixed_objective(
        problem, [teacher_preferences], {teacher_preferences.NAME: 1}, current, {1}, current
    )
    assert held == 1  # only the free meeting's cost enters the model
    assert best([teacher_preferences], problem, {1}, current) == 0


# --- early or late classes ----------------------------------------------------------------------


def test_each_early_or_late_period_of_a_meeting_costs_1() -> None:
    problem = make_problem([Section(index=0, name="CHEM100-L1", course="CHEM100", size=5, meetings=(2,))])
    # periods start 08:00 (early), 08:30 (not early), 12:00, 18:00 (late)
    for start, cost in ((slot(0, 0), 1), (slot(0, 1), 0), (slot(0, 2), 1)):
        solution = timetable(problem, [start])
        assert counted(early_late, problem, solution) == cost, start
        assert posted(early_late, problem, solution) == cost, start
    (violation,) = early_late.count(problem, timetable(problem, [slot(1, 2)]))
    assert violation.periods == (slot(1, 3),)
    assert violation.message == "CHEM100-L1 meets in room B12 at Tue period 3 (18:00), a late period"


def test_a_meeting_both_early_and_late_pays_for_each_period() -> None:
    grid = TimeGrid(days=("Mon",), periods_per_day=3, period_starts=("07:45", "17:59", "18:00"))
    problem = make_problem([Section(index=0, name="EVE1", course="EVE", size=5, meetings=(3,))], grid=grid)
    solution = timetable(problem, [0])
    assert counted(early_late, problem, solution) == 2
    assert posted(early_late, problem, solution) == 2


def test_without_period_start_times_nothing_is_early_or_late() -> None:
    grid = TimeGrid(days=("Mon", "Tue"), periods_per_day=4)
    problem = make_problem(
        [Section(index=0, name="CHEM100-L1", course="CHEM100", size=5, meetings=(1,))], grid=grid
    )
    for start in range(grid.slot_count):
        assert counted(early_late, problem, timetable(problem, [start])) == 0
        assert posted(early_late, problem, timetable(problem, [start])) == 0


def test_early_and_late_free_meetings_are_priced_beside_fixed_ones() -> None:
    problem = make_problem(
        [
            Section(index=0, name="CHEM100-L1", course="CHEM100", size=5, meetings=(1,)),
            Section(index=1, name="CHEM100-L2", course="CHEM100", size=5, meetings=(1,)),
        ]
    )
    current = timetable(problem, [slot(0, 0), slot(0, 3)])
    assert counted(early_late, problem, current) == 2
    assert fixed_objective(problem, [early_late], {early_late.NAME: 1}, current, {1}, current) == 1
    assert best([early_late], problem, {1}, current) == 0


# --- badly spread meetings ----------------------------------------------------------------------


def three_meetings() -> LessonProblem:
    return make_problem([Section(index=0, name="PHYS150-L1", course="PHYS150", size=5, meetings=(1, 1, 1))])


def test_each_pair_of_meetings_on_adjacent_days_costs_1() -> None:
    problem = three_meetings()
    cases = [
        ([slot(0, 0), slot(2, 0), slot(4, 0)], 0),  # Mon, Wed, Fri
        ([slot(0, 0), slot(1, 2), slot(3, 0)], 1),  # Mon-Tue
        ([slot(0, 0), slot(1, 0), slot(2, 0)], 2),  # Mon-Tue and Tue-Wed; Mon-Wed is fine
        ([slot(4, 0), slot(0, 0), slot(3, 1)], 1),  # Thu-Fri; the week does not wrap round
        ([slot(0, 0), slot(0, 2), slot(1, 0)], 2),  # the same day is another rule's fault
    ]
    for starts, cost in cases:
        solution = timetable(problem, starts)
        assert counted(spread, problem, solution) == cost, starts
        assert posted(spread, problem, solution) == cost, starts
    (violation,) = spread.count(problem, timetable(problem, [slot(3, 0), slot(0, 0), slot(1, 2)]))
    assert violation.message == (
        "PHYS150-L1 meets on consecutive days: "
        "Mon period 0 (08:00) in room B12 and Tue period 2 (12:00) in room B12"
    )


def test_a_single_meeting_is_never_badly_spread() -> None:
    problem = make_problem(
        [
            Section(index=0, name="ART1", course="ART", size=5, meetings=(1,)),
            Section(index=1, name="ART2", course="ART", size=5, meetings=(1,)),
        ]
    )
    solution = timetable(problem, [slot(0, 0), slot(1, 0)])  # different sections: no pair
    assert counted(spread, problem, solution) == 0
    assert posted(spread, problem, solution) == 0


def test_fixed_meetings_are_constants_when_spreading_a_free_one() -> None:
    problem = three_meetings()
    current = timetable(problem, [slot(0, 0), slot(1, 0), slot(3, 0)])  # Mon, Tue, Thu: 1 pair
    weights = {spread.NAME: 1}
    # meeting 1 free on Tue: next to Mon, the fixed pair Mon-Thu is not the model's business
    assert fixed_objective(problem, [spread], weights, current, {1}, current) == 1
    moved = timetable(problem, [slot(0, 0), slot(2, 0), slot(3, 0)])  # Wed: next to Thu
    assert fixed_objective(problem, [spread], weights, moved, {1}, current) == 1
    # Tue and Wed are both next to a fixed day, Mon and Thu held by the others: one pair at best
    assert best([spread, different_days], problem, {1}, current) == 1
    # with Thu free too, Mon / Wed / Fri spread perfectly
    assert best([spread, different_days], problem, {1, 2}, current) == 0
    assert fixed_objective(problem, [spread], weights, current, {1, 2}, current) == 1  # Mon-Tue
    crowded = timetable(problem, [slot(0, 0), slot(1, 0), slot(2, 0)])  # two free ones side by side
    assert fixed_objective(problem, [spread], weights, crowded, {1, 2}, current) == 2


# --- small section in a big hall ----------------------------------------------------------------

HALLS = (
    LessonRoom(index=0, name="S1", capacity=12),
    LessonRoom(index=1, name="Hall A", capacity=30),
    LessonRoom(index=2, name="Aula", capacity=100),
)


def test_a_room_over_twice_the_size_and_20_seats_larger_costs_1_per_meeting() -> None:
    cases = [  # (section size, room, cost per meeting)
        (5, 0, 0),  # 12 seats: more than twice 5, but only 7 spare
        (5, 1, 1),
        (10, 1, 1),  # 30 > 20 and exactly 20 spare
        (11, 1, 0),  # 19 spare
        (15, 1, 0),  # exactly twice
        (49, 2, 1),
        (50, 2, 0),
    ]
    for size, room, cost in cases:
        problem = make_problem(
            [Section(index=0, name="ECON300-S1", course="ECON300", size=size, meetings=(1, 1))], rooms=HALLS
        )
        solution = timetable(problem, [slot(0, 0), slot(2, 0)], [room, room])
        assert counted(oversized_rooms, problem, solution) == 2 * cost, (size, room)
        assert posted(oversized_rooms, problem, solution) == 2 * cost, (size, room)


def test_the_hall_message_and_a_free_meeting_beside_a_fixed_one() -> None:
    problem = make_problem(
        [Section(index=0, name="ECON300-S1", course="ECON300", size=6, meetings=(1, 1), teachers=(0,))],
        rooms=HALLS,
    )
    current = timetable(problem, [slot(0, 0), slot(2, 0)], [2, 2])
    assert counted(oversized_rooms, problem, current) == 2
    first = oversized_rooms.count(problem, current)[0]
    assert first.message == (
        "ECON300-S1 (taught by Dr Ames), 6 students, is in room Aula seating 100 at Mon period 0 (08:00)"
    )
    assert fixed_objective(problem, [oversized_rooms], {oversized_rooms.NAME: 1}, current, {1}, current) == 1
    assert best([oversized_rooms], problem, {1}, current) == 0  # S1 seats 12: only 6 spare
