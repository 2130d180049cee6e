"""CB-CTT instances and solutions read into the lesson model, and scored by UD2 exactly as the
ITC 2007 track 3 rules and the bundled reference solutions say."""

from __future__ import annotations

from pathlib import Path

import pytest

from constraints.lessons import evaluate, units_for
from datasets import DatasetError
from datasets.cbctt import (
    BUNDLED,
    BUNDLED_CTT,
    bundled_cbctt,
    bundled_cbctt_reference,
    format_cbctt_solution,
    parse_cbctt,
    parse_cbctt_solution,
    read_cbctt,
    read_cbctt_solution,
)
from models import LessonScoring

# SOURCE.md: courses, lectures, rooms, days, periods a day, curricula, unavailabilities, room constraints
COMP = {
    "comp01": (30, 160, 6, 5, 6, 14, 53, 23),
    "comp02": (82, 283, 16, 5, 5, 70, 513, 167),
    "comp03": (72, 251, 16, 5, 5, 68, 382, 149),
    "comp04": (79, 286, 18, 5, 5, 57, 396, 177),
    "comp05": (54, 152, 9, 6, 6, 139, 771, 73),
    "comp06": (108, 361, 18, 5, 5, 70, 632, 234),
    "comp07": (131, 434, 20, 5, 5, 77, 667, 308),
    "comp08": (86, 324, 18, 5, 5, 61, 478, 197),
    "comp09": (76, 279, 18, 5, 5, 75, 405, 170),
    "comp10": (115, 370, 18, 5, 5, 67, 694, 257),
    "comp11": (30, 162, 5, 5, 9, 13, 94, 17),
    "comp12": (88, 218, 11, 6, 6, 150, 1368, 72),
    "comp13": (82, 308, 19, 5, 5, 66, 468, 116),
    "comp14": (85, 275, 17, 5, 5, 60, 486, 105),
}
# reference_solutions/README.md: room capacity, min working days, curriculum compactness, room stability
REFERENCE = {
    "comp01": (4, 0, 0, 1),
    "comp02": (0, 45, 66, 0),
    "comp03": (0, 20, 76, 2),
    "comp04": (0, 10, 40, 0),
    "comp05": (5, 200, 162, 3),
    "comp06": (0, 20, 52, 4),
    "comp07": (0, 20, 44, 2),
}


def figures(name: str, extended: bool) -> tuple[int, ...]:
    problem = read_cbctt(bundled_cbctt(name, extended))
    forbidden = sum(len(section.forbidden_slots) for section in problem.sections)
    unsuitable = sum(len(section.unsuitable_rooms) for section in problem.sections)
    grid = problem.grid
    return (
        len(problem.sections),
        len(problem.meetings),
        len(problem.rooms),
        len(grid.days),
        grid.periods_per_day,
        len(problem.cohorts),
        forbidden,
        unsuitable,
    )


@pytest.mark.parametrize("name", BUNDLED_CTT)
def test_both_formats_read_as_source_md_counts(name: str) -> None:
    expected = COMP[name]
    assert figures(name, extended=True) == expected
    assert figures(name, extended=False) == (*expected[:7], 0)  # .ctt has no room constraints
    assert read_cbctt(bundled_cbctt(name)).scoring is LessonScoring.UD2


@pytest.mark.parametrize("name", sorted(p.name.split(".")[0] for p in (BUNDLED / "ectt").glob("*.ectt.gz")))
def test_every_bundled_ectt_instance_reads(name: str) -> None:
    problem = read_cbctt(bundled_cbctt(name, extended=True))
    assert problem.meetings and problem.rooms
    assert all(len(section.teachers) == 1 for section in problem.sections)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_solutions_score_as_published(name: str) -> None:
    problem = read_cbctt(bundled_cbctt(name))
    solution = read_cbctt_solution(bundled_cbctt_reference(name), problem)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible and evaluation.hard_violations == 0
    capacity, days, compactness, stability = REFERENCE[name]
    assert evaluation.breakdown() == {
        "room capacity": capacity,
        "min working days": days,
        "curriculum compactness": compactness,
        "room stability": stability,
    }
    assert evaluation.total == sum(REFERENCE[name])
    text = format_cbctt_solution(problem, solution)
    assert parse_cbctt_solution(text, "again", problem) == solution


