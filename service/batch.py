"""Past semesters and their scenarios solved in a batch, here or over a Dask cluster, into one
table: the planners' benchmark of their own data (`registrar bench semesters`)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from sqlalchemy import select

import constraints.lessons as lesson_rules
from datasets.registrar_scenario import ScenarioRecord, scenario_problem
from models import SolveParameters
from service.scenarios import soft_criteria
from service.storage import schema
from service.storage.database import Database
from service.storage.records import StorageError, load_semester, semester_named

DEFAULT = "default"  # the scenario that changes nothing


def solve_stored(
    url: str, semester: str, scenario: str, time_limit: float, workers: int, seed: int
) -> dict[str, Any]:
    """One semester under one stored scenario (or `default`), solved and scored by the checker."""
    from solver.reports import run_in_process

    with run_in_process():  # a Dask worker runs one semester after another, or several at once
        return _solve_stored(url, semester, scenario, time_limit, workers, seed)


def _solve_stored(
    url: str, semester: str, scenario: str, time_limit: float, workers: int, seed: int
) -> dict[str, Any]:
    from solver.lessons.solve import solve_lessons
    from solver.reports import SHARED_PEAK

    database = Database(url)
    try:
        with database.transaction() as session:
            stored = semester_named(session, semester)
            changes = ScenarioRecord()
            if scenario != DEFAULT:
                found = session.scalar(
                    select(schema.Scenario).where(
                        schema.Scenario.semester_id == stored.id, schema.Scenario.name == scenario
                    )
                )
                if found is None:
                    raise StorageError(f"semester {semester!r} has no scenario {scenario!r}")
                changes = ScenarioRecord.model_validate(found.changes)
            data = load_semester(session, semester)
        problem, engine_scenario = scenario_problem(data, changes, semester, soft_criteria(), scenario)
    finally:
        database.dispose()
    outcome = solve_lessons(
        problem, SolveParameters(time_limit=time_limit, workers=workers, seed=seed), engine_scenario
    )
    row: dict[str, Any] = {
        "semester": semester,
        "scenario": scenario,
        "meetings": len(problem.meetings),
        "feasible": False,
        "cost": None,
        "first_feasible_s": outcome.report.time_to_first_feasible,
        "elapsed_s": round(outcome.report.elapsed, 1),
        # None (an empty cell) where the run shared its process: no peak of its own is known
        "peak_mb": None
        if SHARED_PEAK in outcome.report.warnings
        else round(outcome.report.peak_memory_mb or 0),
    }
    if outcome.solution is not None:
        checked = lesson_rules.evaluate(problem, outcome.solution, engine_scenario)
        row |= {"feasible": checked.feasible, "cost": checked.total}
    return row


def solve_batch(
    url: str,
    pairs: list[tuple[str, str]],
    time_limit: float,
    workers: int,
    seed: int,
    executor_factory: Callable[[], Executor],
) -> list[dict[str, Any]]:
    """Every (semester, scenario) pair, in the order asked, whatever order they finish in."""
    executor = executor_factory()
    try:
        futures = [
            executor.submit(solve_stored, url, semester, scenario, time_limit, workers, seed)
            for semester, scenario in pairs
        ]
        return [future.result() for future in futures]
    finally:
        executor.shutdown()


def table(rows: list[dict[str, Any]], heading: str) -> str:
    columns = [
        "semester",
        "scenario",
        "meetings",
        "feasible",
        "cost",
        "first_feasible_s",
        "elapsed_s",
        "peak_mb",
    ]
    lines = [f"# {heading}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [
            "" if row[c] is None else f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c])
            for c in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if any(row["peak_mb"] is None for row in rows):
        lines += [
            "",
            "An empty peak: the run shared its worker process with another, so no peak of its own is known.",
        ]
    return "\n".join(lines) + "\n"
