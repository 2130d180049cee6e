"""Load and lessons benchmark: a generated department's load and its term-1 week of lessons, solved
in turn by the engine (the load, then the lessons with its teachers, half the time each) and
together (`solve_together`, the whole time), each run in its own process.

Results accumulate in `benchmarks/results/together.csv` (one row per instance, time limit, workers
and seed; a new run replaces the old row) and `together.md` is rewritten from it each time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.compiled import compile_move_loops
from benchmarks.runs import (
    Column,
    Key,
    Row,
    load_rows,
    machine_lines,
    number,
    row_key,
    run_isolated,
    stamp,
    table,
    write_results,
)

RESULTS = Path(__file__).parent / "results"
# name -> (department of the generated 300-teacher year, seed 1; days of its week)
INSTANCES = {
    "week-economics": ("Economics", 5),
    "week-languages": ("Languages", 4),
    "week-computer-engineering": ("Computer Engineering", 5),
}
FIELDS = [
    "instance",
    "teachers",
    "items",
    "sections",
    "meetings",
    "time_limit",
    "workers",
    "seed",
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


def _run(name: str, time_limit: float, workers: int, seed: int) -> Row:
    """Generate the department and its week, solve them in turn and then together (in a fresh process)."""
    import constraints.lessons as lesson_rules
    from datasets.load_generator import department_week, generate_load
    from models import SolveParameters
    from solver.lessons.solve import solve_lessons
    from solver.load.apply import apply_to_lessons
    from solver.load.components import split
    from solver.load.solve import solve_load
    from solver.load.together import solve_together

    department, days = INSTANCES[name]
    part = next(
        part.problem
        for part in split(generate_load(300, 1500, seed=1))
        if part.problem.items[0].department == department
    )
    week = department_week(part, term=1, days=days)
    half = SolveParameters(time_limit=time_limit / 2, workers=workers, seed=seed)
    load = solve_load(part, half)
    row: Row = {
        "teachers": len(part.teachers),
        "items": len(part.items),
        "sections": len(week.sections),
        "meetings": len(week.meetings),
        "in_turn_load": load.report.objective,
    }
    if load.solution is not None:
        # items of the other term name sections the week does not have, and are left out
        applied = apply_to_lessons(week, part, load.solution)
        lessons = solve_lessons(applied, half)
        if lessons.solution is not None:
            evaluation = lesson_rules.evaluate(applied, lessons.solution)
            if evaluation.feasible and load.report.objective is not None:
                row["in_turn_lessons"] = evaluation.total
                row["in_turn_total"] = load.report.objective + evaluation.total
    outcome = solve_together(
        part, week, SolveParameters(time_limit=time_limit, workers=workers, seed=seed), term=1
    )
    report = outcome.report
    started = [point.objective for point in report.progress if point.note == "in turn"]
    return row | {
        "status": report.status.value,
        "load": outcome.load_evaluation.total if outcome.load_evaluation else None,
        "lessons": outcome.lesson_evaluation.total if outcome.lesson_evaluation else None,
        "total": report.objective,
        "bound": report.best_bound,
        "start": started[0] if started else None,
        "first_feasible_s": report.time_to_first_feasible,
        "elapsed_s": report.elapsed,
        "variables": report.variables,
    }


def run_one(name: str, time_limit: float, workers: int, seed: int) -> Row:
    result = run_isolated(_run, (name, time_limit, workers, seed), timeout=time_limit * 4 + 300)
    return {"instance": name, "time_limit": time_limit, "workers": workers, "seed": seed, **stamp(), **result}


def save(rows: dict[Key, Row], directory: Path) -> None:
    order = list(INSTANCES)
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
        "time (0.4 of it for the load, 0.6 of the rest for the lessons) before CP-SAT searches from it;",
        "the bound is CP-SAT's over the joint model.",
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
    parser.add_argument("--instances", nargs="*", choices=list(INSTANCES), default=list(INSTANCES))
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = load_rows(args.results / "together.csv")
    compile_move_loops()  # the annealing is compiled once, outside every measured run
    for name in args.instances:
        for time_limit in args.time_limits:
            row = run_one(name, time_limit, args.workers, args.seed)
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
