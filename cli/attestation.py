"""`registrar sac`: State Attestation Commission timetables from an attestation folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.display import console, print_evaluation, print_report, progress_display
from cli.reading import read_or_exit
from datasets.attestation_tables import (
    read_attestation,
    read_attestation_solution,
    write_attestation_solution,
)
from models import SolveParameters, SolveStatus
from solver.engine import default_workers


@click.group()
def sac() -> None:
    """State attestation: day, time, room and commission of every defence and state exam."""


@sac.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@click.option(
    "--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds."
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="CP-SAT workers [all cores].")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--output", type=click.Path(path_type=Path), help="Folder for sac_timetable.csv and sac_panels.csv."
)
@click.option("--json", "json_report", type=click.Path(path_type=Path), help="Write the solve report.")
def sac_solve(
    instance: Path,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
) -> None:
    """Timetable the defences and state exams of the attestation folder INSTANCE."""
    from solver.attestation.solve import solve_attestation

    problem = read_or_exit(lambda: read_attestation(instance))
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.hearings)} defences and state exams, "
        f"{len(problem.commissions)} commissions, {len(problem.days)} days, {len(problem.rooms)} rooms; "
        f"{time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    with progress_display(time_limit) as listener:
        outcome = solve_attestation(problem, parameters, listener=listener)
    print_report(outcome.report)
    if outcome.evaluation is not None:
        print_evaluation(problem, outcome.evaluation)
    if json_report is not None:
        json_report.write_text(outcome.report.model_dump_json(indent=2))
    if output is not None and outcome.solution is not None:
        write_attestation_solution(outcome.solution, problem, output)
        console.print(f"timetable written to {output}/ (sac_timetable.csv, sac_panels.csv)")
    if outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        sys.exit(1)


@sac.command("check")
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("solution", type=click.Path(path_type=Path))
def sac_check(instance: Path, solution: Path) -> None:
    """Score the timetable folder SOLUTION against INSTANCE; exit 1 when it breaks a hard rule."""
    from constraints.attestation import evaluate

    problem = read_or_exit(lambda: read_attestation(instance))
    timetable = read_or_exit(lambda: read_attestation_solution(solution, problem))
    evaluation = evaluate(problem, timetable)
    print_evaluation(problem, evaluation, show_hard=True)
    if not evaluation.feasible:
        sys.exit(1)
