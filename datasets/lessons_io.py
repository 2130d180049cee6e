"""Lesson problems and timetables by file format: CB-CTT (`.ctt`, `.ectt`), ITC 2007
post-enrolment (`.tim`) and the registrar's CSV folder, the format guessed from the path (a folder
is the registrar's) unless given."""

from __future__ import annotations

from pathlib import Path

from datasets.cbctt import read_cbctt, read_cbctt_solution, write_cbctt_solution
from datasets.errors import DatasetError, PathLike
from datasets.post_enrolment import (
    read_post_enrolment,
    read_post_enrolment_solution,
    write_post_enrolment_solution,
)
from datasets.registrar_csv import read_registrar
from datasets.registrar_timetable import read_timetable, write_timetable
from models import LessonProblem, LessonScoring, LessonSolution

FILE_FORMATS = ("ctt", "ectt", "tim")
LESSON_FORMATS = (*FILE_FORMATS, "registrar")


def guess_lesson_format(path: PathLike) -> str:
    if Path(path).is_dir():
        return "registrar"
    name = Path(path).name.lower().removesuffix(".gz")
    for suffix in FILE_FORMATS:
        if name.endswith(f".{suffix}"):
            return suffix
    raise DatasetError(
        path,
        None,
        f"cannot tell the format of {Path(path).name!r}: expected .ctt, .ectt, .tim or a registrar folder",
    )


def read_lesson_problem(path: PathLike, format: str | None = None) -> LessonProblem:
    kind = format or guess_lesson_format(path)
    if kind in ("ctt", "ectt"):
        return read_cbctt(path)
    if kind == "tim":
        return read_post_enrolment(path)
    if kind == "registrar":
        return read_registrar(path)
    raise DatasetError(path, None, f"unknown format {kind!r}, expected one of {LESSON_FORMATS}")


def read_lesson_solution(path: PathLike, problem: LessonProblem) -> LessonSolution:
    """Read a timetable in the format of the problem's kind: the benchmark's official one, or the
    registrar's `timetable.csv` (the file or the folder holding it)."""
    if problem.scoring is LessonScoring.POST_ENROLMENT:
        return read_post_enrolment_solution(path, problem)
    if problem.scoring is LessonScoring.REGISTRAR:
        return read_timetable(path, problem)
    return read_cbctt_solution(path, problem)


def write_lesson_solution(solution: LessonSolution, problem: LessonProblem, path: PathLike) -> None:
    """Write a timetable in the format of the problem's kind; for registrar problems the path is a
    folder that receives `timetable.csv`, `timetable.json` and the views."""
    if problem.scoring is LessonScoring.POST_ENROLMENT:
        write_post_enrolment_solution(path, problem, solution)
    elif problem.scoring is LessonScoring.REGISTRAR:
        write_timetable(problem, solution, path)
    else:
        write_cbctt_solution(path, problem, solution)
