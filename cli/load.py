"""`registrar load`: distribute the teaching load, check a department's distribution, compare actual
hours with the plan."""

from __future__ import annotations

import sys
from collections.abc import Collection
from pathlib import Path

import click
from rich.table import Table

from cli.display import console, print_evaluation, print_report, progress_display
from cli.reading import LESSON_FORMAT_HELP, LESSON_FORMATS
from cli.reading import read_or_exit as _read
from cli.solving import solve_options
from cli.writing import check_output_file, check_output_folder, write_or_exit
from constraints.load import SOFT_NAMES
from datasets.errors import DatasetError
from datasets.load_generator import generate_load
from datasets.load_tables import WEEKS, read_actual, read_assignment, write_assignment, write_load_tables
from datasets.registrar_load import is_registrar_folder, named_now, present_teachers, read_year_load
from models import Scenario, SolveParameters, SolveStatus
from models.load import CLASS_COMPONENTS, LoadProblem, LoadSolution
from solver.engine import default_workers
from solver.load.components import covered
from solver.load.summary import (
    OTHER,
    LoadLine,
    actual_lines,
    department_lines,
    substitutions,
    teacher_lines,
)

SHOWN_TEACHERS = 30
TABLE_SUFFIXES = (".csv", ".xlsx", ".json", ".txt")


@click.group()
def load() -> None:
    """Teaching load: who teaches each section, within every teacher's norm."""


WEIGHT_OPTION = click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="CRITERION=W",
    help="A soft criterion's weight, e.g. 'term balance=3' (repeatable; 0 switches it off).",
)


SEMESTER_TERM = click.option(
    "--term",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="For a registrar's semester folder as FOLDER: the term of the year it is.",
)
SEMESTER_WEEKS = click.option(
    "--weeks",
    type=click.IntRange(1, 52),
    default=WEEKS,
    show_default=True,
    help="For a registrar's semester folder as FOLDER: its teaching weeks (a section's hours are its "
    "weekly periods times these).",
)


@load.command("solve")
@click.argument("folder", type=click.Path(path_type=Path), required=False)
@click.option(
    "--semester",
    help="Instead of FOLDER: a semester stored in the registrar's database (DATABASE_URL), with the "
    "other terms of its academic year.",
)
@SEMESTER_TERM
@SEMESTER_WEEKS
@solve_options
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for assignment.csv, by_teacher.csv and by_department.csv.",
)
@WEIGHT_OPTION
def load_solve(
    folder: Path | None,
    semester: str | None,
    term: int,
    weeks: int,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
    weights: tuple[str, ...],
) -> None:
    """Assign teachers to the load items of FOLDER (teachers and items tables, or a registrar's
    semester folder) or of a stored --semester, and balance the load."""
    from solver.load.solve import solve_load

    if (folder is None) == (semester is None):
        raise click.UsageError("give either FOLDER or --semester (a semester of the database), not both")
    scenario = _scenario(weights)
    _refuse_file_output(output)
    check_output_file(json_report, "--json")
    warnings: list[str] = []
    if semester is not None:
        problem, warnings = _stored_load(semester)
    else:
        assert folder is not None
        problem = _read(lambda: read_year_load(folder, term, weeks))
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    hours = sum(item.hours for item in problem.items)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.teachers)} teachers, {len(problem.items)} load items, "
        f"{hours:,} hours; {time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    with progress_display(time_limit) as listener:
        outcome = solve_load(problem, parameters, scenario, listener=listener)
    outcome.report.warnings = [*warnings, *outcome.report.warnings]  # the records' first, then the run's
    print_report(outcome.report)
    if outcome.evaluation is not None:
        print_evaluation(problem, outcome.evaluation)
    if outcome.solution is not None:
        _print_departments(problem, outcome.solution)
    if json_report is not None:
        report = outcome.report.model_dump_json(indent=2)
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if output is not None and outcome.solution is not None:
        solution = outcome.solution
        write_or_exit(output, lambda: _write_statement(problem, solution, output))
        console.print(f"assignment written to {output}/ (assignment.csv, by_teacher.csv, by_department.csv)")
    if outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        sys.exit(1)


def _stored_load(name: str) -> tuple[LoadProblem, list[str]]:
    """The load of a stored semester's academic year, as the service's load runs build it, and what in
    the records looks mistaken; a semester the database does not hold ends the command in words."""
    from cli.database import open_database
    from service.storage.records import StorageError, semester_named
    from service.teaching_load import course_warnings, load_problem

    database = open_database()
    try:
        with database.transaction() as session:
            return load_problem(session, semester_named(session, name)), course_warnings(session)
    except (StorageError, DatasetError) as error:
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
    finally:
        database.dispose()


