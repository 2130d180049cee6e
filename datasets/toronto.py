"""Reader and writer for the Toronto (Carter et al. 1996) uncapacitated benchmarks (.crs/.stu)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from datasets.errors import (
    DatasetError,
    PathLike,
    numbered_lines,
    parse_int,
    read_text,
    validation_reason,
    write_text,
)
from models.exams import Exam, ExamProblem, ExamSolution, Period, Scoring

# The fixed number of timeslots of each instance, from Qu et al., Table 4 (variant I).
TORONTO_TIMESLOTS: dict[str, int] = {
    "car-s-91": 35,
    "car-f-92": 32,
    "ear-f-83": 24,
    "hec-s-92": 18,
    "kfu-s-93": 20,
    "lse-f-91": 18,
    "pur-s-93": 42,
    "rye-s-93": 23,
    "sta-f-83": 13,
    "tre-s-92": 23,
    "uta-s-92": 35,
    "ute-s-92": 10,
    "yor-f-83": 21,
}

# The names the literature uses; note rye-s-93 is called rye92.
TORONTO_SHORT_NAMES: dict[str, str] = {
    "car-s-91": "car91",
    "car-f-92": "car92",
    "ear-f-83": "ear83",
    "hec-s-92": "hec92",
    "kfu-s-93": "kfu93",
    "lse-f-91": "lse91",
    "pur-s-93": "pur93",
    "rye-s-93": "rye92",
    "sta-f-83": "sta83",
    "tre-s-92": "tre92",
    "uta-s-92": "uta92",
    "ute-s-92": "ute92",
    "yor-f-83": "yor83",
}


def toronto_stem(path: PathLike) -> Path:
    """Return the path without its .gz and .crs/.stu endings."""
    file = Path(path)
    name = file.name.removesuffix(".gz")
    for suffix in (".crs", ".stu"):
        name = name.removesuffix(suffix)
    return file.with_name(name)


def _find(stem: Path, suffix: str, prefer_gz: bool) -> Path:
    plain, packed = stem.with_name(stem.name + suffix), stem.with_name(stem.name + suffix + ".gz")
    for candidate in (packed, plain) if prefer_gz else (plain, packed):
        if candidate.exists():
            return candidate
    raise DatasetError(plain, None, f"file not found (nor {packed.name})")


def _read_crs(path: Path) -> tuple[list[int], list[int]]:
    """Return the enrolment count of each exam and the line it was given on."""
    counts: list[int] = []
    lines: list[int] = []
    for line, row in numbered_lines(read_text(path)):
        fields = row.split()
        if len(fields) != 2:
            raise DatasetError(path, line, "course line needs exam ID, enrolment")
        exam_id = parse_int(str(path), line, fields[0], "exam ID")
        if exam_id != len(counts) + 1:
            raise DatasetError(path, line, f"expected exam ID {len(counts) + 1}, found {exam_id}")
        counts.append(parse_int(str(path), line, fields[1], "enrolment"))
        lines.append(line)
    if not counts:
        raise DatasetError(path, None, "no exams")
    return counts, lines


def read_toronto(path: PathLike, timeslots: int | None = None) -> ExamProblem:
    """Read a Toronto instance from its .crs, its .stu or their common stem, gzipped or not."""
    stem = toronto_stem(path)
    prefer_gz = str(path).endswith(".gz")
    crs, stu = _find(stem, ".crs", prefer_gz), _find(stem, ".stu", prefer_gz)
    counts, crs_lines = _read_crs(crs)
    exam_count = len(counts)
    students: list[list[int]] = [[] for _ in counts]
    for student, (line, row) in enumerate(numbered_lines(read_text(stu))):
        exam_ids = [parse_int(str(stu), line, text, "exam ID") for text in row.split()]
        for exam_id in dict.fromkeys(exam_ids):  # an exam listed twice still seats one student
            if not 1 <= exam_id <= exam_count:
                raise DatasetError(stu, line, f"exam {exam_id} does not exist ({exam_count} exams)")
            students[exam_id - 1].append(student)
    for exam, (count, enrolled) in enumerate(zip(counts, students, strict=True)):
        if count != len(enrolled):
            found = len(enrolled)
            reason = f"exam {exam + 1:04d} has {count} students here but {found} in {stu.name}"
            raise DatasetError(crs, crs_lines[exam], reason)
    slots = timeslots if timeslots is not None else TORONTO_TIMESLOTS.get(stem.name)
    if slots is None:
        raise DatasetError(crs, None, "unknown instance: pass the number of timeslots")
    if slots < 1:
        raise DatasetError(crs, None, f"needs at least one timeslot, got {slots}")
    try:
        return ExamProblem(
            name=stem.name,
            scoring=Scoring.TORONTO,
            exams=tuple(
                Exam(index=exam, duration=0, students=tuple(enrolled))
                for exam, enrolled in enumerate(students)
            ),
            # Each timeslot is its own day: Toronto proximity counts slots, not days.
            periods=tuple(Period(index=t, day=t, duration=0, penalty=0) for t in range(slots)),
        )
    except ValidationError as err:
        raise DatasetError(crs, None, validation_reason(err)) from None


def format_toronto_solution(solution: ExamSolution, problem: ExamProblem) -> str:
    """Return `examID timeslot` lines: IDs 1-based, zero-padded to 4 digits as in the .crs;
    timeslots 0-based."""
    if len(solution.periods) != len(problem.exams):
        raise ValueError(
            f"solution has {len(solution.periods)} exams, {problem.name} has {len(problem.exams)}"
        )
    return "".join(f"{exam + 1:04d} {period}\n" for exam, period in enumerate(solution.periods))


def write_toronto_solution(solution: ExamSolution, problem: ExamProblem, path: PathLike) -> None:
    """Write a solution in the Toronto `examID timeslot` format."""
    write_text(path, format_toronto_solution(solution, problem))


def parse_toronto_solution(text: str, source: str, problem: ExamProblem) -> ExamSolution:
    """Parse `examID timeslot` lines (any order, each exam once) for a Toronto problem."""
    exams, slots = len(problem.exams), len(problem.periods)
    periods: list[int | None] = [None] * exams
    for line, row in numbered_lines(text):
        fields = row.split()
        if len(fields) != 2:
            raise DatasetError(source, line, "solution line needs exam ID, timeslot")
        exam_id = parse_int(source, line, fields[0], "exam ID")
        slot = parse_int(source, line, fields[1], "timeslot")
        if not 1 <= exam_id <= exams:
            raise DatasetError(source, line, f"exam {exam_id} does not exist ({exams} exams)")
        if slot >= slots:
            raise DatasetError(source, line, f"timeslot {slot} out of range ({slots} timeslots)")
        if periods[exam_id - 1] is not None:
            raise DatasetError(source, line, f"exam {exam_id} is listed twice")
        periods[exam_id - 1] = slot
    missing = [exam + 1 for exam, slot in enumerate(periods) if slot is None]
    if missing:
        reason = f"{len(missing)} exams have no timeslot, the first is {missing[0]}"
        raise DatasetError(source, None, reason)
    return ExamSolution(
        problem_name=problem.name,
        periods=tuple(slot for slot in periods if slot is not None),
        rooms=(None,) * exams,
    )


def read_toronto_solution(path: PathLike, problem: ExamProblem) -> ExamSolution:
    """Read a Toronto solution file for a problem."""
    return parse_toronto_solution(read_text(path), str(path), problem)
