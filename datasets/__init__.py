"""Problems and solutions in the ITC 2007 (exam, post-enrolment), Toronto and JSON formats; bundled data."""

from __future__ import annotations

from pathlib import Path

from datasets.errors import DatasetError, PathLike, read_text, write_text
from datasets.itc2007_exam import (
    format_itc2007_solution,
    parse_itc2007_exam,
    parse_itc2007_solution,
    read_itc2007_exam,
    read_itc2007_solution,
    write_itc2007_solution,
)
from datasets.json_io import (
    problem_from_json,
    problem_to_json,
    solution_from_json,
    solution_of_problem_from_json,
    solution_to_json,
)
from datasets.post_enrolment import (
    format_post_enrolment_solution,
    parse_post_enrolment,
    parse_post_enrolment_solution,
    read_post_enrolment,
    read_post_enrolment_solution,
    write_post_enrolment_solution,
)
from datasets.toronto import (
    TORONTO_SHORT_NAMES,
    TORONTO_TIMESLOTS,
    format_toronto_solution,
    parse_toronto_solution,
    read_toronto,
    read_toronto_solution,
    write_toronto_solution,
)
from models.exams import ExamProblem, ExamSolution, Scoring

__all__ = [
    "BUNDLED_ITC2007",
    "BUNDLED_POST_ENROLMENT",
    "BUNDLED_TORONTO",
    "FORMATS",
    "TORONTO_SHORT_NAMES",
    "TORONTO_TIMESLOTS",
    "DatasetError",
    "bundled_instance",
    "bundled_post_enrolment",
    "bundled_reference_solution",
    "format_itc2007_solution",
    "format_post_enrolment_solution",
    "format_toronto_solution",
    "parse_itc2007_exam",
    "parse_itc2007_solution",
    "parse_post_enrolment",
    "parse_post_enrolment_solution",
    "parse_toronto_solution",
    "problem_from_json",
    "problem_to_json",
    "read_exam_problem",
    "read_exam_solution",
    "read_itc2007_exam",
    "read_itc2007_solution",
    "read_post_enrolment",
    "read_post_enrolment_solution",
    "read_toronto",
    "read_toronto_solution",
    "solution_from_json",
    "solution_to_json",
    "write_exam_solution",
    "write_itc2007_solution",
    "write_post_enrolment_solution",
    "write_toronto_solution",
]

FORMATS = ("itc2007", "toronto", "json")
INSTANCES = Path(__file__).parent / "instances"
BUNDLED_ITC2007: tuple[str, ...] = tuple(f"exam_comp_set{n}" for n in range(1, 9))
BUNDLED_TORONTO: tuple[str, ...] = tuple(TORONTO_TIMESLOTS)
BUNDLED_POST_ENROLMENT: tuple[str, ...] = tuple(f"comp-2007-2-{n}" for n in range(1, 17))


def _name(path: PathLike) -> str:
    return Path(path).name.lower().removesuffix(".gz")


def _check_format(path: PathLike, format: str) -> str:
    if format not in FORMATS:
        raise DatasetError(path, None, f"unknown format {format!r}, expected one of {FORMATS}")
    return format


def guess_problem_format(path: PathLike) -> str:
    """Tell a problem file's format from its name: .exam, .crs/.stu (or their stem), .json."""
    name = _name(path)
    if name.endswith(".exam"):
        return "itc2007"
    if name.endswith((".crs", ".stu")):
        return "toronto"
    if name.endswith(".json"):
        return "json"
    stem = Path(path)
    if any(stem.with_name(stem.name + suffix).exists() for suffix in (".crs", ".crs.gz")):
        return "toronto"
    reason = f"cannot tell the format of {Path(path).name!r}: expected .exam, .crs, .stu or .json"
    raise DatasetError(path, None, reason)


def read_exam_problem(path: PathLike, format: str | None = None) -> ExamProblem:
    """Read an exam problem, guessing the format from the file name unless given."""
    kind = _check_format(path, format) if format else guess_problem_format(path)
    if kind == "itc2007":
        return read_itc2007_exam(path)
    if kind == "toronto":
        return read_toronto(path)
    return problem_from_json(read_text(path), str(path))


def guess_solution_format(path: PathLike, problem: ExamProblem) -> str:
    """Tell a solution file's format: .sln is ITC 2007, .sol follows the problem, .json is JSON."""
    name = _name(path)
    if name.endswith(".json"):
        return "json"
    if name.endswith(".sln"):
        return "itc2007"
    if name.endswith(".sol"):
        return "toronto" if problem.scoring is Scoring.TORONTO else "itc2007"
    reason = f"cannot tell the format of {Path(path).name!r}: expected .sln, .sol or .json"
    raise DatasetError(path, None, reason)


def read_exam_solution(path: PathLike, problem: ExamProblem, format: str | None = None) -> ExamSolution:
    """Read a solution of a problem, guessing the format from the file name unless given."""
    kind = _check_format(path, format) if format else guess_solution_format(path, problem)
    if kind == "itc2007":
        return read_itc2007_solution(path, problem)
    if kind == "toronto":
        return read_toronto_solution(path, problem)
    return solution_of_problem_from_json(read_text(path), str(path), problem)


def write_exam_solution(
    solution: ExamSolution, problem: ExamProblem, path: PathLike, format: str | None = None
) -> None:
    """Write a solution, choosing the format from the file name unless given."""
    kind = _check_format(path, format) if format else guess_solution_format(path, problem)
    if kind == "itc2007":
        write_itc2007_solution(solution, path)
    elif kind == "toronto":
        write_toronto_solution(solution, problem, path)
    else:
        write_text(path, solution_to_json(solution))


def bundled_instance(name: str) -> Path:
    """Return the bundled file of an instance: exam_comp_setN, a Toronto stem or short name."""
    stems = {short: stem for stem, short in TORONTO_SHORT_NAMES.items()}
    name = stems.get(name, name)
    if name in BUNDLED_ITC2007:
        return INSTANCES / "itc2007" / f"{name}.exam.gz"
    if name in BUNDLED_TORONTO:
        return INSTANCES / "toronto" / f"{name}.crs.gz"
    known = ", ".join((*BUNDLED_ITC2007, *BUNDLED_TORONTO))
    raise DatasetError(name, None, f"no bundled instance of this name (known: {known})")


def bundled_reference_solution(name: str) -> Path:
    """Return the bundled reference solution of an ITC 2007 set."""
    if name not in BUNDLED_ITC2007:
        raise DatasetError(name, None, "no bundled reference solution of this name")
    return INSTANCES / "itc2007" / "reference_solutions" / f"{name}.sln"


def bundled_post_enrolment(name: str) -> Path:
    """Return the bundled file of an ITC 2007 post-enrolment instance, comp-2007-2-N (N = 1..16)."""
    if name not in BUNDLED_POST_ENROLMENT:
        known = ", ".join(BUNDLED_POST_ENROLMENT)
        raise DatasetError(name, None, f"no bundled post-enrolment instance of this name (known: {known})")
    return INSTANCES / "itc2007_pe" / f"{name}.tim.gz"
