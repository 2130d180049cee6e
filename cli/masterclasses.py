"""`registrar masterclasses`: place master classes around a semester's fixed class timetable."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import click

from cli.display import console, print_report, progress_display
from cli.reading import read_or_exit as read_input
from cli.writing import check_output_file, write_or_exit
from datasets.masterclass_generator import generate_requests, write_requests
from datasets.masterclass_tables import masterclass_problem, placement_rows, read_requests
from datasets.registrar_csv import lesson_problem, read_records
from datasets.registrar_timetable import read_timetable
from datasets.registrar_week import room_closures, weekly_meetings
from models import SolveParameters, SolveStatus
from solver.engine import default_workers

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group()
def masterclasses() -> None:
    """Master classes: a time and a hall for one-off events, around the class timetable."""


@masterclasses.command("solve")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--timetable",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The fixed class timetable (timetable.csv of `registrar lessons solve`).",
)
@click.option(
    "--starts-on", type=DATE, required=True, help="Date of the first teaching day, e.g. 2026-09-07."
)
@click.option("--teaching-weeks", type=click.IntRange(min=1), default=15, show_default=True)
@click.option(
    "--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds."
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="CP-SAT workers [all cores].")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write the placement as CSV.")
@click.option("--json", "json_report", type=click.Path(path_type=Path), help="Write the solve report.")
def solve(
    folder: Path,
    timetable: Path,
    starts_on: dt.datetime,
    teaching_weeks: int,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
) -> None:
    """Place the requests of FOLDER/masterclasses.csv (a registrar folder) around its timetable."""
    from solver.masterclasses.solve import solve_masterclasses

    check_output_file(output, "--output")
    check_output_file(json_report, "--json")
    data = read_input(lambda: read_records(folder))
    requests = read_input(lambda: read_requests(folder, data.rooms))
    fixed = read_input(lambda: read_timetable(timetable, lesson_problem(data, folder.name)))
    problem = read_input(
        lambda: masterclass_problem(
            folder.name,
            data,
            weekly_meetings(data, fixed),
            requests,
            starts_on.date(),
            teaching_weeks,
            closures=room_closures(data),
        )
    )
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.events)} master classes, {len(problem.halls)} halls, "
        f"{len(problem.student_busy)} students in their audiences; "
        f"{time_limit:g} s on {parameters.workers} workers"
    )
    with progress_display(time_limit) as listener:
        outcome = solve_masterclasses(problem, parameters, listener=listener)
    print_report(outcome.report)
    if json_report is not None:
        report = outcome.report.model_dump_json(indent=2)
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if outcome.solution is None:
        sys.exit(1)
    rows = placement_rows(problem, outcome.solution)
    for row in rows:
        console.print(
            f"{row['master_class']}: {row['date']} {row['start']}-{row['end']} in {row['hall']}, "
            f"{row['with_a_class_then']} of {row['audience']} with a class then"
        )
    if output is not None:
        write_or_exit(output, lambda: _write_placement(rows, output))
        console.print(f"placement written to {output}")
    if outcome.report.status is SolveStatus.UNKNOWN:
        sys.exit(1)


def _write_placement(rows: list[dict[str, object]], output: Path) -> None:
    with output.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(
            stream, fieldnames=list(rows[0]) if rows else ["master_class"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


@masterclasses.command("generate")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--count", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--starts-on", type=DATE, required=True, help="Date of the first teaching day.")
def generate(folder: Path, count: int, seed: int, starts_on: dt.datetime) -> None:
    """Write master-class requests (masterclasses.csv) into a registrar folder."""
    data = read_input(lambda: read_records(folder))
    requests = generate_requests(data, starts_on.date(), count, seed)
    write_or_exit(folder / "masterclasses.csv", lambda: write_requests(folder, requests))
    console.print(f"{len(requests)} master-class requests written to {folder / 'masterclasses.csv'}")