@load.command("together")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("lessons", type=click.Path(path_type=Path))
@click.option(
    "--format", "file_format", type=LESSON_FORMATS, help="The lessons' format. " + LESSON_FORMAT_HELP
)
@click.option(
    "--term",
    type=click.IntRange(1, 2),
    help="The timetable is this term's: the other term's items keep their sections for its own.",
)
@click.option(
    "--department",
    "departments",
    multiple=True,
    help="Decide only this department's load (and whoever may teach it; repeat for several); the "
    "other departments' sections keep the teachers LESSONS names.",
)
@click.option(
    "--timetable",
    "published",
    type=click.Path(path_type=Path),
    help="The published timetable, in LESSONS' format: the meetings of sections the load does not "
    "decide stay where it puts them.",
)
@click.option(
    "--plan",
    type=click.Path(path_type=Path),
    help="The distribution the published timetable was made with (item,teachers rows, as `solve "
    "--output` writes assignment.csv; for a registrar's semester folder, the teachers its sections name): "
    "with --timetable, that pair is a start, so nothing worse comes back.",
)
@SEMESTER_WEEKS
@solve_options
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the load's tables (as `solve` writes them) and the timetable (timetable/).",
)
@WEIGHT_OPTION
def load_together(
    folder: Path,
    lessons: Path,
    file_format: str | None,
    term: int | None,
    departments: tuple[str, ...],
    published: Path | None,
    plan: Path | None,
    weeks: int,
    time_limit: float,
    workers: int | None,
    seed: int,
    output: Path | None,
    json_report: Path | None,
    weights: tuple[str, ...],
) -> None:
    """Decide the load of FOLDER and the timetable of LESSONS at once (small cases): no teacher is
    given two sections the timetable can only hold at the same time. With --department and
    --timetable, one department is re-staffed and its sections re-timed within a published
    semester."""
    from datasets.lessons_io import read_lesson_problem, read_lesson_solution, write_lesson_solution
    from solver.load.components import Part, of_departments, on_part
    from solver.load.together import NotTogether, solve_together

    scenario = _scenario(weights)
    _refuse_file_output(output)
    check_output_file(json_report, "--json")
    if plan is not None and published is None:
        raise click.BadParameter(
            "a plan is the published timetable's: give --timetable too", param_hint="--plan"
        )
    year = _read(lambda: read_year_load(folder, term or 1, weeks))
    try:
        part = of_departments(year, departments) if departments else Part.whole(year)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--department") from None
    problem = part.problem
    distributed = None
    given = _read(lambda: read_assignment(plan, year)) if plan is not None else None
    if given is None and published is not None and is_registrar_folder(folder):
        given = present_teachers(year)  # the timetable was published with the sections' teachers
    if given is not None:
        try:
            distributed = on_part(year, part, given)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--plan") from None
    timetable = _read(lambda: read_lesson_problem(lessons, file_format))
    kept = _read(lambda: read_lesson_solution(published, timetable)) if published is not None else None
    parameters = SolveParameters(time_limit=time_limit, workers=workers or default_workers(), seed=seed)
    console.print(
        f"[bold]{problem.name}[/]: {len(problem.teachers)} teachers, {len(problem.items)} load items; "
        f"[bold]{timetable.name}[/]: {len(timetable.sections)} sections, {len(timetable.meetings)} "
        f"meetings; {time_limit:g} s on {parameters.workers} workers, seed {seed}"
    )
    if published is not None:
        console.print(f"the meetings of sections no load item decides stay where {published} puts them")
    try:
        with progress_display(time_limit) as listener:
            outcome = solve_together(
                problem, timetable, parameters, scenario, listener, term, kept, distributed
            )
    except NotTogether as error:  # a section the timetable lacks, or a case too large
        console.print(f"[red]error:[/] {error}", soft_wrap=True)
        sys.exit(2)
    print_report(outcome.report)
    if outcome.load is not None and outcome.load_evaluation is not None:
        print_evaluation(problem, outcome.load_evaluation)
        _print_departments(problem, outcome.load)
    if outcome.lesson_evaluation is not None:
        console.print("the timetable:")
        print_evaluation(outcome.timetable, outcome.lesson_evaluation)
    if json_report is not None:
        report = outcome.report.model_dump_json(indent=2)
        write_or_exit(json_report, lambda: json_report.write_text(report))
    if output is not None and outcome.load is not None and outcome.lessons is not None:
        assignment, placed = outcome.load, outcome.lessons
        write_or_exit(output, lambda: _write_statement(problem, assignment, output))
        write_or_exit(output, lambda: write_lesson_solution(placed, outcome.timetable, output / "timetable"))
        console.print(f"assignment and timetable written to {output}/", soft_wrap=True)
    if outcome.report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN):
        sys.exit(1)


