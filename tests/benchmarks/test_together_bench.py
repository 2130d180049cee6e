"""The load-and-lessons benchmark runner and the generated department weeks it solves."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import benchmarks.together as bench
from datasets.load_generator import department_week, generate_load
from solver.load.components import split


def test_a_departments_week_holds_its_terms_class_items_as_sections() -> None:
    part = split(generate_load(40, 200, seed=3))[0].problem
    week = department_week(part, term=1, days=4)
    classes = [item for item in part.items if item.is_class and item.term == 1 and item.section]
    assert [section.name for section in week.sections] == [item.section for item in classes]
    assert [len(section.meetings) for section in week.sections] == [max(1, i.hours // 15) for i in classes]
    assert len(week.grid.days) == 4 and week.grid.periods_per_day == 6
    assert {room.building for room in week.rooms} == {"Main", "North"}
    named = {section.name: section.index for section in week.sections}
    for cohort, item in zip(week.cohorts, [i for i in classes if i.lecture is not None], strict=True):
        lecture = part.items[item.lecture].section if item.lecture is not None else ""
        assert cohort.sections == (named[lecture], named[item.section])
    assert all(not section.teachers for section in week.sections)
    with pytest.raises(ValueError, match="a week has 1 to 6 days, not 9"):
        department_week(part, days=9)
    # A faculty's week has a set of rooms per department or so.
    rooms = department_week(part, term=1, days=4, room_sets=2).rooms
    assert len(rooms) == 16 and len({room.name for room in rooms}) == 16
    assert [room.index for room in rooms] == list(range(16))


def test_a_run_solves_in_turn_and_together_in_its_own_process_and_is_tabled(tmp_path: Path) -> None:
    bench.main(["--instances", "week-economics", "--time-limits", "6", "--results", str(tmp_path)])
    table = (tmp_path / "together.md").read_text()
    assert "# Load and lessons together" in table and "Machine:" in table
    row = next(line for line in table.splitlines() if line.startswith("| week-economics"))
    assert "| 6 |" in row and ("feasible" in row or "optimal" in row), row
    assert "week-economics" in (tmp_path / "together.csv").read_text()


def test_a_department_is_re_decided_within_its_faculty_s_published_week(tmp_path: Path) -> None:
    bench.main(
        [
            "--instances",
            "within-economics",
            "--time-limits",
            "8",
            "--publishing",
            "4",
            "8",
            "--results",
            str(tmp_path),
        ]
    )
    with (tmp_path / "together.csv").open(newline="") as table:
        (row,) = csv.DictReader(table)
    assert row["instance"] == "within-economics", row
    assert row["error"] == "" and row["status"] in ("feasible", "optimal"), row
    # The faculty's week is tabled whole: 343 meetings, the department's decided among them.
    assert row["meetings"] == "343" and row["teachers"] == "11"
    assert int(row["total"]) == int(row["load"]) + int(row["lessons"])
    assert int(row["published_total"]) == int(row["published_load"]) + int(row["published_lessons"])