TINY = """Name: Tiny
Courses: 3
Rooms: 2
Days: 2
Periods_per_day: 3
Curricula: 1
Constraints: 1

COURSES:
A tA 2 2 30
B tA 1 1 10
C tC 2 1 25

ROOMS:
big 30
small 20

CURRICULA:
q1 2 A C

UNAVAILABILITY_CONSTRAINTS:
C 1 2

END.
"""


def tiny_score(lines: str) -> tuple[bool, dict[str, int], dict[str, int]]:
    problem = parse_cbctt(TINY, "tiny.ctt")
    evaluation = evaluate(problem, parse_cbctt_solution(lines, "tiny.sol", problem))
    hard = {score.name: score.penalty for score in evaluation.scores if score.hard and score.penalty}
    return evaluation.feasible, hard, evaluation.breakdown()


def test_a_tiny_timetable_priced_by_hand() -> None:
    # A on days 0 and 1 in one room; C in the small room (5 short), in two rooms, on one day,
    # each of its lectures isolated from A's on day 0 except the one just after A
    feasible, hard, soft = tiny_score("A big 0 0\nA big 1 0\nB small 1 1\nC small 0 1\nC big 0 2\n")
    assert feasible and not hard
    # compactness: q1 holds A(0,0), C(0,1), C(0,2) on day 0 (a run), A(1,0) alone on day 1
    assert soft == {
        "room capacity": 5,
        "min working days": 0,
        "curriculum compactness": 2,
        "room stability": 1,
    }


def test_tiny_hard_breaches_are_named() -> None:
    # A twice at (0,0); B with A's teacher at (0,0) in A's room; C when it is unavailable
    problem = parse_cbctt(TINY, "tiny.ctt")
    solution = parse_cbctt_solution("A big 0 0\nA small 0 0\nB big 0 0\nC small 1 2\n", "tiny.sol", problem)
    evaluation = evaluate(problem, solution)
    assert not evaluation.feasible
    hard = {score.name: score.penalty for score in evaluation.scores if score.hard}
    # one lecture of C unplaced; room big holds A and B; tA due at 3 meetings (2 extra);
    # A meets twice at once; C unavailable at day 1 period 2
    assert hard == {"placement": 1, "room clash": 1, "teacher clash": 2, "cohort clash": 1, "availability": 1}
    messages = [violation.message for violation in evaluation.violations(hard=True)]
    assert "Meeting 2 of C has no proper time and room" in messages
    assert "C may not meet at day 1 period 2" in messages
    assert any(message.startswith("Room big holds 2 meetings at day 0 period 0") for message in messages)
    soft = evaluation.breakdown()
    assert soft["min working days"] == 5 + 0 + 0  # A on one day of two (weight 5)


