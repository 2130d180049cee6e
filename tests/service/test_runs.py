"""Solver runs as jobs on the database: queued to finished with progress and a timetable the
checker agrees with, cancelled keeping the best so far, a killed worker's run failed with the
reason, and unfinished runs queued again after a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest

from constraints.lessons import evaluate
from datasets.registrar_csv import lesson_problem
from models import LessonSolution, SolveParameters, SolveReport
from service.runs import RunQueue, ask_for_run, execute_run
from service.storage import schema
from service.storage.database import Database
from service.storage.records import StorageError, load_semester
from service.storage.schema import RunStatus
from solver.engine import Clock
from solver.reports import SHARED_PEAK, close_report, open_report, peak_memory_mb, peak_shared, run_in_process
from tests.service_factory import BACKENDS, SEMESTER, fresh_database, with_a_semester

BALLAST_MB = 1500  # a large run's memory, beside the tests' own


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with fresh_database(tmp_path, request.param) as url:
        database = Database(with_a_semester(url, 300, 2))
        yield database
        database.dispose()


@pytest.fixture
def queue(database: Database) -> Iterator[RunQueue]:
    queue = RunQueue(database)
    yield queue
    queue.shutdown()


def ask(database: Database, time_limit: float) -> int:
    with database.transaction() as session:
        return ask_for_run(session, "lessons", SEMESTER, SolveParameters(time_limit=time_limit, workers=1)).id


def run_row(database: Database, run_id: int) -> schema.Run:
    with database.transaction() as session:
        run = session.get(schema.Run, run_id)
        assert run is not None
        return run


def wait_for(database: Database, run_id: int, check: object, timeout: float = 120) -> schema.Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = run_row(database, run_id)
        if callable(check) and check(run):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run_row(database, run_id).status} after {timeout} s")


def _in_use_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def rescored(database: Database, run: schema.Run) -> int:
    with database.transaction() as session:
        problem = lesson_problem(load_semester(session, SEMESTER), SEMESTER)
    assert run.solution is not None
    return evaluate(problem, LessonSolution.model_validate(run.solution)).total


def test_a_run_goes_from_queued_to_finished_with_progress(database: Database, queue: RunQueue) -> None:
    run_id = ask(database, 4)
    assert run_row(database, run_id).status == RunStatus.QUEUED
    queue.submit(run_id)
    queue.wait(run_id, timeout=120)
    run = run_row(database, run_id)
    assert run.status == RunStatus.FINISHED, run.error
    assert run.attempts == 1 and run.started_at is not None and run.finished_at is not None
    assert run.progress and run.progress[0]["note"] == "first"
    assert run.report is not None and run.report["status"] in ("feasible", "optimal")
    assert run.objective == rescored(database, run) == run.report["objective"]


def test_a_cancelled_run_keeps_its_best_timetable(database: Database, queue: RunQueue) -> None:
    run_id = ask(database, 90)
    queue.submit(run_id)
    wait_for(database, run_id, lambda run: run.status == RunStatus.RUNNING and run.progress)
    with database.transaction() as session:
        stored = session.get(schema.Run, run_id)
        assert stored is not None
        stored.cancel_requested = True
    queue.wait(run_id, timeout=60)
    run = run_row(database, run_id)
    assert run.status == RunStatus.CANCELLED
    assert run.elapsed is not None and run.elapsed < 60
    assert run.objective == rescored(database, run)


def test_a_killed_worker_fails_its_run_and_the_queue_goes_on(database: Database, queue: RunQueue) -> None:
    doomed = ask(database, 90)
    queue.submit(doomed)
    wait_for(database, doomed, lambda run: run.status == RunStatus.RUNNING)
    children = psutil.Process().children(recursive=True)
    workers = [child for child in children if "resource_tracker" not in " ".join(child.cmdline())]
    assert workers
    for worker in workers:
        worker.kill()
    queue.wait(doomed, timeout=60)
    run = wait_for(database, doomed, lambda run: run.status == RunStatus.FAILED, timeout=30)
    assert "worker process running it died" in run.error
    after = ask(database, 3)
    queue.submit(after)
    queue.wait(after, timeout=120)
    assert run_row(database, after).status == RunStatus.FINISHED


def test_a_restart_queues_unfinished_runs_again(database: Database) -> None:
    interrupted, waiting = ask(database, 3), ask(database, 3)
    with database.transaction() as session:  # as a service that died mid-run left them
        run = session.get(schema.Run, interrupted)
        assert run is not None
        run.status, run.attempts = RunStatus.RUNNING, 1
    restarted = RunQueue(database)
    try:
        assert restarted.requeue_unfinished() == [interrupted, waiting]
        for run_id in (interrupted, waiting):
            restarted.wait(run_id, timeout=120)
            assert run_row(database, run_id).status == RunStatus.FINISHED
        assert run_row(database, interrupted).attempts == 2
    finally:
        restarted.shutdown()


def test_runs_are_asked_for_known_kinds_and_semesters(database: Database) -> None:
    parameters = SolveParameters(time_limit=5, workers=1)
    with pytest.raises(StorageError, match="no 'timber' runs"), database.transaction() as session:
        ask_for_run(session, "timber", SEMESTER, parameters)
    with pytest.raises(StorageError, match="No semester '1999'"), database.transaction() as session:
        ask_for_run(session, "lessons", "1999", parameters)


def test_a_workers_next_run_reports_its_own_peak_memory(database: Database) -> None:
    """The queue's worker process runs one run after another: Linux's peak (VmHWM) is the process's,
    so a small run after a large one reported the large one's peak."""
    ballast = np.ones(BALLAST_MB * 2**20 // 8)  # written, so resident: a large run before
    del ballast
    assert peak_memory_mb() >= _in_use_mb() + 0.9 * BALLAST_MB  # the process's peak saw it
    run_id = ask(database, 2)
    assert execute_run(database.url, run_id) == RunStatus.FINISHED
    report = run_row(database, run_id).report
    assert report is not None and 0 < report["peak_memory_mb"] < _in_use_mb() + BALLAST_MB / 3
    assert SHARED_PEAK not in report["warnings"]  # it ran alone


def test_runs_at_once_in_one_process_keep_each_others_peak_and_say_it_is_shared() -> None:
    """A Dask worker with several threads runs several runs at once: the second's start reset the
    process's peak, so the first, already large, reported only what came after."""
    first_large, second_began = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def first() -> None:
        with run_in_process():
            ballast = np.ones(BALLAST_MB * 2**20 // 8)  # written, so resident
            del ballast
            first_large.set()
            second_began.wait(30)
            seen["first"] = close_report(
                open_report("first", "lessons", SolveParameters(time_limit=1, workers=1)), Clock(1)
            )

    def second() -> None:
        first_large.wait(30)
        with run_in_process():
            second_began.set()
            seen["second peak"], seen["second shared"] = peak_memory_mb(), peak_shared()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    report = seen["first"]
    assert isinstance(report, SolveReport)
    assert report.peak_memory_mb is not None and report.peak_memory_mb >= 0.9 * BALLAST_MB  # not reset
    assert report.warnings == [SHARED_PEAK]
    assert seen["second shared"] is True
    assert isinstance(seen["second peak"], float) and seen["second peak"] >= 0.9 * BALLAST_MB
    with run_in_process():  # alone again: afresh, and its own
        assert not peak_shared()
        assert peak_memory_mb() < _in_use_mb() + BALLAST_MB / 3
    assert not peak_shared()  # outside any run
