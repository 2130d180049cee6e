"""ITC 2007 track 2 (post-enrolment): the reader and writer on bundled and broken files, and each
rule on a hand-made problem of four events with the exact penalty it must give."""

from __future__ import annotations

import gzip
import random
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constraints.lessons import (
    evaluate,
    pe_availability,
    pe_distance,
    pe_last_slot,
    pe_precedence,
    pe_room_clash,
    pe_room_suitability,
    pe_single_class,
    pe_student_clash,
    pe_three_in_a_row,
    units_for,
)
from datasets import (
    BUNDLED_POST_ENROLMENT,
    DatasetError,
    bundled_post_enrolment,
    parse_post_enrolment,
    read_post_enrolment,
    read_post_enrolment_solution,
    write_post_enrolment_solution,
)
from models import (
    LessonProblem,
    LessonRoom,
    LessonScoring,
    LessonSolution,
    Section,
    SectionConstraint,
    SectionRelation,
    TimeGrid,
)

# From the table of /work/shared/datasets/itc2007_pe/SOURCE.md: events, rooms, features, students.
SIZES = {
    1: (400, 10, 10, 500),
    2: (400, 10, 10, 500),
    3: (200, 20, 10, 1000),
    4: (200, 20, 10, 1000),
    5: (400, 20, 20, 300),
    6: (400, 20, 20, 300),
    7: (200, 20, 20, 500),
    8: (200, 20, 20, 500),
    9: (400, 10, 20, 500),
    10: (400, 10, 20, 500),
    11: (200, 10, 10, 1000),
    12: (200, 10, 10, 1000),
    13: (400, 20, 10, 300),
    14: (400, 20, 10, 300),
    15: (200, 10, 20, 500),
    16: (200, 10, 20, 500),
}

SLOTS = 45
GRID = TimeGrid(days=("Mon", "Tue", "Wed", "Thu", "Fri"), periods_per_day=9)

# The tiny problem every rule is tried on: three students, two rooms, features "0" and "1".
ATTENDING = ((0, 1), (0, 1, 2), (0,), (0, 2))  # the students of events 0..3
NEEDS: tuple[frozenset[str], ...] = (frozenset({"1"}), frozenset(), frozenset(), frozenset())
FORBIDDEN: tuple[frozenset[int], ...] = (frozenset(), frozenset(), frozenset({0, 40}), frozenset())
ROOMS = ((2, frozenset({"0", "1"})), (3, frozenset({"0"})))  # capacity, features
BEFORE = ((0, 1),)  # event 0 comes before event 1


def tiny_problem(attending: tuple[tuple[int, ...], ...] = ATTENDING) -> LessonProblem:
    students = sorted({student for group in attending for student in group})
    return LessonProblem(
        name="tiny",
        grid=GRID,
        rooms=tuple(
            LessonRoom(index=r, name=f"room {r}", capacity=capacity, features=features)
            for r, (capacity, features) in enumerate(ROOMS)
        ),
        sections=tuple(
            Section(
                index=e,
                name=f"event {e}",
                course=f"event {e}",
                meetings=(1,),
                size=len(group),
                features=NEEDS[e] if e < len(NEEDS) else frozenset(),
                forbidden_slots=FORBIDDEN[e] if e < len(FORBIDDEN) else frozenset(),
            )
            for e, group in enumerate(attending)
        ),
        registrations={
            student: tuple(e for e, group in enumerate(attending) if student in group) for student in students
        },
        relations=tuple(
            SectionConstraint(first=first, relation=SectionRelation.BEFORE, second=second)
            for first, second in BEFORE
            if max(first, second) < len(attending)
        ),
        scoring=LessonScoring.POST_ENROLMENT,
    )


TINY = tiny_problem()


