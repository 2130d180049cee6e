"""Load and lessons benchmark: a generated department's load and its term-1 week of lessons, solved
in turn by the engine (the load, then the lessons with its teachers, half the time each) and
together (`solve_together`, the whole time), each run in its own process. The `within-` instances
re-decide one department of a three-department faculty whose week was published first (its load
and then its lessons, solved in turn): the department's load and its sections' meetings, every other
meeting kept where it was published.

Results accumulate in `benchmarks/results/together.csv` (one row per instance, time limit, workers
and seed; a new run replaces the old row) and `together.md` is rewritten from it each time.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.compiled import compile_move_loops
from benchmarks.runs import (
    Column,
    Key,
    Row,
    load_rows,
    machine_lines,
    number,
    results_folder,
    row_key,
    run_isolated,
    stamp,
    table,
    write_results,
)

if TYPE_CHECKING:
    from models import LessonProblem, LessonSolution
    from models.load import LoadProblem, LoadSolution

RESULTS = Path(__file__).parent / "results"
# name -> (department of the generated 300-teacher year, seed 1; days of its week)
INSTANCES = {
    "week-economics": ("Economics", 5),
    "week-languages": ("Languages", 4),
    "week-computer-engineering": ("Computer Engineering", 5),
}
# name -> department re-decided within FACULTY's published week (5 days, two sets of rooms)
WITHIN = {
    "within-economics": "Economics",
    "within-languages": "Languages",
    "within-computer-engineering": "Computer Engineering",
}
FACULTY = ("Economics", "Languages", "Computer Engineering")
PUBLISHING = (20.0, 40.0)  # seconds for the faculty's load and then its lessons (not measured)
FIELDS = [
    "instance",
    "teachers",
    "items",
    "sections",
    "meetings",
    "time_limit",
    "workers",
    "seed",
    "publishing_s",
    "published_load",
    "published_lessons",
    "published_total",
    "in_turn_load",
    "in_turn_lessons",
    "in_turn_total",
    "status",
    "load",
    "lessons",
    "total",
    "bound",
    "start",
    "first_feasible_s",
    "elapsed_s",
    "variables",
    "peak_memory_mb",
    "error",
    "date",
    "commit",
    "machine",
]


def _run(name: str, time_limit: float, workers: int, seed: int, publishing: tuple[float, float]) -> Row:
    """Generate the department and its week (or the faculty and its published week), solve them in
    turn and then together (in a fresh process)."""
    from datasets.load_generator import department_week, generate_load
    from solver.load.components import of_departments

    year = generate_load(300, 1500, seed=1)
    if name in WITHIN:
        return _within(year, WITHIN[name], time_limit, workers, seed, publishing)
    department, days = INSTANCES[name]
    part = of_departments(year, {department}).problem
    week = department_week(part, term=1, days=days)
    return _in_turn_and_together(part, week, None, None, time_limit, workers, seed)


def _within(
    year: LoadProblem,
    department: str,
    time_limit: float,
    workers: int,
    seed: int,
    publishing: tuple[float, float],
) -> Row:
    """The faculty's load and then its lessons published, then the department re-decided within it."""
    import constraints.load as load_rules
    from datasets.load_generator import department_week
    from models import SolveParameters
    from solver.lessons.solve import solve_lessons
    from solver.load.apply import apply_to_lessons
    from solver.load.components import of_departments, on_part
    from solver.load.solve import solve_load

    faculty = of_departments(year, set(FACULTY)).problem
    week = department_week(faculty, term=1, days=5, room_sets=2)
    load_time, lessons_time = publishing
    load = solve_load(faculty, SolveParameters(time_limit=load_time, workers=workers, seed=seed))
    if load.solution is None:
        return {"error": "the faculty's load has no distribution to publish"}
    published_week = apply_to_lessons(week, faculty, load.solution)
    lessons = solve_lessons(
        published_week, SolveParameters(time_limit=lessons_time, workers=workers, seed=seed)
    )
    if lessons.solution is None or lessons.evaluation is None or not lessons.evaluation.feasible:
        return {"error": "the faculty's week has no timetable to publish"}
    scope = of_departments(faculty, {department})
    kept = on_part(faculty, scope, load.solution)
    published_load = load_rules.evaluate(scope.problem, kept).total
    row = _in_turn_and_together(
        scope.problem, published_week, lessons.solution, kept, time_limit, workers, seed
    )
    return row | {
        "publishing_s": f"{load_time:g} + {lessons_time:g}",
        "published_load": published_load,
        "published_lessons": lessons.evaluation.total,
        "published_total": published_load + lessons.evaluation.total,
    }


