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
