"""The attestation folder: written and read back the same, bad input named by file, line and column,
and the same problem built from in-memory records."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import constraints.attestation as sac_rules
from datasets.attestation_generator import generate_attestation
from datasets.attestation_tables import (
    attestation_from_records,
    read_attestation,
    read_attestation_solution,
    write_attestation,
    write_attestation_solution,
)
from datasets.errors import DatasetError
from solver.attestation.greedy import greedy_attestation
from tests.sac_factory import tiny_problem


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return generate_attestation(seed=2, commissions=3, defences=60, weeks=2)


def test_a_folder_reads_back_the_problem_written(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    write_attestation(small, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {
        "calendar.csv",
        "rooms.csv",
        "people.csv",
        "commissions.csv",
        "defences.csv",
        "state_exams.csv",
    }
    again = read_attestation(tmp_path)
    assert again.model_dump(exclude={"name"}) == small.model_dump(exclude={"name"})


def test_a_timetable_reads_back_and_scores_the_same(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    timetable = greedy_attestation(small)
    assert timetable is not None
    write_attestation_solution(timetable, small, tmp_path)
    again = read_attestation_solution(tmp_path / "sac_timetable.csv", small)
    assert again.model_dump() == timetable.model_dump()
    assert sac_rules.evaluate(small, again) == sac_rules.evaluate(small, timetable)
    first = (tmp_path / "sac_timetable.csv").read_text().splitlines()[1]
    assert first.count(":") == 2  # clock times, not slots


def _edit(folder: Path, file: str, line: int, column: str, value: str) -> None:
    path = folder / file
    rows = list(csv.DictReader(path.open()))
    rows[line - 2][column] = value
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "column", "value", "message"),
    [
        (
            "defences.csv",
            "supervisor",
            "Nobody Known",
            "defences.csv:3: supervisor: 'Nobody Known' is not in people.csv",
        ),
        ("defences.csv", "minutes", "half an hour", "defences.csv:3: minutes: must be a whole number"),
        (
            "defences.csv",
            "programme",
            "Alchemy",
            "defences.csv:3: programme: no commission in commissions.csv",
        ),
        (
            "calendar.csv",
            "start",
            "9 o'clock",
            'calendar.csv:3: start: "9 o\'clock" is not a time like 09:00',
        ),
        (
            "people.csv",
            "unavailable",
            "2030-01-01",
            "people.csv:3: unavailable: 2030-01-01 is not an attestation day",
        ),
        ("commissions.csv", "members", "Ghost", "commissions.csv:3: members: 'Ghost' is not in people.csv"),
    ],
)
def test_bad_input_names_the_file_line_and_column(
    tmp_path: Path,
    small,  # type: ignore[no-untyped-def]
    file: str,
    column: str,
    value: str,
    message: str,
) -> None:
    write_attestation(small, tmp_path)
    _edit(tmp_path, file, 3, column, value)
    with pytest.raises(DatasetError) as error:
        read_attestation(tmp_path)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("file", "column", "value_of", "message"),
    [
        # a thesis reviewed by its own supervisor
        ("defences.csv", "reviewer", lambda row: row["supervisor"], "supervised the thesis: its reviewer is"),
        # a member listed twice
        (
            "commissions.csv",
            "members",
            lambda row: row["members"].split(";")[0] + ";" + row["members"],
            "is named twice",
        ),
        ("commissions.csv", "max_defences_per_day", lambda row: "0", "at least 1, found 0"),
    ],
)
def test_a_row_contradicting_itself_is_named(
    tmp_path: Path,
    small,  # type: ignore[no-untyped-def]
    file: str,
    column: str,
    value_of: Any,
    message: str,
) -> None:
    write_attestation(small, tmp_path)
    row = list(csv.DictReader((tmp_path / file).open()))[1]
    _edit(tmp_path, file, 3, column, value_of(row))
    with pytest.raises(DatasetError) as error:
        read_attestation(tmp_path)
    assert f"{file}:3: {column}: " in str(error.value) and message in str(error.value)


def test_the_same_problem_is_built_from_records_in_memory(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    write_attestation(small, tmp_path)
    records = {path.stem: list(csv.DictReader(path.open())) for path in tmp_path.glob("*.csv")}
    built = attestation_from_records("in memory", records)
    assert built.model_dump(exclude={"name"}) == small.model_dump(exclude={"name"})
    records["defences"][0]["reviewer"] = "Nobody Known"
    with pytest.raises(DatasetError, match="defences.csv:2: reviewer"):
        attestation_from_records("in memory", records)


def test_part_days_away_become_a_time_to_leave_or_a_whole_day(tmp_path: Path) -> None:
    problem = tiny_problem()  # sittings from 10:00, eight 10-minute slots
    write_attestation(problem, tmp_path / "sac")
    people = tmp_path / "sac" / "people.csv"

    def dana_away(text: str) -> None:
        rows = list(csv.DictReader(people.open()))
        next(row for row in rows if row["person"] == "Dana")["unavailable"] = text
        with people.open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    first, second = problem.days[0].date, problem.days[1].date
    dana_away(f"{first} 10:40-23:00; {second} 06:00-10:30")
    dana = read_attestation(tmp_path / "sac").people[3]
    assert dana.leaves == ((0, 4),) and dana.unavailable_days == frozenset({1})  # away when it starts
    write_attestation(read_attestation(tmp_path / "sac"), tmp_path / "again")
    assert read_attestation(tmp_path / "again").people[3] == dana
    dana_away(f"{first} 07:00-09:00; {first} 18:00-19:00")  # before and after the sitting
    assert read_attestation(tmp_path / "sac").people[3].leaves == ()
    dana_away(f"{first} 14:00-13:00")
    with pytest.raises(DatasetError, match="must end after it begins"):
        read_attestation(tmp_path / "sac")


def test_a_state_exam_with_a_defences_code_is_refused(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    write_attestation(small, tmp_path)
    defence = list(csv.DictReader((tmp_path / "defences.csv").open()))[0]["defence"]
    _edit(tmp_path, "state_exams.csv", 2, "exam", defence)
    with pytest.raises(DatasetError) as error:
        read_attestation(tmp_path)
    reason = f"exam: {defence!r} is also a defence (defences.csv line 2): give it a code of its own"
    assert str(error.value).endswith(f"state_exams.csv:2: {reason}")


def test_a_panel_given_twice_or_with_a_member_twice_is_refused(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    timetable = greedy_attestation(small)
    assert timetable is not None
    write_attestation_solution(timetable, small, tmp_path)
    panels = tmp_path / "sac_panels.csv"
    header, first, *rest = panels.read_text().splitlines()
    panels.write_text("\n".join([header, first, *rest, first]) + "\n")
    commission, date = first.split(",")[:2]
    with pytest.raises(DatasetError) as error:
        read_attestation_solution(tmp_path, small)
    reason = f"date: {commission} sits once a day: its panel on {date} is also on line 2"
    assert str(error.value).endswith(f"sac_panels.csv:{len(rest) + 3}: {reason}")
    rows = list(csv.DictReader(panels.open()))[:-1]
    member = rows[0]["members"].split(";")[0].strip()
    rows[0]["members"] += f"; {member}"
    with panels.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DatasetError) as error:
        read_attestation_solution(tmp_path, small)
    assert str(error.value).endswith(f"sac_panels.csv:2: members: {member!r} is named twice")


def test_a_start_before_the_sitting_is_said_so(tmp_path: Path, small) -> None:  # type: ignore[no-untyped-def]
    timetable = greedy_attestation(small)
    assert timetable is not None
    write_attestation_solution(timetable, small, tmp_path)
    row = list(csv.DictReader((tmp_path / "sac_timetable.csv").open()))[0]
    day = next(day for day in small.days if day.date.isoformat() == row["date"])
    sitting = day.start.strftime("%H:%M")
    early = f"{day.start.hour - 1:02d}:{day.start.minute:02d}"
    _edit(tmp_path, "sac_timetable.csv", 2, "start", early)
    with pytest.raises(DatasetError) as error:
        read_attestation_solution(tmp_path, small)
    reason = f"start: {early} is before the sitting starts, at {sitting} on {row['date']}"
    assert str(error.value).endswith(f"sac_timetable.csv:2: {reason}")
    _edit(tmp_path, "sac_timetable.csv", 2, "start", f"{day.start.hour:02d}:{day.start.minute + 3:02d}")
    with pytest.raises(DatasetError, match=f"start: must be on the 10-minute grid from {sitting}"):
        read_attestation_solution(tmp_path, small)
