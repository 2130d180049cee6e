"""The checker reproduces the published cost breakdown of the ITC 2007 reference solutions."""

from __future__ import annotations

from pathlib import Path

import pytest

from constraints.exams import evaluate
from datasets import (
    BUNDLED_ITC2007,
    bundled_instance,
    bundled_reference_solution,
    read_itc2007_exam,
    read_itc2007_solution,
)

README = Path(bundled_reference_solution(BUNDLED_ITC2007[0])).parent / "README.md"


def breakdown_table() -> dict[str, dict[str, int]]:
    """The README's table: for each instance, its cost per criterion and in total."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("|")
    ]
    header, body = rows[0], rows[2:]
    assert header[:2] == ["file", "instance"]
    return {
        row[1].removesuffix(".exam"): dict(zip(header[2:], map(int, row[2:]), strict=True)) for row in body
    }


TABLE = breakdown_table()


def test_the_table_covers_every_bundled_set() -> None:
    assert sorted(TABLE) == sorted(BUNDLED_ITC2007)


@pytest.mark.parametrize("name", BUNDLED_ITC2007)
def test_reference_solution_scores_as_published(name: str) -> None:
    problem = read_itc2007_exam(bundled_instance(name))
    solution = read_itc2007_solution(bundled_reference_solution(name), problem)
    evaluation = evaluate(problem, solution)
    assert evaluation.feasible, evaluation.violations(hard=True)[:3]
    expected = dict(TABLE[name])
    assert evaluation.total == expected.pop("total")
    assert evaluation.breakdown() == expected
