"""Lesson problems and timetables by file format: CB-CTT (`.ctt`, `.ectt`) and ITC 2007
post-enrolment (`.tim`), the format guessed from the file name unless given."""

from __future__ import annotations

from pathlib import Path

from datasets.cbctt import read_cbctt, read_cbctt_solution, write_cbctt_solution
from datasets.errors import DatasetError, PathLike
from datasets.post_enrolment import (
    read_post_enrolment,
    read_post_enrolment_solution,
    write_post_enrolment_solution,
)
from models import LessonProblem, LessonScoring, LessonSolution

LESSON_FORMATS = ("ctt", "ectt", "tim")


def guess_lesson_format(path: PathLike) -> str:
    name = Path(path).name.lower().removesuffix(".gz")
    for suffix in LESSON_FORMATS:
        if name.endswith(f".{suffix}"):
            return suffix
    raise DatasetError(
        path, None, f"cannot tell the format of {Path(path).name!r}: expected .ctt, .ectt or .tim"
    )


def read_lesson_problem(path: PathLike, format: str | None = None) -> LessonProblem:
    kind = format or guess_lesson_format(path)
    if kind in ("ctt", "ectt"):
        return read_cbctt(path)
    if kind == "tim":
        return read_post_enrolment(path)
    raise DatasetError(path, None, f"unknown format {kind!r}, expected one of {LESSON_FORMATS}")


def read_lesson_solution(path: PathLike, problem: LessonProblem) -> LessonSolution:
    """Read a timetable in the official format of the problem's benchmark."""
    if problem.scoring is LessonScoring.POST_ENROLMENT:
        return read_post_enrolment_solution(path, problem)
    return read_cbctt_solution(path, problem)


def write_lesson_solution(solution: LessonSolution, problem: LessonProblem, path: PathLike) -> None:
    if problem.scoring is LessonScoring.POST_ENROLMENT:
        write_post_enrolment_solution(path, problem, solution)
    else:
        write_cbctt_solution(path, problem, solution)
