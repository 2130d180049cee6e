"""`registrar bench`: the benchmark runners from the console script, and the planners' own
benchmark: stored semesters under their scenarios, in a batch."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import ExitStack
from pathlib import Path

import click

from cli.writing import check_output_file, write_or_exit


@click.command(
    "bench",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
)
@click.argument("family", type=click.Choice(["lessons", "exams", "semesters"]))
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def bench(family: str, options: tuple[str, ...]) -> None:
    """Run a benchmark set and write its tables (`registrar bench lessons --help` lists the
    options; `--executor dask` fans the runs out over a Dask cluster). `registrar bench
    semesters` solves stored semesters under stored scenarios the same way."""
    if family == "semesters":
        semesters(list(options))
        return
    if family == "lessons":
        from benchmarks.lessons import main as run
    else:
        from benchmarks.exams import main as run
    run(list(options))


def semesters(argv: list[str]) -> None:
    """Solve stored semesters under stored scenarios and print one table."""
    from cli.database import open_database
    from service.batch import DEFAULT, solve_batch, table
    from service.runs import dask_cluster, local_pool
    from service.storage.database import database_url

    parser = argparse.ArgumentParser(prog="registrar bench semesters", description=semesters.__doc__)
    parser.add_argument("--semesters", nargs="+", required=True)
    parser.add_argument(
        "--scenarios", nargs="+", default=[DEFAULT], help=f"stored scenario names ('{DEFAULT}': none)"
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--executor", choices=["local", "dask"], default="local")
    parser.add_argument("--scheduler", default=os.environ.get("REGISTRAR_DASK_SCHEDULER") or None)
    parser.add_argument("--output", type=Path, help="Write the table (markdown) here too.")
    args = parser.parse_args(argv)
    check_output_file(args.output, "--output")
    open_database().dispose()  # a database it cannot use is said in words before the batch
    pairs = [(semester, scenario) for semester in args.semesters for scenario in args.scenarios]
    with ExitStack() as stack:
        factory: Callable[[], Executor] = local_pool
        if args.executor == "dask":
            address = args.scheduler
            if address is None:
                from distributed import LocalCluster

                size = max(1, (os.cpu_count() or 2) // max(1, args.workers))
                cluster = LocalCluster(
                    n_workers=size, threads_per_worker=1, processes=True, dashboard_address=None
                )
                stack.callback(cluster.close)
                address = cluster.scheduler_address
            factory = dask_cluster(address)
        rows = solve_batch(database_url(), pairs, args.time_limit, args.workers, args.seed, factory)
    text = table(rows, f"Stored semesters at {args.time_limit:g} s, {args.workers} workers, seed {args.seed}")
    if args.output:
        write_or_exit(args.output, lambda: args.output.write_text(text))
    click.echo(text)