@load.command("check")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("assignment", type=click.Path(path_type=Path))
@SEMESTER_TERM
@SEMESTER_WEEKS
def load_check(folder: Path, assignment: Path, term: int, weeks: int) -> None:
    """Check a department's distribution ASSIGNMENT (item, teachers) against the rules; exit 1 when
    it breaks a hard rule (unqualified, language mismatch, overload, ...)."""
    from constraints.load import evaluate

    year = _read(lambda: read_year_load(folder, term, weeks))
    part, solution = covered(year, _read(lambda: read_assignment(assignment, year)))
    problem = part.problem
    departments = sorted({item.department for item in problem.items})
    if len(part.items) < len(year.items):
        others = sum(1 for t in problem.teachers if t.department not in departments)
        console.print(
            f"checked {', '.join(d or '-' for d in departments)}: {len(problem.items)} of the year's "
            f"{len(year.items)} items and {len(problem.teachers) - others} teachers"
            + (f"; {_teachers_elsewhere(others)} judged on their hours here alone" if others else ""),
            soft_wrap=True,
        )
    evaluation = evaluate(problem, solution)
    _print_departments(problem, solution, departments)
    _print_teachers(problem, solution)
    print_evaluation(problem, evaluation, show_hard=True)
    if not evaluation.feasible:
        sys.exit(1)


@load.command("actual")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("actual", type=click.Path(path_type=Path))
@click.option(
    "--plan",
    type=click.Path(path_type=Path),
    help="The planned distribution [FOLDER/assignment.csv; for a registrar's semester folder, the "
    "teachers its sections name].",
)
@click.option(
    "--term",
    type=click.IntRange(1, 2),
    help="The hours are one term's: compare with its plan (for a registrar's semester folder, also "
    "the term it is; default 1).",
)
@SEMESTER_WEEKS
def load_actual(folder: Path, actual: Path, plan: Path | None, term: int | None, weeks: int) -> None:
    """Compare the hours ACTUAL (teacher, hours[, item]) with the plan, per teacher and department."""
    problem = _read(lambda: read_year_load(folder, term or 1, weeks))
    if plan is None and is_registrar_folder(folder):  # the sections' teachers are the plan so far
        planned = named_now(problem)
    else:
        planned = _read(lambda: read_assignment(plan or folder / "assignment.csv", problem))
    rows = _read(lambda: read_actual(actual, problem))
    hours: dict[str, int] = {}
    for row in rows:
        hours[row.teacher] = hours.get(row.teacher, 0) + row.hours
    teachers, departments = actual_lines(problem, planned, hours, term)
    scope = f"term {term}" if term else "the year"
    if len(teachers) < len(problem.teachers):
        scope += f"; {', '.join(line.name or '-' for line in departments)}: {len(teachers)} teachers"
    console.print(f"actual hours against the plan, {scope}", soft_wrap=True)
    off_plan = sorted((line for line in teachers if line.deviation), key=lambda line: -abs(line.deviation))
    for title, lines in (("by department", departments), ("teachers off plan", off_plan)):
        table = Table(title=f"actual against planned hours, {title}")
        for column in ("name", "planned", "actual", "deviation"):
            table.add_column(column, justify="left" if column == "name" else "right")
        for line in lines:
            table.add_row(line.name, f"{line.planned:,}", f"{line.actual:,}", f"{line.deviation:+,}")
        console.print(table)
    taught = [(row.teacher, row.item, row.hours) for row in rows if row.item]
    others = substitutions(problem, planned, taught)
    if others:
        table = Table(title="items taught by someone the plan did not put on them")
        for column in ("item", "planned", "taught by", "hours"):
            table.add_column(column, justify="right" if column == "hours" else "left")
        for found in others:
            table.add_row(found.item, "; ".join(found.planned) or "-", found.taught_by, f"{found.hours:,}")
        console.print(table)


