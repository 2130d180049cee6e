"""API latency of the service on loopback, measured with ApacheBench (`ab`, Debian's
apache2-utils): median and 99th percentile for reads and for starting a run.

The service runs as `registrar serve` (waitress, 8 threads) over a SQLite file holding the
generated 5,000-student semester. Runs go to a Dask scheduler without workers, so starting one
is measured alone (validation, the database row, the hand-over to the scheduler) and no solve
competes for the cores. Writes `benchmarks/results/service.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.runs import machine, print_and_write, results_folder, stamp

DEMO_SEMESTER = "Demo semester"  # as `registrar demo load` names it
RESULTS = Path(__file__).resolve().parent / "results"
PERCENTILE = re.compile(r"^\s*(\d+)%\s+(\d+)", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ab(arguments: list[str]) -> dict[str, float]:
    """Run ab; its median, 99th percentile (ms), requests per second and failures."""
    done = subprocess.run(["ab", "-q", *arguments], capture_output=True, text=True, check=True)
    percentiles = {int(p): float(ms) for p, ms in PERCENTILE.findall(done.stdout)}
    rate = re.search(r"Requests per second:\s+([\d.]+)", done.stdout)
    # ab counts a body longer or shorter than the first as "failed (Length)": run ids and dates
    # make bodies differ, so only connection, receive and exception failures count here
    failed = re.search(r"Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)", done.stdout)
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", done.stdout)
    return {
        "median_ms": percentiles[50],
        "p99_ms": percentiles[99],
        "per_second": float(rate[1]) if rate else 0.0,
        "failed": sum(int(group) for group in failed.groups()) if failed else 0,
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
    }


@contextmanager
def served(students: int, dask_scheduler: str | None) -> Iterator[tuple[str, str, Path]]:
    """`registrar serve` over a fresh SQLite file holding the demo semester of `students`: its
    address, a planner's token and the scratch folder; runs go to `dask_scheduler` when given."""
    folder = Path(tempfile.mkdtemp(prefix="registrar-latency-"))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{folder / 'registrar.sqlite3'}"}
    if dask_scheduler:
        env["REGISTRAR_DASK_SCHEDULER"] = dask_scheduler
    cli = [sys.executable, "-m", "cli.main"]
    subprocess.run(
        [*cli, "demo", "load", "--students", str(students)], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*cli, "users", "add", "bench", "--role", "planner", "--password", "bench-password"],
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [*cli, "users", "token", "bench"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/semesters", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base, token, folder
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def call(base: str, token: str, method: str, path: str, body: object = None) -> Any:
    """One API call's JSON answer."""
    asked = urllib.request.Request(
        f"{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(asked, timeout=120) as answer:
        return json.loads(answer.read() or b"null")


def measure(students: int, requests: int, concurrency: int) -> list[tuple[str, dict[str, float]]]:
    if shutil.which("ab") is None:
        raise SystemExit("needs ab (Debian's apache2-utils)")
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=0, dashboard_address=None) as cluster,  # holds runs, solves none
        served(students, cluster.scheduler_address) as (base, token, folder),
    ):
        auth = ["-H", f"Authorization: Bearer {token}"]
        body = folder / "run.json"
        body.write_text(json.dumps({"kind": "lessons", "semester": DEMO_SEMESTER, "time_limit": 60}))
        results = [
            (
                "read: GET /api/semesters",
                _ab(["-n", str(requests), "-c", str(concurrency), f"{base}/api/semesters"]),
            ),
        ]
        call(base, token, "POST", "/api/runs", json.loads(body.read_text()))  # one run to read back
        results.append(
            (
                "read: GET /api/runs/1",
                _ab(["-n", str(requests), "-c", str(concurrency), *auth, f"{base}/api/runs/1"]),
            )
        )
        results.append(
            (
                "start a run: POST /api/runs",
                _ab(
                    [
                        "-n",
                        str(requests // 4),
                        "-c",
                        str(concurrency),
                        *auth,
                        "-p",
                        str(body),
                        "-T",
                        "application/json",
                        f"{base}/api/runs",
                    ]
                ),
            )
        )
        return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    results = measure(args.students, args.requests, args.concurrency)
    when = stamp()
    lines = [
        "# Service latency on loopback",
        "",
        "Written by `make bench-service` (`python -m benchmarks.service_latency`): ApacheBench against",
        "`registrar serve` (waitress, 8 threads) over SQLite holding the generated semester of",
        f"{args.students:,} students; runs go to a Dask scheduler without workers, so no solve runs",
        f"meanwhile. {args.requests:,} requests per read ({args.requests // 4:,} runs started), "
        f"{args.concurrency} at a time.",
        "",
        f"Machine: {machine()}; date {when['date']}; commit {when['commit']}",
        "",
        "| request | median ms | p99 ms | requests/s | failed | non-2xx |",
        "|---|---|---|---|---|---|",
    ]
    for name, figures in results:
        lines.append(
            f"| {name} | {figures['median_ms']:.0f} | {figures['p99_ms']:.0f} | {figures['per_second']:.0f} "
            f"| {figures['failed']:.0f} | {figures['non_2xx']:.0f} |"
        )
    print_and_write(args.results / "service.md", lines)


if __name__ == "__main__":
    main()
