"""How fast rooms on demand answer on the generated 5,000-student semester, with its class
timetable and exam schedule solved and published: `POST /api/rooms/free` measured with
ApacheBench on loopback against `registrar serve`, on a teaching day and on an exam day, plus the
first search after publishing (which works out the published week once). Writes
`benchmarks/results/rooms.md`.
"""

from __future__ import annotations

import argparse
import json
import time

from benchmarks.runs import machine, print_and_write, results_folder, stamp
from benchmarks.service_latency import DEMO_SEMESTER, RESULTS, _ab, call, served

SEARCHES = {
    "teaching day (Tue of week 3, 10:00-12:00, 40 seats, projector)": {
        "date": "2026-09-22",
        "start": "10:00",
        "end": "12:00",
        "capacity": 40,
        "features": ["projector"],
    },
    "exam day (2026-12-22, 09:00-12:00, 30 seats)": {
        "date": "2026-12-22",
        "start": "09:00",
        "end": "12:00",
        "capacity": 30,
    },
}


def _solved_and_published(base: str, token: str, kind: str, time_limit: float) -> str:
    """Solve a run of `kind` and publish it; what happened, in a line for the table's notes."""
    asked = {"kind": kind, "semester": DEMO_SEMESTER, "time_limit": time_limit, "workers": 2}
    run = call(base, token, "POST", "/api/runs", asked)
    while True:
        state = call(base, token, "GET", f"/api/runs/{run['id']}")
        if state["status"] not in ("queued", "running"):
            break
        time.sleep(2)
    feasible = (state.get("evaluation") or {}).get("feasible")
    if state["status"] != "finished" or not feasible:
        reason = state.get("error") or "no timetable keeping every hard rule"
        return (
            f"{kind} run {run['id']} {state['status']}, not published ({reason}): nothing of it is in the way"
        )
    call(base, token, "POST", f"/api/runs/{run['id']}/publish")
    return f"{kind} run {run['id']}: cost {state['objective']}, {state['elapsed']:.0f} s, published"


def measure(
    students: int, requests: int, time_limit: float
) -> tuple[list[str], list[tuple[str, str, dict[str, float]]]]:
    notes: list[str] = []
    rows: list[tuple[str, str, dict[str, float]]] = []
    with served(students, None) as (base, token, folder):
        for kind in ("lessons", "exams"):
            notes.append(_solved_and_published(base, token, kind, time_limit))
        for name, search in SEARCHES.items():
            began = time.perf_counter()
            offers = call(base, token, "POST", "/api/rooms/free", search)["rooms"]
            took = (time.perf_counter() - began) * 1000
            notes.append(f"first search, {name}: {took:.0f} ms, {len(offers)} rooms free")
            body = folder / "search.json"
            body.write_text(json.dumps(search))
            for concurrency in (1, 10):
                figures = _ab(
                    [
                        "-n",
                        str(requests),
                        "-c",
                        str(concurrency),
                        "-H",
                        f"Authorization: Bearer {token}",
                        "-p",
                        str(body),
                        "-T",
                        "application/json",
                        f"{base}/api/rooms/free",
                    ]
                )
                rows.append((name, str(concurrency), figures))
    return notes, rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each run solved first")
    parser.add_argument("--results", type=results_folder, default=RESULTS)
    args = parser.parse_args(argv)
    notes, rows = measure(args.students, args.requests, args.time_limit)
    when = stamp()
    lines = [
        "# Rooms on demand: search latency",
        "",
        "Written by `make bench-rooms` (`python -m benchmarks.rooms_latency`): the generated semester of",
        f"{args.students:,} students in SQLite, its class timetable and exam schedule solved",
        f"({args.time_limit:.0f} s, 2 workers, seed 0) and published, then ApacheBench sends",
        f"{args.requests:,} searches (`POST /api/rooms/free`) to `registrar serve` (waitress) on loopback.",
        "",
        f"Machine: {machine()}; date {when['date']}; commit {when['commit']}",
        "",
        *[f"- {note}" for note in notes],
        "",
        "| search | concurrent | median ms | p99 ms | requests/s | failed | non-2xx |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, concurrency, figures in rows:
        lines.append(
            f"| {name} | {concurrency} | {figures['median_ms']:.0f} | {figures['p99_ms']:.0f} "
            f"| {figures['per_second']:.0f} | {figures['failed']:.0f} | {figures['non_2xx']:.0f} |"
        )
    print_and_write(args.results / "rooms.md", lines)


if __name__ == "__main__":
    main()
