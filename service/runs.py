"""Solver runs as background jobs whose whole state lives in the database.

A run is asked for (a row with status `queued`), executed by a worker process that reads the
semester from the database, solves it, writes its progress (objective, bound, elapsed) as it
goes and its solution, evaluation and report at the end. Cancelling sets a flag the worker reads
between search steps and, within a CP-SAT solve, every fraction of a second (of any kind: lessons,
exams, load, master classes, attestation); the run then ends `cancelled` keeping the best
timetable so far. A worker that dies leaves its run `failed` with the reason, and a service that
restarts queues again the runs it finds `queued` or `running`, so nothing asked for is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from datasets.errors import DatasetError
from datasets.registrar_scenario import ScenarioError
from models import (
    AttestationProblem,
    ExamProblem,
    LessonProblem,
    MasterClassProblem,
    ProgressPoint,
    Scenario,
    SolveParameters,
    SolveReport,
)
from models.load import LoadProblem
from service.attestation import complete_tables
from service.masterclasses import masterclass_inputs
from service.scenarios import run_problem
from service.storage import schema
from service.storage.database import Database
from service.storage.records import (
    StorageError,
    check_sittings,
    load_semester,
    semester_named,
    stray_sittings,
    stray_warning,
)
from service.storage.schema import RunStatus
from service.teaching_load import Restaffing, course_warnings, department_load, published_timetable
from service.timetables import exam_schedule_names, lesson_names

log = logging.getLogger(__name__)
KINDS = ("lessons", "exams", "load", "masterclasses", "sac")
PROGRESS_EVERY = 0.5  # seconds between progress writes and cancel checks of a running solve
PROGRESS_KEPT = 200  # latest progress points kept on the run


class RunRefused(StorageError):
    """A run that cannot be asked for; `field` names the part of the request at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def execute_run(database_url: str, run_id: int) -> str:
    """Solve one run (in a worker process); returns its final status."""
    from solver.reports import run_in_process

    database = Database(database_url)
    try:
        with run_in_process():  # the worker process runs other runs before this one, or beside it
            return _execute(database, run_id)
    finally:
        database.dispose()


def _execute(database: Database, run_id: int) -> str:
    with database.transaction() as session:
        run = session.get(schema.Run, run_id)
        if run is None or run.status not in RunStatus.UNFINISHED:
            return run.status if run else "missing"
        if run.cancel_requested:
            run.status, run.finished_at = RunStatus.CANCELLED, now()
            return run.status
        run.status, run.started_at, run.attempts = RunStatus.RUNNING, now(), run.attempts + 1
        run.progress, run.error = [], ""
        kind = run.kind
        parameters = SolveParameters(time_limit=run.time_limit, workers=run.workers, seed=run.seed)
        try:
            problem, scenario = run_problem(session, run, solving=True)
            names = _solved_names(session, run, problem)
            warnings = _warnings(session, run)
        except (ScenarioError, StorageError, DatasetError) as error:
            if run.scenario:  # the changes it was asked with (none: {})
                failed = f"the scenario no longer fits the semester: {error}"
            else:
                failed = f"the {kind} run could not be built from the semester's records: {error}"
        else:
            failed = ""
    if failed:
        _fail(database, run_id, failed)
        return RunStatus.FAILED
    try:
        outcome = _solve(database, run_id, kind, problem, scenario, parameters, names, warnings)
    except Exception as error:
        log.exception("run %s failed", run_id)
        _fail(database, run_id, f"the solver stopped with an error: {type(error).__name__}: {error}")
        return RunStatus.FAILED
    return outcome


def _solved_names(session: Session, run: schema.Run, problem: object) -> dict[str, Any] | None:
    """What the run's solution will number, by name, to be read back after imports (class timetables
    and exam schedules; the other kinds are read against their own tables)."""
    if isinstance(problem, Restaffing):
        return lesson_names(problem.lessons)
    if isinstance(problem, LessonProblem):
        return lesson_names(problem)
    if isinstance(problem, ExamProblem):
        return exam_schedule_names(problem, load_semester(session, run.semester.name))
    return None


def _warnings(session: Session, run: schema.Run) -> list[str]:
    """What in the records the run took as given but looks mistaken."""
    if run.kind == "load":
        return course_warnings(session)
    if run.department is not None:  # a class timetable run re-staffing it builds its load too
        return course_warnings(session, run.department)
    strays = stray_sittings(session, run.semester) if run.kind == "exams" else []
    return [stray_warning(run.semester, strays)] if strays else []


