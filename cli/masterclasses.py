"""`registrar masterclasses`: halls and times for one-off events around the fixed lesson timetable."""

from __future__ import annotations

from pathlib import Path

import click

from cli.reading import read_or_exit
from cli.solving import run_solve, solve_options
from datasets.masterclass_tables import read_masterclasses, write_placements
from models import MasterClassSolution


@click.group()
def masterclasses() -> None:
    """Master classes: a time and a hall for each guest lecture or workshop, around the lessons."""


@masterclasses.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@solve_options
@click.option("--output", type=click.Path(path_type=Path), help="Folder for masterclass_placements.csv.")
def masterclasses_solve(
    instance: Path,
    time_limit: float,
    workers: int | None,
    seed: int,
    json_report: Path | None,
    output: Path | None,
) -> None:
    """Place the master classes of INSTANCE (a semester folder with timetable.csv and masterclasses.csv)."""
    from solver.masterclasses.solve import solve_masterclasses

    problem = read_or_exit(lambda: read_masterclasses(instance))

    def write(solution: MasterClassSolution) -> str:
        assert output is not None
        write_placements(solution, problem, output)
        return f"placements written to {output}/masterclass_placements.csv"

    run_solve(
        problem,
        f"{len(problem.classes)} master classes, {len(problem.halls)} halls",
        lambda parameters, listener: solve_masterclasses(problem, parameters, listener=listener),
        (time_limit, workers, seed),
        json_report,
        write if output is not None else None,
    )