def tiny_lines() -> list[str]:
    """The .tim lines of the tiny problem (line n of the file is item n - 1)."""
    events, students, features = len(ATTENDING), 3, 2
    lines = [f"{events} {len(ROOMS)} {features} {students}"]
    lines += [str(capacity) for capacity, _ in ROOMS]  # lines 2-3
    lines += [str(int(s in ATTENDING[e])) for s in range(students) for e in range(events)]  # 4-15
    lines += [str(int(str(f) in has)) for _, has in ROOMS for f in range(features)]  # 16-19
    lines += [str(int(str(f) in NEEDS[e])) for e in range(events) for f in range(features)]  # 20-27
    lines += [str(int(t not in FORBIDDEN[e])) for e in range(events) for t in range(SLOTS)]  # 28-207
    order = {pair: 1 for pair in BEFORE} | {(second, first): -1 for first, second in BEFORE}
    lines += [str(order.get((i, j), 0)) for i in range(events) for j in range(events)]  # 208-223
    return lines


def solution(*places: tuple[int, int] | None) -> LessonSolution:
    """A timetable of the tiny problem from each event's (timeslot, room) or None."""
    return LessonSolution(
        problem_name="tiny",
        starts=tuple(place[0] if place else None for place in places),
        rooms=tuple(place[1] if place else None for place in places),
    )


def penalty(unit: ModuleType, problem: LessonProblem, timetable: LessonSolution) -> int:
    return sum(violation.cost for violation in unit.count(problem, timetable))


# Reader on the bundled instances


@cache
def bundled(number: int) -> LessonProblem:
    return read_post_enrolment(bundled_post_enrolment(f"comp-2007-2-{number}"))


@pytest.mark.parametrize("number", sorted(SIZES))
def test_bundled_instance_sizes(number: int) -> None:
    events, rooms, features, students = SIZES[number]
    problem = bundled(number)
    lines = gzip.decompress(bundled_post_enrolment(f"comp-2007-2-{number}").read_bytes()).decode().split()
    assert lines[:4] == [str(events), str(rooms), str(features), str(students)]
    assert problem.name == f"comp-2007-2-{number}"
    assert problem.scoring is LessonScoring.POST_ENROLMENT
    assert (problem.grid.slot_count, len(problem.sections), len(problem.rooms)) == (SLOTS, events, rooms)
    assert len(problem.registrations) == students  # every student attends some event
    assert [len(problem.meetings_of[e]) for e in range(events)] == [1] * events
    named = {str(f) for f in range(features)}
    assert all(room.features <= named for room in problem.rooms)
    assert all(section.features <= named for section in problem.sections)
    attendance = lines[4 + rooms : 4 + rooms + students * events]
    assert sum(section.size for section in problem.sections) == attendance.count("1")
    assert [section.size for section in problem.sections] == [len(s) for s in problem.students_of]
    assert len(problem.relations) == lines[-events * events :].count("1")
    assert all(relation.relation is SectionRelation.BEFORE for relation in problem.relations)


def test_bundled_names_and_unknown_name() -> None:
    assert BUNDLED_POST_ENROLMENT[0] == "comp-2007-2-1" and len(BUNDLED_POST_ENROLMENT) == 16
    assert all(bundled_post_enrolment(name).is_file() for name in BUNDLED_POST_ENROLMENT)
    with pytest.raises(DatasetError, match="no bundled post-enrolment instance"):
        bundled_post_enrolment("comp-2007-2-17")


def test_reader_maps_the_tiny_file_onto_the_lesson_model(tmp_path: Path) -> None:
    path = tmp_path / "tiny.tim"
    path.write_text("\n".join(tiny_lines()) + "\n")
    assert read_post_enrolment(path) == TINY


def test_reader_takes_gzip_crlf_and_blank_lines(tmp_path: Path) -> None:
    packed = tmp_path / "tiny.tim.gz"
    packed.write_bytes(gzip.compress(("\n".join(tiny_lines()) + "\n").encode()))
    assert read_post_enrolment(packed) == TINY
    crlf = tmp_path / "tiny.tim"
    crlf.write_bytes(("\r\n".join(tiny_lines()) + "\r\n").encode())
    assert read_post_enrolment(crlf) == TINY
    assert parse_post_enrolment("\n\n".join(tiny_lines()), "x.tim", name="tiny") == TINY


