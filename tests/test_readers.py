"""Readers and writers of the benchmark formats, checked against the bundled data."""

from __future__ import annotations

import gzip
import json
import pickle
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from datasets import (
    BUNDLED_ITC2007,
    BUNDLED_TORONTO,
    TORONTO_SHORT_NAMES,
    TORONTO_TIMESLOTS,
    DatasetError,
    bundled_instance,
    bundled_reference_solution,
    format_itc2007_solution,
    format_toronto_solution,
    parse_itc2007_exam,
    parse_itc2007_solution,
    problem_from_json,
    problem_to_json,
    read_exam_problem,
    read_exam_solution,
    read_itc2007_exam,
    read_toronto,
    solution_from_json,
    solution_to_json,
    write_exam_solution,
)
from models.evaluation import Evaluation
from models.exams import ExamProblem, ExamSolution, PeriodRelation, Scoring, Weightings
from models.report import SolveParameters, SolveReport, SolveStatus

# From the statistics table of /work/shared/datasets/itc2007_exam/SOURCE.md: exams, distinct
# students, enrolments, periods, rooms, coincidence/exclusion/after, room-exclusive, weightings
# (two in a row, two in a day, period spread, non-mixed durations, front load a, b, c).
ITC_STATS = {
    "exam_comp_set1": (607, 7883, 32380, 54, 7, (2, 1, 9), 0, (7, 5, 5, 10, 100, 30, 5)),
    "exam_comp_set2": (870, 12484, 37379, 40, 49, (8, 1, 3), 2, (15, 5, 1, 25, 250, 30, 5)),
    "exam_comp_set3": (934, 16365, 61150, 36, 48, (166, 2, 2), 15, (15, 10, 4, 20, 200, 20, 10)),
    "exam_comp_set4": (273, 4421, 21740, 21, 1, (8, 32, 0), 0, (9, 5, 2, 10, 50, 10, 5)),
    "exam_comp_set5": (1018, 8719, 34196, 42, 3, (16, 5, 6), 0, (40, 15, 5, 0, 250, 30, 10)),
    "exam_comp_set6": (242, 7909, 18466, 16, 8, (19, 2, 2), 0, (20, 5, 20, 25, 25, 30, 15)),
    "exam_comp_set7": (1096, 13795, 45493, 80, 15, (13, 9, 6), 0, (25, 5, 10, 15, 250, 30, 10)),
    "exam_comp_set8": (598, 7718, 31374, 80, 8, (5, 0, 15), 1, (150, 0, 15, 25, 250, 30, 5)),
}

# From the table of /work/shared/datasets/toronto/SOURCE.md (version I): exams, students,
# enrolments, timeslots (Qu et al., Table 4).
TORONTO_STATS = {
    "car-s-91": (682, 16925, 56877, 35),
    "car-f-92": (543, 18419, 55522, 32),
    "ear-f-83": (190, 1125, 8109, 24),
    "hec-s-92": (81, 2823, 10632, 18),
    "kfu-s-93": (461, 5349, 25113, 20),
    "lse-f-91": (381, 2726, 10918, 18),
    "pur-s-93": (2419, 30029, 120681, 42),
    "rye-s-93": (486, 11483, 45051, 23),
    "sta-f-83": (139, 611, 5751, 13),
    "tre-s-92": (261, 4360, 14901, 23),
    "uta-s-92": (622, 21266, 58979, 35),
    "ute-s-92": (184, 2749, 11793, 10),
    "yor-f-83": (181, 941, 6034, 21),
}

SAMPLE = """\
[Exams:3]
60, 1, 2
90, 2, 3
120
[Periods:3]
15:04:2005, 09:30:00, 120, 0
15:04:2005, 14:00:00, 120, 10
16:04:2005, 09:30:00, 90, 0
[Rooms:2]
100, 0
5, 20
[PeriodHardConstraints]
0, AFTER, 1
1, EXAM_COINCIDENCE, 2
0, EXCLUSION, 2
2, EXCLUSION, 0
[RoomHardConstraints]
2, ROOM_EXCLUSIVE
[InstitutionalWeightings]
TWOINAROW, 7
TWOINADAY, 5
PERIODSPREAD, 3
NONMIXEDDURATIONS,10
FRONTLOAD,1,1,5
"""


@cache
def bundled(name: str) -> ExamProblem:
    # Parsed once per test session: the models are immutable, so tests can share them.
    return read_exam_problem(bundled_instance(name))