def _solve(
    database: Database,
    run_id: int,
    kind: str,
    problem: LessonProblem | ExamProblem | LoadProblem | MasterClassProblem | AttestationProblem | Restaffing,
    scenario: Scenario,
    parameters: SolveParameters,
    names: dict[str, Any] | None,
    warnings: list[str],
) -> str:
    """`names`: what the solution's numbers stand for (class timetables and exam schedules);
    `warnings`: what in the records looks mistaken, for the report."""
    from solver.attestation.solve import solve_attestation
    from solver.engine import cancellable
    from solver.exams.solve import solve_exams
    from solver.lessons.solve import solve_lessons
    from solver.load.solve import solve_load
    from solver.masterclasses.solve import solve_masterclasses

    watcher = _Watcher(database, run_id)
    if isinstance(problem, Restaffing):
        return _restaff(database, run_id, problem, parameters, watcher, names, warnings)
    # a cancel stops the CP-SAT solve under way and leaves no time to the steps after it
    with cancellable(watcher.should_stop):
        if isinstance(problem, AttestationProblem):
            outcome: Any = solve_attestation(problem, parameters, scenario, listener=watcher.progress)
        elif isinstance(problem, MasterClassProblem):
            outcome = solve_masterclasses(problem, parameters, scenario, listener=watcher.progress)
        elif isinstance(problem, LoadProblem):
            outcome = solve_load(problem, parameters, scenario, listener=watcher.progress)
        elif isinstance(problem, ExamProblem):
            outcome = solve_exams(
                problem, parameters, scenario, listener=watcher.progress, should_stop=watcher.should_stop
            )
        else:
            outcome = solve_lessons(problem, parameters, scenario, watcher.progress, watcher.should_stop)
    watcher.flush()
    outcome.report.warnings = [*warnings, *outcome.report.warnings]
    return _store(database, run_id, outcome.report, outcome.solution, outcome.evaluation, names=names)


def _store(
    database: Database,
    run_id: int,
    report: SolveReport,
    solution: BaseModel | None,
    evaluation: BaseModel | None,
    load_solution: BaseModel | None = None,
    names: dict[str, Any] | None = None,
) -> str:
    """A finished (or cancelled) solve's report, solution and evaluation onto its run, with what a
    class timetable's numbers stand for (`names`)."""
    with database.transaction() as session:
        run = session.get(schema.Run, run_id)
        assert run is not None
        run.status = RunStatus.CANCELLED if run.cancel_requested else RunStatus.FINISHED
        run.finished_at = now()
        run.elapsed = report.elapsed
        run.objective, run.bound = report.objective, report.best_bound
        run.report = report.model_dump(mode="json")
        run.solution = solution.model_dump(mode="json") if solution else None
        run.evaluation = evaluation.model_dump(mode="json") if evaluation else None
        run.load_solution = load_solution.model_dump(mode="json") if load_solution else None
        run.solved_for = names
        run.progress = [p.model_dump(mode="json") for p in report.progress[-PROGRESS_KEPT:]]
        return run.status


def _restaff(
    database: Database,
    run_id: int,
    problem: Restaffing,
    parameters: SolveParameters,
    watcher: _Watcher,
    names: dict[str, Any] | None,
    warnings: list[str],
) -> str:
    """A department's load decided with its sections' meetings, every other meeting kept in place."""
    from solver.engine import cancellable
    from solver.load.together import NotTogether, solve_together

    try:
        with cancellable(watcher.should_stop):
            outcome = solve_together(
                problem.load,
                problem.lessons,
                parameters,
                None,
                watcher.progress,
                problem.term,
                problem.published,
                problem.present,
            )
    except NotTogether as error:  # too large, or a section or timetable that does not fit
        _fail(database, run_id, str(error))
        return RunStatus.FAILED
    watcher.flush()
    outcome.report.warnings = [*warnings, *outcome.report.warnings]
    return _store(
        database,
        run_id,
        outcome.report,
        outcome.lessons,
        outcome.lesson_evaluation,
        outcome.load,
        names,
    )


class _Watcher:
    """Writes a running solve's progress and reads its cancel flag, at most every PROGRESS_EVERY."""

    def __init__(self, database: Database, run_id: int) -> None:
        self.database, self.run_id = database, run_id
        self.points: list[ProgressPoint] = []
        self.last_write = 0.0
        self.last_check = 0.0
        self.cancelled = False

    def progress(self, point: ProgressPoint) -> None:
        self.points.append(point)
        if time.monotonic() - self.last_write >= PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        self.last_write = time.monotonic()
        if not self.points:
            return
        latest = self.points[-1]
        with self.database.transaction() as session:
            run = session.get(schema.Run, self.run_id)
            assert run is not None
            run.progress = [p.model_dump(mode="json") for p in self.points[-PROGRESS_KEPT:]]
            run.objective, run.bound, run.elapsed = (
                round(latest.objective),
                round(latest.bound),
                latest.elapsed,
            )

    def should_stop(self) -> bool:
        if not self.cancelled and time.monotonic() - self.last_check >= PROGRESS_EVERY:
            self.last_check = time.monotonic()
            with self.database.transaction() as session:
                self.cancelled = bool(
                    session.scalar(select(schema.Run.cancel_requested).where(schema.Run.id == self.run_id))
                )
        return self.cancelled


def _fail(database: Database, run_id: int, reason: str) -> None:
    with database.transaction() as session:
        run = session.get(schema.Run, run_id)
        if run is not None and run.status in RunStatus.UNFINISHED:
            run.status, run.finished_at, run.error = RunStatus.FAILED, now(), reason


