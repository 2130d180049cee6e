"""What the benchmark runners share: the machine and commit measured, one run per fresh process
with its peak memory, result rows kept in a CSV keyed by instance, time limit, workers and seed,
and markdown tables written from them."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import multiprocessing
import os
import platform
import queue as queues
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

import psutil

from cli.writing import cannot_write, unwritable_folder
from solver.reports import peak_memory_mb

Row = dict[str, object]
Key = tuple[str, float, int, int]
# (header, field, digits) of a table's columns; digits None means the raw value
Column = tuple[str, str, int | None]


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    cpu = _cpu_name()
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {python}, OR-Tools {version('ortools')}"


def code_version() -> str:
    """The commit measured, marked when the working tree differs from it (results aside)."""
    here = Path(__file__).resolve().parent.parent

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=here, capture_output=True, text=True, check=False)

    commit = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    changed = git("status", "--porcelain", "--", ".", ":!benchmarks/results").stdout.strip()
    return f"{commit}+changes" if changed else commit


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def stamp() -> Row:
    """When, on what code and on which machine a run was made."""
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": code_version(),
        "machine": machine(),
    }


def _child(target: Callable[..., Row], args: tuple[object, ...], queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    try:
        result = target(*args)
    except Exception as err:  # noqa: BLE001 - a failed run is recorded, not raised
        result = {"error": f"{type(err).__name__}: {err}"}
    result["peak_memory_mb"] = peak_memory_mb()
    queue.put(result)


MEMORY_SHARE = 0.8  # a run holding more of the machine's memory than this is stopped


def run_isolated(
    target: Callable[..., Row], args: tuple[object, ...], timeout: float, memory_limit_mb: float | None = None
) -> Row:
    """`target(*args)` in a fresh process, so that the peak memory added to its row is its own.

    `target` must be a module-level function (the process is spawned). A run that raises, dies,
    gives nothing within `timeout` seconds or grows past `memory_limit_mb` (by default
    MEMORY_SHARE of the machine's memory, so that one run cannot take the machine down) yields a
    row with an `error` saying so, and the peak memory known."""
    limit = memory_limit_mb or MEMORY_SHARE * psutil.virtual_memory().total / 2**20
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
    process.start()
    deadline = time.monotonic() + timeout
    peak = 0.0
    result: Row | None = None
    while result is None:
        try:
            result = queue.get(timeout=0.5)
        except queues.Empty:
            peak = max(peak, _resident_mb(process.pid))
            if not process.is_alive():
                try:
                    result = queue.get(timeout=5.0)
                except queues.Empty:
                    result = {"error": f"the run's process ended with exit code {process.exitcode}"}
            elif peak > limit:
                process.kill()
                result = {"error": f"stopped at {peak:.0f} MB, over the {limit:.0f} MB allowed"}
                result["peak_memory_mb"] = peak
            elif time.monotonic() > deadline:
                process.terminate()
                result = {"error": f"no result within {timeout:.0f} s"}
    process.join(timeout=30)
    if process.is_alive():
        process.kill()
        process.join()
    return result


def _resident_mb(pid: int | None) -> float:
    try:
        return psutil.Process(pid).memory_info().rss / 2**20 if pid else 0.0
    except psutil.Error:
        return 0.0


def number(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) else 0.0


def chosen(
    parser: argparse.ArgumentParser, asked: list[str] | None, names: list[str], known: list[str]
) -> list[str]:
    """The instances of `names` that `--instances` asked for (all when none were); a name known to
    no family stops the run with the known names, since it would run nothing and say nothing."""
    if not asked:
        return names
    unknown = sorted(set(asked) - set(known))
    if unknown:
        parser.error(f"unknown instances: {', '.join(unknown)} (known: {', '.join(known)})")
    return [name for name in names if name in asked]


def results_folder(text: str) -> Path:
    """`--results` as argparse takes it: a folder that cannot be made or written stops the bench
    (exit 2) before any run, not with a traceback when the first result is saved."""
    folder = Path(text)
    reason = unwritable_folder(folder)
    if reason is not None:
        raise argparse.ArgumentTypeError(reason)
    return folder


def row_key(row: Row) -> Key:
    return (
        str(row["instance"]),
        number(row["time_limit"]),
        int(number(row["workers"])),
        int(number(row["seed"])),
    )


def load_rows(path: Path) -> dict[Key, Row]:
    """The rows of earlier runs; a CSV that cannot be read stops the bench (exit 2) before any run."""
    if not path.exists():
        return {}
    try:
        with path.open() as handle:
            return {row_key(row): dict(row) for row in csv.DictReader(handle)}
    except OSError as error:
        _stop(f"cannot read {path}: {error.strerror or error}")


def _csv_text(fields: list[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({field: row.get(field, "") for field in fields})
    return buffer.getvalue()


def _write_or_stop(path: Path, text: str, kept: str, lost: str = "", newline: str | None = None) -> None:
    """Write a file (and its folder) whole or not at all: a failure stops the bench (exit 2) saying
    which file, why and where what it would have held is (`kept`), then on stderr `lost`, what is
    nowhere else. The file is written beside and then put in place, so a disk that fills half-way
    leaves the earlier runs' results as they were."""
    beside = path.with_name(f".{path.name}.writing")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        beside.write_text(text, newline=newline)
        os.replace(beside, path)
    except OSError as error:
        beside.unlink(missing_ok=True)
        _stop(f"{cannot_write(path, error)}; {kept}", lost)


def _stop(message: str, lost: str = "") -> NoReturn:
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.stderr.write(lost)
    sys.exit(2)


def fmt(value: object, digits: int = 1) -> str:
    if value in (None, ""):
        return "–"
    try:
        figure: float = number(value) if not isinstance(value, str) else float(value)
    except ValueError:
        return str(value)
    return f"{figure:.{digits}f}"


def table(rows: list[Row], columns: list[Column], raw: Callable[[str], str] = str) -> list[str]:
    """A markdown table; `raw` rewrites the cells shown as they are (digits None)."""
    lines = ["| " + " | ".join(header for header, _, _ in columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [
            raw(str(row.get(field, ""))) if digits is None else fmt(row.get(field), digits)
            for _, field, digits in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_results(
    directory: Path, stem: str, fields: list[str], rows: list[Row], markdown: Callable[[list[Row]], str]
) -> None:
    """The rows as `stem.csv` (what later runs add to) and as the table `stem.md`; a file that cannot
    be written stops the bench, the rows written to stderr as CSV if the CSV is the one."""
    path, text = directory / f"{stem}.csv", _csv_text(fields, rows)
    # every row, not only this run's: a write that failed half-way leaves the earlier ones cut short
    kept = f"the {len(rows)} rows it would have held, earlier runs' and this run's so far, follow as CSV:"
    _write_or_stop(path, text, kept, lost=text, newline="")  # csv ends its rows in \r\n itself
    _write_or_stop(directory / f"{stem}.md", markdown(rows), f"the rows are in {path}")


def print_and_write(path: Path, lines: list[str]) -> None:
    """A table on stdout, then into `path`: a write that fails loses nothing not on screen."""
    text = "\n".join(lines) + "\n"
    print(text, end="", flush=True)
    _write_or_stop(path, text, "the table above is what it would have held")


def machine_lines(rows: list[Row]) -> list[str]:
    """One `Machine:` line per machine the rows were measured on, then a blank line."""
    return [f"Machine: {m}" for m in sorted({str(r.get("machine")) for r in rows})] + [""]
