"""Lesson benchmark runner: CB-CTT comp01-comp14 (ITC 2007 track 3), ITC 2007 post-enrolment
1-16 and the generated semester (5,000 students, and ten campuses of them), each run in its own
process.

Results accumulate in `benchmarks/results/lessons.csv` (one row per instance, time limit, workers
and seed; a new run replaces the old row) and `lessons.md` is rewritten from it each time.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.compiled import compile_move_loops
from benchmarks.reference import CBCTT_BEST_KNOWN, CBCTT_UNITIME, PE_PUBLISHED_BEST
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
from datasets import BUNDLED_POST_ENROLMENT, bundled_post_enrolment, read_post_enrolment
from datasets.cbctt import BUNDLED_CTT, bundled_cbctt, read_cbctt
from datasets.registrar_csv import lesson_problem
from datasets.semester import generate_semester
from models import LessonProblem

RESULTS = Path(__file__).parent / "results"
FAMILIES = ("cbctt", "pe", "semester")
SEMESTER_STUDENTS = 5000
SEMESTER_SEED = 1  # the generator's seed: the same semester every run
SEMESTERS: tuple[str, ...] = (f"semester-{SEMESTER_STUDENTS}x1", f"semester-{SEMESTER_STUDENTS}x10")
_SEMESTER = re.compile(r"semester-(\d+)x(\d+)")
FIELDS = [
    "instance",
    "family",
    "time_limit",
    "workers",
    "seed",
    "feasible",
    "cost",
    "distance",
    "bound",
    "gap",
    "first_feasible_s",
    "best_at_s",
    "lns_steps",
    "peak_memory_mb",
    "build_s",
    "students",
    "sections",
    "meetings",
    "best_known_ub",
    "best_known_lb",
    "ratio_to_ub",
    "unitime",
    "ratio_to_unitime",
    "published",
    "note",
    "date",
    "commit",
    "machine",
]


def family_of(name: str) -> str:
    if name in BUNDLED_CTT:
        return "cbctt"
    if name in BUNDLED_POST_ENROLMENT:
        return "pe"
    if _SEMESTER.fullmatch(name):
        return "semester"
    raise ValueError(f"no lesson benchmark instance {name!r}")


def instances(families: list[str]) -> list[str]:
    names: dict[str, tuple[str, ...]] = {
        "cbctt": BUNDLED_CTT,
        "pe": BUNDLED_POST_ENROLMENT,
        "semester": SEMESTERS,
    }
    return [name for family in FAMILIES if family in families for name in names[family]]


def _problem(name: str) -> LessonProblem:
    """The lesson problem of a benchmark instance: read from the bundled file, or generated."""
    family = family_of(name)
    if family == "cbctt":
        return read_cbctt(bundled_cbctt(name))
    if family == "pe":
        return read_post_enrolment(bundled_post_enrolment(name))
    match = _SEMESTER.fullmatch(name)
    assert match is not None
    students, scale = int(match[1]), int(match[2])
    return lesson_problem(generate_semester(students, SEMESTER_SEED, scale), name)


def _run(name: str, time_limit: float, workers: int, seed: int) -> Row:
    """Solve one instance (called in a fresh process, so its peak memory is its own) and score
    the timetable again with the independent checker."""
    import constraints.lessons as lesson_rules
    from constraints.lessons import pe_distance
    from models import SolveParameters
    from solver.lessons.solve import solve_lessons

    started = time.perf_counter()
    problem = _problem(name)
    row: Row = {
        "build_s": time.perf_counter() - started,
        "students": len(problem.registrations),
        "sections": len(problem.sections),
        "meetings": len(problem.meetings),
    }
    outcome = solve_lessons(problem, SolveParameters(time_limit=time_limit, workers=workers, seed=seed))
    report = outcome.report
    row |= {
        "bound": report.best_bound,
        "gap": report.gap,
        "first_feasible_s": report.time_to_first_feasible,
        "best_at_s": report.time_to_best,
        "lns_steps": report.lns_steps,
    }
    if outcome.solution is None:
        return row | {"feasible": False, "note": _short(" ".join(report.explanation)) or "no timetable"}
    check = lesson_rules.evaluate(problem, outcome.solution)
    row |= {"feasible": check.feasible, "cost": check.total}
    distance = [score.penalty for score in check.scores if score.name == pe_distance.NAME]
    if distance:
        row["distance"] = distance[0]
    reported = outcome.evaluation.total if outcome.evaluation else None
    if reported != check.total:
        row["note"] = f"the solver reported {reported}, the checker {check.total}"
    return row


def _short(text: str, most: int = 200) -> str:
    """A note short enough for a table cell."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def run_one(
    name: str, time_limit: float, workers: int, seed: int, memory_limit_mb: float | None = None
) -> Row:
    family = family_of(name)
    timeout = time_limit * 3 + (600 if family == "semester" else 120)
    result = run_isolated(_run, (name, time_limit, workers, seed), timeout, memory_limit_mb)
    if "error" in result:  # a crashed, hung or oversized run is recorded as such
        result = {
            "feasible": False,
            "note": _short(f"failed: {result['error']}"),
            "peak_memory_mb": result.get("peak_memory_mb"),
        }
    row: Row = {
        "instance": name,
        "family": family,
        "time_limit": time_limit,
        "workers": workers,
        "seed": seed,
        **stamp(),
        **result,
    }
    cost = row.get("cost")
    measured = cost if isinstance(cost, int | float) and row.get("feasible") else None
    if family == "cbctt":
        upper, lower = CBCTT_BEST_KNOWN[name]
        unitime = CBCTT_UNITIME.get(int(time_limit), {}).get(name)
        row |= {"best_known_ub": upper, "best_known_lb": lower, "unitime": unitime}
        if measured is not None and upper:
            row["ratio_to_ub"] = round(measured / upper, 3)
        if measured is not None and unitime:
            row["ratio_to_unitime"] = round(measured / unitime, 3)
    elif family == "pe":
        row["published"] = PE_PUBLISHED_BEST.get(name)
    return row


