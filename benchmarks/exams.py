"""Exam benchmark runner: ITC 2007 sets and Toronto instances, each run in its own process.

Results accumulate in `benchmarks/results/exams.csv` (one row per instance, time limit, workers
and seed; a new run replaces the old row) and `exams.md` is rewritten from it each time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.reference import (
    ITC2007_LATER_AVERAGE,
    ITC2007_PUBLISHED_BEST,
    ITC2007_UNITIME,
    TORONTO_PUBLISHED_BEST,
)
from benchmarks.runs import (
    Column,
    Key,
    Row,
    chosen,
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
from datasets import BUNDLED_ITC2007, BUNDLED_TORONTO, bundled_instance, read_exam_problem

RESULTS = Path(__file__).parent / "results"
ITC_PREFIX = "exam_comp_"  # the tables show set1 for exam_comp_set1
FIELDS = [
    "instance",
    "family",
    "time_limit",
    "workers",
    "seed",
    "feasible",
    "cost",
    "normalised",
    "bound",
    "gap",
    "first_feasible_s",
    "best_at_s",
    "lns_steps",
    "peak_memory_mb",
    "published",
    "ratio_to_published",
    "unitime",
    "ratio_to_unitime",
    "date",
    "commit",
    "machine",
]


def _run(name: str, time_limit: float, workers: int, seed: int) -> Row:
    """Solve one instance (called in a fresh process, so its peak memory is its own)."""
    from models import SolveParameters
    from solver.exams.solve import solve_exams

    problem = read_exam_problem(bundled_instance(name))
    parameters = SolveParameters(time_limit=time_limit, workers=workers, seed=seed)
    outcome = solve_exams(problem, parameters)
    report = outcome.report
    evaluation = outcome.evaluation
    return {
        "feasible": evaluation is not None and evaluation.feasible,
        "cost": evaluation.total if evaluation else None,
        "normalised": evaluation.normalised_total if evaluation else None,
        "bound": report.best_bound,
        "gap": report.gap,
        "first_feasible_s": report.time_to_first_feasible,
        "best_at_s": report.time_to_best,
        "lns_steps": report.lns_steps,
    }


def run_one(name: str, time_limit: float, workers: int, seed: int) -> Row:
    result = run_isolated(_run, (name, time_limit, workers, seed), timeout=time_limit * 3 + 120)
    if "error" in result:  # a crashed or hung run is recorded as such
        result = {"feasible": False}
    family = "itc2007" if name in BUNDLED_ITC2007 else "toronto"
    row: Row = {
        "instance": name,
        "family": family,
        "time_limit": time_limit,
        "workers": workers,
        "seed": seed,
        **stamp(),
        **result,
    }
    published: float
    if family == "itc2007":
        published = ITC2007_PUBLISHED_BEST[name]
        unitime = ITC2007_UNITIME.get(int(time_limit), {}).get(name)
        measured = row.get("cost")
    else:
        published, unitime, measured = TORONTO_PUBLISHED_BEST[name], None, row.get("normalised")
    row["published"] = published
    row["unitime"] = unitime
    if isinstance(measured, int | float) and row.get("feasible"):
        row["ratio_to_published"] = round(measured / published, 3)
        if unitime:
            row["ratio_to_unitime"] = round(measured / unitime, 3)
    return row


def save(rows: dict[Key, Row], directory: Path) -> None:
    ordered = sorted(
        rows.values(), key=lambda r: (str(r["family"]), _order(str(r["instance"])), number(r["time_limit"]))
    )
    write_results(directory, "exams", FIELDS, ordered, markdown)


def _order(name: str) -> int:
    names = list(BUNDLED_ITC2007) + list(BUNDLED_TORONTO)
    return names.index(name) if name in names else len(names)


ITC_COLUMNS: list[Column] = [
    ("set", "instance", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("feasible", "feasible", None),
    ("cost", "cost", 0),
    ("bound", "bound", 0),
    ("gap", "gap", 3),
    ("first feasible s", "first_feasible_s", 1),
    ("best at s", "best_at_s", 1),
    ("LNS steps", "lns_steps", 0),
    ("peak MB", "peak_memory_mb", 0),
    ("UniTime, same limit", "unitime", 0),
    ("ratio to UniTime", "ratio_to_unitime", 3),
    ("2008 best (Müller)", "published", 0),
    ("ratio to it", "ratio_to_published", 3),
    ("Bykov & Petrovic 2013 avg", "later_average", 0),
    ("date", "date", None),
    ("commit", "commit", None),
]
TORONTO_COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("feasible", "feasible", None),
    ("cost per student", "normalised", 3),
    ("total", "cost", 0),
    ("first feasible s", "first_feasible_s", 1),
    ("best at s", "best_at_s", 1),
    ("LNS steps", "lns_steps", 0),
    ("peak MB", "peak_memory_mb", 0),
    ("best published", "published", 2),
    ("ratio to best", "ratio_to_published", 3),
    ("date", "date", None),
    ("commit", "commit", None),
]


def _table(rows: list[Row], columns: list[Column]) -> list[str]:
    return table(rows, columns, lambda text: text.replace(ITC_PREFIX, ""))


def markdown(rows: list[Row]) -> str:
    lines = [
        "# Exam timetabling benchmarks",
        "",
        "Written by `make bench-exams` (`python -m benchmarks.exams`). Each run is a fresh process;",
        "cost is the independent checker's score of the reported timetable. Bound is the engine's",
        "proven lower bound (on the LNS path only the penalties no timetable avoids, hence large gaps).",
        "For ITC 2007 the 2008 best is Müller's submitted best of 100 runs; later algorithms average",
        "lower (Bykov & Petrovic 2013 shown), so a ratio below 1 to the 2008 value is not a record.",
        "",
    ]
    lines += machine_lines(rows)
    itc = [
        {**r, "later_average": ITC2007_LATER_AVERAGE.get(str(r["instance"]))}
        for r in rows
        if r["family"] == "itc2007"
    ]
    toronto = [r for r in rows if r["family"] == "toronto"]
    if itc:
        lines += ["## ITC 2007 examination track (soft cost, lower is better)", ""]
        lines += _table(itc, ITC_COLUMNS) + [""]
    if toronto:
        lines += ["## Toronto (average proximity cost per student, lower is better)", ""]
        lines += _table(toronto, TORONTO_COLUMNS) + [""]
    return "\n".join(lines)


def _full_name(name: str) -> str:
    """An ITC 2007 set as the tables name it (set1) is the bundled exam_comp_set1."""
    return ITC_PREFIX + name if ITC_PREFIX + name in BUNDLED_ITC2007 else name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limits", type=float, nargs="+", default=[60.0, 300.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--families", nargs="+", choices=["itc2007", "toronto"], default=["itc2007", "toronto"]
    )
    parser.add_argument(
        "--instances",
        nargs="*",
        help="Only these instances (exam_comp_set1, or set1 as the tables show it; car-s-91, ...).",
    )
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    names = [n for n in BUNDLED_ITC2007 if "itc2007" in args.families]
    names += [n for n in BUNDLED_TORONTO if "toronto" in args.families]
    asked = [_full_name(name) for name in args.instances or []]
    names = chosen(parser, asked, names, [*BUNDLED_ITC2007, *BUNDLED_TORONTO])
    rows = load_rows(args.results / "exams.csv")
    for time_limit in args.time_limits:
        for name in names:
            row = run_one(name, time_limit, args.workers, args.seed)
            rows[row_key(row)] = row
            save(rows, args.results)
            print(
                f"{name:16s} {time_limit:5.0f}s feasible={row.get('feasible')} cost={row.get('cost')} "
                f"normalised={row.get('normalised')} ratio={row.get('ratio_to_published')}",
                flush=True,
            )


if __name__ == "__main__":
    main()