# Malformed files: (line to change, its new text or None to delete it, line reported, reason)
BROKEN = [
    (1, "4 2 2", 1, "header needs events, rooms, features, students"),
    (1, "4 2 x 3", 1, "feature count must be an integer"),
    (1, "4 -2 2 3", 1, "negative room count"),
    (3, "big", 3, "size of room 1 must be an integer"),
    (10, "2", 10, "attendance of student 1 at event 2 must be 0 or 1, found 2"),
    (5, "0 1", 5, "attendance of student 0 at event 1 must be an integer"),
    (17, "x", 17, "feature 1 of room 0 must be an integer"),
    (25, "-1", 25, "feature 1 of event 2 must be 0 or 1, found -1"),
    (76, "5", 76, "availability of event 1 in timeslot 3 must be 0 or 1"),
    (219, "2", 219, "precedence of event 2 over event 3 must be -1, 0 or 1, found 2"),
    (212, "0", 212, "precedence of event 1 over event 0 is 0 but of event 0 over event 1 is 1"),
    (222, "1", 222, "must be antisymmetric"),
    (218, "1", 218, "event 2 cannot come before or after itself"),
    (223, None, 223, "ends early: expected the precedence of event 3 over event 3"),
    # A count past 1,000,000 built its empty rows for ever; thousands of digits were a traceback.
    (1, "4 2 2 99999999999", 1, "student count must be at most 1,000,000, found 99999999999"),
    (2, "99999999999999999999999", 2, "size of room 0 must be at most 1,000,000"),
    (5, "9" * 5000, 5, "attendance of student 0 at event 1 must be 0 or 1, found 99999999999999999999"),
]


@pytest.mark.parametrize(("line", "text", "reported", "reason"), BROKEN)
def test_malformed_instance_names_file_and_line(
    tmp_path: Path, line: int, text: str | None, reported: int, reason: str
) -> None:
    lines = tiny_lines()
    if text is None:
        del lines[line - 1]
    else:
        lines[line - 1] = text
    path = tmp_path / "bad.tim"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=reason) as caught:
        read_post_enrolment(path)
    assert (caught.value.path, caught.value.line) == (str(path), reported)


@pytest.mark.parametrize(
    ("text", "reported", "reason"),
    [
        ("\n".join(tiny_lines()[:9]), 10, "ends early: expected the attendance of student 1 at event 2"),
        ("\n".join([*tiny_lines(), "0"]), 224, "unexpected data after the precedence matrix"),
        ("\n".join([tiny_lines()[0], "", *tiny_lines()[1:9]]), 11, "attendance of student 1 at event 2"),
        ("\n\n", 1, "empty file"),
    ],
)
def test_truncated_or_overlong_instance(tmp_path: Path, text: str, reported: int, reason: str) -> None:
    path = tmp_path / "short.tim"
    path.write_text(text)
    with pytest.raises(DatasetError, match=reason) as caught:
        read_post_enrolment(path)
    assert (caught.value.path, caught.value.line) == (str(path), reported)


def test_missing_or_corrupt_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="file not found"):
        read_post_enrolment(tmp_path / "absent.tim")
    broken = tmp_path / "broken.tim.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(DatasetError, match="cannot read"):
        read_post_enrolment(broken)


# Solutions


def test_solution_write_read_round_trip(tmp_path: Path) -> None:
    timetable = solution((0, 0), None, (44, 1), (9, 1))
    for name in ("tiny.sln", "tiny.sln.gz"):
        write_post_enrolment_solution(tmp_path / name, TINY, timetable)
        assert read_post_enrolment_solution(tmp_path / name, TINY) == timetable
    assert (tmp_path / "tiny.sln").read_text() == "0 0\n-1 -1\n44 1\n9 1\n"
    half_placed = LessonSolution(problem_name="tiny", starts=(0, 1, 2, 3), rooms=(0, None, 0, 0))
    write_post_enrolment_solution(tmp_path / "half.sln", TINY, half_placed)
    assert (tmp_path / "half.sln").read_text().splitlines()[1] == "-1 -1"
    with pytest.raises(ValueError, match="3 meetings"):
        write_post_enrolment_solution(tmp_path / "x.sln", TINY, solution((0, 0), None, None))