def test_error_message_names_file_and_line() -> None:
    assert str(DatasetError("a.exam", 12, "bad")) == "a.exam:12: bad"
    assert str(DatasetError("a.exam", None, "bad")) == "a.exam: bad"
    again = pickle.loads(pickle.dumps(DatasetError("a.exam", 3, "bad")))
    assert (again.path, again.line, again.reason) == ("a.exam", 3, "bad")


@pytest.mark.parametrize("name", BUNDLED_ITC2007)
def test_itc2007_bundled_statistics(name: str) -> None:
    exams, students, enrolments, periods, rooms, relations, exclusive, weights = ITC_STATS[name]
    problem = bundled(name)
    assert problem.name == name and problem.scoring is Scoring.ITC2007
    assert len(problem.exams) == exams
    assert len(problem.students) == students
    assert sum(exam.size for exam in problem.exams) == enrolments
    assert len(problem.periods) == periods
    assert len(problem.rooms) == rooms
    counts = Counter(constraint.relation for constraint in problem.period_constraints)
    order = (PeriodRelation.EXAM_COINCIDENCE, PeriodRelation.EXCLUSION, PeriodRelation.AFTER)
    assert tuple(counts[relation] for relation in order) == relations
    assert len(problem.room_exclusive) == exclusive
    assert problem.weightings == Weightings(**dict(zip(Weightings.model_fields, weights, strict=True)))


def test_itc2007_periods_and_days() -> None:
    problem = bundled("exam_comp_set1")
    first = problem.periods[:4]
    assert [period.day for period in first] == [0, 0, 1, 1]
    assert str(first[0].date) == "2005-04-15" and str(first[1].start) == "14:00:00"
    assert [(period.duration, period.penalty) for period in first] == [(210, 0)] * 3 + [(210, 70)]
    assert problem.period_constraints[0].model_dump() == {
        "first": 11,
        "relation": PeriodRelation.AFTER,
        "second": 10,
    }
    assert problem.rooms[2].capacity == 129 and problem.rooms[2].penalty == 50
    assert problem.exams[0].duration == 195 and problem.exams[0].students[:2] == (2829, 2864)


@pytest.mark.parametrize("stem", BUNDLED_TORONTO)
def test_toronto_bundled_statistics(stem: str) -> None:
    exams, students, enrolments, timeslots = TORONTO_STATS[stem]
    problem = bundled(stem)
    assert problem.name == stem and problem.scoring is Scoring.TORONTO
    assert len(problem.exams) == exams
    assert len(problem.students) == students
    assert sum(exam.size for exam in problem.exams) == enrolments
    assert len(problem.periods) == timeslots == TORONTO_TIMESLOTS[stem]
    assert problem.rooms == ()
    assert all(period.day == period.index and period.duration == 0 for period in problem.periods)
    assert all(exam.duration == 0 for exam in problem.exams)


def test_toronto_short_names_and_unknown_bundle() -> None:
    assert set(TORONTO_SHORT_NAMES) == set(BUNDLED_TORONTO)
    assert bundled_instance("car91") == bundled_instance("car-s-91")
    assert bundled_instance("rye92").name == "rye-s-93.crs.gz"
    with pytest.raises(DatasetError, match="no bundled instance"):
        bundled_instance("exam_comp_set13")


def _gunzip(source: Path, target: Path) -> Path:
    target.write_bytes(gzip.decompress(source.read_bytes()))
    return target


def test_itc2007_gz_and_plain_read_the_same(tmp_path: Path) -> None:
    packed = bundled_instance("exam_comp_set4")
    plain = _gunzip(packed, tmp_path / "exam_comp_set4.exam")
    assert read_itc2007_exam(plain).model_dump() == read_itc2007_exam(packed).model_dump()


def test_toronto_gz_plain_crs_stu_and_stem_read_the_same(tmp_path: Path) -> None:
    packed = bundled_instance("hec-s-92")
    for suffix in (".crs", ".stu"):
        _gunzip(packed.with_name("hec-s-92" + suffix + ".gz"), tmp_path / ("hec-s-92" + suffix))
    expected = read_toronto(packed).model_dump()
    for path in ("hec-s-92.crs", "hec-s-92.stu", "hec-s-92"):
        assert read_toronto(tmp_path / path).model_dump() == expected
    assert read_toronto(packed.with_name("hec-s-92.stu.gz")).model_dump() == expected
    assert read_toronto(tmp_path / "hec-s-92", timeslots=30).periods[-1].index == 29