def test_units_follow_the_scoring() -> None:
    problem = parse_cbctt(TINY, "tiny.ctt")
    names = [unit.NAME for unit in units_for(problem)]
    assert names[:5] == ["placement", "room clash", "teacher clash", "cohort clash", "availability"]
    assert names[5:] == ["room capacity", "min working days", "curriculum compactness", "room stability"]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (TINY.replace("Courses: 3", "Courses: 4"), 9, "announces 4 courses, the COURSES: section lists 3"),
        (TINY.replace("q1 2 A C", "q1 2 A X"), 19, "unknown course X"),
        (TINY.replace("big 30", "big thirty"), 15, "room capacity must be an integer"),
        (TINY.replace("small 20", "small -20"), 16, "negative room capacity"),
        (TINY.replace("C 1 2", "C 2 2"), 22, "outside the 2 x 3 week"),
        (TINY.replace("END.\n", ""), None, "missing END."),
        (TINY.replace("Rooms: 2", "Room: 2"), 3, "expected header line 'Rooms: ...'"),
        (TINY.replace("q1 2 A C", "q1 3 A C"), 19, "announces 3 courses, lists 2"),
        (TINY.replace("Days: 2", "Days: 0"), 4, "Days must be at least 1, found 0"),
        (TINY.replace("Periods_per_day: 3", "Periods_per_day: 0"), 5, "Periods_per_day must be at least 1"),
        # Past these a few lines made an endless read, a MemoryError or an overflow in the annealing.
        (TINY.replace("Days: 2", "Days: 99999999999"), 4, "Days must be at most 1,000, found 99999999999"),
        (
            TINY.replace("Days: 2", "Days: 100").replace("Periods_per_day: 3", "Periods_per_day: 11"),
            5,
            "100 days of 11 periods make 1,100, at most 1,000",
        ),
        (TINY.replace("A tA 2 2 30", "A tA 100000000 2 30"), 10, "number of lectures must be at most 100"),
        (TINY.replace("A tA 2 2 30", "A tA 7 2 30"), 10, "course A has 7 lectures, more than the 6 periods"),
        (
            TINY.replace("A tA 2 2 30", "A tA 2 2 99999999999999999999999"),
            10,
            "number of students must be at most 1,000,000, found 99999999999999999999999",
        ),
    ],
)
def test_malformed_instances_name_line_and_reason(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(DatasetError) as caught:
        parse_cbctt(text, "bad.ctt")
    assert caught.value.line == line and reason in caught.value.reason


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("A big 0 0\nA nowhere 1 0\n", 2, "unknown room nowhere"),
        ("A big 0 0\nA big 1 0\nA big 1 1\n", 3, "course A has only 2 lectures"),
        ("Z big 0 0\n", 1, "unknown course Z"),
        ("A big 0 3\n", 1, "outside the week"),
        ("A big 0\n", 1, "solution line needs course, room, day, period"),
    ],
)
def test_malformed_solutions_name_line_and_reason(text: str, line: int, reason: str) -> None:
    problem = parse_cbctt(TINY, "tiny.ctt")
    with pytest.raises(DatasetError) as caught:
        parse_cbctt_solution(text, "bad.sol", problem)
    assert caught.value.line == line and reason in caught.value.reason


def test_the_largest_week_and_course_read() -> None:
    largest = TINY.replace("Days: 2", "Days: 10").replace("Periods_per_day: 3", "Periods_per_day: 100")
    problem = parse_cbctt(largest.replace("A tA 2 2 30", "A tA 100 2 1000000"), "large.ctt")
    assert problem.grid.slot_count == 1000
    assert (len(problem.sections[0].meetings), problem.sections[0].size) == (100, 1_000_000)


def test_crlf_and_gzip_are_read(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "tiny.ctt.gz"
    path.write_bytes(gzip.compress(TINY.replace("\n", "\r\n").encode()))
    problem = read_cbctt(path)
    assert problem.name == "tiny" and len(problem.meetings) == 5


TINY_ECTT = """Name: TinyE
Courses: 2
Rooms: 2
Days: 2
Periods_per_day: 2
Curricula: 1
Min_Max_Daily_Lectures: 0 2
UnavailabilityConstraints: 1
RoomConstraints: 1

COURSES:
c1 t1 2 2 30 0
c2 t2 1 1 20 1

ROOMS:
rA 40 1
rB 25 1

CURRICULA:
q1 2 c1 c2

UNAVAILABILITY_CONSTRAINTS:
c1 0 0

ROOM_CONSTRAINTS:
c2 rA

END.
"""


@pytest.mark.parametrize(
    ("bounds", "reason"),
    [
        (
            "two",
            "Min_Max_Daily_Lectures needs the fewest and the most lectures a day, e.g. '2 3', found 'two'",
        ),
        ("2", "Min_Max_Daily_Lectures needs the fewest and the most lectures a day, e.g. '2 3', found '2'"),
        ("two 3", "minimum daily lectures must be an integer, found 'two'"),
        ("1 -3", "negative maximum daily lectures -3"),
        ("3 1", "Min_Max_Daily_Lectures: the minimum, 3 a day, is above the maximum, 1"),
    ],
)
def test_the_ectt_daily_lecture_bounds_are_checked(bounds: str, reason: str) -> None:
    """UD2 does not score them, but a file giving them wrong is refused at their line, not solved."""
    assert len(parse_cbctt(TINY_ECTT, "tiny.ectt").sections) == 2
    with pytest.raises(DatasetError) as caught:
        parse_cbctt(TINY_ECTT.replace("Lectures: 0 2", f"Lectures: {bounds}"), "bad.ectt")
    assert str(caught.value) == f"bad.ectt:7: {reason}"