def ask_for_run(
    session: Session,
    kind: str,
    semester: str,
    parameters: SolveParameters,
    scenario: str | None = None,
    department: str | None = None,
) -> schema.Run:
    """A queued run of `kind` on a stored semester, with a stored scenario's changes or none
    (the caller submits it once committed). A class timetable run given a department re-staffs it
    within the published timetable, which must exist; an attestation or master-class run needs
    its tables stored, an exam run a sitting in its exam session. RunRefused names the field at fault."""
    if kind not in KINDS:
        raise RunRefused("kind", f"no {kind!r} runs: the kinds are {', '.join(KINDS)}")
    try:
        stored = semester_named(session, semester)
        if kind == "sac":
            complete_tables(session, stored)
        elif kind == "masterclasses":
            masterclass_inputs(session, stored)
        elif kind == "exams":
            check_sittings(session, stored)
    except StorageError as error:
        raise RunRefused("semester", str(error)) from None
    if department is not None:
        if kind != "lessons" or scenario is not None:
            raise RunRefused(
                "department",
                "only a class timetable run without a scenario re-staffs a department (its other "
                "meetings stay where the published timetable has them)",
            )
        try:
            published_timetable(session, stored)
            department_load(session, stored, department)
        except StorageError as error:
            raise RunRefused("department", str(error)) from None
    chosen = None
    if scenario is not None and kind != "lessons":
        raise RunRefused("scenario", f"scenarios change class timetables; {kind} runs take none")
    if scenario is not None:
        chosen = session.scalar(
            select(schema.Scenario).where(
                schema.Scenario.semester_id == stored.id, schema.Scenario.name == scenario
            )
        )
        if chosen is None:
            raise RunRefused("scenario", f"semester {semester!r} has no scenario {scenario!r}")
    run = schema.Run(
        kind=kind,
        semester=stored,
        scenario_id=chosen.id if chosen else None,
        scenario=chosen.changes if chosen else {},
        time_limit=parameters.time_limit,
        workers=parameters.workers,
        seed=parameters.seed,
        created_at=now(),
        department=department,
    )
    session.add(run)
    session.flush()
    return run


def local_pool() -> Executor:
    """One solve at a time by default: each already uses every core it is given."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def dask_cluster(address: str) -> Callable[[], Executor]:
    """Runs on a Dask distributed cluster (REGISTRAR_DASK_SCHEDULER=tcp://host:port). Its
    workers must reach the same database; a run is never retried by Dask itself (a worker that
    dies fails the run, as locally)."""

    def connect() -> Executor:
        return _DaskExecutor(address)

    return connect


class _DaskExecutor(Executor):
    """A Dask client as a concurrent.futures executor that closes the client on shutdown."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        self.client = Client(address, set_as_default=False)
        self.executor = self.client.get_executor(pure=False, retries=0)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.executor.shutdown(wait=wait)
        self.client.close()


def executor_from_environment() -> Callable[[], Executor]:
    address = os.environ.get("REGISTRAR_DASK_SCHEDULER", "").strip()
    return dask_cluster(address) if address else local_pool


class RunQueue:
    """Hands runs to an executor (a local process pool, or a Dask cluster) and records how each
    ended when the executor reports a failure the worker could not record itself."""

    def __init__(self, database: Database, executor_factory: Callable[[], Executor] = local_pool) -> None:
        self.database = database
        self.executor_factory = executor_factory
        self.executor = executor_factory()
        self.futures: dict[int, Future[str]] = {}
        self.lock = threading.Lock()

    def submit(self, run_id: int) -> None:
        with self.lock:
            try:
                future = self.executor.submit(execute_run, self.database.url, run_id)
            except BrokenProcessPool:  # an earlier worker died: a fresh pool for the next runs
                self.executor = self.executor_factory()
                future = self.executor.submit(execute_run, self.database.url, run_id)
            self.futures[run_id] = future
        future.add_done_callback(lambda done: self._done(run_id, done))

    def _done(self, run_id: int, future: Future[str]) -> None:
        error = None if future.cancelled() else future.exception()
        if error is None:
            return
        if isinstance(error, BrokenProcessPool) or type(error).__name__ == "KilledWorker":
            with self.database.transaction() as session:
                run = session.get(schema.Run, run_id)
                waiting = run is not None and run.status == RunStatus.QUEUED
            if waiting:  # it never started: another worker's death broke the pool under it
                self.submit(run_id)
                return
            reason = "the worker process running it died (killed or out of memory)"
        else:
            reason = f"the worker could not run it: {type(error).__name__}: {error}"
        _fail(self.database, run_id, reason)

    def requeue_unfinished(self) -> list[int]:
        """After a restart: runs left queued or running go back in the queue."""
        with self.database.transaction() as session:
            runs = session.scalars(
                select(schema.Run).where(schema.Run.status.in_(RunStatus.UNFINISHED)).order_by(schema.Run.id)
            ).all()
            for run in runs:
                run.status = RunStatus.QUEUED
            ids = [run.id for run in runs]
        for run_id in ids:
            self.submit(run_id)
        return ids

    def wait(self, run_id: int, timeout: float | None = None) -> None:
        future = self.futures.get(run_id)
        if future is not None:
            future.exception(timeout=timeout)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