def run_many(
    tasks: list[tuple[str, float]],
    workers: int,
    seed: int,
    memory_limit_mb: float | None,
    executor: str = "local",
    scheduler: str | None = None,
) -> Iterator[Row]:
    """Each (instance, time limit) run, one after another here, or fanned out over a Dask cluster
    (the one at `scheduler`, else a local one of one worker per two cores) as they finish."""
    if executor == "local":
        for name, time_limit in tasks:
            yield run_one(name, time_limit, workers, seed, memory_limit_mb)
        return
    import dask
    from distributed import Client, LocalCluster, as_completed

    # a run measures itself in a child process, which a daemonic worker may not start
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = None
        if scheduler is None:
            size = max(1, (os.cpu_count() or 2) // max(1, workers))
            cluster = LocalCluster(
                n_workers=size, threads_per_worker=1, processes=True, dashboard_address=None
            )
        client = Client(scheduler or cluster)
        try:
            futures = [
                client.submit(run_one, name, limit, workers, seed, memory_limit_mb, pure=False)
                for name, limit in tasks
            ]
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def save(rows: dict[Key, Row], directory: Path) -> None:
    ordered = sorted(
        rows.values(),
        key=lambda r: (_family_order(str(r["family"])), _order(str(r["instance"])), number(r["time_limit"])),
    )
    write_results(directory, "lessons", FIELDS, ordered, markdown)


def _family_order(family: str) -> int:
    return FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)


def _order(name: str) -> int:
    names = instances(list(FAMILIES))
    return names.index(name) if name in names else len(names)


