"""JSON forms of problems and solutions, the latter optionally with evaluation and solve report."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from datasets.errors import DatasetError, validation_reason
from models.evaluation import Evaluation
from models.exams import ExamProblem, ExamSolution
from models.report import SolveReport


def solution_to_json(
    solution: ExamSolution,
    evaluation: Evaluation | None = None,
    report: SolveReport | None = None,
) -> str:
    """Return `{"solution": ..., "evaluation": ..., "report": ...}`, leaving out absent parts."""
    document: dict[str, Any] = {"solution": solution.model_dump(mode="json")}
    if evaluation is not None:
        document["evaluation"] = evaluation.model_dump(mode="json")
    if report is not None:
        document["report"] = report.model_dump(mode="json")
    return json.dumps(document, indent=2) + "\n"


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DatasetError(source, err.lineno, f"invalid JSON: {err.msg}") from None


def solution_from_json(text: str, source: str = "<json>") -> ExamSolution:
    """Read a solution from solution_to_json output or from a bare solution object."""
    document = _load(text, source)
    # A bare solution object is accepted too, so hand-written files need no wrapper.
    if isinstance(document, dict) and "solution" in document:
        document = document["solution"]
    try:
        return ExamSolution.model_validate(document)
    except ValidationError as err:
        raise DatasetError(source, None, validation_reason(err)) from None


def solution_of_problem_from_json(text: str, source: str, problem: ExamProblem) -> ExamSolution:
    """A solution of `problem`: one entry per exam, each period and room one of the problem's, as
    the text formats check while parsing (a room may be left out: null)."""
    solution = solution_from_json(text, source)
    if len(solution.periods) != len(problem.exams):
        reason = f"solution has {len(solution.periods)} exams, {problem.name} has {len(problem.exams)}"
        raise DatasetError(source, None, reason)
    periods, rooms = len(problem.periods), len(problem.rooms)
    for exam, (period, room) in enumerate(zip(solution.periods, solution.rooms, strict=True)):
        name = problem.exams[exam].name or str(exam)
        if not 0 <= period < periods:
            raise DatasetError(source, None, f"exam {name}: period {period} out of range ({periods} periods)")
        if problem.uses_rooms and room is not None and not 0 <= room < rooms:
            raise DatasetError(source, None, f"exam {name}: room {room} out of range ({rooms} rooms)")
    return solution


def problem_to_json(problem: ExamProblem) -> str:
    """Return the problem as JSON."""
    return problem.model_dump_json()


def problem_from_json(text: str, source: str = "<json>") -> ExamProblem:
    """Read a problem written by problem_to_json."""
    try:
        return ExamProblem.model_validate_json(text)
    except ValidationError as err:
        if err.errors()[0]["type"] == "json_invalid":
            _load(text, source)  # the json module says on which line the syntax breaks
        raise DatasetError(source, None, validation_reason(err)) from None
