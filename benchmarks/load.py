"""Teaching-load benchmark runner: the generated year at 300 teachers / 1,500 sections and ten times
that, each run in its own process.

Results accumulate in `benchmarks/results/load.csv` (one row per instance, time limit, workers and
seed; a new run replaces the old row) and `load.md` is rewritten from it each time.
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
    results_folder,
    row_key,
    run_isolated,
    stamp,
    table,
    write_results,
)

RESULTS = Path(__file__).parent / "results"
# name -> (teachers, sections per campus, campuses), generated with seed 1
SIZES = {"load-300": (300, 1500, 1), "load-3000": (300, 1500, 10)}
FIELDS = [
    "instance",
    "teachers",
    "items",
    "sections",
    "time_limit",
    "workers",
    "seed",
    "status",
    "objective",
    "bound",
    "gap",
    "first_feasible_s",
    "best_at_s",
    "elapsed_s",
    "largest_deviation_h",
    "variables",
    "peak_memory_mb",
    "error",
    "date",
    "commit",
    "machine",
]


def _run(name: str, time_limit: float, workers: int, seed: int) -> Row:
    """Generate and solve one size (called in a fresh process, so its peak memory is its own)."""
    from datasets.load_generator import generate_load
    from models import SolveParameters
    from solver.load.solve import solve_load

    teachers, sections, scale = SIZES[name]
    problem = generate_load(teachers, sections, seed=1, scale=scale)
    outcome = solve_load(problem, SolveParameters(time_limit=time_limit, workers=workers, seed=seed))
    report = outcome.report
    largest = outcome.evaluation.breakdown().get("largest deviation") if outcome.evaluation else None
    weight = len(problem.teachers) + 1
    return {
        "teachers": len(problem.teachers),
        "items": len(problem.items),
        "sections": sum(1 for item in problem.items if item.is_class),
        "status": report.status.value,
        "objective": report.objective,
        "bound": report.best_bound,
        "gap": report.gap,
        "first_feasible_s": report.time_to_first_feasible,
        "best_at_s": report.time_to_best,
        "elapsed_s": report.elapsed,
        "largest_deviation_h": None if largest is None else largest // weight,
        "variables": report.variables,
    }


def run_one(name: str, time_limit: float, workers: int, seed: int) -> Row:
    result = run_isolated(_run, (name, time_limit, workers, seed), timeout=time_limit * 3 + 300)
    return {"instance": name, "time_limit": time_limit, "workers": workers, "seed": seed, **stamp(), **result}


def save(rows: dict[Key, Row], directory: Path) -> None:
    order = list(SIZES)
    ordered = sorted(rows.values(), key=lambda r: (order.index(str(r["instance"])), number(r["time_limit"])))
    write_results(directory, "load", FIELDS, ordered, markdown)


COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("teachers", "teachers", None),
    ("items", "items", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("status", "status", None),
    ("objective", "objective", 0),
    ("bound", "bound", 0),
    ("gap", "gap", 3),
    ("first feasible s", "first_feasible_s", 2),
    ("best at s", "best_at_s", 1),
    ("largest deviation h", "largest_deviation_h", 0),
    ("variables (largest part)", "variables", 0),
    ("peak MB", "peak_memory_mb", 0),
    ("error", "error", None),
    ("date", "date", None),
    ("commit", "commit", None),
]


def markdown(rows: list[Row]) -> str:
    lines = [
        "# Teaching-load benchmarks",
        "",
        "Written by `make bench-load` (`python -m benchmarks.load`). Each run is a fresh process that",
        "generates the year (`datasets/load_generator.py`, seed 1: `load-300` is 300 teachers and 1,500",
        "class sections plus non-class items; `load-3000` is ten such campuses) and solves it with the",
        "default weights. The objective is the independent checker's total; the bound is, per part,",
        "the best of CP-SAT's, the LP's, column generation's over whole per-teacher loads and the",
        "bounds every distribution pays (the largest deviation's raised where whole loads prove a part",
        "cannot be held within it), proven for the engine's order (largest deviation first, then the",
        "weighted rest; see `docs/load.md`). The bounds are worked out in a second process beside the",
        "search (its memory is not in the peak column). First feasible is the greedy plan when it",
        "keeps every hard rule.",
        "",
    ]
    lines += machine_lines(rows)
    lines += table(rows, COLUMNS) + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument(
        "--large-time-limits", type=float, nargs="+", default=[10.0, 60.0, 300.0], help="For load-3000."
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instances", nargs="*", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    rows = load_rows(args.results / "load.csv")
    compile_move_loops()  # the annealing is compiled once, outside every measured run
    for name in args.instances:
        limits = args.large_time_limits if name == "load-3000" else args.time_limits
        for time_limit in limits:
            row = run_one(name, time_limit, args.workers, args.seed)
            rows[row_key(row)] = row
            save(rows, args.results)
            print(
                f"{name:10s} {time_limit:5.0f}s status={row.get('status')} objective={row.get('objective')} "
                f"bound={row.get('bound')} gap={row.get('gap')} first={row.get('first_feasible_s')} "
                f"{row.get('error') or ''}",
                flush=True,
            )


if __name__ == "__main__":
    main()