@pytest.mark.parametrize(
    ("text", "reported", "reason"),
    [
        ("0 0\n1 1\n2 0\n", 4, "ends early: expected 4 solution lines, found 3"),
        ("0 0\n1 1\n2 0\n3 1\n4 0\n", 5, "expected 4 solution lines, found 5"),
        ("0 0\n3\n2 0\n3 1\n", 2, "solution line needs timeslot, room"),
        ("0 0\n-1 0\n2 0\n3 1\n", 2, "needs -1 for both"),
        ("0 0\n1 1\n45 0\n3 1\n", 3, "timeslot 45 out of range"),
        ("0 0\n1 1\n4 2\n3 1\n", 3, "room 2 out of range"),
        ("a 0\n1 1\n2 0\n3 1\n", 1, "timeslot must be an integer"),
        ("", 1, "found 0"),
    ],
)
def test_malformed_solution_names_file_and_line(
    tmp_path: Path, text: str, reported: int, reason: str
) -> None:
    path = tmp_path / "bad.sln"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    with pytest.raises(DatasetError, match=reason) as caught:
        read_post_enrolment_solution(path, TINY)
    assert (caught.value.path, caught.value.line) == (str(path), reported)


# Each rule on the tiny problem. Students: 0 attends events 0-3, 1 attends 0 and 1, 2 attends 1
# and 3. Room 0 seats 2 with features 0 and 1, room 1 seats 3 with feature 0.


def test_distance_counts_students_of_events_left_out() -> None:
    timetable = solution(None, (3, 0), (50, 1), (4, 7))
    violations = pe_distance.count(TINY, timetable)
    assert [v.sections for v in violations] == [(0,), (2,), (3,)]
    assert [v.cost for v in violations] == [2, 1, 2]
    assert violations[0].students == (0, 1)
    assert "Event 0" in violations[0].message and "no timeslot and no room" in violations[0].message
    assert "timeslot 50, which does not exist" in violations[1].message
    assert "room 7, which does not exist" in violations[2].message
    assert "2 students (0, 2)" in violations[2].message
    assert pe_distance.count(TINY, solution((0, 0), (1, 1), (2, 0), (3, 1))) == []


def test_student_clash_counts_events_beyond_the_first_per_student_and_slot() -> None:
    violations = pe_student_clash.count(TINY, solution((5, 0), (5, 1), (5, 0), (5, 1)))
    assert [(v.students, v.sections, v.cost) for v in violations] == [
        ((0,), (0, 1, 2, 3), 3),
        ((1,), (0, 1), 1),
        ((2,), (1, 3), 1),
    ]
    assert all(v.periods == (5,) for v in violations)
    assert violations[1].message == "Student 1 has events 0 and 1 both in timeslot 5 (Mon period 5)"
    assert pe_student_clash.count(TINY, solution((5, 0), None, (6, 0), (7, 1))) == []


def test_room_clash_counts_pairs_of_events_per_room_and_slot() -> None:
    violations = pe_room_clash.count(TINY, solution((4, 0), (4, 0), (4, 0), (5, 0)))
    assert [v.sections for v in violations] == [(0, 1), (0, 2), (1, 2)]
    assert penalty(pe_room_clash, TINY, solution((4, 0), (4, 0), (4, 0), (5, 0))) == 3
    assert violations[0].rooms == (0,) and violations[0].periods == (4,)
    assert "Events 0 and 1 are both in room 0 in timeslot 4" in violations[0].message
    assert pe_room_clash.count(TINY, solution((4, 0), (4, 1), (5, 0), None)) == []


def test_room_suitability_counts_small_rooms_and_missing_features() -> None:
    violations = pe_room_suitability.count(TINY, solution((1, 1), (2, 0), (3, 0), (4, 1)))
    assert [(v.sections, v.rooms, v.periods, v.cost) for v in violations] == [
        ((0,), (1,), (1,), 1),
        ((1,), (0,), (2,), 1),
    ]
    assert violations[0].message.endswith("which lacks feature 1")
    assert violations[1].message == (
        "Event 1 is in room 0 in timeslot 2 (Mon period 2), which seats 2 of its 3 students"
    )
    assert violations[1].students == (0, 1, 2)


