"""`registrar sac`: State Attestation Commission timetables from an attestation folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.display import print_evaluation
from cli.reading import read_or_exit
from cli.solving import run_solve, solve_options
from cli.writing import check_output_folder, write_or_exit
from datasets.attestation_tables import (
    read_attestation,
    read_attestation_solution,
    write_attestation_solution,
)
from models import AttestationSolution


@click.group()
def sac() -> None:
    """State attestation: day, time, room and commission of every defence and state exam."""


@sac.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@solve_options
@click.option(
    "--output", type=click.Path(path_type=Path), help="Folder for sac_timetable.csv and sac_panels.csv."
)
def sac_solve(
    instance: Path,
    time_limit: float,
    workers: int | None,
    seed: int,
    json_report: Path | None,
    output: Path | None,
) -> None:
    """Timetable the defences and state exams of the attestation folder INSTANCE."""
    from solver.attestation.solve import solve_attestation

    check_output_folder(output, "--output")
    problem = read_or_exit(lambda: read_attestation(instance))

    def write(solution: AttestationSolution) -> str:
        assert output is not None
        write_or_exit(output, lambda: write_attestation_solution(solution, problem, output))
        return f"timetable written to {output}/ (sac_timetable.csv, sac_panels.csv)"

    run_solve(
        problem,
        f"{len(problem.hearings)} defences and state exams, {len(problem.commissions)} commissions, "
        f"{len(problem.days)} days, {len(problem.rooms)} rooms",
        lambda parameters, listener: solve_attestation(problem, parameters, listener=listener),
        (time_limit, workers, seed),
        json_report,
        write if output is not None else None,
    )


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