def _in_turn_and_together(
    part: LoadProblem,
    week: LessonProblem,
    published: LessonSolution | None,
    plan: LoadSolution | None,
    time_limit: float,
    workers: int,
    seed: int,
) -> Row:
    """The part's load and the week solved in turn (half the time each) and together; with a published
    timetable, the meetings of sections the part does not decide stay where it puts them, and the
    published pair (`plan` with it) is one of the joint solve's starts."""
    import constraints.lessons as lesson_rules
    from models import Scenario, SolveParameters
    from solver.lessons.solve import solve_lessons
    from solver.load.apply import apply_to_lessons
    from solver.load.solve import solve_load
    from solver.load.together import kept_in_place, solve_together

    half = SolveParameters(time_limit=time_limit / 2, workers=workers, seed=seed)
    load = solve_load(part, half)
    row: Row = {
        "teachers": len(part.teachers),
        "items": len(part.items),
        "sections": len(week.sections),
        "meetings": len(week.meetings),
        "in_turn_load": load.report.objective,
    }
    kept = kept_in_place(part, week, published, term=1) if published is not None else Scenario()
    if load.solution is not None:
        # items of the other term name sections the week does not have, and are left out
        applied = apply_to_lessons(week, part, load.solution)
        lessons = solve_lessons(applied, half, kept, start=published)
        if lessons.solution is not None:
            evaluation = lesson_rules.evaluate(applied, lessons.solution)
            if evaluation.feasible and load.report.objective is not None:
                row["in_turn_lessons"] = evaluation.total
                row["in_turn_total"] = load.report.objective + evaluation.total
    outcome = solve_together(
        part,
        week,
        SolveParameters(time_limit=time_limit, workers=workers, seed=seed),
        term=1,
        published=published,
        plan=plan,
    )
    report = outcome.report
    started = [point.objective for point in report.progress if point.note in ("in turn", "published")]
    return row | {
        "status": report.status.value,
        "load": outcome.load_evaluation.total if outcome.load_evaluation else None,
        "lessons": outcome.lesson_evaluation.total if outcome.lesson_evaluation else None,
        "total": report.objective,
        "bound": report.best_bound,
        "start": min(started, default=None),
        "first_feasible_s": report.time_to_first_feasible,
        "elapsed_s": report.elapsed,
        "variables": report.variables,
    }


def run_one(
    name: str, time_limit: float, workers: int, seed: int, publishing: tuple[float, float] = PUBLISHING
) -> Row:
    result = run_isolated(
        _run, (name, time_limit, workers, seed, publishing), timeout=time_limit * 4 + sum(publishing) + 300
    )
    return {"instance": name, "time_limit": time_limit, "workers": workers, "seed": seed, **stamp(), **result}


def save(rows: dict[Key, Row], directory: Path) -> None:
    order = [*INSTANCES, *WITHIN]
    ordered = sorted(rows.values(), key=lambda r: (order.index(str(r["instance"])), number(r["time_limit"])))
    write_results(directory, "together", FIELDS, ordered, markdown)


COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("teachers", "teachers", None),
    ("sections", "sections", None),
    ("meetings", "meetings", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("publishing s", "publishing_s", None),
    ("published: load", "published_load", 0),
    ("lessons", "published_lessons", 0),
    ("total", "published_total", 0),
    ("in turn: load", "in_turn_load", 0),
    ("lessons", "in_turn_lessons", 0),
    ("total", "in_turn_total", 0),
    ("together: status", "status", None),
    ("load", "load", 0),
    ("lessons", "lessons", 0),
    ("total", "total", 0),
    ("bound", "bound", 0),
    ("its start", "start", 0),
    ("first feasible s", "first_feasible_s", 1),
    ("elapsed s", "elapsed_s", 1),
    ("variables", "variables", 0),
    ("peak MB", "peak_memory_mb", 0),
    ("error", "error", None),
    ("date", "date", None),
    ("commit", "commit", None),
]


def markdown(rows: list[Row]) -> str:
    lines = [
        "# Load and lessons together",
        "",
        "Written by `make bench-together` (`python -m benchmarks.together`). Each run is a fresh process",
        "that generates the 300-teacher year (`datasets/load_generator.py`, seed 1), takes one",
        "department's load and its term-1 week of lessons (`department_week`: a section per class item,",
        "weekly periods = hours / 15, a cohort per group and its lecture, 6 periods a day, 8 rooms in two",
        "buildings), and solves them twice with the default weights: *in turn*, the load and then the",
        "lessons with its teachers, half the time each (no total when that timetable breaks a hard",
        "rule); *together*, `registrar load together` for the whole time. Totals are the checkers'",
        "(load plus timetable); *its start* is the pair the joint solve makes in turn inside its own",
        "time (0.4 of it for the load, 0.6 of the rest for the lessons) before CP-SAT searches from it",
        "(within a published week, the better of that and the published pair);",
        "the bound is CP-SAT's over the joint model.",
        "",
        "The `within-` rows re-decide one department of a faculty of three (Economics, Languages and",
        "Computer Engineering: 52 teachers, 120 sections and 343 meetings in term 1, 5 days, two sets of",
        "the 8 rooms) whose week was published first: its load and then its lessons, in turn, in the",
        "seconds *publishing s* gives. *published* is what the department's load and the whole",
        "timetable cost as published; in turn and together then decide the department's load and its",
        "sections' meetings again, every other meeting kept where it was published (`registrar load",
        "together --department D --timetable PUBLISHED`); sections and meetings are the whole week's.",
        "",
    ]
    lines += machine_lines(rows)
    lines += table(rows, COLUMNS) + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limits", type=float, nargs="+", default=[30.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--publishing",
        type=float,
        nargs=2,
        default=list(PUBLISHING),
        metavar=("LOAD", "LESSONS"),
        help="seconds for the faculty's load and then its lessons before a within- run",
    )
    parser.add_argument(
        "--instances", nargs="*", choices=[*INSTANCES, *WITHIN], default=[*INSTANCES, *WITHIN]
    )
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    rows = load_rows(args.results / "together.csv")
    compile_move_loops()  # the annealing is compiled once, outside every measured run
    for name in args.instances:
        for time_limit in args.time_limits:
            row = run_one(name, time_limit, args.workers, args.seed, tuple(args.publishing))
            rows[row_key(row)] = row
            save(rows, args.results)
            print(
                f"{name:26s} {time_limit:5.0f}s in turn={row.get('in_turn_total')} "
                f"together={row.get('total')} ({row.get('status')}, bound {row.get('bound')}) "
                f"{row.get('error') or ''}",
                flush=True,
            )


if __name__ == "__main__":
    main()