def test_availability_counts_events_in_forbidden_slots() -> None:
    violations = pe_availability.count(TINY, solution((1, 0), (2, 1), (40, 0), (0, 1)))
    assert [(v.sections, v.periods, v.rooms, v.cost) for v in violations] == [((2,), (40,), (0,), 1)]
    assert violations[0].message == "Event 2 is in timeslot 40 (Fri period 4), where it cannot take place"
    assert penalty(pe_availability, TINY, solution((0, 0), (0, 1), (1, 0), (2, 1))) == 0


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [((10, 0), (10, 1), 1), ((11, 0), (10, 1), 1), ((9, 0), (10, 1), 0), ((11, 0), None, 0)],
)
def test_precedence_counts_placed_pairs_out_of_order(
    first: tuple[int, int], second: tuple[int, int] | None, expected: int
) -> None:
    violations = pe_precedence.count(TINY, solution(first, second, (20, 0), (21, 0)))
    assert sum(v.cost for v in violations) == expected
    for violation in violations:
        assert violation.sections == (0, 1) and violation.periods == (first[0], 10)
        assert violation.message.startswith("Event 0 must come before event 1, but event 0 is in timeslot")


def test_last_slot_costs_each_student_of_an_event_at_the_end_of_a_day() -> None:
    violations = pe_last_slot.count(TINY, solution((7, 0), (8, 1), (44, 0), (17, 1)))
    assert [(v.sections, v.periods, v.cost, v.students) for v in violations] == [
        ((1,), (8,), 3, (0, 1, 2)),
        ((2,), (44,), 1, (0,)),
        ((3,), (17,), 2, (0, 2)),
    ]
    assert violations[0].message == (
        "Event 1 is in timeslot 8 (Mon period 8), the last of the day, for its 3 students (0, 1, 2)"
    )


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        (((0, 0), (1, 0), (2, 0), (3, 0)), 2),  # student 0: four in a row on Monday
        (((7, 0), (8, 0), (9, 0), (10, 0)), 0),  # two on Monday evening, two on Tuesday morning
        (((0, 0), (1, 0), (0, 1), (2, 1)), 1),  # student 0: events 0 and 2 share slot 0, then 1, 2
        (((0, 0), (1, 0), None, (2, 0)), 1),  # student 0: events 0, 1, 3
        (((0, 0), (1, 0), (3, 0), (4, 0)), 0),
    ],
)
def test_three_in_a_row_costs_each_class_beyond_two(
    places: tuple[tuple[int, int] | None, ...], expected: int
) -> None:
    violations = pe_three_in_a_row.count(TINY, solution(*places))
    assert sum(v.cost for v in violations) == expected
    assert all(v.students == (0,) for v in violations)


def test_three_in_a_row_names_the_run() -> None:
    [violation] = pe_three_in_a_row.count(TINY, solution((0, 0), (1, 0), (0, 1), (2, 1)))
    assert violation.sections == (0, 2, 1, 3) and violation.periods == (0, 1, 2) and violation.cost == 1
    assert violation.message == (
        "Student 0 has classes in 3 timeslots in a row on Mon (timeslots 0 to 2: events 0, 2, 1 and 3)"
    )


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        (((0, 0), (9, 0), (10, 0), (18, 0)), 6),
        (((0, 0), (9, 0), (10, 0), None), 4),
        (((0, 0), (1, 0), (0, 1), (2, 1)), 0),  # all on Monday
        (((0, 0), (9, 0), (0, 1), (9, 1)), 2),  # student 0 has two events at once each day; 1 has not
    ],
)
def test_single_class_costs_each_student_day_with_one_class(
    places: tuple[tuple[int, int] | None, ...], expected: int
) -> None:
    assert penalty(pe_single_class, TINY, solution(*places)) == expected


def test_single_class_names_student_day_and_event() -> None:
    violations = pe_single_class.count(TINY, solution((0, 0), (9, 0), (10, 0), None))
    assert [(v.students, v.sections, v.periods) for v in violations] == [
        ((0,), (0,), (0,)),
        ((1,), (0,), (0,)),
        ((1,), (1,), (9,)),
        ((2,), (1,), (9,)),
    ]
    assert (
        violations[0].message == "Student 0 has a single class on Mon: event 0 in timeslot 0 (Mon period 0)"
    )


