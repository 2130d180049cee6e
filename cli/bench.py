"""`registrar bench`: the benchmark runners from the console script."""

from __future__ import annotations

import click


@click.command(
    "bench",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
)
@click.argument("family", type=click.Choice(["lessons", "exams"]))
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def bench(family: str, options: tuple[str, ...]) -> None:
    """Run a benchmark set and write its tables (`registrar bench lessons --help` lists the
    options; `--executor dask` fans the lesson runs out over a Dask cluster)."""
    if family == "lessons":
        from benchmarks.lessons import main as run
    else:
        from benchmarks.exams import main as run
    run(list(options))
