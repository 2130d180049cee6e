"""State attestation benchmark: the generated SAC case (30 commissions, 1,200 defences, 3 weeks),
each run in its own process.

Results accumulate in `benchmarks/results/sac.csv` (one row per instance, time limit, workers and
seed; a new run replaces the old row) and `sac.md` is rewritten from it each time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

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
FIELDS = [
    "instance",
    "time_limit",
    "workers",
    "seed",
    "status",
    "objective",
    "bound",
    "gap",
    "first_feasible_s",
    "best_at_s",
    "breakdown",
    "variables",
    "constraints",
    "peak_memory_mb",
    "date",
    "commit",
    "machine",
]
COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("status", "status", None),
    ("first feasible s", "first_feasible_s", 1),
    ("objective", "objective", 0),
    ("bound", "bound", 0),
    ("gap", "gap", 4),
    ("best at s", "best_at_s", 1),
    ("breakdown", "breakdown", None),
    ("peak MB", "peak_memory_mb", 0),
    ("date", "date", None),
    ("commit", "commit", None),
]


def instance_name(data_seed: int) -> str:
    return f"sac-30c-1200d-3w-s{data_seed}"


def _run(data_seed: int, time_limit: float, workers: int, seed: int) -> Row:
    """Generate and solve the case (called in a fresh process, so its peak memory is its own)."""
    from datasets.attestation_generator import generate_attestation
    from models import SolveParameters
    from solver.attestation.solve import solve_attestation

    problem = generate_attestation(seed=data_seed)
    outcome = solve_attestation(problem, SolveParameters(time_limit=time_limit, workers=workers, seed=seed))
    report, evaluation = outcome.report, outcome.evaluation
    breakdown = evaluation.breakdown() if evaluation is not None else {}
    return {
        "status": report.status.value,
        "objective": report.objective,
        "bound": report.best_bound,
        "gap": report.gap,
        "first_feasible_s": report.time_to_first_feasible,
        "best_at_s": report.time_to_best,
        "breakdown": " ".join(f"{name.replace(' ', '-')}={cost}" for name, cost in breakdown.items()),
        "variables": report.variables,
        "constraints": report.constraints,
    }


def run_one(data_seed: int, time_limit: float, workers: int, seed: int) -> Row:
    result = run_isolated(_run, (data_seed, time_limit, workers, seed), timeout=time_limit * 3 + 120)
    return {
        "instance": instance_name(data_seed),
        "time_limit": time_limit,
        "workers": workers,
        "seed": seed,
        **stamp(),
        **({"status": result["error"]} if "error" in result else result),
    }


def markdown(rows: list[Row]) -> str:
    lines = [
        "# State attestation benchmarks",
        "",
        "Written by `make bench-sac` (`python -m benchmarks.attestation`). Each run is a fresh process",
        "solving the generated case (`registrar generate sac FOLDER --seed 1`: 30 commissions, 1,200",
        "defences and 30 state exams over 15 days). The objective is the independent checker's score of",
        "the reported timetable; the bound is proven (the larger of CP-SAT's bound on the whole model and",
        "the sum of the parts' bounds, see docs/attestation.md); gap = (objective - bound) / objective.",
        "First feasible is the greedy start, a timetable that keeps every hard rule.",
        "",
    ]
    lines += machine_lines(rows)
    lines += table(rows, COLUMNS) + [""]
    return "\n".join(lines)


def save(rows: dict[Key, Row], directory: Path) -> None:
    ordered = sorted(
        rows.values(), key=lambda r: (str(r["instance"]), number(r["time_limit"]), number(r["seed"]))
    )
    write_results(directory, "sac", FIELDS, ordered, markdown)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="CP-SAT's seed")
    parser.add_argument("--data-seeds", type=int, nargs="+", default=[1], help="Seeds of the generated case.")
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    rows = load_rows(args.results / "sac.csv")
    for data_seed in args.data_seeds:
        for time_limit in args.time_limits:
            row = run_one(data_seed, time_limit, args.workers, args.seed)
            rows[row_key(row)] = row
            save(rows, args.results)
            print(
                f"{row['instance']} {time_limit:5.0f}s {row.get('status')} objective={row.get('objective')} "
                f"bound={row.get('bound')} gap={row.get('gap')} first={row.get('first_feasible_s')}",
                flush=True,
            )


if __name__ == "__main__":
    main()