def test_evaluate_a_feasible_timetable() -> None:
    evaluation = evaluate(TINY, solution((0, 0), (1, 1), (9, 0), (10, 1)))
    assert evaluation.feasible and evaluation.hard_violations == 0
    assert evaluation.breakdown() == {
        "last slot of day": 0,
        "more than two in a row": 0,
        "single class on a day": 2,  # student 2 alone on Monday and on Tuesday
    }
    assert evaluation.total == 2 and evaluation.normalised_total is None
    units = units_for(TINY)
    assert [score.name for score in evaluation.scores] == [unit.NAME for unit in units]
    assert [unit.HARD for unit in units] == [True] * 6 + [False] * 3


def test_evaluate_an_event_without_students_left_out_is_infeasible_at_distance_zero() -> None:
    problem = tiny_problem((*ATTENDING, ()))
    evaluation = evaluate(problem, solution((0, 0), (1, 1), (9, 0), (10, 1), None))
    assert not evaluation.feasible and evaluation.hard_violations == 0


# The soft total against a second, deliberately naive count over students, days and periods.


def naive_soft_cost(problem: LessonProblem, timetable: LessonSolution) -> int:
    """Per student and day, walk the nine periods as the competition's rules describe them."""
    placed = {
        event: slot
        for event, (slot, room) in enumerate(zip(timetable.starts, timetable.rooms, strict=True))
        if slot is not None and room is not None
    }
    cost = 0
    for events in problem.registrations.values():
        for day in range(5):
            slots_today = [placed[e] for e in events if e in placed and placed[e] // 9 == day]
            cost += sum(1 for slot in slots_today if slot % 9 == 8)
            cost += len(slots_today) == 1
            in_a_row = 0
            for period in range(9):
                in_a_row = in_a_row + 1 if day * 9 + period in slots_today else 0
                cost += in_a_row > 2
    return cost


@st.composite
def problems_and_timetables(draw: st.DrawFn) -> tuple[LessonProblem, LessonSolution]:
    events = draw(st.integers(1, 8))
    students = draw(st.integers(1, 4))
    # Most students attend three events or more, some attend few.
    takes = [
        draw(st.sets(st.integers(0, events - 1), min_size=draw(st.sampled_from((min(events, 3), 0)))))
        for _ in range(students)
    ]
    attending = tuple(tuple(s for s in range(students) if e in takes[s]) for e in range(events))
    # Mostly distinct slots crowded into Monday and Tuesday, so runs of classes occur often; some
    # events share event 0's slot (clashes) and some are left out.
    order = draw(st.permutations([0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 17, 44]))
    own = [order[e % len(order)] for e in range(events)]
    starts = tuple(draw(st.sampled_from((own[e], own[e], own[0], None))) for e in range(events))
    rooms = tuple(draw(st.sampled_from([0, 1])) for _ in range(events))
    problem = tiny_problem(attending)
    return problem, LessonSolution(problem_name="tiny", starts=starts, rooms=rooms)


@settings(max_examples=300, deadline=None)
@given(problems_and_timetables())
def test_soft_total_equals_a_naive_count(case: tuple[LessonProblem, LessonSolution]) -> None:
    problem, timetable = case
    evaluation = evaluate(problem, timetable)
    assert evaluation.total == naive_soft_cost(problem, timetable)
    unplaced = [e for e, slot in enumerate(timetable.starts) if slot is None]
    assert evaluation.scores[0].penalty == sum(len(problem.students_of[e]) for e in unplaced)


def test_soft_total_on_a_bundled_instance_equals_the_naive_count() -> None:
    problem = bundled(3)
    rng = random.Random(2007)
    timetable = LessonSolution(
        problem_name=problem.name,
        starts=tuple(rng.randrange(SLOTS) for _ in problem.sections),
        rooms=tuple(rng.randrange(len(problem.rooms)) for _ in problem.sections),
    )
    evaluation = evaluate(problem, timetable)
    assert evaluation.total == naive_soft_cost(problem, timetable) > 0
    assert evaluation.scores[0].penalty == 0