def test_itc2007_sample_parses() -> None:
    problem = parse_itc2007_exam(SAMPLE, "sample.exam")
    assert problem.name == "sample"
    assert [exam.students for exam in problem.exams] == [(1, 2), (2, 3), ()]
    assert [period.day for period in problem.periods] == [0, 0, 1]
    relations = [(c.first, c.relation.value, c.second) for c in problem.period_constraints]
    assert relations == [
        (0, "AFTER", 1),
        (1, "EXAM_COINCIDENCE", 2),
        (0, "EXCLUSION", 2),
        (2, "EXCLUSION", 0),
    ]  # file order, both directions kept
    assert problem.room_exclusive == frozenset({2})
    assert problem.weightings.front_load_weight == 5


def test_itc2007_tolerates_crlf_trailing_commas_and_blank_lines() -> None:
    messy = SAMPLE.replace("60, 1, 2\n", "60,1,2, \n").replace("\n", "\r\n") + "\r\n\r\n  \r\n"
    assert parse_itc2007_exam(messy, "m.exam", "s") == parse_itc2007_exam(SAMPLE, "s.exam")


# (what is wrong, text replaced, replacement, line named, words of the reason)
DEFECTS = [
    ("exam count", "[Exams:3]", "[Exams:4]", 1, "expected 4 exam lines, found 3"),
    ("empty field", "60, 1, 2", "60, , 2", 2, "empty field"),
    ("non-integer", "90, 2, 3", "90, 2, x3", 3, "student id must be an integer, found 'x3'"),
    ("count text", "[Periods:3]", "[Periods:three]", 5, "period count must be an integer"),
    ("bad date", "15:04:2005, 14:00:00", "31:02:2005, 14:00:00", 7, "bad date '31:02:2005'"),
    (
        "short period",
        "16:04:2005, 09:30:00, 90, 0",
        "16:04:2005, 09:30:00, 90",
        8,
        "period line needs date, time, duration, penalty",
    ),
    (
        "date backwards",
        "16:04:2005, 09:30:00, 90, 0",
        "14:04:2005, 09:30:00, 90, 0",
        8,
        "before the previous one",
    ),
    ("negative capacity", "5, 20", "-5, 20", 11, "negative room capacity -5"),
    ("unknown relation", "0, AFTER, 1", "0, BEFORE, 1", 13, "unknown period constraint 'BEFORE'"),
    (
        "exam range",
        "1, EXAM_COINCIDENCE, 2",
        "1, EXAM_COINCIDENCE, 700",
        14,
        "exam 700 does not exist (3 exams)",
    ),
    (
        "unknown section",
        "[RoomHardConstraints]",
        "[RoomSoftConstraints]",
        17,
        "unknown section [RoomSoftConstraints]",
    ),
    ("room constraint", "2, ROOM_EXCLUSIVE", "2, ROOM_SHARED", 18, "unknown room constraint"),
    ("unknown weighting", "TWOINADAY, 5", "TWOINAWEEK, 5", 21, "unknown weighting 'TWOINAWEEK'"),
    ("missing weighting", "PERIODSPREAD, 3\n", "", 19, "missing weighting PERIODSPREAD"),
    ("front load", "FRONTLOAD,1,1,5", "FRONTLOAD,1,5", 24, "FRONTLOAD needs 3 value(s), found 2"),
    ("missing section", "[Rooms:2]\n100, 0\n5, 20\n", "", None, "missing section [Rooms]"),
    ("leading junk", "[Exams:3]", "junk\n[Exams:3]", 1, "data before the first section header"),
    # Past 1,000,000 the solver's arithmetic overflowed ("unknown", no reason) or a traceback came.
    (
        "penalty beyond any",
        "5, 20",
        "5, 99999999999999999999999",
        11,
        "room penalty must be at most 1,000,000, found 99999999999999999999999",
    ),
    (
        "weight beyond any",
        "TWOINAROW, 7",
        "TWOINAROW, 1000001",
        20,
        "TWOINAROW value must be at most 1,000,000",
    ),
    (
        "thousands of digits",
        "90, 2, 3",
        "90, 2, " + "9" * 5000,
        3,
        "student id must be at most 1,000,000, found 99999999999999999999...99999999 (5,000 characters)",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"), [d[1:] for d in DEFECTS], ids=[d[0] for d in DEFECTS]
)
def test_itc2007_malformed_input_names_file_and_line(
    old: str, new: str, line: int | None, reason: str
) -> None:
    assert old in SAMPLE
    with pytest.raises(DatasetError) as caught:
        parse_itc2007_exam(SAMPLE.replace(old, new, 1), "bad.exam")
    assert (caught.value.path, caught.value.line) == ("bad.exam", line)
    assert reason in caught.value.reason
    assert str(caught.value).startswith("bad.exam:" + (f"{line}: " if line else " "))


def test_itc2007_numbers_up_to_a_million_are_read() -> None:
    problem = parse_itc2007_exam(SAMPLE.replace("5, 20", "1000000, 1000000"), "large.exam")
    assert (problem.rooms[1].capacity, problem.rooms[1].penalty) == (1_000_000, 1_000_000)


def test_unreadable_files_raise_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="file not found") as caught:
        read_itc2007_exam(tmp_path / "absent.exam")
    assert caught.value.path == str(tmp_path / "absent.exam") and caught.value.line is None
    broken = tmp_path / "broken.exam.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DatasetError, match="cannot read"):
        read_exam_problem(broken)
    with pytest.raises(DatasetError, match="file not found"):
        read_toronto(tmp_path / "absent.crs")


