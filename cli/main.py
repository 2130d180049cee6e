"""The `registrar` command: the engine's problem kinds from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.attestation import sac
from cli.bench import bench
from cli.database import database, users
from cli.display import console, print_evaluation, print_report, progress_display
from cli.generate import generate
from cli.load import load
from cli.masterclasses import masterclasses
from cli.reading import LESSON_FORMAT_HELP, LESSON_FORMATS
from cli.reading import read_or_exit as _read
from cli.rooms import rooms
from cli.service import demo, serve
from cli.writing import check_output_file, check_output_folder, write_or_exit
from datasets import (
    DatasetError,
    guess_solution_format,
    read_exam_problem,
    read_exam_solution,
    write_exam_solution,
)
from datasets.json_io import solution_to_json
from models import ExamProblem, Pin, Scenario, Scoring, SolveParameters, SolveStatus
from solver.engine import default_workers

FORMATS = click.Choice(["itc2007", "toronto"])


@click.group()
def main() -> None:
    """Scheduling engine of the Office of the Registrar."""


@main.group()
def exams() -> None:
    """Exam timetables: periods and rooms for every exam of the session."""


@exams.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@click.option("--format", "file_format", type=FORMATS, help="Guessed from the file name if omitted.")
@click.option(
    "--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds."
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="CP-SAT workers [all cores].")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write the timetable (format by extension).")
@click.option("--json", "json_report", type=click.Path(path_type=Path), help="Write the solve report.")
@click.option("--warm-start", type=click.Path(path_type=Path), help="Start from this timetable.")
@click.option("--strategy", type=click.Choice(["auto", "full", "lns"]), default="auto", show_default=True)
def exams_solve(
    instance: Path,
    file_format: str | None,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
    warm_start: Path | None,
    strategy: str,
) -> None:
    """Timetable the exams of INSTANCE and print the score breakdown."""
    from solver.exams.solve import solve_exams

    check_output_file(json_report, "--json")
    problem = _read(lambda: read_exam_problem(instance, file_format))
    _check_exam_output(output, problem)
    start = _read(lambda: read_exam_solution(warm_start, problem)) if warm_start else None
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.exams)} exams, {len(problem.students)} students, "
        f"{len(problem.periods)} periods, {len(problem.rooms)} rooms; "
        f"{time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    with progress_display(time_limit) as listener:
        outcome = solve_exams(problem, parameters, warm_start=start, listener=listener, strategy=strategy)
    print_report(outcome.report)
    if outcome.evaluation is not None:
        print_evaluation(problem, outcome.evaluation)
    if json_report is not None:
        report = (
            solution_to_json(outcome.solution, outcome.evaluation, outcome.report)
            if outcome.solution is not None
            else outcome.report.model_dump_json(indent=2)
        )
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if output is not None and outcome.solution is not None:
        solution = outcome.solution
        write_or_exit(output, lambda: write_exam_solution(solution, problem, output))
        console.print(f"timetable written to {output}")
    if outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        sys.exit(1)


def _check_exam_output(output: Path | None, problem: ExamProblem) -> None:
    """The timetable's format follows the extension of --output: refused before the solve when it
    is unknown, or when it needs rooms and the problem has none."""
    if output is None:
        return
    check_output_file(output, "--output")
    try:
        kind = guess_solution_format(output, problem)
    except DatasetError as error:
        raise click.BadParameter(error.reason, param_hint="--output") from None
    if kind == "itc2007" and problem.scoring is Scoring.TORONTO:
        raise click.BadParameter(
            "a Toronto instance has no rooms, and an ITC 2007 .sln timetable needs them: name a .sol "
            "(exam timeslot lines) or a .json file",
            param_hint="--output",
        )


@exams.command("check")
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("solution", type=click.Path(path_type=Path))
@click.option("--format", "file_format", type=FORMATS, help="Guessed from the file name if omitted.")
def exams_check(instance: Path, solution: Path, file_format: str | None) -> None:
    """Score SOLUTION against INSTANCE by the official rules; exit 1 when it is infeasible."""
    from constraints.exams import evaluate

    problem = _read(lambda: read_exam_problem(instance, file_format))
    timetable = _read(lambda: read_exam_solution(solution, problem, file_format))
    evaluation = evaluate(problem, timetable)
    print_evaluation(problem, evaluation, show_hard=True)
    if not evaluation.feasible:
        sys.exit(1)


@main.group()
def lessons() -> None:
    """Lesson timetables: a start and a room for every weekly meeting of every section."""


@lessons.command("solve")
@click.argument("instance", type=click.Path(path_type=Path))
@click.option("--format", "file_format", type=LESSON_FORMATS, help=LESSON_FORMAT_HELP)
@click.option(
    "--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help="Seconds."
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="CP-SAT workers [all cores].")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Write the timetable in the official format; for registrar data, a folder of timetable files.",
)
@click.option("--json", "json_report", type=click.Path(path_type=Path), help="Write the solve report.")
@click.option(
    "--draft",
    is_flag=True,
    help="When no timetable keeps every hard rule, write the draft breaking the fewest (exit 1).",
)
@click.option(
    "--pins",
    type=click.Path(path_type=Path),
    help="A timetable in the instance's format whose meetings stay where it puts them (an empty "
    "room: any room at that time).",
)
@click.option(
    "--start",
    "start_from",
    type=click.Path(path_type=Path),
    help="A timetable in the instance's format to start from (one published before a change of "
    "teachers or rooms): each meeting stays where it puts it while that place is free; unlike "
    "--pins, the search may move them.",
)
def lessons_solve(
    instance: Path,
    file_format: str | None,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
    draft: bool,
    pins: Path | None,
    start_from: Path | None,
) -> None:
    """Timetable the meetings of INSTANCE and print the score breakdown."""
    from datasets.lessons_io import read_lesson_problem, read_lesson_solution, write_lesson_solution
    from datasets.registrar_timetable import FILES as TIMETABLE_FILES
    from models import LessonScoring
    from solver.lessons.solve import solve_lessons

    check_output_file(json_report, "--json")
    problem = _read(lambda: read_lesson_problem(instance, file_format))
    if problem.scoring is LessonScoring.REGISTRAR:  # a folder of timetable files
        check_output_folder(output, "--output")
    else:
        check_output_file(output, "--output")
    scenario = Scenario()
    if pins is not None:
        pinned = _read(lambda: read_lesson_solution(pins, problem))
        scenario = Scenario(
            pins={
                meeting: Pin(period=start, room=pinned.rooms[meeting])
                for meeting, start in enumerate(pinned.starts)
                if start is not None
            }
        )
    start = _read(lambda: read_lesson_solution(start_from, problem)) if start_from is not None else None
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.sections)} sections, {len(problem.meetings)} meetings, "
        f"{len(problem.rooms)} rooms, {problem.grid.slot_count} slots, {len(scenario.pins)} pinned; "
        f"{time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    with progress_display(time_limit) as listener:
        outcome = solve_lessons(problem, parameters, scenario, listener=listener, draft=draft, start=start)
    print_report(outcome.report)
    if outcome.evaluation is not None:
        print_evaluation(problem, outcome.evaluation)
    if json_report is not None:
        report = outcome.report.model_dump_json(indent=2)
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if output is not None and outcome.solution is not None:
        solution = outcome.solution
        write_or_exit(output, lambda: write_lesson_solution(solution, problem, output))
        what = "timetable" if outcome.evaluation is None or outcome.evaluation.feasible else "draft timetable"
        if problem.scoring is LessonScoring.REGISTRAR:
            console.print(f"{what} written to {output}/ ({', '.join(TIMETABLE_FILES)})", soft_wrap=True)
        else:
            console.print(f"{what} written to {output}")
    if outcome.evaluation is None or not outcome.evaluation.feasible:
        sys.exit(1)  # nothing found, or a timetable leaving events out


@lessons.command("check")
@click.argument("instance", type=click.Path(path_type=Path))
@click.argument("solution", type=click.Path(path_type=Path))
@click.option("--format", "file_format", type=LESSON_FORMATS, help=LESSON_FORMAT_HELP)
def lessons_check(instance: Path, solution: Path, file_format: str | None) -> None:
    """Score SOLUTION against INSTANCE by the official rules; exit 1 when it is infeasible.

    For registrar data (INSTANCE a folder), SOLUTION is a timetable.csv or the folder holding it.
    """
    from constraints.lessons import evaluate
    from datasets.lessons_io import read_lesson_problem, read_lesson_solution

    problem = _read(lambda: read_lesson_problem(instance, file_format))
    timetable = _read(lambda: read_lesson_solution(solution, problem))
    evaluation = evaluate(problem, timetable)
    print_evaluation(problem, evaluation, show_hard=True)
    if not evaluation.feasible:
        sys.exit(1)


main.add_command(generate)
main.add_command(load)
main.add_command(sac)
main.add_command(database)
main.add_command(bench)
main.add_command(users)
main.add_command(serve)
main.add_command(demo)
main.add_command(rooms)
main.add_command(masterclasses)

if __name__ == "__main__":
    main()
