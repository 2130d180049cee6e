"""`registrar generate`: synthetic data sets in the registrar's own formats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click

from cli.writing import check_output_folder, write_or_exit
from datasets.registrar_csv import RegistrarData, write_registrar
from datasets.semester import generate_semester


@click.group()
def generate() -> None:
    """Synthetic data sets in the registrar's formats, for trials and benchmarks."""


@generate.command("semester")
@click.option(
    "--students", type=click.IntRange(min=1), default=5000, show_default=True, help="Students per campus."
)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data.")
@click.option(
    "--scale", type=click.IntRange(min=1), default=1, show_default=True, help="Campuses, each as large."
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the CSV files (created if missing).",
)
def semester(students: int, seed: int, scale: int, output: Path) -> None:
    """Write a semester of a synthetic university as the registrar's CSV folder and sum it up."""
    check_output_folder(output, "--output")
    data = generate_semester(students, seed, scale)
    write_or_exit(output, lambda: write_registrar(data, output))
    campuses = "1 campus" if scale == 1 else f"{scale} campuses"
    click.echo(f"Semester of {len(data.students):,} students on {campuses} (seed {seed}) written to {output}")
    for label, count, detail in summary(data):
        click.echo(f"  {label:<14}{count:>8,}   {detail}".rstrip())


def summary(data: RegistrarData) -> list[tuple[str, int, str]]:
    """What a planner checks first: how much of everything, rooms by kind, sections by component."""
    periods = sum(sum(section.meetings) for section in data.sections)
    meetings = sum(len(section.meetings) for section in data.sections)
    per_student = len(data.registrations) / len(data.students) if data.students else 0.0
    return [
        ("buildings", len(data.buildings), ""),
        ("rooms", len(data.rooms), _tally(room.kind for room in data.rooms)),
        ("teachers", len(data.teachers), ""),
        ("courses", len(data.courses), ""),
        ("sections", len(data.sections), _tally(section.component for section in data.sections)),
        ("cohorts", len(data.cohorts), ""),
        ("students", len(data.students), ""),
        ("registrations", len(data.registrations), f"{per_student:.1f} per student"),
        ("meetings", meetings, f"{periods:,} periods a week"),
        ("relations", len(data.relations), _tally(relation.relation.value for relation in data.relations)),
    ]


def _tally(kinds: Iterable[str]) -> str:
    return ", ".join(f"{kind} {count:,}" for kind, count in Counter(kinds).items())


@generate.command("sac")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data.")
@click.option("--commissions", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--defences", type=click.IntRange(min=1), default=1200, show_default=True)
@click.option(
    "--weeks", type=click.IntRange(min=1), default=3, show_default=True, help="Five sitting days each."
)
def sac(folder: Path, seed: int, commissions: int, defences: int, weeks: int) -> None:
    """Write a synthetic State Attestation Commission data set (CSV files) into FOLDER."""
    from datasets.attestation_generator import generate_attestation
    from datasets.attestation_tables import write_attestation

    check_output_folder(folder, "FOLDER")
    problem = generate_attestation(seed, commissions, defences, weeks)
    write_or_exit(folder, lambda: write_attestation(problem, folder))
    exams = sum(1 for hearing in problem.hearings if hearing.kind.value == "state exam")
    click.echo(
        f"Attestation {problem.name} written to {folder}: {len(problem.commissions)} commissions of "
        f"{len(problem.commissions_of)} programmes, {len(problem.hearings) - exams:,} defences, "
        f"{exams} state exams, "
        f"{len(problem.days)} days, {len(problem.rooms)} rooms, {len(problem.people)} people"
    )