def _toronto(tmp_path: Path, crs: str, stu: str) -> Path:
    (tmp_path / "tiny.crs").write_text(crs)
    (tmp_path / "tiny.stu").write_text(stu)
    return tmp_path / "tiny.crs"


def test_toronto_small_instance_and_defects(tmp_path: Path) -> None:
    crs = "0001 2\n0002 1\n0003 1\n"
    stu = "0001 0002 \n0001 0003\n\n"
    path = _toronto(tmp_path, crs, stu)
    with pytest.raises(DatasetError, match="pass the number of timeslots"):
        read_toronto(path)
    problem = read_toronto(path, timeslots=3)
    assert [exam.students for exam in problem.exams] == [(0, 1), (0,), (1,)]

    _toronto(tmp_path, crs.replace("0002 1", "0002 5"), stu)
    with pytest.raises(DatasetError, match="exam 0002 has 5 students") as caught:
        read_toronto(path, timeslots=3)
    assert (caught.value.path, caught.value.line) == (str(path), 2)

    _toronto(tmp_path, crs, stu.replace("0001 0003", "0001 0009"))
    with pytest.raises(DatasetError, match="exam 9 does not exist") as caught:
        read_toronto(path, timeslots=3)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "tiny.stu"), 2)

    _toronto(tmp_path, crs.replace("0002", "0005"), stu)
    with pytest.raises(DatasetError, match="expected exam ID 2, found 5") as caught:
        read_toronto(path, timeslots=3)
    assert caught.value.line == 2

    _toronto(tmp_path, crs.replace("0002 1", "0002 " + "9" * 5000), stu)
    with pytest.raises(DatasetError, match="enrolment must be at most 1,000,000") as caught:
        read_toronto(path, timeslots=3)
    assert caught.value.line == 2


def test_itc2007_solution_round_trip(tmp_path: Path) -> None:
    problem = bundled("exam_comp_set4")
    reference = bundled_reference_solution("exam_comp_set4")
    solution = read_exam_solution(reference, problem)
    assert format_itc2007_solution(solution).split() == reference.read_text().split()
    for name in ("out.sln", "out.sol"):
        write_exam_solution(solution, problem, tmp_path / name)
        assert read_exam_solution(tmp_path / name, problem) == solution


def test_itc2007_solution_defects() -> None:
    problem = parse_itc2007_exam(SAMPLE, "sample.exam")
    assert parse_itc2007_solution("0, 1\n2, 0\n1, 1\n", "s.sln", problem).rooms == (1, 0, 1)
    for text, line, reason in [
        ("0, 1\n2, 0\n", None, "expected 3 solution lines, found 2"),
        ("0, 1\n2, 0\n1, 1\n0, 0\n", 4, "expected 3 solution lines, found 4"),
        ("0, 1\n3, 0\n1, 1\n", 2, "period 3 out of range (3 periods)"),
        ("0, 1\n2, 0\n1, 2\n", 3, "room 2 out of range (2 rooms)"),
        ("0, 1\n2\n1, 1\n", 2, "solution line needs period, room"),
    ]:
        with pytest.raises(DatasetError) as caught:
            parse_itc2007_solution(text, "s.sln", problem)
        assert (caught.value.path, caught.value.line, caught.value.reason) == (
            "s.sln",
            line,
            reason,
        )


