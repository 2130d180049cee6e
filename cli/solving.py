"""What a kind's `solve` command shares: the options every solve takes, a run with live progress,
and the report, breakdown and files at the end."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import click

from cli.display import console, print_evaluation, print_report, progress_display
from cli.writing import check_output_file, write_or_exit
from models import Evaluation, SolveParameters, SolveReport, SolveStatus
from solver.engine import ProgressListener, default_workers


class Outcome(Protocol):
    solution: Any
    evaluation: Evaluation | None
    report: SolveReport


def solve_options(command: Callable[..., None]) -> Callable[..., None]:
    """`--time-limit`, `--workers`, `--seed` and `--json`, as for every kind."""
    for option in reversed(
        (
            click.option(
                "--time-limit",
                type=click.FloatRange(min=0.1),
                default=60.0,
                show_default=True,
                help="Seconds.",
            ),
            click.option(
                "--workers", type=click.IntRange(min=1), default=None, help="CP-SAT workers [all cores]."
            ),
            click.option("--seed", type=int, default=0, show_default=True),
            click.option(
                "--json", "json_report", type=click.Path(path_type=Path), help="Write the solve report."
            ),
        )
    ):
        command = option(command)
    return command


def run_solve(
    problem: Any,
    summary: str,
    solve: Callable[[SolveParameters, ProgressListener], Outcome],
    limits: tuple[float, int | None, int],
    json_report: Path | None,
    write: Callable[[Any], str] | None,
) -> None:
    """Solve with live progress, print the report and breakdown, write the report and (through
    `write`, which says what it wrote) the solution; exit 1 when nothing feasible was found. The
    report's path is checked before the solve; `write`'s is the caller's to check."""
    check_output_file(json_report, "--json")
    time_limit, workers, seed = limits
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {summary}; {time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    with progress_display(time_limit) as listener:
        outcome = solve(parameters, listener)
    print_report(outcome.report)
    if outcome.evaluation is not None:
        print_evaluation(problem, outcome.evaluation)
    if json_report is not None:
        report = outcome.report.model_dump_json(indent=2)
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if write is not None and outcome.solution is not None:
        console.print(write(outcome.solution))
    if outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        sys.exit(1)