CBCTT_COLUMNS: list[Column] = [
    ("instance", "instance", None),
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
    ("best known UB", "best_known_ub", 0),
    ("best LB", "best_known_lb", 0),
    ("ratio to UB", "ratio_to_ub", 3),
    ("UniTime, same limit", "unitime", 0),
    ("ratio to UniTime", "ratio_to_unitime", 3),
    ("note", "note", None),
    ("date", "date", None),
    ("commit", "commit", None),
]
PE_COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("feasible", "feasible", None),
    ("distance to feasibility", "distance", 0),
    ("soft cost", "cost", 0),
    ("first feasible s", "first_feasible_s", 1),
    ("best at s", "best_at_s", 1),
    ("LNS steps", "lns_steps", 0),
    ("peak MB", "peak_memory_mb", 0),
    ("2008 finalists' best", "published", 0),
    ("note", "note", None),
    ("date", "date", None),
    ("commit", "commit", None),
]
SEMESTER_COLUMNS: list[Column] = [
    ("instance", "instance", None),
    ("students", "students", 0),
    ("sections", "sections", 0),
    ("meetings", "meetings", 0),
    ("limit s", "time_limit", 0),
    ("workers", "workers", None),
    ("seed", "seed", None),
    ("feasible", "feasible", None),
    ("first feasible s", "first_feasible_s", 1),
    ("cost", "cost", 0),
    ("best at s", "best_at_s", 1),
    ("LNS steps", "lns_steps", 0),
    ("build s", "build_s", 1),
    ("peak MB", "peak_memory_mb", 0),
    ("note", "note", None),
    ("date", "date", None),
    ("commit", "commit", None),
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[Row]) -> str:
    lines = [
        "# Lesson timetabling benchmarks",
        "",
        "Written by `make bench-lessons` (`python -m benchmarks.lessons`). Each run is a fresh process;",
        "cost is the independent checker's score of the reported timetable, and peak MB the run's",
        "process (reading or generating the problem included). Bound is the engine's proven lower",
        "bound: the lesson path proves none beyond 0, so the gap says nothing yet. A run that finds",
        "no timetable, fails or is stopped is kept as a row with feasible False and a note. The",
        "numba move loops are compiled once before the first run (a fresh install pays 10-20 s once).",
        "",
    ]
    lines += machine_lines(rows)
    cbctt = [r for r in rows if r["family"] == "cbctt"]
    pe = [r for r in rows if r["family"] == "pe"]
    semester = [r for r in rows if r["family"] == "semester"]
    if cbctt:
        lines += [
            "## CB-CTT, ITC 2007 track 3 (UD2 soft cost, lower is better)",
            "",
            "Best known UB and best published LB: Bettinelli et al. 2015 (the CB-CTT site's values then;",
            "UB = LB where the optimum is proven). UniTime: its course timetabling solver at 60 s.",
            "",
        ]
        lines += table(cbctt, CBCTT_COLUMNS, _cell) + [""]
    if pe:
        lines += [
            "## ITC 2007 post-enrolment track (distance to feasibility, then soft cost; lower is better)",
            "",
            "Distance to feasibility: the students of the events left unplaced. The 2008 finalists' best",
            "is the lowest soft cost (at distance 0) of the five finalists' best of 10 organiser runs",
            "(Müller's ITC 2007 solver description, Table 3); 0 is the trivial lower bound.",
            "",
        ]
        lines += table(pe, PE_COLUMNS, _cell) + [""]
    if semester:
        lines += [
            "## Generated semester (registrar rules; weighted soft cost, lower is better)",
            "",
            f"`generate_semester({SEMESTER_STUDENTS}, {SEMESTER_SEED}, scale)`: x1 is one campus of "
            f"{SEMESTER_STUDENTS} students, x10 ten",
            "such campuses. Build s is the time to generate the records and make the problem; first",
            "feasible s counts from the start of the solve.",
            "",
        ]
        lines += table(semester, SEMESTER_COLUMNS, _cell) + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limits", type=float, nargs="+", default=[60.0, 300.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--families", nargs="+", choices=FAMILIES, default=list(FAMILIES))
    parser.add_argument(
        "--instances",
        nargs="*",
        help=f"Only these instance names (comp01, comp-2007-2-3, {SEMESTERS[0]}, ...).",
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        metavar="MB",
        help="Stop a run whose process holds more memory (default: 80%% of the machine's).",
    )
    parser.add_argument(
        "--results", type=results_folder, default=RESULTS, help="Folder of lessons.csv and lessons.md."
    )
    parser.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="Run here one at a time, or fan the runs out over a Dask cluster.",
    )
    parser.add_argument(
        "--scheduler",
        default=os.environ.get("REGISTRAR_DASK_SCHEDULER") or None,
        help="Dask scheduler address (default: REGISTRAR_DASK_SCHEDULER, else a local cluster).",
    )
    args = parser.parse_args(argv)
    names = chosen(parser, args.instances, instances(args.families), instances(list(FAMILIES)))
    rows = load_rows(args.results / "lessons.csv")
    compile_move_loops()
    tasks = [(name, time_limit) for time_limit in args.time_limits for name in names]
    for row in run_many(tasks, args.workers, args.seed, args.memory_limit, args.executor, args.scheduler):
        rows[row_key(row)] = row
        save(rows, args.results)
        print(
            f"{row['instance']:18s} {row['time_limit']:5.0f}s feasible={row.get('feasible')} "
            f"cost={row.get('cost')} distance={row.get('distance')} first={row.get('first_feasible_s')} "
            f"peak={row.get('peak_memory_mb')} {row.get('note') or ''}",
            flush=True,
        )


if __name__ == "__main__":
    main()