def test_toronto_solution_round_trip(tmp_path: Path) -> None:
    problem = bundled("hec-s-92")
    periods = tuple(exam % len(problem.periods) for exam in range(len(problem.exams)))
    solution = ExamSolution(problem_name=problem.name, periods=periods, rooms=(None,) * 81)
    assert format_toronto_solution(solution, problem).splitlines()[:2] == ["0001 0", "0002 1"]
    write_exam_solution(solution, problem, tmp_path / "hec.sol")
    assert read_exam_solution(tmp_path / "hec.sol", problem) == solution
    (tmp_path / "bad.sol").write_text("0001 0\n0001 1\n")
    with pytest.raises(DatasetError, match="exam 1 is listed twice") as caught:
        read_exam_solution(tmp_path / "bad.sol", problem)
    assert caught.value.line == 2


def test_json_round_trips(tmp_path: Path) -> None:
    problem = bundled("exam_comp_set4")
    solution = read_exam_solution(bundled_reference_solution("exam_comp_set4"), problem)
    evaluation = Evaluation(feasible=True, hard_violations=0, total=22183, scores=())
    report = SolveReport(
        problem_name=problem.name,
        problem_kind="exam",
        status=SolveStatus.FEASIBLE,
        parameters=SolveParameters(time_limit=1.0, workers=1),
    )
    text = solution_to_json(solution, evaluation, report)
    assert json.loads(text)["evaluation"]["total"] == 22183
    assert solution_from_json(text) == solution
    assert solution_from_json(solution.model_dump_json()) == solution
    write_exam_solution(solution, problem, tmp_path / "out.json")
    assert read_exam_solution(tmp_path / "out.json", problem) == solution
    with pytest.raises(DatasetError, match="invalid JSON") as caught:
        solution_from_json('{\n"solution": ', "s.json")
    assert caught.value.line == 2
    assert problem_from_json(problem_to_json(problem)).model_dump() == problem.model_dump()


def test_read_exam_problem_guesses_the_format(tmp_path: Path) -> None:
    assert read_exam_problem(bundled_instance("exam_comp_set4")).scoring is Scoring.ITC2007
    crs = bundled_instance("sta-f-83")
    for path in (crs, crs.with_name("sta-f-83.stu.gz"), crs.with_name("sta-f-83")):
        assert read_exam_problem(path).name == "sta-f-83"
    (tmp_path / "p.json").write_text(problem_to_json(bundled("sta-f-83")))
    assert read_exam_problem(tmp_path / "p.json").scoring is Scoring.TORONTO
    (tmp_path / "p.txt").write_text(SAMPLE)
    with pytest.raises(DatasetError, match="cannot tell the format of 'p.txt'"):
        read_exam_problem(tmp_path / "p.txt")
    assert read_exam_problem(tmp_path / "p.txt", format="itc2007").name == "p.txt"
    with pytest.raises(DatasetError, match="unknown format 'xml'"):
        read_exam_problem(tmp_path / "p.txt", format="xml")


@pytest.mark.parametrize("name", BUNDLED_ITC2007)
def test_reference_solutions_fit_their_instances(name: str) -> None:
    problem = bundled(name)
    solution = read_exam_solution(bundled_reference_solution(name), problem)
    assert len(solution.periods) == len(solution.rooms) == len(problem.exams)
    assert all(0 <= period < len(problem.periods) for period in solution.periods)
    assert all(room is not None and 0 <= room < len(problem.rooms) for room in solution.rooms)


def test_a_json_problem_with_a_number_past_the_readers_limit_is_refused(tmp_path: Path) -> None:
    """A room penalty of 10**23 in a JSON problem gave CP-SAT 'unknown' with no reason."""
    problem = json.loads(problem_to_json(bundled("exam_comp_set4")))
    problem["rooms"][0]["penalty"] = 10**23
    (tmp_path / "p.json").write_text(json.dumps(problem))
    with pytest.raises(DatasetError, match="rooms.0.penalty: Input should be less than or equal to 1000000"):
        read_exam_problem(tmp_path / "p.json")