@load.command("generate")
@click.option("--teachers", type=click.IntRange(min=14), default=300, show_default=True)
@click.option("--sections", type=click.IntRange(min=14), default=1500, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True, help="Campuses.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), required=True)
def load_generate(teachers: int, sections: int, seed: int, scale: int, output: Path) -> None:
    """Write a synthetic year of teaching load as teachers.csv and items.csv."""
    check_output_folder(output, "--output")
    problem = generate_load(teachers, sections, seed, scale)
    write_or_exit(output, lambda: write_load_tables(problem, output))
    console.print(
        f"{len(problem.teachers)} teachers, {len(problem.items)} load items "
        f"({sum(item.hours for item in problem.items):,} hours) written to {output}/"
    )


def _refuse_file_output(output: Path | None) -> None:
    """Refused before the solve: a minute's distribution is not to be lost to a typo."""
    if output is not None and output.suffix.lower() in TABLE_SUFFIXES and not output.is_dir():
        raise click.BadParameter(
            f"{output} looks like a file; --output names a folder for assignment.csv, by_teacher.csv and "
            "by_department.csv",
            param_hint="--output",
        )
    check_output_folder(output, "--output")


def _teachers_elsewhere(count: int) -> str:
    return "1 teacher of another department" if count == 1 else f"{count} teachers of other departments"


def _scenario(weights: tuple[str, ...]) -> Scenario:
    """The scenario of `--weight CRITERION=W` options; an unknown criterion or weight is a usage error."""
    chosen: dict[str, int] = {}
    for option in weights:
        name, _, value = option.rpartition("=")
        name = name.strip()
        if name not in SOFT_NAMES:
            known = ", ".join(sorted(SOFT_NAMES))
            raise click.BadParameter(f"{name!r} is not one of: {known}", param_hint="--weight")
        if not value.strip().isdigit():
            raise click.BadParameter(f"{option!r}: the weight must be a whole number", param_hint="--weight")
        chosen[name] = int(value)
    return Scenario(
        weights={name: weight for name, weight in chosen.items() if weight},
        disabled=frozenset(name for name, weight in chosen.items() if not weight),
    )


def _columns(table: Table, first: str) -> None:
    table.add_column(first)
    for column in (*CLASS_COMPONENTS, OTHER, "total", "norm", "over", "under"):
        table.add_column(column, justify="right")


def _row(line: LoadLine, name: str) -> list[str]:
    components = [f"{line.by_component.get(c, 0):,}" for c in (*CLASS_COMPONENTS, OTHER)]
    flags = [f"{line.over:,}" if line.over else "", f"{line.under:,}" if line.under else ""]
    return [name, *components, f"{line.total:,}", f"{line.norm:,}", *flags]


def _print_departments(
    problem: LoadProblem, solution: LoadSolution, only: Collection[str] | None = None
) -> None:
    table = Table(title="planned hours by department")
    _columns(table, "department")
    for line in department_lines(problem, solution):
        if only is None or line.name in only:
            table.add_row(*_row(line, line.name or "-"))
    console.print(table)


def _print_teachers(problem: LoadProblem, solution: LoadSolution) -> None:
    lines = teacher_lines(problem, solution)
    shown = [line for line in lines if line.over or line.under] or lines[:SHOWN_TEACHERS]
    table = Table(
        title="planned hours by teacher" + (" (outside their limits)" if shown is not lines else "")
    )
    _columns(table, "teacher")
    for line in shown[:SHOWN_TEACHERS]:
        table.add_row(*_row(line, line.name))
    console.print(table)


def _write_statement(problem: LoadProblem, solution: LoadSolution, folder: Path) -> None:
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    write_assignment(problem, solution, folder / "assignment.csv")
    header = [
        "name",
        "department",
        *CLASS_COMPONENTS,
        OTHER,
        "total",
        "minimum",
        "norm",
        "target",
        "over",
        "under",
    ]
    for file, lines in (
        ("by_teacher.csv", teacher_lines(problem, solution)),
        ("by_department.csv", department_lines(problem, solution)),
    ):
        with (folder / file).open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            for line in lines:
                components = [line.by_component.get(c, 0) for c in (*CLASS_COMPONENTS, OTHER)]
                limits = [line.minimum, line.norm, line.target, line.over, line.under]
                writer.writerow([line.name, line.department, *components, line.total, *limits])
